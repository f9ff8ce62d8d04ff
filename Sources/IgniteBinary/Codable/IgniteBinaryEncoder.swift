import Foundation

/// Encodes Swift `Encodable` values as Ignite data objects; structs become complex objects (type code 103).
///
/// How Swift values are written (per field, the default; ``IgniteObjectCodable/igniteFieldTypes`` chooses another type):
///
/// | Swift | Ignite |
/// |---|---|
/// | `Int`, `Int64` | Long (like pyignite's `int`) |
/// | `Int32` / `Int16` / `Int8` | Int / Short / Byte |
/// | `UInt8` / `UInt16` / `UInt32`, `UInt64`, `UInt` | Short / Int / Long (the next wider signed type; out of range is an error) |
/// | `Double` / `Float` / `Bool` / `String` | Double / Float / Bool / String |
/// | `UUID`, `Date` (milliseconds rounded), `Data`, `[UInt8]` | UUID, Date, ByteArray |
/// | `Foundation.Decimal`, `IgniteDecimal` | Decimal, exactly |
/// | `IgniteDecimal`, `IgniteDate`, `IgniteTimestamp`, `IgniteTime`, `JavaChar`, `IgniteEnum`, `BinaryObject`, `IgniteValue` | their own types |
/// | `[Int16]`, `[Int32]`, `[Int]`, `[Float]`, `[Double]`, `[Bool]`, `[String]`, ... | the primitive array types (see ``IgniteArrayElement``) |
/// | other arrays and sets | Collection (`ArrayList` / `HashSet`) of their elements |
/// | dictionaries | Map (`HashMap`) |
/// | `nil` | Null; the field keeps its place in the schema and its static type in the metadata |
/// | `RawRepresentable` enums | their raw value |
/// | nested structs and classes | nested complex objects, written inline |
///
/// Field names are the `CodingKeys` string values and the encode order is the schema. Every object written records its
/// ``BinaryType`` (fields with type codes, schema, affinity key) in the ``BinaryTypeCollector``.
/// Nested keyed/unkeyed containers and `superEncoder`
/// are not supported (use nested types). Object graphs deeper than ``DecodingLimits/maximumDepth`` (for example cycles of
/// classes) are an error.
public struct IgniteBinaryEncoder: Sendable {
    /// Forces a compact (`true`) or full (`false`) footer on every object; `nil` uses each type's
    /// ``IgniteObjectCodable/igniteCompactFooter`` (compact for plain `Codable` types).
    public var compactFooter: Bool?

    /// Creates an encoder.
    /// - Parameter compactFooter: See ``compactFooter``.
    public init(compactFooter: Bool? = nil) {
        self.compactFooter = compactFooter
    }

    /// Writes `value` as one data object into `writer` and records the binary types it used.
    /// - Throws: ``IgniteError/Code/parameter`` for values Ignite cannot represent (out of range for a chosen type,
    ///   unsupported containers, nesting too deep); `writer` is then left as it was.
    public func encode<T: Encodable>(_ value: T, into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try run(&writer, &types) { try $0.encodeValue(value, override: nil, path: .root) }
    }

    /// Writes an object type's value as one complex object into `writer` and records the binary types it used
    /// (the same as the generic method, without looking up how to write `T`).
    /// - Throws: As the generic `encode(_:into:types:)`.
    public func encode<T: IgniteObjectCodable>(_ value: T, into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try run(&writer, &types) { try $0.encodeComposite(value, path: .root) }
    }

    /// Runs `body` with an ``EncodingState`` that writes into `writer` and records into `types`; on failure `writer` is
    /// left as it was.
    private func run(_ writer: inout BinaryWriter, _ types: inout BinaryTypeCollector, _ body: (EncodingState) throws -> Void) throws {
        let state = EncodingState(forcedCompactFooter: compactFooter)
        let mark = writer.count
        swap(&state.writer, &writer)
        swap(&state.types, &types)
        defer {
            swap(&state.writer, &writer)
            swap(&state.types, &types)
        }
        do {
            try body(state)
        } catch {
            state.writer.truncate(to: mark)
            throw EncodingState.asIgniteError(error)
        }
    }

    /// The bytes of `value` as one data object.
    /// - Throws: As `encode(_:into:types:)`.
    public func encode<T: Encodable>(_ value: T, types: inout BinaryTypeCollector) throws -> [UInt8] {
        var writer = BinaryWriter(capacity: 128)
        try encode(value, into: &writer, types: &types)
        return writer.bytes
    }

    /// `value` as a ``BinaryObject``.
    /// - Throws: As `encode(_:into:types:)`; ``IgniteError/Code/parameter`` if `value` is not written as a complex object.
    public func encodeObject<T: Encodable>(_ value: T, types: inout BinaryTypeCollector) throws -> BinaryObject {
        let bytes = try encode(value, types: &types)
        guard bytes.first == UInt8(bitPattern: TypeCode.complexObject.rawValue) else {
            throw IgniteError.parameter("\(T.self) is not encoded as a complex object")
        }
        return try BinaryObject(bytes: bytes)
    }
}

