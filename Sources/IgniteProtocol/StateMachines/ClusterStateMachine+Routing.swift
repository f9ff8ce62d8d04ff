import Foundation

/// A cache's current routing inputs, copied out of the ``PartitionAwarenessState`` so that the common case (map
/// current, nothing changed) routes a key without the state's dictionary lookups. Every change clears them.
struct RoutingSnapshot: Sendable {
    var cacheId: Int32
    /// `nil` when partition awareness does not apply to the cache (keys go to any node).
    var map: PartitionMap?
    var configurations: [CachePartitionsResponse.KeyConfiguration]
}

/// Partition-aware routing: where a key operation goes, and the single-flight partition-map fetch.
///
/// ``route(cacheId:encodedKey:schemas:mayWait:)`` answers, for one key:
/// * ``RouteAction/connection(_:)``: the key's primary node has a live connection: send there;
/// * ``RouteAction/anyConnection``: send anywhere (no map, not applicable, owner not connected, unhashable key);
///   the server forwards the operation, which is always correct;
/// * ``RouteAction/fetchMap(_:)``: this caller fetches the cache's map (OP_CACHE_PARTITIONS) and reports it with
///   ``mapFetched(_:cacheId:)`` or ``mapFetchFailed(cacheId:)``, then routes again;
/// * ``RouteAction/waitForMap(cacheId:ticket:)``: another caller is fetching it: wait (at most
///   ``Configuration/mappingWait``) until it reports, then route again with `mayWait: false`. The ticket names the
///   waiter: ``mapFetched(_:cacheId:)`` and ``mapFetchFailed(cacheId:)`` return the tickets to resume (an async
///   driver keeps a continuation per ticket; the blocking driver broadcasts a condition instead), and
///   ``mapWaitEnded(ticket:)`` drops a waiter whose wait timed out or was cancelled.
extension ClusterStateMachine {
    /// Where one key operation goes.
    package enum RouteAction: Sendable {
        /// Send over this connection (the key's primary node).
        case connection(Connection)
        /// Send over any connection.
        case anyConnection
        /// Fetch this map first (single flight: no one else is fetching it), report, and route again.
        case fetchMap(CachePartitionsRequest)
        /// Another caller is fetching the cache's map: wait (as `ticket`) for it, then route again with `mayWait: false`.
        case waitForMap(cacheId: Int32, ticket: UInt64)
    }

    /// Routes a single-key, non-transactional operation.
    /// - Parameters:
    ///   - cacheId: The cache.
    ///   - encodedKey: The encoded key (type code first).
    ///   - schemas: Resolves compact-footer key schemas (for affinity-key fields); never performs I/O.
    ///   - mayWait: `false` after a wait, so the answer is never ``RouteAction/waitForMap(cacheId:ticket:)`` again.
    /// - Returns: The action.
    package mutating func route(cacheId: Int32, encodedKey: EncodedValue, schemas: (any BinarySchemaResolver)?,
                                mayWait: Bool = true) -> RouteAction {
        guard configuration.partitionAwareness, !isClosed else { return .anyConnection }
        for snapshot in snapshots where snapshot.cacheId == cacheId {
            // The common case: nothing changed since this cache was last routed.
            return connectionAction(Self.primaryNode(of: encodedKey, in: snapshot, schemas: schemas))
        }
        if mapFetchesInFlight.contains(cacheId) {
            guard mayWait else { return .anyConnection }
            nextMapTicket &+= 1
            mapWaiters.append((cacheId, nextMapTicket))
            return .waitForMap(cacheId: cacheId, ticket: nextMapTicket)
        }
        if let request = partitions.beginMapping(cacheId: cacheId) {
            mapFetchesInFlight.insert(cacheId)
            return .fetchMap(request)
        }
        let decision = partitions.route(cacheId: cacheId, encodedKey: encodedKey.bytes, at: 0, schemaResolver: schemas)
        rememberSnapshot(cacheId)
        if case .node(let node) = decision { return connectionAction(node) }
        return .anyConnection
    }

    private func connectionAction(_ node: UUID?) -> RouteAction {
        guard let node, let connection = connection(toNode: node) else { return .anyConnection }
        return .connection(connection)
    }

    /// The fetch begun by ``RouteAction/fetchMap(_:)`` answered.
    /// - Parameters:
    ///   - response: The OP_CACHE_PARTITIONS response.
    ///   - cacheId: The cache the request asked for.
    /// - Returns: What was stored, and the tickets of the waiters to resume (they route again).
    @discardableResult
    package mutating func mapFetched(_ response: CachePartitionsResponse,
                                     cacheId: Int32) -> (outcome: PartitionAwarenessState.ApplyOutcome, resume: [UInt64]) {
        let outcome = partitions.apply(response, requestedCacheId: cacheId)
        mapFetchesInFlight.remove(cacheId)
        snapshots.removeAll()
        return (outcome, takeMapWaiters(cacheId))
    }

