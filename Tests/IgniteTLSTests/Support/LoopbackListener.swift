#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import IgniteProtocol
import IgniteSockets

/// A listening TCP socket on a loopback address with an accept thread (test instrument).
final class LoopbackListener: @unchecked Sendable {
    let endpoint: IgniteEndpoint
    private let fd: Int32
    private let lock = NSLock()
    private var stopped = false

    /// Binds `host` (an IPv4 or IPv6 literal) on a free port.
    init(host: String = "127.0.0.1") throws {
        let v6 = host.contains(":")
        let family = v6 ? AF_INET6 : AF_INET
        #if canImport(Darwin)
        let fd = socket(family, SOCK_STREAM, 0)
        #else
        let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw IgniteError(.socket, "socket() failed: errno \(errno)") }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var port: UInt16 = 0
        if v6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            _ = inet_pton(AF_INET6, host, &address.sin6_addr)
            var length = socklen_t(MemoryLayout<sockaddr_in6>.size)
            let ok = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    bind(fd, sa, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, sa, &length) == 0
                }
            }
            guard ok else { closeDescriptor(fd); throw IgniteError(.socket, "cannot listen on \(host): errno \(errno)") }
            port = UInt16(bigEndian: address.sin6_port)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            _ = inet_pton(AF_INET, host, &address.sin_addr)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    bind(fd, sa, length) == 0 && listen(fd, 64) == 0 && getsockname(fd, sa, &length) == 0
                }
            }
            guard ok else { closeDescriptor(fd); throw IgniteError(.socket, "cannot listen on \(host): errno \(errno)") }
            port = UInt16(bigEndian: address.sin_port)
        }
        self.fd = fd
        endpoint = IgniteEndpoint(host: host, port: Int(port))
    }

    /// Accepts connections on a background thread, handing each to `handler` (on the accept thread).
    func start(_ handler: @escaping @Sendable (AcceptedSocket) -> Void) {
        Thread.detachNewThread { [self] in
            while !isStopped {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&pfd, 1, 50) > 0 else { continue }
                let client = accept(fd, nil, nil)
                guard client >= 0 else { continue }
                handler(AcceptedSocket(fd: client, endpoint: endpoint))
            }
            closeDescriptor(fd)
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    func stop() { lock.withLock { stopped = true } }
}

/// An accepted TCP connection as an `IgniteTransport` (test instrument). The descriptor is closed in `deinit`,
/// after every user let go; `close()` shuts it down, which wakes blocked calls.
final class AcceptedSocket: IgniteTransport, @unchecked Sendable {
    let endpoint: IgniteEndpoint
    private let fd: Int32
    private let lock = NSLock()
    private var closed = false
    private var released = false
    /// Close abortively, as a server that drops a connection with unread data does: no FIN, an RST (SO_LINGER 0).
    var abortive: Bool {
        get { lock.withLock { abortiveClose } }
        set { lock.withLock { abortiveClose = newValue } }
    }
    private var abortiveClose = false

    init(fd: Int32, endpoint: IgniteEndpoint) {
        self.fd = fd
        self.endpoint = endpoint
        var on: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { if !released { closeDescriptor(fd) } }

    private var isClosed: Bool { lock.withLock { closed } }

    func write(_ bytes: UnsafeRawBufferPointer, timeout: Duration?) throws {
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            guard !isClosed else { throw IgniteError(.connectionClosed, "closed") }
            #if canImport(Darwin)
            let n = send(fd, base + offset, bytes.count - offset, 0)
            #else
            let n = send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            #endif
            if n > 0 { offset += n; continue }
            if n < 0, errno == EINTR { continue }
            throw IgniteError(.socket, "send failed: errno \(errno)")
        }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws -> Int {
        guard let base = buffer.baseAddress else { return 0 }
        while true {
            guard !isClosed else { throw IgniteError(.connectionClosed, "closed") }
            let n = recv(fd, base, buffer.count, 0)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw IgniteError(.socket, "recv failed: errno \(errno)")
        }
    }

    func close() {
        let (first, reset) = lock.withLock { () -> (Bool, Bool) in
            defer { closed = true }
            return (!closed, abortiveClose)
        }
        guard first else { return }
        if reset {
            var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
            _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            lock.withLock { released = true }
            closeDescriptor(fd)
        } else {
            _ = shutdown(fd, Int32(SHUT_RDWR))
        }
    }
}

private func closeDescriptor(_ fd: Int32) {
    #if canImport(Darwin)
    _ = Darwin.close(fd)
    #else
    _ = Glibc.close(fd)
    #endif
}
