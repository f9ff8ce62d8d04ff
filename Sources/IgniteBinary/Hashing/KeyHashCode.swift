/// The Java `hashCode()` of a cache key, from a value or straight from its encoded bytes (partition awareness).
extension IgniteValue {
    /// The `hashCode()` the server computes for this value as a cache key (PROTOCOL-FACTS §8.4), or `nil` when the
    /// value is not a usable key: null, arrays, collections and maps (Java hashes them by identity).
    ///
    /// Enums (28 and 38) hash as binary enums (`31 * typeId + ordinal`); complex objects return their header hash.
    package var javaHashCode: Int32? {
        switch self {
        case .byte(let v): Int32(v)
        case .short(let v): Int32(v)
        case .int(let v): v
        case .long(let v): JavaHash.long(v)
        case .float(let v): JavaHash.float(v)
        case .double(let v): JavaHash.double(v)
        case .char(let v): Int32(v.codeUnit)
        case .bool(let v): JavaHash.bool(v)
        case .string(let v): JavaHash.string(v)
        case .uuid(let v): JavaHash.uuid(v)
        case .date(let v): JavaHash.milliseconds(v.millisecondsSinceEpoch)
        case .timestamp(let v): JavaHash.milliseconds(v.millisecondsSinceEpoch)
        case .time(let v): JavaHash.milliseconds(v.milliseconds)
        case .decimal(let v): JavaHash.decimal(v)
        case .enumValue(let v), .binaryEnum(let v): JavaHash.enumValue(typeId: v.typeId, ordinal: v.ordinal)
        case .object(let v): v.hashCode
        case .null, .byteArray, .shortArray, .intArray, .longArray, .floatArray, .doubleArray, .charArray, .boolArray,
             .stringArray, .uuidArray, .dateArray, .timestampArray, .timeArray, .decimalArray, .objectArray,
             .collection, .map, .enumArray:
            nil
        }
    }
}

extension JavaHash {
    /// The key hash code of the data object encoded at `offset`, computed from the bytes without building an
    /// ``IgniteValue``: the fast path for routing keys of any Swift type. Equal to ``IgniteValue/javaHashCode`` of the
    /// decoded value.
    ///
    /// Complex objects (103) give the hash stored in their header; wrapped data (27) is unwrapped; handles (102)
    /// are followed back.
    /// - Parameters:
    ///   - bytes: A buffer holding the encoded key.
    ///   - offset: Where the key's type code is.
    /// - Returns: The Java hash code, or `nil` for null, arrays, collections and maps.
    /// - Throws: ``IgniteError/Code/parse`` for truncated or malformed bytes and unknown or Java-only type codes.
    public static func keyHashCode(ofEncoded bytes: [UInt8], at offset: Int = 0) throws -> Int32? {
        // Most keys are ints and longs: read them in place (about 40 instructions instead of 400 through the reader).
        if let hash = bytes.withUnsafeBytes({ fixedSizeIntegerHash($0, at: offset) }) { return hash }
        return try keyHashCode(bytes, at: offset, base: 0, limit: bytes.count, depth: 0)
    }

