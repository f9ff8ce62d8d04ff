import Foundation

/// Where to send a single-key request.
package enum RoutingDecision: Hashable, Sendable {
    /// Send it over a connection to this node: it is the key's primary node and a connection to it is live.
    case node(UUID)
    /// Send it over any connection (the map is unknown, stale or not applicable, or the owner is unreachable);
    /// the server forwards the operation itself.
    case anyNode
}

/// Partition awareness as a pure state machine: which caches need a partition map, the maps themselves,
/// the affinity topology version they belong to, and which nodes have live connections.
///
/// The client feeds it events and asks it questions; it performs no I/O.
///
/// * ``registerCache(_:)`` when a cache handle is created.
/// * ``observe(topologyVersion:)`` with the version of every response header that carries one: a newer version makes
///   every map stale.
/// * ``beginMapping(cacheId:)`` returns an OP_CACHE_PARTITIONS request for one cache when its map is missing or stale
///   (one request per cache, because servers put every applicable cache into the first applicable group whatever its
///   partition count). Answer with ``apply(_:requestedCacheId:)`` or ``mappingFailed(cacheId:)``.
/// * ``nodeJoined(_:)`` / ``nodeLeft(_:)`` once per connection opened to / closed from a node (its handshake node id).
/// * ``route(cacheId:keyHash:)`` decides where a single-key, non-transactional request goes.
///
/// Attempts to map a cache are bounded by ``maximumMappingAttempts`` per topology version, so a cache the server
/// cannot map (not ready, destroyed, errors) does not cost a request per operation; a newer topology version resets
/// the budget.
package struct PartitionAwarenessState: Sendable {
    /// What is known about one registered cache.
    enum Mapping: Sendable {
        /// Partition awareness applies: the map and the key configurations.
        case applicable(PartitionMap, [CachePartitionsResponse.KeyConfiguration])
        /// The server says partition awareness does not apply (replicated cache, custom affinity, node filter).
        case notApplicable
    }

    struct CacheEntry: Sendable {
        var mapping: Mapping?
        /// The topology version ``mapping`` belongs to.
        var version: AffinityTopologyVersion?
        var inFlight = false
        /// Requests begun since the last topology change.
        var attempts = 0
    }

    /// How many OP_CACHE_PARTITIONS requests per cache are allowed per topology version.
    public var maximumMappingAttempts: Int

    /// The newest affinity topology version seen in any response.
    public private(set) var topologyVersion: AffinityTopologyVersion?

    private var caches: [Int32: CacheEntry] = [:]
    /// Registration order, for deterministic ``cachesNeedingMapping()``.
    private var order: [Int32] = []
    /// Live connections per node id.
    private var connections: [UUID: Int] = [:]

    /// Creates an empty state.
    /// - Parameter maximumMappingAttempts: OP_CACHE_PARTITIONS requests per cache and topology version (at least 1).
    public init(maximumMappingAttempts: Int = 3) {
        self.maximumMappingAttempts = Swift.max(1, maximumMappingAttempts)
    }

    // MARK: Caches

    /// Starts tracking a cache. Registering twice is harmless.
    /// - Parameter cacheId: The cache id.
    public mutating func registerCache(_ cacheId: Int32) {
        guard caches[cacheId] == nil else { return }
        caches[cacheId] = CacheEntry()
        order.append(cacheId)
    }

    /// Stops tracking a cache (for example after it was destroyed).
    /// - Parameter cacheId: The cache id.
    public mutating func forgetCache(_ cacheId: Int32) {
        guard caches.removeValue(forKey: cacheId) != nil else { return }
        order.removeAll { $0 == cacheId }
    }

    /// The registered cache ids, in registration order.
    public var registeredCacheIds: [Int32] { order }

    // MARK: Topology

    /// Records the affinity topology version of a response header.
    /// - Parameter topologyVersion: The version the header carried.
    /// - Returns: `true` if it is newer than any seen before: every map is then stale and the mapping budget resets.
    @discardableResult
    public mutating func observe(topologyVersion: AffinityTopologyVersion) -> Bool {
        if let current = self.topologyVersion, topologyVersion <= current { return false }
        self.topologyVersion = topologyVersion
        // A request still in flight counts as the first attempt at the new version.
        for id in order {
            guard var entry = caches[id] else { continue }
            entry.attempts = entry.inFlight ? 1 : 0
            caches[id] = entry
        }
        return true
    }

    /// Whether the map of `cacheId` is missing or older than the newest topology version.
    /// - Parameter cacheId: The cache id.
    /// - Returns: `true` if the cache is registered and its map is missing or stale.
    public func isStale(cacheId: Int32) -> Bool {
        guard let entry = caches[cacheId] else { return false }
        return Self.isStale(entry, current: topologyVersion)
    }

    private static func isStale(_ entry: CacheEntry, current: AffinityTopologyVersion?) -> Bool {
        guard entry.mapping != nil, let version = entry.version else { return true }
        if let current, version < current { return true }
        return false
    }

    private func needsMapping(_ entry: CacheEntry) -> Bool {
        !entry.inFlight && entry.attempts < maximumMappingAttempts && Self.isStale(entry, current: topologyVersion)
    }

    /// The registered caches whose map should be requested now: missing or stale, no request in flight, and
    /// attempts left at this topology version. Request each with its own ``beginMapping(cacheId:)``.
    /// - Returns: Cache ids in registration order.
    public func cachesNeedingMapping() -> [Int32] {
        order.filter { id in caches[id].map(needsMapping) ?? false }
    }

    /// Marks a mapping request for `cacheId` as in flight and returns it, if the cache needs one.
    /// - Parameter cacheId: The cache id (registered first if it was not).
    /// - Returns: The OP_CACHE_PARTITIONS request for this one cache, or `nil` if the map is current, a request is
    ///   already in flight, or the attempts at this topology version are used up.
    public mutating func beginMapping(cacheId: Int32) -> CachePartitionsRequest? {
        registerCache(cacheId)
        guard let entry = caches[cacheId], needsMapping(entry) else { return nil }
        caches[cacheId]?.inFlight = true
        caches[cacheId]?.attempts += 1
        return CachePartitionsRequest(cacheId: cacheId)
    }

    /// What ``apply(_:requestedCacheId:)`` did with a response.
    public enum ApplyOutcome: Hashable, Sendable {
        /// The cache now has a partition map of this many partitions.
        case mapped(partitionCount: Int)
        /// Partition awareness does not apply to the cache; its requests go to any node.
        case notApplicable
        /// The response does not list the cache (it does not exist, or its assignment is not ready yet).
        case missing
        /// The cache's group is malformed (for example a partition id out of range); nothing was stored.
        case invalid(String)
    }

    /// Stores the map of the cache a response was requested for.
    ///
    /// Only the group listing `requestedCacheId` is used, and only for that cache: servers put every applicable
    /// cache into the first applicable group even when the partition counts differ, so the group's map is trusted
    /// only for the cache asked about. The response's topology version is observed as well.
    /// - Parameters:
    ///   - response: The decoded OP_CACHE_PARTITIONS response.
    ///   - requestedCacheId: The one cache the request asked for.
    /// - Returns: What was stored.
    @discardableResult
    public mutating func apply(_ response: CachePartitionsResponse, requestedCacheId: Int32) -> ApplyOutcome {
        observe(topologyVersion: response.topologyVersion)
        registerCache(requestedCacheId)
        caches[requestedCacheId]?.inFlight = false
        guard let group = response.group(containing: requestedCacheId) else { return .missing }
        guard group.isApplicable else {
            caches[requestedCacheId]?.mapping = .notApplicable
            caches[requestedCacheId]?.version = response.topologyVersion
            return .notApplicable
        }
        let map: PartitionMap
        do {
            map = try PartitionMap(nodes: group.nodes)
        } catch let error as IgniteError {
            return .invalid(error.message)
        } catch {
            return .invalid("\(error)")
        }
        let configs = group.cache(requestedCacheId)?.keyConfigurations ?? []
        caches[requestedCacheId]?.mapping = .applicable(map, configs)
        caches[requestedCacheId]?.version = response.topologyVersion
        return .mapped(partitionCount: map.partitionCount)
    }

    /// Records that a mapping request failed (error status or lost connection). The attempt stays counted.
    /// - Parameter cacheId: The cache id.
    public mutating func mappingFailed(cacheId: Int32) {
        caches[cacheId]?.inFlight = false
    }

    // MARK: Nodes

    /// Records a new live connection to a node.
    /// - Parameter nodeId: The node id from the connection's handshake.
    public mutating func nodeJoined(_ nodeId: UUID) {
        connections[nodeId, default: 0] += 1
    }

    /// Records that a connection to a node closed.
    /// - Parameter nodeId: The node id from the connection's handshake.
    public mutating func nodeLeft(_ nodeId: UUID) {
        guard let count = connections[nodeId] else { return }
        if count <= 1 { connections.removeValue(forKey: nodeId) } else { connections[nodeId] = count - 1 }
    }

    /// Whether at least one connection to the node is live.
    /// - Parameter nodeId: The node id.
    /// - Returns: `true` if connected.
    public func isConnected(_ nodeId: UUID) -> Bool { connections[nodeId] != nil }

    /// The node ids with a live connection.
    public var connectedNodes: Set<UUID> { Set(connections.keys) }

    // MARK: Queries

    /// The current (non-stale) map of a cache, if partition awareness applies to it.
    /// - Parameter cacheId: The cache id.
    /// - Returns: The map, or `nil` if unknown, stale or not applicable.
    public func partitionMap(cacheId: Int32) -> PartitionMap? {
        guard let entry = caches[cacheId], !Self.isStale(entry, current: topologyVersion),
              case .applicable(let map, _)? = entry.mapping else { return nil }
        return map
    }

    /// Whether the server said partition awareness does not apply to the cache (at the current topology).
    /// - Parameter cacheId: The cache id.
    /// - Returns: `true` for a current "not applicable" answer.
    public func isNotApplicable(cacheId: Int32) -> Bool {
        guard let entry = caches[cacheId], !Self.isStale(entry, current: topologyVersion),
              case .notApplicable? = entry.mapping else { return false }
        return true
    }

    /// The cache's key configurations (type id → affinity field id), from its last applicable map.
    /// - Parameter cacheId: The cache id.
    /// - Returns: The configurations; empty if none are known.
    public func keyConfigurations(cacheId: Int32) -> [CachePartitionsResponse.KeyConfiguration] {
        guard case .applicable(_, let configs)? = caches[cacheId]?.mapping else { return [] }
        return configs
    }

    /// The affinity key field configured for keys of type `keyTypeId` in a cache: the client hashes that field's
    /// value instead of the whole key.
    /// - Parameters:
    ///   - cacheId: The cache id.
    ///   - keyTypeId: The key's binary type id.
    /// - Returns: The field id, or `nil`.
    public func affinityKeyFieldId(cacheId: Int32, keyTypeId: Int32) -> Int32? {
        keyConfigurations(cacheId: cacheId).first { $0.keyTypeId == keyTypeId }?.affinityKeyFieldId
    }

    /// Routes a single-key request by the Java hash code of its affinity key.
    /// - Parameters:
    ///   - cacheId: The cache id.
    ///   - keyHash: The Java `hashCode()` of the affinity key (see ``AffinityKey``).
    /// - Returns: ``RoutingDecision/node(_:)`` when the map is current and the primary node has a live connection;
    ///   ``RoutingDecision/anyNode`` otherwise.
    public func route(cacheId: Int32, keyHash: Int32) -> RoutingDecision {
        guard let map = partitionMap(cacheId: cacheId), let node = map.primaryNode(forKeyHash: keyHash),
              isConnected(node) else { return .anyNode }
        return .node(node)
    }

    /// Routes a request for one partition (a scan of a single partition).
    /// - Parameters:
    ///   - cacheId: The cache id.
    ///   - partition: The partition id.
    /// - Returns: The primary node of the partition if known and connected, else ``RoutingDecision/anyNode``.
    public func route(cacheId: Int32, partition: Int) -> RoutingDecision {
        guard let map = partitionMap(cacheId: cacheId), let node = map.primaryNode(forPartition: partition),
              isConnected(node) else { return .anyNode }
        return .node(node)
    }

    /// Routes a single-key request from its encoded key, extracting the affinity field when the cache's key
    /// configuration names one.
    /// - Parameters:
    ///   - cacheId: The cache id.
    ///   - encodedKey: The buffer holding the encoded key.
    ///   - offset: Where the key's type code is.
    ///   - schemaResolver: Resolves schemas of compact-footer keys.
    ///   - keyHash: Computes the Java `hashCode()` of the encoded value at an offset, or `nil` when the value's
    ///     type cannot be routed (arrays, collections, ...).
    /// - Returns: Where to send the request. Malformed keys and unknown schemas give ``RoutingDecision/anyNode``.
    public func route(cacheId: Int32, encodedKey: [UInt8], at offset: Int, schemaResolver: (any BinarySchemaResolver)?,
                      keyHash: ([UInt8], Int) -> Int32?) -> RoutingDecision {
        guard let entry = caches[cacheId], !Self.isStale(entry, current: topologyVersion),
              case .applicable(let map, let configs)? = entry.mapping else { return .anyNode }
        let location = (try? AffinityKey.locate(inEncodedKey: encodedKey, at: offset, keyConfigurations: configs,
                                                schemaResolver: schemaResolver)) ?? .undetermined
        let hashOffset: Int
        switch location {
        case .wholeKey: hashOffset = offset
        case .field(let fieldOffset): hashOffset = fieldOffset
        case .undetermined: return .anyNode
        }
        guard let hash = keyHash(encodedKey, hashOffset), let node = map.primaryNode(forKeyHash: hash),
              isConnected(node) else { return .anyNode }
        return .node(node)
    }
}

