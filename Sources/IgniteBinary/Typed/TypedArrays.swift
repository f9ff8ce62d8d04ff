import Foundation

/// An element type of Swift arrays on the statically typed path: `[Element]` writes the Ignite array type of the element.
///
/// | Swift | Written as |
/// |---|---|
/// | `[UInt8]`, `[Int8]` | ByteArray (12) |
/// | `[Int16]` | ShortArray (13) |
/// | `[Int32]` | IntArray (14) |
/// | `[Int64]`, `[Int]` | LongArray (15) |
/// | `[Float]` | FloatArray (16) |
/// | `[Double]` | DoubleArray (17) |
/// | `[JavaChar]` | CharArray (18) |
/// | `[Bool]` | BoolArray (19) |
/// | `[String]`, `[String?]` | StringArray (20) |
/// | `[UUID]`, `[UUID?]` | UUIDArray (21) |
/// | `[IgniteDate]`, `[Date]` (and optionals) | DateArray (22) |
/// | `[IgniteTimestamp]`, `[IgniteTimestamp?]` | TimestampArray (34) |
/// | `[IgniteTime]`, `[IgniteTime?]` | TimeArray (37) |
/// | `[IgniteDecimal]`, `[IgniteDecimal?]` | DecimalArray (31) |
/// | `[BinaryObject]`, `[IgniteValue]`, `[T: IgniteObjectCodable]` | Collection (24, `ArrayList`) |
///
/// Decoding accepts the same array type, or a Collection / ObjectArray whose elements each decode as `Element`.
/// Primitive arrays are copied in bulk.
public protocol IgniteArrayElement: Sendable {
    /// The type code of `[Self]`.
    static var igniteArrayTypeCode: TypeCode { get }
    /// Writes `elements` as one data object.
    /// - Throws: ``IgniteError/Code/parameter`` for more than `Int32.max` elements, or an element's encoding error.
    static func encodeIgniteArray(_ elements: [Self], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws
    /// Creates the elements from a decoded value.
    /// - Throws: ``IgniteError/Code/parse`` if the value is not an array of this element type.
    static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Self]
    /// Reads one array data object. The default reads an ``IgniteValue``; primitive elements copy in bulk.
    /// - Throws: As ``decodeIgniteArray(from:schemas:)``, and ``IgniteError/Code/parse`` for malformed bytes.
    static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Self]
}

extension IgniteArrayElement {
    /// Reads an ``IgniteValue`` and converts it.
    public static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Self] {
        try decodeIgniteArray(from: try reader.readValue(), schemas: schemas)
    }
}

extension IgniteArrayElement where Self: IgniteBinaryEncodable & IgniteBinaryDecodable {
    /// Collection (24).
    public static var igniteArrayTypeCode: TypeCode { .collection }

    /// Writes an `ArrayList` Collection whose elements are full data objects.
    public static func encodeIgniteArray(_ elements: [Self], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try checkArrayCount(elements.count, "array of \(Self.self)")
        writer.writeInt8(TypeCode.collection.rawValue)
        writer.writeInt32(Int32(truncatingIfNeeded: elements.count))
        writer.writeInt8(CollectionKind.arrayList.rawValue)
        for element in elements { try element.encodeIgnite(into: &writer, types: &types) }
    }

    /// Accepts a Collection or ObjectArray.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Self] {
        try decodeElements(of: value, as: "[\(Self.self)]") { try Self(igniteValue: $0, schemas: schemas) }
    }
}

/// The elements of a Collection or ObjectArray converted one by one, with the failing index in the error.
func decodeElements<T>(of value: IgniteValue, as name: @autoclosure () -> String, _ convert: (IgniteValue) throws -> T) throws -> [T] {
    let elements: [IgniteValue]
    switch value {
    case .collection(let c): elements = c.elements
    case .objectArray(let a): elements = a.elements
    default: throw value.typeMismatch(name())
    }
    var result: [T] = []
    result.reserveCapacity(elements.count)
    for (index, element) in elements.enumerated() {
        do {
            result.append(try convert(element))
        } catch let error as IgniteError {
            throw IgniteError(error.code, "element \(index) of \(name()): \(error.message)", underlying: error.underlying)
        }
    }
    return result
}

// MARK: - Bulk primitive arrays

/// A fixed-width element copied in bulk (little-endian in memory on every supported platform).
@usableFromInline
protocol BulkArrayElement: IgniteArrayElement {
    associatedtype Bits: FixedWidthInteger
    static var bulkName: String { get }
}

