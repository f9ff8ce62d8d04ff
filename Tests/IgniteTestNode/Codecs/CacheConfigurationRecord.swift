import IgniteProtocol

/// A cache's configuration as the node stores it: IgniteProtocol's ``CacheConfiguration`` with the server's defaults
/// filled in, the identity aliases the server adds to query entities, and the cluster's partition count.
struct CacheConfigurationRecord: Sendable {
    private(set) var configuration: CacheConfiguration
    /// The configuration OP_CACHE_GET_CONFIGURATION answers with: the one the cache started with. A real server does
    /// not add indexes of CREATE INDEX or columns of ALTER TABLE to it (`IgniteCache.getConfiguration`; observed on
    /// GridGain 8.10); ``configuration`` carries them for the node's SQL schema.
    private(set) var startConfiguration: CacheConfiguration

    /// A configuration created by name only (OP_CACHE_CREATE_WITH_NAME).
    init(name: String, isGridGain: Bool, backups: Int32 = 0, partitions: Int) {
        var requested = CacheConfiguration(name: name)
        requested.backups = backups
        self.init(requested: requested, isGridGain: isGridGain, partitions: partitions)
    }

    /// A configuration as the server completes a requested one.
    init(requested: CacheConfiguration, isGridGain: Bool, partitions: Int) {
        var defaults = CacheConfiguration.serverDefaults(name: nil)
        defaults.readFromBackup = !isGridGain   // GridGain's default is false, Apache's true (SERVER-BEHAVIOUR §7)
        defaults.affinity = RendezvousAffinityConfiguration(partitions: Int32(clamping: partitions))
        var complete = requested.merged(over: defaults)
        if let entities = complete.queryEntities {
            let escape = complete.sqlEscapeAll ?? false
            complete.queryEntities = entities.map { CacheConfigurationRecord.normalized($0, escape: escape) }
        }
        configuration = complete
        startConfiguration = complete
    }

    /// A query entity as the server stores it: `QueryUtils.normalizeQueryEntity` (gridgain/gridgain,
    /// modules/core/.../processors/query/QueryUtils.java). Every field gets an alias (the user's, else the field
    /// name after its last `.`); without `sqlEscapeAll` the table name, the aliases and the index names are upper-cased
    /// (observed on GridGain 8.10: alias `full_name` → `FULL_NAME`, field `id` → alias `ID`, table `person_t` →
    /// `PERSON_T`, an unnamed index on `name` → `PERSON_T_NAME_ASC_IDX`), and aliases of names that are not fields
    /// are dropped; with it they are kept as written (the captured `cache-config` reply: `id` → `id`).
    static func normalized(_ entity: QueryEntity, escape: Bool) -> QueryEntity {
        var normal = entity
        func aliasForFieldName(_ name: String) -> String {
            name.lastIndex(of: ".").map { String(name[name.index(after: $0)...]) } ?? name
        }
        func normalizeObjectName(_ name: String, replace: Bool) -> String {
            (replace ? name.replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "$", with: "_") : name).uppercased()
        }
        var table = entity.tableName ?? entity.valueType.map(typeName) ?? ""
        if !escape { table = normalizeObjectName(table, replace: entity.tableName == nil) }
        if entity.tableName != nil || entity.valueType != nil { normal.tableName = table }
        // The user's aliases first (in their order), then the added ones in field order.
        var aliases: [QueryFieldAlias] = []
        for alias in entity.aliases where escape || entity.fields.contains(where: { $0.name == alias.fieldName }) {
            guard !aliases.contains(where: { $0.fieldName == alias.fieldName }) else { continue }
            let isField = entity.fields.contains { $0.name == alias.fieldName }
            aliases.append(QueryFieldAlias(fieldName: alias.fieldName,
                                           alias: escape || !isField ? alias.alias : normalizeObjectName(alias.alias, replace: false)))
        }
        for field in entity.fields where !aliases.contains(where: { $0.fieldName == field.name }) {
            let alias = aliasForFieldName(field.name)
            aliases.append(QueryFieldAlias(fieldName: field.name, alias: escape ? alias : normalizeObjectName(alias, replace: false)))
        }
        normal.aliases = aliases
        normal.indexes = entity.indexes.map { index in
            var index = index
            let name = index.name ?? generatedIndexName(table: table, index)
            index.name = escape ? name : normalizeObjectName(name, replace: false)
            return index
        }
        return normal
    }

    /// `QueryUtils.indexName`: `<table>_<field>_<asc|desc>_…idx`, lower-cased, blanks as `_`.
    private static func generatedIndexName(table: String, _ index: QueryIndex) -> String {
        var name = table + "_"
        for field in index.fields { name += field.name + "_" + (field.descending ? "desc_" : "asc_") }
        return String(name.map { $0.isWhitespace ? "_" : Character($0.lowercased()) }) + "idx"
    }

    /// `QueryUtils.typeName`: a class name without its package, generic suffix or enclosing class.
    private static func typeName(_ className: String) -> String {
        var name = className
        if let tick = name.firstIndex(of: "`") { name = String(name[..<tick]) }
        if let dot = name.lastIndex(of: "."), name.index(after: dot) < name.endIndex { name = String(name[name.index(after: dot)...]) }
        if name.hasSuffix("[]") { name = String(name.dropLast(2)) + "_array" }
        if let dollar = name.lastIndex(of: "$") { name = String(name[name.index(after: dollar)...]) }
        if let plus = name.lastIndex(of: "+") { name = String(name[name.index(after: plus)...]) }
        return name
    }

    /// Replaces the query entities (CREATE/DROP INDEX change an entity's indexes).
    mutating func replaceQueryEntities(_ entities: [QueryEntity]) {
        configuration.queryEntities = entities
    }

    /// Decodes the body of OP_CACHE_CREATE/GET_OR_CREATE_WITH_CONFIGURATION.
    static func decodeProperties(from reader: inout BinaryReader, context: ProtocolContext, isGridGain: Bool,
                                 partitions: Int) throws -> CacheConfigurationRecord {
        let requested = try CacheConfiguration.decodeProperties(from: &reader, context: context)
        return CacheConfigurationRecord(requested: requested, isGridGain: isGridGain, partitions: partitions)
    }

    /// Writes the OP_CACHE_GET_CONFIGURATION body for the connection's version and features.
    func encodeRecord(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try startConfiguration.encodeRecord(into: &writer, context: context)
    }

    var name: String { configuration.name ?? "" }
    var cacheMode: Int32 { configuration.cacheMode?.rawValue ?? 2 }
    var backups: Int32 { configuration.backups ?? 0 }
    var groupName: String? { configuration.groupName }
    var dataRegionName: String? { configuration.dataRegionName }
    var expiryPolicy: ExpiryPolicy? { configuration.expiryPolicy }
    var queryEntities: [QueryEntity] { configuration.queryEntities ?? [] }
    var keyConfigurations: [CacheKeyConfiguration] { configuration.keyConfigurations ?? [] }
    var affinityPartitions: Int32? { configuration.affinity?.partitions }
    /// Whether the cache is PARTITIONED, the only mode partition awareness applies to.
    var isPartitioned: Bool { cacheMode == 2 }
    /// Whether the cache is TRANSACTIONAL.
    var isTransactional: Bool { configuration.atomicityMode?.rawValue == 0 }
}
