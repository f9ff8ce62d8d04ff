/// Builds a complex object (type code 103) from a type name or id and ordered fields.
///
/// Fields are written in the order they were first set; that order is the object's schema.
/// Setting a field again replaces its value and keeps its position.
///
/// ```swift
/// var builder = BinaryObjectBuilder(typeName: "Internal")
/// builder.setField("id", .int(2))
/// builder.setField("str", .string("lorem ipsum"))
/// let object = try builder.build()   // byte-for-byte what pyignite writes (compact footer)
/// ```
///
/// The layout rules (flags, footer width, hash code, schema id, empty objects) are those of
/// ``BinaryWriter/endObject(_:compactFooter:)``. Nested ``IgniteValue/object(_:)`` values are written inline.
/// A builder is itself ``IgniteBinaryEncodable``, so it can be passed wherever a value is expected; encoding it records
/// its ``binaryType`` (when the type name is known) so that the client can register the type and schema first.
public struct BinaryObjectBuilder: Sendable {
    /// One field of the builder, with its value decoded.
    public struct Field: Sendable, Hashable {
        /// The field name, if known (a builder made from a full-footer object without metadata knows only ids).
        public var name: String?
        /// The field id.
        public var id: Int32
        /// The type code recorded in the binary type metadata for this field.
        public var typeCode: Int32
        /// The value.
        public var value: IgniteValue

        /// Creates a field description.
        public init(name: String?, id: Int32, typeCode: Int32, value: IgniteValue) {
            self.name = name
            self.id = id
            self.typeCode = typeCode
            self.value = value
        }
    }

    /// A field's metadata and where its encoded value lies in `data`.
    struct Entry: Sendable, Hashable {
        var name: String?
        var id: Int32
        var typeCode: Int32
        var start: Int
        var count: Int
    }

    /// The type id.
    public let typeId: Int32
    /// The type name; needed to record the binary type metadata. `nil` when the builder was made from a type id only.
    public var typeName: String?
    /// Whether to write a compact footer (the default, as Java servers and pyignite do) or a full footer.
    public var compactFooter: Bool
    /// The affinity key field name recorded in the binary type metadata.
    public var affinityKeyFieldName: String?
    /// Raw data written after the fields (``BinaryObject/Flags/hasRawData``), or `nil` for none.
    public var rawData: [UInt8]?

    /// Field metadata in schema order.
    var entries: [Entry] = []
    /// The encoded field values. Values are encoded when they are set, so writing the object is mostly one copy.
    var data = BinaryWriter(capacity: 0)
    /// Whether `entries` lie back to back in `data`, in order (false after a field other than the last was replaced).
    var contiguous = true
    /// Binary types recorded by typed values set with ``setField(_:_:)-(_,T)`` (nested objects).
    var nestedTypes = BinaryTypeCollector()

    /// Creates a builder for the type `typeName`; the type id is ``JavaHash/typeId(_:)`` of the name.
    /// - Parameters:
    ///   - typeName: The type name, as other platforms know it (for Java the class name).
    ///   - compactFooter: Whether to write a compact footer.
    ///   - affinityKeyFieldName: The affinity key field, if any.
    public init(typeName: String, compactFooter: Bool = true, affinityKeyFieldName: String? = nil) {
        self.init(typeId: JavaHash.asciiFastTypeId(typeName), typeName: typeName, compactFooter: compactFooter,
                  affinityKeyFieldName: affinityKeyFieldName)
    }

    /// Creates a builder for a type id.
    /// - Parameters:
    ///   - typeId: The type id.
    ///   - typeName: The type name if known (needed to record the binary type).
    ///   - compactFooter: Whether to write a compact footer.
    ///   - affinityKeyFieldName: The affinity key field, if any.
    public init(typeId: Int32, typeName: String? = nil, compactFooter: Bool = true, affinityKeyFieldName: String? = nil) {
        self.typeId = typeId
        self.typeName = typeName
        self.compactFooter = compactFooter
        self.affinityKeyFieldName = affinityKeyFieldName
    }

