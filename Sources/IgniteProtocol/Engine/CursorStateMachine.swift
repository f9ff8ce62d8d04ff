/// A query cursor (scan, SQL, SQL fields, index query) as a pure state machine, generic over the row type.
///
/// The client sends the query, feeds the first response to ``receiveFirstPage(cursorId:page:)``, then calls
/// ``next()`` for each row. When the buffered rows run out and the server holds more, ``next()`` returns
/// ``Step/fetchPage(cursorId:)`` once; the client sends the get-page request and feeds the answer to
/// ``receivePage(_:)`` (or its failure to ``fail(_:)``).
///
/// Closing: ``close()`` returns ``CloseAction/closeResource(cursorId:)`` only while the server still holds the
/// cursor, that is after a page with `hasMore` = true. After the last page (`hasMore` = false) the server has
/// already released it, and closing it again would fail with status 1011. Closing twice does nothing.
///
/// ```
/// awaitingFirstPage ──first page──▶ open ──rows used up, hasMore──▶ (fetchPage) ──page──▶ open
///        │                           │ rows used up, !hasMore ──▶ exhausted
///        └──────── error ────────────┴──▶ failed              close() from any state ──▶ closed
/// ```
package struct CursorStateMachine<Row> {
    /// Where the cursor is.
    public enum Phase: Hashable, Sendable {
        /// The query was sent; its response (cursor id and first page) has not been fed yet.
        case awaitingFirstPage
        /// Rows are buffered and can be taken with ``CursorStateMachine/next()``.
        case hasRows
        /// The buffer is empty and the server holds more rows: a page must be fetched (or is being fetched).
        case needsPage
        /// Every row was delivered and the server released the cursor.
        case exhausted
        /// The cursor was closed by the user.
        case closed
        /// An error ended the cursor.
        case failed
    }

    /// What the consumer should do next.
    public enum Step {
        /// A row.
        case row(Row)
        /// Send the get-page request for this cursor and feed its answer to ``CursorStateMachine/receivePage(_:)``.
        /// Returned once per page; until the page arrives ``awaitingPage`` is returned instead.
        case fetchPage(cursorId: Int64)
        /// A page request is outstanding (the first page or a fetched one); feed its answer first.
        case awaitingPage
        /// No more rows: the cursor is exhausted or closed.
        case end
        /// The cursor failed with this error.
        case failed(IgniteError)
    }

    /// What closing requires.
    public enum CloseAction: Hashable, Sendable {
        /// Send OP_RESOURCE_CLOSE for this cursor id: the server still holds it.
        case closeResource(cursorId: Int64)
        /// Nothing to send.
        case none
    }

    private enum State {
        case awaitingFirstPage
        case open
        case exhausted
        case closed
        case failed(IgniteError)
    }

    private var state: State = .awaitingFirstPage
    private var buffer: [Row] = []
    private var index = 0
    /// Whether the last page said `hasMore` (so the server still holds the cursor).
    private var serverHoldsCursor = false
    private var pageRequested = false

    /// The cursor id, once the first page arrived.
    public private(set) var cursorId: Int64?

    /// Creates a cursor whose query was just sent.
    public init() {}

    /// Where the cursor is.
    public var phase: Phase {
        switch state {
        case .awaitingFirstPage: return .awaitingFirstPage
        case .open: return index < buffer.count ? .hasRows : (serverHoldsCursor ? .needsPage : .exhausted)
        case .exhausted: return .exhausted
        case .closed: return .closed
        case .failed: return .failed
        }
    }

    /// Whether the server still holds the cursor (and would need OP_RESOURCE_CLOSE to release it).
    public var isHeldByServer: Bool {
        switch state {
        case .open, .failed: return serverHoldsCursor && cursorId != nil
        case .awaitingFirstPage, .exhausted, .closed: return false
        }
    }

    /// The number of rows buffered and not yet taken.
    public var bufferedRowCount: Int { index < buffer.count ? buffer.count - index : 0 }

    /// Feeds the query's response: the cursor id and the first page.
    /// - Parameters:
    ///   - cursorId: The cursor id from the response.
    ///   - page: The first page.
    /// - Returns: ``CloseAction/closeResource(cursorId:)`` if the cursor was closed while the query was in flight and
    ///   the server holds it; otherwise ``CloseAction/none``.
    @discardableResult
    public mutating func receiveFirstPage(cursorId: Int64, page: CursorPage<Row>) -> CloseAction {
        switch state {
        case .awaitingFirstPage:
            self.cursorId = cursorId
            buffer = page.rows
            index = 0
            serverHoldsCursor = page.hasMore
            state = .open
            settle()
            return .none
        case .closed where self.cursorId == nil:
            // Closed before the cursor id was known: release it now if the server kept it.
            self.cursorId = cursorId
            return page.hasMore ? .closeResource(cursorId: cursorId) : .none
        default:
            fail(IgniteError(.protocolViolation, "cursor received a first page (cursor \(cursorId)) it did not wait for"))
            return .none
        }
    }

    /// Feeds a page fetched after ``Step/fetchPage(cursorId:)``.
    /// - Parameter page: The page.
    public mutating func receivePage(_ page: CursorPage<Row>) {
        switch state {
        case .open where pageRequested:
            pageRequested = false
            buffer = Array(buffer[index...]) + page.rows
            index = 0
            serverHoldsCursor = page.hasMore
            settle()
        case .closed, .failed:
            // A late answer to a request made before closing or failing: nothing to deliver.
            pageRequested = false
        default:
            fail(IgniteError(.protocolViolation, "cursor \(cursorId.map(String.init) ?? "?") received a page it did not ask for"))
        }
    }

    /// Ends the cursor with an error (the query or a get-page request failed, or a page could not be decoded).
    ///
    /// The server is assumed to have released the cursor when the error is connection-level (the connection and
    /// its resources are gone) or status 1011 (the resource does not exist); after any other error it may still hold
    /// it, and ``close()`` then asks to release it.
    /// - Parameter error: The error.
    public mutating func fail(_ error: IgniteError) {
        switch state {
        case .closed, .exhausted, .failed:
            return
        case .awaitingFirstPage, .open:
            if Failover.isConnectionLevel(error, phase: .inFlight) || error.serverStatus == ServerStatus.resourceDoesNotExist {
                serverHoldsCursor = false
            }
            pageRequested = false
            buffer = []
            index = 0
            state = .failed(error)
        }
    }

    /// Takes the next row, or says what has to happen first.
    /// - Returns: The next step.
    public mutating func next() -> Step {
        switch state {
        case .awaitingFirstPage:
            return .awaitingPage
        case .exhausted, .closed:
            return .end
        case .failed(let error):
            return .failed(error)
        case .open:
            if index < buffer.count {
                let row = buffer[index]
                index += 1
                if index == buffer.count {
                    buffer.removeAll(keepingCapacity: true)
                    index = 0
                    settle()
                }
                return .row(row)
            }
            guard serverHoldsCursor, let cursorId else {
                state = .exhausted
                return .end
            }
            if pageRequested { return .awaitingPage }
            pageRequested = true
            return .fetchPage(cursorId: cursorId)
        }
    }

    /// Takes every buffered row at once (for consumers that hand out whole pages).
    /// - Returns: The buffered rows, possibly none; check ``phase`` for what comes next.
    public mutating func takeBufferedRows() -> [Row] {
        guard case .open = state, index < buffer.count else { return [] }
        let rows = Array(buffer[index...])
        buffer.removeAll(keepingCapacity: true)
        index = 0
        settle()
        return rows
    }

    /// Closes the cursor.
    /// - Returns: ``CloseAction/closeResource(cursorId:)`` while the server still holds the cursor (the last page
    ///   said `hasMore`); ``CloseAction/none`` after the last page, after a connection failure, and on a second close.
    public mutating func close() -> CloseAction {
        let action: CloseAction = isHeldByServer ? cursorId.map { .closeResource(cursorId: $0) } ?? .none : .none
        switch state {
        case .closed:
            return .none
        default:
            state = .closed
            buffer = []
            index = 0
            serverHoldsCursor = false
            return action
        }
    }

    /// Moves an open cursor whose buffer is empty and whose server side is released to ``Phase/exhausted``.
    private mutating func settle() {
        if case .open = state, index >= buffer.count, !serverHoldsCursor {
            state = .exhausted
        }
    }
}

extension CursorStateMachine: Sendable where Row: Sendable {}
extension CursorStateMachine.Step: Sendable where Row: Sendable {}
