import Foundation
import IgniteProtocol
import IgniteSockets
import Testing

@Suite("TCPTransport")
struct TCPTransportTests {
    private func readExactly(_ transport: any IgniteTransport, _ count: Int,
                             timeout: Duration? = .seconds(30)) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while result.count < count {
            let n = try chunk.withUnsafeMutableBytes { try transport.read(into: $0, timeout: timeout) }
            if n == 0 { break }
            result += chunk[0..<n]
        }
        return result
    }

    /// `payload` behind its length, as the protocol frames it.
    private static func frame(_ payload: [UInt8]) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeInt32(Int32(payload.count))
        writer.writeBytes(payload)
        return writer.bytes
    }

    /// A server that sends every frame back, each after `delay`.
    private static func echoServer(delay: TimeInterval = 0) throws -> ScriptedServer {
        try ScriptedServer { peer in
            while let payload = peer.readFrame() {
                if delay > 0 { Thread.sleep(forTimeInterval: delay) }
                peer.write(frame(payload))
            }
        }
    }

    @Test func echoesLargePayloadsThroughPartialReadsAndWrites() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let transport = try TCPTransportFactory().connect(to: server.endpoint, timeout: .seconds(10))
        defer { transport.close() }
        let payload = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        try Self.frame(payload).withUnsafeBytes { try transport.write($0) }
        let echoed = try readExactly(transport, payload.count + 4)
        #expect(echoed.count == payload.count + 4)
        #expect(Array(echoed.dropFirst(4)) == payload)
        #expect(transport.endpoint == server.endpoint)
    }

    @Test func resolvesHostNamesAndIPv6Loopback() throws {
        let server = try ScriptedServer { peer in _ = peer.readFrame() }
        defer { server.stop() }
        let byName = try TCPTransport.connect(to: IgniteEndpoint(host: "localhost", port: server.port), timeout: .seconds(10))
        byName.close()
        // The scripted server listens on IPv4 only: an IPv6 literal must resolve and then fail to connect, cleanly.
        let v6 = try IgniteEndpoint(parsing: "[::1]:\(server.port)")
        #expect(v6.host == "::1")
        do {
            let transport = try TCPTransport.connect(to: v6, timeout: .seconds(5))
            transport.close()
        } catch let error as IgniteError {
            #expect(error.code == .socket || error.code == .timeout)
        }
    }

    @Test func unresolvableHostIsASocketError() throws {
        let error = try #require(throws: IgniteError.self) {
            try TCPTransport.connect(to: IgniteEndpoint(host: "no-such-host.invalid", port: 10800), timeout: .seconds(10))
        }
        #expect(error.code == .socket)
    }

    @Test func refusedConnectionIsASocketError() throws {
        // Bind a server, stop it: its port is (almost certainly) closed now.
        let server = try ScriptedServer { _ in }
        let port = server.port
        server.stop()
        let error = try #require(throws: IgniteError.self) {
            try TCPTransport.connect(to: IgniteEndpoint(host: "127.0.0.1", port: port), timeout: .seconds(10))
        }
        #expect(error.code == .socket)
    }

    @Test func readTimesOutWhenNothingArrives() throws {
        let server = try ScriptedServer { peer in _ = peer.readFrame() }
        defer { server.stop() }
        let transport = try TCPTransport.connect(to: server.endpoint, timeout: .seconds(10))
        defer { transport.close() }
        let error = try #require(throws: IgniteError.self) {
            try readExactly(transport, 1, timeout: .milliseconds(50))
        }
        #expect(error.code == .timeout)
    }

    @Test func closeWakesABlockedReaderAndIsIdempotent() throws {
        let server = try ScriptedServer { peer in _ = peer.readFrame() }
        defer { server.stop() }
        let transport = try TCPTransport.connect(to: server.endpoint, timeout: .seconds(10))
        let finished = DispatchSemaphore(value: 0)
        let outcome = OutcomeBox()
        Thread {
            var buffer = [UInt8](repeating: 0, count: 16)
            do {
                let n = try buffer.withUnsafeMutableBytes { try transport.read(into: $0, timeout: nil) }
                outcome.set("read \(n)")
            } catch let error as IgniteError {
                outcome.set("\(error.code)")
            } catch {
                outcome.set("other")
            }
            finished.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.05)
        transport.close()
        transport.close()
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(outcome.get() == "connectionClosed")
        let error = try #require(throws: IgniteError.self) {
            try readExactly(transport, 1, timeout: nil)
        }
        #expect(error.code == .connectionClosed)
        #expect(throws: IgniteError.self) { try [1, 2, 3].withUnsafeBytes { try transport.write($0) } }
    }

    /// The inode of what `fd` refers to now, or nil if it is not open.
    private static func inode(of fd: Int32) -> UInt64? {
        var info = stat()
        guard fstat(fd, &info) == 0 else { return nil }
        return UInt64(info.st_ino)
    }

    @Test("close() releases the descriptor at once when no call is under way, else when the last one returns")
    func closeReleasesTheDescriptor() throws {
        let server = try ScriptedServer { peer in _ = peer.readFrame() }
        defer { server.stop() }
        // Idle: released by close() itself, while the transport is still referenced.
        let idle = try TCPTransport.connect(to: server.endpoint, timeout: .seconds(10))
        let idleSocket = try #require(Self.inode(of: idle.descriptorNumber))
        idle.close()
        // (The number may already name another test's new descriptor, but never this socket again.)
        #expect(Self.inode(of: idle.descriptorNumber) != idleSocket)
        withExtendedLifetime(idle) {}

        // A reader blocked in recv: close() wakes it, and the descriptor goes once the read has returned.
        let busy = try TCPTransport.connect(to: server.endpoint, timeout: .seconds(10))
        let busySocket = try #require(Self.inode(of: busy.descriptorNumber))
        let finished = DispatchSemaphore(value: 0)
        Thread {
            var buffer = [UInt8](repeating: 0, count: 16)
            _ = try? buffer.withUnsafeMutableBytes { try busy.read(into: $0, timeout: nil) }
            finished.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.05)
        busy.close()
        #expect(finished.wait(timeout: .now() + 30) == .success)
        #expect(Self.inode(of: busy.descriptorNumber) != busySocket)
        withExtendedLifetime(busy) {}
    }

    @Test("close() racing a writer and a reader: every call returns or fails as closed, none hangs")
    func closeRacingCalls() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        for round in 0..<20 {
            let transport = try TCPTransport.connect(to: server.endpoint, timeout: .seconds(10))
            let group = DispatchGroup()
            let unexpected = OutcomeBox()
            for worker in 0..<2 {  // the contract: one reader and one writer at a time
                group.enter()
                Thread {
                    defer { group.leave() }
                    let frame = Self.frame([UInt8(truncatingIfNeeded: worker), UInt8(truncatingIfNeeded: round)])
                    var buffer = [UInt8](repeating: 0, count: 64)
                    for _ in 0..<200 {
                        do {
                            if worker == 0 {
                                try frame.withUnsafeBytes { try transport.write($0, timeout: .seconds(10)) }
                            } else {
                                let n = try buffer.withUnsafeMutableBytes { try transport.read(into: $0, timeout: .seconds(10)) }
                                if n == 0 { return }
                            }
                        } catch let error as IgniteError where [.connectionClosed, .socket].contains(error.code) {
                            return
                        } catch {
                            unexpected.set("\(error)")
                            return
                        }
                    }
                }.start()
            }
            Thread.sleep(forTimeInterval: 0.002 * Double(round % 5))
            transport.close()
            #expect(group.wait(timeout: .now() + 60) == .success, "round \(round)")
            #expect(unexpected.get() == nil, "round \(round)")
            let error = try #require(throws: IgniteError.self) { try [1].withUnsafeBytes { try transport.write($0) } }
            #expect(error.code == .connectionClosed)
        }
    }

    @Test func peerCloseReadsAsEndOfStreamAndWriteDoesNotRaiseSIGPIPE() throws {
        let server = try ScriptedServer { peer in peer.close() }
        defer { server.stop() }
        let transport = try TCPTransport.connect(to: server.endpoint, timeout: .seconds(10))
        defer { transport.close() }
        var buffer = [UInt8](repeating: 0, count: 16)
        let n = try buffer.withUnsafeMutableBytes { try transport.read(into: $0, timeout: .seconds(30)) }
        #expect(n == 0)
        // Writing to a reset connection must throw, not kill the process with SIGPIPE.
        let big = [UInt8](repeating: 1, count: 1 << 20)
        var failed = false
        for _ in 0..<20 {
            do { try big.withUnsafeBytes { try transport.write($0) } } catch let error as IgniteError {
                #expect(error.code == .socket)
                failed = true
                break
            }
        }
        #expect(failed)
    }
}