/// Where a value sits in the Codable graph; the `[CodingKey]` array is only built for nested encoders.
struct CodingPathContext {
    let base: [any CodingKey]
    let key: (any CodingKey)?

    static let root = CodingPathContext(base: [], key: nil)

    var path: [any CodingKey] {
        guard let key else { return base }
        return base + [key]
    }
}

/// The state of one encode call: the writer, the collected types, and a stack of the fields of the objects being written.
/// (Only this encode call reaches these properties, one access at a time, so exclusivity is not checked dynamically.)
final class EncodingState {
    @exclusivity(unchecked) var writer = BinaryWriter(capacity: 0)
    @exclusivity(unchecked) var types = BinaryTypeCollector()
    /// Fields of all objects being written (nested objects push theirs on top).
    @exclusivity(unchecked) var slots: [FieldSlot] = []
    @exclusivity(unchecked) var depth = 0
    let forcedCompactFooter: Bool?

    init(forcedCompactFooter: Bool?) {
        self.forcedCompactFooter = forcedCompactFooter
        slots.reserveCapacity(16)
    }

    static func asIgniteError(_ error: any Error) -> IgniteError {
        if let error = error as? IgniteError { return error }
        return IgniteError(.parameter, "encoding failed: \(error)", underlying: error as (any Error & Sendable))
    }

    /// Writes any `Encodable` value as one data object, then converts it to `override` if given.
    func encodeValue<T: Encodable>(_ value: T, override: TypeCode?, path: CodingPathContext) throws {
        guard let override else {
            try encodePlain(value, path: path)
            return
        }
        if override == .timestamp, let date = value as? Date {
            try IgniteTimestamp(date).encodeIgnite(into: &writer, types: &types)
            return
        }
        let start = writer.count
        try encodePlain(value, path: path)
        try convertWritten(from: start, to: override)
    }

    private func encodePlain<T: Encodable>(_ value: T, path: CodingPathContext) throws {
        let dispatch = TypeDispatchCache.shared.encoder(for: T.self)
        switch dispatch.kind {
        case .composite:
            // Nested structs, and object types written in place so that options and the depth limit apply to them too.
            try encodeComposite(value, path: path)
        case .direct:
            guard let write = dispatch.write else { throw IgniteError.parameter("internal: no writer for \(T.self)") }
            try withUnsafePointer(to: value) { try write(UnsafeRawPointer($0), self, path) }
        }
    }

    /// Runs `value.encode(to:)` with an encoder writing at the current position: a keyed container makes an object.
    func encodeComposite<U: Encodable>(_ value: U, path: CodingPathContext) throws {
        guard depth < DecodingLimits.maximumDepth else {
            throw IgniteError.parameter("object graph nested deeper than \(DecodingLimits.maximumDepth) levels at \(U.self) (a cycle?)")
        }
        depth += 1
        defer { depth -= 1 }
        let encoder = ValueEncoder(state: self, type: U.self, codingPath: path.path)
        try value.encode(to: encoder)
        try encoder.finish()
    }

    /// Re-encodes the value written since `start` as `code` (a lossless conversion), unless it already is.
    func convertWritten(from start: Int, to code: TypeCode) throws {
        guard start < writer.count else { throw IgniteError.parameter("no value was written") }
        let first = Int8(bitPattern: writer.storage[start])
        if first == code.rawValue || first == TypeCode.null.rawValue { return }
        let converted: IgniteValue
        do {
            var reader = BinaryReader(writer.storage, position: start)
            converted = try reader.readValue().converted(to: code)
        }
        writer.truncate(to: start)
        writer.writeValue(converted)
    }

    /// Writes an integer as `override` or `defaultCode`, checking the range.
    func encodeInteger<I: BinaryInteger>(_ value: I, override: TypeCode?, defaultCode: TypeCode) throws {
        let code = override ?? defaultCode
        func outOfRange() -> IgniteError { IgniteError.parameter("\(I.self) \(value) does not fit in \(code)") }
        switch code {
        case .long:
            guard let v = Int64(exactly: value) else { throw outOfRange() }
            writer.writeInt8(TypeCode.long.rawValue)
            writer.writeInt64(v)
        case .int:
            guard let v = Int32(exactly: value) else { throw outOfRange() }
            writer.writeInt8(TypeCode.int.rawValue)
            writer.writeInt32(v)
        case .short:
            guard let v = Int16(exactly: value) else { throw outOfRange() }
            writer.writeInt8(TypeCode.short.rawValue)
            writer.writeInt16(v)
        case .byte:
            guard let v = Int8(exactly: value) else { throw outOfRange() }
            writer.writeInt8(TypeCode.byte.rawValue)
            writer.writeInt8(v)
        case .char:
            guard let v = UInt16(exactly: value) else { throw outOfRange() }
            writer.writeInt8(TypeCode.char.rawValue)
            writer.writeUInt16(v)
        case .decimal:
            guard let v = Int64(exactly: value) else { throw outOfRange() }
            writer.writeInt8(TypeCode.decimal.rawValue)
            writer.writeDecimalPayload(IgniteDecimal(unscaled: v, scale: 0))
        case .double:
            guard let v = Double(exactly: value) else { throw outOfRange() }
            writer.writeInt8(TypeCode.double.rawValue)
            writer.writeDouble(v)
        case .float:
            guard let v = Float(exactly: value) else { throw outOfRange() }
            writer.writeInt8(TypeCode.float.rawValue)
            writer.writeFloat(v)
        default:
            throw IgniteError.parameter("cannot write \(I.self) as \(code)")
        }
    }

