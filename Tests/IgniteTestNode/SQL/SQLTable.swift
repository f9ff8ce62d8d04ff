import IgniteProtocol

/// One column of a SQL table: a field of the cache's key or value.
struct SQLColumn: Sendable, Equatable {
    init(name: String, field: String, type: SQLColumnType, isKey: Bool, notNull: Bool, defaultValue: IgniteValue,
         precision: Int32? = nil, scale: Int32? = nil) {
        self.precision = precision.flatMap { $0 >= 0 ? $0 : nil }
        self.scale = scale.flatMap { $0 >= 0 ? $0 : nil }
        self.name = name
        self.field = field
        self.fieldId = JavaHash.fieldId(field)
        self.type = type
        self.isKey = isKey
        self.notNull = notNull
        self.defaultValue = defaultValue
    }

    /// The column name as H2 reports it (the alias, or the field name, upper-cased unless written in quotes).
    var name: String
    /// The binary object field (the query entity's field name).
    var field: String {
        didSet { fieldId = JavaHash.fieldId(field) }
    }
    /// The field's id (computed once: rows are read field by field).
    private(set) var fieldId: Int32
    var type: SQLColumnType
    var isKey: Bool
    var notNull: Bool
    var defaultValue: IgniteValue
    /// The field's declared precision (a VARCHAR's length, a DECIMAL's digits) and scale; `nil` when not set.
    var precision: Int32?
    var scale: Int32?
}

/// A SQL table in Ignite's model: the rows are the entries of one cache, read through its query entity.
///
/// The key is the primary-key column itself (`keyFieldName`), or an object of `keyType` holding the key columns
/// (composite keys), or a value reachable only as `_KEY`. The value is an object of `valueType` holding the other
/// columns, or the value column itself (`valueFieldName`).
struct SQLTable: Sendable, Equatable {
    var schema: String
    var name: String
    var cacheId: Int32
    var cacheName: String
    var keyType: String
    var valueType: String
    var keyFieldName: String?
    var valueFieldName: String?
    var columns: [SQLColumn]
    var indexes: [QueryIndex]

    /// The table's name in the SQLite database: the plain name in PUBLIC, `SCHEMA$NAME` elsewhere.
    var sqliteName: String { schema == "PUBLIC" ? name : schema + "$" + name }

    /// The hidden columns every table has: the key, the value, and the key's identity (the SQLite primary key).
    static let keyColumn = "_KEY", valueColumn = "_VAL"
    /// Hidden bookkeeping columns: the key's identity (unique), and the entry's partition and insertion sequence, the
    /// SQLite primary key, so that a query without ORDER BY returns rows in the order a scan does (partition by partition).
    static let identityColumn = "_KEYID$", partitionColumn = "_PART$", sequenceColumn = "_SEQ$"
    static let bookkeepingColumns: Set<String> = [identityColumn, partitionColumn, sequenceColumn]
    /// The SQLite names of `_KEY` and `_VAL`. A query's `_KEY` is rewritten to this name (with `AS "_KEY"` in a select
    /// list), so that the copies a `*` expands to (named like the storage) can be told apart and hidden as H2 hides them.
    static let keyStorage = "_KEY$", valueStorage = "_VAL$"

    /// Whether the key is an object of `keyType` built from the key columns.
    var keyIsObject: Bool { keyFieldName == nil && columns.contains(where: \.isKey) }
    /// Whether the value is an object of `valueType` built from the value columns.
    var valueIsObject: Bool { valueFieldName == nil && SQLColumnType(javaName: valueType, scale: nil) == .other }

    /// The type of `_KEY`.
    var keyColumnType: SQLColumnType {
        if let keyFieldName, let column = columns.first(where: { $0.field == keyFieldName }) { return column.type }
        return keyIsObject ? .other : SQLColumnType(javaName: keyType, scale: nil)
    }

    /// The type of `_VAL`.
    var valueColumnType: SQLColumnType {
        if let valueFieldName, let column = columns.first(where: { $0.field == valueFieldName }) { return column.type }
        return valueIsObject ? .other : SQLColumnType(javaName: valueType, scale: nil)
    }

