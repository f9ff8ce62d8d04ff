/// Metadata of a binary type, as the server keeps it: the type id and name, the affinity key field,
/// the fields with their type codes, the schemas (ordered field-id lists), and enum constants.
public struct BinaryType: Hashable, Sendable {
    /// One field of a binary type.
    public struct Field: Hashable, Sendable {
        /// The field name.
        public var name: String
        /// The field's type code (for example 3 for `int`, 9 for `String`, 103 for an object).
        public var typeCode: Int32
        /// The field id (lower-cased Java hash of the name).
        public var fieldId: Int32

        /// Creates a field; the id defaults to the lower-cased Java hash of the name.
        public init(name: String, typeCode: Int32, fieldId: Int32? = nil) {
            self.name = name
            self.typeCode = typeCode
            self.fieldId = fieldId ?? JavaHash.fieldId(name)
        }
    }

    /// One schema: an ordered list of field ids, identified by its FNV-1 schema id.
    public struct Schema: Hashable, Sendable {
        /// The schema id.
        public var schemaId: Int32
        /// The field ids in the order the fields appear in objects of this schema.
        public var fieldIds: [Int32]

        /// Creates a schema; the id defaults to the FNV-1 hash of the field ids.
        public init(fieldIds: [Int32], schemaId: Int32? = nil) {
            self.fieldIds = fieldIds
            self.schemaId = schemaId ?? JavaHash.schemaId(fieldIds)
        }
    }

    /// The type id.
    public var typeId: Int32
    /// The type name.
    public var typeName: String
    /// The affinity key field name, if any.
    public var affinityKeyFieldName: String?
    /// The fields, in declaration order.
    public var fields: [Field]
    /// The schemas.
    public var schemas: [Schema]
    /// Whether this is an enum type.
    public var isEnum: Bool
    /// For an enum type: the constants' names and ordinals.
    public var enumValues: [(name: String, ordinal: Int32)] {
        get { enumEntries.map { ($0.name, $0.ordinal) } }
        set { enumEntries = newValue.map { EnumEntry(name: $0.name, ordinal: $0.ordinal) } }
    }

    struct EnumEntry: Hashable, Sendable {
        var name: String
        var ordinal: Int32
    }

    var enumEntries: [EnumEntry]

    /// Creates binary type metadata.
    public init(typeId: Int32? = nil, typeName: String, affinityKeyFieldName: String? = nil, fields: [Field] = [],
                schemas: [Schema]? = nil, isEnum: Bool = false, enumValues: [(name: String, ordinal: Int32)] = []) {
        self.typeId = typeId ?? JavaHash.typeId(typeName)
        self.typeName = typeName
        self.affinityKeyFieldName = affinityKeyFieldName
        self.fields = fields
        self.schemas = schemas ?? (fields.isEmpty || isEnum ? [] : [Schema(fieldIds: fields.map(\.fieldId))])
        self.isEnum = isEnum
        self.enumEntries = enumValues.map { EnumEntry(name: $0.name, ordinal: $0.ordinal) }
    }

    /// The field ids of the schema with `schemaId`, if this type has it.
    public func schema(id schemaId: Int32) -> [Int32]? {
        schemas.first { $0.schemaId == schemaId }?.fieldIds
    }

    /// Adds the fields, schemas and enum constants of `other` (the same type) that this type lacks.
    ///
    /// Existing entries win: a field whose type differs is not changed (see ``mergeConflict(with:)``, which reports
    /// what the server would reject). Missing type name parts are taken from `other`.
    public mutating func merge(_ other: BinaryType) {
        if affinityKeyFieldName == nil { affinityKeyFieldName = other.affinityKeyFieldName }
        for field in other.fields where !fields.contains(where: { $0.fieldId == field.fieldId }) {
            fields.append(field)
        }
        for schema in other.schemas where !schemas.contains(where: { $0.schemaId == schema.schemaId }) {
            schemas.append(schema)
        }
        for entry in other.enumEntries where !enumEntries.contains(entry) {
            enumEntries.append(entry)
        }
        if other.isEnum { isEnum = true }
    }