extension BulkArrayElement {
    @inlinable
    static func writeBulk(_ elements: [Self], code: TypeCode, into writer: inout BinaryWriter) throws {
        try checkArrayCount(elements.count, bulkName)
        writer.writeInt8(code.rawValue)
        writer.writeInt32(Int32(truncatingIfNeeded: elements.count))
        if Bits(1).littleEndian == 1 {
            elements.withUnsafeBytes { writer.writeBytes($0) }
        } else {
            elements.withUnsafeBytes { raw in
                for i in 0..<elements.count {
                    writer.writeInteger(raw.loadUnaligned(fromByteOffset: i * MemoryLayout<Bits>.size, as: Bits.self))
                }
            }
        }
    }

    @inlinable
    static func readBulk(_ reader: inout BinaryReader, code: TypeCode, schemas: (any BinarySchemaResolver)?) throws -> [Self] {
        guard let first = try? reader.peekUInt8(at: reader.position), Int8(bitPattern: first) == code.rawValue else {
            return try decodeIgniteArray(from: try reader.readValue(), schemas: schemas)
        }
        reader.position += 1
        let size = MemoryLayout<Bits>.size
        let count = try reader.readLengthChecked(elementSize: size)
        let start = reader.position
        reader.position += count * size
        return reader.buffer.withUnsafeBytes { source in
            [Self](unsafeUninitializedCapacity: count) { target, initialized in
                let bytes = UnsafeMutableRawBufferPointer(target)
                if Bits(1).littleEndian == 1 {
                    bytes.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[start..<(start + count * size)]))
                } else {
                    for i in 0..<count {
                        let v = Bits(littleEndian: source.loadUnaligned(fromByteOffset: start + i * size, as: Bits.self))
                        bytes.storeBytes(of: v, toByteOffset: i * size, as: Bits.self)
                    }
                }
                initialized = count
            }
        }
    }
}

extension UInt8: BulkArrayElement {
    @usableFromInline typealias Bits = UInt8
    @usableFromInline static var bulkName: String { "[UInt8]" }
    /// ByteArray.
    public static var igniteArrayTypeCode: TypeCode { .byteArray }
    /// Writes a ByteArray.
    public static func encodeIgniteArray(_ elements: [UInt8], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try writeBulk(elements, code: .byteArray, into: &writer)
    }
    /// Accepts ByteArray, or a Collection of bytes.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [UInt8] {
        if case .byteArray(let v) = value { return v }
        return try decodeElements(of: value, as: "[UInt8]") { UInt8(bitPattern: try Int8(igniteValue: $0, schemas: schemas)) }
    }
    /// Copies a ByteArray in bulk.
    public static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [UInt8] {
        try readBulk(&reader, code: .byteArray, schemas: schemas)
    }
}

extension Int8: BulkArrayElement {
    @usableFromInline typealias Bits = UInt8
    @usableFromInline static var bulkName: String { "[Int8]" }
    /// ByteArray.
    public static var igniteArrayTypeCode: TypeCode { .byteArray }
    /// Writes a ByteArray.
    public static func encodeIgniteArray(_ elements: [Int8], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try writeBulk(elements, code: .byteArray, into: &writer)
    }
    /// Accepts ByteArray, or a Collection of bytes.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Int8] {
        if case .byteArray(let v) = value { return v.map { Int8(bitPattern: $0) } }
        return try decodeElements(of: value, as: "[Int8]") { try Int8(igniteValue: $0, schemas: schemas) }
    }
    /// Copies a ByteArray in bulk.
    public static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Int8] {
        try readBulk(&reader, code: .byteArray, schemas: schemas)
    }
}

extension Int16: BulkArrayElement {
    @usableFromInline typealias Bits = UInt16
    @usableFromInline static var bulkName: String { "[Int16]" }
    /// ShortArray.
    public static var igniteArrayTypeCode: TypeCode { .shortArray }
    /// Writes a ShortArray.
    public static func encodeIgniteArray(_ elements: [Int16], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try writeBulk(elements, code: .shortArray, into: &writer)
    }
    /// Accepts ShortArray, or a Collection of shorts.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Int16] {
        if case .shortArray(let v) = value { return v }
        return try decodeElements(of: value, as: "[Int16]") { try Int16(igniteValue: $0, schemas: schemas) }
    }
    /// Copies a ShortArray in bulk.
    public static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Int16] {
        try readBulk(&reader, code: .shortArray, schemas: schemas)
    }
}

