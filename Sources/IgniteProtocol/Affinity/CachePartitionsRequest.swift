import Foundation

/// OP_CACHE_PARTITIONS (1101, ≥ 1.4.0): asks the server for the primary-partition map of caches.
///
/// Body: `[Apache bit 13 only: bool withCustomMappings], i32 n, i32 cacheId × n`.
///
/// The client never requests feature bit 13 (``FeatureBit/allAffinityMappings``), but if a context has it the
/// request writes the extra bool (false) so that the server reads the body correctly.
///
/// Because of a server bug (every applicable cache is reported in the first applicable group, whatever its
/// partition count), a partition-aware client asks for **one cache per request** and trusts a group's map only
/// for the cache it asked about; see ``PartitionAwarenessState``.
package struct CachePartitionsRequest: IgniteRequest, Hashable {
    /// The decoded response.
    public typealias Response = CachePartitionsResponse

    /// The ids of the caches whose maps are asked for.
    public var cacheIds: [Int32]
    /// Apache bit 13 only: ask for maps of caches with custom affinity functions too. Written only when the
    /// context has bit 13; the client leaves it `false`.
    public var withCustomMappings: Bool

    /// Creates a request.
    /// - Parameters:
    ///   - cacheIds: The caches to map.
    ///   - withCustomMappings: Written only when bit 13 was negotiated.
    public init(cacheIds: [Int32], withCustomMappings: Bool = false) {
        self.cacheIds = cacheIds
        self.withCustomMappings = withCustomMappings
    }

    /// Creates a request for one cache.
    /// - Parameter cacheId: The cache to map.
    public init(cacheId: Int32) {
        self.init(cacheIds: [cacheId])
    }

    /// ``OpCode/cachePartitions``.
    public var opCode: OpCode { .cachePartitions }

    /// Writes `[bool], i32 n, i32 × n`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below protocol 1.4.0;
    ///   ``IgniteError/Code/parameter`` for more than `Int32.max` ids.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard context.supportsPartitionAwareness else {
            throw IgniteError(.notSupportedByCluster, "OP_CACHE_PARTITIONS needs protocol 1.4.0; the connection speaks \(context.version)")
        }
        guard cacheIds.count <= Int(Int32.max) else {
            throw IgniteError.parameter("too many cache ids for one OP_CACHE_PARTITIONS request: \(cacheIds.count)")
        }
        if context.has(.allAffinityMappings) { writer.writeBool(withCustomMappings) }
        writer.writeInt32(Int32(cacheIds.count))
        for id in cacheIds { writer.writeInt32(id) }
    }

    /// Reads the response body; see ``CachePartitionsResponse/decode(from:context:)``.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> CachePartitionsResponse {
        try CachePartitionsResponse.decode(from: &reader, context: context)
    }

    /// Reads a request body (server direction, used by the test node).
    /// - Parameters:
    ///   - reader: Positioned at the body (after the request id).
    ///   - context: The connection's negotiated context (bit 13 adds the leading bool).
    /// - Returns: The request.
    /// - Throws: ``IgniteError/Code/parse`` for a truncated body or a hostile count.
    public static func decode(from reader: inout BinaryReader, context: ProtocolContext) throws -> CachePartitionsRequest {
        let custom = context.has(.allAffinityMappings) ? try reader.readBool() : false
        let rawCount = try reader.readInt32()
        let count = try reader.checkCount(rawCount, elementSize: 4)
        var ids: [Int32] = []
        ids.reserveCapacity(count)
        for _ in 0..<count { ids.append(try reader.readInt32()) }
        return CachePartitionsRequest(cacheIds: ids, withCustomMappings: custom)
    }
}

