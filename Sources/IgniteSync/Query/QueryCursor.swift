import IgniteProtocol

/// Drives a ``CursorStateMachine`` for the cursors: rows of the current page, page fetches, closing.
/// Pinned to the connection that opened the cursor (cursor ids are per connection).
///
/// A cursor dropped while the server still holds pages is released without blocking: `deinit` only queues the
/// OP_RESOURCE_CLOSE on its connection (``NodeConnection/closeResourceLater(_:)``), which sends it with the next
/// request there or from a background thread. `deinit` never performs I/O, so dropping a cursor is always cheap
/// and safe, on any thread, even with the server unreachable.
final class CursorCore<Row: Sendable>: @unchecked Sendable {
    private let mutex = PThreadMutex()
    private let client: IgniteClient
    private let connection: NodeConnection
    @exclusivity(unchecked) private var machine = CursorStateMachine<Row>()
    private let fetch: @Sendable (IgniteClient, NodeConnection, Int64) throws -> CursorPage<Row>

    init(client: IgniteClient, connection: NodeConnection, cursorId: Int64, firstPage: CursorPage<Row>,
         fetch: @escaping @Sendable (IgniteClient, NodeConnection, Int64) throws -> CursorPage<Row>) {
        self.client = client
        self.connection = connection
        self.fetch = fetch
        _ = machine.receiveFirstPage(cursorId: cursorId, page: firstPage)
    }

    deinit {
        // Dropped early: queue the release of the server-side cursor (no I/O here).
        if case .closeResource(let id) = machine.close() { connection.closeResourceLater(id) }
    }

    /// The next row, fetching the next page when the current one is used up.
    func next() throws -> Row? {
        mutex.lock()
        defer { mutex.unlock() }
        while true {
            switch machine.next() {
            case .row(let row): return row
            case .end: return nil
            case .failed(let error): throw error
            case .awaitingPage: throw IgniteError(.illegalState, "the cursor is waiting for a page")
            case .fetchPage(let id):
                do {
                    machine.receivePage(try fetch(client, connection, id))
                } catch let error as IgniteError {
                    machine.fail(error)
                    throw error
                }
            }
        }
    }

    /// Whether the server still holds more pages.
    var serverHasMore: Bool { mutex.withLock { machine.isHeldByServer } }

    /// Closes the cursor; releases the server-side cursor if pages remain (OP_RESOURCE_CLOSE).
    func close() throws {
        let action = mutex.withLock { machine.close() }
        if case .closeResource(let id) = action { try client.send(ResourceCloseRequest(resourceId: id), on: connection) }
    }
}

/// A cursor over query results (scan, SQL, SQL fields), read with throwing calls so that no error is lost.
///
/// ```swift
/// let cursor = try cache.scan(keyType: Int.self, valueType: String.self)
/// while let entry = try cursor.next() { print(entry.key, entry.value) }
/// // or: try cursor.forEach { key, value in print(key, value) }
/// // or: let entries = try cursor.all()
/// ```
///
/// A cursor read to its end holds nothing on the server. One dropped early is released without blocking (the close
/// is queued and sent with the next request on its connection, or from a background thread); ``close()`` releases
/// it at once and reports any error. Cursors are not `Sequence`s: a `for … in` loop could not report a failed page
/// fetch. (The async product's cursors are `AsyncSequence`s: `for try await row in cursor`.)
public protocol IgniteCursor<Element>: AnyObject, Sendable {
    /// One row.
    associatedtype Element
    /// The next row, fetching the next page from the server when the current one is used up.
    /// - Returns: The row, or `nil` at the end.
    /// - Throws: ``IgniteError`` when a row cannot be decoded, or when a page cannot be fetched (the cursor is then
    ///   failed and later calls throw the same error).
    func next() throws -> Element?
    /// Whether the server still holds more pages (rows not fetched yet).
    var hasMore: Bool { get }
    /// Closes the cursor, releasing its server resources (OP_RESOURCE_CLOSE if pages remain). Idempotent.
    /// - Throws: ``IgniteError`` if the server rejects the close.
    func close() throws
}

extension IgniteCursor {
    /// Calls `body` with each remaining row, in order.
    ///
    /// If `body` throws, the cursor is closed (errors of the close are ignored) and the error is rethrown.
    /// - Parameter body: The work per row.
    /// - Throws: ``IgniteError`` when a page cannot be fetched, or what `body` threw.
    public func forEach(_ body: (Element) throws -> Void) throws {
        while let row = try next() {
            do {
                try body(row)
            } catch {
                try? close()
                throw error
            }
        }
    }

    /// Reads every remaining row.
    /// - Returns: The rows.
    /// - Throws: ``IgniteError`` when a page cannot be fetched.
    public func all() throws -> [Element] {
        var result: [Element] = []
        while let row = try next() { result.append(row) }
        return result
    }
}
