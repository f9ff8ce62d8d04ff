/// The `Encoder` for one value written at the current position of an ``EncodingState``: a keyed container makes a
/// complex object (fields are written in place, the footer when `encode(to:)` returns), an unkeyed container a
/// Collection, a single-value container the value itself.
final class ValueEncoder: Encoder {
    let state: EncodingState
    let type: Any.Type
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    private enum Mode { case none, keyed, unkeyed, single }
    // Only this encode call reaches these properties, one access at a time.
    @exclusivity(unchecked) private var mode = Mode.none
    @exclusivity(unchecked) private var misuse: IgniteError?

    // Keyed (object) state.
    @exclusivity(unchecked) private var layout: TypeLayout?
    @exclusivity(unchecked) private var template = EncodeTemplate.empty
    @exclusivity(unchecked) private var start = 0
    @exclusivity(unchecked) private var slotBase = 0
    /// The field names differ from the template: names are collected in `names` and ids are hashed.
    @exclusivity(unchecked) private var diverged = false
    /// The binary type differs from the template's (names, count or type codes).
    @exclusivity(unchecked) private var dirty = false
    @exclusivity(unchecked) private var names: [String] = []

    // Unkeyed (collection) state.
    @exclusivity(unchecked) private var countPosition = 0
    @exclusivity(unchecked) private(set) var count = 0

    // Single-value state.
    @exclusivity(unchecked) private var wroteSingle = false

    init(state: EncodingState, type: Any.Type, codingPath: [any CodingKey]) {
        self.state = state
        self.type = type
        self.codingPath = codingPath
    }

