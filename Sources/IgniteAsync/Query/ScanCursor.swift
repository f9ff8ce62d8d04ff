import IgniteProtocol

/// The entries of a scan query (or of a SQL query over a cache's value type), page by page: an `AsyncSequence` of
/// `(key, value)` pairs.
///
/// ```swift
/// for try await (key, value) in try await cache.scan(keyType: Int32.self, valueType: String.self) { ... }
/// ```
///
/// The next page is fetched while the current one is consumed. A cursor read to its end holds nothing on the
/// server; one left early (a `break`, an error, a cancelled task) is released when its iteration ends. A cursor is
/// read once: a second iteration continues where the first stopped (or ends, if the first closed it).
public final class ScanCursor<Key: IgniteBinaryDecodable, Value: IgniteBinaryDecodable>: AsyncSequence, Sendable {
    /// One entry.
    public typealias Element = (key: Key, value: Value)

    private let core: CursorCore<CacheEntry>
    private let client: IgniteClient

    init(core: CursorCore<CacheEntry>, client: IgniteClient) {
        self.core = core
        self.client = client
    }

    /// The next entry; `nil` at the end.
    /// - Throws: ``IgniteError`` when a page cannot be fetched or an entry is not a `(Key, Value)`.
    public func next() async throws -> Element? {
        guard let entry = try await core.next() else { return nil }
        let key = try await client.decode(entry.key, as: Key.self)
        let value = try await client.decode(entry.value, as: Value.self)
        return (key, value)
    }

    /// Reads every remaining entry.
    /// - Returns: The entries.
    /// - Throws: ``IgniteError`` when a page cannot be fetched.
    public func all() async throws -> [Element] {
        var result: [Element] = []
        while let row = try await next() { result.append(row) }
        return result
    }

    /// Whether the server holds more pages.
    public var hasMore: Bool { core.serverHasMore }

    /// Closes the cursor (OP_RESOURCE_CLOSE if pages remain, queued without waiting). Idempotent.
    public func close() { core.close() }

    /// The iterator of a ``ScanCursor``; releasing it before the end closes the cursor.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let cursor: ScanCursor
        let lease: CursorLease<CacheEntry>

        /// The next entry, or `nil` at the end.
        /// - Throws: ``IgniteError`` when a page cannot be fetched or an entry cannot be decoded.
        public mutating func next() async throws -> Element? {
            try await cursor.next()
        }
    }

    /// An iterator over the remaining entries.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(cursor: self, lease: CursorLease(core: core))
    }
}

extension IgniteCache {
    /// Scans the cache (OP_QUERY_SCAN), page by page: pyignite's `scan`.
    /// - Parameters:
    ///   - pageSize: Entries per page (default 1024).
    ///   - partition: Scan only this partition (sent to its primary node when known); `nil` scans all.
    ///   - local: Scan only the data of the node serving the request.
    ///   - keyType: The key type (default ``IgniteValue``).
    ///   - valueType: The value type (default ``IgniteValue``).
    /// - Returns: A cursor over the entries.
    /// - Throws: ``IgniteError``; ``IgniteError/Code/notSupportedByCluster`` on a transactional handle (scans cannot
    ///   join a transaction).
    public func scan<K: IgniteBinaryDecodable, V: IgniteBinaryDecodable>(pageSize: Int = 1024, partition: Int? = nil, local: Bool = false,
                                                                         keyType: K.Type = IgniteValue.self,
                                                                         valueType: V.Type = IgniteValue.self) async throws -> ScanCursor<K, V> {
        let size = try IgniteClient.pageSize(pageSize)
        if let partition, partition < 0 || partition > Int(Int32.max) {
            throw IgniteError.parameter("partition \(partition) is out of range")
        }
        let route = try await client.route(cacheId: cacheId, expiryPolicy: expiryPolicy, transaction: transaction, partition: partition)
        return try await client.openCursor(route: route, first: { info in
            QueryScanRequest(cache: info, pageSize: size, partition: partition.map { Int32($0) }, local: local)
        }, page: { id, _ in QueryScanCursorGetPageRequest(cursorId: id) },
           makeCursor: { core, _ in ScanCursor<K, V>(core: core, client: client) })
    }

    /// Runs a SQL query over the cache's value type (OP_QUERY_SQL): pyignite's `select_row`.
    /// - Parameters:
    ///   - sql: The `WHERE` clause (or full query) over the value type's table.
    ///   - typeName: The value type's name (the table).
    ///   - arguments: Query arguments for `?` placeholders.
    ///   - pageSize: Entries per page.
    ///   - distributedJoins: Allow non-collocated joins.
    ///   - replicatedOnly: The query touches replicated caches only.
    ///   - local: Query only the serving node's data.
    ///   - timeout: Server-side timeout (whole milliseconds, rounded up); `nil` for none.
    ///   - keyType: The key type.
    ///   - valueType: The value type.
    /// - Returns: A cursor over matching entries.
    /// - Throws: ``IgniteError`` (``IgniteError/Code/sql`` for query errors).
    public func selectRow<K: IgniteBinaryDecodable, V: IgniteBinaryDecodable>(
        _ sql: String, typeName: String, arguments: [any IgniteBinaryEncodable] = [], pageSize: Int = 1024,
        distributedJoins: Bool = false, replicatedOnly: Bool = false, local: Bool = false, timeout: Duration? = nil,
        keyType: K.Type = IgniteValue.self, valueType: V.Type = IgniteValue.self) async throws -> ScanCursor<K, V> {
        let size = try IgniteClient.pageSize(pageSize)
        let milliseconds = try IgniteClient.timeoutMilliseconds(timeout)
        let args = try await client.encodeArguments(arguments)
        // OP_QUERY_SQL takes no expiry policy.
        let route = try await client.route(cacheId: cacheId, expiryPolicy: nil, transaction: transaction)
        return try await client.openCursor(route: route, first: { info in
            QuerySQLRequest(cache: info, typeName: typeName, sql: sql, arguments: args, distributedJoins: distributedJoins,
                            local: local, replicatedOnly: replicatedOnly, pageSize: size, timeout: milliseconds)
        }, page: { id, _ in QuerySQLCursorGetPageRequest(cursorId: id) },
           makeCursor: { core, _ in ScanCursor<K, V>(core: core, client: client) })
    }
}
