import Foundation
@testable import IgniteSync
import IgniteProtocol
import IgniteSockets
import Testing

/// A server notification frame: `i64 resourceId, i16 flags (NOTIFICATION), i16 op, body`.
private func notificationFrame(resource: Int64, op: OpCode = .computeTaskFinished, body: IgniteValue) -> [UInt8] {
    var writer = BinaryWriter()
    writer.writeInt32(0)
    ResponseHeader(requestId: resource, notificationOpCode: op).encode(into: &writer, context: ProtocolContext(version: .v1_7_0))
    writer.writeValue(body)
    writer.setInt32(Int32(writer.count - 4), at: 0)
    return writer.bytes
}

private func replyFrame(id: Int64, body: [UInt8]) -> [UInt8] {
    var writer = BinaryWriter()
    writer.writeInt32(0)
    ResponseHeader(requestId: id).encode(into: &writer, context: ProtocolContext(version: .v1_7_0))
    writer.writeBytes(body)
    writer.setInt32(Int32(writer.count - 4), at: 0)
    return writer.bytes
}

@Suite("NodeConnection notifications")
struct NodeConnectionNotificationTests {
    /// The reply naming the task and the task's result arrive in one read: the result is kept for the waiter.
    @Test func aResultReadWithTheReplyIsKept() throws {
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil, let start = peer.readRequest() else { return }
            peer.write(replyFrame(id: start.id, body: start.body) + notificationFrame(resource: 77, body: .string("done")))
            _ = peer.readRequest()
        }
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: NodeConnectionTests.settings(), observer: .init())
        defer { connection.close() }
        let taskId = try connection.roundTrip(EchoRequest(token: 77), timeout: .seconds(30))
        let response = try connection.awaitNotification(resourceId: taskId, opCode: .computeTaskFinished, timeout: .seconds(30))
        #expect(try ComputeTaskFinished.result(of: response) == .string("done"))
    }

    /// A thread waiting for a result reads the connection; another thread's pipelined request is answered meanwhile,
    /// and the result comes only after that reply.
    @Test func otherRequestsFlowWhileAThreadWaitsForAResult() throws {
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil, let start = peer.readRequest() else { return }
            peer.respond(id: start.id, body: start.body)
            guard let other = peer.readRequest() else { return }
            peer.respond(id: other.id, body: other.body)
            peer.write(notificationFrame(resource: 5, body: .int(42)))
            _ = peer.readRequest()
        }
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: NodeConnectionTests.settings(), observer: .init())
        defer { connection.close() }
        let taskId = try connection.roundTrip(EchoRequest(token: 5), timeout: .seconds(30))
        let result = Counter()
        let done = DispatchSemaphore(value: 0)
        Thread {
            if let response = try? connection.awaitNotification(resourceId: taskId, opCode: .computeTaskFinished, timeout: .seconds(30)),
               (try? ComputeTaskFinished.result(of: response)) == .int(42) {
                result.add("result")
            }
            done.signal()
        }.start()
        #expect(try connection.roundTrip(EchoRequest(token: 9), timeout: .seconds(30)) == 9)
        #expect(done.wait(timeout: .now() + 30) == .success)
        #expect(result["result"] == 1)
    }

    /// No result within the wait: `.timeout`, and the connection stays usable.
    @Test func aWaitWithoutAResultTimesOut() throws {
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            while let request = peer.readRequest() { peer.respond(id: request.id, body: request.body) }
        }
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: NodeConnectionTests.settings(), observer: .init())
        defer { connection.close() }
        let error = try #require(throws: IgniteError.self) {
            try connection.awaitNotification(resourceId: 3, opCode: .computeTaskFinished, timeout: .milliseconds(50))
        }
        #expect(error.code == .timeout)
        #expect(try connection.roundTrip(EchoRequest(token: 4), timeout: .seconds(30)) == 4)
    }
}
