import Foundation
import IgniteProtocol

/// A statement's failure: the status (always 1, FAILED, for SQL) and the server's message with its SQLSTATE prefix.
struct SQLFailure: Error, Sendable {
    var message: String
}

/// What a statement produced.
enum SQLOutcome {
    /// SELECT rows, streamed from SQLite.
    case rows(columns: [String], source: SQLRowSource)
    /// DML or DDL: the update count (0 for DDL).
    case updateCount(Int64)
}

/// One statement to run: its text, arguments, default schema and the declared statement type.
struct SQLRequest {
    var sql: String
    var arguments: [IgniteValue]
    /// The default schema: the request's schema, the cache's schema, or PUBLIC.
    var schema: String
    /// 0 any, 1 SELECT, 2 UPDATE (JDBC's declared type).
    var statementType: Int8
    /// 199 (GridGain 8, H2 1.4.199) or 197 (Apache Ignite 2.x).
    var h2Build: Int
    var isGridGain: Bool
}

extension SQLEngine {
    /// Runs one statement against the cluster's caches.
    func execute(_ request: SQLRequest, data: inout ClusterData) throws(SQLFailure) -> SQLOutcome {
        let tokens: [SQLToken]
        do { tokens = try SQLLexer.tokenize(request.sql) } catch { throw SQLFailure(message: SQLMessages.syntax(request, near: nil)) }
        guard let first = tokens.first, case .identifier(quoted: false) = first.kind else {
            throw SQLFailure(message: SQLMessages.syntax(request, near: tokens.first?.raw))
        }
        // A thin-client query runs one statement (IgniteH2Indexing with failOnMultipleStmts, UNSUPPORTED_OPERATION).
        if tokens.contains(where: { $0.isSymbol(";") }) {
            throw SQLFailure(message: "0A000: Multiple statements queries are not supported")
        }
        let keyword = first.text.uppercased()
        let isQuery = ["SELECT", "WITH", "VALUES", "EXPLAIN"].contains(keyword) || first.isSymbol("(")
        let isDML = ["INSERT", "MERGE", "UPDATE", "DELETE"].contains(keyword)
        let isDDL = ["CREATE", "DROP", "ALTER"].contains(keyword)
        guard isQuery || isDML || isDDL else { throw SQLFailure(message: SQLMessages.unknownCommand(request, first)) }
        if (request.statementType == 1 && !isQuery) || (request.statementType == 2 && isQuery) {
            throw SQLFailure(message: SQLErrors.statementTypeMismatch)
        }
        if isDML, data.state == .activeReadOnly {
            throw SQLFailure(message: SQLErrors.readOnlyDML(request.sql, request.arguments))
        }
        do {
            if isDDL { return .updateCount(try runDDL(tokens, request, data: &data)) }
            try synchronize(&data)
            if isDML { return .updateCount(try runDML(tokens, request, data: &data)) }
            return try select(tokens, request)
        } catch let failure as SQLFailure {
            throw failure
        } catch let error as SQLiteError {
            throw SQLFailure(message: SQLMessages.translate(error, request))
        } catch {
            throw SQLFailure(message: "50000: \(error)")
        }
    }

    // MARK: helpers shared by SELECT and DML

    /// Prepares rewritten SQL and binds the arguments; a missing argument fails as on the server.
    func prepare(_ sql: String, arguments: ArraySlice<IgniteValue>, request: SQLRequest) throws -> SQLiteStatement {
        guard let database else { throw SQLiteError(code: 1, message: openFailure ?? "SQLite is not available") }
        let statement = try database.prepare(sql)
        let expected = statement.parameterCount
        guard arguments.count >= expected else {
            throw SQLFailure(message: "50000: Invalid number of query parameters [expected=\(expected), actual=\(arguments.count), "
                + "newQryParams=org.apache.ignite.internal.processors.query.h2.QueryParameters@\(String(UInt32(truncatingIfNeeded: sql.hashValue), radix: 16))]")
        }
        try statement.bind(arguments.prefix(expected).map(SQLColumnType.sqliteValue))
        return statement
    }

