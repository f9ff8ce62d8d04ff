import IgniteProtocol

// Interim server-direction codec for cache configurations (property-list decode for 1053/1054, fixed-order
// record encode for 1055). To be replaced by IgniteProtocol's `CacheConfiguration` codec once it is in main.

/// One query field of a query entity.
struct QueryFieldRecord: Hashable, Sendable {
    var name: String?
    var typeName: String?
    var isKeyField = false
    var notNull = false
    var defaultValue: IgniteValue = .null
    var precision: Int32 = -1
    var scale: Int32 = -1
}

/// One index of a query entity.
struct QueryIndexRecord: Hashable, Sendable {
    var name: String?
    var indexType: Int8 = 0
    var inlineSize: Int32 = -1
    var fields: [(name: String?, descending: Bool)] = []

    static func == (a: QueryIndexRecord, b: QueryIndexRecord) -> Bool {
        a.name == b.name && a.indexType == b.indexType && a.inlineSize == b.inlineSize
            && a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.name == $1.name && $0.descending == $1.descending }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(name) }
}

/// A query entity as the server stores it.
struct QueryEntityRecord: Hashable, Sendable {
    var keyType: String?
    var valueType: String?
    var tableName: String?
    var keyFieldName: String?
    var valueFieldName: String?
    var fields: [QueryFieldRecord] = []
    var aliases: [(field: String?, alias: String?)] = []
    var indexes: [QueryIndexRecord] = []

    static func == (a: QueryEntityRecord, b: QueryEntityRecord) -> Bool {
        a.keyType == b.keyType && a.valueType == b.valueType && a.tableName == b.tableName && a.keyFieldName == b.keyFieldName
            && a.valueFieldName == b.valueFieldName && a.fields == b.fields && a.indexes == b.indexes
            && a.aliases.count == b.aliases.count && zip(a.aliases, b.aliases).allSatisfy { $0.field == $1.field && $0.alias == $1.alias }
    }

    func hash(into hasher: inout Hasher) { hasher.combine(valueType) }

    /// Adds the identity aliases the server adds for every field that has no alias (SERVER-BEHAVIOUR §7).
    mutating func addIdentityAliases() {
        for field in fields {
            guard let name = field.name, !aliases.contains(where: { $0.field == name }) else { continue }
            aliases.append((name, name))
        }
    }
}

/// The expiry policy block: create, update, access in ms (-2 unchanged, -1 eternal, 0 zero).
struct ExpiryPolicyRecord: Hashable, Sendable {
    var create: Int64
    var update: Int64
    var access: Int64
}

/// A cache configuration with the server's defaults (SERVER-BEHAVIOUR §7).
struct CacheConfigurationRecord: Sendable {
    var name: String = ""
    var atomicityMode: Int32 = 1
    var backups: Int32 = 0
    var cacheMode: Int32 = 2
    var copyOnRead = true
    var dataRegionName: String?
    var eagerTtl = true
    var statisticsEnabled = false
    var groupName: String?
    var defaultLockTimeout: Int64 = 0
    var maxConcurrentAsyncOperations: Int32 = 500
    var maxQueryIteratorsCount: Int32 = 1024
    var onheapCacheEnabled = false
    var partitionLossPolicy: Int32 = 4
    var queryDetailMetricsSize: Int32 = 0
    var queryParallelism: Int32 = 1
    var readFromBackup = false
    var rebalanceBatchSize: Int32 = 524_288
    var rebalanceBatchesPrefetchCount: Int64 = 2
    var rebalanceDelay: Int64 = 0
    var rebalanceMode: Int32 = 1
    var rebalanceOrder: Int32 = 0
    var rebalanceThrottle: Int64 = 0
    var rebalanceTimeout: Int64 = 10_000
    var sqlEscapeAll = false
    var sqlIndexMaxInlineSize: Int32 = -1
    var sqlSchema: String?
    var writeSynchronizationMode: Int32 = 2
    var keyConfigurations: [(typeName: String?, affinityKeyFieldName: String?)] = []
    var queryEntities: [QueryEntityRecord] = []
    var expiryPolicy: ExpiryPolicyRecord?
    /// Rendezvous partition count (GG property 408), `nil` for the cluster default.
    var affinityPartitions: Int32?
    var excludeNeighbors = false

    /// Whether the cache is PARTITIONED, the only mode partition awareness applies to.
    var isPartitioned: Bool { cacheMode == 2 }
    /// Whether the cache is TRANSACTIONAL.
    var isTransactional: Bool { atomicityMode == 0 }

    init(name: String, isGridGain: Bool, readFromBackupDefault: Bool? = nil, backups: Int32 = 0) {
        self.name = name
        self.readFromBackup = readFromBackupDefault ?? !isGridGain
        self.backups = backups
    }

