import Foundation
import IgniteProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One resolved address, copied out of `getaddrinfo`'s list.
private struct ResolvedAddress: Sendable {
    var family: Int32
    var socketType: Int32
    var proto: Int32
    var storage: sockaddr_storage
    var length: socklen_t
}

/// Opening non-blocking TCP sockets without blocking a task: numeric hosts are parsed in place, host names are
/// resolved on a short-lived thread of their own, and the connect itself waits for writability on the loop.
enum SocketConnect {
    /// Connects to `endpoint`, trying each resolved address in turn, within `timeout`.
    /// - Returns: A connected, non-blocking socket with the options applied.
    /// - Throws: ``IgniteError/Code/timeout``, ``IgniteError/Code/socket``, ``IgniteError/Code/cancelled``.
    static func connect(to endpoint: IgniteEndpoint, timeout: Duration, options: IgniteTCPOptions,
                        loop: EventLoop) async throws -> Int32 {
        guard (1...65535).contains(endpoint.port) else {
            throw IgniteError.parameter("port \(endpoint.port) of \(endpoint) is out of range")
        }
        let deadline = LoopClock.deadline(after: timeout)
        let addresses = try await resolve(endpoint)
        var lastError = IgniteError(.socket, "no address for \(endpoint.host)")
        for address in addresses {
            guard LoopClock.now() < deadline else {
                throw IgniteError(.timeout, "connecting to \(endpoint) timed out after \(timeout)")
            }
            do {
                return try await connectOne(address, endpoint: endpoint, deadline: deadline, options: options, loop: loop)
            } catch let error as IgniteError {
                if error.code == .cancelled || error.code == .timeout { throw error }
                lastError = error
            }
        }
        throw lastError
    }

    private static func resolve(_ endpoint: IgniteEndpoint) async throws -> [ResolvedAddress] {
        // A numeric host needs no lookup: AI_NUMERICHOST never blocks.
        if let numeric = try? lookup(endpoint, numericOnly: true) { return numeric }
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try lookup(endpoint, numericOnly: false) })
            }
            thread.name = "ignite-async-resolve"
            thread.start()
        }
    }

    private static func lookup(_ endpoint: IgniteEndpoint, numericOnly: Bool) throws -> [ResolvedAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Darwin)
        hints.ai_socktype = SOCK_STREAM
        #else
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #endif
        hints.ai_protocol = Int32(IPPROTO_TCP)
        if numericOnly { hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV }
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &list)
        guard status == 0, let first = list else {
            let text = gai_strerror(status).map { String(cString: $0) } ?? "error \(status)"
            throw IgniteError(.socket, "cannot resolve \(endpoint.host): \(text)")
        }
        defer { freeaddrinfo(first) }
        var result: [ResolvedAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            guard let address = info.pointee.ai_addr else { continue }
            var storage = sockaddr_storage()
            let length = min(Int(info.pointee.ai_addrlen), MemoryLayout<sockaddr_storage>.size)
            withUnsafeMutableBytes(of: &storage) { target in
                target.copyMemory(from: UnsafeRawBufferPointer(start: address, count: length))
            }
            result.append(ResolvedAddress(family: info.pointee.ai_family, socketType: info.pointee.ai_socktype,
                                          proto: info.pointee.ai_protocol, storage: storage, length: socklen_t(length)))
        }
        guard !result.isEmpty else { throw IgniteError(.socket, "no address for \(endpoint.host)") }
        return result
    }

    private static func connectOne(_ address: ResolvedAddress, endpoint: IgniteEndpoint, deadline: UInt64,
                                   options: IgniteTCPOptions, loop: EventLoop) async throws -> Int32 {
        #if canImport(Darwin)
        let fd = socket(address.family, address.socketType, address.proto)
        #else
        let fd = socket(address.family, address.socketType | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
                        address.proto)
        #endif
        guard fd >= 0 else { throw IgniteError(.socket, "socket(): \(describeErrno(errno))") }
        var keep = false
        defer { if !keep { closeDescriptor(fd) } }
        #if canImport(Darwin)
        let flags = fcntl(fd, F_GETFL, 0)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) >= 0 else {
            throw IgniteError(.socket, "fcntl(O_NONBLOCK): \(describeErrno(errno))")
        }
        var on: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
        var storage = address.storage
        let result = withUnsafePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemConnect(fd, $0, address.length) }
        }
        if result != 0 {
            let code = errno
            guard code == EINPROGRESS || code == EINTR else {
                throw IgniteError(.socket, "connect to \(endpoint) failed: \(describeErrno(code))")
            }
            try await ReadinessWait.writable(fd, deadline: deadline, loop: loop, what: "connecting to \(endpoint)")
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length) == 0 else {
                throw IgniteError(.socket, "getsockopt(SO_ERROR): \(describeErrno(errno))")
            }
            guard soError == 0 else {
                throw IgniteError(.socket, "connect to \(endpoint) failed: \(describeErrno(soError))")
            }
        }
        configure(fd, options: options)
        keep = true
        return fd
    }

    /// Applies the socket options (best effort, as the blocking transport does).
    static func configure(_ fd: Int32, options: IgniteTCPOptions) {
        var on: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        if options.noDelay { _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, size) }
        if options.keepAlive { _ = setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, size) }
        if let bytes = options.sendBufferSize {
            var value = Int32(clamping: bytes)
            _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &value, size)
        }
        if let bytes = options.receiveBufferSize {
            var value = Int32(clamping: bytes)
            _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &value, size)
        }
    }
}

