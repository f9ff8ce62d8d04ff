// Enumerations of cache configuration (Java enum ordinals; PROTOCOL-FACTS §10.3.3).
// They are extensible structs: a server may report values this client does not name (for example GridGain's
// TRANSACTIONAL_SNAPSHOT), and such a configuration must still decode.

/// How a cache is distributed (`CacheMode`, i32).
public struct CacheMode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: Int32
    /// Creates a mode from its wire value.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// LOCAL (0): removed in Apache Ignite 2.14.
    public static let local = CacheMode(rawValue: 0)
    /// REPLICATED (1): every node holds every entry.
    public static let replicated = CacheMode(rawValue: 1)
    /// PARTITIONED (2): entries are spread over partitions.
    public static let partitioned = CacheMode(rawValue: 2)
    /// A readable description, for logs and messages.
    public var description: String { ["LOCAL", "REPLICATED", "PARTITIONED"].element(rawValue) ?? "CacheMode(\(rawValue))" }
}

/// Whether a cache supports transactions (`CacheAtomicityMode`, i32).
public struct CacheAtomicityMode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: Int32
    /// Creates a mode from its wire value.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// TRANSACTIONAL (0).
    public static let transactional = CacheAtomicityMode(rawValue: 0)
    /// ATOMIC (1): the default.
    public static let atomic = CacheAtomicityMode(rawValue: 1)
    /// TRANSACTIONAL_SNAPSHOT (2): GridGain only (MVCC).
    public static let transactionalSnapshot = CacheAtomicityMode(rawValue: 2)
    /// A readable description, for logs and messages.
    public var description: String {
        ["TRANSACTIONAL", "ATOMIC", "TRANSACTIONAL_SNAPSHOT"].element(rawValue) ?? "CacheAtomicityMode(\(rawValue))"
    }
}

/// When a write is acknowledged (`CacheWriteSynchronizationMode`, i32).
public struct CacheWriteSynchronizationMode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: Int32
    /// Creates a mode from its wire value.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// FULL_SYNC (0): after all copies are written.
    public static let fullSync = CacheWriteSynchronizationMode(rawValue: 0)
    /// FULL_ASYNC (1): without waiting.
    public static let fullAsync = CacheWriteSynchronizationMode(rawValue: 1)
    /// PRIMARY_SYNC (2): after the primary copy is written (the default).
    public static let primarySync = CacheWriteSynchronizationMode(rawValue: 2)
    /// A readable description, for logs and messages.
    public var description: String {
        ["FULL_SYNC", "FULL_ASYNC", "PRIMARY_SYNC"].element(rawValue) ?? "CacheWriteSynchronizationMode(\(rawValue))"
    }
}

/// How a cache rebalances (`CacheRebalanceMode`, i32).
public struct CacheRebalanceMode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: Int32
    /// Creates a mode from its wire value.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// SYNC (0).
    public static let sync = CacheRebalanceMode(rawValue: 0)
    /// ASYNC (1): the default.
    public static let async = CacheRebalanceMode(rawValue: 1)
    /// NONE (2).
    public static let none = CacheRebalanceMode(rawValue: 2)
    /// A readable description, for logs and messages.
    public var description: String { ["SYNC", "ASYNC", "NONE"].element(rawValue) ?? "CacheRebalanceMode(\(rawValue))" }
}

/// What a cache does when partitions are lost (`PartitionLossPolicy`, i32).
public struct PartitionLossPolicy: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: Int32
    /// Creates a policy from its wire value.
    public init(rawValue: Int32) { self.rawValue = rawValue }
    /// READ_ONLY_SAFE (0).
    public static let readOnlySafe = PartitionLossPolicy(rawValue: 0)
    /// READ_ONLY_ALL (1).
    public static let readOnlyAll = PartitionLossPolicy(rawValue: 1)
    /// READ_WRITE_SAFE (2).
    public static let readWriteSafe = PartitionLossPolicy(rawValue: 2)
    /// READ_WRITE_ALL (3).
    public static let readWriteAll = PartitionLossPolicy(rawValue: 3)
    /// IGNORE (4): the default.
    public static let ignore = PartitionLossPolicy(rawValue: 4)
    /// A readable description, for logs and messages.
    public var description: String {
        ["READ_ONLY_SAFE", "READ_ONLY_ALL", "READ_WRITE_SAFE", "READ_WRITE_ALL", "IGNORE"].element(rawValue)
            ?? "PartitionLossPolicy(\(rawValue))"
    }
}

/// The kind of a query index (`QueryIndexType`, i8).
public struct QueryIndexType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: Int8
    /// Creates a type from its wire value.
    public init(rawValue: Int8) { self.rawValue = rawValue }
    /// SORTED (0).
    public static let sorted = QueryIndexType(rawValue: 0)
    /// FULLTEXT (1).
    public static let fullText = QueryIndexType(rawValue: 1)
    /// GEOSPATIAL (2).
    public static let geoSpatial = QueryIndexType(rawValue: 2)
    /// VECTOR (3): GridGain only.
    public static let vector = QueryIndexType(rawValue: 3)
    /// A readable description, for logs and messages.
    public var description: String {
        ["SORTED", "FULLTEXT", "GEOSPATIAL", "VECTOR"].element(Int32(rawValue)) ?? "QueryIndexType(\(rawValue))"
    }
}

extension Array {
    /// The element at a wire ordinal, if there is one.
    fileprivate func element(_ ordinal: Int32) -> Element? {
        ordinal >= 0 && Int(ordinal) < count ? self[Int(ordinal)] : nil
    }
}

extension FeatureBit {
    /// GridGain bit 17 (CACHE_CFG_AFFINITY): cache configurations carry the affinity function (property 408 and a
    /// trailing block in OP_CACHE_GET_CONFIGURATION). **On Apache Ignite bit 17 means CACHE_INVOKE**: request this
    /// bit only from GridGain servers.
    public static let gridGainCacheConfigurationAffinity = FeatureBit(17)
}
