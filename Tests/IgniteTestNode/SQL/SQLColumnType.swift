import Foundation
import IgniteProtocol

/// A column type in H2's terms (the types Ignite's SQL tables use), with its Java class, its Ignite type code, and how
/// its values are stored in SQLite:
///
/// | H2 | Java | SQLite storage |
/// |---|---|---|
/// | TINYINT, SMALLINT, INT, BIGINT, BOOLEAN | Byte, Short, Integer, Long, Boolean | INTEGER |
/// | DOUBLE, REAL, DECIMAL | Double, Float, BigDecimal | REAL (DECIMAL: a double, rounded back to the column's scale) |
/// | VARCHAR, CHAR | String | TEXT |
/// | DATE, TIME, TIMESTAMP | java.sql.Date/Time/Timestamp | TEXT in ISO form, UTC (`2024-01-31`, `12:00:00.000`, `2024-01-31 12:00:00.000000000`), so that order and literals work |
/// | UUID | UUID | TEXT, lower case |
/// | BINARY | byte[] | BLOB |
/// | OTHER | any other value | BLOB (the value's Ignite encoding) |
enum SQLColumnType: Sendable, Equatable {
    case tinyint, smallint, int, bigint
    case decimal(scale: Int?)
    case double, real, boolean, varchar, date, time, timestamp, uuid, binary
    case other

    /// The type of a DDL type name (with H2's synonyms); `nil` for an unknown name.
    init?(ddlName: String, scale: Int?) {
        switch ddlName.uppercased() {
        case "INT", "INTEGER", "MEDIUMINT", "INT4", "SIGNED", "SERIAL": self = .int
        case "TINYINT": self = .tinyint
        case "SMALLINT", "INT2", "YEAR": self = .smallint
        case "BIGINT", "INT8", "LONG", "BIGSERIAL", "IDENTITY": self = .bigint
        case "DECIMAL", "NUMERIC", "NUMBER", "DEC": self = .decimal(scale: scale)
        case "DOUBLE", "FLOAT", "FLOAT8": self = .double
        case "REAL", "FLOAT4": self = .real
        case "BOOLEAN", "BIT", "BOOL": self = .boolean
        case "VARCHAR", "CHAR", "CHARACTER", "VARCHAR2", "NVARCHAR", "NVARCHAR2", "NCHAR", "LONGVARCHAR", "TEXT", "CLOB",
             "VARCHAR_IGNORECASE", "VARCHAR_CASESENSITIVE", "STRING": self = .varchar
        case "DATE": self = .date
        case "TIME": self = .time
        case "TIMESTAMP", "DATETIME", "SMALLDATETIME", "DATETIME2": self = .timestamp
        case "UUID": self = .uuid
        case "BINARY", "VARBINARY", "BLOB", "BYTEA", "LONGVARBINARY", "RAW", "IMAGE", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB": self = .binary
        case "OTHER", "JAVA_OBJECT", "OBJECT": self = .other
        default: return nil
        }
    }

    /// The type of a query-entity field's Java class name.
    init(javaName: String, scale: Int32?) {
        switch javaName {
        case "java.lang.Byte", "byte": self = .tinyint
        case "java.lang.Short", "short": self = .smallint
        case "java.lang.Integer", "int": self = .int
        case "java.lang.Long", "long": self = .bigint
        case "java.math.BigDecimal": self = .decimal(scale: scale.map(Int.init))
        case "java.lang.Double", "double": self = .double
        case "java.lang.Float", "float": self = .real
        case "java.lang.Boolean", "boolean": self = .boolean
        case "java.lang.String", "java.lang.Character", "char": self = .varchar
        case "java.sql.Date", "java.time.LocalDate": self = .date
        case "java.sql.Time", "java.time.LocalTime": self = .time
        case "java.sql.Timestamp", "java.util.Date", "java.time.LocalDateTime": self = .timestamp
        case "java.util.UUID": self = .uuid
        case "[B": self = .binary
        default: self = .other
        }
    }

    /// The Java class name Ignite records in the query entity.
    var javaName: String {
        switch self {
        case .tinyint: "java.lang.Byte"
        case .smallint: "java.lang.Short"
        case .int: "java.lang.Integer"
        case .bigint: "java.lang.Long"
        case .decimal: "java.math.BigDecimal"
        case .double: "java.lang.Double"
        case .real: "java.lang.Float"
        case .boolean: "java.lang.Boolean"
        case .varchar: "java.lang.String"
        case .date: "java.sql.Date"
        case .time: "java.sql.Time"
        case .timestamp: "java.sql.Timestamp"
        case .uuid: "java.util.UUID"
        case .binary: "[B"
        case .other: "java.lang.Object"
        }
    }

