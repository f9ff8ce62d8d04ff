// Cache operations on many keys or on the whole cache (PROTOCOL-FACTS §5.2).

/// OP_CACHE_GET_ALL (1003): the values of several keys. Absent keys are left out of the response.
public struct CacheGetAllRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The keys.
    public var keys: [EncodedValue]

    /// Creates the request.
    public init(cache: CacheInfo, keys: [EncodedValue]) {
        self.cache = cache
        self.keys = keys
    }

    public var opCode: OpCode { .cacheGetAll }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
        try writer.writeEncodedValues(keys, of: "keys")
    }

    /// - Returns: The entries found, in the server's order.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> [CacheEntry] {
        try reader.readCacheEntries()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetAllRequest {
        CacheGetAllRequest(cache: try CacheInfo.decode(from: &reader), keys: try reader.readEncodedValues())
    }

    public func encodeResponse(_ response: [CacheEntry], into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheEntries(response)
    }
}

/// OP_CACHE_PUT_ALL (1004): stores several entries. Response: empty.
public struct CachePutAllRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The entries.
    public var entries: [EncodedEntry]

    /// Creates the request.
    public init(cache: CacheInfo, entries: [EncodedEntry]) {
        self.cache = cache
        self.entries = entries
    }

    public var opCode: OpCode { .cachePutAll }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
        try writer.writeCount(entries.count, of: "entries")
        for entry in entries {
            writer.writeEncodedValue(entry.key)
            writer.writeEncodedValue(entry.value)
        }
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CachePutAllRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let count = try reader.readCount(elementSize: 2)
        var entries: [EncodedEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try reader.readEncodedValue()
            entries.append(EncodedEntry(key: key, value: try reader.readEncodedValue()))
        }
        return CachePutAllRequest(cache: cache, entries: entries)
    }
}

/// OP_CACHE_CONTAINS_KEYS (1012): whether all the keys are present.
public struct CacheContainsKeysRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The keys.
    public var keys: [EncodedValue]

    /// Creates the request.
    public init(cache: CacheInfo, keys: [EncodedValue]) {
        self.cache = cache
        self.keys = keys
    }

    public var opCode: OpCode { .cacheContainsKeys }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
        try writer.writeEncodedValues(keys, of: "keys")
    }

    /// - Returns: `true` if every key is present.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheContainsKeysRequest {
        CacheContainsKeysRequest(cache: try CacheInfo.decode(from: &reader), keys: try reader.readEncodedValues())
    }

    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// OP_CACHE_CLEAR (1013): clears the whole cache without notifying listeners or writers. Response: empty.
public struct CacheClearRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo

    /// Creates the request.
    public init(cache: CacheInfo) { self.cache = cache }

    public var opCode: OpCode { .cacheClear }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheClearRequest {
        CacheClearRequest(cache: try CacheInfo.decode(from: &reader))
    }
}

/// OP_CACHE_CLEAR_KEYS (1015): clears several keys. Response: empty.
public struct CacheClearKeysRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The keys.
    public var keys: [EncodedValue]

    /// Creates the request.
    public init(cache: CacheInfo, keys: [EncodedValue]) {
        self.cache = cache
        self.keys = keys
    }

    public var opCode: OpCode { .cacheClearKeys }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
        try writer.writeEncodedValues(keys, of: "keys")
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheClearKeysRequest {
        CacheClearKeysRequest(cache: try CacheInfo.decode(from: &reader), keys: try reader.readEncodedValues())
    }
}

/// OP_CACHE_REMOVE_KEYS (1018): removes several keys. Response: empty.
public struct CacheRemoveKeysRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The keys.
    public var keys: [EncodedValue]

    /// Creates the request.
    public init(cache: CacheInfo, keys: [EncodedValue]) {
        self.cache = cache
        self.keys = keys
    }

    public var opCode: OpCode { .cacheRemoveKeys }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
        try writer.writeEncodedValues(keys, of: "keys")
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheRemoveKeysRequest {
        CacheRemoveKeysRequest(cache: try CacheInfo.decode(from: &reader), keys: try reader.readEncodedValues())
    }
}

/// OP_CACHE_REMOVE_ALL (1019): removes every entry, notifying listeners and writers. Response: empty.
public struct CacheRemoveAllRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo

    /// Creates the request.
    public init(cache: CacheInfo) { self.cache = cache }

    public var opCode: OpCode { .cacheRemoveAll }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheRemoveAllRequest {
        CacheRemoveAllRequest(cache: try CacheInfo.decode(from: &reader))
    }
}

/// OP_CACHE_GET_SIZE (1020): the number of entries, counted by peek modes.
///
/// With no modes the server counts primary copies only (not ALL, whatever the official docs say).
public struct CacheGetSizeRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// Which copies to count; empty for the server default (primary copies).
    public var peekModes: [PeekMode]

    /// Creates the request.
    public init(cache: CacheInfo, peekModes: [PeekMode] = []) {
        self.cache = cache
        self.peekModes = peekModes
    }

    public var opCode: OpCode { .cacheGetSize }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
        try writer.writePeekModes(peekModes)
    }

    /// - Returns: The number of entries.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Int64 {
        try reader.readInt64()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetSizeRequest {
        CacheGetSizeRequest(cache: try CacheInfo.decode(from: &reader), peekModes: try reader.readPeekModes())
    }

    public func encodeResponse(_ response: Int64, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(response)
    }
}
