/// A Swift value that writes itself as one full Ignite data object, without boxing through ``IgniteValue``.
///
/// This is the statically typed encoding path: `Int32` writes type code 3 and four bytes directly.
/// Complex objects record the ``BinaryType`` metadata they use in `types`, so that the client can
/// register it before the data reach the server.
public protocol IgniteBinaryEncodable: Sendable {
    /// Writes `self` as one data object (type code and payload).
    /// - Throws: ``IgniteError`` if the value cannot be represented.
    func encodeIgnite(into writer: inout BinaryWriter, types: inout BinaryTypeCollector) throws
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
