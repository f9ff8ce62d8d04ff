/// A SQL table over a cache: key and value types, fields, aliases and indexes.
///
/// Wire layout: `String keyType, String valueType, String tableName, String keyFieldName, String valueFieldName,
/// i32 n, field × n, i32 n, (String field, String alias) × n, i32 n, index × n`.
public struct QueryEntity: Hashable, Sendable {
    /// The key type name, for example `java.lang.Long`.
    public var keyType: String?
    /// The value type name, for example the binary type name of the value objects.
    public var valueType: String?
    /// The table name (defaults to the value type's simple name on the server).
    public var tableName: String?
    /// The name of the field that holds the whole key, if the key is a primitive.
    public var keyFieldName: String?
    /// The name of the field that holds the whole value, if the value is a primitive.
    public var valueFieldName: String?
    /// The fields (columns).
    public var fields: [QueryField]
    /// Aliases: column names for fields. The server adds identity aliases for every field.
    public var aliases: [QueryFieldAlias]
    /// The indexes.
    public var indexes: [QueryIndex]

    /// Creates a query entity.
    public init(keyType: String? = nil, valueType: String? = nil, tableName: String? = nil, keyFieldName: String? = nil,
                valueFieldName: String? = nil, fields: [QueryField] = [], aliases: [QueryFieldAlias] = [], indexes: [QueryIndex] = []) {
        self.keyType = keyType
        self.valueType = valueType
        self.tableName = tableName
        self.keyFieldName = keyFieldName
        self.valueFieldName = valueFieldName
        self.fields = fields
        self.aliases = aliases
        self.indexes = indexes
    }
}

/// One field (column) of a ``QueryEntity``.
///
/// Wire layout: `String name, String typeName, bool isKeyField, bool notNull, Obj defaultValue,
/// [≥ 1.2.0: i32 precision, i32 scale]` (−1 = not set).
public struct QueryField: Hashable, Sendable {
    /// The field name.
    public var name: String
    /// The Java type name, for example `java.lang.String`.
    public var typeName: String
    /// Whether the field belongs to the key.
    public var isKeyField: Bool
    /// Whether the column is NOT NULL.
    public var isNotNull: Bool
    /// The default value (``IgniteValue/null`` for none).
    public var defaultValue: IgniteValue
    /// The precision, for example the length of a VARCHAR (≥ 1.2.0).
    public var precision: Int32?
    /// The scale of a DECIMAL (≥ 1.2.0).
    public var scale: Int32?

    /// Creates a field.
    public init(name: String, typeName: String, isKeyField: Bool = false, isNotNull: Bool = false,
                defaultValue: IgniteValue = .null, precision: Int32? = nil, scale: Int32? = nil) {
        self.name = name
        self.typeName = typeName
        self.isKeyField = isKeyField
        self.isNotNull = isNotNull
        self.defaultValue = defaultValue
        self.precision = precision
        self.scale = scale
    }
}

/// A column name given to a field of a ``QueryEntity``.
public struct QueryFieldAlias: Hashable, Sendable {
    /// The full field name.
    public var fieldName: String
    /// The column name.
    public var alias: String

    /// Creates an alias.
    public init(fieldName: String, alias: String) {
        self.fieldName = fieldName
        self.alias = alias
    }
}

/// An index of a ``QueryEntity``.
///
/// Wire layout: `String name, i8 type, i32 inlineSize, i32 n, (String field, bool descending) × n`.
public struct QueryIndex: Hashable, Sendable {
    /// One indexed field.
    public struct Field: Hashable, Sendable {
        /// The field name.
        public var name: String
        /// Whether the field is sorted in descending order.
        public var descending: Bool

        /// Creates an indexed field.
        public init(name: String, descending: Bool = false) {
            self.name = name
            self.descending = descending
        }
    }

    /// The index name (the server generates one if `nil`).
    public var name: String?
    /// The index type.
    public var type: QueryIndexType
    /// The inline size (−1: the server default).
    public var inlineSize: Int32
    /// The indexed fields, in order.
    public var fields: [Field]

    /// Creates an index.
    public init(name: String? = nil, type: QueryIndexType = .sorted, inlineSize: Int32 = -1, fields: [Field]) {
        self.name = name
        self.type = type
        self.inlineSize = inlineSize
        self.fields = fields
    }
}

/// The affinity key field of a key type: keys with equal affinity fields land in the same partition.
public struct CacheKeyConfiguration: Hashable, Sendable {
    /// The key type name.
    public var typeName: String
    /// The name of the affinity key field.
    public var affinityKeyFieldName: String

    /// Creates a key configuration.
    public init(typeName: String, affinityKeyFieldName: String) {
        self.typeName = typeName
        self.affinityKeyFieldName = affinityKeyFieldName
    }
}

/// The affinity function of a cache, as GridGain reports it with feature bit 17 (property 408):
/// a rendezvous function with a number of partitions.
public struct RendezvousAffinityConfiguration: Hashable, Sendable {
    /// The number of partitions.
    public var partitions: Int32
    /// Whether primary and backup copies avoid nodes on the same host.
    public var excludeNeighbors: Bool

    /// Creates an affinity configuration.
    public init(partitions: Int32 = 1024, excludeNeighbors: Bool = false) {
        self.partitions = partitions
        self.excludeNeighbors = excludeNeighbors
    }
}

