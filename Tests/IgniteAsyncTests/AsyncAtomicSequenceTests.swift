import Foundation
import IgniteAsync
import IgniteProtocol
import IgniteTestNode
import Testing

/// GridGain's atomic sequence through the async product: the test node in its GridGain mode emulates it, its Apache
/// mode does not (the client refuses with a typed error first). On a real cluster: whichever the server is.
@Suite("Async atomic sequence (GridGain)", .timeLimit(.minutes(10)))
struct AsyncAtomicSequenceTests {
    @Test(arguments: [1, 3])
    func concurrentTasksGetUniqueValues(nodes: Int) async throws {
        try await AsyncBeyondEnvironment.withClient(nodes: nodes) { (client, cluster) throws in
            let name = AsyncBeyondEnvironment.uniqueName("swift-async-seq")
            guard try await client.protocolContext().isGridGain else {
                await #expect(throws: IgniteError.self) { try await client.atomicSequence(name) }
                return
            }
            #expect(try await client.existingAtomicSequence(name) == nil)
            let sequence = try await client.atomicSequence(name, initialValue: 1, batchSize: 5)
            let start = sequence.get()
            // A real server's own sequence instance reserves a range first (atomicSequenceReserveSize, 1,000 by
            // default), so a thin client's first value may lie beyond the initial value: seen 1,001 on GridGain 8.10.
            if nodes == 1, cluster != nil { #expect(start == 1) }
            #expect(start >= 1)
            #expect(try await sequence.incrementAndGet() == start + 1)
            #expect(try await sequence.getAndAdd(2) == start + 1)
            #expect(try await sequence.addAndGet(1) == start + 4)
            cluster?.nodes.forEach { $0.resetCounters() }
            let other = try #require(try await client.existingAtomicSequence(name, batchSize: 4))
            let values = try await withThrowingTaskGroup(of: Int64.self) { group in
                for i in 0..<200 {
                    group.addTask { try await (i % 2 == 0 ? sequence : other).incrementAndGet() }
                }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(values.count == 200)
            #expect(Set(values).count == 200, "no value handed out twice")
            // Never a value the first handle already handed out. Not necessarily above them: on a real cluster each
            // node's own sequence instance reserves ranges of its own, so a reservation served by another node can
            // lie below (seen once in a full run on three GridGain 8.10 nodes).
            #expect(values.allSatisfy { !(start...(start + 4)).contains($0) })
            if let nodes = cluster?.nodes {
                #expect(nodes.map(\.misroutedDataStructureRequests) == Array(repeating: 0, count: nodes.count))
            }
            await #expect(throws: IgniteError.self) { try await sequence.getAndAdd(-1) }
            #expect(try await !sequence.isRemoved())
            try await sequence.remove()
            #expect(try await other.isRemoved())
            #expect(try await client.existingAtomicSequence(name) == nil)
        }
    }

    @Test(.disabled(if: AsyncBeyondEnvironment.isReal, "uses the test node's Apache mode"))
    func apacheServersRefuseWithATypedError() async throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(maxVersion: .v1_7_0))
        defer { cluster.shutdown() }
        let client = try await IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
        defer { client.close() }
        #expect(try await !client.protocolContext().isGridGain)
        let error = try await #require(throws: IgniteError.self) { try await client.atomicSequence("s") }
        #expect(error.code == .notSupportedByCluster)
        #expect(cluster.nodes[0].requestCount(OpCode(9030)) == 0, "refused before anything was sent")
    }
}
