import Foundation

/// A cache's primary-partition map: partition → the node that is primary for it.
///
/// Built from one applicable group of an OP_CACHE_PARTITIONS response. The number of partitions is the largest
/// listed partition id + 1, as in the Java client; a partition nobody listed has no owner.
package struct PartitionMap: Hashable, Sendable {
    /// The nodes that own at least one partition, in the order the server listed them.
    public let nodeIds: [UUID]
    /// For each partition, the index of its owner in ``nodeIds``, or -1 if no node listed it.
    private let owners: [Int32]

    /// Builds a map from the node entries of a group.
    ///
    /// - Parameter nodes: Each node with its primary partitions.
    /// - Throws: ``IgniteError/Code/parse`` for a negative partition id or one beyond
    ///   ``RendezvousAffinity/maximumPartitionCount``, and for a partition listed for two nodes.
    public init(nodes: [CachePartitionsResponse.NodePartitions]) throws {
        var maxPart: Int32 = -1
        for node in nodes {
            for part in node.partitions {
                guard part >= 0, Int(part) < RendezvousAffinity.maximumPartitionCount else {
                    throw IgniteError.parse("partition id \(part) of node \(node.nodeId) is outside 0..<\(RendezvousAffinity.maximumPartitionCount)")
                }
                if part > maxPart { maxPart = part }
            }
        }
        var owners = [Int32](repeating: -1, count: Int(maxPart) + 1)
        var ids: [UUID] = []
        for node in nodes where !node.partitions.isEmpty {
            let index = Int32(ids.count)
            ids.append(node.nodeId)
            for part in node.partitions {
                let slot = Int(part)
                guard owners[slot] == -1 || owners[slot] == index else {
                    throw IgniteError.parse("partition \(part) is listed as primary for two nodes")
                }
                owners[slot] = index
            }
        }
        self.nodeIds = ids
        self.owners = owners
    }

    /// The number of partitions: the largest listed partition id + 1.
    public var partitionCount: Int { owners.count }

    /// Whether the map lists no partition at all.
    public var isEmpty: Bool { owners.isEmpty }

    /// The primary node of `partition`.
    /// - Parameter partition: A partition id.
    /// - Returns: The node id, or `nil` if the partition is out of range or unowned.
    public func primaryNode(forPartition partition: Int) -> UUID? {
        guard partition >= 0, partition < owners.count else { return nil }
        let index = Int(owners[partition])
        guard index >= 0, index < nodeIds.count else { return nil }
        return nodeIds[index]
    }

    /// The partition of a key hash in this map (Rendezvous function).
    /// - Parameter keyHash: The Java `hashCode()` of the affinity key.
    /// - Returns: The partition, or `nil` for an empty map.
    public func partition(forKeyHash keyHash: Int32) -> Int? {
        guard !owners.isEmpty else { return nil }
        return RendezvousAffinity.partition(hash: keyHash, partitions: owners.count)
    }

    /// The primary node of the partition a key hash falls into.
    /// - Parameter keyHash: The Java `hashCode()` of the affinity key.
    /// - Returns: The node id, or `nil` if the map is empty or the partition has no owner.
    public func primaryNode(forKeyHash keyHash: Int32) -> UUID? {
        guard let partition = partition(forKeyHash: keyHash) else { return nil }
        return primaryNode(forPartition: partition)
    }

    /// The primary partitions of one node, ascending.
    /// - Parameter nodeId: The node id.
    /// - Returns: Its partitions (empty if it owns none).
    public func partitions(ownedBy nodeId: UUID) -> [Int] {
        guard let index = nodeIds.firstIndex(of: nodeId) else { return [] }
        let target = Int32(index)
        return owners.indices.filter { owners[$0] == target }
    }
}
