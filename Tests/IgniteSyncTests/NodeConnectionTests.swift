import Foundation
@testable import IgniteSync
import IgniteProtocol
import IgniteSockets
import Testing

/// A request whose body is one i64 token; the scripted server echoes the body.
struct EchoRequest: IgniteRequest {
    var opCode: OpCode = .cacheGet
    var token: Int64

    func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws { writer.writeInt64(token) }
    func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Int64 { try reader.readInt64() }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [String: Int] = [:]
    func add(_ key: String) { lock.lock(); values[key, default: 0] += 1; lock.unlock() }
    subscript(_ key: String) -> Int { lock.lock(); defer { lock.unlock() }; return values[key] ?? 0 }
}

@Suite("NodeConnection")
struct NodeConnectionTests {
    static func settings(username: String? = nil, password: String? = nil,
                         version: ProtocolVersion = .v1_7_0) -> NodeConnection.Settings {
        NodeConnection.Settings(machine: .init(initialVersion: version, username: username, password: password),
                                connectTimeout: .seconds(10), handshakeTimeout: .seconds(10),
                                maximumFrameLength: 1 << 24, transportFactory: TCPTransportFactory())
    }

    /// Echo server that answers requests in batches of `batch`, in reverse order, to force out-of-order delivery.
    static func reorderingServer(batch: Int) throws -> ScriptedServer {
        try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            var held: [(Int64, [UInt8])] = []
            while let request = peer.readRequest() {
                held.append((request.id, request.body))
                // Answer when the batch is full or when no more requests are already waiting.
                var pfd = pollfd(fd: peer.fd, events: Int16(POLLIN), revents: 0)
                if held.count >= batch || poll(&pfd, 1, 5) == 0 {
                    for (id, body) in held.reversed() { peer.respond(id: id, body: body) }
                    held.removeAll()
                }
            }
        }
    }

    @Test func pipelinedRequestsFromManyThreadsGetTheirOwnResponses() throws {
        let server = try Self.reorderingServer(batch: 4)
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: Self.settings(), observer: .init())
        defer { connection.close() }
        let outcomes = Counter()
        let group = startThreads(8) { thread in
            for i in 0..<300 {
                let token = Int64(thread * 1_000_000 + i)
                do {
                    let echoed = try connection.roundTrip(EchoRequest(token: token), timeout: .seconds(60))
                    outcomes.add(echoed == token ? "ok" : "WRONG")
                } catch {
                    outcomes.add("error \(error)")
                }
            }
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(outcomes["ok"] == 2400)
        #expect(outcomes["WRONG"] == 0)
        #expect(server.acceptedCount == 1)
    }

    @Test func stalledReplyHitsTheRequestTimeoutAndTheLateReplyIsDiscarded() throws {
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            var stalled: (Int64, [UInt8])?
            while let request = peer.readRequest() {
                if stalled == nil {
                    stalled = (request.id, request.body)  // hold the first request's reply
                    continue
                }
                if let late = stalled { peer.respond(id: late.0, body: late.1); stalled = (0, []) }
                peer.respond(id: request.id, body: request.body)
            }
        }
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: Self.settings(), observer: .init())
        defer { connection.close() }
        let error = try #require(throws: IgniteError.self) {
            try connection.roundTrip(EchoRequest(token: 1), timeout: .milliseconds(100))
        }
        #expect(error.code == .timeout)
        // The server now sends the late reply first, then this one: the late one is dropped, this one matches.
        #expect(try connection.roundTrip(EchoRequest(token: 2), timeout: .seconds(30)) == 2)
        #expect(!connection.isBroken)
    }

    @Test func garbageFrameFailsEveryPendingRequestAndTheConnection() throws {
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            _ = peer.readRequest()
            peer.write([0xff, 0xff, 0xff, 0xff, 1, 2, 3])
            _ = peer.readRequest()
        }
        defer { server.stop() }
        let lost = Counter()
        let connection = try NodeConnection.open(to: server.endpoint, settings: Self.settings(),
                                                 observer: .init(lost: { error, _ in lost.add("\(error.code)") }))
        let error = try #require(throws: IgniteError.self) {
            try connection.roundTrip(EchoRequest(token: 1), timeout: .seconds(30))
        }
        #expect(error.code == .protocolViolation)
        #expect(connection.isBroken)
        #expect(lost["protocolViolation"] == 1)
        let after = try #require(throws: IgniteError.self) { try connection.roundTrip(EchoRequest(token: 2), timeout: .seconds(5)) }
        #expect(after.code == .connectionClosed)
    }

    @Test func responseWithUnknownIdFailsTheConnection() throws {
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            if let request = peer.readRequest() { peer.respond(id: request.id + 1000, body: request.body) }
            _ = peer.readRequest()
        }
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: Self.settings(), observer: .init())
        let error = try #require(throws: IgniteError.self) { try connection.roundTrip(EchoRequest(token: 5), timeout: .seconds(30)) }
        #expect(error.code == .protocolViolation)
    }

    @Test func serverClosingMidRequestIsAConnectionError() throws {
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            _ = peer.readRequest()
            peer.close()
        }
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: Self.settings(), observer: .init())
        let error = try #require(throws: IgniteError.self) { try connection.roundTrip(EchoRequest(token: 5), timeout: .seconds(30)) }
        #expect(error.isConnectionFailure)
        #expect(connection.isBroken)
    }

    @Test func handshakeDowngradeOpensANewSocket() throws {
        let server = try ScriptedServer { peer in
            guard let payload = peer.readFrame(), let request = try? HandshakeRequest.decode(payload: payload) else { return }
            if request.version == .v1_7_0 {
                peer.write(HandshakeResponse.failure(serverVersion: .v1_6_0, message: "Unsupported version: 1.7.0", status: 1)
                    .frame(proposed: request.version))
                return
            }
            peer.write(HandshakeResponse.success(features: ProtocolFeatures(), nodeId: UUID()).frame(proposed: request.version))
            let context = ProtocolContext(version: request.version)
            while let r = peer.readRequest() { peer.respond(id: r.id, body: r.body, context: context) }
        }
        defer { server.stop() }
        let events = Counter()
        let connection = try NodeConnection.open(to: server.endpoint, settings: Self.settings(), observer: .init(),
                                                 events: { events.add(String(describing: $0).components(separatedBy: " ").first ?? "") })
        defer { connection.close() }
        #expect(connection.context.version == .v1_6_0)
        #expect(try connection.roundTrip(EchoRequest(token: 9), timeout: .seconds(30)) == 9)
        #expect(server.acceptedCount == 2)
        #expect(events["handshake"] == 3)
    }

    @Test func wrongCredentialsAreAnAuthenticationError() throws {
        let server = try ScriptedServer { peer in
            guard let payload = peer.readFrame(), let request = try? HandshakeRequest.decode(payload: payload) else { return }
            if request.username == "ignite", request.password == "ignite" {
                peer.write(HandshakeResponse.success(features: ProtocolFeatures(), nodeId: UUID()).frame(proposed: request.version))
            } else {
                peer.write(HandshakeResponse.failure(serverVersion: ProtocolVersion(0, 0, 0),
                                                     message: "The user name or password is incorrect [userName=\(request.username ?? "")]",
                                                     status: 2000).frame(proposed: request.version))
            }
            _ = peer.readFrame()
        }
        defer { server.stop() }
        let error = try #require(throws: IgniteError.self) {
            try NodeConnection.open(to: server.endpoint, settings: Self.settings(username: "ignite", password: "secret!"), observer: .init())
        }
        #expect(error.code == .authentication)
        #expect(error.serverStatus == 2000)
        #expect(!error.description.contains("secret!"))
        let ok = try NodeConnection.open(to: server.endpoint, settings: Self.settings(username: "ignite", password: "ignite"), observer: .init())
        ok.close()
    }

    @Test func closeWakesWaitersWithRequestsPending() throws {
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            while peer.readRequest() != nil {}
        }
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: Self.settings(), observer: .init())
        let outcomes = Counter()
        let group = startThreads(4) { i in
            do { _ = try connection.roundTrip(EchoRequest(token: Int64(i)), timeout: nil); outcomes.add("answered") } catch let e as IgniteError {
                outcomes.add("\(e.code)")
            } catch { outcomes.add("other") }
        }
        // Wait until the requests are in flight (bounded), then close.
        for _ in 0..<200 where connection.requestsSent < 4 { Thread.sleep(forTimeInterval: 0.01) }
        connection.close()
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(outcomes["connectionClosed"] == 4)
    }
}
