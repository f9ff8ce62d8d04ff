import Foundation

/// Decodes Swift `Decodable` values from Ignite data objects; structs from complex objects (type code 103).
///
/// Fields are looked up by name (the `CodingKeys` string values), so the field order of the object does not matter.
/// A full-footer object carries its field ids; a compact-footer object needs its schema from ``schemas`` — when it is
/// missing, decoding throws ``IgniteError/Code/binaryType`` naming the type and schema to fetch (decoding never performs I/O).
///
/// What each Swift type accepts is what its ``IgniteBinaryDecodable`` conformance accepts (numbers widen losslessly:
/// a Java `int` reads into `Int`, never the other way round; `UInt8`...`UInt64` accept any integer that fits);
/// a field with an ``IgniteObjectCodable/igniteFieldTypes`` override is converted back from that type. Arrays, sets and
/// dictionaries of other `Decodable` types read Collections/ObjectArrays and Maps; nested types read nested objects.
///
/// **Strict (default):** the object's type id must be the Swift type's, every field the Swift type asks for must be
/// present (optional ones too; null reads as `nil`), and every field of the object must be read — otherwise the error
/// names the field. **Tolerant** (``tolerant``, or ``IgniteObjectCodable/igniteTolerantDecoding``): a missing optional field
/// is `nil`, extra fields are ignored, and the type id is not checked. A missing non-optional field and a value of the
/// wrong type are errors in both modes: decoding never produces a silently wrong value.
///
/// **Shared references.** Java writes an object that is referenced more than once in full the first time and as a
/// handle (102) after that. A handle to an object that this decode has already decoded as the same Swift type reuses
/// that result (a class instance is then shared, as in Java; a struct is copied), so decoding takes time linear in
/// the bytes however often objects are shared. A cycle — a child referring back to its parent — cannot be represented
/// by Swift values and fails with ``IgniteError/Code/parse``. Everything one decode reads counts against one decoded-size budget
/// (``DecodingLimits``): ``decodedByteLimit`` if set, else the resolver's (``BinarySchemaResolver/decodedByteLimit``: a
/// client's registry carries its `maximumDecodedSize`), else the reader's when decoding from a reader, else the default
/// for the buffer the object lies in.
public struct IgniteBinaryDecoder: Sendable {
    /// Resolves the schemas of compact-footer objects.
    public var schemas: (any BinarySchemaResolver)?
    /// Whether to ignore extra fields and type ids and to read missing optional fields as `nil`.
    public var tolerant: Bool
    /// The decoded-memory budget of one decode, in bytes (see ``BinaryReader/decodedByteLimit``); `nil` uses
    /// ``BinarySchemaResolver/decodedByteLimit`` of ``schemas``, else the budget of the reader decoded from, else
    /// ``DecodingLimits/decodedByteBudget(forInputOf:)`` of the buffer the object lies in. Exceeding it throws
    /// ``IgniteError/Code/parse`` before the memory is allocated.
    public var decodedByteLimit: Int?

    /// Creates a decoder.
    /// - Parameters:
    ///   - schemas: Resolves the schemas of compact-footer objects (for example a ``BinaryTypeRegistry``).
    ///   - tolerant: See ``tolerant``.
    ///   - decodedByteLimit: See ``decodedByteLimit``.
    public init(schemas: (any BinarySchemaResolver)? = nil, tolerant: Bool = false, decodedByteLimit: Int? = nil) {
        self.schemas = schemas
        self.tolerant = tolerant
        self.decodedByteLimit = decodedByteLimit
    }

