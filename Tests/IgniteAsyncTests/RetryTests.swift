import Foundation
import IgniteAsync
import IgniteProtocol
import IgniteScenarios
import Testing

/// The first attempt of an operation, on the connection at hand, fails: the operation machine then decides, as for
/// any later attempt (a read is retried on a new connection; a write is not, by default).
/// Counts by name, from any thread.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func add(_ name: String) { lock.withLock { counts[name, default: 0] += 1 } }
    subscript(name: String) -> Int { lock.withLock { counts[name, default: 0] } }
}

@Suite("IgniteAsync retries", .timeLimit(.minutes(10)))
struct AsyncRetryTests {
    /// A server whose first connection drops after reading its first request; later connections answer every get
    /// with the int 7 and every other request with an empty success. `requests` counts the requests read.
    private static func droppingFirstServer(requests: Tally) throws -> ScriptedServer {
        let connections = Tally()
        return try ScriptedServer { peer in
            connections.add("accepted")
            let first = connections["accepted"] == 1
            guard peer.acceptHandshake() != nil else { return }
            while let request = peer.readRequest() {
                requests.add("op \(request.op)")
                if first {
                    peer.close()
                    return
                }
                peer.respond(id: request.id, body: request.op == OpCode.cacheGet.rawValue ? [3, 7, 0, 0, 0] : [])
            }
        }
    }

    @Test func aReadWhoseFirstAttemptLosesItsConnectionIsRetried() async throws {
        let requests = Tally()
        let server = try Self.droppingFirstServer(requests: requests)
        defer { server.stop() }
        var configuration = IgniteClientConfiguration(endpoints: [server.endpoint])
        configuration.partitionAwareness = false
        let client = try await IgniteClient(configuration: configuration)
        defer { client.close() }
        let value = try await client.cache("retried").get(Int32(1), as: Int32.self)
        #expect(value == 7)
        #expect(requests["op \(OpCode.cacheGet.rawValue)"] == 2)  // the lost attempt, then the retry
        #expect(server.acceptedCount == 2)
    }

    @Test func aWriteWhoseFirstAttemptLosesItsConnectionIsNotRetriedByDefault() async throws {
        let requests = Tally()
        let server = try Self.droppingFirstServer(requests: requests)
        defer { server.stop() }
        var configuration = IgniteClientConfiguration(endpoints: [server.endpoint])
        configuration.partitionAwareness = false
        let client = try await IgniteClient(configuration: configuration)
        defer { client.close() }
        let error = await #expect(throws: IgniteError.self) {
            try await client.cache("not-retried").put(Int32(1), Int32(1))
        }
        #expect(error?.code == .connectionClosed || error?.code == .socket)
        #expect(requests["op \(OpCode.cachePut.rawValue)"] == 1)
        // The client recovers: the next read goes out on a new connection.
        #expect(try await client.cache("not-retried").get(Int32(1), as: Int32.self) == 7)
    }
}
