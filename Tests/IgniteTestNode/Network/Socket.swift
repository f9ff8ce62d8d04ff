#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import IgniteProtocol

/// Thin wrappers over the POSIX socket calls the test node needs. Every failure becomes an ``IgniteError``.
enum Socket {
    /// Opens a listening TCP socket on `host:port` (port 0 picks a free port).
    /// - Returns: the descriptor and the port actually bound.
    static func openListener(host: String, port: Int) throws -> (fd: Int32, port: Int) {
        let isV6 = host.contains(":")
        let fd = socket(isV6 ? AF_INET6 : AF_INET, socketStreamType, 0)
        guard fd >= 0 else { throw socketError("socket()") }
        var yes: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        guard (0...65535).contains(port) else {
            close(fd)
            throw IgniteError.parameter("port \(port) is out of range")
        }
        var bound: Int32 = -1
        if isV6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = in_port_t(UInt16(port).bigEndian)
            guard inet_pton(AF_INET6, host, &address.sin6_addr) == 1 else {
                close(fd)
                throw IgniteError.parameter("'\(host)' is not an IPv6 address literal")
            }
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            let literal = host == "localhost" ? "127.0.0.1" : host
            guard inet_pton(AF_INET, literal, &address.sin_addr) == 1 else {
                close(fd)
                throw IgniteError.parameter("'\(host)' is not an IPv4 address literal")
            }
            bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        guard bound == 0 else {
            let error = socketError("bind(\(host):\(port))")
            close(fd)
            throw error
        }
        guard listen(fd, 128) == 0 else {
            let error = socketError("listen()")
            close(fd)
            throw error
        }
        return (fd, localPort(fd))
    }

    /// The local port a socket is bound to.
    static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { return 0 }
        if Int32(storage.ss_family) == AF_INET6 {
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
        }
    }

    /// Accepts one connection; `nil` when the listener was shut down.
    static func acceptConnection(_ listener: Int32) -> Int32? {
        while true {
            let fd = accept(listener, nil, nil)
            if fd >= 0 {
                var yes: Int32 = 1
                _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            let code = errno
            if code == EINTR || code == ECONNABORTED { continue }
            if code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM {
                usleep(10_000)   // out of descriptors: back off instead of spinning
                continue
            }
            return nil
        }
    }

    /// Waits until `fd` is readable.
    /// - Parameter milliseconds: how long to wait; negative waits forever.
    /// - Returns: `true` when readable (or closed), `false` on time-out.
    static func waitReadable(_ fd: Int32, milliseconds: Int) -> Bool {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let result = poll(&descriptor, 1, Int32(clamping: milliseconds))
            if result > 0 { return true }
            if result == 0 { return false }
            if errno != EINTR { return true }
        }
    }

    /// Reads up to `buffer.count` bytes. Returns 0 at end of stream or on error.
    static func readSome(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = recv(fd, base, buffer.count, 0)
            if n >= 0 { return n }
            if errno == EINTR { continue }
            return 0
        }
    }

    /// Writes all bytes. Returns `false` if the peer is gone.
    @discardableResult
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return true }
            var offset = 0
            while offset < raw.count {
                let n = send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n > 0 {
                    offset += n
                } else if n < 0 && errno == EINTR {
                    continue
                } else {
                    return false
                }
            }
            return true
        }
    }

    /// Shuts both directions down, waking a thread blocked in `recv` or `accept` on the descriptor.
    static func shutdownBoth(_ fd: Int32) {
        _ = shutdown(fd, Int32(SHUT_RDWR))
    }

    /// Names the calling thread for the operating system (thread dumps, `/proc/<pid>/task/*/comm`). Foundation's
    /// `Thread.name` does not reach the OS thread on Linux. Names longer than 15 bytes are cut.
    static func nameCurrentThread(_ name: String) {
        let short = String(decoding: name.utf8.prefix(15), as: UTF8.self)
        #if os(Linux)
        // pthread_setname_np is a GNU extension the Glibc module does not import; the kernel's file is the same call.
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        let bytes = Array(short.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        #elseif canImport(Darwin)
        _ = pthread_setname_np(short)
        #endif
    }

    /// Closes a descriptor.
    static func closeDescriptor(_ fd: Int32) {
        _ = close(fd)
    }

    private static func socketError(_ call: String) -> IgniteError {
        let code = errno
        return IgniteError(.socket, "\(call) failed: \(String(cString: strerror(code))) (errno \(code))")
    }

    #if canImport(Glibc) || canImport(Musl)
    private static let socketStreamType = Int32(SOCK_STREAM.rawValue)
    #else
    private static let socketStreamType = SOCK_STREAM
    #endif
}