    /// Resolves table names for SQLite: `SCHEMA.TABLE` becomes the table's SQLite name, and in a default schema other
    /// than PUBLIC, unqualified tables after FROM/JOIN (and commas of a FROM list) are looked up in that schema.
    /// A resolved name keeps the table name as its alias, so `TABLE.COLUMN` references still work.
    func rewrite(_ tokens: [SQLToken], schema: String, source: String) -> String {
        // The output keeps the statement's own text between tokens, so that SQLite names expressions as written.
        let text = Array(source)
        var out = ""
        var written: Int?
        func emit(_ piece: String, tokens count: Int, at index: Int) {
            let first = tokens[index]
            if let previous = written, previous <= first.start, first.start <= text.count {
                out += String(text[previous..<first.start])
            }
            out += piece
            written = tokens[index + count - 1].end
        }
        var i = 0
        var inFrom = false
        let clauseEnd: Set<String> = ["WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "UNION", "EXCEPT", "INTERSECT", "ON", "USING", "SET", "VALUES", "SELECT"]
        let notAlias: Set<String> = clauseEnd.union(["JOIN", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "NATURAL", "OUTER", "OFFSET", "FETCH", "AS", "WINDOW", "FOR"])
        func aliasFollows(_ index: Int) -> Bool {
            guard index < tokens.count else { return false }
            let next = tokens[index]
            if next.isKeyword("AS") { return true }
            guard case .identifier(let quoted) = next.kind else { return false }
            return quoted || !notAlias.contains(next.text.uppercased())
        }
        while i < tokens.count {
            let token = tokens[i]
            let previous = i > 0 ? tokens[i - 1] : nil
            // H2 spellings SQLite lacks: typed literals (`DATE '2024-01-31'` is the ISO text the index stores) and a few
            // function names.
            if case .identifier(quoted: false) = token.kind, i + 1 < tokens.count {
                let word = token.text.uppercased()
                if ["DATE", "TIME", "TIMESTAMP"].contains(word), tokens[i + 1].kind == .string, previous?.isSymbol(".") != true {
                    emit("", tokens: 1, at: i)
                    i += 1
                    continue
                }
                if tokens[i + 1].isSymbol("("), let replacement = SQLEngine.functionNames[word] {
                    if replacement.hasPrefix("CURRENT_"), i + 2 < tokens.count, tokens[i + 2].isSymbol(")") {
                        emit(replacement, tokens: 3, at: i)
                        i += 3
                        continue
                    }
                    if !replacement.hasPrefix("CURRENT_") {
                        emit(replacement, tokens: 1, at: i)
                        i += 1
                        continue
                    }
                }
            }
            // `_KEY` / `_VAL`: the storage columns; a bare select-list item keeps its H2 name as an alias.
            if token.isIdentifier, [SQLTable.keyColumn, SQLTable.valueColumn].contains(token.name) {
                let storage = SQLLexer.quote(token.name == SQLTable.keyColumn ? SQLTable.keyStorage : SQLTable.valueStorage)
                let itemStart = i >= 2 && previous?.isSymbol(".") == true ? i - 2 : i
                let before = itemStart > 0 ? tokens[itemStart - 1] : nil
                let after = i + 1 < tokens.count ? tokens[i + 1] : nil
                let startsItem = before.map { $0.isSymbol(",") || $0.isKeyword("SELECT") || $0.isKeyword("DISTINCT") || $0.isKeyword("ALL") } ?? false
                let endsItem = after.map { $0.isSymbol(",") || $0.isKeyword("FROM") } ?? true
                emit(storage + (startsItem && endsItem ? " AS " + SQLLexer.quote(token.name) : ""), tokens: 1, at: i)
                i += 1
                continue
            }
            if token.isKeyword("FROM") || token.isKeyword("JOIN") || token.isKeyword("INTO") || token.isKeyword("UPDATE") { inFrom = true }
            else if case .identifier(quoted: false) = token.kind, clauseEnd.contains(token.text.uppercased()) { inFrom = false }
            if token.isIdentifier, previous?.isSymbol(".") != true {
                if i + 2 < tokens.count, tokens[i + 1].isSymbol("."), tokens[i + 2].isIdentifier,
                   i + 3 >= tokens.count || !tokens[i + 3].isSymbol("."),
                   let table = table(schema: token.name, name: tokens[i + 2].name) {
                    emit(SQLLexer.quote(table.sqliteName) + (aliasFollows(i + 3) ? "" : " AS " + SQLLexer.quote(table.name)), tokens: 3, at: i)
                    i += 3
                    continue
                }
                let afterFrom = previous.map { $0.isKeyword("FROM") || $0.isKeyword("JOIN") || $0.isKeyword("INTO") || $0.isKeyword("UPDATE") || ($0.isSymbol(",") && inFrom) } ?? false
                if schema != "PUBLIC", afterFrom, i + 1 >= tokens.count || !(tokens[i + 1].isSymbol(".") || tokens[i + 1].isSymbol("(")),
                   let table = table(schema: schema, name: token.name) {
                    emit(SQLLexer.quote(table.sqliteName) + (aliasFollows(i + 1) ? "" : " AS " + SQLLexer.quote(table.name)), tokens: 1, at: i)
                    i += 1
                    continue
                }
            }
            emit(token.raw, tokens: 1, at: i)
            i += 1
        }
        return out
    }

    /// H2 function names and their SQLite equivalents (`NOW()` and friends become the SQL keywords).
    static let functionNames: [String: String] = [
        "LCASE": "LOWER", "UCASE": "UPPER", "CHAR_LENGTH": "LENGTH", "CHARACTER_LENGTH": "LENGTH", "NVL": "IFNULL",
        "NOW": "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP": "CURRENT_TIMESTAMP", "CURRENT_DATE": "CURRENT_DATE",
        "CURRENT_TIME": "CURRENT_TIME", "CURDATE": "CURRENT_DATE", "CURTIME": "CURRENT_TIME",
    ]

    /// The table a DML or DDL statement names (`[schema.]name`), resolved in the request's schema.
    func resolveTable(_ schemaToken: SQLToken?, _ nameToken: SQLToken, _ request: SQLRequest) -> SQLTable? {
        table(schema: schemaToken?.name ?? request.schema, name: nameToken.name)
    }
}

/// H2's and Ignite's texts for SQL failures, with their SQLSTATE prefixes.
enum SQLMessages {
    /// `42000: Failed to parse query. Syntax error in SQL statement "…[*]…"` with `[*]` before the offending token.
    static func syntax(_ request: SQLRequest, near: String?) -> String {
        var marked = request.sql + "[*]"
        if let near, !near.isEmpty, let range = request.sql.range(of: near) {
            marked = String(request.sql[..<range.lowerBound]) + near + "[*]" + String(request.sql[range.upperBound...])
        }
        return "42000: Failed to parse query. Syntax error in SQL statement \"\(marked)\"; SQL statement:\n\(request.sql) [42000-\(request.h2Build)]"
    }

