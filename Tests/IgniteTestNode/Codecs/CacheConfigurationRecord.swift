import IgniteProtocol

/// A cache's configuration as the node stores it: IgniteProtocol's ``CacheConfiguration`` with the server's defaults
/// filled in, the identity aliases the server adds to query entities, and the cluster's partition count.
struct CacheConfigurationRecord: Sendable {
    private(set) var configuration: CacheConfiguration

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
        if var entities = complete.queryEntities {
            for index in entities.indices {
                for field in entities[index].fields where !entities[index].aliases.contains(where: { $0.fieldName == field.name }) {
                    entities[index].aliases.append(QueryFieldAlias(fieldName: field.name, alias: field.name))
                }
            }
            complete.queryEntities = entities
        }
        configuration = complete
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
        try configuration.encodeRecord(into: &writer, context: context)
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
