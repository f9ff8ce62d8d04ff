import IgniteProtocol

/// The paging engine shared by the cursors: rows of the current page, the server cursor id, and whether more
/// pages remain. Pinned to the connection that opened the cursor (cursor ids are per connection).
final class CursorCore<Row: Sendable>: @unchecked Sendable {
    private let mutex = PThreadMutex()
    private let client: IgniteClient
    private let connection: NodeConnection
    private let cursorId: Int64
    private var rows: [Row]
    private var index = 0
    private var hasMore: Bool
    private var closed = false
    private let fetch: @Sendable (IgniteClient, NodeConnection, Int64) throws -> (rows: [Row], hasMore: Bool)

    init(client: IgniteClient, connection: NodeConnection, cursorId: Int64, rows: [Row], hasMore: Bool,
         fetch: @escaping @Sendable (IgniteClient, NodeConnection, Int64) throws -> (rows: [Row], hasMore: Bool)) {
        self.client = client
        self.connection = connection
        self.cursorId = cursorId
        self.rows = rows
        self.hasMore = hasMore
        self.fetch = fetch
    }

    deinit {
        // Release the server-side cursor if the caller dropped it early; errors do not matter here.
        if hasMore, !closed {
            _ = try? client.send(ResourceCloseRequest(resourceId: cursorId), on: connection)
        }
    }

    /// The next row, fetching the next page when the current one is used up.
    func next() throws -> Row? {
        mutex.lock()
        defer { mutex.unlock() }
        while true {
            if closed { return nil }
            if index < rows.count {
                let row = rows[index]
                index += 1
                return row
            }
            guard hasMore else { return nil }
            let page = try fetch(client, connection, cursorId)
            rows = page.rows
            index = 0
            hasMore = page.hasMore
        }
    }

    /// Whether the server still holds more pages.
    var serverHasMore: Bool { mutex.withLock { hasMore && !closed } }

    /// Closes the cursor; releases the server-side cursor if pages remain (OP_RESOURCE_CLOSE).
    func close() throws {
        let release = mutex.withLock { () -> Bool in
            guard !closed else { return false }
            closed = true
            rows = []
            return hasMore
        }
        if release { try client.send(ResourceCloseRequest(resourceId: cursorId), on: connection) }
    }
}

/// A row sequence whose iteration can fail: the iterator stops at the first error and keeps it in ``error``.
public protocol IgniteCursor: AnyObject, Sequence {
    /// The next row; `nil` at the end.
    /// - Throws: ``IgniteError`` when a page cannot be fetched.
    func nextRow() throws -> Element?
    /// The error that ended a `for … in` iteration early, if any.
    var error: IgniteError? { get }
    /// Closes the cursor, releasing its server resources. Idempotent.
    /// - Throws: ``IgniteError`` if the server rejects the close.
    func close() throws
}

extension IgniteCursor {
    /// Reads every remaining row.
    /// - Returns: The rows.
    /// - Throws: ``IgniteError`` when a page cannot be fetched.
    public func all() throws -> [Element] {
        var result: [Element] = []
        while let row = try nextRow() { result.append(row) }
        return result
    }
}

/// The iterator of every cursor: rows until the end or the first error.
public struct IgniteCursorIterator<Cursor: IgniteCursor>: IteratorProtocol {
    let cursor: Cursor
    let recordError: (IgniteError) -> Void

    /// The next row, or `nil` at the end or after an error (see ``IgniteCursor/error``).
    public mutating func next() -> Cursor.Element? {
        do {
            return try cursor.nextRow()
        } catch let error as IgniteError {
            recordError(error)
            return nil
        } catch {
            recordError(IgniteError(.illegalState, "cursor failed", underlying: error))
            return nil
        }
    }
}
