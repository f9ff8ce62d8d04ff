import IgniteProtocol

extension IgniteCache {
    /// Queries the cache through an index of a query entity (OP_QUERY_INDEX, 2008): Java's `IndexQuery`.
    ///
    /// ```swift
    /// let adults = try cache.indexQuery("org.example.Person", criteria: [.greaterOrEqual("age", .int(18))], valueType: IgniteValue.self)
    /// while let (key, person) = try adults.next() { print(key, person) }
    /// ```
    /// - Parameters:
    ///   - typeName: The value type name of the query entity, as in its `valueType` (for example
    ///     `org.example.Person`). The servers look it up differently, and the client sends what each expects: a
    ///     GridGain 8 server (identified by feature bit 34) finds the type by its SIMPLE name (`QueryUtils.typeName`:
    ///     the part after the last `.`, then after the last `$`; what GridGain's `IndexQuery(Class)` sends), so the
    ///     client sends `Person`; Apache Ignite finds it by the binary type id of the name, so the client sends the
    ///     name as given. A table name is not accepted by either.
    ///   - index: The index name; `nil` lets the server pick the index whose leading fields are the criteria's.
    ///   - criteria: Conditions on the index's leading fields, all of which must hold (empty: every entry).
    ///   - pageSize: Entries per page (default 1024).
    ///   - partition: Query only this partition (sent to its primary node when known).
    ///   - limit: The most entries returned (`nil`: all); needs the server's INDEX_QUERY_LIMIT feature.
    ///   - local: Query only the serving node's data.
    ///   - keyType: The key type (default ``IgniteValue``).
    ///   - valueType: The value type (default ``IgniteValue``).
    /// - Returns: A cursor over the entries in index order.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the server lacks index queries (feature bit 14) or
    ///   limits (bit 15), or on a transactional handle; ``IgniteError/Code/parameter`` for bad arguments; the
    ///   server's error for an unknown type or index.
    public func indexQuery<K: IgniteBinaryDecodable, V: IgniteBinaryDecodable>(
        _ typeName: String, index: String? = nil, criteria: [IndexQueryCriterion] = [], pageSize: Int = 1024,
        partition: Int? = nil, limit: Int? = nil, local: Bool = false,
        keyType: K.Type = IgniteValue.self, valueType: V.Type = IgniteValue.self) throws -> ScanCursor<K, V> {
        let size = try IgniteClient.pageSize(pageSize)
        if let partition, partition < 0 || partition > Int(Int32.max) {
            throw IgniteError.parameter("partition \(partition) is out of range")
        }
        if let limit, limit <= 0 || limit > Int(Int32.max) { throw IgniteError.parameter("limit \(limit) is out of range") }
        let route = try client.route(cacheId: cacheId, expiryPolicy: expiryPolicy, transaction: transaction, partition: partition)
        return try client.openCursor(route: route, first: { info in
            QueryIndexRequest(cache: info, valueType: typeName, indexName: index, criteria: criteria.isEmpty ? nil : criteria,
                              pageSize: size, partition: partition.map { Int32($0) }, limit: Int32(limit ?? 0), local: local)
        }, page: { id, _ in QueryIndexCursorGetPageRequest(cursorId: id) },
           makeCursor: { core, _ in ScanCursor<K, V>(core: core, client: client) })
    }
}
