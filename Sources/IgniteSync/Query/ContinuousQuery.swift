import Dispatch
import Foundation
import IgniteProtocol

/// The query run once when a continuous query starts, to read what the cache already holds (Java's
/// `ContinuousQuery.setInitialQuery`). As the Java thin client does, it runs after the continuous query is registered,
/// so no change falls between the two (a change may be seen twice: in the initial result and as an event).
public enum ContinuousQueryInitialQuery: Sendable {
    /// A scan of the whole cache.
    case scan(pageSize: Int = 1024)
    /// A SQL query over the cache's value type (OP_QUERY_SQL).
    case sql(String, typeName: String, arguments: [IgniteValue] = [])
}

/// A running continuous query (OP_QUERY_CONTINUOUS): its events go to the listener until ``close()``.
///
/// Events are delivered in the order the server sent them, one at a time, on a serial queue of the handle's own —
/// never on the connection's reader, so a slow listener does not hold up other requests' replies. At most
/// `bufferLimit` events wait for the listener; beyond that the query fails with ``IgniteError/Code/illegalState``
/// ("listener too slow"), is closed on the server, and the error goes to the error callback: events are never
/// dropped silently. When the connection carrying the query is lost, the error callback gets the connection error
/// and the query is over (Ignite does not move it to another node): subscribe again.
///
/// IgniteSync has no reader thread: a connection is read while a request waits on it. While the query is open, its
/// handle therefore sends a heartbeat (OP_HEARTBEAT, or OP_CACHE_GET_NAMES without the HEARTBEAT feature) on the
/// query's connection every `pollInterval` during which nothing else was sent on it, so that events arrive within
/// that delay and a lost connection is noticed.
public final class ContinuousQueryHandle: @unchecked Sendable {
    /// The server's id of the query.
    public let queryId: Int64
    /// The initial query's entries, if one was asked for (read it before or while events arrive).
    public let initialEntries: ScanCursor<IgniteValue, IgniteValue>?

    private let client: IgniteClient
    private let connection: NodeConnection
    private let queue = DispatchQueue(label: "ignite-sync.continuous-query")
    private let lock = NSLock()
    // Guarded by `lock`.
    private var queued = 0
    private var finished = false
    private var poller: (any DispatchSourceTimer)?
    private var lastSent: UInt64 = 0

    init(client: IgniteClient, connection: NodeConnection, queryId: Int64, initialEntries: ScanCursor<IgniteValue, IgniteValue>?) {
        self.client = client
        self.connection = connection
        self.queryId = queryId
        self.initialEntries = initialEntries
    }

    /// Whether the query ended (closed, failed, or its connection lost).
    public var isClosed: Bool { lock.withLock { finished } }

    /// Stops the query on the server (OP_RESOURCE_CLOSE) and the delivery of its events. Idempotent.
    /// - Throws: ``IgniteError`` if the server rejects the close (the query is stopped locally anyway).
    public func close() throws {
        guard finishOnce() else { return }
        client.notifications.unregister(connection, resourceId: queryId)
        guard !connection.isBroken else { return }
        try client.send(ResourceCloseRequest(resourceId: queryId), on: connection)
    }

    private func finishOnce() -> Bool {
        let (first, timer) = lock.withLock { () -> (Bool, (any DispatchSourceTimer)?) in
            if finished { return (false, nil) }
            finished = true
            defer { poller = nil }
            return (true, poller)
        }
        timer?.cancel()
        return first
    }

    /// Keeps the idle connection read (see the type's documentation).
    func startPolling(every interval: Duration) {
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global())
        let nanoseconds = max(1_000_000, Int(IgniteClient.timeoutMillisecondsClamped(interval)) * 1_000_000)
        timer.schedule(deadline: .now() + .nanoseconds(nanoseconds), repeating: .nanoseconds(nanoseconds))
        let connection = self.connection, client = self.client
        lock.withLock { lastSent = connection.requestsSent }
        timer.setEventHandler { [weak self] in
            guard let self, !self.isClosed else { return }
            let sent = connection.requestsSent
            let previous = self.lock.withLock { () -> UInt64 in
                defer { self.lastSent = sent }
                return self.lastSent
            }
            guard sent == previous else { return }  // other requests read the connection meanwhile
            if connection.isBroken {
                self.receive(.failure(IgniteError(.connectionClosed, "the connection of continuous query \(self.queryId) was lost")),
                             bufferLimit: Int.max, onEvent: { _ in }, onError: self.lostHandler)
                return
            }
            if connection.context.has(.heartbeat) {
                _ = try? client.send(HeartbeatRequest(), on: connection)
            } else {
                _ = try? client.send(CacheGetNamesRequest(), on: connection)
            }
        }
        lock.withLock { poller = timer }
        timer.resume()
    }

    /// The error callback, for failures the poller notices.
    var lostHandler: @Sendable (IgniteError) -> Void = { _ in }

    /// Called by the router on the connection's reader: decode, check the buffer, hand over to the queue.
    func receive(_ result: Result<ConnectionStateMachine.Notification, IgniteError>, bufferLimit: Int,
                 onEvent: @escaping @Sendable (ContinuousQueryEvent) -> Void, onError: @escaping @Sendable (IgniteError) -> Void) {
        let events: [ContinuousQueryEvent]
        switch result {
        case .failure(let error):
            if finishOnce() { queue.async { onError(error) } }
            return
        case .success(let notification):
            do {
                if notification.header.status != 0 {
                    throw IgniteError(.server, notification.header.errorMessage ?? "continuous query failed", serverStatus: notification.header.status)
                }
                var reader = BinaryReader(notification.payload, position: notification.bodyOffset)
                // The client's per-response budget (maximumDecodedSize), as for replies.
                if let limit = client.binary.registry.decodedByteLimit { reader.decodedByteLimit = limit }
                events = try ContinuousQueryEvent.decodeBatch(from: &reader)
            } catch {
                fail((error as? IgniteError) ?? IgniteError(.parse, "bad continuous query notification", underlying: error), onError: onError)
                return
            }
        }
        let accepted = lock.withLock { () -> Bool? in
            if finished { return nil }
            guard queued + events.count <= bufferLimit else { return false }
            queued += events.count
            return true
        }
        switch accepted {
        case nil: return
        case false?:
            fail(IgniteError(.illegalState, "continuous query \(queryId): the listener is too slow, more than \(bufferLimit) events waiting; the query was closed"),
                 onError: onError)
        case true?:
            queue.async { [self] in
                for event in events where !isClosed { onEvent(event) }
                lock.withLock { queued -= events.count }
            }
        }
    }

    private func fail(_ error: IgniteError, onError: @escaping @Sendable (IgniteError) -> Void) {
        guard finishOnce() else { return }
        client.notifications.unregister(connection, resourceId: queryId)
        let connection = self.connection, id = queryId, client = self.client
        // Not on the delivery queue: a stuck listener must not hold the error back.
        DispatchQueue.global().async {
            if !connection.isBroken { _ = try? client.send(ResourceCloseRequest(resourceId: id), on: connection) }
            onError(error)
        }
    }
}

