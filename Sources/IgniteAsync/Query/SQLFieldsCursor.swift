import IgniteProtocol

/// The rows of a SQL fields query, page by page: an `AsyncSequence` of rows, each an array of column values.
///
/// ```swift
/// for try await row in try await client.sql("SELECT id, name FROM person") { ... }
/// ```
///
/// For DML statements the single row holds the number of rows changed. The next page is fetched while the current
/// one is consumed; a cursor left early (a `break`, an error, a cancelled task) is released when its iteration
/// ends, and ``close()`` releases it at once.
public final class SQLFieldsCursor: AsyncSequence, Sendable {
    /// One row: the column values in select-list order.
    public typealias Element = [IgniteValue]

    /// The column names, when the query asked for them (`includeFieldNames`).
    public let fieldNames: [String]?
    /// The number of columns.
    public let columnCount: Int

    private let core: CursorCore<[IgniteValue]>
    private let client: IgniteClient

    init(core: CursorCore<[IgniteValue]>, client: IgniteClient, fieldNames: [String]?, columnCount: Int) {
        self.core = core
        self.client = client
        self.fieldNames = fieldNames
        self.columnCount = columnCount
    }

    /// The next row; `nil` at the end. Compact-footer objects in the row have their schemas resolved.
    /// - Throws: ``IgniteError`` when a page cannot be fetched.
    public func next() async throws -> [IgniteValue]? {
        guard let row = try await core.next() else { return nil }
        for value in row { try await client.resolveSchemas(of: value) }
        return row
    }

    /// The next row with its values decoded as `T`.
    /// - Parameter type: The column type (use ``IgniteValue`` for mixed columns).
    /// - Returns: The row, or `nil` at the end; SQL `NULL`s become `nil`.
    /// - Throws: ``IgniteError`` when a page cannot be fetched or a value is not a `T`.
    public func next<T: IgniteBinaryDecodable>(as type: T.Type) async throws -> [T?]? {
        guard let row = try await core.next() else { return nil }
        var result: [T?] = []
        result.reserveCapacity(row.count)
        for value in row {
            if case .null = value {
                result.append(nil)
            } else {
                result.append(try await client.decode(value, as: type))
            }
        }
        return result
    }

    /// Reads every remaining row.
    /// - Returns: The rows.
    /// - Throws: ``IgniteError`` when a page cannot be fetched.
    public func all() async throws -> [[IgniteValue]] {
        var result: [[IgniteValue]] = []
        while let row = try await next() { result.append(row) }
        return result
    }

    /// Whether the server holds more pages.
    public var hasMore: Bool { core.serverHasMore }

    /// Closes the cursor (OP_RESOURCE_CLOSE if pages remain, queued without waiting). Idempotent.
    public func close() { core.close() }

    /// The iterator of a ``SQLFieldsCursor``; releasing it before the end closes the cursor.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let cursor: SQLFieldsCursor
        let lease: CursorLease<[IgniteValue]>

        /// The next row, or `nil` at the end.
        /// - Throws: ``IgniteError`` when a page cannot be fetched.
        public mutating func next() async throws -> [IgniteValue]? {
            try await cursor.next()
        }
    }

    /// An iterator over the remaining rows.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(cursor: self, lease: CursorLease(core: core))
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
                    cache: IgniteCache? = nil) async throws -> SQLFieldsCursor {
        let size = try IgniteClient.pageSize(pageSize)
        if let maxRows, maxRows < 0 || maxRows > Int(Int32.max) { throw IgniteError.parameter("maxRows \(maxRows) is out of range") }
        let milliseconds = try IgniteClient.timeoutMilliseconds(timeout)
        let args = try await encodeArguments(arguments)
        // OP_QUERY_SQL_FIELDS takes no expiry policy; queries cannot join a transaction (the request refuses).
        let route = try await self.route(cacheId: cache?.cacheId ?? 0, expiryPolicy: nil, transaction: cache?.transaction)
        return try await openCursor(route: route, first: { info in
            QuerySQLFieldsRequest(cache: info, schema: cache == nil ? schema : nil, sql: sql, arguments: args,
                                  pageSize: size, maxRows: Int32(maxRows ?? -1), statementType: statementType,
                                  distributedJoins: distributedJoins, local: local, replicatedOnly: replicatedOnly,
                                  enforceJoinOrder: enforceJoinOrder, collocated: collocated, lazy: lazy,
                                  timeout: milliseconds, includeFieldNames: includeFieldNames)
        }, page: { id, first in QuerySQLFieldsCursorGetPageRequest(cursorId: id, columnCount: first.columnCount) },
           makeCursor: { core, first in
            SQLFieldsCursor(core: core, client: self, fieldNames: first.fieldNames, columnCount: first.columnCount)
        })
    }
}