// MARK: - Wire codec (both directions share it)

extension QueryEntity {
    func encode(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeOptionalStringObject(keyType)
        writer.writeOptionalStringObject(valueType)
        writer.writeOptionalStringObject(tableName)
        writer.writeOptionalStringObject(keyFieldName)
        writer.writeOptionalStringObject(valueFieldName)
        try writer.writeCount(fields.count, of: "query fields")
        for field in fields {
            writer.writeStringObject(field.name)
            writer.writeStringObject(field.typeName)
            writer.writeBool(field.isKeyField)
            writer.writeBool(field.isNotNull)
            writer.writeValue(field.defaultValue)
            if context.supportsQueryEntityPrecisionAndScale {
                writer.writeInt32(field.precision ?? -1)
                writer.writeInt32(field.scale ?? -1)
            } else if field.precision != nil || field.scale != nil {
                throw IgniteError.notSupported("query field precision and scale", needs: "protocol 1.2.0", context: context)
            }
        }
        try writer.writeCount(aliases.count, of: "aliases")
        for alias in aliases {
            writer.writeStringObject(alias.fieldName)
            writer.writeStringObject(alias.alias)
        }
        try writer.writeCount(indexes.count, of: "indexes")
        for index in indexes {
            writer.writeOptionalStringObject(index.name)
            writer.writeInt8(index.type.rawValue)
            writer.writeInt32(index.inlineSize)
            try writer.writeCount(index.fields.count, of: "index fields")
            for field in index.fields {
                writer.writeStringObject(field.name)
                writer.writeBool(field.descending)
            }
        }
    }

    static func decode(from reader: inout BinaryReader, context: ProtocolContext) throws -> QueryEntity {
        var entity = QueryEntity()
        entity.keyType = try reader.readOptionalStringObject()
        entity.valueType = try reader.readOptionalStringObject()
        entity.tableName = try reader.readOptionalStringObject()
        entity.keyFieldName = try reader.readOptionalStringObject()
        entity.valueFieldName = try reader.readOptionalStringObject()
        let fieldCount = try reader.readCount(elementSize: 12)
        entity.fields.reserveCapacity(fieldCount)
        for _ in 0..<fieldCount {
            let name = try reader.readStringObject()
            var field = QueryField(name: name, typeName: try reader.readStringObject())
            field.isKeyField = try reader.readBool()
            field.isNotNull = try reader.readBool()
            field.defaultValue = try reader.readValue()
            if context.supportsQueryEntityPrecisionAndScale {
                let precision = try reader.readInt32()
                let scale = try reader.readInt32()
                field.precision = precision == -1 ? nil : precision
                field.scale = scale == -1 ? nil : scale
            }
            entity.fields.append(field)
        }
        let aliasCount = try reader.readCount(elementSize: 2)
        entity.aliases.reserveCapacity(aliasCount)
        for _ in 0..<aliasCount {
            let fieldName = try reader.readStringObject()
            entity.aliases.append(QueryFieldAlias(fieldName: fieldName, alias: try reader.readStringObject()))
        }
        let indexCount = try reader.readCount(elementSize: 10)
        entity.indexes.reserveCapacity(indexCount)
        for _ in 0..<indexCount {
            let name = try reader.readOptionalStringObject()
            let type = QueryIndexType(rawValue: try reader.readInt8())
            let inlineSize = try reader.readInt32()
            let count = try reader.readCount(elementSize: 2)
            var fields: [QueryIndex.Field] = []
            fields.reserveCapacity(count)
            for _ in 0..<count {
                let fieldName = try reader.readStringObject()
                fields.append(QueryIndex.Field(name: fieldName, descending: try reader.readBool()))
            }
            entity.indexes.append(QueryIndex(name: name, type: type, inlineSize: inlineSize, fields: fields))
        }
        return entity
    }
}

extension BinaryWriter {
    mutating func writeQueryEntities(_ entities: [QueryEntity], context: ProtocolContext) throws {
        try writeCount(entities.count, of: "query entities")
        for entity in entities { try entity.encode(into: &self, context: context) }
    }

    mutating func writeKeyConfigurations(_ configurations: [CacheKeyConfiguration]) throws {
        try writeCount(configurations.count, of: "key configurations")
        for configuration in configurations {
            writeStringObject(configuration.typeName)
            writeStringObject(configuration.affinityKeyFieldName)
        }
    }
}

extension BinaryReader {
    mutating func readQueryEntities(context: ProtocolContext) throws -> [QueryEntity] {
        let count = try readCount(elementSize: 17)
        var entities: [QueryEntity] = []
        entities.reserveCapacity(count)
        for _ in 0..<count { entities.append(try QueryEntity.decode(from: &self, context: context)) }
        return entities
    }

    mutating func readKeyConfigurations() throws -> [CacheKeyConfiguration] {
        let count = try readCount(elementSize: 2)
        var configurations: [CacheKeyConfiguration] = []
        configurations.reserveCapacity(count)
        for _ in 0..<count {
            let typeName = try readStringObject()
            configurations.append(CacheKeyConfiguration(typeName: typeName, affinityKeyFieldName: try readStringObject()))
        }
        return configurations
    }
}
