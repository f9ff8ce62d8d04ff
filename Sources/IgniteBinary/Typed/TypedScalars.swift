import Foundation

// The statically typed path for scalar Swift types: each writes its type code and payload directly.
//
// Decoding accepts the value's own type code and, for numbers, every narrower type of the same kind
// (lossless widening: a Java `int` reads into `Int64`, never the other way round):
//
// | Swift | Written as | Also accepted when decoding |
// |---|---|---|
// | `Int8` | Byte (1) | |
// | `Int16` | Short (2) | Byte |
// | `Int32` | Int (3) | Byte, Short |
// | `Int64`, `Int` | Long (4) (like pyignite's `int`) | Byte, Short, Int |
// | `Float` | Float (5) | |
// | `Double` | Double (6) | Float |
// | `Bool` | Bool (8) | |
// | `String` | String (9) | |
// | `UUID` | UUID (10) | |
// | `Foundation.Date` | Date (11), milliseconds rounded | Timestamp (33) |
// | `JavaChar` | Char (7) | |
// | `IgniteDate` | Date (11) | |
// | `IgniteTimestamp` | Timestamp (33) | Date (11) |
// | `IgniteTime` | Time (36) | |
// | `IgniteDecimal` | Decimal (30) | |
// | `Foundation.Decimal` | Decimal (30), exactly | (decoding fails for values beyond its 38 digits, never rounds) |
// | `Data` | ByteArray (12) | |
// | `BinaryObject` | Complex object (103), bytes as they are | |
// | `IgniteEnum` | BinaryEnum (38) | Enum (28) |
//
// Null (101) is an ``IgniteError/Code/parse`` error for every non-optional type; use `Optional` to accept it.

extension IgniteValue {
    /// The error for a value that does not fit the Swift type `expected`.
    @usableFromInline
    func typeMismatch(_ expected: String) -> IgniteError {
        if isNull { return IgniteError.parse("unexpected null for a non-optional \(expected)") }
        return IgniteError.parse("cannot read \(typeCode) as \(expected)")
    }
}

@usableFromInline
func typeMismatch(code: Int8, _ expected: String) -> IgniteError {
    if code == TypeCode.null.rawValue { return IgniteError.parse("unexpected null for a non-optional \(expected)") }
    let name = TypeCode(rawValue: code)?.description ?? "type code \(code)"
    return IgniteError.parse("cannot read \(name) as \(expected)")
}

extension BinaryReader {
    /// Reads an integer data object of type code `1...maxCode` (byte, short, int, long) into `I`, which is at least that wide.
    @inlinable
    mutating func readWideningInteger<I: FixedWidthInteger>(_: I.Type, maxCode: Int8, name: String) throws -> I {
        let code = try readInt8()
        switch code {
        case TypeCode.byte.rawValue: return I(truncatingIfNeeded: try readInt8())
        case TypeCode.short.rawValue where maxCode >= 2: return I(truncatingIfNeeded: try readInt16())
        case TypeCode.int.rawValue where maxCode >= 3: return I(truncatingIfNeeded: try readInt32())
        case TypeCode.long.rawValue where maxCode >= 4: return I(truncatingIfNeeded: try readInt64())
        default: throw typeMismatch(code: code, name)
        }
    }

    /// Reads the type code and checks it.
    @inlinable
    mutating func expectCode(_ expected: TypeCode, _ name: String) throws {
        let code = try readInt8()
        guard code == expected.rawValue else { throw typeMismatch(code: code, name) }
    }
}

/// A scalar read straight from the bytes, needing no schema resolver (the Codable decoder's fast path).
protocol ScalarIgniteReadable: IgniteBinaryDecodable {
    static func readIgnite(from reader: inout BinaryReader) throws -> Self
}

