/// The first response of a scan or SQL query: the cursor id and the first page.
package struct QueryFirstPage<Row: Hashable & Sendable>: Hashable, Sendable {
    /// The cursor id, for get-page requests and OP_RESOURCE_CLOSE.
    public var cursorId: Int64
    /// The first page.
    public var page: CursorPage<Row>

    /// Creates a first page.
    public init(cursorId: Int64, page: CursorPage<Row>) {
        self.cursorId = cursorId
        self.page = page
    }
}

extension QueryFirstPage where Row == CacheEntry {
    /// Reads the first response of a scan or SQL (row) query: `i64 cursorId`, then a page of (key, value) rows.
    /// - Throws: ``IgniteError/Code/parse`` for a malformed body.
    static func decodeEntries(from reader: inout BinaryReader) throws -> QueryFirstPage<CacheEntry> {
        let cursorId = try reader.readInt64()
        return QueryFirstPage(cursorId: cursorId, page: try reader.readEntryPage())
    }

    /// Writes the first response of a scan or SQL (row) query (server direction).
    /// - Throws: ``IgniteError/Code/parameter`` for more rows than the protocol can count.
    func encodeEntries(into writer: inout BinaryWriter) throws {
        writer.writeInt64(cursorId)
        try writer.writeEntryPage(page)
    }
}

/// The first response of a SQL-fields query: `i64 cursorId, i32 columnCount, [String × columnCount], page`.
package struct SQLFieldsFirstPage: Hashable, Sendable {
    /// The cursor id, for get-page requests and OP_RESOURCE_CLOSE.
    public var cursorId: Int64
    /// The number of columns of every row (needed to read later pages).
    public var columnCount: Int
    /// The column names, if the request asked for them.
    public var fieldNames: [String]?
    /// The first page; each row holds ``columnCount`` values.
    public var page: CursorPage<[IgniteValue]>

    /// Creates a first page.
    public init(cursorId: Int64, columnCount: Int, fieldNames: [String]?, page: CursorPage<[IgniteValue]>) {
        self.cursorId = cursorId
        self.columnCount = columnCount
        self.fieldNames = fieldNames
        self.page = page
    }
}

extension BinaryReader {
    /// Reads a page of (key, value) rows.
    mutating func readEntryPage() throws -> CursorPage<CacheEntry> {
        try CursorPage.decode(from: &self, minimumRowSize: 2) { reader in
            let key = try reader.readValue()
            return CacheEntry(key: key, value: try reader.readValue())
        }
    }

    /// Reads a page of rows of `columnCount` values each.
    mutating func readFieldsPage(columnCount: Int) throws -> CursorPage<[IgniteValue]> {
        guard columnCount >= 0, columnCount <= Int(Int32.max) else {
            throw IgniteError.parse("invalid SQL column count \(columnCount)")
        }
        return try CursorPage.decode(from: &self, minimumRowSize: columnCount) { reader in
            try reader.chargeDecoded(columnCount, of: IgniteValue.self)  // the row's storage
            var row: [IgniteValue] = []
            row.reserveCapacity(columnCount)
            for _ in 0..<columnCount { row.append(try reader.readValue()) }
            return row
        }
    }
}

extension BinaryWriter {
    /// Writes a page of (key, value) rows.
    mutating func writeEntryPage(_ page: CursorPage<CacheEntry>) throws {
        guard page.rows.count <= Int(Int32.max) else { throw IgniteError.parameter("too many rows: \(page.rows.count)") }
        page.encode(into: &self) { writer, entry in
            writer.writeValue(entry.key)
            writer.writeValue(entry.value)
        }
    }

    /// Writes a page of rows of `columnCount` values each.
    mutating func writeFieldsPage(_ page: CursorPage<[IgniteValue]>, columnCount: Int) throws {
        guard page.rows.count <= Int(Int32.max) else { throw IgniteError.parameter("too many rows: \(page.rows.count)") }
        if let row = page.rows.first(where: { $0.count != columnCount }) {
            throw IgniteError.parameter("a row has \(row.count) values, but the query has \(columnCount) columns")
        }
        page.encode(into: &self) { writer, row in
            for value in row { writer.writeValue(value) }
        }
    }
}

extension Int32 {
    /// Validates a page size: it must be positive.
    func validatedPageSize() throws -> Int32 {
        guard self > 0 else { throw IgniteError.parameter("page size must be positive, got \(self)") }
        return self
    }
}
