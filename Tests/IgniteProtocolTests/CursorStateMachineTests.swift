import Testing
@testable import IgniteProtocol

@Suite("CursorStateMachine")
struct CursorStateMachineTests {
    typealias Cursor = CursorStateMachine<Int>

    /// A step without the payload's equality problem (IgniteError is not Equatable).
    enum Seen: Equatable {
        case row(Int), fetch(Int64), awaiting, end, failed(Int32?)
    }

    static func seen(_ step: Cursor.Step) -> Seen {
        switch step {
        case .row(let r): .row(r)
        case .fetchPage(let id): .fetch(id)
        case .awaitingPage: .awaiting
        case .end: .end
        case .failed(let e): .failed(e.serverStatus)
        }
    }

    static func page(_ rows: ClosedRange<Int>, more: Bool) -> CursorPage<Int> {
        CursorPage(rows: Array(rows), hasMore: more)
    }

    /// Pulls steps until the cursor needs something other than a row; returns the rows and the final step.
    static func drain(_ cursor: inout Cursor) -> ([Int], Seen) {
        var rows: [Int] = []
        while true {
            let step = seen(cursor.next())
            guard case .row(let r) = step else { return (rows, step) }
            rows.append(r)
        }
    }

    @Test("full read over pages 3/3/3/1: one fetch per page, exhausted, close sends nothing")
    func fullRead() {
        var cursor = Cursor()
        #expect(cursor.phase == .awaitingFirstPage)
        #expect(Self.seen(cursor.next()) == .awaiting)
        cursor.receiveFirstPage(cursorId: 1, page: Self.page(1...3, more: true))
        #expect(cursor.phase == .hasRows)
        #expect(cursor.isHeldByServer)
        var all: [Int] = []
        var fetches = 0
        let pages = [Self.page(4...6, more: true), Self.page(7...9, more: true), Self.page(10...10, more: false)]
        for next in pages {
            let (rows, step) = Self.drain(&cursor)
            all += rows
            #expect(step == .fetch(1))
            #expect(cursor.phase == .needsPage)
            #expect(Self.seen(cursor.next()) == .awaiting, "a fetch is emitted once per page")
            fetches += 1
            cursor.receivePage(next)
        }
        let (rows, step) = Self.drain(&cursor)
        all += rows
        #expect(step == .end)
        #expect(all == Array(1...10))
        #expect(fetches == 3)
        #expect(cursor.phase == .exhausted)
        #expect(!cursor.isHeldByServer)
        #expect(cursor.close() == .none, "the server already released it: closing would get 1011")
        #expect(cursor.phase == .closed)
        #expect(cursor.close() == .none)
        #expect(Self.seen(cursor.next()) == .end)
    }

    @Test("early close while the server holds the cursor sends one resource close")
    func earlyClose() {
        var cursor = Cursor()
        cursor.receiveFirstPage(cursorId: 7, page: Self.page(1...3, more: true))
        #expect(Self.seen(cursor.next()) == .row(1))
        #expect(cursor.bufferedRowCount == 2)
        #expect(cursor.close() == .closeResource(cursorId: 7))
        #expect(cursor.phase == .closed)
        #expect(cursor.close() == .none, "closing twice is a no-op")
        #expect(Self.seen(cursor.next()) == .end)
        #expect(cursor.bufferedRowCount == 0)
    }

    @Test("close after the last page arrived, with rows still buffered: nothing to send")
    func closeAfterLastPageBuffered() {
        var cursor = Cursor()
        cursor.receiveFirstPage(cursorId: 2, page: Self.page(1...3, more: false))
        #expect(cursor.phase == .hasRows)
        #expect(!cursor.isHeldByServer)
        #expect(Self.seen(cursor.next()) == .row(1))
        #expect(cursor.close() == .none)
    }

    @Test("an empty single page is exhausted at once")
    func emptyResult() {
        var cursor = Cursor()
        cursor.receiveFirstPage(cursorId: 3, page: CursorPage(rows: [], hasMore: false))
        #expect(cursor.phase == .exhausted)
        #expect(Self.seen(cursor.next()) == .end)
        #expect(cursor.close() == .none)
    }

