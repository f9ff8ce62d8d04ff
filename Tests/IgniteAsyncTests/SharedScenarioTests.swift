import Foundation
import IgniteAsync
import IgniteScenarios
import IgniteTestNode
import Testing

/// IgniteAsync's `IgniteClient` as the shared scenarios see it.
struct AsyncScenarioClient: ScenarioClient {
    let client: IgniteClient

    static let open: ScenarioClientFactory = { configuration in
        AsyncScenarioClient(client: try await IgniteClient(configuration: configuration))
    }

    func createCache(_ configuration: CacheConfiguration) async throws { _ = try await client.createCache(configuration) }
    func destroyCache(_ name: String) async throws { try await client.cache(name).destroy() }
    func put<K: IgniteBinaryCodable & Sendable>(_ cache: String, _ key: K, _ value: String) async throws {
        try await client.cache(cache).put(key, value)
    }
    func get<K: IgniteBinaryCodable & Sendable>(_ cache: String, _ key: K) async throws -> String? {
        try await client.cache(cache).get(key, as: String.self)
    }
    func remove<K: IgniteBinaryCodable & Sendable>(_ cache: String, _ key: K) async throws -> Bool {
        try await client.cache(cache).remove(key)
    }
    func size(_ cache: String) async throws -> Int { try await client.cache(cache).size() }
    func close() { client.close() }
}

/// The integration scenarios shared with the blocking product (Tests/IgniteScenarios), run on IgniteAsync.
@Suite("Shared scenarios on IgniteAsync", .timeLimit(.minutes(10)))
struct AsyncSharedScenarioTests {
    @Test func oneNodeKeyValue() async throws {
        let outcome = try await Scenarios.oneNodeKeyValue(AsyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
    }

    @Test func threeNodesWithNothingMisrouted() async throws {
        let outcome = try await Scenarios.threeNodesRouteToThePrimary(AsyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        if !ScenarioEnvironment.isReal { #expect(outcome.misrouted == [0, 0, 0]) }
    }

    @Test(.disabled(if: ScenarioEnvironment.isReal, "needs the test node's fault injection"))
    func stalledReply() async throws {
        let outcome = try await Scenarios.stalledReply(AsyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.faultError == .timeout)
        #expect(outcome.connectionsAccepted == [1])
    }

    @Test(.disabled(if: ScenarioEnvironment.isReal, "needs the test node's fault injection"),
          arguments: [TestNodeFault.garbageFrame, .truncatedFrame])
    func brokenFrame(_ fault: TestNodeFault) async throws {
        let outcome = try await Scenarios.brokenFrame(fault, AsyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect([IgniteError.Code.protocolViolation, .connectionClosed, .reconnect].contains(outcome.faultError ?? .parse))
        #expect((outcome.connectionsAccepted.first ?? 0) >= 2)
    }

    @Test func wrongCredentials() async throws {
        let outcome = try await Scenarios.credentials(AsyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.faultError == .authentication)
    }

    @Test(.disabled(if: ScenarioEnvironment.isReal, "stops a test node"))
    func nodeKilledMidLoad() async throws {
        let outcome = try await Scenarios.nodeKilledMidLoad(AsyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
    }
}
