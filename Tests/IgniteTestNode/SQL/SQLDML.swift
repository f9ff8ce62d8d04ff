import IgniteProtocol

/// INSERT, MERGE, UPDATE and DELETE. SQLite evaluates the expressions and WHERE clauses; the rows are written to the
/// cache as key-value entries (keys and value objects built as the server builds them), and the SQLite index follows
/// at the next synchronization.
extension SQLEngine {
    func runDML(_ tokens: [SQLToken], _ request: SQLRequest, data: inout ClusterData) throws -> Int64 {
        var stream = SQLTokenStream(tokens)
        let verb = stream.next()?.text.uppercased() ?? ""
        switch verb {
        case "INSERT", "MERGE":
            guard stream.accept("INTO") else { throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw)) }
            return try insert(&stream, request, merge: verb == "MERGE", data: &data)
        case "UPDATE":
            return try update(&stream, request, data: &data)
        default:
            guard stream.accept("FROM") else { throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw)) }
            return try delete(&stream, request, data: &data)
        }
    }

    private func target(_ stream: inout SQLTokenStream, _ request: SQLRequest) throws -> SQLTable {
        guard let (schema, name) = stream.qualifiedName() else { throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw)) }
        guard let table = resolveTable(schema, name, request) else { throw SQLFailure(message: SQLMessages.tableNotFound(name.name, request)) }
        return table
    }

    // MARK: INSERT / MERGE

    private func insert(_ stream: inout SQLTokenStream, _ request: SQLRequest, merge: Bool, data: inout ClusterData) throws -> Int64 {
        let table = try target(&stream, request)
        var targets = Array(table.columns.indices)
        var keyTarget = false, valueTarget = false
        if stream.acceptSymbol("(") {
            guard let names = stream.parenthesizedList() else { throw SQLFailure(message: SQLMessages.syntax(request, near: nil)) }
            targets = []
            for name in names {
                guard name.count == 1, let token = name.first else { throw SQLFailure(message: SQLMessages.syntax(request, near: name.first?.raw)) }
                if token.name == SQLTable.keyColumn { keyTarget = true; targets.append(-1); continue }
                if token.name == SQLTable.valueColumn { valueTarget = true; targets.append(-2); continue }
                guard let index = table.column(named: token.name) else { throw SQLFailure(message: SQLMessages.columnNotFound(token.name, request)) }
                targets.append(index)
            }
        }
        if merge, stream.accept("KEY") {
            guard stream.acceptSymbol("("), stream.parenthesizedList() != nil else { throw SQLFailure(message: SQLMessages.syntax(request, near: nil)) }
        }
        // The rows: literal tuples, or a query.
        var rows: [[IgniteValue]] = []
        if stream.accept("VALUES") {
            var argumentIndex = 0
            repeat {
                guard stream.acceptSymbol("("), let items = stream.parenthesizedList() else {
                    throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw))
                }
                var row: [IgniteValue] = []
                for item in items { row.append(try evaluate(item, request, argumentIndex: &argumentIndex)) }
                rows.append(row)
            } while stream.acceptSymbol(",")
        } else {
            let query = Array(stream.tokens[stream.index...])
            guard query.first.map({ $0.isKeyword("SELECT") || $0.isKeyword("WITH") || $0.isSymbol("(") }) == true else {
                throw SQLFailure(message: SQLMessages.syntax(request, near: query.first?.raw))
            }
            let statement = try prepare(rewrite(query, schema: request.schema, source: request.sql), arguments: request.arguments[...], request: request)
            while try statement.step() {
                rows.append((0..<statement.columnCount).map { SQLColumnType.anyValue(statement.value($0)) })
            }
        }
        let cache = try cacheRecord(table, request, data: data)
        var written = 0
        var duplicates: [String] = []
        for row in rows {
            guard row.count == targets.count else {
                throw SQLFailure(message: "42000: Failed to parse query. Column count does not match; SQL statement:\n\(request.sql) [21002-\(request.h2Build)]")
            }
            var values = table.columns.map { (try? $0.type.convert($0.defaultValue)) ?? .null }
            var explicitKey: IgniteValue? = nil
            var explicitValue: IgniteValue? = nil
            for (position, index) in targets.enumerated() {
                if index == -1 { explicitKey = row[position]; continue }
                if index == -2 { explicitValue = row[position]; continue }
                values[index] = try convert(row[position], to: table.columns[index], request)
            }
            for (index, column) in table.columns.enumerated() where column.notNull && values[index].isNull && !column.isKey {
                throw SQLFailure(message: "23502: Null value is not allowed for column '\(column.name)'")
            }
            var (key, value) = try table.entry(values, types: &data.binaryTypes, typeNames: &data.typeNames)
            if keyTarget, let explicitKey { key = explicitKey }
            if valueTarget, let explicitValue { value = explicitValue }
            if key.isNull {
                throw SQLFailure(message: "22004: Null key is not allowed for table '\(table.name)'")
            }
            key = ServerValues.canonical(key)
            let keyId = ServerValues.keyIdentity(key)
            if !merge, data.lookup(table.cacheId, keyId, transaction: nil, now: MonotonicClock.now()) != nil {
                duplicates.append(SQLMessages.keyText(key, table: table, types: data.binaryTypes))
                continue
            }
            data.apply(table.cacheId, key: key, keyId: keyId, value: ServerValues.canonical(value), policy: cache.expiryPolicy, now: MonotonicClock.now())
            written += 1
        }
        if duplicates.count == 1, rows.count == 1 {
            throw SQLFailure(message: "23000: Duplicate key during INSERT [key=\(duplicates[0]), table=\(table.schema).\(table.name)]")
        }
        if !duplicates.isEmpty {
            throw SQLFailure(message: "23000: Failed to INSERT some keys because they are already in cache [keys=[\(duplicates.joined(separator: ", "))]]")
        }
        return Int64(written)
    }

    /// One VALUES item: an argument, a literal, or an expression SQLite evaluates.
    private func evaluate(_ item: [SQLToken], _ request: SQLRequest, argumentIndex: inout Int) throws -> IgniteValue {
        if item.count == 1, let token = item.first {
            switch token.kind {
            case .parameter:
                defer { argumentIndex += 1 }
                guard argumentIndex < request.arguments.count else {
                    throw SQLFailure(message: "50000: Invalid number of query parameters [expected=\(argumentIndex + 1), actual=\(request.arguments.count)]")
                }
                return request.arguments[argumentIndex]
            case .string: return .string(token.text)
            case .number:
                if let v = Int64(token.text) { return Int32(exactly: v).map { .int($0) } ?? .long(v) }
                if let decimal = try? IgniteDecimal(string: token.text), !token.text.lowercased().contains("e") { return .decimal(decimal) }
                return Double(token.text).map { .double($0) } ?? .null
            case .identifier(quoted: false) where token.isKeyword("NULL"): return .null
            case .identifier(quoted: false) where token.isKeyword("TRUE"): return .bool(true)
            case .identifier(quoted: false) where token.isKeyword("FALSE"): return .bool(false)
            default: break
            }
        }
        let parameters = item.filter { $0.kind == .parameter }.count
        let start = argumentIndex
        argumentIndex += parameters
        let statement = try prepare("SELECT " + SQLLexer.join(item), arguments: request.arguments.dropFirst(start), request: request)
        guard try statement.step() else { return .null }
        let result = statement.value(0)
        // Typed SQL results come back as H2 would type the expression (a date function gives a DATE, and so on).
        if let type = SQLTyping.type(of: item[...], columns: [:]), let value = type.value(from: result) { return value }
        return SQLColumnType.anyValue(result)
    }

    /// GridGain's fast DELETE (`DmlAstUtils.getFastDeleteArgs` → `FastUpdate.execute`: `cache.remove(key)`): for
    /// `WHERE <key> = ?` or `= <literal>`, where the key is `_KEY` or the table's own key column, the argument is the
    /// key *as given*, not converted to the column's type. Observed on GridGain 8.10: with an INT key, a Long argument
    /// (pyignite's Python int) deletes nothing and answers 0, the literal `2` (an INT) deletes the row. `nil` when the
    /// statement has another form (then the rows are selected and converted as usual).
    private func fastDeleteKey(_ table: SQLTable, alias: SQLToken?, whereTokens: ArraySlice<SQLToken>, _ request: SQLRequest) throws -> IgniteValue? {
        var tokens = Array(whereTokens)
        while tokens.last?.isSymbol(";") == true { tokens.removeLast() }
        guard tokens.first?.isKeyword("WHERE") == true else { return nil }
        tokens.removeFirst()
        // [qualifier .] column = (? | literal)
        if tokens.count == 5, tokens[1].isSymbol("."), tokens[0].isIdentifier {
            let qualifier = tokens[0].name
            guard qualifier == (alias?.name ?? table.name) || qualifier == table.name else { return nil }
            tokens.removeFirst(2)
        }
        guard tokens.count == 3, tokens[0].isIdentifier, tokens[1].isSymbol("=") else { return nil }
        let column = tokens[0].name
        let isKey = column == SQLTable.keyColumn
            || (table.keyFieldName != nil && table.columns.contains { $0.name == column && $0.field == table.keyFieldName })
        guard isKey else { return nil }
        switch tokens[2].kind {
        case .parameter:
            guard request.arguments.count == 1 else { return nil }
        case .number, .string:
            guard request.arguments.isEmpty else { return nil }
        default:
            return nil
        }
        var argumentIndex = 0
        let key = try evaluate([tokens[2]], request, argumentIndex: &argumentIndex)
        return key.isNull ? nil : key
    }

    private func convert(_ value: IgniteValue, to column: SQLColumn, _ request: SQLRequest) throws -> IgniteValue {
        try SQLValueLimits.check(value, column: column)
        do {
            return try column.type.convert(value)
        } catch {
            let from = SQLColumnType.scalarJavaClass(value) ?? "\(value.typeCode)"
            throw SQLFailure(message: "0700B: Value conversion failed [column=\(column.name), from=\(from), to=\(column.type.javaName)]")
        }
    }

    private func cacheRecord(_ table: SQLTable, _ request: SQLRequest, data: ClusterData) throws -> CacheConfigurationRecord {
        guard let cache = data.caches[table.cacheId] else { throw SQLFailure(message: SQLMessages.tableNotFound(table.name, request)) }
        return cache.configuration
    }

    // MARK: UPDATE / DELETE

    /// `SELECT _KEYID[, extra…] FROM table [alias] [WHERE …]`, evaluated by SQLite, for the rows a statement changes.
    private func matchingRows(_ table: SQLTable, alias: SQLToken?, extra: [String], whereTokens: ArraySlice<SQLToken>,
                              arguments: ArraySlice<IgniteValue>, _ request: SQLRequest) throws -> [[SQLiteValue]] {
        let from = SQLLexer.quote(table.sqliteName) + " AS " + SQLLexer.quote(alias?.name ?? table.name)
        var sql = "SELECT " + ([SQLLexer.quote(SQLTable.identityColumn)] + extra).joined(separator: ", ") + " FROM " + from
        if !whereTokens.isEmpty { sql += " " + rewrite(Array(whereTokens), schema: request.schema, source: request.sql) }
        let statement = try prepare(sql, arguments: arguments, request: request)
        var rows: [[SQLiteValue]] = []
        while try statement.step() { rows.append((0..<statement.columnCount).map(statement.value)) }
        return rows
    }

    private func alias(_ stream: inout SQLTokenStream) -> SQLToken? {
        if stream.accept("AS") { return stream.next() }
        if let token = stream.peek, token.isIdentifier, !token.isKeyword("SET"), !token.isKeyword("WHERE") {
            stream.index += 1
            return token
        }
        return nil
    }

    private func update(_ stream: inout SQLTokenStream, _ request: SQLRequest, data: inout ClusterData) throws -> Int64 {
        let table = try target(&stream, request)
        let alias = alias(&stream)
        guard stream.accept("SET") else { throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw)) }
        // SET col = expr, … up to WHERE (top level).
        var assignments: [(column: Int, expression: [SQLToken])] = []
        var current: [SQLToken] = []
        var depth = 0
        func finish() throws {
            guard current.count >= 3, current[current.count > 3 && current[1].isSymbol(".") ? 3 : 1].isSymbol("=") else {
                throw SQLFailure(message: SQLMessages.syntax(request, near: current.first?.raw))
            }
            let qualified = current.count > 3 && current[1].isSymbol(".")
            let name = qualified ? current[2] : current[0]
            guard let index = table.column(named: name.name) else { throw SQLFailure(message: SQLMessages.columnNotFound(name.name, request)) }
            if table.columns[index].isKey {
                throw SQLFailure(message: "50000: SQL UPDATE can't modify key or its fields: \(table.columns[index].name)")
            }
            assignments.append((index, Array(current[(qualified ? 4 : 2)...])))
            current = []
        }
        while let token = stream.peek, !(depth == 0 && token.isKeyword("WHERE")) {
            stream.index += 1
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1 }
            if depth == 0, token.isSymbol(",") { try finish(); continue }
            current.append(token)
        }
        try finish()
        let whereTokens = stream.tokens[stream.index...]
        let currentColumns = table.columns.map { SQLLexer.quote($0.name) }
        let newValues = assignments.map { "(" + rewrite($0.expression, schema: request.schema, source: request.sql) + ")" }
        let rows = try matchingRows(table, alias: alias, extra: currentColumns + newValues, whereTokens: whereTokens,
                                    arguments: request.arguments[...], request)
        let cache = try cacheRecord(table, request, data: data)
        let now = MonotonicClock.now()
        var changed: Int64 = 0
        for row in rows {
            guard case .blob(let keyId) = row[0], let entry = data.caches[table.cacheId]?.entries[keyId], entry.isLive(at: now) else { continue }
            var values = table.columns.indices.map { table.columns[$0].type.value(from: row[1 + $0]) ?? .null }
            for (offset, assignment) in assignments.enumerated() {
                let column = table.columns[assignment.column]
                let raw = row[1 + table.columns.count + offset]
                let computed = SQLColumnType.anyValue(raw)
                let from = SQLColumnType.scalarJavaClass(computed) ?? "\(computed.typeCode)"
                // An OTHER column takes no scalar (see `SQLColumnType.convert`); a blob is a stored object.
                var refused = false
                if case .other = column.type, SQLColumnType.scalarJavaClass(computed) != nil { refused = true }
                guard !refused, let value = column.type.value(from: raw) else {
                    throw SQLFailure(message: "0700B: Value conversion failed [column=\(column.name), from=\(from), to=\(column.type.javaName)]")
                }
                if value.isNull, column.notNull { throw SQLFailure(message: "23502: Null value is not allowed for column '\(column.name)'") }
                try SQLValueLimits.check(computed, column: column)
                values[assignment.column] = value
            }
            let built = try table.entry(values, existingValue: entry.value, changed: Set(assignments.map(\.column)),
                                        types: &data.binaryTypes, typeNames: &data.typeNames)
            data.apply(table.cacheId, key: entry.key, keyId: keyId, value: ServerValues.canonical(built.value), policy: cache.expiryPolicy, now: now)
            changed += 1
        }
        return changed
    }

    private func delete(_ stream: inout SQLTokenStream, _ request: SQLRequest, data: inout ClusterData) throws -> Int64 {
        let table = try target(&stream, request)
        let alias = stream.peek?.isKeyword("WHERE") == false ? alias(&stream) : nil
        let now = MonotonicClock.now()
        if let key = try fastDeleteKey(table, alias: alias, whereTokens: stream.tokens[stream.index...], request) {
            let canonical = ServerValues.canonical(key)
            let keyId = ServerValues.keyIdentity(canonical)
            guard let entry = data.caches[table.cacheId]?.entries[keyId], entry.isLive(at: now) else { return 0 }
            data.apply(table.cacheId, key: entry.key, keyId: keyId, value: nil, policy: nil, now: now)
            return 1
        }
        let rows = try matchingRows(table, alias: alias, extra: [], whereTokens: stream.tokens[stream.index...],
                                    arguments: request.arguments[...], request)
        var removed: Int64 = 0
        for row in rows {
            guard case .blob(let keyId) = row[0], let entry = data.caches[table.cacheId]?.entries[keyId], entry.isLive(at: now) else { continue }
            data.apply(table.cacheId, key: entry.key, keyId: keyId, value: nil, policy: nil, now: now)
            removed += 1
        }
        return removed
    }
}
