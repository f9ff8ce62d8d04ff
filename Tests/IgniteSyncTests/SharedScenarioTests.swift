import Foundation
import IgniteSync
import IgniteScenarios
import IgniteTestNode
import Testing

/// IgniteSync's blocking `IgniteClient` as the shared scenarios see it (its calls run inline).
struct SyncScenarioClient: ScenarioClient {
    let client: IgniteClient

    static let open: ScenarioClientFactory = { configuration in
        SyncScenarioClient(client: try IgniteClient(configuration: configuration))
    }

    func createCache(_ configuration: CacheConfiguration) async throws { _ = try client.createCache(configuration) }
    func destroyCache(_ name: String) async throws { try client.cache(name).destroy() }
    func put<K: IgniteBinaryCodable & Sendable>(_ cache: String, _ key: K, _ value: String) async throws {
        try client.cache(cache).put(key, value)
    }
    func get<K: IgniteBinaryCodable & Sendable>(_ cache: String, _ key: K) async throws -> String? {
        try client.cache(cache).get(key, as: String.self)
    }
    func remove<K: IgniteBinaryCodable & Sendable>(_ cache: String, _ key: K) async throws -> Bool {
        try client.cache(cache).remove(key)
    }
    func size(_ cache: String) async throws -> Int { try client.cache(cache).size() }
    func close() { client.close() }
}

/// The integration scenarios shared with the async product (Tests/IgniteScenarios), run on IgniteSync.
@Suite("Shared scenarios on IgniteSync")
struct SyncSharedScenarioTests {
    @Test func oneNodeKeyValue() async throws {
        let outcome = try await Scenarios.oneNodeKeyValue(SyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
    }

    @Test func threeNodesWithNothingMisrouted() async throws {
        let outcome = try await Scenarios.threeNodesRouteToThePrimary(SyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        if !ScenarioEnvironment.isReal { #expect(outcome.misrouted == [0, 0, 0]) }
    }

    @Test(.disabled(if: ScenarioEnvironment.isReal, "needs the test node's fault injection"))
    func stalledReply() async throws {
        let outcome = try await Scenarios.stalledReply(SyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.faultError == .timeout)
        #expect(outcome.connectionsAccepted == [1])
    }

    @Test(.disabled(if: ScenarioEnvironment.isReal, "needs the test node's fault injection"),
          arguments: [TestNodeFault.garbageFrame, .truncatedFrame])
    func brokenFrame(_ fault: TestNodeFault) async throws {
        let outcome = try await Scenarios.brokenFrame(fault, SyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect([IgniteError.Code.protocolViolation, .connectionClosed, .reconnect].contains(outcome.faultError ?? .parse))
        #expect((outcome.connectionsAccepted.first ?? 0) >= 2)
    }

    @Test func wrongCredentials() async throws {
        let outcome = try await Scenarios.credentials(SyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
        #expect(outcome.faultError == .authentication)
    }

    @Test(.disabled(if: ScenarioEnvironment.isReal, "stops a test node"))
    func nodeKilledMidLoad() async throws {
        let outcome = try await Scenarios.nodeKilledMidLoad(SyncScenarioClient.open)
        #expect(outcome.failures.isEmpty, "\(outcome.failures)")
    }
}