    /// The fields in schema order, with their values decoded.
    public var fields: [Field] {
        entries.map { Field(name: $0.name, id: $0.id, typeCode: $0.typeCode, value: value(of: $0)) }
    }

    /// The field names in schema order (`nil` where only the id is known).
    public var fieldNames: [String?] { entries.map(\.name) }

    /// Sets a field: replaces the value of an existing field (keeping its position) or appends a new one.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The value.
    ///   - typeCode: The type code to record in the metadata. Defaults to the value's type code; for ``IgniteValue/null``
    ///     it defaults to the type already known for the field, else 101 (Null). Give the real type for a null field of a
    ///     new type, because the server rejects a later change of a field's type.
    public mutating func setField(_ name: String, _ value: IgniteValue, typeCode: TypeCode? = nil) {
        let id = JavaHash.asciiFastFieldId(name)
        let start = beginValue(id: id)
        data.writeValue(value)
        endValue(name: name, id: id, start: start, valueCode: value.typeCode, explicit: typeCode)
    }

    /// Sets a field by id (for types whose field names are not known).
    /// - Parameters:
    ///   - id: The field id.
    ///   - value: The value.
    ///   - typeCode: The type code to record (see ``setField(_:_:typeCode:)``).
    public mutating func setField(id: Int32, _ value: IgniteValue, typeCode: TypeCode? = nil) {
        let start = beginValue(id: id)
        data.writeValue(value)
        endValue(name: nil, id: id, start: start, valueCode: value.typeCode, explicit: typeCode)
    }

    /// Sets a field from a statically typed value, encoded right away without boxing through ``IgniteValue``.
    /// Binary types the value records (nested objects) are recorded with the builder's own type.
    /// - Throws: Whatever the value's encoding throws; the builder is then unchanged.
    public mutating func setField<T: IgniteBinaryEncodable>(_ name: String, _ value: T) throws {
        let id = JavaHash.asciiFastFieldId(name)
        let start = beginValue(id: id)
        do {
            try value.encodeIgnite(into: &data, types: &nestedTypes)
        } catch {
            data.truncate(to: start)
            throw error
        }
        guard data.count > start, let code = TypeCode(rawValue: Int8(bitPattern: data.storage[start])) else {
            data.truncate(to: start)
            throw IgniteError.parameter("\(T.self) wrote no value for field '\(name)'")
        }
        endValue(name: name, id: id, start: start, valueCode: code, explicit: code == .null ? T.igniteTypeCode : nil)
    }

    /// Sets a field from bytes that are already encoded: one full data object, type code first.
    /// - Parameters:
    ///   - name: The field name.
    ///   - bytes: The encoded value.
    ///   - validate: Whether to check that `bytes` are exactly one well-formed data object (by decoding them).
    ///     Pass `false` only for bytes this library wrote.
    ///   - typeCode: The type code to record; defaults to the first byte (for a null, see ``setField(_:_:typeCode:)``).
    /// - Throws: ``IgniteError/Code/parameter`` for empty or malformed bytes.
    public mutating func setField(_ name: String, encodedValue bytes: [UInt8], validate: Bool = true, typeCode: TypeCode? = nil) throws {
        guard let first = bytes.first, let code = TypeCode(rawValue: Int8(bitPattern: first)) else {
            throw IgniteError.parameter("the encoded value of field '\(name)' is empty or has an unknown type code")
        }
        if validate {
            var reader = BinaryReader(bytes)
            do {
                _ = try reader.readValue()
            } catch {
                throw IgniteError(.parameter, "the encoded value of field '\(name)' is malformed", underlying: error)
            }
            guard reader.isAtEnd else {
                throw IgniteError.parameter("the encoded value of field '\(name)' has \(reader.remaining) byte(s) after one data object")
            }
        }
        let id = JavaHash.asciiFastFieldId(name)
        let start = beginValue(id: id)
        data.writeBytes(bytes)
        endValue(name: name, id: id, start: start, valueCode: code, explicit: typeCode)
    }