    /// The commands H2 1.4.199 tries for a statement's first letter (`Parser.parsePrepared`), in the order it tries
    /// them: what its syntax error lists as expected when the first word is none of them.
    static let commandsByLetter: [Character: [String]] = [
        "A": ["ALTER", "ANALYZE"], "B": ["BACKUP", "BEGIN"], "C": ["COMMIT", "CREATE", "CALL", "CHECKPOINT", "COMMENT"],
        "D": ["DELETE", "DROP", "DECLARE", "DEALLOCATE"], "E": ["EXPLAIN", "EXECUTE"], "G": ["GRANT"], "H": ["HELP"],
        "I": ["INSERT"], "M": ["MERGE"], "P": ["PREPARE"], "R": ["ROLLBACK", "REVOKE", "RUNSCRIPT", "RELEASE", "REPLACE"],
        "S": ["SET", "SAVEPOINT", "SCRIPT", "SHUTDOWN", "SHOW"], "T": ["TRUNCATE"], "U": ["UPDATE", "USE"],
    ]

    /// A statement whose first word is no command: H2's 42001 with the commands it expected (observed:
    /// `Syntax error in SQL statement "SELEKT[*] * FROM CAP_CITY"; expected "SET, SAVEPOINT, SCRIPT, SHUTDOWN, SHOW"`),
    /// or 42000 for an H2 command the test node does not run.
    static func unknownCommand(_ request: SQLRequest, _ first: SQLToken) -> String {
        guard let range = request.sql.range(of: first.raw) else { return syntax(request, near: nil) }
        let marked = String(request.sql[..<range.upperBound]) + "[*]" + String(request.sql[range.upperBound...])
        let word = first.text.uppercased()
        let expected = first.text.first.flatMap { commandsByLetter[Character($0.uppercased())] } ?? []
        if expected.isEmpty || expected.contains(word) {
            return "42000: Failed to parse query. Syntax error in SQL statement \"\(marked)\"; SQL statement:\n\(request.sql) [42000-\(request.h2Build)]"
        }
        return "42000: Failed to parse query. Syntax error in SQL statement \"\(marked)\"; expected \"\(expected.joined(separator: ", "))\"; "
            + "SQL statement:\n\(request.sql) [42001-\(request.h2Build)]"
    }