    /// Decodes the body of OP_CACHE_CREATE/GET_OR_CREATE_WITH_CONFIGURATION: `i32 length, i16 count, (i16 code, value)…`.
    /// - Throws: ``IgniteError/Code/parse`` for a malformed or unknown property (the server cannot skip it either).
    static func decodeProperties(from reader: inout BinaryReader, context: ProtocolContext, isGridGain: Bool) throws -> CacheConfigurationRecord {
        _ = try reader.readInt32()
        let count = try reader.readInt16()
        guard count >= 0 else { throw IgniteError.parse("negative property count \(count)") }
        var config = CacheConfigurationRecord(name: "", isGridGain: isGridGain)
        var named = false
        for _ in 0..<count {
            let code = try reader.readInt16()
            switch code {
            case 0:
                let name = try reader.readOptionalStringObject()
                config.name = name ?? ""
                named = name != nil
            case 1: config.cacheMode = try reader.readInt32()
            case 2: config.atomicityMode = try reader.readInt32()
            case 3: config.backups = try reader.readInt32()
            case 4: config.writeSynchronizationMode = try reader.readInt32()
            case 5: config.copyOnRead = try reader.readBool()
            case 6: config.readFromBackup = try reader.readBool()
            case 100: config.dataRegionName = try reader.readOptionalStringObject()
            case 101: config.onheapCacheEnabled = try reader.readBool()
            case 200:
                let n = try reader.checkCount(try reader.readInt32(), elementSize: 1)
                config.queryEntities = try (0..<n).map { _ in try readQueryEntity(&reader, context: context) }
            case 201: config.queryParallelism = try reader.readInt32()
            case 202: config.queryDetailMetricsSize = try reader.readInt32()
            case 203: config.sqlSchema = try reader.readOptionalStringObject()
            case 204: config.sqlIndexMaxInlineSize = try reader.readInt32()
            case 205: config.sqlEscapeAll = try reader.readBool()
            case 206: config.maxQueryIteratorsCount = try reader.readInt32()
            case 300: config.rebalanceMode = try reader.readInt32()
            case 301: config.rebalanceDelay = try reader.readInt64()
            case 302: config.rebalanceTimeout = try reader.readInt64()
            case 303: config.rebalanceBatchSize = try reader.readInt32()
            case 304: config.rebalanceBatchesPrefetchCount = try reader.readInt64()
            case 305: config.rebalanceOrder = try reader.readInt32()
            case 306: config.rebalanceThrottle = try reader.readInt64()
            case 400: config.groupName = try reader.readOptionalStringObject()
            case 401:
                let n = try reader.checkCount(try reader.readInt32(), elementSize: 2)
                config.keyConfigurations = try (0..<n).map { _ in (try reader.readOptionalStringObject(), try reader.readOptionalStringObject()) }
            case 402: config.defaultLockTimeout = try reader.readInt64()
            case 403: config.maxConcurrentAsyncOperations = try reader.readInt32()
            case 404: config.partitionLossPolicy = try reader.readInt32()
            case 405: config.eagerTtl = try reader.readBool()
            case 406: config.statisticsEnabled = try reader.readBool()
            case 407: config.expiryPolicy = try readExpiry(&reader)
            case 408 where isGridGain:
                config.affinityPartitions = try reader.readInt32()
                config.excludeNeighbors = try reader.readBool()
            default:
                throw IgniteError.parse("unknown cache configuration property \(code)")
            }
        }
        if !named { config.name = "" }
        for index in config.queryEntities.indices { config.queryEntities[index].addIdentityAliases() }
        return config
    }

    /// Writes the OP_CACHE_GET_CONFIGURATION body: `i32 length` and the fixed-order record for this version.
    func encodeRecord(into writer: inout BinaryWriter, context: ProtocolContext, isGridGain: Bool, defaultPartitions: Int) {
        let lengthAt = writer.reserveBytes(4)
        writer.writeInt32(atomicityMode)
        writer.writeInt32(backups)
        writer.writeInt32(cacheMode)
        writer.writeBool(copyOnRead)
        writer.writeOptionalStringObject(dataRegionName)
        writer.writeBool(eagerTtl)
        writer.writeBool(statisticsEnabled)
        writer.writeOptionalStringObject(groupName)
        writer.writeInt64(defaultLockTimeout)
        writer.writeInt32(maxConcurrentAsyncOperations)
        writer.writeInt32(maxQueryIteratorsCount)
        writer.writeOptionalStringObject(name)
        writer.writeBool(onheapCacheEnabled)
        writer.writeInt32(partitionLossPolicy)
        writer.writeInt32(queryDetailMetricsSize)
        writer.writeInt32(queryParallelism)
        writer.writeBool(readFromBackup)
        writer.writeInt32(rebalanceBatchSize)
        writer.writeInt64(rebalanceBatchesPrefetchCount)
        writer.writeInt64(rebalanceDelay)
        writer.writeInt32(rebalanceMode)
        writer.writeInt32(rebalanceOrder)
        writer.writeInt64(rebalanceThrottle)
        writer.writeInt64(rebalanceTimeout)
        writer.writeBool(sqlEscapeAll)
        writer.writeInt32(sqlIndexMaxInlineSize)
        writer.writeOptionalStringObject(sqlSchema)
        writer.writeInt32(writeSynchronizationMode)
        writer.writeInt32(Int32(truncatingIfNeeded: keyConfigurations.count))
        for key in keyConfigurations {
            writer.writeOptionalStringObject(key.typeName)
            writer.writeOptionalStringObject(key.affinityKeyFieldName)
        }
        writer.writeInt32(Int32(truncatingIfNeeded: queryEntities.count))
        for entity in queryEntities { CacheConfigurationRecord.writeQueryEntity(entity, into: &writer, context: context) }
        if context.supportsExpiryPolicy {
            if let expiryPolicy {
                writer.writeBool(true)
                writer.writeInt64(expiryPolicy.create)
                writer.writeInt64(expiryPolicy.update)
                writer.writeInt64(expiryPolicy.access)
            } else {
                writer.writeBool(false)
            }
        }
        if isGridGain, context.has(FeatureBit(17)) {
            writer.writeBool(true)
            writer.writeInt32(affinityPartitions ?? Int32(clamping: defaultPartitions))
            writer.writeBool(excludeNeighbors)
        }
        writer.setInt32(Int32(truncatingIfNeeded: writer.count - lengthAt - 4), at: lengthAt)
    }