extension Int32: BulkArrayElement {
    @usableFromInline typealias Bits = UInt32
    @usableFromInline static var bulkName: String { "[Int32]" }
    /// IntArray.
    public static var igniteArrayTypeCode: TypeCode { .intArray }
    /// Writes an IntArray.
    public static func encodeIgniteArray(_ elements: [Int32], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try writeBulk(elements, code: .intArray, into: &writer)
    }
    /// Accepts IntArray, or a Collection of ints.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Int32] {
        if case .intArray(let v) = value { return v }
        return try decodeElements(of: value, as: "[Int32]") { try Int32(igniteValue: $0, schemas: schemas) }
    }
    /// Copies an IntArray in bulk.
    public static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Int32] {
        try readBulk(&reader, code: .intArray, schemas: schemas)
    }
}

extension Int64: BulkArrayElement {
    @usableFromInline typealias Bits = UInt64
    @usableFromInline static var bulkName: String { "[Int64]" }
    /// LongArray.
    public static var igniteArrayTypeCode: TypeCode { .longArray }
    /// Writes a LongArray.
    public static func encodeIgniteArray(_ elements: [Int64], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try writeBulk(elements, code: .longArray, into: &writer)
    }
    /// Accepts LongArray, or a Collection of integers.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Int64] {
        if case .longArray(let v) = value { return v }
        return try decodeElements(of: value, as: "[Int64]") { try Int64(igniteValue: $0, schemas: schemas) }
    }
    /// Copies a LongArray in bulk.
    public static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Int64] {
        try readBulk(&reader, code: .longArray, schemas: schemas)
    }
}

extension Int: IgniteArrayElement {
    /// LongArray.
    public static var igniteArrayTypeCode: TypeCode { .longArray }
    /// Writes a LongArray.
    public static func encodeIgniteArray(_ elements: [Int], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try checkArrayCount(elements.count, "[Int]")
        writer.writeInt8(TypeCode.longArray.rawValue)
        writer.writeInt32(Int32(truncatingIfNeeded: elements.count))
        if MemoryLayout<Int>.size == 8, UInt64(1).littleEndian == 1 {
            elements.withUnsafeBytes { writer.writeBytes($0) }
        } else {
            for element in elements { writer.writeInt64(Int64(element)) }
        }
    }
    /// Accepts LongArray, or a Collection of integers.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Int] {
        if case .longArray(let v) = value { return v.map { Int($0) } }
        return try decodeElements(of: value, as: "[Int]") { try Int(igniteValue: $0, schemas: schemas) }
    }
    /// Reads a LongArray.
    public static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Int] {
        try Int64.decodeIgniteArray(from: &reader, schemas: schemas).map { Int($0) }
    }
}

extension Float: BulkArrayElement {
    @usableFromInline typealias Bits = UInt32
    @usableFromInline static var bulkName: String { "[Float]" }
    /// FloatArray.
    public static var igniteArrayTypeCode: TypeCode { .floatArray }
    /// Writes a FloatArray.
    public static func encodeIgniteArray(_ elements: [Float], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try writeBulk(elements, code: .floatArray, into: &writer)
    }
    /// Accepts FloatArray, or a Collection of floats.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Float] {
        if case .floatArray(let v) = value { return v }
        return try decodeElements(of: value, as: "[Float]") { try Float(igniteValue: $0, schemas: schemas) }
    }
    /// Copies a FloatArray in bulk.
    public static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Float] {
        try readBulk(&reader, code: .floatArray, schemas: schemas)
    }
}

extension Double: BulkArrayElement {
    @usableFromInline typealias Bits = UInt64
    @usableFromInline static var bulkName: String { "[Double]" }
    /// DoubleArray.
    public static var igniteArrayTypeCode: TypeCode { .doubleArray }
    /// Writes a DoubleArray.
    public static func encodeIgniteArray(_ elements: [Double], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try writeBulk(elements, code: .doubleArray, into: &writer)
    }
    /// Accepts DoubleArray, or a Collection of doubles/floats.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Double] {
        if case .doubleArray(let v) = value { return v }
        return try decodeElements(of: value, as: "[Double]") { try Double(igniteValue: $0, schemas: schemas) }
    }
    /// Copies a DoubleArray in bulk.
    public static func decodeIgniteArray(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Double] {
        try readBulk(&reader, code: .doubleArray, schemas: schemas)
    }
}

