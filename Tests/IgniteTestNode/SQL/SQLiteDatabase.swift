import CIgniteSQLite
import Foundation

/// A value as SQLite stores it (its five storage classes).
enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// An SQLite failure: the result code and SQLite's message.
struct SQLiteError: Error, Sendable {
    var code: Int32
    var message: String
}

/// One in-memory SQLite database (the test node's SQL index). Not thread-safe by itself: the engine uses it under the
/// cluster lock, and cursors step their own statements under their own locks (SQLite is built serialized, so calls
/// from several threads on one connection are safe).
final class SQLiteDatabase: @unchecked Sendable {
    private let handle: OpaquePointer

    init() throws {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_MEMORY | SQLITE_OPEN_FULLMUTEX
        guard sqlite3_open_v2(":memory:", &db, flags, nil) == SQLITE_OK, let db else {
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "cannot open an in-memory SQLite database")
        }
        handle = db
        // H2 compares strings case-sensitively, as SQLite's `=` does; LIKE is case-sensitive in H2 too.
        try execute("PRAGMA case_sensitive_like = ON")
        // H2's CONCAT (SQLite has it only from 3.44): the texts of the arguments that are not NULL.
        let concat: @convention(c) (OpaquePointer?, Int32, UnsafeMutablePointer<OpaquePointer?>?) -> Void = { context, count, values in
            var result = ""
            for index in 0..<Int(max(0, count)) {
                guard let value = values?[index], sqlite3_value_type(value) != SQLITE_NULL, let text = sqlite3_value_text(value) else { continue }
                result += String(cString: text)
            }
            sqlite3_result_text(context, result, -1, cignite_sqlite_transient())
        }
        sqlite3_create_function_v2(db, "CONCAT", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, nil, concat, nil, nil, nil)
    }

    deinit { sqlite3_close_v2(handle) }

    /// The last error message of the connection.
    var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    /// Runs statements that return no rows.
    func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        if code != SQLITE_OK {
            let text = message.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(message)
            throw SQLiteError(code: code, message: text)
        }
    }

    /// Compiles one statement.
    func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            let error = SQLiteError(code: code, message: lastMessage)
            if let statement { sqlite3_finalize(statement) }
            throw error
        }
        return SQLiteStatement(statement, database: self)
    }

    /// The number of rows the last INSERT/UPDATE/DELETE changed.
    var changes: Int { Int(sqlite3_changes(handle)) }
}

/// A compiled statement. Finalized when released.
final class SQLiteStatement: @unchecked Sendable {
    private let handle: OpaquePointer
    private let database: SQLiteDatabase   // keeps the connection open while the statement lives

    fileprivate init(_ handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }
    var columnCount: Int { Int(sqlite3_column_count(handle)) }
    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    func columnName(_ index: Int) -> String { sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? "" }
    /// The table column a result column comes from (`nil` for an expression).
    func originColumn(_ index: Int) -> String? { sqlite3_column_origin_name(handle, Int32(index)).map { String(cString: $0) } }
    /// The table of ``originColumn(_:)``.
    func originTable(_ index: Int) -> String? { sqlite3_column_table_name(handle, Int32(index)).map { String(cString: $0) } }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Binds `values` to the parameters 1…n.
    func bind(_ values: [SQLiteValue]) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(handle, index)
            case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
            case .real(let v): code = sqlite3_bind_double(handle, index, v)
            case .text(let v): code = sqlite3_bind_text(handle, index, v, -1, cignite_sqlite_transient())
            case .blob(let v):
                code = v.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32(v.count), cignite_sqlite_transient()) }
            }
            guard code == SQLITE_OK else { throw SQLiteError(code: code, message: database.lastMessage) }
        }
    }

    /// Advances to the next row. Returns `false` at the end.
    func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw SQLiteError(code: code, message: database.lastMessage)
        }
    }

    /// The current row's value in a column.
    func value(_ column: Int) -> SQLiteValue {
        let index = Int32(column)
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let bytes = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    /// Runs a statement that returns no rows, with `values` bound; resets it afterwards.
    func run(_ values: [SQLiteValue]) throws {
        defer { reset() }
        try bind(values)
        while try step() {}
    }
}