    private func enter(_ wanted: Mode) -> Bool {
        if mode == .none {
            mode = wanted
            return true
        }
        if mode != wanted, misuse == nil {
            misuse = IgniteError.parameter("\(type) asked for two kinds of encoding containers; IgniteBinaryEncoder supports one per value")
        }
        return false
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if enter(.keyed) { beginObject() }
        return KeyedEncodingContainer(ObjectKeyedEncoder<Key>(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if enter(.unkeyed) {
            state.writer.writeInt8(TypeCode.collection.rawValue)
            countPosition = state.writer.reserveBytes(4)
            state.writer.writeInt8(CollectionKind.arrayList.rawValue)
        }
        return CollectionEncoder(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        _ = enter(.single)
        return SingleEncoder(encoder: self)
    }

    /// Completes what the container started: the object footer or the collection count.
    func finish() throws {
        if let misuse { throw misuse }
        switch mode {
        case .none:
            beginObject()
            try endObject()
        case .keyed:
            try endObject()
        case .unkeyed:
            try checkArrayCount(count, "collection")
            state.writer.setInt32(Int32(truncatingIfNeeded: count), at: countPosition)
        case .single:
            guard wroteSingle else { throw IgniteError.parameter("\(type) encoded no value into its single-value container") }
        }
    }

    // MARK: Objects

    private func beginObject() {
        let (layout, template) = TypeLayoutCache.shared.layoutAndTemplate(for: type)
        self.layout = layout
        self.template = template
        start = state.writer.count
        _ = state.writer.beginObject(typeId: layout.typeId)
        slotBase = state.slots.count
    }

    /// Writes one field: begins the slot, runs `write` (which returns the type code to record for a null, or `nil` to
    /// take the code from the written bytes), records the code. Errors name the field.
    @inline(__always)
    func encodeField(_ name: String, _ write: (TypeCode?) throws -> TypeCode?) throws {
        if let misuse { throw misuse }
        guard let layout else { throw IgniteError.parameter("\(type): a keyed container was used after its value was finished") }
        let index = state.slots.count - slotBase
        let id: Int32
        if !diverged, index < template.keys.names.count, template.keys.names[index] == name {
            id = template.keys.ids[index]
        } else {
            id = try divergentFieldId(name, at: index, layout)
        }
        let fieldStart = state.writer.count
        state.slots.append(FieldSlot(id: id, offset: fieldStart - start))
        let override = layout.fieldTypes.isEmpty ? nil : layout.fieldTypes[name]
        let code: Int32
        do {
            if let nullCode = try write(override) {
                code = Int32(nullCode.rawValue)
            } else {
                guard fieldStart < state.writer.count else { throw IgniteError.parameter("no value was written") }
                code = Int32(Int8(bitPattern: state.writer.storage[fieldStart]))
            }
        } catch {
            throw fieldError(name, layout, error)
        }
        state.slots[slotBase + index].code = code
        if !dirty, index >= template.codes.count || template.codes[index] != code { dirty = true }
    }

    /// The id of a field that does not follow the template; checks it against the fields written so far.
    private func divergentFieldId(_ name: String, at index: Int, _ layout: TypeLayout) throws -> Int32 {
        if !diverged {
            diverged = true
            dirty = true
            names = Array(template.keys.names.prefix(index))
        }
        names.append(name)
        let id = JavaHash.asciiFastFieldId(name)
        guard id != 0 else { throw IgniteError.parameter("field '\(name)' of '\(layout.typeName)' has id 0, which Java rejects") }
        for slot in state.slots[slotBase...] where slot.id == id {
            throw IgniteError.parameter("field '\(name)' of '\(layout.typeName)' is encoded twice (or collides with another name's id \(id))")
        }
        return id
    }

    private func fieldError(_ name: String, _ layout: TypeLayout, _ error: any Error) -> IgniteError {
        IgniteError(.parameter, "field '\(name)' of '\(layout.typeName)': \(EncodingState.asIgniteError(error).message)",
                    underlying: (error as? IgniteError)?.underlying)
    }

    private func endObject() throws {
        guard let layout else { return }
        self.layout = nil
        let fieldCount = state.slots.count - slotBase
        if !diverged, fieldCount != template.keys.names.count {
            dirty = true
            names = Array(template.keys.names.prefix(fieldCount))
            diverged = true
        }
        let compact = state.forcedCompactFooter ?? layout.compactFooter
        try state.writer.finishObject(start: start, typeId: layout.typeId, slots: state.slots[slotBase...], rawStart: nil,
                                      compactFooter: compact)
        if !dirty, let binaryType = template.binaryType {
            state.types.record(binaryType)
        } else {
            recordNewTemplate(layout, fieldCount: fieldCount)
        }
        state.slots.removeSubrange(slotBase...)
    }

    private func recordNewTemplate(_ layout: TypeLayout, fieldCount: Int) {
        let keyNames = Array((diverged ? names : template.keys.names).prefix(fieldCount))
        let slots = state.slots[slotBase...]
        let ids = slots.map(\.id)
        let codes = slots.map(\.code)
        var fields: [BinaryType.Field] = []
        fields.reserveCapacity(fieldCount)
        for (i, slot) in slots.enumerated() {
            fields.append(BinaryType.Field(name: keyNames[i], typeCode: slot.code, fieldId: slot.id))
        }
        let binaryType = BinaryType(typeId: layout.typeId, typeName: layout.typeName, affinityKeyFieldName: layout.affinityKeyField,
                                    fields: fields, schemas: [BinaryType.Schema(fieldIds: ids)])
        state.types.record(binaryType)
        TypeLayoutCache.shared.setTemplate(
            EncodeTemplate(keys: KeyTemplate(names: keyNames, ids: ids), codes: codes, binaryType: binaryType), of: layout)
    }

    // MARK: Values inside unkeyed and single-value containers

    func encodeElement<T: Encodable>(_ value: T, at index: Int) throws {
        if let misuse { throw misuse }
        try state.encodeValue(value, override: nil, path: CodingPathContext(base: codingPath, key: IndexKey(index)))
        count += 1
    }

    func encodeSingle(_ write: () throws -> Void) throws {
        if let misuse { throw misuse }
        guard !wroteSingle else { throw IgniteError.parameter("\(type) encoded two values into a single-value container") }
        try write()
        wroteSingle = true
    }

    func unsupported(_ what: String) -> IgniteError {
        IgniteError.parameter("\(type) uses \(what), which IgniteBinaryEncoder does not support; use a nested Codable type")
    }

    func recordMisuse(_ error: IgniteError) {
        if misuse == nil { misuse = error }
    }
}

/// The keyed container: each key is a field of the object.
struct ObjectKeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    private var state: EncodingState { encoder.state }

    init(encoder: ValueEncoder) { self.encoder = encoder }

    mutating func encodeNil(forKey key: Key) throws {
        try encoder.encodeField(key.stringValue) { override in
            state.writer.writeInt8(TypeCode.null.rawValue)
            return override ?? .null
        }
    }

    mutating func encode(_ value: Bool, forKey key: Key) throws {
        try encoder.encodeField(key.stringValue) { try state.encodeBool(value, override: $0); return nil }
    }
    mutating func encode(_ value: String, forKey key: Key) throws {
        try encoder.encodeField(key.stringValue) { try state.encodeString(value, override: $0); return nil }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try encoder.encodeField(key.stringValue) { try state.encodeDouble(value, override: $0); return nil }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try encoder.encodeField(key.stringValue) { try state.encodeFloat(value, override: $0); return nil }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { try integer(value, .long, key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { try integer(value, .byte, key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { try integer(value, .short, key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { try integer(value, .int, key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { try integer(value, .long, key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { try integer(value, .long, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { try integer(value, .short, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { try integer(value, .int, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { try integer(value, .long, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { try integer(value, .long, key) }

    @inline(__always)
    private func integer<I: BinaryInteger>(_ value: I, _ code: TypeCode, _ key: Key) throws {
        try encoder.encodeField(key.stringValue) { try state.encodeInteger(value, override: $0, defaultCode: code); return nil }
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try encoder.encodeField(key.stringValue) { override in
            try state.encodeValue(value, override: override, path: CodingPathContext(base: encoder.codingPath, key: key))
            return nil
        }
    }

    /// `nil` is written as Null (the field stays in the schema), recorded with the static type's code.
    private func encodeNull<T>(_: T.Type, forKey key: Key) throws {
        try encoder.encodeField(key.stringValue) { override in
            state.writer.writeInt8(TypeCode.null.rawValue)
            return override ?? TypeDispatchCache.shared.encoder(for: T.self).staticCode ?? .null
        }
    }

    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Bool.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(String.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Double.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Float.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int8.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int16.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int32.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int64.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int64.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int16.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int32.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int64.self, forKey: key) }
    }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(Int64.self, forKey: key) }
    }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        if let value { try encode(value, forKey: key) } else { try encodeNull(T.self, forKey: key) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        encoder.recordMisuse(encoder.unsupported("a nested keyed container ('\(key.stringValue)')"))
        return KeyedEncodingContainer(UnsupportedKeyedEncoder<NestedKey>(error: encoder.unsupported("a nested keyed container"), codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        encoder.recordMisuse(encoder.unsupported("a nested unkeyed container ('\(key.stringValue)')"))
        return UnsupportedUnkeyedEncoder(error: encoder.unsupported("a nested unkeyed container"), codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        encoder.recordMisuse(encoder.unsupported("superEncoder()"))
        return encoder
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.recordMisuse(encoder.unsupported("superEncoder(forKey:)"))
        return encoder
    }
}

/// The unkeyed container: a Collection (`ArrayList`) whose count is filled in when the value is finished.
struct CollectionEncoder: UnkeyedEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { encoder.count }

    mutating func encodeNil() throws {
        try encoder.encodeElement(IgniteValue.null, at: count)
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.encodeElement(value, at: count)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        encoder.recordMisuse(encoder.unsupported("a nested keyed container in an unkeyed container"))
        return KeyedEncodingContainer(UnsupportedKeyedEncoder<NestedKey>(error: encoder.unsupported("a nested keyed container"), codingPath: codingPath))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        encoder.recordMisuse(encoder.unsupported("a nested unkeyed container in an unkeyed container"))
        return UnsupportedUnkeyedEncoder(error: encoder.unsupported("a nested unkeyed container"), codingPath: codingPath)
    }

    mutating func superEncoder() -> any Encoder {
        encoder.recordMisuse(encoder.unsupported("superEncoder()"))
        return encoder
    }
}

/// The single-value container: the value is written in place.
struct SingleEncoder: SingleValueEncodingContainer {
    let encoder: ValueEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    private var state: EncodingState { encoder.state }

    mutating func encodeNil() throws { try encoder.encodeSingle { state.writer.writeInt8(TypeCode.null.rawValue) } }
    mutating func encode(_ value: Bool) throws { try encoder.encodeSingle { try state.encodeBool(value, override: nil) } }
    mutating func encode(_ value: String) throws { try encoder.encodeSingle { try state.encodeString(value, override: nil) } }
    mutating func encode(_ value: Double) throws { try encoder.encodeSingle { try state.encodeDouble(value, override: nil) } }
    mutating func encode(_ value: Float) throws { try encoder.encodeSingle { try state.encodeFloat(value, override: nil) } }
    mutating func encode(_ value: Int) throws { try integer(value, .long) }
    mutating func encode(_ value: Int8) throws { try integer(value, .byte) }
    mutating func encode(_ value: Int16) throws { try integer(value, .short) }
    mutating func encode(_ value: Int32) throws { try integer(value, .int) }
    mutating func encode(_ value: Int64) throws { try integer(value, .long) }
    mutating func encode(_ value: UInt) throws { try integer(value, .long) }
    mutating func encode(_ value: UInt8) throws { try integer(value, .short) }
    mutating func encode(_ value: UInt16) throws { try integer(value, .int) }
    mutating func encode(_ value: UInt32) throws { try integer(value, .long) }
    mutating func encode(_ value: UInt64) throws { try integer(value, .long) }

    private func integer<I: BinaryInteger>(_ value: I, _ code: TypeCode) throws {
        try encoder.encodeSingle { try state.encodeInteger(value, override: nil, defaultCode: code) }
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try encoder.encodeSingle { try state.encodeValue(value, override: nil, path: CodingPathContext(base: encoder.codingPath, key: nil)) }
    }
}

/// A keyed container that fails on use (for unsupported nested containers).
struct UnsupportedKeyedEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let error: IgniteError
    var codingPath: [any CodingKey]
    mutating func encodeNil(forKey key: Key) throws { throw error }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { throw error }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(UnsupportedKeyedEncoder<NestedKey>(error: error, codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        UnsupportedUnkeyedEncoder(error: error, codingPath: codingPath)
    }
    mutating func superEncoder() -> any Encoder { FailingEncoder(error: error, codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { FailingEncoder(error: error, codingPath: codingPath) }
}

/// An unkeyed container that fails on use.
struct UnsupportedUnkeyedEncoder: UnkeyedEncodingContainer {
    let error: IgniteError
    var codingPath: [any CodingKey]
    var count: Int { 0 }
    mutating func encodeNil() throws { throw error }
    mutating func encode<T: Encodable>(_ value: T) throws { throw error }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(UnsupportedKeyedEncoder<NestedKey>(error: error, codingPath: codingPath))
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { self }
    mutating func superEncoder() -> any Encoder { FailingEncoder(error: error, codingPath: codingPath) }
}

/// An encoder whose containers fail on use.
struct FailingEncoder: Encoder {
    let error: IgniteError
    var codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(UnsupportedKeyedEncoder<Key>(error: error, codingPath: codingPath))
    }
    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnsupportedUnkeyedEncoder(error: error, codingPath: codingPath) }
    func singleValueContainer() -> any SingleValueEncodingContainer { FailingSingleEncoder(error: error, codingPath: codingPath) }
}

/// A single-value container that fails on use.
struct FailingSingleEncoder: SingleValueEncodingContainer {
    let error: IgniteError
    var codingPath: [any CodingKey]
    mutating func encodeNil() throws { throw error }
    mutating func encode<T: Encodable>(_ value: T) throws { throw error }
    mutating func encode(_ value: Bool) throws { throw error }
    mutating func encode(_ value: String) throws { throw error }
    mutating func encode(_ value: Double) throws { throw error }
    mutating func encode(_ value: Float) throws { throw error }
    mutating func encode(_ value: Int) throws { throw error }
    mutating func encode(_ value: Int8) throws { throw error }
    mutating func encode(_ value: Int16) throws { throw error }
    mutating func encode(_ value: Int32) throws { throw error }
    mutating func encode(_ value: Int64) throws { throw error }
    mutating func encode(_ value: UInt) throws { throw error }
    mutating func encode(_ value: UInt8) throws { throw error }
    mutating func encode(_ value: UInt16) throws { throw error }
    mutating func encode(_ value: UInt32) throws { throw error }
    mutating func encode(_ value: UInt64) throws { throw error }
}
