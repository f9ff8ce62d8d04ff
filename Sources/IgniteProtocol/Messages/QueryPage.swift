/// One page of query results: `i32 rowCount, rows, bool hasMore`.
///
/// When ``hasMore`` is false the server has already released the cursor: do not close it.
public struct QueryPage<Row: Hashable & Sendable>: Hashable, Sendable {
    /// The rows of this page.
    public var rows: [Row]
    /// Whether more pages follow.
    public var hasMore: Bool

    /// Creates a page.
    public init(rows: [Row], hasMore: Bool) {
        self.rows = rows
        self.hasMore = hasMore
    }
}

/// The first response of a scan or SQL query: the cursor id and the first page.
public struct QueryFirstPage<Row: Hashable & Sendable>: Hashable, Sendable {
    /// The cursor id, for get-page requests and OP_RESOURCE_CLOSE.
    public var cursorId: Int64
    /// The first page.
    public var page: QueryPage<Row>

    /// Creates a first page.
    public init(cursorId: Int64, page: QueryPage<Row>) {
        self.cursorId = cursorId
        self.page = page
    }
}

/// The first response of a SQL-fields query: `i64 cursorId, i32 columnCount, [String × columnCount], page`.
public struct SQLFieldsFirstPage: Hashable, Sendable {
    /// The cursor id, for get-page requests and OP_RESOURCE_CLOSE.
    public var cursorId: Int64
    /// The number of columns of every row (needed to read later pages).
    public var columnCount: Int
    /// The column names, if the request asked for them.
    public var fieldNames: [String]?
    /// The first page; each row holds ``columnCount`` values.
    public var page: QueryPage<[IgniteValue]>

    /// Creates a first page.
    public init(cursorId: Int64, columnCount: Int, fieldNames: [String]?, page: QueryPage<[IgniteValue]>) {
        self.cursorId = cursorId
        self.columnCount = columnCount
        self.fieldNames = fieldNames
        self.page = page
    }
}

extension BinaryReader {
    /// Reads a page of (key, value) rows.
    mutating func readEntryPage() throws -> QueryPage<CacheEntry> {
        let rows = try readCacheEntries()
        return QueryPage(rows: rows, hasMore: try readBool())
    }

    /// Reads a page of rows of `columnCount` values each.
    mutating func readFieldsPage(columnCount: Int) throws -> QueryPage<[IgniteValue]> {
        guard columnCount >= 0, columnCount <= Int(Int32.max) else {
            throw IgniteError.parse("invalid SQL column count \(columnCount)")
        }
        let rowCount = try readCount(elementSize: Swift.max(columnCount, 1))
        var rows: [[IgniteValue]] = []
        rows.reserveCapacity(rowCount)
        for _ in 0..<rowCount {
            var row: [IgniteValue] = []
            row.reserveCapacity(columnCount)
            for _ in 0..<columnCount { row.append(try readValue()) }
            rows.append(row)
        }
        return QueryPage(rows: rows, hasMore: try readBool())
    }
}

extension BinaryWriter {
    /// Writes a page of (key, value) rows.
    mutating func writeEntryPage(_ page: QueryPage<CacheEntry>) throws {
        try writeCacheEntries(page.rows)
        writeBool(page.hasMore)
    }

    /// Writes a page of rows of `columnCount` values each.
    mutating func writeFieldsPage(_ page: QueryPage<[IgniteValue]>, columnCount: Int) throws {
        try writeCount(page.rows.count, of: "rows")
        for row in page.rows {
            guard row.count == columnCount else {
                throw IgniteError.parameter("a row has \(row.count) values, but the query has \(columnCount) columns")
            }
            for value in row { writeValue(value) }
        }
        writeBool(page.hasMore)
    }
}

extension Int32 {
    /// Validates a page size: it must be positive.
    func validatedPageSize() throws -> Int32 {
        guard self > 0 else { throw IgniteError.parameter("page size must be positive, got \(self)") }
        return self
    }
}
