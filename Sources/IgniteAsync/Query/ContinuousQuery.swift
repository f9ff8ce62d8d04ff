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

/// A running continuous query (OP_QUERY_CONTINUOUS) as an `AsyncSequence` of its events.
///
/// ```swift
/// let changes = try await cache.continuousQuery()
/// for try await event in changes {          // leaving the loop (or cancelling the task) closes the query
///     print(event.kind, event.key, event.value as Any)
/// }
/// ```
///
/// * Events come in the order the server sent them. The connection's reader never waits for the consumer: at most
///   `bufferLimit` events wait; beyond that the sequence throws ``IgniteError/Code/illegalState`` ("consumer too
///   slow") and the query is closed on the server. Nothing is dropped silently.
/// * When the connection carrying the query is lost, the sequence throws the connection error: Ignite does not move
///   a query to another node; subscribe again (see Docs/CONTINUOUS-QUERIES.md).
/// * Iterate it once. Leaving the loop, an error, or cancelling the iterating task closes the query; so does
///   ``close()``.
public final class ContinuousQuery: AsyncSequence, @unchecked Sendable {
    /// One change.
    public typealias Element = ContinuousQueryEvent

    /// The server's id of the query.
    public let queryId: Int64
    /// The initial query's entries, if one was asked for.
    public let initialEntries: ScanCursor<IgniteValue, IgniteValue>?

    private let client: IgniteClient
    private let connection: AsyncConnection
    private let stream: AsyncThrowingStream<ContinuousQueryEvent, any Error>
    private let continuation: AsyncThrowingStream<ContinuousQueryEvent, any Error>.Continuation
    private let lock = NSLock()
    private var closed = false  // guarded by `lock`

    init(client: IgniteClient, connection: AsyncConnection, queryId: Int64, bufferLimit: Int,
         initialEntries: ScanCursor<IgniteValue, IgniteValue>?) {
        self.client = client
        self.connection = connection
        self.queryId = queryId
        self.initialEntries = initialEntries
        (stream, continuation) = AsyncThrowingStream.makeStream(of: ContinuousQueryEvent.self, throwing: (any Error).self,
                                                                bufferingPolicy: .bufferingOldest(bufferLimit))
    }

    /// Whether the query ended (closed, failed, or its connection lost).
    public var isClosed: Bool { lock.withLock { closed } }

    deinit { close() }

    /// Stops the query on the server (OP_RESOURCE_CLOSE) and ends the sequence. Idempotent.
    public func close() {
        guard finishOnce() else { return }
        continuation.finish()
        closeOnServer()
    }

    private func finishOnce() -> Bool {
        lock.withLock {
            if closed { return false }
            closed = true
            return true
        }
    }

    private func closeOnServer() {
        client.notifications.unregister(connection, resourceId: queryId)
        guard !connection.isBroken else { return }
        let client = self.client, connection = self.connection, id = queryId
        Task { _ = try? await client.send(ResourceCloseRequest(resourceId: id), on: connection) }
    }

    private func fail(_ error: IgniteError, closeServer: Bool) {
        guard finishOnce() else { return }
        continuation.finish(throwing: error)
        if closeServer { closeOnServer() } else { client.notifications.unregister(connection, resourceId: queryId) }
    }

    /// Called by the router on the connection's reader: decode and hand over, never waiting.
    func receive(_ result: Result<ConnectionStateMachine.Notification, IgniteError>, bufferLimit: Int) {
        switch result {
        case .failure(let error):
            fail(error, closeServer: false)
        case .success(let notification):
            do {
                if notification.header.status != 0 {
                    throw IgniteError(.server, notification.header.errorMessage ?? "continuous query failed", serverStatus: notification.header.status)
                }
                var reader = BinaryReader(notification.payload, position: notification.bodyOffset)
                // The client's per-response budget (maximumDecodedSize), as for replies.
                if let limit = client.binary.registry.decodedByteLimit { reader.decodedByteLimit = limit }
                for event in try ContinuousQueryEvent.decodeBatch(from: &reader) {
                    if case .dropped = continuation.yield(event) {
                        fail(IgniteError(.illegalState, "continuous query \(queryId): the consumer is too slow, more than \(bufferLimit) events waiting; the query was closed"),
                             closeServer: true)
                        return
                    }
                }
            } catch {
                fail((error as? IgniteError) ?? IgniteError(.parse, "bad continuous query notification", underlying: error), closeServer: true)
            }
        }
    }