extension Bool: IgniteArrayElement {
    /// BoolArray.
    public static var igniteArrayTypeCode: TypeCode { .boolArray }
    /// Writes a BoolArray (one byte, 0 or 1, per element).
    public static func encodeIgniteArray(_ elements: [Bool], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try writeArray(.boolArray, elements, into: &writer) { $0.writeBool($1) }
    }
    /// Accepts BoolArray, or a Collection of bools.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Bool] {
        if case .boolArray(let v) = value { return v }
        return try decodeElements(of: value, as: "[Bool]") { try Bool(igniteValue: $0, schemas: schemas) }
    }
}

extension JavaChar: IgniteArrayElement {
    /// CharArray.
    public static var igniteArrayTypeCode: TypeCode { .charArray }
    /// Writes a CharArray.
    public static func encodeIgniteArray(_ elements: [JavaChar], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try writeArray(.charArray, elements, into: &writer) { $0.writeUInt16($1.codeUnit) }
    }
    /// Accepts CharArray, or a Collection of chars.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [JavaChar] {
        if case .charArray(let v) = value { return v }
        return try decodeElements(of: value, as: "[JavaChar]") { try JavaChar(igniteValue: $0, schemas: schemas) }
    }
}

/// Writes an array header and each element with `write`.
@inlinable
func writeArray<T>(_ code: TypeCode, _ elements: [T], into writer: inout BinaryWriter, _ write: (inout BinaryWriter, T) -> Void) throws {
    try checkArrayCount(elements.count, "\(code) array")
    writer.writeInt8(code.rawValue)
    writer.writeInt32(Int32(truncatingIfNeeded: elements.count))
    for element in elements { write(&writer, element) }
}

// MARK: - Arrays whose elements may be null

/// An element of the Ignite arrays whose elements are full data objects that may be null
/// (StringArray, UUIDArray, DateArray, TimestampArray, TimeArray, DecimalArray).
/// `[Self]` and `[Self?]` both use that array type; a non-optional array rejects null elements.
public protocol IgniteNullableArrayElement: IgniteArrayElement, IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// The elements as the corresponding ``IgniteValue`` array.
    static func igniteArrayValue(_ elements: [Self?]) -> IgniteValue
    /// The elements of the corresponding array value, or `nil` if `value` is another type.
    static func igniteArrayElements(_ value: IgniteValue) -> [Self?]?
}

extension IgniteNullableArrayElement {
    /// Writes the array type with every element as a full data object.
    public static func encodeIgniteArray(_ elements: [Self], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try checkArrayCount(elements.count, "[\(Self.self)]")
        writer.writeInt8(igniteArrayTypeCode.rawValue)
        writer.writeInt32(Int32(truncatingIfNeeded: elements.count))
        for element in elements { try element.encodeIgnite(into: &writer, types: &types) }
    }

    /// Accepts the array type without null elements, or a Collection / ObjectArray of elements.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Self] {
        guard let elements = igniteArrayElements(value) else {
            return try decodeElements(of: value, as: "[\(Self.self)]") { try Self(igniteValue: $0, schemas: schemas) }
        }
        var result: [Self] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard let element else { throw IgniteError.parse("element \(index) of [\(Self.self)] is null; use [\(Self.self)?]") }
            result.append(element)
        }
        return result
    }
}

extension Optional: IgniteArrayElement where Wrapped: IgniteNullableArrayElement {
    /// The wrapped element's array type.
    public static var igniteArrayTypeCode: TypeCode { Wrapped.igniteArrayTypeCode }
    /// Writes the array type with nulls for `nil`.
    public static func encodeIgniteArray(_ elements: [Wrapped?], into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try checkArrayCount(elements.count, "[\(Wrapped.self)?]")
        writer.writeInt8(Wrapped.igniteArrayTypeCode.rawValue)
        writer.writeInt32(Int32(truncatingIfNeeded: elements.count))
        for element in elements {
            if let element { try element.encodeIgnite(into: &writer, types: &types) } else { writer.writeInt8(TypeCode.null.rawValue) }
        }
    }
    /// Accepts the array type, or a Collection / ObjectArray of elements and nulls.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Wrapped?] {
        if let elements = Wrapped.igniteArrayElements(value) { return elements }
        return try decodeElements(of: value, as: "[\(Wrapped.self)?]") { try Wrapped?(igniteValue: $0, schemas: schemas) }
    }
}

