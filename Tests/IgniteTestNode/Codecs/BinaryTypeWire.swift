import IgniteProtocol

// Interim: the BinaryType wire record of OP_GET_BINARY_TYPE / OP_PUT_BINARY_TYPE. To be replaced by
// IgniteBinary's `BinaryType.encode(into:)` / `decode(from:)` once they are in main.

enum BinaryTypeWire {
    /// Reads `i32 typeId, String name, String affinityKey, i32 n, fields, bool isEnum, [enum values], i32 schemas, schemas`.
    static func decode(from reader: inout BinaryReader) throws -> BinaryType {
        let typeId = try reader.readInt32()
        let typeName = try reader.readOptionalStringObject() ?? ""
        let affinityKey = try reader.readOptionalStringObject()
        let fieldCount = try reader.checkCount(try reader.readInt32(), elementSize: 9)
        var fields: [BinaryType.Field] = []
        fields.reserveCapacity(fieldCount)
        for _ in 0..<fieldCount {
            let name = try reader.readOptionalStringObject() ?? ""
            let typeCode = try reader.readInt32()
            let fieldId = try reader.readInt32()
            fields.append(BinaryType.Field(name: name, typeCode: typeCode, fieldId: fieldId))
        }
        let isEnum = try reader.readBool()
        var values: [(name: String, ordinal: Int32)] = []
        if isEnum {
            let n = try reader.checkCount(try reader.readInt32(), elementSize: 5)
            for _ in 0..<n { values.append((try reader.readOptionalStringObject() ?? "", try reader.readInt32())) }
        }
        let schemaCount = try reader.checkCount(try reader.readInt32(), elementSize: 8)
        var schemas: [BinaryType.Schema] = []
        for _ in 0..<schemaCount {
            let schemaId = try reader.readInt32()
            let n = try reader.checkCount(try reader.readInt32(), elementSize: 4)
            var ids: [Int32] = []
            ids.reserveCapacity(n)
            for _ in 0..<n { ids.append(try reader.readInt32()) }
            schemas.append(BinaryType.Schema(fieldIds: ids, schemaId: schemaId))
        }
        return BinaryType(typeId: typeId, typeName: typeName, affinityKeyFieldName: affinityKey, fields: fields,
                          schemas: schemas, isEnum: isEnum, enumValues: values)
    }

    /// Writes the record.
    static func encode(_ type: BinaryType, into writer: inout BinaryWriter) {
        writer.writeInt32(type.typeId)
        writer.writeStringObject(type.typeName)
        writer.writeOptionalStringObject(type.affinityKeyFieldName)
        writer.writeInt32(Int32(truncatingIfNeeded: type.fields.count))
        for field in type.fields {
            writer.writeStringObject(field.name)
            writer.writeInt32(field.typeCode)
            writer.writeInt32(field.fieldId)
        }
        writer.writeBool(type.isEnum)
        if type.isEnum {
            let values = type.enumValues
            writer.writeInt32(Int32(truncatingIfNeeded: values.count))
            for value in values {
                writer.writeStringObject(value.name)
                writer.writeInt32(value.ordinal)
            }
        }
        writer.writeInt32(Int32(truncatingIfNeeded: type.schemas.count))
        for schema in type.schemas {
            writer.writeInt32(schema.schemaId)
            writer.writeInt32(Int32(truncatingIfNeeded: schema.fieldIds.count))
            for id in schema.fieldIds { writer.writeInt32(id) }
        }
    }
}
