import IgniteProtocol

extension SQLEngine {
    /// Runs a query: rewrites table names, prepares it in SQLite, and returns a streaming row source whose columns
    /// carry H2's types (so results have the type codes a real server sends).
    func select(_ tokens: [SQLToken], _ request: SQLRequest) throws -> SQLOutcome {
        let statement = try prepare(rewrite(tokens, schema: request.schema, source: request.sql), arguments: request.arguments[...], request: request)
        let quotedNames = Set(tokens.compactMap { token -> String? in
            if case .identifier(quoted: true) = token.kind { return token.text }
            return nil
        })
        let inferred = SQLTyping.selectList(tokens, engine: self)
        var columns: [SQLResultColumn] = []
        for index in 0..<statement.columnCount {
            let origin = statement.originColumn(index)
            let raw = statement.columnName(index)
            // Hidden columns that a `*` expanded keep their storage names; the ones the query named are aliased.
            if SQLTable.bookkeepingColumns.contains(origin ?? "") || SQLTable.bookkeepingColumns.contains(raw) { continue }
            if [SQLTable.keyStorage, SQLTable.valueStorage].contains(raw) { continue }
            var type: SQLColumnType?
            var name = quotedNames.contains(raw) ? raw : raw.uppercased()
            if let origin, let tableName = statement.originTable(index), let table = table(sqliteName: tableName) {
                type = table.columnType(origin)
            } else if let inferred, inferred.count == statement.columnCount {
                type = inferred[index].type
                if let expressionName = inferred[index].name { name = expressionName }
            }
            columns.append(SQLResultColumn(index: index, name: name, type: type))
        }
        let source = SQLRowSource(statement: statement, columns: columns) { [weak self] rows in self?.noteBuffered(rows) }
        register(source)
        return .rows(columns: columns.map(\.name), source: source)
    }
}