    /// The iterator; when it is released (the loop is left) or its task cancelled, the query is closed.
    public final class AsyncIterator: AsyncIteratorProtocol {
        private let query: ContinuousQuery
        private var base: AsyncThrowingStream<ContinuousQueryEvent, any Error>.AsyncIterator

        init(query: ContinuousQuery) {
            self.query = query
            base = query.stream.makeAsyncIterator()
        }

        /// The next event; `nil` after ``ContinuousQuery/close()``.
        /// - Throws: The connection error, the overflow error, or a cancellation.
        public func next() async throws -> ContinuousQueryEvent? {
            do {
                guard let event = try await base.next() else {
                    query.close()
                    return nil
                }
                return event
            } catch {
                query.close()
                throw error
            }
        }

        deinit { query.close() }
    }

    /// The iterator over the events.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(query: self) }
}

extension IgniteCache {
    /// Subscribes to the cache's changes (OP_QUERY_CONTINUOUS): Java's `ContinuousQuery`, as an `AsyncSequence`.
    /// - Parameters:
    ///   - pageSize: Events a server node collects before it sends them (1: at once).
    ///   - timeInterval: The longest a partly filled page waits on the server (`.zero`: until it is full).
    ///   - includeExpired: Deliver expiry events too.
    ///   - initialQuery: A scan or SQL query run once after the subscription (``ContinuousQuery/initialEntries``).
    ///   - bufferLimit: The most events waiting for the consumer before the sequence fails (default 10,000).
    /// - Returns: The query; iterate it, and leave the loop (or call ``ContinuousQuery/close()``) to stop it.
    /// - Throws: ``IgniteError``; ``IgniteError/Code/notSupportedByCluster`` on a transactional handle.
    public func continuousQuery(pageSize: Int = 1, timeInterval: Duration = .zero, includeExpired: Bool = false,
                                initialQuery: ContinuousQueryInitialQuery? = nil,
                                bufferLimit: Int = 10_000) async throws -> ContinuousQuery {
        guard transaction == nil else { throw IgniteError(.notSupportedByCluster, "a continuous query cannot join a transaction") }
        guard bufferLimit > 0 else { throw IgniteError.parameter("bufferLimit must be ≥ 1") }
        let size = try IgniteClient.pageSize(pageSize)
        let interval = try IgniteClient.timeoutMilliseconds(timeInterval)
        let connection = try await client.pinnedConnection()
        let request = QueryContinuousRequest(cache: CacheInfo(cacheId: cacheId, expiryPolicy: nil), pageSize: size,
                                             timeIntervalMilliseconds: interval, includeExpired: includeExpired)
        let queryId = try await client.send(request, on: connection)
        var initial: ScanCursor<IgniteValue, IgniteValue>?
        do {
            switch initialQuery {
            case nil: break
            case .scan(let pageSize)?: initial = try await scan(pageSize: pageSize)
            case .sql(let sql, let typeName, let arguments)?:
                initial = try await selectRow(sql, typeName: typeName, arguments: arguments.map { $0 as any IgniteBinaryEncodable })
            }
        } catch {
            _ = try? await client.send(ResourceCloseRequest(resourceId: queryId), on: connection)
            throw error
        }
        let query = ContinuousQuery(client: client, connection: connection, queryId: queryId, bufferLimit: bufferLimit,
                                    initialEntries: initial)
        client.notifications.register(connection, resourceId: queryId, opCode: .queryContinuousEventNotification) { [weak query] result in
            query?.receive(result, bufferLimit: bufferLimit)
        }
        if connection.isBroken { query.receive(.failure(IgniteError(.connectionClosed, "the connection of the continuous query was lost")), bufferLimit: bufferLimit) }
        return query
    }
}
