/// One complex object being written straight into a ``BinaryWriter``: the streaming, allocation-light way
/// to produce a complex object (type code 103) from field bytes that are written in place.
///
/// ```swift
/// var frame = writer.beginObject(typeId: JavaHash.typeId("Internal"))
/// try writer.beginField(JavaHash.fieldId("id"), in: &frame)
/// writer.writeValue(.int(2))
/// try writer.beginField(JavaHash.fieldId("str"), in: &frame)
/// writer.writeStringObject("lorem ipsum")
/// try writer.endObject(&frame, compactFooter: true)
/// ```
///
/// Between ``BinaryWriter/beginField(_:in:)`` calls the caller writes exactly one full data object
/// (type code and payload) per field. ``BinaryWriter/endObject(_:compactFooter:)`` writes the footer and fills in the
/// header: flags (`USER_TYPE` always), hash code (``JavaHash/bytes(_:)`` over field and raw data, as Java's
/// `BinaryArrayIdentityResolver`), length, schema id (FNV-1 over the field ids) and the footer offset.
///
/// Footer offsets are 1, 2 or 4 bytes by Java's rule (`BinaryWriterSchemaHolder`): the last field's offset `< 256` → 1 byte,
/// `< 65 536` → 2 bytes, else 4. pyignite tests the largest offset against `< 255` / `< 65 535`, so for a last offset of
/// exactly 255 (or 65 535) pyignite writes the wider form; both forms are valid and every reader follows the flags.
///
/// An object without fields gets no footer and no `HAS_SCHEMA` flag, schema id 0 and header offset 20 = 24
/// (the Java writer layout, with the schema id pyignite computes for an empty schema; pyignite itself cannot
/// serialize an empty object).
public struct BinaryObjectFrame: Sendable {
    /// Where the object's 103 byte is in the writer.
    public let start: Int
    /// The type id written into the header.
    public let typeId: Int32
    @usableFromInline
    var slots: [FieldSlot] = []
    @usableFromInline
    var rawStart: Int?

    @usableFromInline
    init(start: Int, typeId: Int32) {
        self.start = start
        self.typeId = typeId
        slots.reserveCapacity(8)
    }

    /// The number of fields begun so far.
    public var fieldCount: Int { slots.count }

    /// The field ids in the order the fields were written (the object's schema).
    public var fieldIds: [Int32] { slots.map(\.id) }
}

/// A field id and the offset of its value relative to the object start (plus the type code recorded for the
/// binary type metadata, used by the Codable encoder).
@usableFromInline
struct FieldSlot: Sendable {
    @usableFromInline var id: Int32
    @usableFromInline var code: Int32
    @usableFromInline var offset: Int

    @inlinable
    init(id: Int32, offset: Int, code: Int32 = 0) {
        self.id = id
        self.code = code
        self.offset = offset
    }
}

extension BinaryWriter {
    /// Starts a complex object: writes the 103 byte and the version and reserves the rest of the 24-byte header.
    /// - Parameter typeId: The type id (lower-cased Java hash of the type name, see ``JavaHash/typeId(_:)``).
    /// - Returns: The frame to pass to ``beginField(_:in:)`` and ``endObject(_:compactFooter:)``.
    @inlinable
    public mutating func beginObject(typeId: Int32) -> BinaryObjectFrame {
        let start = count
        // 103, version 1, then 22 zero bytes patched by `endObject` (written as integers: cheaper than a generic fill).
        writeUInt16(UInt16(BinaryObject.protocolVersion) << 8 | UInt16(UInt8(bitPattern: TypeCode.complexObject.rawValue)))
        writeInt16(0)
        writeInt64(0)
        writeInt64(0)
        writeInt32(0)
        return BinaryObjectFrame(start: start, typeId: typeId)
    }

