/// A Swift value that writes itself as one full Ignite data object, without boxing through ``IgniteValue``.
///
/// This is the statically typed encoding path: `Int32` writes type code 3 and four bytes directly.
/// Complex objects record the ``BinaryType`` metadata they use in `types`, so that the client can
/// register it before the data reach the server.
public protocol IgniteBinaryEncodable: Sendable {
    /// Writes `self` as one data object (type code and payload).
    /// - Throws: ``IgniteError`` if the value cannot be represented.
    func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws

    /// The type code every value of this type is written with, or `nil` when it depends on the value
    /// (for example ``IgniteValue``). Used to record the field type of a null field in binary type metadata.
    static var igniteTypeCode: TypeCode? { get }
}

extension IgniteBinaryEncodable {
    /// Unknown by default.
    public static var igniteTypeCode: TypeCode? { nil }
}

/// A Swift value that can be built from a decoded Ignite data object.
public protocol IgniteBinaryDecodable: Sendable {
    /// Creates a value from a decoded data object.
    /// - Parameters:
    ///   - value: The decoded value (complex objects stay lazy ``BinaryObject``s).
    ///   - schemas: Resolves schemas of compact-footer objects; `nil` when none are known.
    /// - Throws: ``IgniteError/Code/parse`` (wrong type, null for a non-optional) or
    ///   ``IgniteError/Code/binaryType`` (a schema that must be fetched first).
    init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws

    /// Reads one full data object from `reader` and creates a value from it.
    ///
    /// The default reads an ``IgniteValue`` and calls ``init(igniteValue:schemas:)``; scalar types read their payload
    /// directly. Either way the accepted input is the same.
    /// - Throws: As ``init(igniteValue:schemas:)``, and ``IgniteError/Code/parse`` for malformed bytes.
    static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Self
}

extension IgniteBinaryDecodable {
    /// Reads an ``IgniteValue`` and converts it.
    @inlinable
    public static func decodeIgnite(from reader: inout BinaryReader, schemas: (any BinarySchemaResolver)?) throws -> Self {
        try Self(igniteValue: try reader.readValue(), schemas: schemas)
    }
}

/// A value that both encodes and decodes.
public typealias IgniteBinaryCodable = IgniteBinaryEncodable & IgniteBinaryDecodable

extension IgniteValue: IgniteBinaryEncodable, IgniteBinaryDecodable {
    /// Writes the value as it is.
    @inlinable
    public func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws {
        writer.writeValue(self)
    }

    /// Keeps the decoded value as it is.
    @inlinable
    public init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        self = value
    }
}
