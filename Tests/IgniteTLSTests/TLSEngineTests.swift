import IgniteProtocol
import IgniteTLS
import Testing

/// The sans-IO engine alone: a client engine and a server engine joined in memory, no sockets.
@Suite("TLS engine (sans-IO)")
struct TLSEngineTests {
    /// Two engines and a shuttle that moves each one's output into the other.
    final class Pair {
        let client: TLSEngine
        let server: TLSEngine
        private var buffer = [UInt8](repeating: 0, count: 32 * 1024)

        init(client configuration: IgniteTLSConfiguration = TestPKI.trustingClient,
             server settings: TLSServerSettings = TLSServerSettings(certificate: TestPKI.file("server.pem"),
                                                                    privateKey: TestPKI.file("server.key"))) throws {
            client = try TLSEngine(context: TLSContext(client: configuration), host: "localhost", peerDescription: "server")
            server = try TLSEngine(context: TLSContext(server: settings), host: nil, peerDescription: "client")
        }

        /// Moves pending output from `source` into `target`.
        @discardableResult
        func move(from source: TLSEngine, to target: TLSEngine) throws -> Int {
            var total = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { source.takeOutput(into: $0) }
                if n == 0 { return total }
                try buffer.withUnsafeBytes { try target.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                total += n
            }
        }

        func handshake() throws {
            for _ in 0..<10 {
                let c = try client.handshake()
                try move(from: client, to: server)
                let s = try server.handshake()
                try move(from: server, to: client)
                if c == .complete, s == .complete { return }
            }
            throw IgniteError(.tls, "the handshake did not finish")
        }

        /// Reads everything `engine` can decrypt now.
        func drain(_ engine: TLSEngine) throws -> (bytes: [UInt8], last: TLSEngine.ReadResult) {
            var result: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            while true {
                let r = try chunk.withUnsafeMutableBytes { try engine.read(into: $0) }
                guard case .bytes(let n) = r else { return (result, r) }
                result.append(contentsOf: chunk[0..<n])
            }
        }

        func send(_ bytes: [UInt8], from source: TLSEngine, to target: TLSEngine) throws -> [UInt8] {
            try bytes.withUnsafeBytes { try source.write($0) }
            try move(from: source, to: target)
            return try drain(target).bytes
        }
    }

    @Test func handshakeAndDataBothWays() throws {
        let pair = try Pair()
        #expect(!pair.client.isHandshakeComplete)
        try pair.handshake()
        #expect(pair.client.negotiatedVersion == .v1_3)
        #expect(pair.server.negotiatedVersion == .v1_3)
        #expect(pair.server.requestedServerName == "localhost")
        #expect(try pair.send(Array("hello".utf8), from: pair.client, to: pair.server) == Array("hello".utf8))
        // The client's first read also consumes the server's TLS 1.3 session tickets.
        #expect(try pair.send(Array("world".utf8), from: pair.server, to: pair.client) == Array("world".utf8))
    }

    @Test func largeWriteSpansManyRecords() throws {
        let pair = try Pair()
        try pair.handshake()
        let payload = TLSTest.bytes(1_000_000)
        try payload.withUnsafeBytes { try pair.client.write($0) }
        // More than one 16 KiB record's worth of ciphertext, all of it pending until taken.
        #expect(pair.client.pendingOutput > payload.count)
        try pair.move(from: pair.client, to: pair.server)
        #expect(pair.client.pendingOutput == 0)
        #expect(try pair.drain(pair.server).bytes == payload)
    }

