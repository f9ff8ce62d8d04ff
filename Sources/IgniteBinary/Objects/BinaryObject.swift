/// A complex object (type code 103) in its binary form, with fields read lazily.
///
/// A `BinaryObject` keeps the bytes it was decoded from and reads a field only when asked.
/// Its header is validated when it is created, so a `BinaryObject` never points outside its buffer.
/// Two binary objects are equal when their bytes are equal.
///
/// Layout (offsets from the 103 byte): version (1), flags (2), type id (4), hash code (8), length (12),
/// schema id (16), schema or raw offset (20), then field data, raw data and the footer.
public struct BinaryObject: Hashable, Sendable {
    /// Header flag bits.
    public struct Flags: OptionSet, Hashable, Sendable {
        /// The flag bits as stored in the header.
        public let rawValue: UInt16
        /// Creates flags from header bits.
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// A user type; always set by clients.
        public static let userType = Flags(rawValue: 0x0001)
        /// A footer (schema) is present.
        public static let hasSchema = Flags(rawValue: 0x0002)
        /// A raw-data section is present.
        public static let hasRawData = Flags(rawValue: 0x0004)
        /// Footer offsets are one byte.
        public static let offsetOneByte = Flags(rawValue: 0x0008)
        /// Footer offsets are two bytes.
        public static let offsetTwoBytes = Flags(rawValue: 0x0010)
        /// The footer holds offsets only; field ids come from the type's schema.
        public static let compactFooter = Flags(rawValue: 0x0020)
        /// A .NET custom type (ignored by this client).
        public static let customDotNetType = Flags(rawValue: 0x0040)
    }

    /// The size of the fixed header.
    public static let headerSize = 24
    /// The only supported object format version.
    public static let protocolVersion: UInt8 = 1

    /// The buffer the object lives in. Handles inside the object are resolved against it.
    public let storage: [UInt8]
    /// The position of the 103 byte in ``storage``.
    public let start: Int
    /// The header flags.
    public let flags: Flags
    /// The type id.
    public let typeId: Int32
    /// The hash code stored in the header.
    public let hashCode: Int32
    /// The total length in bytes, header and footer included.
    public let length: Int
    /// The schema id (meaningful only with ``Flags/hasSchema``).
    public let schemaId: Int32
    /// The class name, present only when ``typeId`` is 0.
    public let className: String?
    /// Where the field data start, relative to ``start``.
    public let dataOffset: Int
    /// Where the footer starts, relative to ``start`` (equals the end of data when there is no footer).
    public let footerOffset: Int
    /// Where the raw data start, relative to ``start``, if there are raw data.
    public let rawOffset: Int?
    /// The number of footer entries (fields).
    public let fieldCount: Int

    /// Validates and wraps the object whose 103 byte is at `start`.
    /// - Throws: ``IgniteError/Code/parse`` if the header or footer is inconsistent with the buffer.
    public init(validating buffer: [UInt8], start: Int, limit: Int? = nil) throws {
        let end = Swift.min(limit ?? buffer.count, buffer.count)
        let reader = BinaryReader(buffer, position: start, limit: end)
        guard start >= 0, end - start >= BinaryObject.headerSize else {
            throw IgniteError.parse("complex object at offset \(start) is truncated: \(Swift.max(0, end - start)) byte(s) for a 24-byte header")
        }
        guard try reader.peekUInt8(at: start) == UInt8(bitPattern: TypeCode.complexObject.rawValue) else {
            throw IgniteError.parse("no complex object (103) at offset \(start)")
        }
        let version = try reader.peekUInt8(at: start + 1)
        guard version == BinaryObject.protocolVersion else {
            throw IgniteError.parse("complex object at offset \(start) has unsupported version \(version)")
        }
        let flags = Flags(rawValue: try reader.peekInteger(UInt16.self, at: start + 2))
        let typeId = try reader.peekInteger(Int32.self, at: start + 4)
        let hashCode = try reader.peekInteger(Int32.self, at: start + 8)
        let length = Int(try reader.peekInteger(Int32.self, at: start + 12))
        let schemaId = try reader.peekInteger(Int32.self, at: start + 16)
        let offset20 = Int(try reader.peekInteger(Int32.self, at: start + 20))
        guard length >= BinaryObject.headerSize, length <= end - start else {
            throw IgniteError.parse("complex object at offset \(start) declares length \(length), but \(end - start) byte(s) are available")
        }
        var dataOffset = BinaryObject.headerSize
        var className: String?
        if typeId == 0 {
            var nameReader = BinaryReader(buffer, position: start + dataOffset, limit: start + length)
            className = try nameReader.readOptionalStringObject()
            dataOffset = nameReader.position - start
        }
        let hasSchema = flags.contains(.hasSchema)
        let hasRaw = flags.contains(.hasRawData)
        var footerOffset = length
        var footerEnd = length
        var rawOffset: Int?
        if hasSchema {
            footerOffset = offset20
            if hasRaw {
                footerEnd = length - 4
                rawOffset = Int(try reader.peekInteger(Int32.self, at: start + length - 4))
            }
        } else if hasRaw {
            rawOffset = offset20
        }
        guard footerOffset >= dataOffset, footerOffset <= footerEnd else {
            throw IgniteError.parse("complex object at offset \(start) has footer offset \(footerOffset) outside \(dataOffset)...\(footerEnd)")
        }
        if let raw = rawOffset, raw < dataOffset || raw > footerOffset {
            throw IgniteError.parse("complex object at offset \(start) has raw offset \(raw) outside its data")
        }
        let entrySize = BinaryObject.offsetSize(flags) + (flags.contains(.compactFooter) ? 0 : 4)
        let footerLength = footerEnd - footerOffset
        guard footerLength % entrySize == 0 else {
            throw IgniteError.parse("complex object at offset \(start) has a footer of \(footerLength) byte(s), not a multiple of \(entrySize)")
        }
        self.storage = buffer
        self.start = start
        self.flags = flags
        self.typeId = typeId
        self.hashCode = hashCode
        self.length = length
        self.schemaId = schemaId
        self.className = className
        self.dataOffset = dataOffset
        self.footerOffset = footerOffset
        self.rawOffset = rawOffset
        self.fieldCount = hasSchema ? footerLength / entrySize : 0
    }

