import Foundation
import IgniteProtocol

/// The primary and backup ranking of every partition over the running members, computed exactly as Ignite's
/// `RendezvousAffinityFunction.assignPartition` does (apache/ignite, `modules/core/src/main/java/org/apache/ignite/cache/
/// affinity/rendezvous/RendezvousAffinityFunction.java`):
///
/// ```java
/// Object nodeHash = resolveNodeHash(node);              // node.consistentId()
/// long hash = hash(nodeHash.hashCode(), part);          // Wang/Jenkins 64-bit mix of (consistentId hash, partition)
/// ... Arrays.sort(arr, COMPARATOR)                      // ascending hash, ties by node id; first = primary
/// ```
///
/// Checked against a real GridGain 8.10 cluster (captures/partitions.jsonl): consistent ids `node-10800…10802` give
/// 335/329/360 primaries of 1024, the 4th node `node-10803` 252/230/270/272, and the 32-partition cache 4/11/17 —
/// partition for partition. So a client can neither rely on a simplified ownership pattern nor be misled by one.
struct PartitionAssignment: Sendable {
    /// For each partition, member positions (into ``ClusterData/members``) best first.
    var ranking: [[Int]]

    init(partitions: Int, members: [ClusterMember]) {
        let nodeHashes = members.map { JavaHash.string($0.consistentId) }
        let nodeIds = members.map { $0.nodeId.igniteBits }
        ranking = (0..<partitions).map { partition in
            // `if (nodes.size() <= 1) return nodes;`
            guard members.count > 1 else { return Array(members.indices) }
            let hashes = nodeHashes.map { PartitionAssignment.hash($0, Int32(truncatingIfNeeded: partition)) }
            return members.indices.sorted { a, b in
                if hashes[a] != hashes[b] { return hashes[a] < hashes[b] }
                // `o1.get2().id().compareTo(o2.get2().id())`: java.util.UUID compares the signed halves.
                return (nodeIds[a].msb, nodeIds[a].lsb) < (nodeIds[b].msb, nodeIds[b].lsb)
            }
        }
    }

    /// `RendezvousAffinityFunction.hash(int key0, int key1)`: packs (key0, key1) into a long and mixes it.
    static func hash(_ key0: Int32, _ key1: Int32) -> Int64 {
        var key = Int64(UInt32(bitPattern: key0)) | (Int64(UInt32(bitPattern: key1)) << 32)
        key = (~key) &+ (key << 21)
        key ^= Int64(bitPattern: UInt64(bitPattern: key) >> 24)
        key = key &+ (key << 3) &+ (key << 8)
        key ^= Int64(bitPattern: UInt64(bitPattern: key) >> 14)
        key = key &+ (key << 2) &+ (key << 4)
        key ^= Int64(bitPattern: UInt64(bitPattern: key) >> 28)
        key = key &+ (key << 31)
        return key
    }
}