    @Test("error on get-page: failed state, sticky; close depends on whether the server still holds it")
    func errorOnGetPage() {
        // Connection lost: the server released everything of that connection.
        var lost = Cursor()
        lost.receiveFirstPage(cursorId: 1, page: Self.page(1...3, more: true))
        _ = Self.drain(&lost)
        lost.fail(IgniteError(.connectionClosed, "closed"))
        #expect(lost.phase == .failed)
        #expect(Self.seen(lost.next()) == .failed(nil))
        #expect(Self.seen(lost.next()) == .failed(nil))
        #expect(lost.close() == .none)
        #expect(lost.phase == .closed)

        // 1011: the resource is gone.
        var gone = Cursor()
        gone.receiveFirstPage(cursorId: 1, page: Self.page(1...3, more: true))
        _ = Self.drain(&gone)
        gone.fail(IgniteError.server(status: ServerStatus.resourceDoesNotExist, message: "50000: Failed to find resource with id: 1", opCode: .queryScanCursorGetPage))
        #expect(Self.seen(gone.next()) == .failed(1011))
        #expect(gone.close() == .none)

        // A page that could not be decoded: the server may still hold the cursor, so release it.
        var undecodable = Cursor()
        undecodable.receiveFirstPage(cursorId: 5, page: Self.page(1...3, more: true))
        _ = Self.drain(&undecodable)
        undecodable.fail(IgniteError.parse("truncated page"))
        #expect(undecodable.isHeldByServer)
        #expect(undecodable.close() == .closeResource(cursorId: 5))

        // A late page after the failure is ignored.
        undecodable.receivePage(Self.page(4...6, more: true))
        #expect(Self.seen(undecodable.next()) == .end)
    }

    @Test("error on the query itself, and close before the first page arrived")
    func earlyStates() {
        var failed = Cursor()
        failed.fail(IgniteError.server(status: ServerStatus.tooManyCursors, message: "Too many open cursors", opCode: .queryScan))
        #expect(Self.seen(failed.next()) == .failed(1010))
        #expect(failed.close() == .none)

        var closedEarly = Cursor()
        #expect(closedEarly.close() == .none)
        #expect(closedEarly.receiveFirstPage(cursorId: 9, page: Self.page(1...3, more: true)) == .closeResource(cursorId: 9))
        #expect(Self.seen(closedEarly.next()) == .end)

        var closedEarlyLast = Cursor()
        _ = closedEarlyLast.close()
        #expect(closedEarlyLast.receiveFirstPage(cursorId: 9, page: Self.page(1...3, more: false)) == .none)
    }

    @Test("protocol violations: unrequested pages fail the cursor")
    func violations() {
        var cursor = Cursor()
        cursor.receiveFirstPage(cursorId: 1, page: Self.page(1...3, more: true))
        cursor.receivePage(Self.page(4...6, more: true))
        guard case .failed(let error) = cursor.next() else {
            Issue.record("expected failure")
            return
        }
        #expect(error.code == .protocolViolation)
        #expect(cursor.isHeldByServer, "the server still holds it: close releases it")
        #expect(cursor.close() == .closeResource(cursorId: 1))

        var twice = Cursor()
        twice.receiveFirstPage(cursorId: 1, page: Self.page(1...1, more: false))
        #expect(Self.seen(twice.next()) == .row(1))
        twice.receiveFirstPage(cursorId: 1, page: Self.page(1...1, more: false))
        #expect(Self.seen(twice.next()) == .end, "an exhausted cursor ignores the stray page")

        var open = Cursor()
        open.receiveFirstPage(cursorId: 1, page: Self.page(1...2, more: false))
        open.receiveFirstPage(cursorId: 1, page: Self.page(1...2, more: false))
        #expect(Self.seen(open.next()) == .failed(nil), "a second first page is a protocol violation")
    }

    @Test("takeBufferedRows hands out whole pages")
    func batches() {
        var cursor = Cursor()
        cursor.receiveFirstPage(cursorId: 4, page: Self.page(1...3, more: true))
        #expect(cursor.takeBufferedRows() == [1, 2, 3])
        #expect(cursor.takeBufferedRows() == [])
        #expect(cursor.phase == .needsPage)
        #expect(Self.seen(cursor.next()) == .fetch(4))
        cursor.receivePage(Self.page(4...5, more: false))
        #expect(cursor.takeBufferedRows() == [4, 5])
        #expect(cursor.phase == .exhausted)
    }

    // MARK: Replaying real traffic

