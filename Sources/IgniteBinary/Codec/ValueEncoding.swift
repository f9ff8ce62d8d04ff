import Foundation

extension BinaryWriter {
    /// Writes a typed string data object (type code 9 + length + UTF-8).
    @inlinable
    public mutating func writeStringObject(_ value: String) {
        writeInt8(TypeCode.string.rawValue)
        writeStringPayload(value)
    }

    /// Writes a typed string data object, or null (101) for `nil`.
    @inlinable
    public mutating func writeOptionalStringObject(_ value: String?) {
        if let value { writeStringObject(value) } else { writeInt8(TypeCode.null.rawValue) }
    }

    /// Writes a UUID payload: the most significant 64 bits, then the least significant, each little-endian.
    @inlinable
    public mutating func writeUUIDPayload(_ value: UUID) {
        let (msb, lsb) = value.igniteBits
        writeInt64(msb)
        writeInt64(lsb)
    }

    /// Writes a typed UUID data object (type code 10).
    @inlinable
    public mutating func writeUUIDObject(_ value: UUID) {
        writeInt8(TypeCode.uuid.rawValue)
        writeUUIDPayload(value)
    }

    /// Writes a decimal payload: scale, length, Java magnitude bytes.
    public mutating func writeDecimalPayload(_ value: IgniteDecimal) {
        writeInt32(value.scale)
        let bytes = value.javaMagnitudeBytes
        writeInt32(Int32(truncatingIfNeeded: bytes.count))
        writeBytes(bytes)
    }

    /// Writes any value as a full data object (type code + payload).
    public mutating func writeValue(_ value: IgniteValue) {
        switch value {
        case .null:
            writeInt8(TypeCode.null.rawValue)
        case .byte(let v):
            writeInt8(TypeCode.byte.rawValue); writeInt8(v)
        case .short(let v):
            writeInt8(TypeCode.short.rawValue); writeInt16(v)
        case .int(let v):
            writeInt8(TypeCode.int.rawValue); writeInt32(v)
        case .long(let v):
            writeInt8(TypeCode.long.rawValue); writeInt64(v)
        case .float(let v):
            writeInt8(TypeCode.float.rawValue); writeFloat(v)
        case .double(let v):
            writeInt8(TypeCode.double.rawValue); writeDouble(v)
        case .char(let v):
            writeInt8(TypeCode.char.rawValue); writeUInt16(v.codeUnit)
        case .bool(let v):
            writeInt8(TypeCode.bool.rawValue); writeBool(v)
        case .string(let v):
            writeStringObject(v)
        case .uuid(let v):
            writeUUIDObject(v)
        case .date(let v):
            writeInt8(TypeCode.date.rawValue); writeInt64(v.millisecondsSinceEpoch)
        case .timestamp(let v):
            writeInt8(TypeCode.timestamp.rawValue); writeInt64(v.millisecondsSinceEpoch); writeInt32(v.nanoseconds)
        case .time(let v):
            writeInt8(TypeCode.time.rawValue); writeInt64(v.milliseconds)
        case .decimal(let v):
            writeInt8(TypeCode.decimal.rawValue); writeDecimalPayload(v)
        case .byteArray(let v):
            writeArrayHeader(.byteArray, v.count); writeBytes(v)
        case .shortArray(let v):
            writeArrayHeader(.shortArray, v.count); for e in v { writeInt16(e) }
        case .intArray(let v):
            writeArrayHeader(.intArray, v.count); for e in v { writeInt32(e) }
        case .longArray(let v):
            writeArrayHeader(.longArray, v.count); for e in v { writeInt64(e) }
        case .floatArray(let v):
            writeArrayHeader(.floatArray, v.count); for e in v { writeFloat(e) }
        case .doubleArray(let v):
            writeArrayHeader(.doubleArray, v.count); for e in v { writeDouble(e) }
        case .charArray(let v):
            writeArrayHeader(.charArray, v.count); for e in v { writeUInt16(e.codeUnit) }
        case .boolArray(let v):
            writeArrayHeader(.boolArray, v.count); for e in v { writeBool(e) }
        case .stringArray(let v):
            writeArrayHeader(.stringArray, v.count); for e in v { writeOptionalStringObject(e) }
        case .uuidArray(let v):
            writeArrayHeader(.uuidArray, v.count)
            for e in v { if let e { writeUUIDObject(e) } else { writeInt8(TypeCode.null.rawValue) } }
        case .dateArray(let v):
            writeArrayHeader(.dateArray, v.count)
            for e in v { writeValue(e.map { .date($0) } ?? .null) }
        case .timestampArray(let v):
            writeArrayHeader(.timestampArray, v.count)
            for e in v { writeValue(e.map { .timestamp($0) } ?? .null) }
        case .timeArray(let v):
            writeArrayHeader(.timeArray, v.count)
            for e in v { writeValue(e.map { .time($0) } ?? .null) }
        case .decimalArray(let v):
            writeArrayHeader(.decimalArray, v.count)
            for e in v { writeValue(e.map { .decimal($0) } ?? .null) }
        case .objectArray(let v):
            writeInt8(TypeCode.objectArray.rawValue)
            writeTypeIdAndClassName(v.elementTypeId, v.className)
            writeInt32(Int32(truncatingIfNeeded: v.elements.count))
            for e in v.elements { writeValue(e) }
        case .collection(let v):
            writeInt8(TypeCode.collection.rawValue)
            writeInt32(Int32(truncatingIfNeeded: v.elements.count))
            writeInt8(v.kind.rawValue)
            for e in v.elements { writeValue(e) }
        case .map(let v):
            writeInt8(TypeCode.map.rawValue)
            writeInt32(Int32(truncatingIfNeeded: v.entries.count))
            writeInt8(v.kind.rawValue)
            for e in v.entries {
                writeValue(e.key)
                writeValue(e.value)
            }
        case .enumValue(let v):
            writeInt8(TypeCode.enumValue.rawValue); writeEnumPayload(v)
        case .binaryEnum(let v):
            writeInt8(TypeCode.binaryEnum.rawValue); writeEnumPayload(v)
        case .enumArray(let v):
            writeInt8(TypeCode.enumArray.rawValue)
            writeTypeIdAndClassName(v.elementTypeId, v.className)
            writeInt32(Int32(truncatingIfNeeded: v.elements.count))
            let elementCode = v.elementTypeCode == .enumValue ? TypeCode.enumValue : TypeCode.binaryEnum
            for e in v.elements {
                if let e { writeInt8(elementCode.rawValue); writeEnumPayload(e) } else { writeInt8(TypeCode.null.rawValue) }
            }
        case .object(let v):
            v.write(to: &self)
        }
    }