    /// Validates and wraps an object that starts at the first byte of `bytes`.
    public init(bytes: [UInt8]) throws {
        try self.init(validating: bytes, start: 0)
    }

    /// The object's bytes, from the 103 byte to the end of the footer.
    public var bytes: ArraySlice<UInt8> { storage[start..<(start + length)] }

    /// Whether the footer is compact (offsets only).
    public var hasCompactFooter: Bool { flags.contains(.compactFooter) }

    /// The width of one footer offset: 1, 2 or 4 bytes.
    public var offsetSize: Int { BinaryObject.offsetSize(flags) }

    static func offsetSize(_ flags: Flags) -> Int {
        if flags.contains(.offsetOneByte) { return 1 }
        if flags.contains(.offsetTwoBytes) { return 2 }
        return 4
    }

    /// The field ids stored in a full footer, in footer order; `nil` for a compact footer.
    public var footerFieldIds: [Int32]? {
        guard !hasCompactFooter else { return nil }
        let entry = 4 + offsetSize
        var ids: [Int32] = []
        ids.reserveCapacity(fieldCount)
        let reader = BinaryReader(storage, position: start, limit: start + length)
        for i in 0..<fieldCount {
            // Validated at init: every entry lies inside the footer.
            if let id = try? reader.peekInteger(Int32.self, at: start + footerOffset + i * entry) { ids.append(id) }
        }
        return ids
    }

    /// The offset (relative to ``start``) of the field at footer position `index`.
    /// - Throws: ``IgniteError/Code/parse`` if the index or the stored offset is out of range.
    public func fieldOffset(at index: Int) throws -> Int {
        guard index >= 0, index < fieldCount else {
            throw IgniteError.parse("field index \(index) is out of range 0..<\(fieldCount)")
        }
        let compact = hasCompactFooter
        let width = offsetSize
        let at = start + footerOffset + index * ((compact ? 0 : 4) + width) + (compact ? 0 : 4)
        // Validated at init: every footer entry lies inside the object and the buffer.
        let offset: Int = storage.withUnsafeBytes { raw in
            guard at >= 0, at + width <= raw.count else { return -1 }
            switch width {
            case 1: return Int(raw[at])
            case 2: return Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
            default: return Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: Int32.self)))
            }
        }
        let dataEnd = rawOffset ?? footerOffset
        guard offset >= dataOffset, offset < dataEnd else {
            throw IgniteError.parse("field \(index) of type \(typeId) has offset \(offset) outside its data \(dataOffset)..<\(dataEnd)")
        }
        return offset
    }

    /// Decodes the field at footer position `index`.
    public func value(atFieldIndex index: Int) throws -> IgniteValue {
        var decodedBytes = 0
        return try value(atFieldIndex: index, decodedByteLimit: nil, decodedBytes: &decodedBytes)
    }

    /// Decodes the field at footer position `index` within a decoded-size budget: `decodedByteLimit` (`nil`: the
    /// default for the buffer), of which `decodedBytes` are used already (and updated).
    func value(atFieldIndex index: Int, decodedByteLimit: Int?, decodedBytes: inout Int) throws -> IgniteValue {
        let offset = try fieldOffset(at: index)
        var reader = BinaryReader(storage, position: start + offset, limit: start + (rawOffset ?? footerOffset))
        if let decodedByteLimit { reader.decodedByteLimit = decodedByteLimit }
        reader.decodedBytes = decodedBytes
        defer { decodedBytes = reader.decodedBytes }
        return try reader.readValue()
    }

    /// Decodes the field with `fieldId`, or returns `nil` if the object has no such field.
    ///
    /// - Parameter schema: The field ids of this object's schema in order, required for a compact footer
    ///   (from the type metadata, see ``BinaryType``). Ignored for a full footer.
    /// - Throws: ``IgniteError/Code/binaryType`` when the footer is compact and no schema was given
    ///   or the schema does not match; ``IgniteError/Code/parse`` for malformed bytes.
    public func value(forFieldId fieldId: Int32, schema: [Int32]? = nil) throws -> IgniteValue? {
        let index: Int?
        if !hasCompactFooter {
            index = fullFooterIndex(of: fieldId)
        } else {
            guard let schema else {
                throw IgniteError(.binaryType, "object of type \(typeId) has a compact footer; its schema \(schemaId) is needed to read fields")
            }
            guard schema.count == fieldCount else {
                throw IgniteError(.binaryType, "schema \(schemaId) of type \(typeId) lists \(schema.count) field(s), the object has \(fieldCount)")
            }
            index = schema.firstIndex(of: fieldId)
        }
        guard let index else { return nil }
        return try value(atFieldIndex: index)
    }

    /// The raw-data section, if any.
    public var rawData: ArraySlice<UInt8>? {
        guard let rawOffset else { return nil }
        return storage[(start + rawOffset)..<(start + footerOffset)]
    }

    /// Appends the object's bytes to a writer.
    public func write(to writer: inout BinaryWriter) {
        writer.writeBytes(bytes)
    }

    /// Objects are equal when their bytes are equal.
    public static func == (lhs: BinaryObject, rhs: BinaryObject) -> Bool { lhs.bytes == rhs.bytes }

    /// Hashes the object's bytes.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