    @Test func keyUpdateRequestedByTheServerIsAnswered() throws {
        let pair = try Pair()
        try pair.handshake()
        #expect(try pair.send([1], from: pair.server, to: pair.client) == [1])
        try pair.server.requestKeyUpdate()
        #expect(pair.server.pendingOutput > 0)
        try pair.move(from: pair.server, to: pair.client)
        // Reading processes the key update: no application data. OpenSSL sends the client's own key update before
        // its next application data (as RFC 8446 section 4.6.3 requires), so the next write carries both.
        let (bytes, last) = try pair.drain(pair.client)
        #expect(bytes.isEmpty)
        #expect(last == .needsInput)
        let before = pair.client.pendingOutput
        try [UInt8]([2, 3]).withUnsafeBytes { try pair.client.write($0) }
        let withUpdate = pair.client.pendingOutput - before
        try pair.move(from: pair.client, to: pair.server)
        #expect(try pair.drain(pair.server).bytes == [2, 3])
        // Both sides use new keys now, and data still flows both ways.
        #expect(try pair.send([4, 5], from: pair.server, to: pair.client) == [4, 5])
        try [UInt8]([2, 3]).withUnsafeBytes { try pair.client.write($0) }
        let plain = pair.client.pendingOutput
        try pair.move(from: pair.client, to: pair.server)
        #expect(try pair.drain(pair.server).bytes == [2, 3])
        #expect(withUpdate > plain) // the first write carried the key update record too
    }

    @Test func closeNotifyReadsAsClosed() throws {
        let pair = try Pair()
        try pair.handshake()
        pair.client.shutdown()
        #expect(pair.client.pendingOutput > 0)
        try pair.move(from: pair.client, to: pair.server)
        #expect(try pair.drain(pair.server).last == .closed)
    }

    @Test func endOfStreamWithoutCloseNotifyReadsAsClosed() throws {
        let pair = try Pair()
        try pair.handshake()
        try [UInt8]([9, 9]).withUnsafeBytes { try pair.server.write($0) }
        try pair.move(from: pair.server, to: pair.client)
        pair.client.feedEndOfStream()
        // Data fed before the end is still delivered.
        let (bytes, last) = try pair.drain(pair.client)
        #expect(bytes == [9, 9])
        #expect(last == .closed)
    }

    @Test func damagedRecordIsATLSErrorAndStaysFailed() throws {
        let pair = try Pair()
        try pair.handshake()
        try [UInt8]([1, 2, 3]).withUnsafeBytes { try pair.server.write($0) }
        var ciphertext = [UInt8](repeating: 0, count: 1024)
        let n = ciphertext.withUnsafeMutableBytes { pair.server.takeOutput(into: $0) }
        #expect(n > 5)
        ciphertext[n - 1] ^= 0xFF // flip bits in the authentication tag
        try ciphertext.withUnsafeBytes { try pair.client.feed(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        let first = #expect(throws: IgniteError.self) { try pair.drain(pair.client) }
        #expect(first?.code == .tls)
        #expect(first?.message.contains("bad record mac") == true || first?.message.contains("decryption failed") == true)
        let second = #expect(throws: IgniteError.self) { try [UInt8]([0]).withUnsafeBytes { try pair.client.write($0) } }
        #expect(second?.code == .tls)
        // A fatal alert for the peer is queued.
        #expect(pair.client.pendingOutput > 0)
    }

    @Test func nonTLSBytesFailTheHandshake() throws {
        let pair = try Pair()
        #expect(try pair.client.handshake() == .needsInput)
        let reply = Array("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)
        try reply.withUnsafeBytes { try pair.client.feed($0) }
        let error = #expect(throws: IgniteError.self) { try pair.client.handshake() }
        #expect(error?.code == .tls)
        #expect(error?.message.contains("wrong version number") == true || error?.message.contains("packet length") == true)
    }

    @Test func endOfStreamDuringTheHandshake() throws {
        let pair = try Pair()
        #expect(try pair.client.handshake() == .needsInput)
        pair.client.feedEndOfStream()
        let error = #expect(throws: IgniteError.self) { try pair.client.handshake() }
        #expect(error?.code == .tls)
        #expect(error?.message.contains("closed during the handshake") == true)
    }

    @Test func ipLiteralsAreRecognised() {
        #expect(IPAddressText.normalized("127.0.0.1") == "127.0.0.1")
        #expect(IPAddressText.normalized("::1") == "::1")
        #expect(IPAddressText.normalized("[::1]") == "::1")
        #expect(IPAddressText.normalized("fe80::1%eth0") == "fe80::1")
        #expect(IPAddressText.normalized("localhost") == nil)
        #expect(IPAddressText.normalized("10.0.0.256") == nil)
        #expect(IPAddressText.normalized("node-1.example.com") == nil)
    }
}