    /// The Ignite type code of the column's values (binary-type metadata of server-built objects).
    var typeCode: TypeCode {
        switch self {
        case .tinyint: .byte
        case .smallint: .short
        case .int: .int
        case .bigint: .long
        case .decimal: .decimal
        case .double: .double
        case .real: .float
        case .boolean: .bool
        case .varchar: .string
        case .date: .date
        case .time: .time
        case .timestamp: .timestamp
        case .uuid: .uuid
        case .binary: .byteArray
        case .other: .complexObject
        }
    }

    /// The SQLite column type (its affinity).
    var sqliteDeclaration: String {
        switch self {
        case .tinyint, .smallint, .int, .bigint, .boolean: "INTEGER"
        case .decimal, .double, .real: "REAL"
        case .varchar, .date, .time, .timestamp, .uuid: "TEXT"
        case .binary, .other: "BLOB"
        }
    }

    /// H2's name of the type.
    var name: String {
        switch self {
        case .tinyint: "TINYINT"
        case .smallint: "SMALLINT"
        case .int: "INTEGER"
        case .bigint: "BIGINT"
        case .decimal: "DECIMAL"
        case .double: "DOUBLE"
        case .real: "REAL"
        case .boolean: "BOOLEAN"
        case .varchar: "VARCHAR"
        case .date: "DATE"
        case .time: "TIME"
        case .timestamp: "TIMESTAMP"
        case .uuid: "UUID"
        case .binary: "VARBINARY"
        case .other: "OTHER"
        }
    }
}

/// A value that cannot be converted to a column's type (H2's 22018 "Data conversion error").
struct SQLConversionFailure: Error, Sendable {
    var text: String
}

extension SQLColumnType {
    /// Converts a client or cache value to this column's Ignite value, as H2 converts on INSERT.
    func convert(_ value: IgniteValue) throws -> IgniteValue {
        if value.isNull { return .null }
        let sqlite = SQLColumnType.sqliteValue(value)
        switch (self, value) {
        case (.other, _):
            // A column of any other class is H2's JAVA_OBJECT; H2 converts no scalar to it (a query entity field
            // declared `java.math.Double`, a class that does not exist, is such a column). Observed on GridGain 8.10:
            // `0700B: Value conversion failed [column=GPA, from=java.lang.Double, to=java.lang.Object]` for a Double, Long,
            // String, Boolean or BigDecimal; null and objects pass (DmlUtils.convert → H2Utils.convert in modules/indexing).
            if SQLColumnType.scalarJavaClass(value) != nil { throw SQLConversionFailure(text: "\(value)") }
            return value
        case (.varchar, .string), (.uuid, .uuid), (.date, .date), (.time, .time), (.timestamp, .timestamp), (.binary, .byteArray),
             (.decimal, .decimal), (.boolean, .bool), (.int, .int), (.bigint, .long), (.double, .double), (.real, .float),
             (.tinyint, .byte), (.smallint, .short):
            return value
        case (.date, .timestamp(let t)): return .date(IgniteDate(millisecondsSinceEpoch: t.millisecondsSinceEpoch))
        case (.timestamp, .date(let d)): return .timestamp(IgniteTimestamp(millisecondsSinceEpoch: d.millisecondsSinceEpoch))
        default:
            guard let converted = self.value(from: sqlite) else { throw SQLConversionFailure(text: "\(value)") }
            return converted
        }
    }

    /// The Java class of a scalar value as H2 sees it (the `from=` of a conversion failure); `nil` for other values.
    static func scalarJavaClass(_ value: IgniteValue) -> String? {
        switch value {
        case .byte: "java.lang.Byte"
        case .short: "java.lang.Short"
        case .int: "java.lang.Integer"
        case .long: "java.lang.Long"
        case .float: "java.lang.Float"
        case .double: "java.lang.Double"
        case .char: "java.lang.Character"
        case .bool: "java.lang.Boolean"
        case .string: "java.lang.String"
        case .uuid: "java.util.UUID"
        case .date: "java.sql.Date"
        case .time: "java.sql.Time"
        case .timestamp: "java.sql.Timestamp"
        case .decimal: "java.math.BigDecimal"
        default: nil
        }
    }