extension String: IgniteNullableArrayElement {
    /// StringArray.
    public static var igniteArrayTypeCode: TypeCode { .stringArray }
    /// A StringArray value.
    public static func igniteArrayValue(_ elements: [String?]) -> IgniteValue { .stringArray(elements) }
    /// The elements of a StringArray.
    public static func igniteArrayElements(_ value: IgniteValue) -> [String?]? {
        if case .stringArray(let v) = value { return v }
        return nil
    }
}

extension UUID: IgniteNullableArrayElement {
    /// UUIDArray.
    public static var igniteArrayTypeCode: TypeCode { .uuidArray }
    /// A UUIDArray value.
    public static func igniteArrayValue(_ elements: [UUID?]) -> IgniteValue { .uuidArray(elements) }
    /// The elements of a UUIDArray.
    public static func igniteArrayElements(_ value: IgniteValue) -> [UUID?]? {
        if case .uuidArray(let v) = value { return v }
        return nil
    }
}

extension IgniteDate: IgniteNullableArrayElement {
    /// DateArray.
    public static var igniteArrayTypeCode: TypeCode { .dateArray }
    /// A DateArray value.
    public static func igniteArrayValue(_ elements: [IgniteDate?]) -> IgniteValue { .dateArray(elements) }
    /// The elements of a DateArray.
    public static func igniteArrayElements(_ value: IgniteValue) -> [IgniteDate?]? {
        if case .dateArray(let v) = value { return v }
        return nil
    }
}

extension Date: IgniteNullableArrayElement {
    /// DateArray.
    public static var igniteArrayTypeCode: TypeCode { .dateArray }
    /// A DateArray value (milliseconds rounded).
    public static func igniteArrayValue(_ elements: [Date?]) -> IgniteValue { .dateArray(elements.map { $0.map(IgniteDate.init) }) }
    /// The elements of a DateArray or TimestampArray.
    public static func igniteArrayElements(_ value: IgniteValue) -> [Date?]? {
        switch value {
        case .dateArray(let v): return v.map { $0?.date }
        case .timestampArray(let v): return v.map { $0?.date }
        default: return nil
        }
    }
}

extension IgniteTimestamp: IgniteNullableArrayElement {
    /// TimestampArray.
    public static var igniteArrayTypeCode: TypeCode { .timestampArray }
    /// A TimestampArray value.
    public static func igniteArrayValue(_ elements: [IgniteTimestamp?]) -> IgniteValue { .timestampArray(elements) }
    /// The elements of a TimestampArray.
    public static func igniteArrayElements(_ value: IgniteValue) -> [IgniteTimestamp?]? {
        if case .timestampArray(let v) = value { return v }
        return nil
    }
}

extension IgniteTime: IgniteNullableArrayElement {
    /// TimeArray.
    public static var igniteArrayTypeCode: TypeCode { .timeArray }
    /// A TimeArray value.
    public static func igniteArrayValue(_ elements: [IgniteTime?]) -> IgniteValue { .timeArray(elements) }
    /// The elements of a TimeArray.
    public static func igniteArrayElements(_ value: IgniteValue) -> [IgniteTime?]? {
        if case .timeArray(let v) = value { return v }
        return nil
    }
}

extension IgniteDecimal: IgniteNullableArrayElement {
    /// DecimalArray.
    public static var igniteArrayTypeCode: TypeCode { .decimalArray }
    /// A DecimalArray value.
    public static func igniteArrayValue(_ elements: [IgniteDecimal?]) -> IgniteValue { .decimalArray(elements) }
    /// The elements of a DecimalArray.
    public static func igniteArrayElements(_ value: IgniteValue) -> [IgniteDecimal?]? {
        if case .decimalArray(let v) = value { return v }
        return nil
    }
}

extension BinaryObject: IgniteArrayElement {}
extension IgniteValue: IgniteArrayElement {}

// MARK: - Array, Optional, Dictionary, Set

extension Array: IgniteBinaryEncodable where Element: IgniteArrayElement {
    /// Writes the element's array type (see ``IgniteArrayElement``).
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try Element.encodeIgniteArray(self, into: &writer, types: &types)
    }
    /// The element's array type code.
    public static var igniteTypeCode: TypeCode? { Element.igniteArrayTypeCode }
}

extension Array: IgniteBinaryDecodable where Element: IgniteArrayElement {
    /// See ``IgniteArrayElement``.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = try Element.decodeIgniteArray(from: value, schemas: schemas)
    }
    /// See ``IgniteArrayElement``.
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> [Element] {
        try Element.decodeIgniteArray(from: &reader, schemas: schemas)
    }
}

