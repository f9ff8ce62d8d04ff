import Foundation
import IgniteProtocol
import IgniteSockets
import IgniteTLS
import Testing

/// SecureTransport's behaviour around closing, timeouts, failures and concurrent use.
@Suite("TLS transport")
struct TLSTransportTests {
    private func connect(_ server: TLSTestServer, timeout: Duration = .seconds(30)) throws -> SecureTransport {
        try TLSTestConnector(configuration: TestPKI.trustingClient)
            .connectTLS(to: IgniteEndpoint(host: "localhost", port: server.endpoint.port), timeout: timeout)
    }

    @Test func closeWakesABlockedReader() throws {
        let server = try TLSTestServer(behaviour: .hold)
        defer { server.shutdown() }
        let transport = try connect(server)
        let outcome = Outcome()
        let started = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            started.signal()
            var buffer = [UInt8](repeating: 0, count: 16)
            do {
                let n = try buffer.withUnsafeMutableBytes { try transport.read(into: $0, timeout: nil) }
                outcome.set("returned \(n)")
            } catch let error as IgniteError {
                outcome.set("\(error.code)")
            } catch {
                outcome.set("\(error)")
            }
        }
        started.wait()
        // Wait until the reader is inside read (it holds the read lock), so close really meets a blocked reader.
        var polls = 0
        while !transport.hasReader, polls < 60_000 {
            usleep(1000)
            polls += 1
        }
        #expect(transport.hasReader)
        transport.close()
        #expect(outcome.wait() == "connectionClosed")
    }

    @Test func closeIsIdempotentAndLaterCallsFail() throws {
        let server = try TLSTestServer(behaviour: .echo)
        defer { server.shutdown() }
        let transport = try connect(server)
        #expect(try TLSTest.echo(transport, [1, 2]) == [1, 2])
        transport.close()
        transport.close()
        let writeError = #expect(throws: IgniteError.self) { try [UInt8]([1]).withUnsafeBytes { try transport.write($0) } }
        #expect(writeError?.code == .connectionClosed)
        let readError = #expect(throws: IgniteError.self) { try TLSTest.readExactly(transport, count: 1) }
        #expect(readError?.code == .connectionClosed)
    }

    @Test func closeSendsCloseNotify() throws {
        let received = Outcome()
        let server = try TLSTestServer(behaviour: .custom { tls, _ in
            var buffer = [UInt8](repeating: 0, count: 16)
            do {
                let n = try buffer.withUnsafeMutableBytes { try tls.read(into: $0, timeout: .seconds(60)) }
                received.set(n == 0 ? "end of stream" : "\(n) bytes")
            } catch {
                received.set("\(error)")
            }
        })
        defer { server.shutdown() }
        let transport = try connect(server)
        #expect(server.waitForHandshakes(1))
        transport.close()
        #expect(received.wait() == "end of stream")
    }

    @Test func peerCloseReadsAsEndOfStream() throws {
        let server = try TLSTestServer(behaviour: .custom { tls, _ in
            try? [UInt8]([42]).withUnsafeBytes { try tls.write($0) }
            tls.close()
        })
        defer { server.shutdown() }
        let transport = try connect(server)
        defer { transport.close() }
        #expect(try TLSTest.readExactly(transport, count: 1) == [42])
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try transport.read(into: $0, timeout: .seconds(60)) } == 0)
    }

    @Test func endOfStreamWithoutCloseNotifyReadsAsEndOfStream() throws {
        let server = try TLSTestServer(behaviour: .custom { tls, socket in
            try? [UInt8]([43]).withUnsafeBytes { try tls.write($0) }
            socket.close() // TCP close under TLS, no close_notify
        })
        defer { server.shutdown() }
        let transport = try connect(server)
        defer { transport.close() }
        #expect(try TLSTest.readExactly(transport, count: 1) == [43])
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try buffer.withUnsafeMutableBytes { try transport.read(into: $0, timeout: .seconds(60)) } == 0)
    }

    @Test func readTimeoutLeavesTheConnectionUsable() throws {
        let server = try TLSTestServer(behaviour: .echo)
        defer { server.shutdown() }
        let transport = try connect(server)
        defer { transport.close() }
        var buffer = [UInt8](repeating: 0, count: 16)
        let error = #expect(throws: IgniteError.self) {
            try buffer.withUnsafeMutableBytes { try transport.read(into: $0, timeout: .milliseconds(20)) }
        }
        #expect(error?.code == .timeout)
        #expect(try TLSTest.echo(transport, [5, 6, 7]) == [5, 6, 7])
    }

    @Test func handshakeTimesOutAgainstASilentServer() throws {
        // Accepts TCP but never answers the ClientHello.
        let listener = try LoopbackListener()
        let held = Held()
        listener.start { socket in held.keep(socket) }
        defer {
            listener.stop()
            held.closeAll()
        }
        let factory = try TLSTestConnector(configuration: TestPKI.trustingClient)
        let error = #expect(throws: IgniteError.self) {
            try factory.connect(to: IgniteEndpoint(host: "127.0.0.1", port: listener.endpoint.port), timeout: .milliseconds(300))
        }
        #expect(error?.code == .timeout)
    }

    @Test func plainTCPServerFailsTheHandshake() throws {
        let listener = try LoopbackListener()
        listener.start { socket in
            try? Array("HTTP/1.1 400 Bad Request\r\n\r\n".utf8).withUnsafeBytes { try socket.write($0) }
            socket.close()
        }
        defer { listener.stop() }
        let factory = try TLSTestConnector(configuration: TestPKI.trustingClient)
        let error = #expect(throws: IgniteError.self) {
            try factory.connect(to: IgniteEndpoint(host: "127.0.0.1", port: listener.endpoint.port), timeout: .seconds(30))
        }
        #expect(error?.code == .tls)
    }

    @Test func damagedRecordFromThePeerIsATLSErrorAndTheAlertReachesIt() throws {
        // After the handshake the server writes bytes that look like a TLS record but are not encrypted; the
        // client's reader fails and sends a fatal alert (output produced while reading), which the server sees.
        let alert = Outcome()
        let server = try TLSTestServer(behaviour: .custom { _, socket in
            let fake: [UInt8] = [0x17, 0x03, 0x03, 0x00, 0x20] + [UInt8](repeating: 0xAB, count: 32)
            try? fake.withUnsafeBytes { try socket.write($0) }
            var buffer = [UInt8](repeating: 0, count: 64)
            let n = (try? buffer.withUnsafeMutableBytes { try socket.read(into: $0, timeout: nil) }) ?? 0
            // An encrypted TLS 1.3 alert travels as an application-data record (type 23).
            alert.set(n >= 5 ? "record type \(buffer[0])" : "nothing")
        })
        defer { server.shutdown() }
        let transport = try connect(server)
        defer { transport.close() }
        let error = #expect(throws: IgniteError.self) { try TLSTest.readExactly(transport, count: 1) }
        #expect(error?.code == .tls)
        #expect(error?.message.contains("SSL routines") == true)
        #expect(alert.wait() == "record type 23")
    }

    @Test func concurrentReaderAndWriterOnOneConnection() throws {
        // One thread streams 4 MiB in uneven pieces while another reads the echo: the transport's contract.
        let server = try TLSTestServer(behaviour: .echo)
        defer { server.shutdown() }
        let transport = try connect(server)
        defer { transport.close() }
        let payload = TLSTest.bytes(4 * 1024 * 1024, seed: 7)
        let writeResult = Outcome()
        Thread.detachNewThread {
            do {
                var offset = 0
                var step = 1
                while offset < payload.count {
                    let end = min(payload.count, offset + step)
                    try payload[offset..<end].withUnsafeBytes { try transport.write($0) }
                    offset = end
                    step = step * 3 % 200_000 + 1
                }
                writeResult.set("ok")
            } catch {
                writeResult.set("\(error)")
            }
        }
        let echoed = try TLSTest.readExactly(transport, count: payload.count)
        #expect(writeResult.wait() == "ok")
        #expect(echoed == payload)
    }
}

/// A one-time result from another thread.
final class Outcome: @unchecked Sendable {
    private let lock = NSLock()
    private let ready = DispatchSemaphore(value: 0)
    private var value: String?

    func set(_ text: String) {
        lock.withLock { value = text }
        ready.signal()
    }

    /// The value, waiting for it (hang guard: 60 s).
    func wait() -> String? {
        guard ready.wait(timeout: .now() + 60) == .success else { return "timed out waiting" }
        return lock.withLock { value }
    }
}

/// Sockets a test keeps open.
final class Held: @unchecked Sendable {
    private let lock = NSLock()
    private var sockets: [AcceptedSocket] = []
    func keep(_ socket: AcceptedSocket) { lock.withLock { sockets.append(socket) } }
    func closeAll() { for socket in lock.withLock({ sockets }) { socket.close() } }
}
