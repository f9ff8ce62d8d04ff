import Foundation
import IgniteProtocol

/// A registered continuous query: its connection and id.
struct ContinuousQuerySubscription: @unchecked Sendable {
    // @unchecked: the session is a thread-safe class.
    let session: ConnectionSession
    let queryId: Int64
    let cacheId: Int32
}

/// OP_QUERY_CONTINUOUS (2006) and its notifications (2007), as the Java server does them:
///
/// * `ClientCacheQueryContinuousRequest.process`: the cursor limit is counted (status 1010 beyond it), the cache looked
///   up (status 1000), the query registered as a resource whose id the response carries (`i64`).
/// * Every committed change of the cache (puts, removes, clears, transaction commits, streamed entries, from any
///   connection of any node) becomes one event — CREATED without an old value, UPDATED with both, REMOVED with the old
///   value as both its old value and its value (`ClientCacheEntryEventNotification.encode` writes `getOldValue()` and
///   `getValue()`; `CacheContinuousQueryManager.onEntryUpdated` makes a removal's value the old value) — sent to the
///   query's connection after the request that made it, in commit order, one notification per request and query
///   (page size and time interval are accepted; the test node never holds events back). Commit order is stronger
///   than the real server's, which keeps the order per key (per partition) only.
/// * OP_RESOURCE_CLOSE of the id stops the query; a closed connection's queries stop. Expiry events are not emulated
///   (a real server's EXPIRED event, `onEntryExpired`, also carries the old value as both).
extension RequestHandler {
    func continuousQuery(_ reader: inout BinaryReader) throws -> OpResult {
        let request = try QueryContinuousRequest.decodeBody(from: &reader, context: context)
        if let tooMany = cursorLimitFailure() { return tooMany }
        let session = self.session
        return core.data.withLock { data -> OpResult in
            guard data.caches[request.cache.cacheId] != nil else {
                return .failure(ServerStatus.cacheDoesNotExist, ServerMessages.cacheDoesNotExist(request.cache.cacheId))
            }
            let id = session.state.withLock { state -> Int64 in
                let id = state.nextCursorId
                state.nextCursorId += 1
                return id
            }
            data.continuousQueries[request.cache.cacheId, default: []]
                .append(ContinuousQuerySubscription(session: session, queryId: id, cacheId: request.cache.cacheId))
            return .body { $0.writeInt64(id) }
        }
    }
}

extension ClusterData {
    /// Records the event of a committed change for every query on the cache.
    mutating func recordCacheEvent(_ cacheId: Int32, keyId: [UInt8], key: IgniteValue, old: IgniteValue?, now: UInt64) {
        let new = caches[cacheId]?.entries[keyId].flatMap { $0.isLive(at: now) ? $0.value : nil }
        let kind: ContinuousQueryEvent.Kind
        switch (old, new) {
        case (nil, nil): return
        case (nil, _): kind = .created
        case (_, nil): kind = .removed
        default: kind = .updated
        }
        // A removal's value is its old value (`CacheContinuousQueryManager.onEntryUpdated`: `evtType == REMOVED &&
        // lsnr.oldValueRequired() ? oldVal : newVal`), as the real server sends it.
        let event = ContinuousQueryEvent(kind: kind, key: key, oldValue: old, value: kind == .removed ? old : new)
        for subscription in continuousQueries[cacheId] ?? [] { pendingCacheEvents.append((subscription, event)) }
    }

    /// Stops a query of `session`; `true` if it existed.
    mutating func removeContinuousQuery(_ id: Int64, session: ConnectionSession) -> Bool {
        for (cacheId, list) in continuousQueries {
            guard let index = list.firstIndex(where: { $0.queryId == id && $0.session === session }) else { continue }
            continuousQueries[cacheId]?.remove(at: index)
            if continuousQueries[cacheId]?.isEmpty == true { continuousQueries[cacheId] = nil }
            return true
        }
        return false
    }
}

/// Sends the recorded events, one notification per query per batch, in commit order; one dispatcher at a time so
/// that the order holds across connections.
enum ContinuousQueryDispatch {
    /// One ordering lock per cluster (clusters of different tests never wait for each other).
    private static let locks = Locked([ObjectIdentifier: NSLock]())

    static func dispatch(_ core: ClusterCore) {
        // The common case (no continuous query, or nothing recorded) takes no extra lock.
        guard core.data.withLock({ !$0.pendingCacheEvents.isEmpty }) else { return }
        let lock = locks.withLock { table -> NSLock in
            if let existing = table[ObjectIdentifier(core)] { return existing }
            let created = NSLock()
            table[ObjectIdentifier(core)] = created
            return created
        }
        lock.lock()
        defer { lock.unlock() }
        let events = core.data.withLock { data -> [(subscription: ContinuousQuerySubscription, event: ContinuousQueryEvent)] in
            guard !data.pendingCacheEvents.isEmpty else { return [] }
            defer { data.pendingCacheEvents.removeAll() }
            // Queries of closed connections stop.
            for (cacheId, list) in data.continuousQueries {
                let live = list.filter { subscription in !subscription.session.state.withLock { $0.closed } }
                data.continuousQueries[cacheId] = live.isEmpty ? nil : live
            }
            return data.pendingCacheEvents
        }
        guard !events.isEmpty else { return }
        var order: [(ObjectIdentifier, Int64)] = []
        var batches: [String: (subscription: ContinuousQuerySubscription, events: [ContinuousQueryEvent])] = [:]
        for (subscription, event) in events {
            let key = "\(ObjectIdentifier(subscription.session).hashValue)/\(subscription.queryId)"
            if batches[key] == nil {
                batches[key] = (subscription, [])
                order.append((ObjectIdentifier(subscription.session), subscription.queryId))
            }
            batches[key]?.events.append(event)
        }
        for (session, queryId) in order {
            guard let batch = batches["\(session.hashValue)/\(queryId)"] else { continue }
            var writer = BinaryWriter(capacity: 64)
            guard (try? ContinuousQueryEvent.encodeBatch(batch.events, into: &writer)) != nil else { continue }
            batch.subscription.session.sendNotification(resourceId: queryId, opCode: .queryContinuousEventNotification, result: .success(writer.bytes))
        }
    }
}