    /// Marks the start of the next field's value; write the value (one full data object) right after.
    /// - Parameters:
    ///   - fieldId: The field id (``JavaHash/fieldId(_:)`` of the field name).
    ///   - frame: The object being written.
    /// - Throws: ``IgniteError/Code/parameter`` for a field id of 0, a field id used twice in the object,
    ///   or a field after the raw data started.
    @inlinable
    public mutating func beginField(_ fieldId: Int32, in frame: inout BinaryObjectFrame) throws {
        guard frame.rawStart == nil else {
            throw IgniteError.parameter("field \(fieldId) of type \(frame.typeId) comes after the raw data; fields must come first")
        }
        guard fieldId != 0 else {
            throw IgniteError.parameter("field id 0 is not allowed (type \(frame.typeId)); Java rejects a field name whose id is zero")
        }
        for slot in frame.slots where slot.id == fieldId {
            throw IgniteError.parameter("field id \(fieldId) is written twice in one object of type \(frame.typeId)")
        }
        frame.slots.append(FieldSlot(id: fieldId, offset: count - frame.start))
    }

    /// Writes a field whose value is already encoded (one full data object, type code first).
    /// - Throws: The errors of ``beginField(_:in:)``, and ``IgniteError/Code/parameter`` for empty bytes.
    @inlinable
    public mutating func writeField<C: Collection>(_ fieldId: Int32, encodedValue bytes: C, in frame: inout BinaryObjectFrame) throws
    where C.Element == UInt8 {
        guard !bytes.isEmpty else { throw IgniteError.parameter("the encoded value of field \(fieldId) is empty") }
        try beginField(fieldId, in: &frame)
        writeBytes(bytes)
    }

    /// Marks the start of the raw-data section; write the raw bytes right after. No fields may follow.
    /// - Throws: ``IgniteError/Code/parameter`` if the raw data were already started.
    public mutating func beginRawData(in frame: inout BinaryObjectFrame) throws {
        guard frame.rawStart == nil else { throw IgniteError.parameter("raw data of type \(frame.typeId) started twice") }
        frame.rawStart = count
    }

    /// Finishes the object: writes the footer (and raw offset) and fills in the header.
    /// - Parameters:
    ///   - frame: The object being written.
    ///   - compactFooter: `true` for a compact footer (offsets only; readers need the schema from the type metadata),
    ///     `false` for a full footer (field id and offset per field).
    /// - Throws: ``IgniteError/Code/parameter`` if the object does not fit in 2 GiB, or the frame does not belong to this writer.
    public mutating func endObject(_ frame: inout BinaryObjectFrame, compactFooter: Bool) throws {
        try finishObject(start: frame.start, typeId: frame.typeId, slots: frame.slots[...], rawStart: frame.rawStart,
                         compactFooter: compactFooter)
    }