    /// Decodes a value from a decoded data object.
    /// - Throws: ``IgniteError/Code/parse`` when the value does not match `T` (the message names the field),
    ///   ``IgniteError/Code/binaryType`` when a schema is unknown.
    public func decode<T: Decodable>(_ type: T.Type, from value: IgniteValue) throws -> T {
        let state = DecodingState(schemas: schemas, tolerant: tolerant, decodedByteLimit: decodedByteLimit ?? schemas?.decodedByteLimit)
        // Several decodes of one response's values may share one budget (which is never nil: decodes without a budget
        // skip the cast).
        let shared = state.decodedByteLimit == nil ? nil : schemas as? SharedDecodingBudget
        if let shared { state.decodedBytes = shared.decodedBytes }
        defer { if let shared { shared.decodedBytes = Swift.max(shared.decodedBytes, state.decodedBytes) } }
        do {
            return try state.decodeValue(T.self, from: value, override: nil, path: .root)
        } catch {
            throw DecodingState.asIgniteError(error)
        }
    }

    /// Decodes a value from a complex object.
    /// - Throws: As decoding from an ``IgniteValue``.
    public func decode<T: Decodable>(_ type: T.Type, from object: BinaryObject) throws -> T {
        try decode(T.self, from: .object(object))
    }

    /// Decodes a value from the bytes of exactly one data object.
    /// - Throws: As decoding from an ``IgniteValue``; ``IgniteError/Code/parse`` for malformed bytes or bytes after the object.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        var reader = BinaryReader(bytes)
        let value = try decode(T.self, from: &reader)
        guard reader.isAtEnd else { throw IgniteError.parse("\(reader.remaining) byte(s) after the \(T.self) value") }
        return value
    }

    /// Reads one data object from `reader` and decodes it.
    /// - Throws: As decoding from an ``IgniteValue``.
    public func decode<T: Decodable>(_ type: T.Type, from reader: inout BinaryReader) throws -> T {
        let configured = decodedByteLimit ?? schemas?.decodedByteLimit
        let state = DecodingState(schemas: schemas, tolerant: tolerant, decodedByteLimit: configured)
        state.decodedBytes = reader.decodedBytes
        do {
            let value: T
            if let configured, configured != reader.decodedByteLimit {
                // The reader itself obeys the same budget (restored afterwards: it belongs to the caller).
                let callerLimit = reader.decodedByteLimit
                reader.decodedByteLimit = configured
                defer { reader.decodedByteLimit = callerLimit }
                value = try state.decodeValue(T.self, from: &reader, override: nil, path: .root)
            } else {
                state.decodedByteLimit = reader.decodedByteLimit  // field readers obey the reader's budget
                value = try state.decodeValue(T.self, from: &reader, override: nil, path: .root)
            }
            reader.decodedBytes = Swift.max(reader.decodedBytes, state.decodedBytes)
            return value
        } catch {
            throw DecodingState.asIgniteError(error)
        }
    }
}

/// The state of one decode call.
final class DecodingState {
    let schemas: (any BinarySchemaResolver)?
    let tolerant: Bool
    @exclusivity(unchecked) var depth = 0
    /// The decoded-size count of everything this decode has read (field readers carry it, see ``DecodingLimits``).
    @exclusivity(unchecked) var decodedBytes = 0
    /// The most ``decodedBytes`` may reach (``IgniteBinaryDecoder/decodedByteLimit``, else the resolver's, else the
    /// reader's when decoding from one); `nil`: each field reader's default for its buffer.
    @exclusivity(unchecked) var decodedByteLimit: Int?
    /// The nested objects decoded so far, by place and Swift type.
    @exclusivity(unchecked) private var decodedObjects: [DecodedObjectKey: DecodedObject] = [:]

    init(schemas: (any BinarySchemaResolver)?, tolerant: Bool, decodedByteLimit: Int?) {
        self.schemas = schemas
        self.tolerant = tolerant
        self.decodedByteLimit = decodedByteLimit
    }

    static func asIgniteError(_ error: any Error) -> IgniteError {
        if let error = error as? IgniteError { return error }
        return IgniteError(.parse, "decoding failed: \(error)", underlying: error as (any Error & Sendable))
    }

