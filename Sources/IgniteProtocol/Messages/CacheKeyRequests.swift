// Cache operations on one key (PROTOCOL-FACTS §5.2). Every body starts with a ``CacheInfo``;
// keys and values are pre-encoded ``EncodedValue``s written as they are.

extension BinaryWriter {
    // Fixed-arity overloads: a variadic parameter would allocate an array on every request.

    /// Writes a cache prefix followed by one pre-encoded object.
    mutating func writeCacheRequest(_ cache: CacheInfo, _ a: EncodedValue, context: ProtocolContext) throws {
        try cache.encode(into: &self, context: context)
        writeEncodedValue(a)
    }

    /// Writes a cache prefix followed by two pre-encoded objects.
    mutating func writeCacheRequest(_ cache: CacheInfo, _ a: EncodedValue, _ b: EncodedValue, context: ProtocolContext) throws {
        try cache.encode(into: &self, context: context)
        writeEncodedValue(a)
        writeEncodedValue(b)
    }

    /// Writes a cache prefix followed by three pre-encoded objects.
    mutating func writeCacheRequest(_ cache: CacheInfo, _ a: EncodedValue, _ b: EncodedValue, _ c: EncodedValue,
                                    context: ProtocolContext) throws {
        try cache.encode(into: &self, context: context)
        writeEncodedValue(a)
        writeEncodedValue(b)
        writeEncodedValue(c)
    }
}

/// OP_CACHE_GET (1000): the value of a key. Response: the value, or null if absent.
public struct CacheGetRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue) {
        self.cache = cache
        self.key = key
    }

    public var opCode: OpCode { .cacheGet }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, context: context)
    }

    /// - Returns: The value, ``IgniteValue/null`` if the key is absent.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteValue {
        try reader.readValue()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetRequest {
        CacheGetRequest(cache: try CacheInfo.decode(from: &reader), key: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: IgniteValue, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeValue(response)
    }
}

/// OP_CACHE_PUT (1001): stores a value under a key. Response: empty.
public struct CachePutRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The value.
    public var value: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue, value: EncodedValue) {
        self.cache = cache
        self.key = key
        self.value = value
    }

    public var opCode: OpCode { .cachePut }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, value, context: context)
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CachePutRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        return CachePutRequest(cache: cache, key: key, value: try reader.readEncodedValue())
    }
}

/// OP_CACHE_PUT_IF_ABSENT (1002): stores a value only if the key is absent. Response: whether it was stored.
public struct CachePutIfAbsentRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The value.
    public var value: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue, value: EncodedValue) {
        self.cache = cache
        self.key = key
        self.value = value
    }

    public var opCode: OpCode { .cachePutIfAbsent }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, value, context: context)
    }

    /// - Returns: `true` if the value was stored.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CachePutIfAbsentRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        return CachePutIfAbsentRequest(cache: cache, key: key, value: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// OP_CACHE_GET_AND_PUT (1005): stores a value and returns the previous one (null if absent).
public struct CacheGetAndPutRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The new value.
    public var value: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue, value: EncodedValue) {
        self.cache = cache
        self.key = key
        self.value = value
    }

    public var opCode: OpCode { .cacheGetAndPut }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, value, context: context)
    }

    /// - Returns: The previous value, or ``IgniteValue/null``.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteValue {
        try reader.readValue()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetAndPutRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        return CacheGetAndPutRequest(cache: cache, key: key, value: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: IgniteValue, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeValue(response)
    }
}

/// OP_CACHE_GET_AND_REPLACE (1006): replaces the value of a present key and returns the previous one;
/// nothing changes (and null is returned) if the key is absent.
public struct CacheGetAndReplaceRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The new value.
    public var value: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue, value: EncodedValue) {
        self.cache = cache
        self.key = key
        self.value = value
    }

    public var opCode: OpCode { .cacheGetAndReplace }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, value, context: context)
    }

    /// - Returns: The previous value, or ``IgniteValue/null``.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteValue {
        try reader.readValue()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetAndReplaceRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        return CacheGetAndReplaceRequest(cache: cache, key: key, value: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: IgniteValue, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeValue(response)
    }
}

/// OP_CACHE_GET_AND_REMOVE (1007): removes a key and returns its previous value (null if absent).
public struct CacheGetAndRemoveRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue) {
        self.cache = cache
        self.key = key
    }

    public var opCode: OpCode { .cacheGetAndRemove }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, context: context)
    }

    /// - Returns: The previous value, or ``IgniteValue/null``.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteValue {
        try reader.readValue()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetAndRemoveRequest {
        CacheGetAndRemoveRequest(cache: try CacheInfo.decode(from: &reader), key: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: IgniteValue, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeValue(response)
    }
}

/// OP_CACHE_GET_AND_PUT_IF_ABSENT (1008): stores a value if the key is absent; returns the existing value
/// (null if there was none and the value was stored).
public struct CacheGetAndPutIfAbsentRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The value.
    public var value: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue, value: EncodedValue) {
        self.cache = cache
        self.key = key
        self.value = value
    }

    public var opCode: OpCode { .cacheGetAndPutIfAbsent }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, value, context: context)
    }

    /// - Returns: The existing value, or ``IgniteValue/null`` if the value was stored.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteValue {
        try reader.readValue()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetAndPutIfAbsentRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        return CacheGetAndPutIfAbsentRequest(cache: cache, key: key, value: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: IgniteValue, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeValue(response)
    }
}