/// The body of an OP_CACHE_PARTITIONS (1101) response: partition-awareness groups at one affinity topology version.
///
/// Layout: `i64 major, i32 minor, i32 groupCount`, then per group `bool applicable, i32 cacheCount`,
/// per cache `i32 cacheId` and, if applicable, `i32 keyCfgCount, (i32 keyTypeId, i32 affinityKeyFieldId) × keyCfgCount`;
/// then, if applicable, `i32 nodeCount, (UUID object, i32 partCount, i32 partition × partCount) × nodeCount`,
/// and with Apache bit 13 a trailing `bool isDefaultAffinity`.
///
/// A requested cache that does not exist, or whose assignment is not ready, is simply absent (0 groups).
package struct CachePartitionsResponse: Hashable, Sendable {
    /// A key configuration of a cache: keys of type `keyTypeId` are routed by their field `affinityKeyFieldId`.
    public struct KeyConfiguration: Hashable, Sendable {
        /// The binary type id of the key type.
        public var keyTypeId: Int32
        /// The field id of the affinity key field in that type.
        public var affinityKeyFieldId: Int32

        /// Creates a key configuration.
        /// - Parameters:
        ///   - keyTypeId: The key's binary type id.
        ///   - affinityKeyFieldId: The affinity field's id.
        public init(keyTypeId: Int32, affinityKeyFieldId: Int32) {
            self.keyTypeId = keyTypeId
            self.affinityKeyFieldId = affinityKeyFieldId
        }
    }

    /// One cache of a group.
    public struct Cache: Hashable, Sendable {
        /// The cache id.
        public var cacheId: Int32
        /// The cache's key configurations (always empty in a group that is not applicable).
        public var keyConfigurations: [KeyConfiguration]

        /// Creates a cache entry.
        /// - Parameters:
        ///   - cacheId: The cache id.
        ///   - keyConfigurations: Its key configurations.
        public init(cacheId: Int32, keyConfigurations: [KeyConfiguration] = []) {
            self.cacheId = cacheId
            self.keyConfigurations = keyConfigurations
        }

        /// The affinity key field id for keys of type `keyTypeId`, if configured.
        /// - Parameter keyTypeId: The key's binary type id.
        /// - Returns: The field id, or `nil`.
        public func affinityKeyFieldId(keyTypeId: Int32) -> Int32? {
            keyConfigurations.first { $0.keyTypeId == keyTypeId }?.affinityKeyFieldId
        }
    }

    /// The primary partitions of one server node.
    public struct NodePartitions: Hashable, Sendable {
        /// The node id (as the node reports it in its handshake).
        public var nodeId: UUID
        /// The partitions the node is primary for.
        public var partitions: [Int32]

        /// Creates a node entry.
        /// - Parameters:
        ///   - nodeId: The node id.
        ///   - partitions: Its primary partitions.
        public init(nodeId: UUID, partitions: [Int32]) {
            self.nodeId = nodeId
            self.partitions = partitions
        }
    }

    /// A group of caches that share one partition map (or that are all not applicable).
    public struct Group: Hashable, Sendable {
        /// Whether partition awareness applies (partitioned cache, default Rendezvous affinity, no node filter).
        public var isApplicable: Bool
        /// The caches of the group.
        public var caches: [Cache]
        /// The partition map: each node with its primary partitions (empty when not applicable).
        public var nodes: [NodePartitions]
        /// Apache bit 13 only: whether the default affinity function is used. `nil` when not on the wire.
        public var isDefaultAffinity: Bool?

        /// Creates a group.
        /// - Parameters:
        ///   - isApplicable: Whether partition awareness applies.
        ///   - caches: The caches.
        ///   - nodes: The node → primary partitions map.
        ///   - isDefaultAffinity: Bit 13 only.
        public init(isApplicable: Bool, caches: [Cache], nodes: [NodePartitions] = [], isDefaultAffinity: Bool? = nil) {
            self.isApplicable = isApplicable
            self.caches = caches
            self.nodes = nodes
            self.isDefaultAffinity = isDefaultAffinity
        }

        /// The number of partitions as the Java client counts it: the largest partition id + 1 (0 if none).
        public var partitionCount: Int {
            var maxPart: Int32 = -1
            for node in nodes {
                for part in node.partitions where part > maxPart { maxPart = part }
            }
            return Int(maxPart) + 1
        }

        /// The cache entry with `cacheId`, if the group lists it.
        /// - Parameter cacheId: The cache id.
        /// - Returns: The entry, or `nil`.
        public func cache(_ cacheId: Int32) -> Cache? {
            caches.first { $0.cacheId == cacheId }
        }
    }

    /// The affinity topology version the map belongs to.
    public var topologyVersion: AffinityTopologyVersion
    /// The groups.
    public var groups: [Group]

    /// Creates a response.
    /// - Parameters:
    ///   - topologyVersion: The affinity topology version.
    ///   - groups: The groups.
    public init(topologyVersion: AffinityTopologyVersion, groups: [Group]) {
        self.topologyVersion = topologyVersion
        self.groups = groups
    }

    /// The group that lists `cacheId`, if any.
    /// - Parameter cacheId: The cache id.
    /// - Returns: The first group that lists it, or `nil` (the cache is missing or its assignment is not ready).
    public func group(containing cacheId: Int32) -> Group? {
        groups.first { $0.cache(cacheId) != nil }
    }

    /// Where the Apache bit-13 `isDefaultAffinity` bool sits. Apache servers exist in two versions: the newer writes
    /// it after applicable groups only, an older one after every group.
    enum DefaultAffinityFlagLayout {
        case absent, applicableGroupsOnly, everyGroup
    }

    /// Reads a response body.
    ///
    /// Without bit 13 the layout is fixed. With bit 13 the reader first tries the newer Apache layout (the bool after
    /// applicable groups only) and, if that does not consume the body exactly, the older one (after every group).
    /// - Parameters:
    ///   - reader: Positioned at the body; its limit must be the end of the body.
    ///   - context: The connection's negotiated context.
    /// - Returns: The decoded response.
    /// - Throws: ``IgniteError/Code/parse`` for truncated bodies, hostile counts or a non-UUID node id.
    public static func decode(from reader: inout BinaryReader, context: ProtocolContext) throws -> CachePartitionsResponse {
        guard context.has(.allAffinityMappings) else {
            return try decode(from: &reader, layout: .absent)
        }
        var newer = reader
        let newerResult = Result { try decode(from: &newer, layout: .applicableGroupsOnly) }
        if case .success(let response) = newerResult, newer.isAtEnd {
            reader = newer
            return response
        }
        var older = reader
        if let response = try? decode(from: &older, layout: .everyGroup), older.isAtEnd {
            reader = older
            return response
        }
        // Neither layout consumed the body exactly: report the newer layout's outcome.
        let response = try newerResult.get()
        reader = newer
        return response
    }

    static func decode(from reader: inout BinaryReader, layout: DefaultAffinityFlagLayout) throws -> CachePartitionsResponse {
        let major = try reader.readInt64()
        let minor = try reader.readInt32()
        // A group takes at least 5 bytes (bool + i32 cache count).
        let rawGroupCount = try reader.readInt32()
        let groupCount = try reader.checkCount(rawGroupCount, elementSize: 5)
        var groups: [Group] = []
        groups.reserveCapacity(groupCount)
        for _ in 0..<groupCount {
            let applicable = try reader.readBool()
            let rawCacheCount = try reader.readInt32()
            let cacheCount = try reader.checkCount(rawCacheCount, elementSize: applicable ? 8 : 4)
            var caches: [Cache] = []
            caches.reserveCapacity(cacheCount)
            for _ in 0..<cacheCount {
                let cacheId = try reader.readInt32()
                var configs: [KeyConfiguration] = []
                if applicable {
                    let rawConfigCount = try reader.readInt32()
                    let configCount = try reader.checkCount(rawConfigCount, elementSize: 8)
                    configs.reserveCapacity(configCount)
                    for _ in 0..<configCount {
                        let typeId = try reader.readInt32()
                        configs.append(KeyConfiguration(keyTypeId: typeId, affinityKeyFieldId: try reader.readInt32()))
                    }
                }
                caches.append(Cache(cacheId: cacheId, keyConfigurations: configs))
            }
            var nodes: [NodePartitions] = []
            if applicable {
                // A node takes at least 21 bytes: UUID object (17) + i32 partition count.
                let rawNodeCount = try reader.readInt32()
                let nodeCount = try reader.checkCount(rawNodeCount, elementSize: 21)
                nodes.reserveCapacity(nodeCount)
                for _ in 0..<nodeCount {
                    let nodeId = try reader.readUUIDObject()
                    let rawPartCount = try reader.readInt32()
                    let partCount = try reader.checkCount(rawPartCount, elementSize: 4)
                    var parts: [Int32] = []
                    parts.reserveCapacity(partCount)
                    for _ in 0..<partCount { parts.append(try reader.readInt32()) }
                    nodes.append(NodePartitions(nodeId: nodeId, partitions: parts))
                }
            }
            var isDefault: Bool?
            switch layout {
            case .absent: break
            case .applicableGroupsOnly: if applicable { isDefault = try reader.readBool() }
            case .everyGroup: isDefault = try reader.readBool()
            }
            groups.append(Group(isApplicable: applicable, caches: caches, nodes: nodes, isDefaultAffinity: isDefault))
        }
        return CachePartitionsResponse(topologyVersion: AffinityTopologyVersion(major: major, minor: minor), groups: groups)
    }

    /// Writes the response body (server direction, used by the test node).
    ///
    /// Key configurations and node maps are written for applicable groups only. With bit 13 the trailing
    /// `isDefaultAffinity` bool is written after applicable groups (the newer Apache layout; `true` when `nil`).
    /// - Parameters:
    ///   - writer: The writer to append to.
    ///   - context: The connection's negotiated context.
    public func encode(into writer: inout BinaryWriter, context: ProtocolContext) {
        writer.writeInt64(topologyVersion.major)
        writer.writeInt32(topologyVersion.minor)
        writer.writeInt32(Int32(truncatingIfNeeded: groups.count))
        for group in groups {
            writer.writeBool(group.isApplicable)
            writer.writeInt32(Int32(truncatingIfNeeded: group.caches.count))
            for cache in group.caches {
                writer.writeInt32(cache.cacheId)
                guard group.isApplicable else { continue }
                writer.writeInt32(Int32(truncatingIfNeeded: cache.keyConfigurations.count))
                for config in cache.keyConfigurations {
                    writer.writeInt32(config.keyTypeId)
                    writer.writeInt32(config.affinityKeyFieldId)
                }
            }
            guard group.isApplicable else { continue }
            writer.writeInt32(Int32(truncatingIfNeeded: group.nodes.count))
            for node in group.nodes {
                writer.writeUUIDObject(node.nodeId)
                writer.writeInt32(Int32(truncatingIfNeeded: node.partitions.count))
                for part in node.partitions { writer.writeInt32(part) }
            }
            if context.has(.allAffinityMappings) { writer.writeBool(group.isDefaultAffinity ?? true) }
        }
    }
}