    /// The key hash code of an int, long, double, bool, UUID or string object that fills `raw`, computed in place;
    /// `nil` for any other type code, or bytes that are not exactly one such object (the general path then decides,
    /// and reports malformed input).
    /// - Parameter raw: The encoded key.
    /// - Returns: The Java hash code, or `nil` (see above).
    package static func primitiveKeyHashCode(_ raw: UnsafeRawBufferPointer) -> Int32? {
        guard let first = raw.first else { return nil }
        switch Int8(bitPattern: first) {
        case TypeCode.int.rawValue where raw.count == 5, TypeCode.long.rawValue where raw.count == 9:
            return fixedSizeIntegerHash(raw, at: 0)
        case TypeCode.double.rawValue where raw.count == 9:
            return double(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 1, as: UInt64.self))))
        case TypeCode.bool.rawValue where raw.count == 2:
            return bool(raw[1] != 0)
        case TypeCode.uuid.rawValue where raw.count == 17:
            let msb = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 1, as: Int64.self))
            return long(msb ^ Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 9, as: Int64.self)))
        case TypeCode.string.rawValue where raw.count >= 5:
            let length = Int32(littleEndian: raw.loadUnaligned(fromByteOffset: 1, as: Int32.self))
            guard Int(length) == raw.count - 5 else { return nil }
            return utf8StringHash(UnsafeRawBufferPointer(rebasing: raw[5...]))
        default:
            return nil
        }
    }

    /// The hash of an int or long key at `offset`, or nil for any other type code or too few bytes (the general
    /// path then decides, and reports malformed input).
    @inline(__always)
    private static func fixedSizeIntegerHash(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Int32? {
        guard offset >= 0, offset < raw.count else { return nil }
        let available = raw.count - offset - 1
        switch Int8(bitPattern: raw[offset]) {
        case TypeCode.int.rawValue where available >= 4:
            return Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 1, as: Int32.self))
        case TypeCode.long.rawValue where available >= 8:
            return long(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 1, as: Int64.self)))
        default:
            return nil
        }
    }

    // `base..<limit` is the buffer handles resolve in: the whole input, or the bytes of wrapped data.
    private static func keyHashCode(_ bytes: [UInt8], at offset: Int, base: Int, limit: Int, depth: Int) throws -> Int32? {
        guard depth <= DecodingLimits.maximumDepth else {
            throw IgniteError.parse("nesting deeper than \(DecodingLimits.maximumDepth) levels at offset \(offset)")
        }
        guard offset >= base, offset < limit else { throw IgniteError.parse("key offset \(offset) is outside the input") }
        var reader = BinaryReader(bytes, position: offset, limit: limit)
        let raw = try reader.readInt8()
        guard let code = TypeCode(rawValue: raw) else { throw IgniteError.parse("unknown type code \(raw) at offset \(offset)") }
        switch code {
        case .byte: return Int32(try reader.readInt8())
        case .short: return Int32(try reader.readInt16())
        case .int: return try reader.readInt32()
        case .long: return long(try reader.readInt64())
        case .float: return float(try reader.readFloat())
        case .double: return double(try reader.readDouble())
        case .char: return Int32(try reader.readUInt16())
        case .bool: return bool(try reader.readBool())
        case .string:
            let rawLength = try reader.readInt32()
            let length = try reader.checkCount(rawLength, elementSize: 1)
            return utf8StringHash(bytes[reader.position..<(reader.position + length)])
        case .uuid:
            return long(try reader.readInt64() ^ reader.readInt64())
        case .date, .time:
            return milliseconds(try reader.readInt64())
        case .timestamp:
            let ms = try reader.readInt64()
            _ = try reader.readInt32()
            return milliseconds(ms)
        case .decimal:
            let scale = try reader.readInt32()
            let rawLength = try reader.readInt32()
            let length = try reader.checkCount(rawLength, elementSize: 1)
            let magnitude = bytes[reader.position..<(reader.position + length)]
            let negative = (magnitude.first ?? 0) & 0x80 != 0
            return decimalHash(magnitude: magnitude, clearingSignBit: true, isNegative: negative, scale: scale)
        case .enumValue, .binaryEnum:
            let typeId = try reader.readInt32()
            if typeId == 0 { _ = try reader.readOptionalStringObject() }
            return enumValue(typeId: typeId, ordinal: try reader.readInt32())
        case .complexObject:
            return try BinaryObject(validating: bytes, start: offset, limit: limit).hashCode
        case .wrapped:
            let rawLength = try reader.readInt32()
            let length = try reader.checkCount(rawLength, elementSize: 1)
            let innerStart = reader.position
            try reader.skip(length)
            let root = Int(try reader.readInt32())
            guard root >= 0, root < length else {
                throw IgniteError.parse("wrapped data root offset \(root) is outside its \(length) byte(s)")
            }
            return try keyHashCode(bytes, at: innerStart + root, base: innerStart, limit: innerStart + length, depth: depth + 1)
        case .handle:
            let back = try reader.readInt32()
            let target = offset - Int(back)
            guard back > 0, target >= base else {
                throw IgniteError.parse("handle at offset \(offset) points to \(target), outside the object graph")
            }
            return try keyHashCode(bytes, at: target, base: base, limit: limit, depth: depth + 1)
        case .null, .byteArray, .shortArray, .intArray, .longArray, .floatArray, .doubleArray, .charArray, .boolArray,
             .stringArray, .uuidArray, .dateArray, .timestampArray, .timeArray, .decimalArray, .objectArray,
             .collection, .map, .enumArray:
            return nil
        case .javaClass, .proxy, .platformJavaObjectFactoryProxy, .optimizedMarshaller:
            throw IgniteError.parse("type code \(code) at offset \(offset) is Java-only and cannot be a thin-client key")
        }
    }

    /// ``string(_:)`` of UTF-8 bytes, over the UTF-16 code units they decode to (invalid sequences become U+FFFD,
    /// exactly as ``BinaryReader/readStringPayload()`` decodes them). ASCII text is hashed without building a `String`.
    static func utf8StringHash(_ utf8: ArraySlice<UInt8>) -> Int32 {
        utf8.withUnsafeBytes { utf8StringHash($0) }
    }

    /// ``utf8StringHash(_:)-(ArraySlice<UInt8>)`` of bytes in memory.
    static func utf8StringHash(_ utf8: UnsafeRawBufferPointer) -> Int32 {
        var hash: Int32 = 0
        for byte in utf8 {
            guard byte < 0x80 else {
                // The same repair as the decoder (the standard library's `transcode` traps on some invalid input).
                return string(String(decoding: utf8, as: UTF8.self))
            }
            hash = hash &* 31 &+ Int32(byte)
        }
        return hash
    }
}