    private static func readExpiry(_ reader: inout BinaryReader) throws -> ExpiryPolicyRecord? {
        guard try reader.readBool() else { return nil }
        return ExpiryPolicyRecord(create: try reader.readInt64(), update: try reader.readInt64(), access: try reader.readInt64())
    }

    private static func readQueryEntity(_ reader: inout BinaryReader, context: ProtocolContext) throws -> QueryEntityRecord {
        var entity = QueryEntityRecord()
        entity.keyType = try reader.readOptionalStringObject()
        entity.valueType = try reader.readOptionalStringObject()
        entity.tableName = try reader.readOptionalStringObject()
        entity.keyFieldName = try reader.readOptionalStringObject()
        entity.valueFieldName = try reader.readOptionalStringObject()
        let fieldCount = try reader.checkCount(try reader.readInt32(), elementSize: 4)
        for _ in 0..<fieldCount {
            var field = QueryFieldRecord()
            field.name = try reader.readOptionalStringObject()
            field.typeName = try reader.readOptionalStringObject()
            field.isKeyField = try reader.readBool()
            field.notNull = try reader.readBool()
            field.defaultValue = try reader.readValue()
            if context.supportsQueryEntityPrecisionAndScale {
                field.precision = try reader.readInt32()
                field.scale = try reader.readInt32()
            }
            entity.fields.append(field)
        }
        let aliasCount = try reader.checkCount(try reader.readInt32(), elementSize: 2)
        entity.aliases = try (0..<aliasCount).map { _ in (try reader.readOptionalStringObject(), try reader.readOptionalStringObject()) }
        let indexCount = try reader.checkCount(try reader.readInt32(), elementSize: 4)
        for _ in 0..<indexCount {
            var index = QueryIndexRecord()
            index.name = try reader.readOptionalStringObject()
            index.indexType = try reader.readInt8()
            index.inlineSize = try reader.readInt32()
            let n = try reader.checkCount(try reader.readInt32(), elementSize: 2)
            index.fields = try (0..<n).map { _ in (try reader.readOptionalStringObject(), try reader.readBool()) }
            entity.indexes.append(index)
        }
        return entity
    }

    private static func writeQueryEntity(_ entity: QueryEntityRecord, into writer: inout BinaryWriter, context: ProtocolContext) {
        writer.writeOptionalStringObject(entity.keyType)
        writer.writeOptionalStringObject(entity.valueType)
        writer.writeOptionalStringObject(entity.tableName)
        writer.writeOptionalStringObject(entity.keyFieldName)
        writer.writeOptionalStringObject(entity.valueFieldName)
        writer.writeInt32(Int32(truncatingIfNeeded: entity.fields.count))
        for field in entity.fields {
            writer.writeOptionalStringObject(field.name)
            writer.writeOptionalStringObject(field.typeName)
            writer.writeBool(field.isKeyField)
            writer.writeBool(field.notNull)
            ServerValueWriter.write(field.defaultValue, into: &writer)
            if context.supportsQueryEntityPrecisionAndScale {
                writer.writeInt32(field.precision)
                writer.writeInt32(field.scale)
            }
        }
        writer.writeInt32(Int32(truncatingIfNeeded: entity.aliases.count))
        for alias in entity.aliases {
            writer.writeOptionalStringObject(alias.field)
            writer.writeOptionalStringObject(alias.alias)
        }
        writer.writeInt32(Int32(truncatingIfNeeded: entity.indexes.count))
        for index in entity.indexes {
            writer.writeOptionalStringObject(index.name)
            writer.writeInt8(index.indexType)
            writer.writeInt32(index.inlineSize)
            writer.writeInt32(Int32(truncatingIfNeeded: index.fields.count))
            for field in index.fields {
                writer.writeOptionalStringObject(field.name)
                writer.writeBool(field.descending)
            }
        }
    }
}