extension TCPTransportTests {
    /// A peer that stops reading fills the socket buffers; a write with a time limit fails instead of blocking.
    @Test func aWriteToAPeerThatStoppedReadingTimesOut() throws {
        let release = DispatchSemaphore(value: 0)
        let server = try ScriptedServer { _ in _ = release.wait(timeout: .now() + 60) }
        defer {
            release.signal()
            server.stop()
        }
        let options = IgniteTCPOptions(sendBufferSize: 64 * 1024)
        let transport = try TCPTransportFactory(options: options).connect(to: server.endpoint, timeout: .seconds(10))
        defer { transport.close() }
        let big = [UInt8](repeating: 7, count: 64 << 20)
        let error = try #require(throws: IgniteError.self) {
            try big.withUnsafeBytes { try transport.write($0, timeout: .milliseconds(200)) }
        }
        #expect(error.code == .timeout)
    }
}

/// A time limit on a read is the socket's receive timeout, kept between reads: these check that it never outlives the
/// read that set it.
extension TCPTransportTests {
    @Test func aReadWithoutALimitAfterATimedOutOneWaitsForItsData() throws {
        let server = try Self.echoServer(delay: 0.3)  // well past the first read's limit
        defer { server.stop() }
        let transport = try TCPTransport.connect(to: server.endpoint, timeout: .seconds(10))
        defer { transport.close() }
        let error = try #require(throws: IgniteError.self) {
            try readExactly(transport, 1, timeout: .milliseconds(50))
        }
        #expect(error.code == .timeout)
        try Self.frame([1, 2, 3]).withUnsafeBytes { try transport.write($0) }
        #expect(try readExactly(transport, 7, timeout: nil) == [3, 0, 0, 0, 1, 2, 3])
    }

    @Test func eachTimedReadHoldsItsOwnLimit() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let transport = try TCPTransport.connect(to: server.endpoint, timeout: .seconds(10))
        defer { transport.close() }
        // A limit beyond any platform's range for the option (it is set a day at a time).
        try Self.frame([200]).withUnsafeBytes { try transport.write($0) }
        #expect(try readExactly(transport, 5, timeout: .seconds(Int64(1) << 40)) == [1, 0, 0, 0, 200])
        // A run of reads under one long limit (the receive timeout is set once and kept) gets every reply.
        for i in 0..<50 {
            try Self.frame([UInt8(i)]).withUnsafeBytes { try transport.write($0) }
            #expect(try readExactly(transport, 5, timeout: .seconds(60)) == [1, 0, 0, 0, UInt8(i)])
        }
        // A short limit after the long one: the read gives up at its own limit, not the 60 s one left on the socket.
        let clock = ContinuousClock()
        let started = clock.now
        var buffer = [UInt8](repeating: 0, count: 16)
        let short = try #require(throws: IgniteError.self) {
            try readExactly(transport, 1, timeout: .milliseconds(100))
        }
        #expect(short.code == .timeout)
        #expect(clock.now - started < .seconds(30))
        // No time left: one look without waiting.
        let none = try #require(throws: IgniteError.self) {
            try readExactly(transport, 1, timeout: .zero)
        }
        #expect(none.code == .timeout)
        // A timed read after it gets its reply; and a read with no time left returns data that is already there.
        try Self.frame([9]).withUnsafeBytes { try transport.write($0) }
        #expect(try readExactly(transport, 5, timeout: .seconds(60)) == [1, 0, 0, 0, 9])
        try Self.frame([8]).withUnsafeBytes { try transport.write($0) }
        var waited = 0
        var got: [UInt8] = []
        while got.count < 5, waited < 3000 {
            do {
                let n = try buffer.withUnsafeMutableBytes { try transport.read(into: $0, timeout: .zero) }
                got += buffer[0..<n]
            } catch let error as IgniteError where error.code == .timeout {
                Thread.sleep(forTimeInterval: 0.01)
                waited += 1
            }
        }
        #expect(got == [1, 0, 0, 0, 8])
    }
}

final class OutcomeBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: String?
    func set(_ text: String) { lock.lock(); value = text; lock.unlock() }
    func get() -> String? { lock.lock(); defer { lock.unlock() }; return value }
}
