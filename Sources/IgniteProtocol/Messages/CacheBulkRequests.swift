// Cache operations on many keys or on the whole cache (PROTOCOL-FACTS §5.2).

/// A cache request whose body is the cache prefix and a list of keys: `CacheInfo, i32 n, key × n`.
///
/// One type serves OP_CACHE_GET_ALL, OP_CACHE_CONTAINS_KEYS, OP_CACHE_CLEAR_KEYS and OP_CACHE_REMOVE_KEYS; `Op`
/// names the operation and its response (see the typealiases such as ``CacheGetAllRequest``).
package struct CacheKeysRequest<Op: IgniteOperationMarker>: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The keys.
    public var keys: [EncodedValue]

    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix (id, flags, expiry policy, transaction).
    ///   - keys: The encoded keys.
    public init(cache: CacheInfo, keys: [EncodedValue]) {
        self.cache = cache
        self.keys = keys
    }

    /// The operation's op code.
    public var opCode: OpCode { Op.opCode }

    /// Writes `CacheInfo, i32 n, key × n`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the cache prefix needs a newer protocol.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
        try writer.writeEncodedValues(keys, of: "keys")
    }

    /// Reads the operation's response and checks that it fits the keys asked for.
    /// - Throws: ``IgniteError/Code/parse`` for a malformed body, ``IgniteError/Code/protocolViolation`` for a reply
    ///   that cannot answer this request (getAll: more entries than keys).
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Op.Response {
        let response = try Op.decodeResponse(from: &reader)
        try Op.check(response, keyCount: keys.count)
        return response
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheKeysRequest {
        CacheKeysRequest(cache: try CacheInfo.decode(from: &reader), keys: try reader.readEncodedValues())
    }

    /// Writes the operation's response (server direction).
    public func encodeResponse(_ response: Op.Response, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try Op.encodeResponse(response, into: &writer)
    }
}

extension CacheKeysRequest: IgniteEmptyResponseRequest where Op.Response == Void {}

/// A cache request whose body is the cache prefix only: OP_CACHE_CLEAR and OP_CACHE_REMOVE_ALL.
package struct CacheWideRequest<Op: IgniteOperationMarker>: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo

    /// Creates the request.
    /// - Parameter cache: The cache prefix (id, flags, expiry policy, transaction).
    public init(cache: CacheInfo) { self.cache = cache }

    /// The operation's op code.
    public var opCode: OpCode { Op.opCode }

    /// Writes `CacheInfo`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the cache prefix needs a newer protocol.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
    }

    /// Reads the operation's response.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Op.Response {
        try Op.decodeResponse(from: &reader)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheWideRequest {
        CacheWideRequest(cache: try CacheInfo.decode(from: &reader))
    }

    /// Writes the operation's response (server direction).
    public func encodeResponse(_ response: Op.Response, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try Op.encodeResponse(response, into: &writer)
    }
}

extension CacheWideRequest: IgniteEmptyResponseRequest where Op.Response == Void {}

/// OP_CACHE_GET_ALL (1003): the values of several keys. Absent keys are left out of the response.
package typealias CacheGetAllRequest = CacheKeysRequest<IgniteOps.CacheGetAll>

/// OP_CACHE_CONTAINS_KEYS (1012): whether all the keys are present.
package typealias CacheContainsKeysRequest = CacheKeysRequest<IgniteOps.CacheContainsKeys>

/// OP_CACHE_CLEAR (1013): clears the whole cache without notifying listeners or writers. Response: empty.
package typealias CacheClearRequest = CacheWideRequest<IgniteOps.CacheClear>

/// OP_CACHE_CLEAR_KEYS (1015): clears several keys. Response: empty.
package typealias CacheClearKeysRequest = CacheKeysRequest<IgniteOps.CacheClearKeys>

/// OP_CACHE_REMOVE_KEYS (1018): removes several keys. Response: empty.
package typealias CacheRemoveKeysRequest = CacheKeysRequest<IgniteOps.CacheRemoveKeys>

/// OP_CACHE_REMOVE_ALL (1019): removes every entry, notifying listeners and writers. Response: empty.
package typealias CacheRemoveAllRequest = CacheWideRequest<IgniteOps.CacheRemoveAll>

/// OP_CACHE_PUT_ALL (1004): stores several entries. Body: `CacheInfo, i32 n, (key, value) × n`. Response: empty.
package struct CachePutAllRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The entries.
    public var entries: [EncodedEntry]

    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix.
    ///   - entries: The encoded entries.
    public init(cache: CacheInfo, entries: [EncodedEntry]) {
        self.cache = cache
        self.entries = entries
    }

    /// ``OpCode/cachePutAll``.
    public var opCode: OpCode { .cachePutAll }

    /// Writes `CacheInfo, i32 n, (key, value) × n`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the cache prefix needs a newer protocol.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
        try writer.writeEncodedEntries(entries)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CachePutAllRequest {
        CachePutAllRequest(cache: try CacheInfo.decode(from: &reader), entries: try reader.readEncodedEntries())
    }
}

/// OP_CACHE_GET_SIZE (1020): the number of entries, counted by peek modes.
/// Body: `CacheInfo, i32 n, i8 mode × n`. Response: `i64`.
///
/// With no modes the server counts primary copies only (not ALL, whatever the official docs say).
package struct CacheGetSizeRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// Which copies to count; empty for the server default (primary copies).
    public var peekModes: [PeekMode]

    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix.
    ///   - peekModes: Which copies to count (empty: primary copies).
    public init(cache: CacheInfo, peekModes: [PeekMode] = []) {
        self.cache = cache
        self.peekModes = peekModes
    }

    /// ``OpCode/cacheGetSize``.
    public var opCode: OpCode { .cacheGetSize }

    /// Writes `CacheInfo, i32 n, i8 mode × n`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the cache prefix needs a newer protocol.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.encode(into: &writer, context: context)
        try writer.writePeekModes(peekModes)
    }

    /// - Returns: The number of entries.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Int64 {
        try reader.readInt64()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetSizeRequest {
        CacheGetSizeRequest(cache: try CacheInfo.decode(from: &reader), peekModes: try reader.readPeekModes())
    }

    /// Writes the response (server direction).
    public func encodeResponse(_ response: Int64, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(response)
    }
}

extension BinaryWriter {
    /// Writes `i32 n, (key, value) × n` of pre-encoded entries.
    mutating func writeEncodedEntries(_ entries: [EncodedEntry]) throws {
        try writeCount(entries.count, of: "entries")
        for entry in entries {
            writeEncodedValue(entry.key)
            writeEncodedValue(entry.value)
        }
    }
}

extension BinaryReader {
    /// Reads `i32 n, (key, value) × n` as pre-encoded entries (server direction).
    mutating func readEncodedEntries() throws -> [EncodedEntry] {
        let count = try readCount(elementSize: 2)
        var entries: [EncodedEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try readEncodedValue()
            entries.append(EncodedEntry(key: key, value: try readEncodedValue()))
        }
        return entries
    }
}
