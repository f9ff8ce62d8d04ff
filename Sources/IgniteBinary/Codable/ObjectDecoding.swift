/// The `Decoder` for one decoded value: a keyed container reads the fields of a complex object by name,
/// an unkeyed container the elements of a Collection / ObjectArray / array, a single-value container the value itself.
final class ValueDecoder: Decoder {
    let state: DecodingState
    let value: IgniteValue
    let type: Any.Type
    /// The type override of the field this value is in, for single-value decoding.
    let override: TypeCode?
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    @exclusivity(unchecked) private(set) var table: FieldTable?

    init(state: DecodingState, value: IgniteValue, type: Any.Type, override: TypeCode?, codingPath: [any CodingKey]) {
        self.state = state
        self.value = value
        self.type = type
        self.override = override
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        if table == nil {
            guard case .object(let object) = value else { throw value.typeMismatch("\(self.type) (a complex object)") }
            table = try FieldTable(object: object, type: self.type, codingPath: codingPath, state: state)
        }
        guard let table else { throw IgniteError.parse("internal: no field table") }
        return KeyedDecodingContainer(ObjectKeyedDecoder<Key>(table: table))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard let elements = value.elementValues else { throw value.typeMismatch("\(type) (a collection or array)") }
        return ElementsDecoder(decoder: self, elements: elements)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleDecoder(decoder: self)
    }

    /// Strict mode: every field of the object must have been read.
    func finish() throws {
        guard let table else { return }
        try table.finish()
    }
}

/// The fields of one complex object being decoded: their ids in footer order, which were read, and the key template.
final class FieldTable {
    let object: BinaryObject
    /// The Swift type being decoded and its coding path (from the ``ValueDecoder``).
    let type: Any.Type
    let codingPath: [any CodingKey]
    let layout: TypeLayout
    let state: DecodingState
    let tolerant: Bool
    private let ids: [Int32]
    // Only this decode call reaches these properties, one access at a time.
    @exclusivity(unchecked) private var cursor = 0
    @exclusivity(unchecked) private var consumedMask: UInt64 = 0
    @exclusivity(unchecked) private var consumedHigh: Set<Int> = []
    // Names → ids in lookup order, learned once per Swift type.
    private let keys: KeyTemplate
    @exclusivity(unchecked) private var lookups = 0
    @exclusivity(unchecked) private var learnedNames: [String]?
    @exclusivity(unchecked) private var learnedIds: [Int32] = []

    init(object: BinaryObject, type: Any.Type, codingPath: [any CodingKey], state: DecodingState) throws {
        self.type = type
        self.codingPath = codingPath
        let (layout, keys) = TypeLayoutCache.shared.layoutAndDecodeKeys(for: type)
        self.object = object
        self.layout = layout
        self.state = state
        self.keys = keys
        tolerant = state.tolerant || layout.tolerant
        if !tolerant, object.typeId != layout.typeId {
            let actual = object.typeName(schemas: state.schemas).map { "'\($0)' (id \(object.typeId))" } ?? "id \(object.typeId)"
            throw IgniteError.parse("object of type \(actual) is not a '\(layout.typeName)' (id \(layout.typeId)); "
                                    + "set igniteTypeName to the stored type's name or decode tolerantly")
        }
        ids = try object.fieldIds(schemas: state.schemas)
        if keys.names.isEmpty { learnedNames = [] }
    }

    /// The footer position of field `name`, or `nil` if the object has none; marks it read.
    func index(of name: String) -> Int? {
        let id: Int32
        if lookups < keys.names.count, keys.names[lookups] == name {
            id = keys.ids[lookups]
        } else {
            id = JavaHash.asciiFastFieldId(name)
        }
        lookups += 1
        if learnedNames != nil {
            learnedNames?.append(name)
            learnedIds.append(id)
        }
        let index: Int
        if cursor < ids.count, ids[cursor] == id {
            index = cursor
        } else if let found = ids.firstIndex(of: id) {
            index = found
        } else {
            return nil
        }
        cursor = index + 1
        if index < 64 { consumedMask |= 1 << UInt64(index) } else { consumedHigh.insert(index) }
        return index
    }

    /// Like ``index(of:)`` without marking or learning.
    func contains(_ name: String) -> Bool {
        ids.contains(JavaHash.asciiFastFieldId(name))
    }

    func missing(_ name: String) -> IgniteError {
        IgniteError.parse("field '\(name)' is missing from the '\(layout.typeName)' object (schema \(object.schemaId), fields: \(fieldList(all: true)))")
    }

