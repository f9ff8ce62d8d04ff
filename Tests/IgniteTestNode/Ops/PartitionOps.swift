import IgniteProtocol

extension RequestHandler {
    /// OP_CACHE_PARTITIONS: `i32 n, i32 cacheId × n` → the topology version and the partition-awareness groups.
    ///
    /// Like the real server (SERVER-BEHAVIOUR §9), every applicable cache of the cluster joins the first applicable
    /// group, whose map is that of the first applicable cache asked for; the requested non-applicable caches form one
    /// non-applicable group. Missing caches are left out.
    func cachePartitions(_ reader: inout BinaryReader) throws -> OpResult {
        let request = try CachePartitionsRequest.decode(from: &reader, context: context)
        // System caches of data structures answer when asked for by id.
        let structureCaches = core.structures.withLock { $0.structureCaches }
        return core.data.withLock { data in
            guard data.state != .inactive else { return .failure(ServerStatus.failed, ServerMessages.inactive) }
            func record(_ id: Int32) -> CacheConfigurationRecord? { data.caches[id]?.configuration ?? structureCaches[id] }
            let present = request.cacheIds.filter { record($0) != nil }
            let applicable = present.filter { record($0)?.isPartitioned ?? false }
            let notApplicable = present.filter { !(record($0)?.isPartitioned ?? true) }
            var groups: [CachePartitionsResponse.Group] = []
            if let first = applicable.first, let mapping = record(first) {
                var members = applicable
                for id in data.cacheOrder where !members.contains(id) && (data.caches[id]?.configuration.isPartitioned ?? false) {
                    members.append(id)
                }
                let caches = members.map { id in
                    CachePartitionsResponse.Cache(cacheId: id, keyConfigurations: (record(id)?.keyConfigurations ?? []).map {
                        CachePartitionsResponse.KeyConfiguration(keyTypeId: JavaHash.typeId($0.typeName),
                                                                 affinityKeyFieldId: JavaHash.fieldId($0.affinityKeyFieldName))
                    })
                }
                let nodes = primaryPartitions(&data, mapping).map {
                    CachePartitionsResponse.NodePartitions(nodeId: $0.0.nodeId, partitions: $0.1.map(Int32.init))
                }
                groups.append(CachePartitionsResponse.Group(isApplicable: true, caches: caches, nodes: nodes))
            }
            if !notApplicable.isEmpty {
                groups.append(CachePartitionsResponse.Group(isApplicable: false, caches: notApplicable.map { CachePartitionsResponse.Cache(cacheId: $0) }))
            }
            let response = CachePartitionsResponse(topologyVersion: data.topology, groups: groups)
            return .body { response.encode(into: &$0, context: context) }
        }
    }

    /// OP_CACHE_NODE_PARTITIONS (deprecated): `i32 cacheId, i8 flags` → per node: port, addresses, primary partitions.
    func nodePartitions(_ reader: inout BinaryReader) throws -> OpResult {
        let request = try CacheNodePartitionsRequest.decode(from: &reader)
        return core.data.withLock { data in
            guard let cache = data.caches[request.cacheId] else {
                return .failure(ServerStatus.cacheDoesNotExist, ServerMessages.cacheDoesNotExist(request.cacheId))
            }
            let nodes = primaryPartitions(&data, cache.configuration).map { member, parts in
                CacheNodePartitionsResponse.Node(port: Int32(member.port), addresses: [member.host], partitions: parts.map(Int32.init))
            }
            let response = CacheNodePartitionsResponse(nodes: nodes)
            return .body { response.encode(into: &$0) }
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
