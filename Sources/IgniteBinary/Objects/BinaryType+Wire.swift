/// The BinaryType record of OP_GET_BINARY_TYPE (3002, response) and OP_PUT_BINARY_TYPE (3003, request)
/// (Java `PlatformUtils.writeBinaryMetadata` / `readBinaryMetadata`):
///
/// `i32 typeId, String typeName, String affinityKeyFieldName (or 101), i32 fieldCount,
/// (String name, i32 typeCode, i32 fieldId) × fieldCount, bool isEnum, [i32 n, (String name, i32 ordinal) × n],
/// i32 schemaCount, (i32 schemaId, i32 n, i32 fieldId × n) × schemaCount`.
///
/// Strings are full data objects (type code 9). The field's type code is the Ignite type code
/// (3 for `int`, 9 for `String`, 103 for an object).
extension BinaryType {
    /// Writes the record (the body of a 3003 request).
    /// - Parameter writer: The writer to append to.
    package func encode(into writer: inout BinaryWriter) {
        writer.writeInt32(typeId)
        writer.writeStringObject(typeName)
        writer.writeOptionalStringObject(affinityKeyFieldName)
        writer.writeInt32(Int32(truncatingIfNeeded: fields.count))
        for field in fields {
            writer.writeStringObject(field.name)
            writer.writeInt32(field.typeCode)
            writer.writeInt32(field.fieldId)
        }
        writer.writeBool(isEnum)
        if isEnum {
            writer.writeInt32(Int32(truncatingIfNeeded: enumEntries.count))
            for entry in enumEntries {
                writer.writeStringObject(entry.name)
                writer.writeInt32(entry.ordinal)
            }
        }
        writer.writeInt32(Int32(truncatingIfNeeded: schemas.count))
        for schema in schemas {
            writer.writeInt32(schema.schemaId)
            writer.writeInt32(Int32(truncatingIfNeeded: schema.fieldIds.count))
            for id in schema.fieldIds { writer.writeInt32(id) }
        }
    }

    /// Reads a record (the part of a 3002 response after its `exists` flag).
    /// - Parameter reader: The reader, positioned at the type id; left after the record.
    /// - Returns: The binary type, with its schemas and enum constants exactly as sent.
    /// - Throws: ``IgniteError/Code/parse`` for truncated or malformed input (hostile counts included).
    package static func decode(from reader: inout BinaryReader) throws -> BinaryType {
        let typeId = try reader.readInt32()
        let typeName = try reader.readStringObject()
        let affinityKey = try reader.readOptionalStringObject()
        // The smallest field entry is a 5-byte empty string and two i32s.
        let fieldCount = try reader.readLengthChecked(elementSize: 13)
        var fields: [Field] = []
        fields.reserveCapacity(fieldCount)
        for _ in 0..<fieldCount {
            let name = try reader.readStringObject()
            let typeCode = try reader.readInt32()
            fields.append(Field(name: name, typeCode: typeCode, fieldId: try reader.readInt32()))
        }
        let isEnum = try reader.readBool()
        var enumValues: [(name: String, ordinal: Int32)] = []
        if isEnum {
            let count = try reader.readLengthChecked(elementSize: 9)
            enumValues.reserveCapacity(count)
            for _ in 0..<count {
                let name = try reader.readStringObject()
                enumValues.append((name, try reader.readInt32()))
            }
        }
        let schemaCount = try reader.readLengthChecked(elementSize: 8)
        var schemas: [Schema] = []
        schemas.reserveCapacity(schemaCount)
        for _ in 0..<schemaCount {
            let schemaId = try reader.readInt32()
            let idCount = try reader.readLengthChecked(elementSize: 4)
            var ids: [Int32] = []
            ids.reserveCapacity(idCount)
            for _ in 0..<idCount { ids.append(try reader.readInt32()) }
            schemas.append(Schema(fieldIds: ids, schemaId: schemaId))
        }
        return BinaryType(typeId: typeId, typeName: typeName, affinityKeyFieldName: affinityKey, fields: fields,
                          schemas: schemas, isEnum: isEnum, enumValues: enumValues)
    }
}

extension BinaryReader {
    /// Reads an i32 count and validates it with ``checkCount(_:elementSize:)`` against the position after the count.
    @inlinable
    mutating func readLengthChecked(elementSize: Int) throws -> Int {
        let raw = try readInt32()
        return try checkCount(raw, elementSize: elementSize)
    }
}
