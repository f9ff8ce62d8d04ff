/// One complete, already encoded data object (type code and payload): a cache key, value or query argument.
///
/// Requests carry keys and values pre-encoded so that the client encodes each value once: it can register the
/// binary types the encoding used and hash the key for partition-aware routing before the request is built.
/// Requests write ``bytes`` as they are.
public struct EncodedValue: Hashable, Sendable, CustomStringConvertible {
    /// The bytes of exactly one data object.
    public var bytes: [UInt8]

    /// The encoded null object (type code 101).
    public static let null = EncodedValue(trustedBytes: [UInt8(bitPattern: TypeCode.null.rawValue)])

    /// Encodes a dynamically typed value.
    /// - Parameter value: The value to encode.
    public init(_ value: IgniteValue) {
        var writer = BinaryWriter(capacity: 16)
        writer.writeValue(value)
        bytes = writer.bytes
    }

    /// Encodes a statically typed value, recording the binary types it uses.
    /// - Parameters:
    ///   - value: The value to encode.
    ///   - types: Collects the binary types of complex objects, to be registered before the request is sent.
    /// - Throws: ``IgniteError`` if the value cannot be represented.
    public init<T: IgniteBinaryEncodable>(_ value: T, types: inout BinaryTypeCollector) throws {
        var writer = BinaryWriter(capacity: 16)
        try value.encodeIgnite(into: &writer, types: &types)
        bytes = writer.bytes
    }

    /// Wraps bytes that must form exactly one data object, checking that they do.
    /// - Parameter bytes: The encoded object.
    /// - Throws: ``IgniteError/Code/parse`` if the bytes are not exactly one well-formed data object.
    public init(validating bytes: [UInt8]) throws {
        var reader = BinaryReader(bytes)
        _ = try reader.readValue()
        guard reader.isAtEnd else {
            throw IgniteError.parse("encoded value has \(reader.remaining) byte(s) after its data object")
        }
        self.bytes = bytes
    }

    /// Wraps bytes known to be one data object (written by this library).
    init(trustedBytes: [UInt8]) { bytes = trustedBytes }

    /// Whether this is the null object.
    public var isNull: Bool { bytes.count == 1 && bytes[0] == UInt8(bitPattern: TypeCode.null.rawValue) }

    /// Decodes the object.
    /// - Returns: The decoded value (complex objects stay lazy ``BinaryObject``s).
    /// - Throws: ``IgniteError/Code/parse`` if the bytes are malformed.
    public func decoded() throws -> IgniteValue {
        var reader = BinaryReader(bytes)
        return try reader.readValue()
    }

    /// A readable description, for logs and messages.
    public var description: String { "EncodedValue(\(bytes.count) bytes)" }
}

extension BinaryWriter {
    /// Appends a pre-encoded data object as it is.
    ///
    /// The bytes are copied from a borrowed buffer: `append(contentsOf:)` with the array itself would retain and
    /// release it on every request (measured: about 8 ns per key or value in a release build).
    @inlinable
    package mutating func writeEncodedValue(_ value: EncodedValue) {
        value.bytes.withUnsafeBytes { writeBytes($0) }
    }
}

extension BinaryReader {
    /// Reads one data object and returns its bytes unchanged (server direction: keys and values of requests).
    /// - Throws: ``IgniteError/Code/parse`` if the object is malformed or truncated.
    package mutating func readEncodedValue() throws -> EncodedValue {
        let start = position
        _ = try readValue()
        return EncodedValue(trustedBytes: Array(buffer[start..<position]))
    }
}