extension PartitionAwarenessState {
    /// Routes a single-key request from its encoded key, hashing the affinity key the way Java does
    /// (``JavaHash/keyHashCode(ofEncoded:at:)``).
    /// - Parameters:
    ///   - cacheId: The cache id.
    ///   - encodedKey: The buffer holding the encoded key (for example the request being written).
    ///   - offset: Where the key's type code is.
    ///   - schemaResolver: Resolves schemas of compact-footer keys whose type has an affinity field.
    /// - Returns: Where to send the request; keys that cannot be hashed (arrays, collections, malformed bytes) and
    ///   unknown schemas give ``RoutingDecision/anyNode``.
    public func route(cacheId: Int32, encodedKey: [UInt8], at offset: Int,
                      schemaResolver: (any BinarySchemaResolver)?) -> RoutingDecision {
        route(cacheId: cacheId, encodedKey: encodedKey, at: offset, schemaResolver: schemaResolver) { bytes, at in
            (try? JavaHash.keyHashCode(ofEncoded: bytes, at: at)) ?? nil
        }
    }

    /// Routes a single-key request from its key value (the boxed path).
    /// - Parameters:
    ///   - cacheId: The cache id.
    ///   - key: The key.
    ///   - schemaResolver: Resolves the schema of a compact-footer key whose type has an affinity field.
    /// - Returns: Where to send the request; unhashable keys and unknown schemas give ``RoutingDecision/anyNode``.
    public func route(cacheId: Int32, key: IgniteValue, schemaResolver: (any BinarySchemaResolver)?) -> RoutingDecision {
        guard partitionMap(cacheId: cacheId) != nil else { return .anyNode }
        var affinityKey = key
        if case .object(let object) = key {
            let configs = keyConfigurations(cacheId: cacheId)
            do {
                if let value = try AffinityKey.affinityFieldValue(of: object, keyConfigurations: configs,
                                                                  schemaResolver: schemaResolver) {
                    affinityKey = value
                }
            } catch {
                // The affinity field exists for this type but cannot be read (unknown schema, malformed bytes).
                return .anyNode
            }
        }
        guard let hash = affinityKey.javaHashCode else { return .anyNode }
        return route(cacheId: cacheId, keyHash: hash)
    }
}
