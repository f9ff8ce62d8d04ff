import Foundation
import IgniteProtocol

/// Partition awareness for the blocking client: the shared ``PartitionAwarenessState``, under a lock.
///
/// Key operations ask ``node(forCache:encodedKey:schemas:)`` for the key's primary node. When a cache's map is
/// missing or stale (a newer affinity topology version was seen), the asking thread fetches it with
/// OP_CACHE_PARTITIONS first; concurrent callers meanwhile send to any node, which is always correct.
final class Routing: @unchecked Sendable {
    let enabled: Bool
    private let mutex = PThreadMutex()
    private let mapped = PThreadCondition()
    @exclusivity(unchecked) private var state = PartitionAwarenessState()
    @exclusivity(unchecked) private var inFlight: Set<Int32> = []

    /// A cache's current routing inputs, copied out of ``state`` so that the common case (map current, nothing
    /// changed) routes a key without the state's dictionary lookups. Every change to the state clears them.
    private struct Snapshot {
        var cacheId: Int32
        /// `nil` when partition awareness does not apply to the cache (keys go to any node).
        var map: PartitionMap?
        var configurations: [CachePartitionsResponse.KeyConfiguration]
    }
    @exclusivity(unchecked) private var snapshots: [Snapshot] = []

    /// How long a key operation waits for a partition-map request another thread has in flight.
    private let mappingWait: Duration = .seconds(5)

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Records a topology version from a response header.
    /// - Returns: Whether the topology changed: the version is newer than one seen before (the first version seen
    ///   is no change).
    @discardableResult
    func observe(_ version: AffinityTopologyVersion) -> Bool {
        mutex.withLock {
            let known = state.topologyVersion != nil
            let newer = state.observe(topologyVersion: version)
            if newer { snapshots.removeAll() }
            return newer && known
        }
    }

    func nodeJoined(_ node: UUID?) {
        guard let node else { return }
        mutex.withLock {
            state.nodeJoined(node)
            snapshots.removeAll()
        }
    }

    func nodeLeft(_ node: UUID?) {
        guard let node else { return }
        mutex.withLock {
            state.nodeLeft(node)
            snapshots.removeAll()
        }
    }

    func forget(cacheId: Int32) {
        mutex.withLock {
            state.forgetCache(cacheId)
            snapshots.removeAll()
        }
    }

    /// The primary node of a key, fetching the cache's partition map first when it is missing or stale.
    /// - Parameters:
    ///   - cacheId: The cache.
    ///   - key: The encoded key.
    ///   - schemas: Resolves compact-footer key schemas (for affinity-key fields).
    ///   - fetchMap: Sends an OP_CACHE_PARTITIONS request; errors are swallowed (the key then goes to any node).
    /// - Returns: The node id, or `nil` for "any node".
    func node(forCache cacheId: Int32, key: EncodedValue, schemas: (any BinarySchemaResolver)?,
              fetchMap: (CachePartitionsRequest) throws -> CachePartitionsResponse) -> UUID? {
        guard enabled else { return nil }
        mutex.lock()
        for snapshot in snapshots where snapshot.cacheId == cacheId {
            // The common case: nothing changed since this cache was last routed.
            mutex.unlock()
            return Routing.primaryNode(of: key, in: snapshot, schemas: schemas)
        }
        let request = state.beginMapping(cacheId: cacheId)
        if request == nil, inFlight.isEmpty || !inFlight.contains(cacheId) {
            // The map is current: route under the same lock, and keep a snapshot for the next keys.
            let decision = state.route(cacheId: cacheId, encodedKey: key.bytes, at: 0, schemaResolver: schemas)
            rememberLocked(cacheId)
            mutex.unlock()
            if case .node(let node) = decision { return node }
            return nil
        }
        if request != nil {
            inFlight.insert(cacheId)
        } else if inFlight.contains(cacheId) {
            // Another thread is fetching this map: wait for it rather than send the key to a guessed node.
            let deadline = MonotonicClock.deadline(after: mappingWait)
            while inFlight.contains(cacheId), mapped.wait(mutex, until: deadline) {}
        }
        mutex.unlock()
        if let request {
            var applied = false
            if let response = try? fetchMap(request) {
                mutex.withLock {
                    _ = state.apply(response, requestedCacheId: cacheId)
                    snapshots.removeAll()
                }
                applied = true
            }
            mutex.withLock {
                if !applied {
                    state.mappingFailed(cacheId: cacheId)
                    snapshots.removeAll()
                }
                inFlight.remove(cacheId)
                mapped.broadcast()
            }
        }
        let decision = mutex.withLock {
            state.route(cacheId: cacheId, encodedKey: key.bytes, at: 0, schemaResolver: schemas)
        }
        if case .node(let node) = decision { return node }
        return nil
    }

    /// Keeps a snapshot of a cache's routing inputs if the state holds a current answer for it.
    private func rememberLocked(_ cacheId: Int32) {
        guard snapshots.count < 64 else { return }
        if let map = state.partitionMap(cacheId: cacheId) {
            snapshots.append(Snapshot(cacheId: cacheId, map: map, configurations: state.keyConfigurations(cacheId: cacheId)))
        } else if state.isNotApplicable(cacheId: cacheId) {
            snapshots.append(Snapshot(cacheId: cacheId, map: nil, configurations: []))
        }
    }

    /// ``PartitionAwarenessState/route(cacheId:encodedKey:at:schemaResolver:)`` on a snapshot: the affinity key (a
    /// configured field, else the whole key), its Java hash, the partition's primary node. Whether that node has a
    /// live connection is the pool's to say.
    private static func primaryNode(of key: EncodedValue, in snapshot: Snapshot, schemas: (any BinarySchemaResolver)?) -> UUID? {
        guard let map = snapshot.map else { return nil }
        let location = (try? AffinityKey.locate(inEncodedKey: key.bytes, at: 0, keyConfigurations: snapshot.configurations,
                                                schemaResolver: schemas)) ?? .undetermined
        let offset: Int
        switch location {
        case .wholeKey: offset = 0
        case .field(let fieldOffset): offset = fieldOffset
        case .undetermined: return nil
        }
        guard let hash = (try? JavaHash.keyHashCode(ofEncoded: key.bytes, at: offset)) ?? nil else { return nil }
        return map.primaryNode(forKeyHash: hash)
    }

    /// The primary node of one partition, if its map is known.
    func node(forCache cacheId: Int32, partition: Int) -> UUID? {
        guard enabled else { return nil }
        let decision = mutex.withLock { state.route(cacheId: cacheId, partition: partition) }
        if case .node(let node) = decision { return node }
        return nil
    }
}
