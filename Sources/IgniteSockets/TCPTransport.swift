#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
internal import CIgniteAtomics
import IgniteProtocol

/// A plain TCP connection over POSIX sockets, with blocking calls: the transport under the blocking client.
///
/// `TCP_NODELAY` and `SO_KEEPALIVE` are on by default (see ``IgniteTCPOptions``); writes never raise `SIGPIPE`;
/// partial reads and writes and `EINTR` are handled; a write gives up at its time limit. One thread may read while
/// another writes. ``close()`` is idempotent and wakes a blocked reader: it shuts the socket down at once, and the
/// descriptor itself is closed exactly once, after the last system call using it has returned, so it is never
/// reused under a running call.
package final class TCPTransport: IgniteTransport, @unchecked Sendable {
    /// The peer.
    public let endpoint: IgniteEndpoint

    private let fd: Int32
    /// The lifecycle word, changed only atomically (every read and write checks it, so it takes no lock): the number
    /// of system calls under way in the low bits, plus ``closedBit`` once ``close()`` ran and ``releasedBit`` once the
    /// descriptor is closed. A word of its own on the heap, so that its address never moves.
    private let state: UnsafeMutablePointer<Int64>
    private static let closedBit: Int64 = 1 << 62
    private static let releasedBit: Int64 = 1 << 61
    /// The receive timeout now set on the socket (`SO_RCVTIMEO`), in microseconds; 0 for none. Touched only by the
    /// reading thread: the transport contract allows one reader at a time, and hand-overs of the reader role between
    /// threads synchronize.
    private var receiveTimeoutMicroseconds: UInt64 = 0

    init(fd: Int32, endpoint: IgniteEndpoint) {
        self.fd = fd
        self.endpoint = endpoint
        state = UnsafeMutablePointer<Int64>.allocate(capacity: 1)
        state.initialize(to: 0)
    }

    deinit {
        if cignite_atomic_load(state) & Self.releasedBit == 0 { _ = systemClose(fd) }
        state.deallocate()
    }

    /// Connects to `endpoint`, trying each address the host name resolves to (IPv4 and IPv6) until one
    /// accepts, all within `timeout`.
    /// - Parameters:
    ///   - endpoint: The host (name or IP literal) and port.
    ///   - timeout: The time limit for resolving and connecting.
    ///   - options: Socket options.
    /// - Returns: A connected transport.
    /// - Throws: ``IgniteError/Code/timeout`` when the time ran out, ``IgniteError/Code/socket`` when the host
    ///   cannot be resolved or every address refused.
    public static func connect(to endpoint: IgniteEndpoint, timeout: Duration,
                               options: IgniteTCPOptions = IgniteTCPOptions()) throws -> TCPTransport {
        guard (1...65535).contains(endpoint.port) else {
            throw IgniteError.parameter("port \(endpoint.port) of \(endpoint) is out of range")
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        hints.ai_protocol = Int32(IPPROTO_TCP)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard status == 0, let first = list else {
            let text = gai_strerror(status).map { String(cString: $0) } ?? "error \(status)"
            throw IgniteError(.socket, "cannot resolve \(endpoint.host): \(text)")
        }
        defer { freeaddrinfo(first) }
        var lastError = IgniteError(.socket, "no address for \(endpoint.host)")
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                throw IgniteError(.timeout, "connecting to \(endpoint) timed out after \(timeout)")
            }
            do {
                let fd = try connectOne(info.pointee, remaining: remaining, endpoint: endpoint)
                try configure(fd, options: options)
                return TCPTransport(fd: fd, endpoint: endpoint)
            } catch let error as IgniteError {
                lastError = error
            }
        }
        throw lastError
    }

    private static func connectOne(_ info: addrinfo, remaining: Duration, endpoint: IgniteEndpoint) throws -> Int32 {
        #if canImport(Darwin)
        let fd = socket(info.ai_family, info.ai_socktype, info.ai_protocol)
        #else
        let fd = socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
        #endif
        guard fd >= 0 else { throw IgniteError(.socket, "socket(): \(errnoDescription(errno))") }
        var keep = false
        defer { if !keep { _ = systemClose(fd) } }
        let flags = fcntl(fd, F_GETFL, 0)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) >= 0 else {
            throw IgniteError(.socket, "fcntl(O_NONBLOCK): \(errnoDescription(errno))")
        }
        if systemConnect(fd, info.ai_addr, info.ai_addrlen) != 0 {
            let code = errno
            guard code == EINPROGRESS || code == EINTR else {
                throw IgniteError(.socket, "connect to \(endpoint) failed: \(errnoDescription(code))")
            }
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: remaining)
            while true {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let left = deadline - clock.now
                let ready = poll(&pfd, 1, pollMilliseconds(left))
                if ready < 0 {
                    if errno == EINTR { continue }
                    throw IgniteError(.socket, "poll during connect: \(errnoDescription(errno))")
                }
                if ready == 0 {
                    if clock.now < deadline { continue }
                    throw IgniteError(.timeout, "connecting to \(endpoint) timed out")
                }
                break
            }
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0 else {
                throw IgniteError(.socket, "getsockopt(SO_ERROR): \(errnoDescription(errno))")
            }
            guard soError == 0 else {
                throw IgniteError(.socket, "connect to \(endpoint) failed: \(errnoDescription(soError))")
            }
        }
        guard fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) >= 0 else {
            throw IgniteError(.socket, "fcntl(blocking): \(errnoDescription(errno))")
        }
        keep = true
        return fd
    }

    private static func configure(_ fd: Int32, options: IgniteTCPOptions) throws {
        var on: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        if options.noDelay { _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, size) }
        if options.keepAlive { _ = setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, size) }
        #if canImport(Darwin)
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, size)
        #endif
        if let bytes = options.sendBufferSize {
            var value = Int32(clamping: bytes)
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, size)
        }
        if let bytes = options.receiveBufferSize {
            var value = Int32(clamping: bytes)
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, size)
        }
    }

    // MARK: I/O

    private func enter() throws -> Int32 {
        let before = cignite_atomic_fetch_add(state, 1)
        guard before & Self.closedBit == 0 else {
            leave()
            throw IgniteError(.connectionClosed, "the connection to \(endpoint) is closed")
        }
        return fd
    }

    private func leave() {
        let after = cignite_atomic_fetch_add(state, -1) - 1
        // Closed, and this was the last call under way: close the descriptor, exactly once (the exchange fails for
        // every caller but one, and for everyone once the released bit is set).
        if after == Self.closedBit, cignite_atomic_compare_exchange(state, Self.closedBit, Self.closedBit | Self.releasedBit) {
            _ = systemClose(fd)
        }
    }

    /// The socket's descriptor number, for tests that check when it is released (never use it for I/O).
    package var descriptorNumber: Int32 { fd }

    private var isClosed: Bool { cignite_atomic_load(state) & Self.closedBit != 0 }

    private func failure(_ operation: String, _ code: Int32) -> IgniteError {
        if isClosed { return IgniteError(.connectionClosed, "the connection to \(endpoint) was closed") }
        return IgniteError(.socket, "\(operation) \(endpoint) failed: \(errnoDescription(code))")
    }

    /// Writes all of `bytes` within `timeout`.
    /// - Parameters:
    ///   - bytes: The bytes to send.
    ///   - timeout: The longest the whole write may take; `nil` waits as long as it takes.
    /// - Throws: ``IgniteError/Code/timeout`` when the time ran out (part of the bytes may have been sent: the stream
    ///   is then out of step and must be closed), ``IgniteError/Code/socket`` on failure,
    ///   ``IgniteError/Code/connectionClosed`` after ``close()``.
    public func write(_ bytes: UnsafeRawBufferPointer, timeout: Duration?) throws {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        let fd = try enter()
        defer { leave() }
        // The deadline in monotonic nanoseconds: an optional `ContinuousClock.Instant` (a type of the standard
        // library whose layout is not known here) cost about 150 instructions per write in outlined copies, even
        // when there was no timeout.
        let deadline = timeout.map { monotonicDeadline(after: $0) }
        #if canImport(Darwin)
        let flags: Int32 = deadline == nil ? 0 : MSG_DONTWAIT
        #else
        let flags = Int32(MSG_NOSIGNAL) | (deadline == nil ? 0 : Int32(MSG_DONTWAIT))
        #endif
        var offset = 0
        while offset < bytes.count {
            let n = send(fd, base + offset, bytes.count - offset, flags)
            if n > 0 {
                offset += n
            } else if n < 0 {
                let code = errno
                if code == EINTR { continue }
                if code == EAGAIN || code == EWOULDBLOCK {
                    // The send buffer is full: wait until it drains, at most until the deadline.
                    var wait: Int32 = 1000
                    if let deadline, let timeout {
                        let left = monotonicRemaining(until: deadline)
                        guard left > .zero else {
                            throw IgniteError(.timeout, "writing to \(endpoint) did not finish within \(timeout) "
                                              + "(\(offset) of \(bytes.count) bytes sent): the server is not reading")
                        }
                        wait = pollMilliseconds(left)
                    }
                    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&pfd, 1, wait)
                    continue
                }
                throw failure("writing to", code)
            } else {
                throw failure("writing to", EPIPE)
            }
        }
    }

    /// Reads at least one byte.
    /// - Parameters:
    ///   - buffer: Where to put the bytes.
    ///   - timeout: How long to wait for the first byte; `nil` waits until data, end of stream or ``close()``.
    /// - Returns: The number of bytes read; 0 when the peer closed the stream.
    /// - Throws: ``IgniteError/Code/timeout``, ``IgniteError/Code/socket``, or ``IgniteError/Code/connectionClosed``
    ///   after ``close()``.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty else {
            throw IgniteError.parameter("read into an empty buffer")
        }
        let fd = try enter()
        defer { leave() }
        // A time limit is the socket's receive timeout (SO_RCVTIMEO) rather than a poll(2) before each recv(2): one
        // system call per read instead of two. The timeout set is what is left of the limit, rounded down to whole
        // milliseconds, so a run of reads with about the same limit sets it once; a recv that gives up before the
        // deadline goes round again with what is left, to the microsecond at the end. None is left: one recv that
        // does not wait.
        let deadline = timeout.map { monotonicDeadline(after: $0) }
        while true {
            var flags: Int32 = 0
            if let deadline {
                let now = monotonicNanoseconds()
                if deadline > now {
                    let left = deadline - now
                    // At most a day at a time: no platform's limit on the option's value is ever reached.
                    let microseconds = left >= 1_000_000 ? min(left / 1_000_000, 86_400_000) * 1000 : (left + 999) / 1000
                    if microseconds != receiveTimeoutMicroseconds { try setReceiveTimeout(fd, microseconds: microseconds) }
                } else {
                    flags = dontWait
                }
            } else if receiveTimeoutMicroseconds != 0 {
                try setReceiveTimeout(fd, microseconds: 0)
            }
            let n = recv(fd, base, buffer.count, flags)
            if n > 0 { return n }
            if n == 0 {
                if isClosed { throw IgniteError(.connectionClosed, "the connection to \(endpoint) was closed") }
                return 0
            }
            let code = errno
            if code == EINTR { continue }
            if let timeout, code == EAGAIN || code == EWOULDBLOCK {
                if flags == 0 { continue }  // the receive timeout ran out at or before the deadline: look again
                throw IgniteError(.timeout, "no reply from \(endpoint) within \(timeout)")
            }
            throw failure("reading from", code)
        }
    }

    /// Sets the socket's receive timeout (0: none). Reader-confined, like ``receiveTimeoutMicroseconds``.
    private func setReceiveTimeout(_ fd: Int32, microseconds: UInt64) throws {
        var value = timeval()
        value.tv_sec = .init(clamping: microseconds / 1_000_000)
        value.tv_usec = .init(clamping: microseconds % 1_000_000)
        guard setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw failure("setting the receive timeout of the connection to", errno)
        }
        receiveTimeoutMicroseconds = microseconds
    }

    /// Closes the connection. Idempotent and safe from any thread; a blocked reader returns promptly.
    public func close() {
        // close() counts as a call under way itself, so that a call returning meanwhile cannot close the descriptor
        // (whose number could then name another socket) before the shutdown below.
        _ = cignite_atomic_fetch_add(state, 1)
        let before = cignite_atomic_fetch_or(state, Self.closedBit)
        // No call can begin on the descriptor now; the first close() wakes any blocked in one.
        if before & Self.closedBit == 0 { _ = shutdown(fd, Int32(SHUT_RDWR)) }
        leave()  // the last call out, this one or another, closes the descriptor
    }
}

