// Apache Ignite's data-replication operations (OP 1022/1023, Apache feature bit 12 DATA_REPLICATION_OPERATIONS).
// Layouts from Apache's `ClientCachePutAllConflictRequest` / `ClientCacheRemoveAllConflictRequest` (server) and
// `TcpClientCache.writePutAllConflict` / `writeRemoveAllConflict` (Java client): the cache prefix, then an i32 count
// and, per entry, full data objects. GridGain reserves bit 12 and answers both ops with status 2 (invalid op code).

/// One entry of OP_CACHE_PUT_ALL_CONFLICT: a key, its value, the conflict version and the expire time.
package struct ConflictPutEntry: Hashable, Sendable {
    /// The key.
    public var key: EncodedValue
    /// The value.
    public var value: EncodedValue
    /// The entry's conflict version: one data object the server reads as a `GridCacheVersion` (the Java client writes
    /// the version it received from the other data center, marshalled by the binary marshaller). This client passes the
    /// bytes through unchanged.
    public var version: EncodedValue
    /// The absolute expire time in milliseconds since the epoch; 0 means the entry never expires
    /// (`CU.EXPIRE_TIME_ETERNAL`).
    public var expireTime: Int64

    /// Creates an entry.
    /// - Parameters:
    ///   - key: The encoded key.
    ///   - value: The encoded value.
    ///   - version: The encoded conflict version (a `GridCacheVersion` object).
    ///   - expireTime: The absolute expire time in ms, or 0 for no expiry.
    public init(key: EncodedValue, value: EncodedValue, version: EncodedValue, expireTime: Int64 = 0) {
        self.key = key
        self.value = value
        self.version = version
        self.expireTime = expireTime
    }
}

/// One entry of OP_CACHE_REMOVE_ALL_CONFLICT: a key and the conflict version of its removal.
package struct ConflictRemoveEntry: Hashable, Sendable {
    /// The key.
    public var key: EncodedValue
    /// The conflict version (a `GridCacheVersion` object), passed through unchanged.
    public var version: EncodedValue

    /// Creates an entry.
    /// - Parameters:
    ///   - key: The encoded key.
    ///   - version: The encoded conflict version.
    public init(key: EncodedValue, version: EncodedValue) {
        self.key = key
        self.version = version
    }
}

/// OP_CACHE_PUT_ALL_CONFLICT (1022, Apache only): stores entries with explicit conflict versions (data-center
/// replication). Body: `CacheInfo, i32 n, (key, value, version, i64 expireTime) × n`. Response: empty.
///
/// Needs feature bit 12 (``FeatureBit/dataReplicationOperations``), which the client requests only when configured to.
package struct CachePutAllConflictRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The entries, in the order the server applies them.
    public var entries: [ConflictPutEntry]

    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix.
    ///   - entries: The entries.
    public init(cache: CacheInfo, entries: [ConflictPutEntry]) {
        self.cache = cache
        self.entries = entries
    }

    /// ``OpCode/cachePutAllConflict``.
    public var opCode: OpCode { .cachePutAllConflict }

    /// Writes `CacheInfo, i32 n, (key, value, version, i64 expireTime) × n`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 12, or when the cache prefix needs a
    ///   newer protocol; ``IgniteError/Code/parameter`` for a negative expire time.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.dataReplicationOperations, for: "OP_CACHE_PUT_ALL_CONFLICT")
        if let bad = entries.first(where: { $0.expireTime < 0 }) {
            throw IgniteError.parameter("expire time must be ≥ 0 ms since the epoch (0: never), got \(bad.expireTime)")
        }
        try cache.encode(into: &writer, context: context)
        try writer.writeCount(entries.count, of: "entries")
        for entry in entries {
            writer.writeEncodedValue(entry.key)
            writer.writeEncodedValue(entry.value)
            writer.writeEncodedValue(entry.version)
            writer.writeInt64(entry.expireTime)
        }
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CachePutAllConflictRequest {
        let cache = try CacheInfo.decode(from: &reader)
        // An entry takes at least 11 bytes: three one-byte objects and the i64.
        let count = try reader.readCount(elementSize: 11)
        var entries: [ConflictPutEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try reader.readEncodedValue()
            let value = try reader.readEncodedValue()
            let version = try reader.readEncodedValue()
            entries.append(ConflictPutEntry(key: key, value: value, version: version, expireTime: try reader.readInt64()))
        }
        return CachePutAllConflictRequest(cache: cache, entries: entries)
    }
}

/// OP_CACHE_REMOVE_ALL_CONFLICT (1023, Apache only): removes entries with explicit conflict versions (data-center
/// replication). Body: `CacheInfo, i32 n, (key, version) × n`. Response: empty.
///
/// Needs feature bit 12 (``FeatureBit/dataReplicationOperations``), which the client requests only when configured to.
package struct CacheRemoveAllConflictRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The entries.
    public var entries: [ConflictRemoveEntry]

    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix.
    ///   - entries: The keys with their conflict versions.
    public init(cache: CacheInfo, entries: [ConflictRemoveEntry]) {
        self.cache = cache
        self.entries = entries
    }

    /// ``OpCode/cacheRemoveAllConflict``.
    public var opCode: OpCode { .cacheRemoveAllConflict }

    /// Writes `CacheInfo, i32 n, (key, version) × n`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 12, or when the cache prefix needs a
    ///   newer protocol.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.dataReplicationOperations, for: "OP_CACHE_REMOVE_ALL_CONFLICT")
        try cache.encode(into: &writer, context: context)
        try writer.writeCount(entries.count, of: "entries")
        for entry in entries {
            writer.writeEncodedValue(entry.key)
            writer.writeEncodedValue(entry.version)
        }
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheRemoveAllConflictRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let count = try reader.readCount(elementSize: 2)
        var entries: [ConflictRemoveEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try reader.readEncodedValue()
            entries.append(ConflictRemoveEntry(key: key, version: try reader.readEncodedValue()))
        }
        return CacheRemoveAllConflictRequest(cache: cache, entries: entries)
    }
}