    /// Reads one data object and decodes it; scalars on the typed path are read without an ``IgniteValue``.
    func decodeValue<T: Decodable>(_ type: T.Type, from reader: inout BinaryReader, override: TypeCode?, path: CodingPathContext) throws -> T {
        let dispatch = TypeDispatchCache.shared.decoder(for: T.self)
        if override == nil, dispatch.kind == .typed, let read = dispatch.fromReader {
            return try produce(T.self) { try read(&reader, self, $0) }
        }
        return try decodeValue(T.self, from: try reader.readValue(), override: override, path: path, dispatch: dispatch)
    }

    /// Decodes a value of any `Decodable` type from a decoded data object.
    func decodeValue<T: Decodable>(_ type: T.Type, from value: IgniteValue, override: TypeCode?, path: CodingPathContext) throws -> T {
        try decodeValue(T.self, from: value, override: override, path: path, dispatch: TypeDispatchCache.shared.decoder(for: T.self))
    }

    private func decodeValue<T: Decodable>(_ type: T.Type, from value: IgniteValue, override: TypeCode?, path: CodingPathContext,
                                           dispatch: DecodeDispatch) throws -> T {
        switch dispatch.kind {
        case .composite:
            return try decodeComposite(T.self, from: value, override: override, path: path)
        case .typed:
            guard let read = dispatch.fromValue else { throw IgniteError.parse("internal: no reader for \(T.self)") }
            do {
                return try produce(T.self) { try read(value, self, $0) }
            } catch let error as IgniteError {
                // Written with a type override: convert back to what T reads.
                guard let override, value.typeCode == override, let native = dispatch.nativeCode, native != override,
                      let converted = try? value.converted(to: native) else { throw error }
                return try produce(T.self) { try read(converted, self, $0) }
            }
        case .bridged:
            guard let read = dispatch.fromState else { throw IgniteError.parse("internal: no reader for \(T.self)") }
            return try produce(T.self) { try read(value, self, path, $0) }
        }
    }

    /// Runs `T(from:)` over `value`: a keyed container reads a complex object's fields.
    func decodeComposite<T: Decodable>(_ type: T.Type, from value: IgniteValue, override: TypeCode?, path: CodingPathContext) throws -> T {
        guard depth < DecodingLimits.maximumDepth else {
            throw IgniteError.parse("objects nested deeper than \(DecodingLimits.maximumDepth) levels at \(T.self)")
        }
        // A nested object may be the target of handles: decode each (place, type) once and reuse the result.
        // (A cycle never completes, so it is never reused: it ends at the depth limit, if the bytes let it get there.)
        var key: DecodedObjectKey?
        if depth > 0, case .object(let object) = value {
            let place = DecodedObjectKey(object: object, type: T.self, override: override)
            if let reused = decodedObjects[place]?.value as? T { return reused }
            key = place
        }
        depth += 1
        defer { depth -= 1 }
        let decoder = ValueDecoder(state: self, value: value, type: T.self, override: override, codingPath: path.path)
        let result = try T(from: decoder)
        try decoder.finish()
        if let key, case .object(let object) = value {
            decodedObjects[key] = DecodedObject(storage: object.storage, value: result)
        }
        return result
    }

    func decodeUnsigned<U: UnsignedInteger>(_: U.Type, from value: IgniteValue) throws -> U {
        guard let integer = value.integerValue else { throw value.typeMismatch("\(U.self)") }
        guard let result = U(exactly: integer) else { throw IgniteError.parse("\(integer) does not fit in \(U.self)") }
        return result
    }

}

/// Where a decoded object was, and as what: its buffer (by base address), its offset, the Swift type and override.
struct DecodedObjectKey: Hashable {
    let buffer: UInt
    let start: Int
    let type: ObjectIdentifier
    let override: Int8

    init(object: BinaryObject, type: Any.Type, override: TypeCode?) {
        buffer = object.storage.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        start = object.start
        self.type = ObjectIdentifier(type)
        self.override = override?.rawValue ?? 0
    }
}

/// A decoded object, with its buffer kept alive so that its base address cannot be reused during the decode.
struct DecodedObject {
    let storage: [UInt8]
    let value: Any
}

// MARK: - Arrays, sets and dictionaries of arbitrary Codable elements

