import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

/// The test node's GridGain atomic sequence (OP 9030–9034) on the wire: emulated in GridGain mode with each node's
/// own reserved range (`GridCacheAtomicSequenceImpl`), absent in Apache mode (status 2, as a server without the op).
@Suite("Test node: atomic sequence (GridGain mode)")
struct AtomicSequenceNodeTests {
    private func writeName(_ w: inout BinaryWriter, _ name: String) {
        w.writeStringObject(name)
        w.writeOptionalStringObject(nil)
    }

    @Test func eachNodeServesItsOwnRange() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 2))
        defer { cluster.shutdown() }
        let first = try RawClient.connected(cluster.endpoints[0])
        let second = try RawClient.connected(cluster.endpoints[1])
        // Create with a reserve size of 10: node 0 takes 0 ... 9, the global counter moves to 10.
        let created = try first.request(OpCode(9030)) { w in
            w.writeStringObject("seq")
            w.writeInt64(0)
            w.writeBool(true)
            w.writeInt32(10)
            w.writeInt8(2)
            w.writeInt32(0)
            w.writeOptionalStringObject(nil)
        }
        #expect(created.isSuccess)
        var get0 = try first.request(OpCode(9033)) { writeName(&$0, "seq") }
        #expect(try get0.body.readInt64() == 0)
        // Node 1 first sees the sequence now: it reserves 10 ... 19.
        var get1 = try second.request(OpCode(9033)) { writeName(&$0, "seq") }
        #expect(try get1.body.readInt64() == 10)
        var add1 = try second.request(OpCode(9034)) { w in writeName(&w, "seq"); w.writeInt64(1) }
        #expect(try add1.body.readInt64() == 11)
        var add0 = try first.request(OpCode(9034)) { w in writeName(&w, "seq"); w.writeInt64(3) }
        #expect(try add0.body.readInt64() == 3)
        // Past node 0's range: a new one from the global counter (20).
        var jump = try first.request(OpCode(9034)) { w in writeName(&w, "seq"); w.writeInt64(7) }
        #expect(try jump.body.readInt64() == 20)
        var exists = try first.request(OpCode(9032)) { writeName(&$0, "seq") }
        #expect(try exists.body.readBool())
        #expect(try first.request(OpCode(9031)) { writeName(&$0, "seq") }.isSuccess)
        let gone = try second.request(OpCode(9033)) { writeName(&$0, "seq") }
        #expect(gone.header.status == 1011)
        #expect(gone.header.errorMessage == "AtomicSequence with name 'seq' does not exist.")
        #expect(try second.request(OpCode(9031)) { writeName(&$0, "seq") }.isSuccess, "removing a missing sequence does nothing")
    }

    @Test func apacheModeHasNoSequencesAndNoInvoke() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(maxVersion: .v1_7_0))
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        #expect(!client.context.has(FeatureBit(34)))
        #expect(!client.context.has(FeatureBit(19)))
        for op in [OpCode(9030), OpCode(9033), OpCode(1024)] {
            let response = try client.request(op)
            #expect(response.header.status == 2)
            #expect(response.header.errorMessage == "Invalid request op code: \(op.rawValue)")
        }
    }
}