    func fieldList(all: Bool) -> String {
        let type = state.schemas?.binaryType(typeId: object.typeId)
        // The template is written by encoders on other threads: read it under the cache's lock.
        let known = TypeLayoutCache.shared.template(layout).keys.names
        var names: [String] = []
        for (i, id) in ids.enumerated() where all || !isConsumed(i) {
            names.append(type?.fields.first { $0.fieldId == id }?.name ?? known.first { JavaHash.asciiFastFieldId($0) == id } ?? "#\(id)")
        }
        return names.isEmpty ? "none" : names.joined(separator: ", ")
    }

    private func isConsumed(_ index: Int) -> Bool {
        index < 64 ? consumedMask & (1 << UInt64(index)) != 0 : consumedHigh.contains(index)
    }

    func finish() throws {
        if let learnedNames, !learnedNames.isEmpty {
            TypeLayoutCache.shared.setDecodeKeys(KeyTemplate(names: learnedNames, ids: learnedIds), of: layout)
        }
        guard !tolerant else { return }
        let consumed = consumedMask.nonzeroBitCount + consumedHigh.count
        guard consumed == ids.count else {
            throw IgniteError.parse("the '\(layout.typeName)' object has field(s) that \(layout.typeName) does not decode: "
                                    + "\(fieldList(all: false)); decode tolerantly to ignore them")
        }
    }

    /// Runs `body` with a reader at the field's value; errors name the field.
    @inline(__always)
    func withField<T>(_ name: String, at index: Int, _ body: (inout BinaryReader, TypeCode?) throws -> T) throws -> T {
        do {
            // The field counts against the decode's one decoded-size budget (DecodingLimits).
            var reader = try object.fieldReader(at: index)
            reader.decodedBytes = state.decodedBytes
            if let limit = state.decodedByteLimit { reader.decodedByteLimit = limit }
            defer { state.decodedBytes = reader.decodedBytes }
            return try body(&reader, layout.fieldTypes.isEmpty ? nil : layout.fieldTypes[name])
        } catch {
            let inner = DecodingState.asIgniteError(error)
            throw IgniteError(inner.code, "field '\(name)' of '\(layout.typeName)': \(inner.message)", underlying: inner.underlying)
        }
    }
}

/// The keyed container: each key is a field of the object.
struct ObjectKeyedDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol {
    /// The one reference the container holds (the stdlib's container box copies the container on every call).
    let table: FieldTable
    var codingPath: [any CodingKey] { table.codingPath }
    private var state: DecodingState { table.state }

    var allKeys: [Key] {
        let type = state.schemas?.binaryType(typeId: table.object.typeId)
        let ids = (try? table.object.fieldIds(schemas: state.schemas)) ?? []
        return ids.compactMap { id in
            let name = type?.fields.first { $0.fieldId == id }?.name
                ?? TypeLayoutCache.shared.template(table.layout).keys.names.first { JavaHash.asciiFastFieldId($0) == id }
            return name.flatMap { Key(stringValue: $0) }
        }
    }

    func contains(_ key: Key) -> Bool { table.contains(key.stringValue) }

    @inline(__always)
    private func required(_ name: String) throws -> Int {
        guard let index = table.index(of: name) else { throw table.missing(name) }
        return index
    }

    /// The field's index for an optional read: `nil` if it is missing (tolerant) or null.
    private func optional(_ name: String) throws -> Int? {
        guard let index = table.index(of: name) else {
            if table.tolerant { return nil }
            throw table.missing(name)
        }
        let reader = try table.object.fieldReader(at: index)
        if try reader.peekUInt8(at: reader.position) == UInt8(bitPattern: TypeCode.null.rawValue) { return nil }
        return index
    }

    func decodeNil(forKey key: Key) throws -> Bool {
        let name = key.stringValue
        guard let index = table.index(of: name) else {
            if table.tolerant { return true }
            throw table.missing(name)
        }
        let reader = try table.object.fieldReader(at: index)
        return try reader.peekUInt8(at: reader.position) == UInt8(bitPattern: TypeCode.null.rawValue)
    }

    @inline(__always)
    private func typed<T: ScalarIgniteReadable & Decodable>(_ name: String, at index: Int) throws -> T {
        try table.withField(name, at: index) { reader, override in
            if let override { return try state.decodeValue(T.self, from: try reader.readValue(), override: override, path: CodingPathContext(base: table.codingPath, key: nil)) }
            return try T.readIgnite(from: &reader)
        }
    }

