/// The configuration of a cache, as sent by OP_CACHE_CREATE_WITH_CONFIGURATION (1053) and
/// OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION (1054) and returned by OP_CACHE_GET_CONFIGURATION (1055).
///
/// Every property is optional: a create request sends only the properties that are set, and the server applies
/// its defaults to the rest. A configuration read from the server has every property its protocol version reports.
/// Durations are in milliseconds.
public struct CacheConfiguration: Hashable, Sendable {
    /// Property 0: the cache name (required to create a cache).
    public var name: String?
    /// Property 1: how the cache is distributed.
    public var cacheMode: CacheMode?
    /// Property 2: whether the cache supports transactions.
    public var atomicityMode: CacheAtomicityMode?
    /// Property 3: the number of backup copies.
    public var backups: Int32?
    /// Property 4: when writes are acknowledged.
    public var writeSynchronizationMode: CacheWriteSynchronizationMode?
    /// Property 5: whether reads return copies of on-heap values.
    public var copyOnRead: Bool?
    /// Property 6: whether reads may be served by backup copies.
    public var readFromBackup: Bool?
    /// Property 100: the data region.
    public var dataRegionName: String?
    /// Property 101: whether the on-heap cache is enabled.
    public var onheapCacheEnabled: Bool?
    /// Property 200: SQL tables over the cache.
    public var queryEntities: [QueryEntity]?
    /// Property 201: the SQL query parallelism.
    public var queryParallelism: Int32?
    /// Property 202: how many query detail metrics are kept.
    public var queryDetailMetricsSize: Int32?
    /// Property 203: the SQL schema.
    public var sqlSchema: String?
    /// Property 204: the maximum inline size of SQL indexes.
    public var sqlIndexMaxInlineSize: Int32?
    /// Property 205: whether SQL identifiers are quoted.
    public var sqlEscapeAll: Bool?
    /// Property 206: the maximum number of query iterators.
    public var maxQueryIteratorsCount: Int32?
    /// Property 300: how the cache rebalances.
    public var rebalanceMode: CacheRebalanceMode?
    /// Property 301: the rebalance delay, ms.
    public var rebalanceDelay: Int64?
    /// Property 302: the rebalance timeout, ms.
    public var rebalanceTimeout: Int64?
    /// Property 303: the rebalance batch size, bytes.
    public var rebalanceBatchSize: Int32?
    /// Property 304: how many rebalance batches are prefetched.
    public var rebalanceBatchesPrefetchCount: Int64?
    /// Property 305: the rebalance order.
    public var rebalanceOrder: Int32?
    /// Property 306: the pause between rebalance batches, ms.
    public var rebalanceThrottle: Int64?
    /// Property 400: the cache group.
    public var groupName: String?
    /// Property 401: affinity key fields of key types.
    public var keyConfigurations: [CacheKeyConfiguration]?
    /// Property 402: the default lock timeout, ms.
    public var defaultLockTimeout: Int64?
    /// Property 403: the maximum number of concurrent asynchronous operations.
    public var maxConcurrentAsyncOperations: Int32?
    /// Property 404: what happens when partitions are lost.
    public var partitionLossPolicy: PartitionLossPolicy?
    /// Property 405: whether expired entries are removed eagerly.
    public var eagerTtl: Bool?
    /// Property 406: whether statistics are collected.
    public var statisticsEnabled: Bool?
    /// Property 407 (≥ 1.6.0): the cache's expiry policy.
    public var expiryPolicy: ExpiryPolicy?
    /// Property 408 (GridGain, feature bit 17): the rendezvous affinity function. `nil` in a configuration read
    /// from the server when the bit was not negotiated or the cache uses another affinity function.
    public var affinity: RendezvousAffinityConfiguration?

    /// Creates a configuration with only a name (or nothing) set.
    public init(name: String? = nil) { self.name = name }