    /// The type of a column by its SQLite name (hidden columns included).
    func columnType(_ name: String) -> SQLColumnType? {
        switch name.uppercased() {
        case SQLTable.keyColumn, SQLTable.keyStorage: return keyColumnType
        case SQLTable.valueColumn, SQLTable.valueStorage: return valueColumnType
        default: return columns.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.type
        }
    }

    /// The column named `name` (H2 form), if any.
    func column(named name: String) -> Int? {
        columns.firstIndex { $0.name == name } ?? columns.firstIndex { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The tables of a cache's configuration.
    static func tables(of cache: CacheRecord) -> [SQLTable] {
        let configuration = cache.configuration
        let schema = configuration.configuration.sqlSchema ?? configuration.name
        return configuration.queryEntities.compactMap { entity in
            guard let valueType = entity.valueType else { return nil }
            let simple = valueType.split(whereSeparator: { $0 == "." || $0 == "$" }).last.map(String.init) ?? valueType
            let columns = entity.fields.map { field in
                let alias = entity.aliases.first { $0.fieldName == field.name }?.alias ?? field.name
                return SQLColumn(name: alias.uppercased(), field: field.name,
                                 type: SQLColumnType(javaName: field.typeName, scale: field.scale),
                                 isKey: field.isKeyField || field.name == entity.keyFieldName, notNull: field.isNotNull,
                                 defaultValue: field.defaultValue, precision: field.precision, scale: field.scale)
            }
            let keyType = entity.keyType ?? "java.lang.Object"
            return SQLTable(schema: schema, name: (entity.tableName ?? simple).uppercased(), cacheId: cache.id, cacheName: cache.name,
                            keyType: keyType, valueType: valueType,
                            keyFieldName: entity.keyFieldName, valueFieldName: entity.valueFieldName,
                            columns: columns, indexes: entity.indexes,
                            affinityKeyField: configuration.keyConfigurations.first { $0.typeName == keyType }?.affinityKeyFieldName)
        }
    }

    /// The SQLite DDL of the table.
    var sqliteDefinition: String {
        var parts = columns.map { SQLLexer.quote($0.name) + " " + $0.type.sqliteDeclaration }
        parts.append("\(SQLLexer.quote(SQLTable.keyStorage)) \(keyColumnType.sqliteDeclaration)")
        parts.append("\(SQLLexer.quote(SQLTable.valueStorage)) \(valueColumnType.sqliteDeclaration)")
        parts.append("\(SQLLexer.quote(SQLTable.identityColumn)) BLOB NOT NULL UNIQUE")
        parts.append("\(SQLLexer.quote(SQLTable.partitionColumn)) INTEGER NOT NULL")
        parts.append("\(SQLLexer.quote(SQLTable.sequenceColumn)) INTEGER NOT NULL")
        parts.append("PRIMARY KEY (\(SQLLexer.quote(SQLTable.partitionColumn)), \(SQLLexer.quote(SQLTable.sequenceColumn)))")
        return "CREATE TABLE \(SQLLexer.quote(sqliteName)) (\(parts.joined(separator: ", "))) WITHOUT ROWID"
    }

    /// The SQLite DDL of the primary-key index (H2 has one on the key columns, or on `_KEY`).
    var sqliteKeyIndex: String {
        let keyColumns = columns.filter(\.isKey).map { SQLLexer.quote($0.name) }
        let indexed = keyColumns.isEmpty ? [SQLLexer.quote(SQLTable.keyStorage)] : keyColumns
        return "CREATE INDEX \(SQLLexer.quote(sqliteIndexName("_key_PK"))) ON \(SQLLexer.quote(sqliteName)) (\(indexed.joined(separator: ", ")))"
    }

    /// The SQLite name of one of the table's indexes.
    func sqliteIndexName(_ index: String) -> String { sqliteName + "$" + index }

    // MARK: rows ↔ entries

    /// The SQLite row of a cache entry: the columns, `_KEY`, `_VAL`, `_KEYID`.
    func row(_ entry: StoredEntry, keyId: [UInt8], types: [Int32: BinaryType]) -> [SQLiteValue] {
        let key = entry.key, value = entry.value
        // Each object's schema is resolved once per row, not once per field.
        func schema(_ value: IgniteValue) -> [Int32]? {
            guard case .object(let object) = value else { return nil }
            return types[object.typeId]?.schema(id: object.schemaId)
        }
        let keySchema = schema(key), valueSchema = schema(value)
        var row: [SQLiteValue] = []
        row.reserveCapacity(columns.count + 5)
        for column in columns {
            let field: IgniteValue
            if column.field == keyFieldName {
                field = key
            } else if column.field == valueFieldName {
                field = value
            } else if case .object(let object) = column.isKey ? key : value {
                field = SQLServerObjects.field(column.fieldId, of: object, schema: column.isKey ? keySchema : valueSchema, types: types)
            } else {
                field = .null
            }
            row.append(column.type.sqliteValue(field))
        }
        row.append(keyColumnType.sqliteValue(key))
        row.append(valueColumnType.sqliteValue(value))
        row.append(.blob(keyId))
        row.append(.integer(Int64(entry.partition)))
        row.append(.integer(Int64(clamping: entry.sequence)))
        return row
    }

    /// A field of an object value (`null` if the value is not an object or lacks the field).
    static func field(_ name: String, of value: IgniteValue, types: [Int32: BinaryType]) -> IgniteValue {
        guard case .object(let object) = value else { return .null }
        return SQLServerObjects.field(name, of: object, types: types)
    }

    /// Builds the key and value of a row from column values (already converted to the column types).
    /// `existingValue` keeps fields that are not columns (UPDATE of an object written by a client).
    /// - Parameter changed: With `existingValue`, the columns to set (an UPDATE leaves the other fields byte for byte).
    func entry(_ values: [IgniteValue], existingValue: IgniteValue? = nil, changed: Set<Int>? = nil, types: inout [Int32: BinaryType],
               typeNames: inout [Int64: String]) throws -> (key: IgniteValue, value: IgniteValue) {
        var key: IgniteValue = .null
        var value: IgniteValue = .null
        if let keyFieldName, let index = columns.firstIndex(where: { $0.field == keyFieldName }) { key = values[index] }
        if let valueFieldName, let index = columns.firstIndex(where: { $0.field == valueFieldName }) { value = values[index] }
        if keyIsObject {
            var builder = BinaryObjectBuilder(typeName: keyType, affinityKeyFieldName: affinityKeyField)
            for (index, column) in columns.enumerated() where column.isKey {
                try SQLServerObjects.set(&builder, column, values[index])
            }
            let object = try builder.build()
            key = .object(object)
            SQLTable.register(builder, schemaId: object.schemaId, types: &types, typeNames: &typeNames)
        }
        if valueIsObject {
            var builder = BinaryObjectBuilder(typeName: valueType)
            var only: Set<Int>?
            if case .object(let old)? = existingValue, let existing = SQLServerObjects.builder(from: old, types: types) {
                builder = existing
                only = changed
            }
            for (index, column) in columns.enumerated() where !column.isKey && column.field != valueFieldName && only?.contains(index) != false {
                try SQLServerObjects.set(&builder, column, values[index])
            }
            let object = try builder.build()
            value = .object(object)
            SQLTable.register(builder, schemaId: object.schemaId, types: &types, typeNames: &typeNames)
        }
        return (key, value)
    }

    /// The affinity key field of the key type (from the cache's key configuration, filled by the engine).
    var affinityKeyField: String?

    /// Records a server-built object's type as the server does on first write.
    private static func register(_ builder: BinaryObjectBuilder, schemaId: Int32, types: inout [Int32: BinaryType],
                                 typeNames: inout [Int64: String]) {
        if types[builder.typeId]?.schema(id: schemaId) != nil { return }   // known already: the common case
        guard let type = builder.binaryType else { return }
        if var existing = types[type.typeId] {
            if existing.mergeConflict(with: type) == nil {
                existing.merge(type)
                types[type.typeId] = existing
            }
        } else {
            types[type.typeId] = type
        }
        typeNames[BinaryTypeRules.nameKey(0, type.typeId)] = type.typeName
    }
}

/// The cluster's binary types as a schema resolver.
struct TypeTable: BinarySchemaResolver {
    var types: [Int32: BinaryType]
    func schema(typeId: Int32, schemaId: Int32) -> [Int32]? { types[typeId]?.schema(id: schemaId) }
    func binaryType(typeId: Int32) -> BinaryType? { types[typeId] }
}
