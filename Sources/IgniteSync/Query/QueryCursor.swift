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