    /// The property codes of OP_CACHE_CREATE_WITH_CONFIGURATION (i16).
    public enum Property: Int16, Hashable, Sendable, CaseIterable {
        /// The code of ``CacheConfiguration/name``.
        case name = 0
        /// The code of ``CacheConfiguration/cacheMode``.
        case cacheMode = 1
        /// The code of ``CacheConfiguration/atomicityMode``.
        case atomicityMode = 2
        /// The code of ``CacheConfiguration/backups``.
        case backups = 3
        /// The code of ``CacheConfiguration/writeSynchronizationMode``.
        case writeSynchronizationMode = 4
        /// The code of ``CacheConfiguration/copyOnRead``.
        case copyOnRead = 5
        /// The code of ``CacheConfiguration/readFromBackup``.
        case readFromBackup = 6
        /// The code of ``CacheConfiguration/dataRegionName``.
        case dataRegionName = 100
        /// The code of ``CacheConfiguration/onheapCacheEnabled``.
        case onheapCacheEnabled = 101
        /// The code of ``CacheConfiguration/queryEntities``.
        case queryEntities = 200
        /// The code of ``CacheConfiguration/queryParallelism``.
        case queryParallelism = 201
        /// The code of ``CacheConfiguration/queryDetailMetricsSize``.
        case queryDetailMetricsSize = 202
        /// The code of ``CacheConfiguration/sqlSchema``.
        case sqlSchema = 203
        /// The code of ``CacheConfiguration/sqlIndexMaxInlineSize``.
        case sqlIndexMaxInlineSize = 204
        /// The code of ``CacheConfiguration/sqlEscapeAll``.
        case sqlEscapeAll = 205
        /// The code of ``CacheConfiguration/maxQueryIteratorsCount``.
        case maxQueryIteratorsCount = 206
        /// The code of ``CacheConfiguration/rebalanceMode``.
        case rebalanceMode = 300
        /// The code of ``CacheConfiguration/rebalanceDelay``.
        case rebalanceDelay = 301
        /// The code of ``CacheConfiguration/rebalanceTimeout``.
        case rebalanceTimeout = 302
        /// The code of ``CacheConfiguration/rebalanceBatchSize``.
        case rebalanceBatchSize = 303
        /// The code of ``CacheConfiguration/rebalanceBatchesPrefetchCount``.
        case rebalanceBatchesPrefetchCount = 304
        /// The code of ``CacheConfiguration/rebalanceOrder``.
        case rebalanceOrder = 305
        /// The code of ``CacheConfiguration/rebalanceThrottle``.
        case rebalanceThrottle = 306
        /// The code of ``CacheConfiguration/groupName``.
        case groupName = 400
        /// The code of ``CacheConfiguration/keyConfigurations``.
        case keyConfigurations = 401
        /// The code of ``CacheConfiguration/defaultLockTimeout``.
        case defaultLockTimeout = 402
        /// The code of ``CacheConfiguration/maxConcurrentAsyncOperations``.
        case maxConcurrentAsyncOperations = 403
        /// The code of ``CacheConfiguration/partitionLossPolicy``.
        case partitionLossPolicy = 404
        /// The code of ``CacheConfiguration/eagerTtl``.
        case eagerTtl = 405
        /// The code of ``CacheConfiguration/statisticsEnabled``.
        case statisticsEnabled = 406
        /// The code of ``CacheConfiguration/expiryPolicy`` (≥ 1.6.0).
        case expiryPolicy = 407
        /// The code of ``CacheConfiguration/affinity`` (GridGain only, feature bit 17).
        case affinity = 408
    }