    /// Why `other` cannot be merged into this type, with the checks a Java server makes when a type is registered
    /// (`BinaryUtils.mergeMetadata`): same type name, same affinity key field, same enum flag, and the same type
    /// code for every field present in both; or `nil` if it can.
    public func mergeConflict(with other: BinaryType) -> String? {
        if other.typeId != typeId { return "type ids differ: \(typeId) and \(other.typeId)" }
        if other.typeName != typeName {
            return "two binary types have the type id \(typeId): '\(typeName)' and '\(other.typeName)'"
        }
        if other.affinityKeyFieldName != affinityKeyFieldName {
            return "type '\(typeName)' has different affinity key fields: \(affinityKeyFieldName ?? "none") and \(other.affinityKeyFieldName ?? "none")"
        }
        if other.isEnum != isEnum {
            return "type '\(typeName)' is registered as \(isEnum ? "an enum" : "a non-enum") type"
        }
        for field in other.fields {
            if let mine = fields.first(where: { $0.name == field.name }), mine.typeCode != field.typeCode {
                return "type '\(typeName)' has different types for field '\(field.name)': "
                    + "\(BinaryType.typeCodeName(mine.typeCode)) and \(BinaryType.typeCodeName(field.typeCode))"
            }
        }
        return nil
    }

    /// A readable name for a field type code, for messages.
    static func typeCodeName(_ code: Int32) -> String {
        if let int8 = Int8(exactly: code), let typeCode = TypeCode(rawValue: int8) { return typeCode.description }
        return "type code \(code)"
    }

    /// The field with `name`, if any.
    public func field(named name: String) -> Field? {
        let id = JavaHash.fieldId(name)
        return fields.first { $0.fieldId == id }
    }
}

/// Looks up schemas of compact-footer objects. Decoding never performs I/O: a resolver answers from
/// what is already known, and a missing schema surfaces as an ``IgniteError/Code/binaryType`` error
/// that the client resolves (by fetching the type) off the read path.
public protocol BinarySchemaResolver: Sendable {
    /// The ordered field ids of schema `schemaId` of type `typeId`, or `nil` if unknown.
    func schema(typeId: Int32, schemaId: Int32) -> [Int32]?
    /// The metadata of type `typeId`, or `nil` if unknown.
    func binaryType(typeId: Int32) -> BinaryType?
    /// The decoded-memory budget of one decode that resolves schemas through this resolver
    /// (``BinaryReader/decodedByteLimit``), or `nil` for the default (``DecodingLimits/decodedByteBudget(forInputOf:)``).
    /// ``IgniteBinaryDecoder`` and ``BinaryObject/field(_:as:schemas:)`` apply it, so a client's registry carries the
    /// client's `maximumDecodedSize` to values decoded into Swift types after the response was read. Default: `nil`.
    var decodedByteLimit: Int? { get }
}

extension BinarySchemaResolver {
    /// No budget of its own: decodes use the default.
    public var decodedByteLimit: Int? { nil }
}

/// Collects the binary types that an encoding used, so that the client can register unknown types
/// and schemas on the server before sending the data. Empty (and allocation-free) for plain values.
public struct BinaryTypeCollector: Sendable {
    /// The types seen, each with the schemas the encoded objects used.
    public private(set) var types: [BinaryType] = []

    /// Creates an empty collector.
    public init() {}

    /// Records a type, merging the fields and schemas of a type already recorded (see ``BinaryType/merge(_:)``).
    public mutating func record(_ type: BinaryType) {
        if let index = types.firstIndex(where: { $0.typeId == type.typeId }) {
            if types[index] != type { types[index].merge(type) }
        } else {
            types.append(type)
        }
    }

    /// Records every type of another collector.
    public mutating func record(contentsOf other: BinaryTypeCollector) {
        for type in other.types { record(type) }
    }

    /// Whether nothing was recorded.
    public var isEmpty: Bool { types.isEmpty }
}