    @inline(__always)
    private func unsigned<T: UnsignedInteger & Decodable>(_ name: String, at index: Int) throws -> T {
        try table.withField(name, at: index) { reader, _ in try state.decodeUnsigned(T.self, from: try reader.readValue()) }
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try typed(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try typed(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try typed(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try typed(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try typed(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try typed(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try typed(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try typed(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try typed(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try unsigned(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try unsigned(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try unsigned(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try unsigned(key.stringValue, at: try required(key.stringValue)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try unsigned(key.stringValue, at: try required(key.stringValue)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let name = key.stringValue
        return try table.withField(name, at: try required(name)) { reader, override in
            try state.decodeValue(T.self, from: &reader, override: override, path: CodingPathContext(base: table.codingPath, key: key))
        }
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(key.stringValue).map { try typed(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(key.stringValue).map { try typed(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(key.stringValue).map { try typed(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(key.stringValue).map { try typed(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(key.stringValue).map { try typed(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(key.stringValue).map { try typed(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(key.stringValue).map { try typed(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(key.stringValue).map { try typed(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(key.stringValue).map { try typed(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(key.stringValue).map { try unsigned(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(key.stringValue).map { try unsigned(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(key.stringValue).map { try unsigned(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(key.stringValue).map { try unsigned(key.stringValue, at: $0) } }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(key.stringValue).map { try unsigned(key.stringValue, at: $0) } }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let name = key.stringValue
        guard let index = try optional(name) else { return nil }
        return try table.withField(name, at: index) { reader, override in
            try state.decodeValue(T.self, from: &reader, override: override, path: CodingPathContext(base: table.codingPath, key: key))
        }
    }

    private func unsupported(_ what: String) -> IgniteError {
        IgniteError.parse("\(table.type) uses \(what), which IgniteBinaryDecoder does not support; use a nested Codable type")
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw unsupported("a nested keyed container ('\(key.stringValue)')")
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw unsupported("a nested unkeyed container ('\(key.stringValue)')")
    }

    func superDecoder() throws -> any Decoder { throw unsupported("superDecoder()") }

    func superDecoder(forKey key: Key) throws -> any Decoder { throw unsupported("superDecoder(forKey:)") }
}

/// The unkeyed container over the elements of a Collection, ObjectArray or array.
struct ElementsDecoder: UnkeyedDecodingContainer {
    let decoder: ValueDecoder
    let elements: [IgniteValue]
    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }
    private(set) var currentIndex = 0

    init(decoder: ValueDecoder, elements: [IgniteValue]) {
        self.decoder = decoder
        self.elements = elements
    }

    private mutating func next() throws -> IgniteValue {
        guard currentIndex < elements.count else {
            throw IgniteError.parse("\(decoder.type) reads element \(currentIndex), but there are only \(elements.count)")
        }
        defer { currentIndex += 1 }
        return elements[currentIndex]
    }

    mutating func decodeNil() throws -> Bool {
        guard currentIndex < elements.count else { throw IgniteError.parse("\(decoder.type) reads past the last element") }
        if elements[currentIndex].isNull {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let index = currentIndex
        let element = try next()
        do {
            return try decoder.state.decodeValue(T.self, from: element, override: nil, path: CodingPathContext(base: decoder.codingPath, key: IndexKey(index)))
        } catch {
            let inner = DecodingState.asIgniteError(error)
            throw IgniteError(inner.code, "element \(index) of \(decoder.type): \(inner.message)", underlying: inner.underlying)
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        throw IgniteError.parse("\(decoder.type) uses a nested keyed container, which IgniteBinaryDecoder does not support; use a nested Codable type")
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw IgniteError.parse("\(decoder.type) uses a nested unkeyed container, which IgniteBinaryDecoder does not support; use a nested Codable type")
    }

    mutating func superDecoder() throws -> any Decoder {
        throw IgniteError.parse("\(decoder.type) uses superDecoder(), which IgniteBinaryDecoder does not support")
    }
}

/// The single-value container: the value itself.
struct SingleDecoder: SingleValueDecodingContainer {
    let decoder: ValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }

    func decodeNil() -> Bool { decoder.value.isNull }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try decoder.state.decodeValue(T.self, from: decoder.value, override: decoder.override, path: CodingPathContext(base: decoder.codingPath, key: nil))
    }
}