    func encodeDouble(_ value: Double, override: TypeCode?) throws {
        switch override ?? .double {
        case .double:
            writer.writeInt8(TypeCode.double.rawValue)
            writer.writeDouble(value)
        case .float:
            let f: Float
            if value.isNaN { f = .nan } else if let exact = Float(exactly: value) { f = exact } else {
                throw IgniteError.parameter("Double \(value) has no exact Float")
            }
            writer.writeInt8(TypeCode.float.rawValue)
            writer.writeFloat(f)
        case let code:
            throw IgniteError.parameter("cannot write Double as \(code)")
        }
    }

    func encodeFloat(_ value: Float, override: TypeCode?) throws {
        switch override ?? .float {
        case .float:
            writer.writeInt8(TypeCode.float.rawValue)
            writer.writeFloat(value)
        case .double:
            writer.writeInt8(TypeCode.double.rawValue)
            writer.writeDouble(Double(value))
        case let code:
            throw IgniteError.parameter("cannot write Float as \(code)")
        }
    }

    func encodeString(_ value: String, override: TypeCode?) throws {
        switch override ?? .string {
        case .string:
            writer.writeStringObject(value)
        case .char:
            let units = value.utf16
            guard units.count == 1, let unit = units.first else {
                throw IgniteError.parameter("String \"\(value)\" is not one UTF-16 unit, it cannot be a Char")
            }
            writer.writeInt8(TypeCode.char.rawValue)
            writer.writeUInt16(unit)
        case let code:
            throw IgniteError.parameter("cannot write String as \(code)")
        }
    }

    func encodeBool(_ value: Bool, override: TypeCode?) throws {
        guard override == nil || override == .bool else {
            throw IgniteError.parameter("cannot write Bool as \(override.map { "\($0)" } ?? "")")
        }
        writer.writeInt8(TypeCode.bool.rawValue)
        writer.writeBool(value)
    }
}

// MARK: - Arrays, sets and dictionaries of arbitrary Codable elements

/// A sequence of `Encodable` elements written as a Collection.
protocol CodableSequenceBridge {
    func encodeIgniteElements(_ state: EncodingState, path: CodingPathContext) throws
}

extension EncodingState {
    func encodeCollection<S: Sequence>(_ elements: S, count: Int, kind: CollectionKind, path: CodingPathContext) throws
    where S.Element: Encodable {
        try checkArrayCount(count, "collection")
        writer.writeInt8(TypeCode.collection.rawValue)
        writer.writeInt32(Int32(truncatingIfNeeded: count))
        writer.writeInt8(kind.rawValue)
        for (index, element) in elements.enumerated() {
            try encodeValue(element, override: nil, path: CodingPathContext(base: path.path, key: IndexKey(index)))
        }
    }
}

extension Array: CodableSequenceBridge where Element: Encodable {
    func encodeIgniteElements(_ state: EncodingState, path: CodingPathContext) throws {
        try state.encodeCollection(self, count: count, kind: .arrayList, path: path)
    }
}

extension ContiguousArray: CodableSequenceBridge where Element: Encodable {
    func encodeIgniteElements(_ state: EncodingState, path: CodingPathContext) throws {
        try state.encodeCollection(self, count: count, kind: .arrayList, path: path)
    }
}

extension Set: CodableSequenceBridge where Element: Encodable {
    func encodeIgniteElements(_ state: EncodingState, path: CodingPathContext) throws {
        try state.encodeCollection(self, count: count, kind: .hashSet, path: path)
    }
}

/// A dictionary of `Encodable` keys and values written as a Map.
protocol CodableDictionaryBridge {
    func encodeIgniteEntries(_ state: EncodingState, path: CodingPathContext) throws
}

extension Dictionary: CodableDictionaryBridge where Key: Encodable, Value: Encodable {
    func encodeIgniteEntries(_ state: EncodingState, path: CodingPathContext) throws {
        try checkArrayCount(count, "dictionary")
        state.writer.writeInt8(TypeCode.map.rawValue)
        state.writer.writeInt32(Int32(truncatingIfNeeded: count))
        state.writer.writeInt8(MapKind.hashMap.rawValue)
        for (key, value) in self {
            try state.encodeValue(key, override: nil, path: path)
            try state.encodeValue(value, override: nil, path: path)
        }
    }
}

/// A coding key for positions in unkeyed containers.
struct IndexKey: CodingKey {
    var intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }
    init(_ index: Int) { intValue = index }
    init?(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { return nil }
}
