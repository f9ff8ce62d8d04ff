/// A Swift `Codable` type stored in Ignite as a complex object (type code 103), with static customisation.
///
/// ```swift
/// struct Person: IgniteObjectCodable {
///     var id: Int
///     var name: String
///     var manager: Person.Ref?
///     static let igniteTypeName = "org.example.Person"      // the Java class name, to share data with Java
///     static let igniteFieldTypes: [String: TypeCode] = ["id": .int]   // Java `int` instead of the default `long`
/// }
/// ```
///
/// Field names are the `CodingKeys` string values; the order in which `encode(to:)` writes them is the schema.
/// How Swift values map to Ignite types, and what decoding accepts, is described on ``IgniteBinaryEncoder`` and
/// ``IgniteBinaryDecoder``. Conforming types are also ``IgniteBinaryEncodable``/``IgniteBinaryDecodable`` (so they are
/// cache keys and values on the typed path) and ``IgniteArrayElement`` (`[Person]` is a Collection of objects).
public protocol IgniteObjectCodable: Codable, IgniteBinaryEncodable, IgniteBinaryDecodable, IgniteArrayElement {
    /// The binary type name; its lower-cased Java hash is the type id. Default: the Swift type name (`"Person"`).
    static var igniteTypeName: String { get }
    /// The Ignite type to write for some fields, by field name (for example `.int` for an `Int` property that is a Java
    /// `int`, `.timestamp` for a `Date` that is a `java.sql.Timestamp`). Values are converted exactly or the encoding
    /// fails; decoding converts back. Default: none.
    static var igniteFieldTypes: [String: TypeCode] { get }
    /// The affinity key field name recorded in the binary type metadata. Default: none.
    static var igniteAffinityKeyField: String? { get }
    /// Whether objects of this type are written with a compact footer (offsets only). Default: `true`, like Java servers.
    static var igniteCompactFooter: Bool { get }
    /// Whether decoding ignores extra fields, a different type id, and makes missing optional fields `nil`
    /// (see ``IgniteBinaryDecoder/tolerant``). Default: `false`.
    static var igniteTolerantDecoding: Bool { get }
}

extension IgniteObjectCodable {
    /// The Swift type name.
    public static var igniteTypeName: String { String(describing: Self.self) }
    /// No overrides.
    public static var igniteFieldTypes: [String: TypeCode] { [:] }
    /// No affinity key field.
    public static var igniteAffinityKeyField: String? { nil }
    /// Compact footer.
    public static var igniteCompactFooter: Bool { true }
    /// Strict decoding.
    public static var igniteTolerantDecoding: Bool { false }

    /// Encodes `self` as a complex object with ``IgniteBinaryEncoder`` and records its binary type.
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        try IgniteBinaryEncoder().encode(self, into: &writer, types: &types)
    }

    /// A complex object.
    public static var igniteTypeCode: TypeCode? { .complexObject }

    /// Decodes a complex object with ``IgniteBinaryDecoder``.
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = try IgniteBinaryDecoder(schemas: schemas).decode(Self.self, from: value)
    }

    /// Decodes a Collection or ObjectArray of complex objects in one ``IgniteBinaryDecoder`` decode, so that objects
    /// shared between the elements (handles) are decoded once.
    public static func decodeIgniteArray(from value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws -> [Self] {
        guard value.typeCode == .collection || value.typeCode == .objectArray else { throw value.typeMismatch("[\(Self.self)]") }
        return try IgniteBinaryDecoder(schemas: schemas).decode([Self].self, from: value)
    }

    /// The binary type metadata of this type as far as it is known without encoding a value: name, id and affinity key.
    /// Fields and schemas are recorded by encoding (see ``BinaryTypeCollector``).
    public static var igniteBinaryTypeStub: BinaryType {
        BinaryType(typeName: igniteTypeName, affinityKeyFieldName: igniteAffinityKeyField)
    }
}
