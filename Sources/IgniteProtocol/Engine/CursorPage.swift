/// One page of a query cursor: `i32 rowCount, row × rowCount, bool hasMore`.
///
/// When `hasMore` is false the server has already released the cursor.
package struct CursorPage<Row> {
    /// The rows of the page.
    public var rows: [Row]
    /// Whether the server holds more rows (and still holds the cursor).
    public var hasMore: Bool

    /// Creates a page.
    /// - Parameters:
    ///   - rows: The rows.
    ///   - hasMore: Whether more pages follow.
    public init(rows: [Row], hasMore: Bool) {
        self.rows = rows
        self.hasMore = hasMore
    }

    /// Reads a page.
    /// - Parameters:
    ///   - reader: Positioned at the row count.
    ///   - minimumRowSize: The fewest bytes one row can take (for example 2 for a key-value row of two nulls);
    ///     the row count is checked against the remaining bytes with it before anything is allocated.
    ///   - row: Reads one row.
    /// - Returns: The page.
    /// The rows count against the reader's decoded-size budget (``BinaryReader/decodedByteLimit``) before they are
    /// reserved.
    /// - Throws: ``IgniteError/Code/parse`` for a negative or hostile row count, a truncated page, a page that decodes
    ///   to more than the budget, or what `row` throws.
    public static func decode(from reader: inout BinaryReader, minimumRowSize: Int = 1,
                              row: (inout BinaryReader) throws -> Row) throws -> CursorPage<Row> {
        // The page ends with a 1-byte bool after the rows.
        let rawCount = try reader.readInt32()
        let count = try reader.checkCount(rawCount, elementSize: Swift.max(1, minimumRowSize))
        try reader.chargeDecoded(count, of: Row.self)
        var rows: [Row] = []
        rows.reserveCapacity(count)
        for _ in 0..<count { rows.append(try row(&reader)) }
        return CursorPage(rows: rows, hasMore: try reader.readBool())
    }

    /// Writes a page (server direction, used by the test node).
    /// - Parameters:
    ///   - writer: The writer to append to.
    ///   - row: Writes one row.
    public func encode(into writer: inout BinaryWriter, row: (inout BinaryWriter, Row) -> Void) {
        writer.writeInt32(Int32(truncatingIfNeeded: rows.count))
        for r in rows { row(&writer, r) }
        writer.writeBool(hasMore)
    }
}

extension CursorPage: Sendable where Row: Sendable {}
extension CursorPage: Equatable where Row: Equatable {}
extension CursorPage: Hashable where Row: Hashable {}
