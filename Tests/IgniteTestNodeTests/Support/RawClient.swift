#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import IgniteProtocol
import IgniteTestNode

/// A minimal blocking thin-client connection that sends hand-built frames, for testing the node byte by byte.
final class RawClient {
    struct Response {
        var header: ResponseHeader
        var body: BinaryReader
        var isSuccess: Bool { header.status == 0 }
    }

    let fd: Int32
    var context = ProtocolContext(version: .v1_7_0)
    private var nextId: Int64 = 1
    private var buffer: [UInt8] = []

    /// Connects with a receive timeout that guards against hangs.
    init(_ endpoint: IgniteEndpoint, timeout: TimeInterval = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw IgniteError(.socket, "socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(endpoint.port).bigEndian)
        inet_pton(AF_INET, endpoint.host, &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            throw IgniteError(.socket, "connect to \(endpoint) failed: errno \(errno)")
        }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var yes: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
    }

    deinit { close(fd) }

    /// Connects and completes a handshake.
    static func connected(_ endpoint: IgniteEndpoint, version: ProtocolVersion = .v1_7_0,
                          features: ProtocolFeatures = .defaultRequested, username: String? = nil, password: String? = nil) throws -> RawClient {
        let client = try RawClient(endpoint)
        let reply = try client.handshake(version: version, features: features, username: username, password: password)
        guard case .success = reply else { throw IgniteError(.handshake, "handshake failed: \(reply)") }
        return client
    }

    /// Sends a handshake and reads the reply; on success the context is updated.
    func handshake(version: ProtocolVersion = .v1_7_0, features: ProtocolFeatures = .defaultRequested,
                   username: String? = nil, password: String? = nil, userAttributes: [String: String]? = nil) throws -> HandshakeResponse {
        let request = HandshakeRequest(version: version, features: features, username: username, password: password, userAttributes: userAttributes)
        write(request.frame())
        guard let payload = try readFrame() else { throw IgniteError(.connectionClosed, "closed during handshake") }
        let reply = try HandshakeResponse.decode(payload: payload, proposed: version)
        if case .success(let negotiated, _) = reply { context = ProtocolContext(version: version, features: negotiated) }
        return reply
    }

    /// Writes raw bytes.
    func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n <= 0 { return }
                offset += n
            }
        }
    }

    /// Builds a request frame.
    func frame(_ op: OpCode, id: Int64? = nil, _ body: (inout BinaryWriter) -> Void = { _ in }) -> (id: Int64, bytes: [UInt8]) {
        let requestId = id ?? nextId
        nextId = max(nextId, requestId) + 1
        var writer = BinaryWriter()
        writer.writeInt32(0)
        writer.writeInt16(op.rawValue)
        writer.writeInt64(requestId)
        body(&writer)
        writer.setInt32(Int32(writer.count - 4), at: 0)
        return (requestId, writer.bytes)
    }

    /// Sends one request and reads its response.
    func request(_ op: OpCode, _ body: (inout BinaryWriter) -> Void = { _ in }) throws -> Response {
        let (id, bytes) = frame(op, body)
        write(bytes)
        let response = try readResponse()
        guard response.header.requestId == id else { throw IgniteError(.protocolViolation, "expected reply \(id), got \(response.header.requestId)") }
        return response
    }

    /// Reads one response frame.
    func readResponse() throws -> Response {
        guard let payload = try readFrame() else { throw IgniteError(.connectionClosed, "connection closed by the node") }
        var reader = BinaryReader(payload)
        let header = try ResponseHeader.decode(from: &reader, context: context)
        return Response(header: header, body: reader)
    }

    /// Reads one frame's payload; `nil` when the peer closed.
    func readFrame() throws -> [UInt8]? {
        while true {
            if buffer.count >= 4 {
                let length = Int(Int32(littleEndian: buffer.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
                guard length >= 0 else { throw IgniteError.parse("negative frame length \(length)") }
                if buffer.count >= 4 + length {
                    let payload = Array(buffer[4..<(4 + length)])
                    buffer.removeFirst(4 + length)
                    return payload
                }
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return nil }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw IgniteError(.timeout, "no reply within the guard time") }
                return nil
            }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    /// Whether the peer closes the connection (reads until EOF, up to the receive timeout), ignoring any data.
    func waitForClose() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return true }
            if n < 0 { return errno == ECONNRESET }
        }
    }

    /// All bytes received until the peer closes.
    func drainUntilClose() -> [UInt8] {
        var all = buffer
        buffer = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return all }
            all.append(contentsOf: chunk[0..<n])
        }
    }
}

/// Request-body helpers.
extension BinaryWriter {
    mutating func cacheInfo(_ name: String, flags: Int8 = 0, expiry: (Int64, Int64, Int64)? = nil, tx: Int32? = nil) {
        writeInt32(JavaHash.cacheId(name))
        var f = flags
        if expiry != nil { f |= 0x04 }
        if tx != nil { f |= 0x02 }
        writeInt8(f)
        if let expiry {
            writeInt64(expiry.0)
            writeInt64(expiry.1)
            writeInt64(expiry.2)
        }
        if let tx { writeInt32(tx) }
    }
}

extension RawClient {
    func createCache(_ name: String) throws {
        let r = try request(.cacheGetOrCreateWithName) { $0.writeStringObject(name) }
        guard r.isSuccess else { throw IgniteError(.cacheCreation, r.header.errorMessage ?? "") }
    }

    /// Creates a cache from properties: `(code, writer)`.
    func createCache(properties: [(Int16, (inout BinaryWriter) -> Void)]) throws -> Response {
        try request(.cacheCreateWithConfiguration) { w in
            let start = w.reserveBytes(4)
            w.writeInt16(Int16(properties.count))
            for (code, write) in properties {
                w.writeInt16(code)
                write(&w)
            }
            w.setInt32(Int32(w.count - start - 4), at: start)
        }
    }

    func put(_ cache: String, _ key: IgniteValue, _ value: IgniteValue, tx: Int32? = nil, expiry: (Int64, Int64, Int64)? = nil) throws -> Response {
        try request(.cachePut) { w in
            w.cacheInfo(cache, expiry: expiry, tx: tx)
            w.writeValue(key)
            w.writeValue(value)
        }
    }

    func get(_ cache: String, _ key: IgniteValue, tx: Int32? = nil) throws -> IgniteValue {
        var r = try request(.cacheGet) { w in
            w.cacheInfo(cache, tx: tx)
            w.writeValue(key)
        }
        guard r.isSuccess else { throw IgniteError(.cache, r.header.errorMessage ?? "") }
        return try r.body.readValue()
    }

    func getRaw(_ cache: String, _ key: IgniteValue) throws -> [UInt8] {
        let r = try request(.cacheGet) { w in
            w.cacheInfo(cache)
            w.writeValue(key)
        }
        return Array(r.body.buffer[r.body.position...])
    }
}

/// Polls `condition` until it holds or the hang guard passes.
func eventually(timeout: TimeInterval = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
