import Foundation
import IgniteProtocol

/// One result column of a SELECT: where it is in the SQLite row and how its values become Ignite values.
struct SQLResultColumn: Sendable {
    var index: Int
    var name: String
    /// The H2 type of the column; `nil` when unknown (the SQLite storage class decides).
    var type: SQLColumnType?

    func value(_ sqlite: SQLiteValue) -> IgniteValue {
        guard let type else { return SQLColumnType.anyValue(sqlite) }
        if case .integer(let v) = sqlite, type == .int, Int32(exactly: v) == nil { return .long(v) }
        return type.value(from: sqlite) ?? SQLColumnType.anyValue(sqlite)
    }
}

/// The rows of a SELECT, read from SQLite page by page (a real server's lazy cursor), so that a cursor over many rows
/// holds one page at a time. Before the SQLite index changes, the engine *detaches* streaming sources: they read
/// their remaining rows into memory and release the statement.
final class SQLRowSource: @unchecked Sendable {
    private let lock = NSLock()
    private var statement: SQLiteStatement?   // guarded by `lock`
    private var buffered: [[IgniteValue]] = []   // guarded by `lock`; rows read ahead
    private var bufferStart = 0
    private let columns: [SQLResultColumn]
    private let onBuffered: @Sendable (Int) -> Void

    init(statement: SQLiteStatement, columns: [SQLResultColumn], onBuffered: @escaping @Sendable (Int) -> Void) {
        self.statement = statement
        self.columns = columns
        self.onBuffered = onBuffered
    }

    /// Whether the source still steps its statement.
    var isStreaming: Bool { lock.withLock { statement != nil } }

    /// Up to `count` rows, and whether more follow.
    func next(_ count: Int) -> (rows: [[IgniteValue]], more: Bool) {
        lock.withLock {
            var rows: [[IgniteValue]] = []
            rows.reserveCapacity(min(count, 4096))
            while rows.count < count, let row = nextLocked() { rows.append(row) }
            // Look one row ahead, so that the last page says hasMore=false as a real server does.
            if let ahead = nextLocked() {
                buffered.insert(ahead, at: bufferStart)
                return (rows, true)
            }
            return (rows, false)
        }
    }

    /// Every remaining row (for statements that must finish at once, such as DML's SELECT part).
    func all() -> [[IgniteValue]] {
        lock.withLock {
            var rows: [[IgniteValue]] = []
            while let row = nextLocked() { rows.append(row) }
            return rows
        }
    }

    /// Reads the remaining rows into memory and releases the statement.
    func detach() {
        lock.withLock {
            guard statement != nil else { return }
            var rows = Array(buffered[bufferStart...])
            bufferStart = 0
            buffered = []
            while let row = stepLocked() { rows.append(row) }
            statement = nil
            buffered = rows
            onBuffered(rows.count)
        }
    }

    private func nextLocked() -> [IgniteValue]? {
        if bufferStart < buffered.count {
            let row = buffered[bufferStart]
            bufferStart += 1
            if bufferStart == buffered.count {
                buffered = []
                bufferStart = 0
            }
            return row
        }
        return stepLocked()
    }

    private func stepLocked() -> [IgniteValue]? {
        guard let statement else { return nil }
        // A failing step (the index changed in a way SQLite refuses) ends the rows.
        guard (try? statement.step()) == true else {
            self.statement = nil
            return nil
        }
        return columns.map { $0.value(statement.value($0.index)) }
    }
}