    /// Runs a cursor against captured frames of one scan: every request the cursor asks for must be the next
    /// client frame in the capture, and every page it is fed is the server's recorded answer.
    static func replay(_ scenario: String, takeRows limit: Int?) throws -> (rows: [IgniteValue], requests: [(OpCode, Int64)]) {
        let frames = try PartitionCaptures.load("scan-sql.jsonl").filter { $0.scenario == scenario }
        var queue = frames[...]
        func nextFrame(clientToServer: Bool) throws -> PartitionCaptureFrame {
            let frame = try #require(queue.first)
            queue = queue.dropFirst()
            #expect(frame.clientToServer == clientToServer)
            return frame
        }
        func readRow(_ reader: inout BinaryReader) throws -> IgniteValue {
            let key = try reader.readValue()
            _ = try reader.readValue()
            return key
        }
        // The query and its answer: i64 cursor id, then the first page.
        _ = try nextFrame(clientToServer: true)
        let first = try nextFrame(clientToServer: false)
        var reader = BinaryReader(first.bytes, position: 4)
        _ = try ResponseHeader.decode(from: &reader, context: first.context)
        let cursorId = try reader.readInt64()
        var cursor = CursorStateMachine<IgniteValue>()
        cursor.receiveFirstPage(cursorId: cursorId, page: try CursorPage.decode(from: &reader, minimumRowSize: 2, row: readRow))
        #expect(reader.isAtEnd)

        var rows: [IgniteValue] = []
        var requests: [(OpCode, Int64)] = []
        func expectRequest(_ op: OpCode, _ id: Int64) throws -> PartitionCaptureFrame {
            let frame = try nextFrame(clientToServer: true)
            var body = BinaryReader(frame.bytes, position: 4)
            #expect(OpCode(try body.readInt16()) == op)
            _ = try body.readInt64()
            #expect(try body.readInt64() == id)
            requests.append((op, id))
            return try nextFrame(clientToServer: false)
        }
        loop: while limit.map({ rows.count < $0 }) ?? true {
            switch cursor.next() {
            case .row(let row): rows.append(row)
            case .fetchPage(let id):
                let answer = try expectRequest(.queryScanCursorGetPage, id)
                var pageReader = BinaryReader(answer.bytes, position: 4)
                _ = try ResponseHeader.decode(from: &pageReader, context: answer.context)
                cursor.receivePage(try CursorPage.decode(from: &pageReader, minimumRowSize: 2, row: readRow))
                #expect(pageReader.isAtEnd)
            case .end: break loop
            case .awaitingPage, .failed: Issue.record("unexpected step"); break loop
            }
        }
        if case .closeResource(let id) = cursor.close() {
            let answer = try expectRequest(.resourceClose, id)
            var headerReader = BinaryReader(answer.bytes, position: 4)
            #expect(try ResponseHeader.decode(from: &headerReader, context: answer.context).isSuccess)
        }
        #expect(queue.isEmpty, "the cursor sent exactly what the real client sent")
        return (rows, requests)
    }

    @Test("replay: scan with page size 3 over 10 entries, read to the end (no close sent)", PartitionCaptures.available)
    func replayFull() throws {
        let (rows, requests) = try Self.replay("scan-sql.scan-page3-full", takeRows: nil)
        #expect(rows.count == 10)
        #expect(Set(rows) == Set((1...10).map { IgniteValue.long(Int64($0)) }))
        #expect(requests.map(\.0) == [.queryScanCursorGetPage, .queryScanCursorGetPage, .queryScanCursorGetPage])
    }

    @Test("replay: read 4 rows then close while hasMore = true (close succeeds)", PartitionCaptures.available)
    func replayEarlyClose() throws {
        let (rows, requests) = try Self.replay("scan-sql.scan-page3-early-close", takeRows: 4)
        #expect(rows.count == 4)
        #expect(requests.map(\.0) == [.queryScanCursorGetPage, .resourceClose])
    }

    @Test("CursorPage: hostile row counts and truncation are parse errors; encode round-trips")
    func pageCodec() throws {
        var hostile = BinaryWriter()
        hostile.writeInt32(1_000_000)
        var reader = BinaryReader(hostile.bytes)
        #expect(throws: IgniteError.self) { _ = try CursorPage.decode(from: &reader, minimumRowSize: 2) { try $0.readValue() } }

        let page = CursorPage<IgniteValue>(rows: [.long(1), .string("v1")], hasMore: true)
        var writer = BinaryWriter()
        page.encode(into: &writer) { $0.writeValue($1) }
        var back = BinaryReader(writer.bytes)
        #expect(try CursorPage.decode(from: &back) { try $0.readValue() } == page)
        #expect(back.isAtEnd)
        var truncated = BinaryReader(writer.bytes, limit: writer.count - 1)
        #expect(throws: IgniteError.self) { _ = try CursorPage.decode(from: &truncated) { try $0.readValue() } }
    }
}