/// `MSG_DONTWAIT` as recv(2)'s flags.
#if canImport(Darwin)
private let dontWait: Int32 = MSG_DONTWAIT
#else
private let dontWait = Int32(MSG_DONTWAIT)
#endif

@inline(__always)
private func systemClose(_ fd: Int32) -> Int32 {
    #if canImport(Darwin)
    return Darwin.close(fd)
    #elseif canImport(Musl)
    return Musl.close(fd)
    #else
    return Glibc.close(fd)
    #endif
}

@inline(__always)
private func systemConnect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t) -> Int32 {
    #if canImport(Darwin)
    return Darwin.connect(fd, address, length)
    #elseif canImport(Musl)
    return Musl.connect(fd, address, length)
    #else
    return Glibc.connect(fd, address, length)
    #endif
}

/// Now, in nanoseconds of the monotonic clock.
@inline(__always)
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
}

/// The monotonic time `duration` from now, in nanoseconds (saturating; a negative duration is now).
func monotonicDeadline(after duration: Duration) -> UInt64 {
    let nanoseconds = UInt64(clamping: max(duration, .zero).roundedUp(to: .nanoseconds))
    let result = monotonicNanoseconds().addingReportingOverflow(nanoseconds)
    return result.overflow ? UInt64.max : result.partialValue
}

/// The time left until a deadline of ``monotonicDeadline(after:)``; zero once it passed.
func monotonicRemaining(until deadline: UInt64) -> Duration {
    let now = monotonicNanoseconds()
    guard deadline > now else { return .zero }
    return .nanoseconds(Int64(clamping: deadline - now))
}

/// A duration as poll(2)'s millisecond timeout, rounded up and clamped to `0...Int32.max`.
func pollMilliseconds(_ duration: Duration) -> Int32 {
    Int32(clamping: duration.roundedUp(to: .milliseconds))
}