@inline(__always)
private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    #if canImport(Darwin)
    return Darwin.connect(fd, address, length)
    #elseif canImport(Musl)
    return Musl.connect(fd, address, length)
    #else
    return Glibc.connect(fd, address, length)
    #endif
}

/// A one-shot wait for a descriptor to become writable (a non-blocking connect finishing), on the loop, with a
/// deadline and task cancellation.
final class ReadinessWait: LoopSelectable, @unchecked Sendable {
    private let fd: Int32
    private let loop: EventLoop
    private let what: String
    // Loop-confined.
    private var continuation: CheckedContinuation<Void, any Error>?
    private var token: UInt64?
    private var timer: EventLoop.TimerHandle?
    private var cancelled = false

    private init(fd: Int32, loop: EventLoop, what: String) {
        self.fd = fd
        self.loop = loop
        self.what = what
    }

    static func writable(_ fd: Int32, deadline: UInt64, loop: EventLoop, what: String) async throws {
        let wait = ReadinessWait(fd: fd, loop: loop, what: what)
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                loop.execute { wait.start(continuation, deadline: deadline) }
            }
        } onCancel: {
            loop.execute { wait.cancel() }
        }
    }

    private func cancel() {
        cancelled = true
        finish(.failure(IgniteError(.cancelled, "\(what) was cancelled", underlying: CancellationError())))
    }

    private func start(_ continuation: CheckedContinuation<Void, any Error>, deadline: UInt64) {
        self.continuation = continuation
        if cancelled {
            cancel()
            return
        }
        do {
            token = try loop.register(fd, handler: self, read: false, write: true)
        } catch {
            finish(.failure(error))
            return
        }
        timer = loop.scheduleTimer(at: deadline) { [self] in
            finish(.failure(IgniteError(.timeout, "\(what) timed out")))
        }
    }

    private func finish(_ result: Result<Void, any Error>) {
        guard let continuation else { return }
        self.continuation = nil
        if let token { loop.deregister(fd, token: token) }
        token = nil
        if let timer { loop.cancelTimer(timer) }
        continuation.resume(with: result)
    }

    func loopEvent(readable: Bool, writable: Bool, hangup: Bool) {
        finish(.success(()))
    }
}
