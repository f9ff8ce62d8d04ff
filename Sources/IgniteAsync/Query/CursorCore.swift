import IgniteProtocol

/// Drives a ``CursorStateMachine`` for the async cursors: the rows of the current page, the next page fetched in
/// the background while they are consumed, and closing. Pinned to the connection that opened the cursor (cursor
/// ids are per connection).
///
/// Prefetch: as soon as a page is handed to the consumer, the machine's buffer is empty, so it asks for the next
/// page (when the server holds more), and the get-page request goes out at once in a task of its own.
///
/// Closing never waits: the OP_RESOURCE_CLOSE request is queued by the connection's shared state machine (sent with
/// the next request, or by a loop job) and its answer discarded. A
/// cursor whose iteration ends early (a `break`, an error, a cancelled task) is closed when its iterator is
/// released; a prefetch in flight is cancelled.
final class CursorCore<Row: Sendable>: @unchecked Sendable {
    private let lock = AsyncLock()
    private let connection: AsyncConnection
    private let fetch: @Sendable (Int64) async throws -> CursorPage<Row>
    // Guarded by `lock`.
    private var machine = CursorStateMachine<Row>()
    private var rows: [Row] = []
    private var index = 0
    private var prefetch: Task<CursorPage<Row>, any Error>?

    init(connection: AsyncConnection, cursorId: Int64, firstPage: CursorPage<Row>,
         fetch: @escaping @Sendable (Int64) async throws -> CursorPage<Row>) {
        self.connection = connection
        self.fetch = fetch
        _ = machine.receiveFirstPage(cursorId: cursorId, page: firstPage)
        lock.withLock { refillLocked() }
    }

    deinit {
        prefetch?.cancel()
        if case .closeResource(let id) = machine.close() { connection.closeResourceLater(id) }
    }

    /// Moves the machine's buffered rows to the consumer's buffer and starts fetching the next page if the server
    /// holds more. Lock held.
    private func refillLocked() {
        rows = machine.takeBufferedRows()
        index = 0
        guard prefetch == nil, case .fetchPage(let id) = machine.next() else { return }
        let fetch = self.fetch
        prefetch = Task { try await fetch(id) }
    }

    /// The next row, waiting for the prefetched page when the current one is used up.
    /// - Throws: ``IgniteError`` when a page cannot be fetched; ``IgniteError/Code/cancelled`` when the task was
    ///   cancelled (the cursor is then closed).
    func next() async throws -> Row? {
        while true {
            lock.lock()
            if index < rows.count {
                let row = rows[index]
                index += 1
                lock.unlock()
                return row
            }
            if let task = prefetch {
                lock.unlock()
                let page: CursorPage<Row>
                do {
                    page = try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
                } catch {
                    let failure = error as? IgniteError ?? IgniteError(.cancelled, "the cursor was cancelled", underlying: CancellationError())
                    lock.withLock {
                        prefetch = nil
                        machine.fail(failure)
                    }
                    close()
                    throw failure
                }
                lock.lock()
                prefetch = nil
                machine.receivePage(page)
                refillLocked()
                lock.unlock()
                continue
            }
            refillLocked()
            if index < rows.count || prefetch != nil {
                lock.unlock()
                continue
            }
            let step = machine.next()
            lock.unlock()
            switch step {
            case .row(let row): return row
            case .end: return nil
            case .failed(let error): throw error
            case .awaitingPage, .fetchPage: throw IgniteError(.illegalState, "the cursor lost track of a page request")
            }
        }
    }

    /// Whether the server still holds more pages.
    var serverHasMore: Bool { lock.withLock { machine.isHeldByServer } }

    /// Closes the cursor without waiting: a prefetch is cancelled, and OP_RESOURCE_CLOSE is queued if the server
    /// still holds the cursor. Idempotent.
    func close() {
        let (action, task) = lock.withLock { () -> (CursorStateMachine<Row>.CloseAction, Task<CursorPage<Row>, any Error>?) in
            let task = prefetch
            prefetch = nil
            rows = []
            index = 0
            return (machine.close(), task)
        }
        task?.cancel()
        if case .closeResource(let id) = action { connection.closeResourceLater(id) }
    }
}

/// Closes a cursor when the last iterator over it goes away (a `for try await` loop left early).
final class CursorLease<Row: Sendable>: Sendable {
    let core: CursorCore<Row>

    init(core: CursorCore<Row>) {
        self.core = core
    }

    deinit { core.close() }
}