    /// Removes a field.
    /// - Returns: Whether the field existed.
    @discardableResult
    public mutating func removeField(_ name: String) -> Bool {
        let id = JavaHash.asciiFastFieldId(name)
        guard let index = entries.firstIndex(where: { $0.id == id }) else { return false }
        if index != entries.count - 1 { contiguous = false } else { data.truncate(to: entries[index].start) }
        entries.remove(at: index)
        return true
    }

    /// The value of a field, or `nil` if the builder has no such field.
    public func field(_ name: String) -> IgniteValue? {
        let id = JavaHash.asciiFastFieldId(name)
        return entries.first { $0.id == id }.map(value(of:))
    }

    private func value(of entry: Entry) -> IgniteValue {
        // The bytes were written by this library (or validated), so they decode.
        var reader = BinaryReader(data.storage, position: entry.start, limit: entry.start + entry.count)
        return (try? reader.readValue()) ?? .null
    }

    /// Where the value of field `id` starts; a replaced last field is overwritten in place.
    private mutating func beginValue(id: Int32) -> Int {
        if entries.isEmpty, data.count == 0 { data.reserve(128) }
        if let last = entries.last, last.id == id, last.start + last.count == data.count {
            data.truncate(to: last.start)
        }
        return data.count
    }

    private mutating func endValue(name: String?, id: Int32, start: Int, valueCode: TypeCode, explicit: TypeCode?) {
        let count = data.count - start
        if let index = entries.firstIndex(where: { $0.id == id }) {
            var entry = entries[index]
            if valueCode != .null || explicit != nil { entry.typeCode = Int32(explicit?.rawValue ?? valueCode.rawValue) }
            if index != entries.count - 1 || entry.start != start { contiguous = false }
            entry.start = start
            entry.count = count
            if let name { entry.name = name }
            entries[index] = entry
        } else {
            if entries.capacity == 0 { entries.reserveCapacity(8) }
            if let last = entries.last, last.start + last.count != start { contiguous = false }
            entries.append(Entry(name: name, id: id, typeCode: Int32((explicit ?? valueCode).rawValue), start: start, count: count))
        }
    }

    /// The binary type metadata of the object this builder writes: the named fields with their type codes and one schema
    /// (all field ids in order). `nil` when the type name is unknown.
    public var binaryType: BinaryType? {
        guard let typeName else { return nil }
        let named = entries.compactMap { f in f.name.map { BinaryType.Field(name: $0, typeCode: f.typeCode, fieldId: f.id) } }
        return BinaryType(typeId: typeId, typeName: typeName, affinityKeyFieldName: affinityKeyFieldName, fields: named,
                          schemas: [BinaryType.Schema(fieldIds: entries.map(\.id))])
    }

    /// Writes the object into `writer` without recording metadata.
    /// - Throws: ``IgniteError/Code/parameter`` for a type id or field id of 0, or an object over 2 GiB.
    public func write(into writer: inout BinaryWriter) throws {
        guard typeId != 0 else {
            throw IgniteError.parameter("type id 0 is not allowed for type '\(typeName ?? "?")'; Java rejects a type name whose id is zero")
        }
        let mark = writer.count
        var frame = writer.beginObject(typeId: typeId)
        do {
            if contiguous, entries.first.map({ $0.start == 0 }) ?? true {
                // The values lie back to back in schema order: one copy.
                let base = writer.count - frame.start
                frame.slots.reserveCapacity(entries.count)
                for entry in entries {
                    guard entry.id != 0 else { throw IgniteError.parameter("field '\(entry.name ?? "")' has id 0, which Java rejects") }
                    frame.slots.append(FieldSlot(id: entry.id, offset: base + entry.start))
                }
                writer.writeBytes(data.storage[0..<(entries.last.map { $0.start + $0.count } ?? 0)])
            } else {
                for entry in entries {
                    try writer.beginField(entry.id, in: &frame)
                    writer.writeBytes(data.storage[entry.start..<(entry.start + entry.count)])
                }
            }
            if let rawData {
                try writer.beginRawData(in: &frame)
                writer.writeBytes(rawData)
            }
            try writer.endObject(&frame, compactFooter: compactFooter)
        } catch {
            writer.truncate(to: mark)
            throw error
        }
    }