    /// Writes the footer of the object at `start` and patches its header. Shared by every object writer.
    ///
    /// The footer is appended as zeros in one step, then footer and header are filled in (and the hash computed)
    /// through one pointer into the buffer, without per-byte bounds and uniqueness checks.
    @usableFromInline
    mutating func finishObject(start: Int, typeId: Int32, slots: ArraySlice<FieldSlot>, rawStart: Int?, compactFooter: Bool) throws {
        let dataEnd = count
        guard start >= 0, dataEnd - start >= BinaryObject.headerSize,
              storage[start] == UInt8(bitPattern: TypeCode.complexObject.rawValue) else {
            throw IgniteError.parameter("no complex object was begun at offset \(start) of this writer")
        }
        var flags = BinaryObject.Flags.userType
        if compactFooter { flags.insert(.compactFooter) }
        var schemaId: Int32 = 0
        var offset20 = BinaryObject.headerSize
        var width = 0
        if let last = slots.last {
            var id = JavaHash.schemaInitialId
            for slot in slots { id = JavaHash.updateSchemaId(id, fieldId: slot.id) }
            schemaId = id
            offset20 = dataEnd - start
            flags.insert(.hasSchema)
            if last.offset < 0x100 {
                width = 1
                flags.insert(.offsetOneByte)
            } else if last.offset < 0x1_0000 {
                width = 2
                flags.insert(.offsetTwoBytes)
            } else {
                width = 4
            }
            if rawStart != nil { flags.insert(.hasRawData) }
        } else if let rawStart {
            flags.insert(.hasRawData)
            offset20 = rawStart - start
        }
        let entrySize = width + (compactFooter || slots.isEmpty ? 0 : 4)
        let footerSize = slots.count * entrySize + (slots.isEmpty || rawStart == nil ? 0 : 4)
        let length = dataEnd - start + footerSize
        guard length <= Int(Int32.max) else {
            truncate(to: start)
            throw IgniteError.parameter("complex object of type \(typeId) would be \(length) bytes, more than 2 GiB")
        }
        if footerSize > 0 { storage.append(contentsOf: repeatElement(0, count: footerSize)) }
        storage.withUnsafeMutableBytes { raw in
            // Footer.
            var at = dataEnd
            for slot in slots {
                if !compactFooter {
                    raw.storeBytes(of: slot.id.littleEndian, toByteOffset: at, as: Int32.self)
                    at += 4
                }
                switch width {
                case 1: raw[at] = UInt8(truncatingIfNeeded: slot.offset)
                case 2: raw.storeBytes(of: UInt16(truncatingIfNeeded: slot.offset).littleEndian, toByteOffset: at, as: UInt16.self)
                default: raw.storeBytes(of: Int32(truncatingIfNeeded: slot.offset).littleEndian, toByteOffset: at, as: Int32.self)
                }
                at += width
            }
            if !slots.isEmpty, let rawStart {
                raw.storeBytes(of: Int32(truncatingIfNeeded: rawStart - start).littleEndian, toByteOffset: at, as: Int32.self)
            }
            // Header: the hash covers field and raw data, [start + 24, dataEnd).
            let data = UnsafeRawBufferPointer(rebasing: raw[(start + BinaryObject.headerSize)..<dataEnd])
            let hash = BinaryObjectHash.javaBytes(data.bindMemory(to: UInt8.self))
            raw.storeBytes(of: flags.rawValue.littleEndian, toByteOffset: start + 2, as: UInt16.self)
            raw.storeBytes(of: typeId.littleEndian, toByteOffset: start + 4, as: Int32.self)
            raw.storeBytes(of: hash.littleEndian, toByteOffset: start + 8, as: Int32.self)
            raw.storeBytes(of: Int32(truncatingIfNeeded: length).littleEndian, toByteOffset: start + 12, as: Int32.self)
            raw.storeBytes(of: schemaId.littleEndian, toByteOffset: start + 16, as: Int32.self)
            raw.storeBytes(of: Int32(truncatingIfNeeded: offset20).littleEndian, toByteOffset: start + 20, as: Int32.self)
        }
    }

    /// ``JavaHash/bytes(_:)`` over `storage[from..<to]`, without copying.
    @usableFromInline
    func hashRange(_ from: Int, _ to: Int) -> Int32 {
        guard from >= 0, from < to, to <= storage.count else { return 1 }
        return storage.withUnsafeBufferPointer { buffer in
            BinaryObjectHash.javaBytes(UnsafeBufferPointer(rebasing: buffer[from..<to]))
        }
    }
}

/// The object hash code of Java's `BinaryArrayIdentityResolver`: the same result as ``JavaHash/bytes(_:)``
/// (`h = 31 * h + b` over signed bytes, seed 1), eight bytes per step so that the multiplications do not wait for each other.
enum BinaryObjectHash {
    @usableFromInline
    static func javaBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        @inline(__always) func s(_ i: Int) -> UInt32 { UInt32(bitPattern: Int32(Int8(bitPattern: bytes[i]))) }
        let p1: UInt32 = 31, p2: UInt32 = 961, p3: UInt32 = 29_791, p4: UInt32 = 923_521
        let p5: UInt32 = 28_629_151, p6: UInt32 = 887_503_681, p7: UInt32 = 0x67E1_2CDF, p8: UInt32 = 0x9444_6F01
        var h: UInt32 = 1
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            let high = s(i) &* p7 &+ s(i + 1) &* p6 &+ s(i + 2) &* p5 &+ s(i + 3) &* p4
            let low = s(i + 4) &* p3 &+ s(i + 5) &* p2 &+ s(i + 6) &* p1 &+ s(i + 7)
            h = h &* p8 &+ high &+ low
            i += 8
        }
        while i < n {
            h = h &* 31 &+ s(i)
            i += 1
        }
        return Int32(bitPattern: h)
    }
}