extension Int8: ScalarIgniteReadable {
    static func readIgnite(from reader: inout BinaryReader) throws -> Int8 { try reader.readWideningInteger(Int8.self, maxCode: 1, name: "Int8") }
}
extension Int16: ScalarIgniteReadable {
    static func readIgnite(from reader: inout BinaryReader) throws -> Int16 { try reader.readWideningInteger(Int16.self, maxCode: 2, name: "Int16") }
}
extension Int32: ScalarIgniteReadable {
    static func readIgnite(from reader: inout BinaryReader) throws -> Int32 { try reader.readWideningInteger(Int32.self, maxCode: 3, name: "Int32") }
}
extension Int64: ScalarIgniteReadable {
    static func readIgnite(from reader: inout BinaryReader) throws -> Int64 { try reader.readWideningInteger(Int64.self, maxCode: 4, name: "Int64") }
}
extension Int: ScalarIgniteReadable {
    static func readIgnite(from reader: inout BinaryReader) throws -> Int { Int(try reader.readWideningInteger(Int64.self, maxCode: 4, name: "Int")) }
}
extension Float: ScalarIgniteReadable {
    static func readIgnite(from reader: inout BinaryReader) throws -> Float {
        try reader.expectCode(.float, "Float")
        return try reader.readFloat()
    }
}
extension Double: ScalarIgniteReadable {
    static func readIgnite(from reader: inout BinaryReader) throws -> Double {
        let code = try reader.readInt8()
        switch code {
        case TypeCode.double.rawValue: return try reader.readDouble()
        case TypeCode.float.rawValue: return Double(try reader.readFloat())
        default: throw typeMismatch(code: code, "Double")
        }
    }
}
extension Bool: ScalarIgniteReadable {
    static func readIgnite(from reader: inout BinaryReader) throws -> Bool {
        try reader.expectCode(.bool, "Bool")
        return try reader.readBool()
    }
}
extension String: ScalarIgniteReadable {
    static func readIgnite(from reader: inout BinaryReader) throws -> String {
        try reader.expectCode(.string, "String")
        return try reader.readStringPayload()
    }
}

extension IgniteValue {
    /// The value as an integer of type `I` if it is an integer type at most `maxCode` wide.
    @inlinable
    func wideningInteger<I: FixedWidthInteger>(_: I.Type, maxCode: Int8, name: String) throws -> I {
        switch self {
        case .byte(let v): return I(truncatingIfNeeded: v)
        case .short(let v) where maxCode >= 2: return I(truncatingIfNeeded: v)
        case .int(let v) where maxCode >= 3: return I(truncatingIfNeeded: v)
        case .long(let v) where maxCode >= 4: return I(truncatingIfNeeded: v)
        default: throw typeMismatch(name)
        }
    }
}

extension Int8: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Byte (1).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.byte.rawValue)
        writer.writeInt8(self)
    }
    /// Byte.
    public static var igniteTypeCode: TypeCode? { .byte }
    /// Accepts Byte.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = try value.wideningInteger(Int8.self, maxCode: 1, name: "Int8")
    }
    /// Reads a Byte.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Int8 {
        try reader.readWideningInteger(Int8.self, maxCode: 1, name: "Int8")
    }
}

extension Int16: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Short (2).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.short.rawValue)
        writer.writeInt16(self)
    }
    /// Short.
    public static var igniteTypeCode: TypeCode? { .short }
    /// Accepts Byte and Short.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = try value.wideningInteger(Int16.self, maxCode: 2, name: "Int16")
    }
    /// Reads a Byte or Short.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Int16 {
        try reader.readWideningInteger(Int16.self, maxCode: 2, name: "Int16")
    }
}

extension Int32: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes an Int (3).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.int.rawValue)
        writer.writeInt32(self)
    }
    /// Int.
    public static var igniteTypeCode: TypeCode? { .int }
    /// Accepts Byte, Short and Int.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = try value.wideningInteger(Int32.self, maxCode: 3, name: "Int32")
    }
    /// Reads a Byte, Short or Int.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Int32 {
        try reader.readWideningInteger(Int32.self, maxCode: 3, name: "Int32")
    }
}

extension Int64: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Long (4).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.long.rawValue)
        writer.writeInt64(self)
    }
    /// Long.
    public static var igniteTypeCode: TypeCode? { .long }
    /// Accepts Byte, Short, Int and Long.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = try value.wideningInteger(Int64.self, maxCode: 4, name: "Int64")
    }
    /// Reads a Byte, Short, Int or Long.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Int64 {
        try reader.readWideningInteger(Int64.self, maxCode: 4, name: "Int64")
    }
}

extension Int: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Long (4), like pyignite's `int`.
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.long.rawValue)
        writer.writeInt64(Int64(self))
    }
    /// Long.
    public static var igniteTypeCode: TypeCode? { .long }
    /// Accepts Byte, Short, Int and Long.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = Int(try value.wideningInteger(Int64.self, maxCode: 4, name: "Int"))
    }
    /// Reads a Byte, Short, Int or Long.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Int {
        Int(try reader.readWideningInteger(Int64.self, maxCode: 4, name: "Int"))
    }
}

