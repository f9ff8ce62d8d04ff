import Foundation
import IgniteAsync
import IgniteProtocol
import IgniteScenarios
import Testing

/// The first attempt of an operation, on the connection at hand, fails: the operation machine then decides, as for
/// any later attempt (a read is retried on a new connection; a write is not, by default).
@Suite("IgniteAsync retries", .timeLimit(.minutes(10)))
struct AsyncRetryTests {
    private static func client(_ server: ScriptedServer) async throws -> IgniteClient {
        var configuration = IgniteClientConfiguration(endpoints: [server.endpoint])
        configuration.partitionAwareness = false
        return try await IgniteClient(configuration: configuration)
    }

    @Test func aReadWhoseFirstAttemptLosesItsConnectionIsRetried() async throws {
        let requests = RequestTally()
        let server = try ScriptedServer.droppingTheFirstRequest(counting: requests)
        defer { server.stop() }
        let client = try await Self.client(server)
        defer { client.close() }
        let value = try await client.cache("retried").get(Int32(1), as: Int32.self)
        #expect(value == 7)
        #expect(requests[.cacheGet] == 2)  // the lost attempt, then the retry
        #expect(server.acceptedCount == 2)
    }

    @Test func aWriteWhoseFirstAttemptLosesItsConnectionIsNotRetriedByDefault() async throws {
        let requests = RequestTally()
        let server = try ScriptedServer.droppingTheFirstRequest(counting: requests)
        defer { server.stop() }
        let client = try await Self.client(server)
        defer { client.close() }
        let error = await #expect(throws: IgniteError.self) {
            try await client.cache("not-retried").put(Int32(1), Int32(1))
        }
        #expect(error?.code == .connectionClosed || error?.code == .socket)
        #expect(requests[.cachePut] == 1)
        // The client recovers: the next read goes out on a new connection.
        #expect(try await client.cache("not-retried").get(Int32(1), as: Int32.self) == 7)
    }
}