extension IgniteCache {
    /// Subscribes to the cache's changes (OP_QUERY_CONTINUOUS): Java's `ContinuousQuery` with a local listener.
    ///
    /// ```swift
    /// let query = try cache.continuousQuery(onError: { print("query ended:", $0) }) { event in
    ///     print(event.kind, event.key, event.oldValue as Any, event.value as Any)
    /// }
    /// defer { try? query.close() }
    /// ```
    /// - Parameters:
    ///   - pageSize: Events a server node collects before it sends them (1: at once).
    ///   - timeInterval: The longest a partly filled page waits on the server (`.zero`: until it is full).
    ///   - includeExpired: Deliver expiry events too.
    ///   - initialQuery: A scan or SQL query run once after the subscription (``ContinuousQueryHandle/initialEntries``).
    ///   - bufferLimit: The most events waiting for the listener before the query fails (default 10,000).
    ///   - pollInterval: How long the query's connection may stay unread (default 100 ms; see ``ContinuousQueryHandle``).
    ///   - onError: Called once if the query ends by itself: its connection was lost, or the listener fell behind.
    ///   - onEvent: Called for every event, in order, on the handle's serial queue.
    /// - Returns: The handle; ``ContinuousQueryHandle/close()`` stops the query (the query runs until then, even if
    ///   the handle is dropped).
    /// - Throws: ``IgniteError``; ``IgniteError/Code/notSupportedByCluster`` on a transactional handle.
    public func continuousQuery(pageSize: Int = 1, timeInterval: Duration = .zero, includeExpired: Bool = false,
                                initialQuery: ContinuousQueryInitialQuery? = nil, bufferLimit: Int = 10_000,
                                pollInterval: Duration = .milliseconds(100),
                                onError: @escaping @Sendable (IgniteError) -> Void = { _ in },
                                onEvent: @escaping @Sendable (ContinuousQueryEvent) -> Void) throws -> ContinuousQueryHandle {
        guard transaction == nil else { throw IgniteError(.notSupportedByCluster, "a continuous query cannot join a transaction") }
        guard bufferLimit > 0 else { throw IgniteError.parameter("bufferLimit must be ≥ 1") }
        let size = try IgniteClient.pageSize(pageSize)
        let interval = try IgniteClient.timeoutMilliseconds(timeInterval)
        let connection = try client.pinnedConnection()
        let request = QueryContinuousRequest(cache: CacheInfo(cacheId: cacheId, expiryPolicy: nil), pageSize: size,
                                             timeIntervalMilliseconds: interval, includeExpired: includeExpired)
        let queryId = try client.send(request, on: connection)
        var initial: ScanCursor<IgniteValue, IgniteValue>?
        do {
            switch initialQuery {
            case nil: break
            case .scan(let pageSize)?: initial = try scan(pageSize: pageSize)
            case .sql(let sql, let typeName, let arguments)?: initial = try selectRow(sql, typeName: typeName, arguments: arguments.map { $0 as any IgniteBinaryEncodable })
            }
        } catch {
            _ = try? client.send(ResourceCloseRequest(resourceId: queryId), on: connection)
            throw error
        }
        let handle = ContinuousQueryHandle(client: client, connection: connection, queryId: queryId, initialEntries: initial)
        handle.lostHandler = onError
        client.notifications.register(connection, resourceId: queryId, opCode: .queryContinuousEventNotification) { result in
            handle.receive(result, bufferLimit: bufferLimit, onEvent: onEvent, onError: onError)
        }
        handle.startPolling(every: pollInterval)
        if connection.isBroken { handle.receive(.failure(IgniteError(.connectionClosed, "the connection of the continuous query was lost")),
                                                bufferLimit: bufferLimit, onEvent: onEvent, onError: onError) }
        return handle
    }
}

extension IgniteClient {
    /// A duration in whole milliseconds (rounded up), at least 1, at most a day.
    static func timeoutMillisecondsClamped(_ duration: Duration) -> Int64 {
        min(86_400_000, max(1, duration.roundedUp(to: .milliseconds)))
    }
}