/// H2's result types for select-list expressions SQLite cannot type (it types values, not columns): aggregates,
/// casts, literals, comparisons and arithmetic. Column references are typed from the tables' metadata instead.
enum SQLTyping {
    /// The types of the top-level select list, and H2's names of the expressions that have no alias; `nil` when the
    /// list cannot be split (a `*` makes the count unknown).
    static func selectList(_ tokens: [SQLToken], engine: SQLEngine) -> [(type: SQLColumnType?, name: String?)]? {
        guard let start = tokens.firstIndex(where: { $0.isKeyword("SELECT") }) else { return nil }
        var items: [[SQLToken]] = [[]]
        var depth = 0
        var index = start + 1
        if index < tokens.count, tokens[index].isKeyword("DISTINCT") || tokens[index].isKeyword("ALL") { index += 1 }
        while index < tokens.count {
            let token = tokens[index]
            if depth == 0, token.isKeyword("FROM") { break }
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1 }
            if depth == 0, token.isSymbol(",") {
                items.append([])
            } else {
                items[items.count - 1].append(token)
            }
            index += 1
        }
        let columnTypes = referencedColumns(tokens, engine: engine)
        var types: [(type: SQLColumnType?, name: String?)] = []
        for var item in items {
            if item.last?.isSymbol("*") == true { return nil }
            // Drop `[AS] alias`.
            var aliased = true
            let reserved: Set<String> = ["NULL", "TRUE", "FALSE", "IS", "NOT", "AND", "OR", "LIKE", "IN", "BETWEEN", "THEN", "ELSE",
                                         "WHEN", "CASE", "DISTINCT", "ESCAPE", "END"]
            func isReserved(_ token: SQLToken) -> Bool { token.kind == .identifier(quoted: false) && reserved.contains(token.text.uppercased()) }
            if item.count >= 2, item[item.count - 2].isKeyword("AS") { item.removeLast(2) }
            else if item.count >= 2, let last = item.last, last.isIdentifier, !isReserved(last), !(item[item.count - 2].isSymbol(".")),
                    (item[item.count - 2].kind != .symbol && (!isReserved(item[item.count - 2]) || item[item.count - 2].isKeyword("END")))
                        || item[item.count - 2].isSymbol(")") { item.removeLast() }
            else { aliased = false }
            types.append((type(of: item[...], columns: columnTypes), aliased ? nil : expressionName(item)))
        }
        return types
    }

    /// H2's name of an expression without an alias: its text with names upper-cased and the spacing as written;
    /// `CURRENT_DATE` as `CURRENT_DATE()`; a cast constant as the constant (H2 folds it).
    static func expressionName(_ item: [SQLToken]) -> String? {
        guard !item.isEmpty else { return nil }
        if let literal = castConstant(item[...]) { return literal.raw }
        var name = ""
        for (index, token) in item.enumerated() {
            if index > 0, item[index - 1].end < token.start { name += " " }
            if case .identifier(quoted: false) = token.kind {
                name += token.text.uppercased()
                if ["CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP"].contains(token.text.uppercased()),
                   index + 1 >= item.count || !item[index + 1].isSymbol("(") { name += "()" }
            } else {
                name += token.raw
            }
        }
        return name
    }

    /// The numeric literal of `CAST(<literal> AS …)`, which H2 folds into a constant.
    static func castConstant(_ item: ArraySlice<SQLToken>) -> SQLToken? {
        guard item.count >= 6, let first = item.first, first.isKeyword("CAST"), item[item.startIndex + 1].isSymbol("("),
              item[item.startIndex + 2].kind == .number, item[item.startIndex + 3].isKeyword("AS"), closes(item.dropFirst()) else { return nil }
        return item[item.startIndex + 2]
    }

    /// Column name → type for every table the statement mentions.
    private static func referencedColumns(_ tokens: [SQLToken], engine: SQLEngine) -> [String: SQLColumnType] {
        var result: [String: SQLColumnType] = [:]
        for table in engine.allTables where tokens.contains(where: { $0.isIdentifier && $0.name.caseInsensitiveCompare(table.name) == .orderedSame }) {
            for column in table.columns where result[column.name] == nil { result[column.name] = column.type }
            result[SQLTable.keyColumn] = result[SQLTable.keyColumn] ?? table.keyColumnType
            result[SQLTable.valueColumn] = result[SQLTable.valueColumn] ?? table.valueColumnType
        }
        return result
    }

    static func type(of item: ArraySlice<SQLToken>, columns: [String: SQLColumnType]) -> SQLColumnType? {
        guard let first = item.first else { return nil }
        // A parenthesized expression.
        if first.isSymbol("("), item.last?.isSymbol(")") == true, item.count > 2, closes(item) {
            return type(of: item.dropFirst().dropLast(), columns: columns)
        }
        // Top-level comparisons and logic are BOOLEAN.
        var depth = 0
        var operands: [SQLColumnType?] = []
        var concatenation = false
        for token in item {
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1 }
            guard depth == 0 else { continue }
            if ["=", "<>", "!=", "<", ">", "<=", ">="].contains(where: token.isSymbol)
                || ["IS", "LIKE", "IN", "BETWEEN", "EXISTS", "AND", "OR", "NOT", "REGEXP"].contains(where: token.isKeyword) {
                return .boolean
            }
            if token.isSymbol("||") { concatenation = true }
        }
        if concatenation { return .varchar }
        if item.count == 1 { return atom(first, columns: columns) }
        if item.count == 3, item[item.startIndex + 1].isSymbol("."), let last = item.last { return atom(last, columns: columns) }
        if first.isSymbol("-") || first.isSymbol("+") { return type(of: item.dropFirst(), columns: columns) }
        if case .identifier(quoted: false) = first.kind, item.count >= 3, item[item.startIndex + 1].isSymbol("("), closes(item.dropFirst()) {
            let inner = item.dropFirst(2).dropLast()
            let argument = firstArgument(inner)
            let argumentType = argument.isEmpty ? nil : type(of: argument, columns: columns)
            switch first.text.uppercased() {
            case "COUNT", "LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH", "OCTET_LENGTH", "BIT_LENGTH": return .bigint
            case "MIN", "MAX", "ABS", "COALESCE", "IFNULL", "NVL", "NULLIF", "ANY_VALUE": return argumentType
            case "AVG": return argumentType
            case "SUM":
                switch argumentType {
                case .tinyint?, .smallint?, .int?: return .bigint
                case .bigint?: return .decimal(scale: 0)
                case .real?: return .double
                default: return argumentType
                }
            case "ROUND", "CEIL", "CEILING", "FLOOR", "TRUNCATE", "TRUNC": return argumentType == .int || argumentType == .bigint ? argumentType : .double
            case "UPPER", "LOWER", "UCASE", "LCASE", "TRIM", "LTRIM", "RTRIM", "SUBSTRING", "SUBSTR", "CONCAT", "REPLACE", "LEFT", "RIGHT",
                 "LPAD", "RPAD", "REPEAT", "GROUP_CONCAT", "LISTAGG": return .varchar
            case "CAST":
                // H2 folds a cast constant: an integer stays INT (BIGINT if large), a decimal stays DECIMAL (observed:
                // CAST(1 AS TINYINT) → Int, CAST(1.5 AS REAL) → Decimal).
                if let literal = castConstant(item) { return atom(literal, columns: [:]) }
                guard let asIndex = inner.lastIndex(where: { $0.isKeyword("AS") }), asIndex + 1 < inner.endIndex else { return nil }
                let name = inner[asIndex + 1].text
                return SQLColumnType(ddlName: name, scale: nil)
            case "SQRT", "POWER", "EXP", "LN", "LOG", "LOG10", "SIN", "COS", "TAN", "RAND", "RANDOM", "PI": return .double
            default: return nil
            }
        }
        // Arithmetic: the widest operand type.
        depth = 0
        for token in item {
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") { depth -= 1 }
            if depth == 0, token.kind != .symbol { operands.append(atom(token, columns: columns)) }
        }
        let known = operands.compactMap { $0 }
        if known.contains(.double) || known.contains(.real) { return .double }
        if known.contains(where: { if case .decimal = $0 { return true } else { return false } }) { return .decimal(scale: nil) }
        if known.contains(.bigint) { return .bigint }
        if known.contains(.int) || known.contains(.smallint) || known.contains(.tinyint) { return .int }
        return nil
    }

    /// The type of a single token: a column, a literal, or a keyword such as CURRENT_DATE.
    private static func atom(_ token: SQLToken, columns: [String: SQLColumnType]) -> SQLColumnType? {
        switch token.kind {
        case .string: return .varchar
        case .binary: return .binary
        case .number:
            if let whole = Int64(token.text) { return Int32(exactly: whole) == nil ? .bigint : .int }
            if token.text.lowercased().contains("e") { return .double }
            let scale = token.text.split(separator: ".").dropFirst().first?.count ?? 0
            return .decimal(scale: scale)
        case .identifier(let quoted):
            if !quoted {
                switch token.text.uppercased() {
                case "TRUE", "FALSE": return .boolean
                case "CURRENT_DATE": return .date
                case "CURRENT_TIME": return .time
                case "CURRENT_TIMESTAMP", "LOCALTIMESTAMP": return .timestamp
                case "NULL": return nil
                default: break
                }
            }
            return columns[token.name] ?? columns[token.name.uppercased()]
        default: return nil
        }
    }

    /// Whether the first token's `(` closes at the last token.
    static func closes(_ tokens: ArraySlice<SQLToken>) -> Bool {
        var depth = 0
        for (offset, token) in tokens.enumerated() {
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") {
                depth -= 1
                if depth == 0 { return offset == tokens.count - 1 }
            }
        }
        return false
    }

    /// The tokens of the first argument of a call (up to a top-level comma), without DISTINCT.
    private static func firstArgument(_ tokens: ArraySlice<SQLToken>) -> ArraySlice<SQLToken> {
        var depth = 0
        var start = tokens.startIndex
        if start < tokens.endIndex, tokens[start].isKeyword("DISTINCT") { start += 1 }
        for index in start..<tokens.endIndex {
            if tokens[index].isSymbol("(") { depth += 1 }
            if tokens[index].isSymbol(")") { depth -= 1 }
            if depth == 0, tokens[index].isSymbol(",") { return tokens[start..<index] }
        }
        return tokens[start..<tokens.endIndex]
    }
}