    static func tableNotFound(_ name: String, _ request: SQLRequest) -> String {
        "42000: Failed to parse query. Table \"\(name)\" not found; SQL statement:\n\(request.sql) [42102-\(request.h2Build)]"
    }

    static func columnNotFound(_ name: String, _ request: SQLRequest) -> String {
        "42000: Failed to parse query. Column \"\(name)\" not found; SQL statement:\n\(request.sql) [42122-\(request.h2Build)]"
    }

    /// Maps SQLite's errors to the H2 errors a real server reports for the same mistake.
    static func translate(_ error: SQLiteError, _ request: SQLRequest) -> String {
        let message = error.message
        func after(_ prefix: String) -> String? {
            message.hasPrefix(prefix) ? String(message.dropFirst(prefix.count)) : nil
        }
        if let table = after("no such table: ") {
            let bare = table.hasPrefix("main.") ? String(table.dropFirst(5)) : table
            let name = String(bare.split(separator: "$").last ?? Substring(bare))
            return tableNotFound(request.sql.contains("\"\(name)\"") ? name : name.uppercased(), request)
        }
        if let column = after("no such column: ") { return columnNotFound(column.uppercased(), request) }
        if let near = after("near \""), let end = near.firstIndex(of: "\"") { return syntax(request, near: String(near[..<end])) }
        if message.contains("incomplete input") || message.contains("syntax error") { return syntax(request, near: nil) }
        if let column = after("ambiguous column name: ") {
            return "42000: Failed to parse query. Ambiguous column name \"\(column.uppercased())\"; SQL statement:\n\(request.sql) [90059-\(request.h2Build)]"
        }
        if let function = after("no such function: ") {
            return "42000: Failed to parse query. Function \"\(function.uppercased())\" not found; SQL statement:\n\(request.sql) [90022-\(request.h2Build)]"
        }
        return "50000: \(message)"
    }

    /// Java's `toString` of a key, for the duplicate-key message.
    static func keyText(_ key: IgniteValue, table: SQLTable, types: [Int32: BinaryType]) -> String {
        switch key {
        case .object:
            let fields = table.columns.filter(\.isKey).map { "\($0.field)=\(plain(SQLTable.field($0.field, of: key, types: types)))" }
            return "\(table.keyType) [\(fields.joined(separator: ", "))]"
        default: return plain(key)
        }
    }

    static func plain(_ value: IgniteValue) -> String {
        switch value {
        case .null: "null"
        case .byte(let v): "\(v)"
        case .short(let v): "\(v)"
        case .int(let v): "\(v)"
        case .long(let v): "\(v)"
        case .double(let v): "\(v)"
        case .float(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .string(let v): v
        case .uuid(let v): v.uuidString.lowercased()
        case .decimal(let v): v.description
        default: "\(value)"
        }
    }
}
