import Foundation
@testable import IgniteAsync
import IgniteProtocol
import IgniteTestNode
import Testing

/// Opens a raw async connection to a test node.
func openConnection(_ endpoint: IgniteEndpoint, loop: EventLoop, username: String? = nil, password: String? = nil,
                    initialVersion: ProtocolVersion = .preferred,
                    observer: AsyncConnection.Observer = .init()) async throws -> AsyncConnection {
    let settings = AsyncConnection.Settings(
        machine: ConnectionStateMachine.Configuration(initialVersion: initialVersion, username: username, password: password),
        connectTimeout: .seconds(10), handshakeTimeout: .seconds(10), maximumFrameLength: FrameDecoder.defaultMaximumFrameLength)
    return try await AsyncConnection.open(to: endpoint, settings: settings, loop: loop, observer: observer)
}

@Suite("Async connection against the test node", .timeLimit(.minutes(10)))
struct AsyncConnectionTests {
    @Test func handshakeAndPipelinedRequests() async throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1))
        defer { cluster.shutdown() }
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let connection = try await openConnection(cluster.endpoints[0], loop: loop)
        defer { connection.close() }
        #expect(connection.context.version == .preferred)
        try await connection.roundTrip(CacheGetOrCreateWithNameRequest(name: "async-conn"), timeout: .seconds(30))
        let cache = CacheInfo(cacheName: "async-conn")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<500 {
                group.addTask {
                    let key = EncodedValue(.int(Int32(i)))
                    try await connection.roundTrip(CachePutRequest(cache: cache, key: key, value: EncodedValue(.int(Int32(i * 2)))),
                                                   timeout: .seconds(30))
                    let value = try await connection.roundTrip(CacheGetRequest(cache: cache, key: key), timeout: .seconds(30))
                    #expect(value == .int(Int32(i * 2)))
                }
            }
            try await group.waitForAll()
        }
        #expect(connection.pendingCount == 0)
        #expect(cluster.nodes[0].connectionsAccepted == 1)
    }

    @Test func downgradeReconnectsWithTheServersVersion() async throws {
        var configuration = TestNodeConfiguration(nodeCount: 1)
        configuration.maxVersion = .v1_4_0
        let cluster = try IgniteTestCluster(configuration)
        defer { cluster.shutdown() }
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let connection = try await openConnection(cluster.endpoints[0], loop: loop)
        defer { connection.close() }
        #expect(connection.context.version == .v1_4_0)
        let names = try await connection.roundTrip(CacheGetNamesRequest(), timeout: .seconds(30))
        #expect(names.isEmpty)
    }
}