    /// The fetch begun by ``RouteAction/fetchMap(_:)`` failed; keys of the cache go to any node until the next
    /// attempt (bounded per topology version).
    /// - Parameter cacheId: The cache.
    /// - Returns: The tickets of the waiters to resume (they route again, to any node).
    @discardableResult
    package mutating func mapFetchFailed(cacheId: Int32) -> [UInt64] {
        partitions.mappingFailed(cacheId: cacheId)
        mapFetchesInFlight.remove(cacheId)
        snapshots.removeAll()
        return takeMapWaiters(cacheId)
    }

    /// A waiter stopped waiting before the fetch reported (its wait timed out, or its task was cancelled).
    /// - Parameter ticket: The ticket from ``RouteAction/waitForMap(cacheId:ticket:)``.
    /// - Returns: `true` if it was still waiting (else it was already returned for resumption).
    @discardableResult
    package mutating func mapWaitEnded(ticket: UInt64) -> Bool {
        guard let index = mapWaiters.firstIndex(where: { $0.ticket == ticket }) else { return false }
        mapWaiters.remove(at: index)
        return true
    }

    private mutating func takeMapWaiters(_ cacheId: Int32) -> [UInt64] {
        guard !mapWaiters.isEmpty else { return [] }
        let tickets = mapWaiters.filter { $0.cacheId == cacheId }.map(\.ticket)
        mapWaiters.removeAll { $0.cacheId == cacheId }
        return tickets
    }

    /// Whether a fetch of the cache's map is under way (a waiter keeps waiting while it is).
    /// - Parameter cacheId: The cache.
    /// - Returns: `true` while one is in flight.
    package func isFetchingMap(cacheId: Int32) -> Bool { mapFetchesInFlight.contains(cacheId) }

    /// The connection to the primary node of one partition (single-partition scans), if its map is known.
    /// - Parameters:
    ///   - cacheId: The cache.
    ///   - partition: The partition.
    /// - Returns: The owner's node id if known and connected.
    package func primaryNode(cacheId: Int32, partition: Int) -> UUID? {
        guard configuration.partitionAwareness else { return nil }
        if case .node(let node) = partitions.route(cacheId: cacheId, partition: partition) { return node }
        return nil
    }

    /// Forgets a cache's map (it was destroyed).
    /// - Parameter cacheId: The cache.
    package mutating func forgetCache(_ cacheId: Int32) {
        partitions.forgetCache(cacheId)
        snapshots.removeAll()
    }

    /// Keeps a snapshot of a cache's routing inputs if the state holds a current answer for it.
    private mutating func rememberSnapshot(_ cacheId: Int32) {
        guard snapshots.count < 64 else { return }
        if let map = partitions.partitionMap(cacheId: cacheId) {
            snapshots.append(RoutingSnapshot(cacheId: cacheId, map: map, configurations: partitions.keyConfigurations(cacheId: cacheId)))
        } else if partitions.isNotApplicable(cacheId: cacheId) {
            snapshots.append(RoutingSnapshot(cacheId: cacheId, map: nil, configurations: []))
        }
    }

    /// The primary node of a key in a snapshot: the affinity key (a configured field, else the whole key), its Java
    /// hash, the partition's primary node.
    private static func primaryNode(of encodedKey: EncodedValue, in snapshot: RoutingSnapshot,
                                    schemas: (any BinarySchemaResolver)?) -> UUID? {
        guard let map = snapshot.map else { return nil }
        // The kinds kept in place (numbers, UUIDs, bools, short strings) are never complex objects, so the whole key
        // is the affinity key: hash it there, with no array.
        if let hash = encodedKey.inlineKeyHashCode { return map.primaryNode(forKeyHash: hash) }
        let key = encodedKey.bytes
        let location = (try? AffinityKey.locate(inEncodedKey: key, at: 0, keyConfigurations: snapshot.configurations,
                                                schemaResolver: schemas)) ?? .undetermined
        let offset: Int
        switch location {
        case .wholeKey: offset = 0
        case .field(let fieldOffset): offset = fieldOffset
        case .undetermined: return nil
        }
        guard let hash = (try? JavaHash.keyHashCode(ofEncoded: key, at: offset)) ?? nil else { return nil }
        return map.primaryNode(forKeyHash: hash)
    }
}