extension Float: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Float (5).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.float.rawValue)
        writer.writeFloat(self)
    }
    /// Float.
    public static var igniteTypeCode: TypeCode? { .float }
    /// Accepts Float.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .float(let v) = value else { throw value.typeMismatch("Float") }
        self = v
    }
    /// Reads a Float.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Float {
        try reader.expectCode(.float, "Float")
        return try reader.readFloat()
    }
}

extension Double: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Double (6).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.double.rawValue)
        writer.writeDouble(self)
    }
    /// Double.
    public static var igniteTypeCode: TypeCode? { .double }
    /// Accepts Double and Float.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        switch value {
        case .double(let v): self = v
        case .float(let v): self = Double(v)
        default: throw value.typeMismatch("Double")
        }
    }
    /// Reads a Double or Float.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Double {
        let code = try reader.readInt8()
        switch code {
        case TypeCode.double.rawValue: return try reader.readDouble()
        case TypeCode.float.rawValue: return Double(try reader.readFloat())
        default: throw typeMismatch(code: code, "Double")
        }
    }
}

extension Bool: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Bool (8).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.bool.rawValue)
        writer.writeBool(self)
    }
    /// Bool.
    public static var igniteTypeCode: TypeCode? { .bool }
    /// Accepts Bool.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .bool(let v) = value else { throw value.typeMismatch("Bool") }
        self = v
    }
    /// Reads a Bool.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Bool {
        try reader.expectCode(.bool, "Bool")
        return try reader.readBool()
    }
}

extension String: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a String (9): i32 byte length and UTF-8.
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeStringObject(self)
    }
    /// String.
    public static var igniteTypeCode: TypeCode? { .string }
    /// Accepts String.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .string(let v) = value else { throw value.typeMismatch("String") }
        self = v
    }
    /// Reads a String.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> String {
        try reader.expectCode(.string, "String")
        return try reader.readStringPayload()
    }
}

extension UUID: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a UUID (10).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeUUIDObject(self)
    }
    /// UUID.
    public static var igniteTypeCode: TypeCode? { .uuid }
    /// Accepts UUID.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .uuid(let v) = value else { throw value.typeMismatch("UUID") }
        self = v
    }
    /// Reads a UUID.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> UUID {
        try reader.expectCode(.uuid, "UUID")
        return try reader.readUUIDPayload()
    }
}

extension Date: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Date (11): milliseconds since the epoch, rounded to the nearest millisecond.
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.date.rawValue)
        writer.writeInt64(IgniteDate(self).millisecondsSinceEpoch)
    }
    /// Date.
    public static var igniteTypeCode: TypeCode? { .date }
    /// Accepts Date and Timestamp (as far as `Double` keeps the nanoseconds).
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        switch value {
        case .date(let v): self = v.date
        case .timestamp(let v): self = v.date
        default: throw value.typeMismatch("Date")
        }
    }
    /// Reads a Date or Timestamp.
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Date {
        let code = try reader.readInt8()
        switch code {
        case TypeCode.date.rawValue: return IgniteDate(millisecondsSinceEpoch: try reader.readInt64()).date
        case TypeCode.timestamp.rawValue:
            let ms = try reader.readInt64()
            return IgniteTimestamp(millisecondsSinceEpoch: ms, nanoseconds: try reader.readInt32()).date
        default: throw typeMismatch(code: code, "Date")
        }
    }
}

extension JavaChar: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Char (7).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.char.rawValue)
        writer.writeUInt16(codeUnit)
    }
    /// Char.
    public static var igniteTypeCode: TypeCode? { .char }
    /// Accepts Char.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .char(let v) = value else { throw value.typeMismatch("JavaChar") }
        self = v
    }
    /// Reads a Char.
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> JavaChar {
        try reader.expectCode(.char, "JavaChar")
        return JavaChar(try reader.readUInt16())
    }
}

extension IgniteDate: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Date (11).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.date.rawValue)
        writer.writeInt64(millisecondsSinceEpoch)
    }
    /// Date.
    public static var igniteTypeCode: TypeCode? { .date }
    /// Accepts Date.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .date(let v) = value else { throw value.typeMismatch("IgniteDate") }
        self = v
    }
    /// Reads a Date.
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> IgniteDate {
        try reader.expectCode(.date, "IgniteDate")
        return IgniteDate(millisecondsSinceEpoch: try reader.readInt64())
    }
}