    @inlinable
    mutating func writeArrayHeader(_ code: TypeCode, _ count: Int) {
        writeInt8(code.rawValue)
        writeInt32(Int32(truncatingIfNeeded: count))
    }

    mutating func writeTypeIdAndClassName(_ typeId: Int32, _ className: String?) {
        writeInt32(typeId)
        if typeId == 0 { writeOptionalStringObject(className) }
    }

    mutating func writeEnumPayload(_ value: IgniteEnum) {
        writeTypeIdAndClassName(value.typeId, value.className)
        writeInt32(value.ordinal)
    }
}

extension UUID {
    /// The UUID as Java's two longs: most and least significant bits.
    @inlinable
    package var igniteBits: (msb: Int64, lsb: Int64) {
        let u = uuid
        let msb = UInt64(u.0) << 56 | UInt64(u.1) << 48 | UInt64(u.2) << 40 | UInt64(u.3) << 32
            | UInt64(u.4) << 24 | UInt64(u.5) << 16 | UInt64(u.6) << 8 | UInt64(u.7)
        let lsb = UInt64(u.8) << 56 | UInt64(u.9) << 48 | UInt64(u.10) << 40 | UInt64(u.11) << 32
            | UInt64(u.12) << 24 | UInt64(u.13) << 16 | UInt64(u.14) << 8 | UInt64(u.15)
        return (Int64(bitPattern: msb), Int64(bitPattern: lsb))
    }

    /// Creates a UUID from Java's most and least significant bits.
    @inlinable
    package init(igniteMSB msb: Int64, lsb: Int64) {
        let m = UInt64(bitPattern: msb), l = UInt64(bitPattern: lsb)
        self.init(uuid: (
            UInt8(truncatingIfNeeded: m >> 56), UInt8(truncatingIfNeeded: m >> 48), UInt8(truncatingIfNeeded: m >> 40),
            UInt8(truncatingIfNeeded: m >> 32), UInt8(truncatingIfNeeded: m >> 24), UInt8(truncatingIfNeeded: m >> 16),
            UInt8(truncatingIfNeeded: m >> 8), UInt8(truncatingIfNeeded: m),
            UInt8(truncatingIfNeeded: l >> 56), UInt8(truncatingIfNeeded: l >> 48), UInt8(truncatingIfNeeded: l >> 40),
            UInt8(truncatingIfNeeded: l >> 32), UInt8(truncatingIfNeeded: l >> 24), UInt8(truncatingIfNeeded: l >> 16),
            UInt8(truncatingIfNeeded: l >> 8), UInt8(truncatingIfNeeded: l)))
    }
}