    /// The defaults a GridGain 8 server reports for a cache created by name only (SERVER-BEHAVIOUR §7).
    /// Apache Ignite differs in ``readFromBackup`` (true there). Expiry and affinity stay `nil`.
    package static func serverDefaults(name: String?) -> CacheConfiguration {
        var c = CacheConfiguration(name: name)
        c.cacheMode = .partitioned
        c.atomicityMode = .atomic
        c.backups = 0
        c.writeSynchronizationMode = .primarySync
        c.copyOnRead = true
        c.readFromBackup = false
        c.onheapCacheEnabled = false
        c.queryEntities = []
        c.queryParallelism = 1
        c.queryDetailMetricsSize = 0
        c.sqlIndexMaxInlineSize = -1
        c.sqlEscapeAll = false
        c.maxQueryIteratorsCount = 1024
        c.rebalanceMode = .async
        c.rebalanceDelay = 0
        c.rebalanceTimeout = 10_000
        c.rebalanceBatchSize = 524_288
        c.rebalanceBatchesPrefetchCount = 2
        c.rebalanceOrder = 0
        c.rebalanceThrottle = 0
        c.keyConfigurations = []
        c.defaultLockTimeout = 0
        c.maxConcurrentAsyncOperations = 500
        c.partitionLossPolicy = .ignore
        c.eagerTtl = true
        c.statisticsEnabled = false
        return c
    }

    /// This configuration with every unset property taken from `defaults` (the server merges a create request so).
    package func merged(over defaults: CacheConfiguration) -> CacheConfiguration {
        var c = self
        c.name = name ?? defaults.name
        c.cacheMode = cacheMode ?? defaults.cacheMode
        c.atomicityMode = atomicityMode ?? defaults.atomicityMode
        c.backups = backups ?? defaults.backups
        c.writeSynchronizationMode = writeSynchronizationMode ?? defaults.writeSynchronizationMode
        c.copyOnRead = copyOnRead ?? defaults.copyOnRead
        c.readFromBackup = readFromBackup ?? defaults.readFromBackup
        c.dataRegionName = dataRegionName ?? defaults.dataRegionName
        c.onheapCacheEnabled = onheapCacheEnabled ?? defaults.onheapCacheEnabled
        c.queryEntities = queryEntities ?? defaults.queryEntities
        c.queryParallelism = queryParallelism ?? defaults.queryParallelism
        c.queryDetailMetricsSize = queryDetailMetricsSize ?? defaults.queryDetailMetricsSize
        c.sqlSchema = sqlSchema ?? defaults.sqlSchema
        c.sqlIndexMaxInlineSize = sqlIndexMaxInlineSize ?? defaults.sqlIndexMaxInlineSize
        c.sqlEscapeAll = sqlEscapeAll ?? defaults.sqlEscapeAll
        c.maxQueryIteratorsCount = maxQueryIteratorsCount ?? defaults.maxQueryIteratorsCount
        c.rebalanceMode = rebalanceMode ?? defaults.rebalanceMode
        c.rebalanceDelay = rebalanceDelay ?? defaults.rebalanceDelay
        c.rebalanceTimeout = rebalanceTimeout ?? defaults.rebalanceTimeout
        c.rebalanceBatchSize = rebalanceBatchSize ?? defaults.rebalanceBatchSize
        c.rebalanceBatchesPrefetchCount = rebalanceBatchesPrefetchCount ?? defaults.rebalanceBatchesPrefetchCount
        c.rebalanceOrder = rebalanceOrder ?? defaults.rebalanceOrder
        c.rebalanceThrottle = rebalanceThrottle ?? defaults.rebalanceThrottle
        c.groupName = groupName ?? defaults.groupName
        c.keyConfigurations = keyConfigurations ?? defaults.keyConfigurations
        c.defaultLockTimeout = defaultLockTimeout ?? defaults.defaultLockTimeout
        c.maxConcurrentAsyncOperations = maxConcurrentAsyncOperations ?? defaults.maxConcurrentAsyncOperations
        c.partitionLossPolicy = partitionLossPolicy ?? defaults.partitionLossPolicy
        c.eagerTtl = eagerTtl ?? defaults.eagerTtl
        c.statisticsEnabled = statisticsEnabled ?? defaults.statisticsEnabled
        c.expiryPolicy = expiryPolicy ?? defaults.expiryPolicy
        c.affinity = affinity ?? defaults.affinity
        return c
    }
}
