import Foundation
import IgniteProtocol
import IgniteScenarios
import IgniteSync
import Testing

/// The first attempt of an operation loses its connection: the operation machine decides, as for any later attempt
/// (a read is retried on a new connection; a write is not, by default). The twin of the async product's
/// `AsyncRetryTests`.
@Suite("IgniteSync retries")
struct SyncRetryTests {
    private static func client(_ server: ScriptedServer) throws -> IgniteClient {
        var configuration = IgniteClientConfiguration(endpoints: [server.endpoint])
        configuration.partitionAwareness = false
        return try IgniteClient(configuration: configuration)
    }

    @Test func aReadWhoseFirstAttemptLosesItsConnectionIsRetried() throws {
        let requests = RequestTally()
        let server = try ScriptedServer.droppingTheFirstRequest(counting: requests)
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.close() }
        #expect(try client.cache("retried").get(Int32(1), as: Int32.self) == 7)
        #expect(requests[.cacheGet] == 2)  // the lost attempt, then the retry
        #expect(server.acceptedCount == 2)
    }

    @Test func aWriteWhoseFirstAttemptLosesItsConnectionIsNotRetriedByDefault() throws {
        let requests = RequestTally()
        let server = try ScriptedServer.droppingTheFirstRequest(counting: requests)
        defer { server.stop() }
        let client = try Self.client(server)
        defer { client.close() }
        let error = try #require(throws: IgniteError.self) { try client.cache("not-retried").put(Int32(1), Int32(1)) }
        #expect(error.code == .connectionClosed || error.code == .socket)
        #expect(requests[.cachePut] == 1)
        // The client recovers: the next read goes out on a new connection.
        #expect(try client.cache("not-retried").get(Int32(1), as: Int32.self) == 7)
    }
}
