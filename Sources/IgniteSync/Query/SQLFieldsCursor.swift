import IgniteProtocol

/// The rows of a SQL fields query, page by page. Each row is an array of column values.
///
/// A `for … in` loop stops at the first error, which ``error`` then holds; ``nextRow()`` throws instead.
/// For DML statements the single row holds the number of rows changed. A cursor dropped before its end is released
/// without blocking (see ``ScanCursor``); ``close()`` releases it at once.
public final class SQLFieldsCursor: IgniteCursor, @unchecked Sendable {
    /// One row: the column values in select-list order.
    public typealias Element = [IgniteValue]

    /// The column names, when the query asked for them (`includeFieldNames`).
    public let fieldNames: [String]?
    /// The number of columns.
    public let columnCount: Int

    private let core: CursorCore<[IgniteValue]>
    private let client: IgniteClient
    private let errorLock = PThreadMutex()
    private var lastError: IgniteError?

    init(core: CursorCore<[IgniteValue]>, client: IgniteClient, fieldNames: [String]?, columnCount: Int) {
        self.core = core
        self.client = client
        self.fieldNames = fieldNames
        self.columnCount = columnCount
    }

    /// The next row; `nil` at the end. Compact-footer objects in the row have their schemas resolved.
    /// - Throws: ``IgniteError`` when a page cannot be fetched.
    public func nextRow() throws -> [IgniteValue]? {
        guard let row = try core.next() else { return nil }
        for value in row { try client.resolveSchemas(in: value) }
        return row
    }

    /// The next row with its values decoded as `T`.
    /// - Parameter type: The column type (use ``IgniteValue`` for mixed columns).
    /// - Returns: The row, or `nil` at the end; SQL `NULL`s become `nil`.
    /// - Throws: ``IgniteError`` when a page cannot be fetched or a value is not a `T`.
    public func nextRow<T: IgniteBinaryDecodable>(as type: T.Type) throws -> [T?]? {
        guard let row = try core.next() else { return nil }
        return try row.map { value in
            if case .null = value { return nil }
            return try client.decode(value, as: type)
        }
    }

    /// Whether the server holds more pages.
    public var hasMore: Bool { core.serverHasMore }

    /// The error that ended a `for … in` iteration early, if any.
    public var error: IgniteError? { errorLock.withLock { lastError } }

    /// Closes the cursor (OP_RESOURCE_CLOSE if pages remain). Idempotent.
    /// - Throws: ``IgniteError`` if the server rejects the close.
    public func close() throws { try core.close() }

    /// An iterator over the remaining rows.
    public func makeIterator() -> IgniteCursorIterator<SQLFieldsCursor> {
        IgniteCursorIterator(cursor: self) { [self] error in errorLock.withLock { lastError = error } }
    }
}

extension IgniteClient {
    /// Runs a SQL fields query (OP_QUERY_SQL_FIELDS): pyignite's `Client.sql`.
    /// - Parameters:
    ///   - sql: The statement.
    ///   - pageSize: Rows per page (default 1024).
    ///   - arguments: Values for the `?` placeholders.
    ///   - schema: The SQL schema (default `PUBLIC`); ignored when `cache` is given.
    ///   - statementType: Restrict to SELECT or UPDATE statements (default: any).
    ///   - distributedJoins: Allow non-collocated joins.
    ///   - local: Query only the serving node's data.
    ///   - replicatedOnly: The query touches replicated caches only.
    ///   - enforceJoinOrder: Keep the join order as written.
    ///   - collocated: The data are collocated by the grouping key.
    ///   - lazy: Stream the result instead of materialising it on the server.
    ///   - includeFieldNames: Return the column names (see ``SQLFieldsCursor/fieldNames``).
    ///   - maxRows: At most this many rows; `nil` for no limit.
    ///   - timeout: Server-side timeout; `nil` for none.
    ///   - cache: Run in the context of this cache (its schema) instead of `schema`.
    /// - Returns: A cursor over the rows.
    /// - Throws: ``IgniteError`` (``IgniteError/Code/sql`` with the SQLSTATE-prefixed message for query errors).
    public func sql(_ sql: String, pageSize: Int = 1024, arguments: [any IgniteBinaryEncodable] = [], schema: String = "PUBLIC",
                    statementType: SQLStatementType = .any, distributedJoins: Bool = false, local: Bool = false,
                    replicatedOnly: Bool = false, enforceJoinOrder: Bool = false, collocated: Bool = false, lazy: Bool = false,
                    includeFieldNames: Bool = false, maxRows: Int? = nil, timeout: Duration? = nil,
                    cache: IgniteCache? = nil) throws -> SQLFieldsCursor {
        guard pageSize > 0, pageSize <= Int(Int32.max) else { throw IgniteError.parameter("page size \(pageSize) must be positive") }
        if let maxRows, maxRows < 0 || maxRows > Int(Int32.max) { throw IgniteError.parameter("maxRows \(maxRows) is out of range") }
        let args = try encodeArguments(arguments)
        let connection: NodeConnection
        var info = CacheInfo(cacheId: cache?.cacheId ?? 0)
        if let transaction = transactions.current() {
            connection = transaction.connection
            info.transactionId = transaction.id
        } else {
            connection = try self.connection(forNode: nil)
        }
        let request = QuerySQLFieldsRequest(cache: info, schema: cache == nil ? schema : nil, sql: sql, arguments: args,
                                            pageSize: Int32(pageSize), maxRows: Int32(maxRows ?? -1), statementType: statementType,
                                            distributedJoins: distributedJoins, local: local, replicatedOnly: replicatedOnly,
                                            enforceJoinOrder: enforceJoinOrder, collocated: collocated, lazy: lazy,
                                            timeout: timeout.map(IgniteClient.milliseconds) ?? 0, includeFieldNames: includeFieldNames)
        let first = try send(request, on: connection)
        let columns = first.columnCount
        let core = CursorCore<[IgniteValue]>(client: self, connection: connection, cursorId: first.cursorId,
                                             firstPage: first.page) { client, connection, id in
            return try client.send(QuerySQLFieldsCursorGetPageRequest(cursorId: id, columnCount: columns), on: connection)
        }
        return SQLFieldsCursor(core: core, client: self, fieldNames: first.fieldNames, columnCount: columns)
    }

    /// Encodes query arguments once, registering any binary types they use.
    func encodeArguments(_ arguments: [any IgniteBinaryEncodable]) throws -> [EncodedValue] {
        var types = BinaryTypeCollector()
        var result: [EncodedValue] = []
        result.reserveCapacity(arguments.count)
        for argument in arguments {
            result.append(try EncodedValue(argument, types: &types))
        }
        if !types.isEmpty { try registerTypes(types) }
        return result
    }

    /// A duration in whole milliseconds (rounded up, clamped to `Int64`).
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        if ms.overflow { return seconds < 0 ? 0 : Int64.max }
        return max(0, ms.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
