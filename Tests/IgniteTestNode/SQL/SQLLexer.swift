/// One token of a SQL statement.
struct SQLToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A name; `quoted` for a double-quoted one (kept as written, case-sensitive in H2).
        case identifier(quoted: Bool)
        /// A single-quoted string literal (its text unescaped).
        case string
        case number
        /// A binary literal, `X'0A0B'`.
        case binary
        /// `?`
        case parameter
        /// Punctuation and operators: `(`, `)`, `,`, `.`, `=`, `<>`, `<=`, `||`, `*`, `;` …
        case symbol
    }
    var kind: Kind
    /// The name (unquoted), string contents, number or symbol.
    var text: String
    /// The token exactly as written.
    var raw: String
    /// Where the token lies in the statement (character offsets), so that rewrites keep the rest of the text as written.
    var start = 0
    var end = 0

    /// H2's form of a name: unquoted names are upper-cased, quoted ones kept.
    var name: String {
        if case .identifier(quoted: true) = kind { return text }
        return text.uppercased()
    }

    var isIdentifier: Bool {
        if case .identifier = kind { return true }
        return false
    }

    /// Whether this is the unquoted keyword `word` (case-insensitive).
    func isKeyword(_ word: String) -> Bool {
        if case .identifier(quoted: false) = kind { return text.caseInsensitiveCompare(word) == .orderedSame }
        return false
    }

    func isSymbol(_ symbol: String) -> Bool { kind == .symbol && text == symbol }
}

/// Splits SQL into tokens; comments (`--`, `/* */`) and whitespace are dropped.
enum SQLLexer {
    struct Failure: Error { var position: Int }

    static func tokenize(_ sql: String) throws -> [SQLToken] {
        let chars = Array(sql)
        var tokens: [SQLToken] = []
        var i = 0
        var start = 0
        func add(_ token: SQLToken) {
            var token = token
            token.start = start
            token.end = i
            tokens.append(token)
        }
        func isNameStart(_ c: Character) -> Bool { c.isLetter || c == "_" || c == "$" }
        func isNamePart(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "$" }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "-", i + 1 < chars.count, chars[i + 1] == "-" {
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            }
            if c == "/", i + 1 < chars.count, chars[i + 1] == "*" {
                i += 2
                while i + 1 < chars.count, !(chars[i] == "*" && chars[i + 1] == "/") { i += 1 }
                i = min(chars.count, i + 2)
                continue
            }
            start = i
            if (c == "x" || c == "X"), i + 1 < chars.count, chars[i + 1] == "'" {
                // A binary literal X'0A0B', kept whole for SQLite.
                i += 2
                while i < chars.count, chars[i] != "'" { i += 1 }
                guard i < chars.count else { throw Failure(position: start) }
                i += 1
                let raw = String(chars[start..<i])
                add(SQLToken(kind: .binary, text: String(raw.dropFirst(2).dropLast()), raw: raw))
            } else if isNameStart(c) {
                while i < chars.count, isNamePart(chars[i]) { i += 1 }
                let text = String(chars[start..<i])
                add(SQLToken(kind: .identifier(quoted: false), text: text, raw: text))
            } else if c == "\"" || c == "'" {
                var text = ""
                i += 1
                var closed = false
                while i < chars.count {
                    if chars[i] == c {
                        if i + 1 < chars.count, chars[i + 1] == c { text.append(c); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    text.append(chars[i])
                    i += 1
                }
                guard closed else { throw Failure(position: start) }
                add(SQLToken(kind: c == "'" ? .string : .identifier(quoted: true), text: text, raw: String(chars[start..<i])))
            } else if c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isNumber) {
                while i < chars.count, chars[i].isNumber || chars[i] == "." { i += 1 }
                if i < chars.count, chars[i] == "e" || chars[i] == "E" {
                    var j = i + 1
                    if j < chars.count, chars[j] == "+" || chars[j] == "-" { j += 1 }
                    if j < chars.count, chars[j].isNumber {
                        i = j
                        while i < chars.count, chars[i].isNumber { i += 1 }
                    }
                }
                let text = String(chars[start..<i])
                add(SQLToken(kind: .number, text: text, raw: text))
            } else if c == "?" {
                i += 1
                add(SQLToken(kind: .parameter, text: "?", raw: "?"))
            } else {
                let two = i + 1 < chars.count ? String(chars[i...(i + 1)]) : ""
                let symbol = ["<>", "<=", ">=", "!=", "||", "==", "::"].contains(two) ? two : String(c)
                i += symbol.count
                add(SQLToken(kind: .symbol, text: symbol, raw: symbol))
            }
        }
        while let last = tokens.last, last.isSymbol(";") { tokens.removeLast() }
        return tokens
    }

    /// Joins tokens back into SQL text.
    static func join(_ tokens: some Sequence<SQLToken>) -> String {
        var out = ""
        for token in tokens {
            if !out.isEmpty { out.append(" ") }
            out.append(token.raw)
        }
        return out
    }

    /// Double-quotes a name for SQLite.
    static func quote(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
}

/// A cursor over tokens for the small hand-written parsers (DDL, DML).
struct SQLTokenStream {
    let tokens: [SQLToken]
    var index = 0

    init(_ tokens: [SQLToken]) { self.tokens = tokens }

    var atEnd: Bool { index >= tokens.count }
    var peek: SQLToken? { index < tokens.count ? tokens[index] : nil }
    func peek(_ offset: Int) -> SQLToken? { index + offset < tokens.count ? tokens[index + offset] : nil }

    mutating func next() -> SQLToken? {
        defer { index += 1 }
        return peek
    }

    /// Consumes the keyword if it is next.
    mutating func accept(_ word: String) -> Bool {
        guard let token = peek, token.isKeyword(word) else { return false }
        index += 1
        return true
    }

    mutating func acceptSymbol(_ symbol: String) -> Bool {
        guard let token = peek, token.isSymbol(symbol) else { return false }
        index += 1
        return true
    }

    /// Consumes the keywords in order if they are all next.
    mutating func accept(words: String...) -> Bool {
        for (offset, word) in words.enumerated() where peek(offset)?.isKeyword(word) != true { return false }
        index += words.count
        return true
    }

    /// A possibly schema-qualified name: `(schema, name)`.
    mutating func qualifiedName() -> (schema: SQLToken?, name: SQLToken)? {
        guard let first = peek, first.isIdentifier else { return nil }
        index += 1
        if peek?.isSymbol(".") == true, let second = peek(1), second.isIdentifier {
            index += 2
            return (first, second)
        }
        return (nil, first)
    }

    /// The tokens up to the matching `)` of a `(` just consumed, split at top-level commas.
    mutating func parenthesizedList() -> [[SQLToken]]? {
        var items: [[SQLToken]] = [[]]
        var depth = 0
        while let token = next() {
            if token.isSymbol("(") { depth += 1 }
            if token.isSymbol(")") {
                if depth == 0 { return items.last?.isEmpty == true && items.count == 1 ? [] : items }
                depth -= 1
            }
            if token.isSymbol(","), depth == 0 {
                items.append([])
                continue
            }
            items[items.count - 1].append(token)
        }
        return nil
    }
}
