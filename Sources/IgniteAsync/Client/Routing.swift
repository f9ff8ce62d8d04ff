import Foundation
import IgniteProtocol

// PROVISIONAL CLIENT POLICY: the single-flight partition-map fetch lives here until the shared engine's machine
// for it is available. The routing decision itself is the shared ``PartitionAwarenessState``.

/// Partition awareness for the async client: the shared ``PartitionAwarenessState`` under a lock, with one
/// OP_CACHE_PARTITIONS fetch per cache at a time; other tasks routing keys of that cache wait for it (without
/// blocking a thread) rather than guess a node.
final class Routing: @unchecked Sendable {
    let enabled: Bool
    private let lock = AsyncLock()
    // Guarded by `lock`.
    private var state = PartitionAwarenessState()
    private var waiting: [Int32: [CheckedContinuation<Void, Never>]] = [:]

    init(enabled: Bool) {
        self.enabled = enabled
    }

    /// Records a topology version from a response header.
    /// - Returns: Whether the topology changed (a newer version than one seen before).
    @discardableResult
    func observe(_ version: AffinityTopologyVersion) -> Bool {
        lock.withLock {
            let known = state.topologyVersion != nil
            return state.observe(topologyVersion: version) && known
        }
    }

    func nodeJoined(_ node: UUID?) {
        guard let node else { return }
        lock.withLock { state.nodeJoined(node) }
    }

    func nodeLeft(_ node: UUID?) {
        guard let node else { return }
        lock.withLock { state.nodeLeft(node) }
    }

    func forget(cacheId: Int32) {
        lock.withLock { state.forgetCache(cacheId) }
    }

    /// The primary node of a key, fetching the cache's partition map first when it is missing or stale.
    /// - Parameters:
    ///   - cacheId: The cache.
    ///   - key: The encoded key.
    ///   - schemas: Resolves compact-footer key schemas (for affinity-key fields).
    ///   - fetchMap: Sends an OP_CACHE_PARTITIONS request; its errors mean "any node".
    /// - Returns: The node id, or `nil` for "any node".
    func node(forCache cacheId: Int32, key: EncodedValue, schemas: (any BinarySchemaResolver)?,
              fetchMap: (CachePartitionsRequest) async throws -> CachePartitionsResponse) async -> UUID? {
        guard enabled else { return nil }
        while true {
            lock.lock()
            if waiting[cacheId] == nil {
                if let request = state.beginMapping(cacheId: cacheId) {
                    waiting[cacheId] = []
                    lock.unlock()
                    let response = try? await fetchMap(request)
                    lock.lock()
                    if let response {
                        _ = state.apply(response, requestedCacheId: cacheId)
                    } else {
                        state.mappingFailed(cacheId: cacheId)
                    }
                    let woken = waiting.removeValue(forKey: cacheId) ?? []
                    lock.unlock()
                    for continuation in woken { continuation.resume() }
                    continue
                }
                let decision = state.route(cacheId: cacheId, encodedKey: key.bytes, at: 0, schemaResolver: schemas)
                lock.unlock()
                if case .node(let node) = decision { return node }
                return nil
            }
            lock.unlock()
            // Another task is fetching this map: wait for it.
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                lock.lock()
                if waiting[cacheId] != nil {
                    waiting[cacheId]?.append(continuation)
                    lock.unlock()
                } else {
                    lock.unlock()
                    continuation.resume()
                }
            }
        }
    }

    /// The primary node of one partition, if its map is known.
    func node(forCache cacheId: Int32, partition: Int) -> UUID? {
        guard enabled else { return nil }
        let decision = lock.withLock { state.route(cacheId: cacheId, partition: partition) }
        if case .node(let node) = decision { return node }
        return nil
    }
}
