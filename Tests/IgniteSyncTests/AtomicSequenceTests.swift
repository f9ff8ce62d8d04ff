import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// GridGain's atomic sequence end to end: on the test node in its GridGain mode (it answers bit 34 and emulates
/// OP 9030–9034 with per-node ranges, as `GridCacheAtomicSequenceImpl` keeps them), refused with a typed error in its
/// Apache mode. Against a real cluster (`IGNITE_TEST_ADDRESSES`) the tests check whichever the server is.
@Suite("Atomic sequence (GridGain)")
struct AtomicSequenceEndToEndTests {
    /// One worker's values (each worker writes only its own box; read after all workers finished).
    final class Box: @unchecked Sendable { var values: [Int64] = [] }

    /// Whether the client's server is GridGain (on the test node: always, in its default mode).
    static func isGridGain(_ client: IgniteClient) throws -> Bool { try client.protocolContext().isGridGain }

    @Test func valuesComeFromReservedRanges() throws {
        try TestEnvironment.withClient(nodes: 1) { client, cluster in
            let name = TestEnvironment.uniqueName("swift-seq")
            guard try Self.isGridGain(client) else {
                let error = try #require(throws: IgniteError.self) { try client.atomicSequence(name) }
                #expect(error.code == .notSupportedByCluster)
                return
            }
            #expect(try client.existingAtomicSequence(name) == nil)
            let sequence = try client.atomicSequence(name, initialValue: 100, batchSize: 10)
            defer { try? sequence.remove() }
            #expect(sequence.batchSize == 10)
            // 100 on one node; a real cluster's owner node may have reserved its own server range further on.
            let start = sequence.get()
            if !TestEnvironment.isReal { #expect(start == 100) }
            let node = cluster.testCluster?.nodes.first
            node?.resetCounters()
            #expect(try sequence.incrementAndGet() == start + 1)   // reserves start+1 ... start+10
            #expect(try sequence.getAndIncrement() == start + 1)
            #expect(try sequence.addAndGet(5) == start + 7)
            #expect(try sequence.getAndAdd(3) == start + 7)
            #expect(sequence.get() == start + 10)
            if let node { #expect(node.requestCount(OpCode(9034)) == 1, "one reservation served four updates") }
            #expect(try sequence.incrementAndGet() == start + 11)   // the range ran out: a second reservation
            if let node { #expect(node.requestCount(OpCode(9034)) == 2) }

            let zero = try #require(throws: IgniteError.self) { try sequence.addAndGet(0) }
            #expect(zero.code == .parameter)
            #expect(throws: IgniteError.self) { try sequence.setBatchSize(0) }
            try sequence.setBatchSize(1000)
            #expect(sequence.batchSize == 1000)

            // Another handle reserves its own range: never a value the first handle hands out.
            let other = try #require(try client.existingAtomicSequence(name, batchSize: 10))
            let fromOther = try other.incrementAndGet()
            #expect(fromOther > start + 21)
            #expect(try !sequence.isRemoved())
            try sequence.remove()
            #expect(try sequence.isRemoved())
            #expect(try client.existingAtomicSequence(name) == nil)
            let gone = try #require(throws: IgniteError.self) { try sequence.addAndGet(10_000) }
            #expect(gone.serverStatus == 1011)
            #expect(gone.message.contains("does not exist"))
            try sequence.remove()   // removing a missing sequence does nothing
        }
    }

    @Test func concurrentHandlesNeverRepeatAValueAndRequestsGoToTheOwner() throws {
        try TestEnvironment.withClient(nodes: TestEnvironment.isReal ? 1 : 3) { client, cluster in
            let name = TestEnvironment.uniqueName("swift-seq-many")
            guard try Self.isGridGain(client) else { return }
            let first = try client.atomicSequence(name, initialValue: 0, batchSize: 7)
            defer { try? first.remove() }
            let second = try #require(try client.existingAtomicSequence(name, batchSize: 3))
            cluster.testCluster?.nodes.forEach { $0.resetCounters() }
            let perWorker = (0..<8).map { _ in Box() }
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                let handle = worker % 2 == 0 ? first : second
                var mine: [Int64] = []
                for _ in 0..<50 {
                    // incrementAndGet only: getAndIncrement returns the handle's current value, which the last
                    // incrementAndGet returned too (as `AtomicLong` does).
                    if let value = try? handle.incrementAndGet() { mine.append(value) }
                }
                perWorker[worker].values = mine
            }
            let seen = perWorker.flatMap(\.values)
            #expect(seen.count == 400)
            #expect(Set(seen).count == seen.count, "no value handed out twice")
            if let nodes = cluster.testCluster?.nodes {
                #expect(nodes.map(\.misroutedDataStructureRequests) == [0, 0, 0])
                #expect(nodes.map(\.dataStructureRequests.received).reduce(0, +) > 0)
            }
        }
    }

    /// The sample of Docs/DATA-STRUCTURES.md, as written (below), against the test node.
    @Test(.disabled(if: TestEnvironment.isReal, "the test node's GridGain mode"))
    func documentationSample() throws {
        try TestEnvironment.withClient(nodes: 1) { client, cluster in
            let ids = try orderIds(client: client)
            #expect(ids == Array(1001...1250))
            #expect(cluster.testCluster?.nodes.first?.requestCount(OpCode(9034)) == 3)
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "uses the test node's Apache mode"))
    func apacheServersRefuseWithATypedError() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(maxVersion: .v1_7_0))
        defer { cluster.shutdown() }
        let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
        defer { client.close() }
        #expect(try !client.protocolContext().isGridGain)
        let error = try #require(throws: IgniteError.self) { try client.atomicSequence("s") }
        #expect(error.code == .notSupportedByCluster)
        #expect(error.message.contains("GridGain"))
        #expect(throws: IgniteError.self) { try client.existingAtomicSequence("s") }
        #expect(cluster.nodes[0].requestCount(OpCode(9030)) == 0, "refused before anything was sent")
        // Atomic longs work on both lines.
        #expect(try client.atomicLong("l", initialValue: 3).incrementAndGet() == 4)
    }
}

// The sample of Docs/DATA-STRUCTURES.md (atomic sequence), as written.
func orderIds(client: IgniteClient) throws -> [Int64] {
    // Created with 1000 the first time; this handle reserves 100 values per request.
    let ids = try client.atomicSequence("doc-order-ids", initialValue: 1000, batchSize: 100)
    defer { try? ids.remove() }                   // removes it from the cluster
    var taken: [Int64] = []
    for _ in 0..<250 { taken.append(try ids.incrementAndGet()) }   // three requests, not 250
    return taken
}
