import Foundation
import IgniteProtocol

/// SQL error texts in the real server's form: the SQLSTATE Ignite maps the H2 error to, a colon, then H2's message
/// with its `[code-build]` suffix. GridGain 8 embeds H2 1.4.199, Apache Ignite 2.x H2 1.4.197 (the build number in
/// the suffix). Observed on GridGain (SERVER-BEHAVIOUR §3, *scan-sql.sql-missing-table*, *sql-syntax-error*).
enum SQLErrors {
    static let statementTypeMismatch = "42000: Given statement type does not match that declared by JDBC driver"

    /// The error for a statement that has no registered result. A real server fails such a statement only because
    /// its table does not exist (the test registered nothing for it), so the answer is H2's "table not found" (42102)
    /// for the first table the statement names after `FROM`, `JOIN`, `INTO` or `UPDATE` — unquoted names upper-cased, quoted ones
    /// kept, a schema prefix dropped, as H2 reports them. A statement without a table gets H2's syntax error (42000).
    /// - Parameters:
    ///   - sql: The statement as sent.
    ///   - h2Build: 199 (GridGain 8) or 197 (Apache Ignite 2.x).
    static func parseFailure(_ sql: String, h2Build: Int) -> String {
        if let table = targetTable(sql) {
            return "42000: Failed to parse query. Table \"\(table)\" not found; SQL statement:\n\(sql) [42102-\(h2Build)]"
        }
        return "42000: Failed to parse query. Syntax error in SQL statement \"\(sql)[*]\"; SQL statement:\n\(sql) [42000-\(h2Build)]"
    }

    /// The table a statement reads or writes, as H2 names it in messages.
    static func targetTable(_ sql: String) -> String? {
        let tokens = tokenize(sql)
        for (index, token) in tokens.enumerated() where index + 1 < tokens.count {
            guard token.count == 1, let keyword = token.first, !keyword.quoted,
                  ["FROM", "JOIN", "INTO", "UPDATE"].contains(keyword.text.uppercased()),
                  let table = tokens[index + 1].last, table.quoted || table.text != "(" else { continue }
            return table.quoted ? table.text : table.text.uppercased()
        }
        return nil
    }

    /// One part of a possibly qualified name (`schema.table`), and whether it was double-quoted.
    private struct NamePart {
        var text: String
        var quoted: Bool
    }

    /// Splits SQL into names (each a list of dot-separated parts) and `(`; other punctuation separates.
    private static func tokenize(_ sql: String) -> [[NamePart]] {
        var tokens: [[NamePart]] = []
        var parts: [NamePart] = []
        var current = ""
        var quoted = false
        var inQuotes = false
        func endPart() {
            if !current.isEmpty || quoted { parts.append(NamePart(text: current, quoted: quoted)) }
            current = ""
            quoted = false
        }
        func endToken() {
            endPart()
            if !parts.isEmpty { tokens.append(parts) }
            parts = []
        }
        for character in sql {
            if inQuotes {
                if character == "\"" { inQuotes = false } else { current.append(character) }
            } else if character == "\"" {
                inQuotes = true
                quoted = true
            } else if character == "." {
                endPart()
            } else if character.isLetter || character.isNumber || character == "_" || character == "$" {
                current.append(character)
            } else {
                endToken()
                if character == "(" { tokens.append([NamePart(text: "(", quoted: false)]) }
            }
        }
        endToken()
        return tokens
    }

    static func readOnlyDML(_ sql: String, _ args: [IgniteValue]) -> String {
        let params = args.isEmpty ? "null" : "[" + args.map(javaString).joined(separator: ", ") + "]"
        return "90097: Failed to execute DML statement. Cluster in read-only mode [stmt=\(sql), params=\(params)]"
    }

    private static func javaString(_ value: IgniteValue) -> String {
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
        default: "\(value)"
        }
    }
}