    /// The SQLite form of a value of this column.
    func sqliteValue(_ value: IgniteValue) -> SQLiteValue {
        if case .other = self {
            return value.isNull ? .null : .blob(ServerValueWriter.bytes(value))
        }
        return SQLColumnType.sqliteValue(value)
    }

    /// The SQLite form of any value (query arguments, cache fields).
    static func sqliteValue(_ value: IgniteValue) -> SQLiteValue {
        switch value {
        case .null: return .null
        case .byte(let v): return .integer(Int64(v))
        case .short(let v): return .integer(Int64(v))
        case .int(let v): return .integer(Int64(v))
        case .long(let v): return .integer(v)
        case .bool(let v): return .integer(v ? 1 : 0)
        case .float(let v): return .real(Double(v))
        case .double(let v): return .real(v)
        case .decimal(let v): return .real(Double(v.description) ?? 0)
        case .string(let v): return .text(v)
        case .char(let v): return .text(v.description)
        case .uuid(let v): return .text(v.uuidString.lowercased())
        case .date(let v): return .text(SQLDates.dateText(v.millisecondsSinceEpoch))
        case .time(let v): return .text(SQLDates.timeText(v.milliseconds))
        case .timestamp(let v): return .text(SQLDates.timestampText(v.millisecondsSinceEpoch, nanoseconds: v.nanoseconds))
        case .byteArray(let v): return .blob(v)
        default: return .blob(ServerValueWriter.bytes(value))
        }
    }

    /// The Ignite value of a SQLite value read from a column of this type; `nil` if it does not convert.
    func value(from sqlite: SQLiteValue) -> IgniteValue? {
        if case .null = sqlite { return .null }
        switch self {
        case .tinyint: return sqlite.truncated.flatMap { Int8(exactly: $0) }.map { .byte($0) }
        case .smallint: return sqlite.truncated.flatMap { Int16(exactly: $0) }.map { .short($0) }
        case .int: return sqlite.truncated.flatMap { Int32(exactly: $0) }.map { .int($0) }
        case .bigint: return sqlite.truncated.map { .long($0) }
        case .boolean:
            if case .text(let t) = sqlite { return ["TRUE", "1"].contains(t.uppercased()) ? .bool(true) : (["FALSE", "0"].contains(t.uppercased()) ? .bool(false) : nil) }
            return sqlite.real.map { .bool($0 != 0) }
        case .double: return sqlite.real.map { .double($0) }
        case .real: return sqlite.real.map { .float(Float($0)) }
        case .decimal(let scale): return sqlite.real.flatMap { SQLColumnType.decimal($0, scale: scale) }.map { .decimal($0) }
        case .varchar:
            switch sqlite {
            case .text(let t): return .string(t)
            case .integer(let v): return .string(String(v))
            case .real(let v): return .string(SQLColumnType.javaDouble(v))
            default: return nil
            }
        case .uuid: return sqlite.text.flatMap { UUID(uuidString: $0) }.map { .uuid($0) }
        case .date: return sqlite.text.flatMap(SQLDates.parseDate).map { .date(IgniteDate(millisecondsSinceEpoch: $0)) }
        case .time: return sqlite.text.flatMap(SQLDates.parseTime).map { .time(IgniteTime(milliseconds: $0)) }
        case .timestamp:
            return sqlite.text.flatMap(SQLDates.parseTimestamp).map { .timestamp(IgniteTimestamp(millisecondsSinceEpoch: $0.0, nanoseconds: $0.1)) }
        case .binary:
            switch sqlite {
            case .blob(let b): return .byteArray(b)
            case .text(let t): return .byteArray(Array(t.utf8))
            default: return nil
            }
        case .other:
            if case .blob(let bytes) = sqlite {
                var reader = BinaryReader(bytes)
                return try? reader.readValue()
            }
            return SQLColumnType.anyValue(sqlite)
        }
    }

    /// The value of an untyped SQLite result (an expression): INTEGER → BIGINT, REAL → DOUBLE, TEXT → VARCHAR.
    static func anyValue(_ sqlite: SQLiteValue) -> IgniteValue {
        switch sqlite {
        case .null: .null
        case .integer(let v): .long(v)
        case .real(let v): .double(v)
        case .text(let v): .string(v)
        case .blob(let v): .byteArray(v)
        }
    }

