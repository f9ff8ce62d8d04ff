import IgniteProtocol

/// How the server writes and rewrites the objects of SQL tables (observed in *scan-sql.scan-sql-table-cache* and
/// *binary-type-of-sql-table*): columns in order, NULL columns left out, and a DATE column — a `java.sql.Date`, which
/// is not a binary type — written by the OptimizedMarshaller (type code −2) and recorded as Object (103) in the
/// binary type.
enum SQLServerObjects {
    /// The seven bytes that start the marshalled `java.sql.Date`, before its i64 milliseconds (constant in the captures).
    static let sqlDatePrefix: [UInt8] = [0x66, 0x3a, 0xde, 0xd5, 0x40, 0x97, 0x66]

    /// The encoded field of a DATE column: `fe, i32 15, prefix, i64 ms`.
    static func sqlDate(_ milliseconds: Int64) -> [UInt8] {
        var writer = BinaryWriter(capacity: 20)
        writer.writeInt8(TypeCode.optimizedMarshaller.rawValue)
        writer.writeInt32(Int32(sqlDatePrefix.count + 8))
        writer.writeBytes(sqlDatePrefix)
        writer.writeInt64(milliseconds)
        return writer.bytes
    }

    /// Sets a column's field as the server writes it (nothing for NULL: the field is left out or removed).
    static func set(_ builder: inout BinaryObjectBuilder, _ column: SQLColumn, _ value: IgniteValue) throws {
        switch (column.type, value) {
        case (_, .null):
            builder.removeField(column.field)
        case (.date, .date(let date)):
            try builder.setField(column.field, encodedValue: sqlDate(date.millisecondsSinceEpoch), validate: false, typeCode: .complexObject)
        default:
            builder.setField(column.field, value, typeCode: column.type.typeCode)
        }
    }

    /// A field of an object, including the marshalled `java.sql.Date` a thin client cannot decode.
    static func field(_ name: String, of object: BinaryObject, types: [Int32: BinaryType]) -> IgniteValue {
        field(JavaHash.fieldId(name), of: object, schema: types[object.typeId]?.schema(id: object.schemaId), types: types)
    }

    /// A field by id, with the object's schema already resolved.
    static func field(_ id: Int32, of object: BinaryObject, schema: [Int32]?, types: [Int32: BinaryType]) -> IgniteValue {
        if let decoded = try? object.value(forFieldId: id, schema: schema) { return decoded }
        guard let index = try? object.fieldIndex(id: id, schemas: TypeTable(types: types)),
              var reader = try? object.fieldReader(at: index),
              (try? reader.readInt8()) == TypeCode.optimizedMarshaller.rawValue,
              (try? reader.readInt32()) == Int32(sqlDatePrefix.count + 8),
              (try? reader.readBytes(sqlDatePrefix.count)) == sqlDatePrefix,
              let milliseconds = try? reader.readInt64() else { return .null }
        return .date(IgniteDate(millisecondsSinceEpoch: milliseconds))
    }

    /// A builder holding an object's fields byte for byte (fields a thin client cannot decode included), so that an
    /// UPDATE keeps the fields it does not set; `nil` if the object's metadata is unknown.
    static func builder(from object: BinaryObject, types: [Int32: BinaryType]) -> BinaryObjectBuilder? {
        guard let type = types[object.typeId], let ids = try? object.fieldIds(schemas: TypeTable(types: types)) else { return nil }
        var builder = BinaryObjectBuilder(typeId: object.typeId, typeName: type.typeName, compactFooter: object.hasCompactFooter,
                                          affinityKeyFieldName: type.affinityKeyFieldName)
        guard let offsets = try? ids.indices.map({ try object.fieldOffset(at: $0) }) else { return nil }
        let dataEnd = object.footerOffset
        for (index, id) in ids.enumerated() {
            let from = offsets[index]
            let to = index + 1 < offsets.count ? offsets[index + 1] : dataEnd
            guard from < to, object.start + to <= object.storage.count,
                  let field = type.fields.first(where: { $0.fieldId == id }) else { return nil }
            let bytes = Array(object.storage[(object.start + from)..<(object.start + to)])
            guard (try? builder.setField(field.name, encodedValue: bytes, validate: false,
                                         typeCode: TypeCode(rawValue: Int8(truncatingIfNeeded: field.typeCode)))) != nil else { return nil }
        }
        return builder
    }
}
