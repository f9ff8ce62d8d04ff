import Foundation
import IgniteProtocol

/// Loads canned SQL results from a JSON file into a cluster.
///
/// The file is an array of objects: `{"sql": "...", "columns": ["A", "B"], "rows": [[1, "x"], ...]}` for a SELECT, or
/// `{"sql": "...", "updateCount": 2}` for DML/DDL. JSON numbers become Long (integral) or Double, strings String,
/// booleans Bool, null Null; `{"type": "int"|"short"|"byte"|"float"|"double"|"long"|"string"|"bool"|"uuid"|"date"|"timestamp"|"decimal", "value": ...}`
/// gives an explicit type (date and timestamp in ms since the epoch, decimal as a string such as `"12.50"`).
public enum SQLFixtureFile {
    /// Reads `url` and registers every fixture on `cluster`.
    /// - Parameters:
    ///   - url: The JSON file.
    ///   - cluster: The cluster to register on.
    /// - Returns: The number of fixtures registered.
    /// - Throws: ``IgniteError/Code/parameter`` for an unreadable or malformed file.
    @discardableResult
    public static func load(from url: URL, into cluster: IgniteTestCluster) throws -> Int {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw IgniteError.parameter("cannot read SQL fixture file \(url.path): \(error)")
        }
        guard let list = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw IgniteError.parameter("SQL fixture file \(url.path) is not a JSON array of objects")
        }
        for (index, item) in list.enumerated() {
            guard let sql = item["sql"] as? String else { throw IgniteError.parameter("fixture \(index) has no \"sql\" string") }
            if let count = item["updateCount"] as? NSNumber {
                cluster.registerSQLUpdate(sql, count: count.int64Value)
                continue
            }
            let columns = item["columns"] as? [String] ?? []
            guard let rows = item["rows"] as? [[Any]] else { throw IgniteError.parameter("fixture \(index) has neither \"rows\" nor \"updateCount\"") }
            cluster.registerSQL(sql, columns: columns, rows: try rows.map { try $0.map(value) })
        }
        return list.count
    }

    static func value(_ json: Any) throws -> IgniteValue {
        switch json {
        case is NSNull: return .null
        case let string as String: return .string(string)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            let double = number.doubleValue
            if double.rounded() == double, abs(double) < 9e15, !"\(number)".contains(".") { return .long(number.int64Value) }
            return .double(double)
        case let typed as [String: Any]:
            guard let type = typed["type"] as? String else { throw IgniteError.parameter("typed fixture value lacks \"type\"") }
            let raw = typed["value"]
            let number = raw as? NSNumber
            switch type {
            case "byte": return .byte(number?.int8Value ?? 0)
            case "short": return .short(number?.int16Value ?? 0)
            case "int": return .int(number?.int32Value ?? 0)
            case "long": return .long(number?.int64Value ?? 0)
            case "float": return .float(number?.floatValue ?? 0)
            case "double": return .double(number?.doubleValue ?? 0)
            case "bool": return .bool(number?.boolValue ?? false)
            case "string": return raw.map { .string("\($0)") } ?? .null
            case "uuid":
                guard let text = raw as? String, let uuid = UUID(uuidString: text) else { throw IgniteError.parameter("invalid uuid \(String(describing: raw))") }
                return .uuid(uuid)
            case "date": return .date(IgniteDate(millisecondsSinceEpoch: number?.int64Value ?? 0))
            case "timestamp": return .timestamp(IgniteTimestamp(millisecondsSinceEpoch: number?.int64Value ?? 0))
            case "decimal":
                guard let text = raw as? String, let decimal = decimal(text) else { throw IgniteError.parameter("invalid decimal \(String(describing: raw))") }
                return .decimal(decimal)
            default: throw IgniteError.parameter("unknown fixture value type \(type)")
            }
        default:
            throw IgniteError.parameter("unsupported fixture value \(json)")
        }
    }

    /// Parses `-12.340` into unscaled −12340, scale 3 (up to 18 digits).
    static func decimal(_ text: String) -> IgniteDecimal? {
        var digits = text
        let negative = digits.hasPrefix("-")
        if negative || digits.hasPrefix("+") { digits.removeFirst() }
        let parts = digits.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard let unscaled = Int64(whole + fraction), !(whole + fraction).isEmpty else { return nil }
        return IgniteDecimal(unscaled: negative ? -unscaled : unscaled, scale: Int32(fraction.count))
    }
}