    /// Builds the object.
    /// - Throws: See ``write(into:)``.
    public func build() throws -> BinaryObject {
        var writer = BinaryWriter(capacity: data.count + BinaryObject.headerSize + entries.count * 5 + (rawData?.count ?? 0) + 8)
        try write(into: &writer)
        return try BinaryObject(bytes: writer.bytes)
    }

    /// Builds the object and records its ``binaryType`` (and the types of nested typed values) in `types`.
    /// - Throws: See ``write(into:)``.
    public func build(types: inout BinaryTypeCollector) throws -> BinaryObject {
        let object = try build()
        recordTypes(&types)
        return object
    }

    func recordTypes(_ types: inout BinaryTypeCollector) {
        if !nestedTypes.isEmpty { types.record(contentsOf: nestedTypes) }
        if let type = binaryType { types.record(type) }
    }
}

extension BinaryObjectBuilder: Equatable {
    /// Builders are equal when they write the same object with the same metadata.
    public static func == (lhs: BinaryObjectBuilder, rhs: BinaryObjectBuilder) -> Bool {
        lhs.typeId == rhs.typeId && lhs.typeName == rhs.typeName && lhs.compactFooter == rhs.compactFooter
            && lhs.affinityKeyFieldName == rhs.affinityKeyFieldName && lhs.rawData == rhs.rawData && lhs.fields == rhs.fields
    }
}

extension BinaryObjectBuilder: IgniteBinaryEncodable {
    /// Writes the object and records its ``binaryType``.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try write(into: &writer)
        recordTypes(&types)
    }

    /// Always a complex object.
    public static var igniteTypeCode: TypeCode? { .complexObject }
}

extension BinaryObject {
    /// A new, empty builder for a type.
    /// - Parameters:
    ///   - typeName: The type name.
    ///   - compactFooter: Whether to write a compact footer.
    /// - Returns: The builder.
    public static func builder(typeName: String, compactFooter: Bool = true) -> BinaryObjectBuilder {
        BinaryObjectBuilder(typeName: typeName, compactFooter: compactFooter)
    }

    /// A builder holding this object's type, footer kind, fields (decoded) and raw data, to modify and rebuild.
    ///
    /// Field names and type codes come from the type metadata in `schemas` when it has the type; otherwise a
    /// full-footer object gives ids only (names `nil`), and a compact-footer object cannot be read.
    /// - Parameter schemas: The schema resolver.
    /// - Returns: The builder.
    /// - Throws: ``IgniteError/Code/binaryType`` when the schema of a compact-footer object is unknown;
    ///   ``IgniteError/Code/parse`` for malformed bytes or an object written with a class name instead of a type id.
    public func toBuilder(schemas: (any BinarySchemaResolver)?) throws -> BinaryObjectBuilder {
        guard typeId != 0 else {
            throw IgniteError.parse("object with class name '\(className ?? "?")' (type id 0) cannot be rebuilt; register the type first")
        }
        let type = schemas?.binaryType(typeId: typeId)
        var builder = BinaryObjectBuilder(typeId: typeId, typeName: type?.typeName, compactFooter: hasCompactFooter,
                                          affinityKeyFieldName: type?.affinityKeyFieldName)
        let ids = try fieldIds(schemas: schemas)
        builder.entries.reserveCapacity(ids.count)
        for (index, id) in ids.enumerated() {
            let value = try value(atFieldIndex: index)
            let known = type?.fields.first { $0.fieldId == id }
            let start = builder.data.count
            builder.data.writeValue(value)
            builder.entries.append(BinaryObjectBuilder.Entry(
                name: known?.name, id: id, typeCode: known?.typeCode ?? Int32(value.typeCode.rawValue),
                start: start, count: builder.data.count - start))
        }
        if let raw = rawData { builder.rawData = Array(raw) }
        return builder
    }
}