extension IgniteTimestamp: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Timestamp (33).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.timestamp.rawValue)
        writer.writeInt64(millisecondsSinceEpoch)
        writer.writeInt32(nanoseconds)
    }
    /// Timestamp.
    public static var igniteTypeCode: TypeCode? { .timestamp }
    /// Accepts Timestamp and Date (0 nanoseconds).
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        switch value {
        case .timestamp(let v): self = v
        case .date(let v): self = IgniteTimestamp(millisecondsSinceEpoch: v.millisecondsSinceEpoch)
        default: throw value.typeMismatch("IgniteTimestamp")
        }
    }
    /// Reads a Timestamp or Date.
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> IgniteTimestamp {
        let code = try reader.readInt8()
        switch code {
        case TypeCode.timestamp.rawValue:
            let ms = try reader.readInt64()
            return IgniteTimestamp(millisecondsSinceEpoch: ms, nanoseconds: try reader.readInt32())
        case TypeCode.date.rawValue: return IgniteTimestamp(millisecondsSinceEpoch: try reader.readInt64())
        default: throw typeMismatch(code: code, "IgniteTimestamp")
        }
    }
}

extension IgniteTime: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Time (36).
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.time.rawValue)
        writer.writeInt64(milliseconds)
    }
    /// Time.
    public static var igniteTypeCode: TypeCode? { .time }
    /// Accepts Time.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .time(let v) = value else { throw value.typeMismatch("IgniteTime") }
        self = v
    }
    /// Reads a Time.
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> IgniteTime {
        try reader.expectCode(.time, "IgniteTime")
        return IgniteTime(milliseconds: try reader.readInt64())
    }
}

extension IgniteDecimal: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Decimal (30), exactly.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.decimal.rawValue)
        writer.writeDecimalPayload(self)
    }
    /// Decimal.
    public static var igniteTypeCode: TypeCode? { .decimal }
    /// Accepts Decimal.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .decimal(let v) = value else { throw value.typeMismatch("IgniteDecimal") }
        self = v
    }
}

extension Decimal: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a Decimal (30) with exactly this value (see ``IgniteDecimal/init(_:)``).
    /// - Throws: ``IgniteError/Code/parameter`` for NaN.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeInt8(TypeCode.decimal.rawValue)
        writer.writeDecimalPayload(try IgniteDecimal(self))
    }
    /// Decimal.
    public static var igniteTypeCode: TypeCode? { .decimal }
    /// Accepts Decimal when the value fits Foundation's `Decimal` exactly (about 38 digits); otherwise an error, never a
    /// rounded value (read ``IgniteDecimal`` for any precision).
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .decimal(let v) = value else { throw value.typeMismatch("Decimal") }
        do {
            self = try v.foundationDecimal()
        } catch let error as IgniteError {
            throw IgniteError.parse("\(v) does not fit Foundation.Decimal exactly (\(error.message)); read it as IgniteDecimal")
        }
    }
}

extension Data: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a ByteArray (12).
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try checkArrayCount(count, "Data")
        writer.writeInt8(TypeCode.byteArray.rawValue)
        writer.writeInt32(Int32(truncatingIfNeeded: count))
        writer.writeBytes(self)
    }
    /// ByteArray.
    public static var igniteTypeCode: TypeCode? { .byteArray }
    /// Accepts ByteArray.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .byteArray(let v) = value else { throw value.typeMismatch("Data") }
        self = Data(v)
    }
    /// Reads a ByteArray straight into `Data`.
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Data {
        try reader.expectCode(.byteArray, "Data")
        let count = try reader.readLengthChecked(elementSize: 1)
        let start = reader.position
        reader.position += count
        return reader.buffer.withUnsafeBufferPointer { Data(buffer: UnsafeBufferPointer(rebasing: $0[start..<(start + count)])) }
    }
}

extension BinaryObject: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes the object's bytes as they are.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        write(to: &writer)
    }
    /// Complex object.
    public static var igniteTypeCode: TypeCode? { .complexObject }
    /// Accepts a complex object (wrapped data included).
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .object(let v) = value else { throw value.typeMismatch("BinaryObject") }
        self = v
    }
}

extension IgniteEnum: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes a BinaryEnum (38), as Java writes enums in binary form.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeValue(.binaryEnum(self))
    }
    /// BinaryEnum.
    public static var igniteTypeCode: TypeCode? { .binaryEnum }
    /// Accepts BinaryEnum and Enum.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        switch value {
        case .binaryEnum(let v), .enumValue(let v): self = v
        default: throw value.typeMismatch("IgniteEnum")
        }
    }
}

/// Throws unless an array of `count` elements can be written with an i32 length.
@usableFromInline
func checkArrayCount(_ count: Int, _ what: String) throws {
    guard count <= Int(Int32.max) else {
        throw IgniteError.parameter("\(what) has \(count) elements, more than an Ignite array can hold")
    }
}
