import IgniteProtocol

/// Builds complex-object bytes (103) the way clients write them, for tests: header, fields, footer
/// (compact or full, 1-byte offsets up to 255), schema id and the byte hash.
struct ObjectBuilder {
    var typeName: String
    var fields: [(String, IgniteValue)]
    var compactFooter = true

    var typeId: Int32 { JavaHash.typeId(typeName) }
    var fieldIds: [Int32] { fields.map { JavaHash.fieldId($0.0) } }

    /// The binary type metadata for OP_PUT_BINARY_TYPE.
    var binaryType: BinaryType {
        BinaryType(typeName: typeName, fields: fields.map { BinaryType.Field(name: $0.0, typeCode: Int32($0.1.typeCode.rawValue)) })
    }

    func bytes() -> [UInt8] {
        var data = BinaryWriter()
        var offsets: [Int] = []
        for (_, value) in fields {
            offsets.append(24 + data.count)
            data.writeValue(value)
        }
        let schemaOffset = 24 + data.count
        let oneByte = (offsets.last ?? 0) < 256
        var footer = BinaryWriter()
        for (index, offset) in offsets.enumerated() {
            if !compactFooter { footer.writeInt32(fieldIds[index]) }
            if oneByte { footer.writeUInt8(UInt8(offset)) } else { footer.writeInt32(Int32(offset)) }
        }
        var flags: UInt16 = 0x0001 | 0x0002
        if oneByte { flags |= 0x0008 }
        if compactFooter { flags |= 0x0020 }
        var writer = BinaryWriter()
        writer.writeInt8(103)
        writer.writeUInt8(1)
        writer.writeUInt16(flags)
        writer.writeInt32(typeId)
        writer.writeInt32(JavaHash.bytes(data.bytes))
        writer.writeInt32(Int32(schemaOffset + footer.count))
        writer.writeInt32(JavaHash.schemaId(fieldIds))
        writer.writeInt32(Int32(schemaOffset))
        writer.writeBytes(data.bytes)
        writer.writeBytes(footer.bytes)
        return writer.bytes
    }

    func object() throws -> BinaryObject { try BinaryObject(bytes: bytes()) }
}
