import Foundation

/// One complete, already encoded data object (type code and payload): a cache key, value or query argument.
///
/// Requests carry keys and values pre-encoded so that the client encodes each value once: it can register the
/// binary types the encoding used and hash the key for partition-aware routing before the request is built.
/// Requests write ``bytes`` as they are.
public struct EncodedValue: Hashable, Sendable, CustomStringConvertible {
    /// Where the bytes live: in the value itself when they are few (an int, a long, a UUID, a double, a bool or a
    /// short string: no allocation per key or value, which is two allocations and two frees saved per put), else in an
    /// array.
    @usableFromInline
    enum Storage: Sendable {
        /// Up to ``EncodedValue/inlineCapacity`` bytes, in memory order, and how many are used.
        case inline(InlineBytes)
        /// Any number of bytes.
        case heap([UInt8])
    }

    /// Up to 24 bytes kept in place (a tuple's elements are laid out in order, so its memory is the bytes in order).
    @usableFromInline
    struct InlineBytes: Sendable {
        @usableFromInline var words: (UInt64, UInt64, UInt64) = (0, 0, 0)
        @usableFromInline var count: UInt8 = 0
    }

    /// The most bytes kept in place.
    static let inlineCapacity = 24

    @usableFromInline var storage: Storage

    /// The bytes of exactly one data object.
    public var bytes: [UInt8] {
        get {
            switch storage {
            case .heap(let array): return array
            case .inline: return withUnsafeBytes { Array($0) }
            }
        }
        set { storage = .heap(newValue) }
    }

    /// The number of bytes.
    public var count: Int {
        switch storage {
        case .heap(let array): return array.count
        case .inline(let small): return Int(small.count)
        }
    }

