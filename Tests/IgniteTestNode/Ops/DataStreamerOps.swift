import Foundation
import IgniteProtocol

/// The data streamer ops, as apache/ignite's `ClientDataStreamerStartRequest` and `ClientDataStreamerAddDataRequest`
/// process them:
///
/// * START looks the cache up first (status 1000 for an unknown id), applies the entries, and with CLOSE answers
///   resource id 0; without it registers a streamer resource and answers its id.
/// * Without ALLOW_OVERWRITE the server's default `DataStreamerImpl.IsolatedUpdater` applies each entry with
///   `GridCacheEntryEx.initialValue`, which only sets an entry that has no value: a key that exists keeps its value,
///   and an entry with a null value (a removal) changes nothing (observed on GridGain 8.10: the key is still there).
///   With ALLOW_OVERWRITE (the individual-puts updater) the value is overwritten and a null value removes the key.
/// * ADD_DATA applies the entries with the flags of its START; CLOSE releases the resource; an unknown id is status
///   1011 "Failed to find resource with id: N".
/// * The counters: ``IgniteTestNode/streamedEntries`` counts entries received by this node.
extension RequestHandler {
    func dataStreamerStart(_ reader: inout BinaryReader) throws -> OpResult {
        let request = try DataStreamerStartRequest.decodeBody(from: &reader, context: context)
        let result = apply(request.entries, cacheId: request.cacheId, flags: request.flags)
        guard case .success = result else { return result }
        if request.flags.contains(.close) { return .body { $0.writeInt64(0) } }
        let id = session.state.withLock { state -> Int64 in
            let id = state.nextCursorId
            state.nextCursorId += 1
            state.streamers[id] = (request.cacheId, request.flags)
            return id
        }
        return .body { $0.writeInt64(id) }
    }

    func dataStreamerAddData(_ reader: inout BinaryReader) throws -> OpResult {
        let request = try DataStreamerAddDataRequest.decodeBody(from: &reader, context: context)
        guard let handle = session.state.withLock({ $0.streamers[request.streamerId] }) else {
            return .failure(ServerStatus.resourceDoesNotExist, ServerMessages.resourceNotFound(request.streamerId))
        }
        let result = apply(request.entries, cacheId: handle.cacheId, flags: handle.flags)
        if request.flags.contains(.close) { session.state.withLock { _ = $0.streamers.removeValue(forKey: request.streamerId) } }
        return result
    }

    private func apply(_ entries: [DataStreamerEntry], cacheId: Int32, flags: DataStreamerFlags) -> OpResult {
        var decoded: [(DecodedKey, IgniteValue?)] = []
        decoded.reserveCapacity(entries.count)
        for entry in entries {
            guard let key = try? entry.key.decoded() else { return .failure(ServerStatus.failed, "Failed to read a streamed key") }
            let value = entry.value.flatMap { try? $0.decoded() }
            if entry.value != nil, value == nil { return .failure(ServerStatus.failed, "Failed to read a streamed value") }
            decoded.append((DecodedKey(key), value))
        }
        let nodeId = node.nodeId
        return withCache(CacheInfo(cacheId: cacheId), isWrite: true) { scope in
            var misrouted = 0
            if scope.cache.isPartitioned {
                for (key, _) in decoded {
                    let partition = scope.data.partition(of: key.value, in: scope.cache)
                    if scope.data.owners(partition: partition, cache: scope.cache).first?.nodeId != nodeId { misrouted += 1 }
                }
            }
            node.countStreamed(decoded.count, misrouted: misrouted)
            let overwrite = flags.contains(.allowOverwrite)
            for (key, value) in decoded {
                if overwrite {
                    scope.set(key, value)
                } else if let value, scope.get(key) == nil {
                    scope.set(key, value)   // `initialValue`: only an entry without a value is set; a removal is ignored
                }
            }
            return .empty
        }
    }
}