extension Optional: IgniteBinaryEncodable where Wrapped: IgniteBinaryEncodable {
    /// Writes the wrapped value, or Null (101) for `nil`.
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        if let self { try self.encodeIgnite(into: &writer, types: &types) } else { writer.writeInt8(TypeCode.null.rawValue) }
    }
    /// The wrapped type's code.
    public static var igniteTypeCode: TypeCode? { Wrapped.igniteTypeCode }
}

extension Optional: IgniteBinaryDecodable where Wrapped: IgniteBinaryDecodable {
    /// Null is `nil`; anything else decodes as `Wrapped`.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = value.isNull ? nil : try Wrapped(igniteValue: value, schemas: schemas)
    }
    /// Null is `nil`; anything else decodes as `Wrapped`.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Wrapped? {
        if try reader.peekUInt8(at: reader.position) == UInt8(bitPattern: TypeCode.null.rawValue) {
            reader.position += 1
            return nil
        }
        return try Wrapped.decodeIgnite(from: &reader, schemas: schemas)
    }
}

extension Dictionary: IgniteBinaryEncodable where Key: IgniteBinaryEncodable, Value: IgniteBinaryEncodable {
    /// Writes a Map (25) of kind `HashMap`; keys and values are full data objects.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try checkArrayCount(count, "dictionary")
        writer.writeInt8(TypeCode.map.rawValue)
        writer.writeInt32(Int32(truncatingIfNeeded: count))
        writer.writeInt8(MapKind.hashMap.rawValue)
        for (key, value) in self {
            try key.encodeIgnite(into: &writer, types: &types)
            try value.encodeIgnite(into: &writer, types: &types)
        }
    }
    /// Map.
    public static var igniteTypeCode: TypeCode? { .map }
}

extension Dictionary: IgniteBinaryDecodable where Key: IgniteBinaryDecodable, Value: IgniteBinaryDecodable {
    /// Accepts a Map; a key that occurs twice is an error.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .map(let map) = value else { throw value.typeMismatch("[\(Key.self): \(Value.self)]") }
        var result: [Key: Value] = [:]
        result.reserveCapacity(map.entries.count)
        for (index, entry) in map.entries.enumerated() {
            let key = try Key(igniteValue: entry.key, schemas: schemas)
            guard result.updateValue(try Value(igniteValue: entry.value, schemas: schemas), forKey: key) == nil else {
                throw IgniteError.parse("map entry \(index) repeats the key \(key)")
            }
        }
        self = result
    }
}

extension Set: IgniteBinaryEncodable where Element: IgniteBinaryEncodable {
    /// Writes a Collection (24) of kind `HashSet`.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try checkArrayCount(count, "set")
        writer.writeInt8(TypeCode.collection.rawValue)
        writer.writeInt32(Int32(truncatingIfNeeded: count))
        writer.writeInt8(CollectionKind.hashSet.rawValue)
        for element in self { try element.encodeIgnite(into: &writer, types: &types) }
    }
    /// Collection.
    public static var igniteTypeCode: TypeCode? { .collection }
}

extension Set: IgniteBinaryDecodable where Element: IgniteBinaryDecodable {
    /// Accepts a Collection or ObjectArray.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = Set(try decodeElements(of: value, as: "Set<\(Element.self)>") { try Element(igniteValue: $0, schemas: schemas) })
    }
}

extension IgniteCollection: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes the Collection.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws { writer.writeValue(.collection(self)) }
    /// Collection.
    public static var igniteTypeCode: TypeCode? { .collection }
    /// Accepts a Collection.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .collection(let v) = value else { throw value.typeMismatch("IgniteCollection") }
        self = v
    }
}

extension IgniteMap: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes the Map.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws { writer.writeValue(.map(self)) }
    /// Map.
    public static var igniteTypeCode: TypeCode? { .map }
    /// Accepts a Map.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .map(let v) = value else { throw value.typeMismatch("IgniteMap") }
        self = v
    }
}

extension IgniteObjectArray: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes the ObjectArray.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws { writer.writeValue(.objectArray(self)) }
    /// ObjectArray.
    public static var igniteTypeCode: TypeCode? { .objectArray }
    /// Accepts an ObjectArray.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .objectArray(let v) = value else { throw value.typeMismatch("IgniteObjectArray") }
        self = v
    }
}