/// A sequence of `Decodable` elements read from a Collection, ObjectArray or any array type.
protocol DecodableSequenceBridge {
    /// The element type.
    static var decodableElementType: Any.Type { get }
    static func decodeIgniteElements(_ elements: [IgniteValue], _ state: DecodingState, path: CodingPathContext) throws -> Self
}

/// An `Optional` of a `Decodable` type, decoded within the current decode (so that it shares its objects).
protocol DecodableOptionalBridge {
    static func decodeIgniteOptional(_ value: IgniteValue, _ state: DecodingState, path: CodingPathContext) throws -> Self
}

extension Optional: DecodableOptionalBridge where Wrapped: Decodable {
    static func decodeIgniteOptional(_ value: IgniteValue, _ state: DecodingState, path: CodingPathContext) throws -> Wrapped? {
        value.isNull ? nil : try state.decodeValue(Wrapped.self, from: value, override: nil, path: path)
    }
}

/// Whether values of `type` must be decoded within the current decode rather than on their own typed path: objects
/// (``IgniteObjectCodable``) and optionals of them, whose shared references the decode remembers.
func sharesDecodingState(_ type: Any.Type) -> Bool {
    if type is any IgniteObjectCodable.Type { return true }
    if let optional = type as? any OptionalBridge.Type { return optional.wrappedType is any IgniteObjectCodable.Type }
    return false
}

extension DecodingState {
    func decodeElements<E: Decodable>(_ elements: [IgniteValue], as: E.Type, path: CodingPathContext) throws -> [E] {
        var result: [E] = []
        result.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            do {
                result.append(try decodeValue(E.self, from: element, override: nil, path: CodingPathContext(base: path.path, key: IndexKey(index))))
            } catch {
                let inner = DecodingState.asIgniteError(error)
                throw IgniteError(inner.code, "element \(index): \(inner.message)", underlying: inner.underlying)
            }
        }
        return result
    }
}

extension Array: DecodableSequenceBridge where Element: Decodable {
    static var decodableElementType: Any.Type { Element.self }

    static func decodeIgniteElements(_ elements: [IgniteValue], _ state: DecodingState, path: CodingPathContext) throws -> [Element] {
        try state.decodeElements(elements, as: Element.self, path: path)
    }
}

extension ContiguousArray: DecodableSequenceBridge where Element: Decodable {
    static var decodableElementType: Any.Type { Element.self }

    static func decodeIgniteElements(_ elements: [IgniteValue], _ state: DecodingState, path: CodingPathContext) throws -> ContiguousArray<Element> {
        ContiguousArray(try state.decodeElements(elements, as: Element.self, path: path))
    }
}

extension Set: DecodableSequenceBridge where Element: Decodable {
    static var decodableElementType: Any.Type { Element.self }

    static func decodeIgniteElements(_ elements: [IgniteValue], _ state: DecodingState, path: CodingPathContext) throws -> Set<Element> {
        Set(try state.decodeElements(elements, as: Element.self, path: path))
    }
}

/// A dictionary of `Decodable` keys and values read from a Map.
protocol DecodableDictionaryBridge {
    static func decodeIgniteEntries(_ map: IgniteMap, _ state: DecodingState, path: CodingPathContext) throws -> Self
}

extension Dictionary: DecodableDictionaryBridge where Key: Decodable, Value: Decodable {
    static func decodeIgniteEntries(_ map: IgniteMap, _ state: DecodingState, path: CodingPathContext) throws -> [Key: Value] {
        var result: [Key: Value] = [:]
        result.reserveCapacity(map.entries.count)
        for (index, entry) in map.entries.enumerated() {
            let key = try state.decodeValue(Key.self, from: entry.key, override: nil, path: path)
            let value = try state.decodeValue(Value.self, from: entry.value, override: nil, path: path)
            guard result.updateValue(value, forKey: key) == nil else {
                throw IgniteError.parse("map entry \(index) repeats the key \(key)")
            }
        }
        return result
    }
}