    /// Calls `body` with the bytes, without copying them.
    /// - Parameter body: Reads the bytes; the pointer is valid only during the call.
    /// - Returns: What `body` returns.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        switch storage {
        case .heap(let array):
            return try array.withUnsafeBytes(body)
        case .inline(let small):
            return try Swift.withUnsafeBytes(of: small.words) { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(Int(small.count)))) }
        }
    }

    /// The encoded null object (type code 101).
    public static let null = EncodedValue(trustedBytes: [UInt8(bitPattern: TypeCode.null.rawValue)])

    /// Encodes a dynamically typed value.
    /// - Parameter value: The value to encode.
    public init(_ value: IgniteValue) {
        var writer = BinaryWriter(capacity: 16)
        writer.writeValue(value)
        storage = .heap(writer.bytes)
    }

    /// Encodes a statically typed value, recording the binary types it uses.
    /// - Parameters:
    ///   - value: The value to encode.
    ///   - types: Collects the binary types of complex objects, to be registered before the request is sent.
    /// - Throws: ``IgniteError`` if the value cannot be represented.
    public init<T: IgniteBinaryEncodable>(_ value: T, types: inout BinaryTypeCollector) throws {
        if let small = Self.inlineEncoding(of: value) {
            storage = .inline(small)
            return
        }
        var writer = BinaryWriter(capacity: 16)
        try value.encodeIgnite(into: &writer, types: &types)
        storage = .heap(writer.bytes)
    }

    /// The encoding of the commonest keys and values (`Int`, `Int64`, `Int32`, `UUID`, `Double`, `Bool` and strings of
    /// up to 19 UTF-8 bytes) written in place, byte for byte what their ``IgniteBinaryEncodable`` conformances write;
    /// `nil` for any other type. In unspecialized generic code each check is a comparison of two metadata pointers.
    @inline(__always)
    static func inlineEncoding<T: IgniteBinaryEncodable>(of value: T) -> InlineBytes? {
        if T.self == Int.self {
            return integer(code: .long, Int64(unsafeBitCast(value, to: Int.self)), size: 8)
        }
        if T.self == Int64.self {
            return integer(code: .long, unsafeBitCast(value, to: Int64.self), size: 8)
        }
        if T.self == Int32.self {
            return integer(code: .int, Int64(unsafeBitCast(value, to: Int32.self)), size: 4)
        }
        if T.self == String.self {
            return shortString(unsafeBitCast(value, to: String.self))
        }
        if T.self == UUID.self {
            let (msb, lsb) = unsafeBitCast(value, to: UUID.self).igniteBits
            return filled(count: 17) { raw in
                raw[0] = UInt8(bitPattern: TypeCode.uuid.rawValue)
                raw.storeBytes(of: msb.littleEndian, toByteOffset: 1, as: Int64.self)
                raw.storeBytes(of: lsb.littleEndian, toByteOffset: 9, as: Int64.self)
            }
        }
        if T.self == Double.self {
            return integer(code: .double, Int64(bitPattern: unsafeBitCast(value, to: Double.self).bitPattern), size: 8)
        }
        if T.self == Bool.self {
            let flag: UInt8 = unsafeBitCast(value, to: Bool.self) ? 1 : 0
            return filled(count: 2) { raw in
                raw[0] = UInt8(bitPattern: TypeCode.bool.rawValue)
                raw[1] = flag
            }
        }
        return nil
    }

    /// In-place bytes written by `fill`, of which the first `count` are used.
    @inline(__always)
    private static func filled(count: Int, _ fill: (UnsafeMutableRawBufferPointer) -> Void) -> InlineBytes {
        var small = InlineBytes()
        Swift.withUnsafeMutableBytes(of: &small.words, fill)
        small.count = UInt8(count)
        return small
    }

    /// A type code and the low `size` bytes (4 or 8) of `value`, little-endian: an integer, or a double's bits.
    @inline(__always)
    private static func integer(code: TypeCode, _ value: Int64, size: Int) -> InlineBytes {
        let bits = UInt64(bitPattern: value)
        var small = InlineBytes()
        small.words = ((UInt64(UInt8(bitPattern: code.rawValue)) | bits << 8).littleEndian, (bits >> 56).littleEndian, 0)
        small.count = UInt8(1 + size)
        return small
    }

    /// A string object (type code, i32 length, UTF-8) if it fits in place.
    private static func shortString(_ value: String) -> InlineBytes? {
        var copy = value
        return copy.withUTF8 { utf8 -> InlineBytes? in
            guard utf8.count <= inlineCapacity - 5 else { return nil }
            return filled(count: 5 + utf8.count) { raw in
                raw[0] = UInt8(bitPattern: TypeCode.string.rawValue)
                raw.storeBytes(of: Int32(utf8.count).littleEndian, toByteOffset: 1, as: Int32.self)
                UnsafeMutableRawBufferPointer(rebasing: raw[5...]).copyMemory(from: UnsafeRawBufferPointer(utf8))
            }
        }
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
        storage = .heap(bytes)
    }

    /// Wraps bytes known to be one data object (written by this library).
    init(trustedBytes: [UInt8]) { storage = .heap(trustedBytes) }

    /// Whether this is the null object.
    public var isNull: Bool {
        withUnsafeBytes { $0.count == 1 && $0[0] == UInt8(bitPattern: TypeCode.null.rawValue) }
    }

    /// Decodes the object.
    /// - Returns: The decoded value (complex objects stay lazy ``BinaryObject``s).
    /// - Throws: ``IgniteError/Code/parse`` if the bytes are malformed.
    public func decoded() throws -> IgniteValue {
        var reader = BinaryReader(bytes)
        return try reader.readValue()
    }

    /// The Java hash code of the object as a cache key, computed in place for the kinds kept in place; `nil` for any
    /// other kind, which the general path (``JavaHash/keyHashCode(ofEncoded:at:)``) hashes.
    package var inlineKeyHashCode: Int32? {
        guard case .inline = storage else { return nil }
        return withUnsafeBytes { JavaHash.primitiveKeyHashCode($0) }
    }

    /// Equal when the bytes are equal, wherever they are kept.
    public static func == (lhs: EncodedValue, rhs: EncodedValue) -> Bool {
        lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in left.elementsEqual(right) } }
    }

    /// Hashes the bytes.
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// A readable description, for logs and messages.
    public var description: String { "EncodedValue(\(count) bytes)" }
}

extension BinaryWriter {
    /// Appends a pre-encoded data object as it is.
    ///
    /// The bytes are copied from a borrowed buffer: `append(contentsOf:)` with the array itself would retain and
    /// release it on every request (measured: about 8 ns per key or value in a release build).
    @inlinable
    package mutating func writeEncodedValue(_ value: EncodedValue) {
        value.withUnsafeBytes { writeBytes($0) }
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
