import Foundation
import IgniteProtocol

/// SQL error texts in the real server's form: the SQLSTATE Ignite maps the error to, a colon, then the message.
/// Observed on GridGain (SERVER-BEHAVIOUR §3). The SQL engine's parse errors (H2's messages with their
/// `[code-build]` suffix) are in `SQL/SQLStatement.swift` (``SQLMessages``).
enum SQLErrors {
    static let statementTypeMismatch = "42000: Given statement type does not match that declared by JDBC driver"

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