    /// A double as a decimal: rounded to `scale` digits, or its shortest exact text without one.
    static func decimal(_ value: Double, scale: Int?) -> IgniteDecimal? {
        guard value.isFinite else { return nil }
        if let scale, scale >= 0, scale <= 18 {
            let factor = pow(10.0, Double(scale))
            let scaled = (value * factor).rounded()
            guard abs(scaled) < 9.2e18 else { return try? IgniteDecimal(string: javaDouble(value)) }
            return IgniteDecimal(unscaled: Int64(scaled), scale: Int32(scale))
        }
        return try? IgniteDecimal(string: javaDouble(value))
    }

    /// A double in plain decimal notation (`12.5`, `3.0`).
    static func javaDouble(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(format: "%.1f", value) }
        return "\(value)"
    }
}

extension SQLiteValue {
    var integer: Int64? {
        switch self {
        case .integer(let v): v
        case .real(let v): v.rounded(.towardZero) == v && abs(v) < 9.2e18 ? Int64(v) : nil
        case .text(let t): Int64(t.trimmingCharacters(in: .whitespaces)) ?? Double(t).flatMap { $0 == $0.rounded() && abs($0) < 9.2e18 ? Int64($0) : nil }
        default: nil
        }
    }

    /// The integer value, a REAL truncated toward zero as H2 converts it (AVG of an INT column is an INT).
    var truncated: Int64? {
        if case .real(let v) = self, v.isFinite, abs(v) < 9.2e18 { return Int64(v.rounded(.towardZero)) }
        return integer
    }

    var real: Double? {
        switch self {
        case .integer(let v): Double(v)
        case .real(let v): v
        case .text(let t): Double(t.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    var text: String? {
        if case .text(let t) = self { return t }
        return nil
    }
}

/// Dates, times and timestamps as ISO text in UTC (the proleptic Gregorian calendar, as java.time uses).
enum SQLDates {
    private static let msPerDay: Int64 = 86_400_000

    static func dateText(_ ms: Int64) -> String {
        let days = floorDiv(ms, msPerDay)
        let (y, m, d) = civil(days)
        return String(format: "%04lld-%02lld-%02lld", y, m, d)
    }

    static func timeText(_ ms: Int64) -> String {
        let t = ((ms % msPerDay) + msPerDay) % msPerDay
        return String(format: "%02lld:%02lld:%02lld.%03lld", t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, t % 1000)
    }

    static func timestampText(_ ms: Int64, nanoseconds: Int32) -> String {
        let t = ((ms % msPerDay) + msPerDay) % msPerDay
        let nanos = (t % 1000) * 1_000_000 + Int64(nanoseconds)
        return dateText(ms) + String(format: " %02lld:%02lld:%02lld.%09lld", t / 3_600_000, t / 60_000 % 60, t / 1000 % 60, nanos)
    }

    static func parseDate(_ text: String) -> Int64? {
        let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let y = Int64(parts[0]), let m = Int64(parts[1]), let d = Int64(parts[2]),
              abs(y) <= 1_000_000, (1...12).contains(m), (1...31).contains(d) else { return nil }
        return days(y, m, d) * msPerDay
    }

    static func parseTime(_ text: String) -> Int64? {
        let parts = text.split(separator: ":")
        guard parts.count >= 2, let h = Int64(parts[0]), let m = Int64(parts[1]), (0..<1_000_000).contains(h), (0..<60).contains(m) else { return nil }
        let seconds = parts.count > 2 ? Double(parts[2]) ?? 0 : 0
        guard seconds.isFinite, seconds >= 0, seconds < 61 else { return nil }
        return h * 3_600_000 + m * 60_000 + Int64((seconds * 1000).rounded())
    }

    /// `(ms, extra nanoseconds)`.
    static func parseTimestamp(_ text: String) -> (Int64, Int32)? {
        guard let day = parseDate(text) else { return nil }
        let rest = text.dropFirst(10).trimmingCharacters(in: CharacterSet(charactersIn: " T"))
        guard !rest.isEmpty else { return (day, 0) }
        let clock = rest.split(separator: ".", maxSplits: 1)
        guard let base = parseTime(String(clock[0])) else { return nil }
        var nanos: Int64 = 0
        if clock.count == 2 {
            let digits = String(clock[1].prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0)
            nanos = Int64(digits) ?? 0
        }
        return (day + base + nanos / 1_000_000, Int32(nanos % 1_000_000))
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a / b - (a % b < 0 ? 1 : 0) }

    /// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
    static func days(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
