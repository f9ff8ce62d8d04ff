import IgniteProtocol

// Interim server-direction encoders for OP_CACHE_PARTITIONS (1101) and OP_CACHE_NODE_PARTITIONS (1100); to be
// replaced by IgniteProtocol's affinity response encoder once it is in main.

extension RequestHandler {
    /// OP_CACHE_PARTITIONS: `i32 n, i32 cacheId × n` → the topology version and the partition-awareness groups.
    ///
    /// Like the real server (SERVER-BEHAVIOUR §9), every applicable cache of the cluster joins the first applicable
    /// group, whose map is that of the first applicable cache asked for; the requested non-applicable caches form one
    /// non-applicable group. Missing caches are left out.
    func cachePartitions(_ reader: inout BinaryReader) throws -> OpResult {
        let n = try reader.readCount(minimumItemSize: 4)
        var requested: [Int32] = []
        for _ in 0..<n { requested.append(try reader.readInt32()) }
        return core.data.withLock { data in
            guard data.state != .inactive else { return .failure(ServerStatus.failed, ServerMessages.inactive) }
            let present = requested.filter { data.caches[$0] != nil }
            let applicable = present.filter { data.caches[$0]?.configuration.isPartitioned ?? false }
            let notApplicable = present.filter { !(data.caches[$0]?.configuration.isPartitioned ?? true) }
            var writer = BinaryWriter(capacity: 256)
            writer.writeInt64(data.topology.major)
            writer.writeInt32(data.topology.minor)
            var groups = 0
            let groupCountAt = writer.reserveBytes(4)
            if let first = applicable.first, let mapping = data.caches[first]?.configuration {
                groups += 1
                var members = applicable
                for id in data.cacheOrder where !members.contains(id) && (data.caches[id]?.configuration.isPartitioned ?? false) {
                    members.append(id)
                }
                writer.writeBool(true)
                writer.writeInt32(Int32(members.count))
                for id in members {
                    writer.writeInt32(id)
                    let keys = data.caches[id]?.configuration.keyConfigurations ?? []
                    writer.writeInt32(Int32(keys.count))
                    for key in keys {
                        writer.writeInt32(JavaHash.typeId(key.typeName ?? ""))
                        writer.writeInt32(JavaHash.fieldId(key.affinityKeyFieldName ?? ""))
                    }
                }
                let partitions = primaryPartitions(&data, mapping)
                writer.writeInt32(Int32(partitions.count))
                for (member, parts) in partitions {
                    writer.writeUUIDObject(member.nodeId)
                    writer.writeInt32(Int32(parts.count))
                    for p in parts { writer.writeInt32(Int32(p)) }
                }
            }
            if !notApplicable.isEmpty {
                groups += 1
                writer.writeBool(false)
                writer.writeInt32(Int32(notApplicable.count))
                for id in notApplicable { writer.writeInt32(id) }
            }
            writer.setInt32(Int32(groups), at: groupCountAt)
            return .success(writer.bytes)
        }
    }

    /// OP_CACHE_NODE_PARTITIONS (deprecated): `i32 cacheId, i8 flags` → per node: port, addresses, primary partitions.
    func nodePartitions(_ reader: inout BinaryReader) throws -> OpResult {
        let info = try CacheInfo.read(&reader)
        return core.data.withLock { data in
            guard let cache = data.caches[info.cacheId] else {
                return .failure(ServerStatus.cacheDoesNotExist, ServerMessages.cacheDoesNotExist(info.cacheId))
            }
            let partitions = primaryPartitions(&data, cache.configuration)
            return .body { writer in
                writer.writeInt32(Int32(partitions.count))
                for (member, parts) in partitions {
                    writer.writeInt32(Int32(member.port))
                    writer.writeInt32(1)
                    writer.writeStringObject(member.host)
                    writer.writeInt32(Int32(parts.count))
                    for p in parts { writer.writeInt32(Int32(p)) }
                }
            }
        }
    }

    /// The primary partitions of every member that has some, ascending, in member order.
    private func primaryPartitions(_ data: inout ClusterData, _ cache: CacheConfigurationRecord) -> [(ClusterMember, [Int])] {
        let count = data.partitionCount(cache)
        let ranking = data.assignment(partitions: count).ranking
        var byMember = [[Int]](repeating: [], count: data.members.count)
        for (partition, order) in ranking.enumerated() {
            if let primary = order.first { byMember[primary].append(partition) }
        }
        return data.members.indices.compactMap { byMember[$0].isEmpty ? nil : (data.members[$0], byMember[$0]) }
    }
}
