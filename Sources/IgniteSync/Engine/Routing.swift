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
            return state.observe(topologyVersion: version) && known
        }
    }

    func nodeJoined(_ node: UUID?) {
        guard let node else { return }
        mutex.withLock { state.nodeJoined(node) }
    }

    func nodeLeft(_ node: UUID?) {
        guard let node else { return }
        mutex.withLock { state.nodeLeft(node) }
    }

    func forget(cacheId: Int32) {
        mutex.withLock { state.forgetCache(cacheId) }
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
        let request = state.beginMapping(cacheId: cacheId)
        if request == nil, inFlight.isEmpty || !inFlight.contains(cacheId) {
            // The common case: the map is current; route under the same lock.
            let decision = state.route(cacheId: cacheId, encodedKey: key.bytes, at: 0, schemaResolver: schemas)
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
                mutex.withLock { _ = state.apply(response, requestedCacheId: cacheId) }
                applied = true
            }
            mutex.withLock {
                if !applied { state.mappingFailed(cacheId: cacheId) }
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

    /// The primary node of one partition, if its map is known.
    func node(forCache cacheId: Int32, partition: Int) -> UUID? {
        guard enabled else { return nil }
        let decision = mutex.withLock { state.route(cacheId: cacheId, partition: partition) }
        if case .node(let node) = decision { return node }
        return nil
    }
}