/// OP_CACHE_REPLACE (1009): replaces the value of a present key. Response: whether it was replaced.
public struct CacheReplaceRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The new value.
    public var value: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue, value: EncodedValue) {
        self.cache = cache
        self.key = key
        self.value = value
    }

    public var opCode: OpCode { .cacheReplace }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, value, context: context)
    }

    /// - Returns: `true` if the key was present and its value replaced.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheReplaceRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        return CacheReplaceRequest(cache: cache, key: key, value: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// OP_CACHE_REPLACE_IF_EQUALS (1010): replaces the value only if the current value equals `expected`.
/// Response: whether it was replaced.
public struct CacheReplaceIfEqualsRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The value the entry must hold.
    public var expected: EncodedValue
    /// The new value.
    public var value: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue, expected: EncodedValue, value: EncodedValue) {
        self.cache = cache
        self.key = key
        self.expected = expected
        self.value = value
    }

    public var opCode: OpCode { .cacheReplaceIfEquals }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, expected, value, context: context)
    }

    /// - Returns: `true` if the value was replaced.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheReplaceIfEqualsRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        let expected = try reader.readEncodedValue()
        return CacheReplaceIfEqualsRequest(cache: cache, key: key, expected: expected, value: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// OP_CACHE_CONTAINS_KEY (1011): whether a key is present.
public struct CacheContainsKeyRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue) {
        self.cache = cache
        self.key = key
    }

    public var opCode: OpCode { .cacheContainsKey }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, context: context)
    }

    /// - Returns: `true` if the key is present.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheContainsKeyRequest {
        CacheContainsKeyRequest(cache: try CacheInfo.decode(from: &reader), key: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// OP_CACHE_CLEAR_KEY (1014): clears a key without notifying listeners or writers. Response: empty.
public struct CacheClearKeyRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue) {
        self.cache = cache
        self.key = key
    }

    public var opCode: OpCode { .cacheClearKey }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, context: context)
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheClearKeyRequest {
        CacheClearKeyRequest(cache: try CacheInfo.decode(from: &reader), key: try reader.readEncodedValue())
    }
}

/// OP_CACHE_REMOVE_KEY (1016): removes a key. Response: whether it was present.
public struct CacheRemoveKeyRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue) {
        self.cache = cache
        self.key = key
    }

    public var opCode: OpCode { .cacheRemoveKey }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, context: context)
    }

    /// - Returns: `true` if the key was removed.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheRemoveKeyRequest {
        CacheRemoveKeyRequest(cache: try CacheInfo.decode(from: &reader), key: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// OP_CACHE_REMOVE_IF_EQUALS (1017): removes a key only if its value equals `expected`. Response: whether it was removed.
public struct CacheRemoveIfEqualsRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The value the entry must hold.
    public var expected: EncodedValue

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue, expected: EncodedValue) {
        self.cache = cache
        self.key = key
        self.expected = expected
    }

    public var opCode: OpCode { .cacheRemoveIfEquals }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, expected, context: context)
    }

    /// - Returns: `true` if the key was removed.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheRemoveIfEqualsRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        return CacheRemoveIfEqualsRequest(cache: cache, key: key, expected: try reader.readEncodedValue())
    }

    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// OP_CACHE_LOCAL_PEEK (1021): the value held by the connected node itself, without loading or
/// contacting other nodes (null if this node holds no copy).
///
/// The server always peeks with ALL. pyignite appends `i32 n, i8 mode × n` after the key, which the
/// server ignores; set ``peekModes`` to send the same bytes, or leave it `nil` to send the key only.
public struct CacheLocalPeekRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// Peek modes to append after the key (ignored by the server), or `nil` to append nothing.
    public var peekModes: [PeekMode]?

    /// Creates the request.
    public init(cache: CacheInfo, key: EncodedValue, peekModes: [PeekMode]? = nil) {
        self.cache = cache
        self.key = key
        self.peekModes = peekModes
    }

    public var opCode: OpCode { .cacheLocalPeek }

    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, context: context)
        if let peekModes { try writer.writePeekModes(peekModes) }
    }

    /// - Returns: The locally held value, or ``IgniteValue/null``.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteValue {
        try reader.readValue()
    }

    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheLocalPeekRequest {
        var request = CacheLocalPeekRequest(cache: try CacheInfo.decode(from: &reader), key: try reader.readEncodedValue())
        if !reader.isAtEnd { request.peekModes = try reader.readPeekModes() }
        return request
    }

    public func encodeResponse(_ response: IgniteValue, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeValue(response)
    }
}

extension BinaryWriter {
    /// Writes `i32 n, i8 mode × n`.
    mutating func writePeekModes(_ modes: [PeekMode]) throws {
        try writeCount(modes.count, of: "peek modes")
        for mode in modes { writeInt8(mode.rawValue) }
    }
}

extension BinaryReader {
    /// Reads `i32 n, i8 mode × n`.
    /// - Throws: ``IgniteError/Code/parse`` for an unknown mode.
    mutating func readPeekModes() throws -> [PeekMode] {
        let count = try readCount(elementSize: 1)
        var modes: [PeekMode] = []
        modes.reserveCapacity(count)
        for _ in 0..<count {
            let raw = try readInt8()
            guard let mode = PeekMode(rawValue: raw) else { throw IgniteError.parse("unknown peek mode \(raw)") }
            modes.append(mode)
        }
        return modes
    }
}
