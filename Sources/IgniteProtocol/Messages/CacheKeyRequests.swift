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

/// A cache request whose body is the cache prefix and one key: `CacheInfo, key`.
///
/// One type serves OP_CACHE_GET, OP_CACHE_GET_AND_REMOVE, OP_CACHE_CONTAINS_KEY, OP_CACHE_CLEAR_KEY and
/// OP_CACHE_REMOVE_KEY; `Op` names the operation and its response (see the typealiases such as ``CacheGetRequest``).
package struct CacheKeyRequest<Op: IgniteOperationMarker>: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue

    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix (id, flags, expiry policy, transaction).
    ///   - key: The encoded key.
    public init(cache: CacheInfo, key: EncodedValue) {
        self.cache = cache
        self.key = key
    }

    /// The operation's op code.
    public var opCode: OpCode { Op.opCode }

    /// Writes `CacheInfo, key`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the cache prefix needs a newer protocol.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, context: context)
    }

    /// Reads the operation's response.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Op.Response {
        try Op.decodeResponse(from: &reader)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheKeyRequest {
        CacheKeyRequest(cache: try CacheInfo.decode(from: &reader), key: try reader.readEncodedValue())
    }

    /// Writes the operation's response (server direction).
    public func encodeResponse(_ response: Op.Response, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try Op.encodeResponse(response, into: &writer)
    }
}

extension CacheKeyRequest: IgniteEmptyResponseRequest where Op.Response == Void {}

/// A cache request whose body is the cache prefix, a key and a value: `CacheInfo, key, value`.
///
/// One type serves OP_CACHE_PUT, OP_CACHE_PUT_IF_ABSENT, OP_CACHE_GET_AND_PUT, OP_CACHE_GET_AND_REPLACE,
/// OP_CACHE_GET_AND_PUT_IF_ABSENT and OP_CACHE_REPLACE; `Op` names the operation and its response
/// (see the typealiases such as ``CachePutRequest``).
package struct CacheKeyValueRequest<Op: IgniteOperationMarker>: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The value.
    public var value: EncodedValue

    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix (id, flags, expiry policy, transaction).
    ///   - key: The encoded key.
    ///   - value: The encoded value.
    public init(cache: CacheInfo, key: EncodedValue, value: EncodedValue) {
        self.cache = cache
        self.key = key
        self.value = value
    }

    /// The operation's op code.
    public var opCode: OpCode { Op.opCode }

    /// Writes `CacheInfo, key, value`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the cache prefix needs a newer protocol.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, value, context: context)
    }

    /// Reads the operation's response.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Op.Response {
        try Op.decodeResponse(from: &reader)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheKeyValueRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        return CacheKeyValueRequest(cache: cache, key: key, value: try reader.readEncodedValue())
    }

    /// Writes the operation's response (server direction).
    public func encodeResponse(_ response: Op.Response, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try Op.encodeResponse(response, into: &writer)
    }
}

extension CacheKeyValueRequest: IgniteEmptyResponseRequest where Op.Response == Void {}

/// OP_CACHE_GET (1000): the value of a key. Response: the value, or ``IgniteValue/null`` if absent.
package typealias CacheGetRequest = CacheKeyRequest<IgniteOps.CacheGet>

/// OP_CACHE_PUT (1001): stores a value under a key. Response: empty.
package typealias CachePutRequest = CacheKeyValueRequest<IgniteOps.CachePut>

/// OP_CACHE_PUT_IF_ABSENT (1002): stores a value only if the key is absent. Response: whether it was stored.
package typealias CachePutIfAbsentRequest = CacheKeyValueRequest<IgniteOps.CachePutIfAbsent>

/// OP_CACHE_GET_AND_PUT (1005): stores a value and returns the previous one (``IgniteValue/null`` if absent).
package typealias CacheGetAndPutRequest = CacheKeyValueRequest<IgniteOps.CacheGetAndPut>

/// OP_CACHE_GET_AND_REPLACE (1006): replaces the value of a present key and returns the previous one;
/// nothing changes (and ``IgniteValue/null`` is returned) if the key is absent.
package typealias CacheGetAndReplaceRequest = CacheKeyValueRequest<IgniteOps.CacheGetAndReplace>

/// OP_CACHE_GET_AND_REMOVE (1007): removes a key and returns its previous value (``IgniteValue/null`` if absent).
package typealias CacheGetAndRemoveRequest = CacheKeyRequest<IgniteOps.CacheGetAndRemove>

/// OP_CACHE_GET_AND_PUT_IF_ABSENT (1008): stores a value if the key is absent; returns the existing value
/// (``IgniteValue/null`` if there was none and the value was stored).
package typealias CacheGetAndPutIfAbsentRequest = CacheKeyValueRequest<IgniteOps.CacheGetAndPutIfAbsent>

/// OP_CACHE_REPLACE (1009): replaces the value of a present key. Response: whether it was replaced.
package typealias CacheReplaceRequest = CacheKeyValueRequest<IgniteOps.CacheReplace>

/// OP_CACHE_CONTAINS_KEY (1011): whether a key is present.
package typealias CacheContainsKeyRequest = CacheKeyRequest<IgniteOps.CacheContainsKey>

/// OP_CACHE_CLEAR_KEY (1014): clears a key without notifying listeners or writers. Response: empty.
package typealias CacheClearKeyRequest = CacheKeyRequest<IgniteOps.CacheClearKey>

/// OP_CACHE_REMOVE_KEY (1016): removes a key. Response: whether it was present.
package typealias CacheRemoveKeyRequest = CacheKeyRequest<IgniteOps.CacheRemoveKey>

/// OP_CACHE_REPLACE_IF_EQUALS (1010): replaces the value only if the current value equals `expected`.
/// Body: `CacheInfo, key, expected, value`. Response: whether it was replaced.
package struct CacheReplaceIfEqualsRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// The value the entry must hold.
    public var expected: EncodedValue
    /// The new value.
    public var value: EncodedValue

    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix.
    ///   - key: The encoded key.
    ///   - expected: The value the entry must hold.
    ///   - value: The new value.
    public init(cache: CacheInfo, key: EncodedValue, expected: EncodedValue, value: EncodedValue) {
        self.cache = cache
        self.key = key
        self.expected = expected
        self.value = value
    }

    /// ``OpCode/cacheReplaceIfEquals``.
    public var opCode: OpCode { .cacheReplaceIfEquals }

    /// Writes `CacheInfo, key, expected, value`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the cache prefix needs a newer protocol.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, expected, value, context: context)
    }

    /// - Returns: `true` if the value was replaced.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheReplaceIfEqualsRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let key = try reader.readEncodedValue()
        let expected = try reader.readEncodedValue()
        return CacheReplaceIfEqualsRequest(cache: cache, key: key, expected: expected, value: try reader.readEncodedValue())
    }

    /// Writes the response (server direction).
    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// OP_CACHE_REMOVE_IF_EQUALS (1017): removes a key only if its value equals `expected`.
/// Body: `CacheInfo, key, expected`. Response: whether it was removed.
///
/// The body has the layout of ``CacheKeyValueRequest`` (the expected value in the value's place), so this is that
/// type with ``expected`` naming its second object.
package typealias CacheRemoveIfEqualsRequest = CacheKeyValueRequest<IgniteOps.CacheRemoveIfEquals>

extension CacheKeyValueRequest where Op == IgniteOps.CacheRemoveIfEquals {
    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix.
    ///   - key: The encoded key.
    ///   - expected: The value the entry must hold.
    package init(cache: CacheInfo, key: EncodedValue, expected: EncodedValue) {
        self.init(cache: cache, key: key, value: expected)
    }

    /// The value the entry must hold (sent in the value's place).
    package var expected: EncodedValue {
        get { value }
        set { value = newValue }
    }
}

/// OP_CACHE_LOCAL_PEEK (1021): the value held by the connected node itself, without loading or
/// contacting other nodes (null if this node holds no copy).
///
/// The server always peeks with ALL. pyignite appends `i32 n, i8 mode × n` after the key, which the
/// server ignores; set ``peekModes`` to send the same bytes, or leave it `nil` to send the key only.
package struct CacheLocalPeekRequest: IgniteServerCodableRequest, Hashable {
    /// The cache.
    public var cache: CacheInfo
    /// The key.
    public var key: EncodedValue
    /// Peek modes to append after the key (ignored by the server), or `nil` to append nothing.
    public var peekModes: [PeekMode]?

    /// Creates the request.
    /// - Parameters:
    ///   - cache: The cache prefix.
    ///   - key: The encoded key.
    ///   - peekModes: Modes to append after the key (pyignite's bytes), or `nil`.
    public init(cache: CacheInfo, key: EncodedValue, peekModes: [PeekMode]? = nil) {
        self.cache = cache
        self.key = key
        self.peekModes = peekModes
    }

    /// ``OpCode/cacheLocalPeek``.
    public var opCode: OpCode { .cacheLocalPeek }

    /// Writes `CacheInfo, key, [i32 n, i8 mode × n]`.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the cache prefix needs a newer protocol.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCacheRequest(cache, key, context: context)
        if let peekModes { try writer.writePeekModes(peekModes) }
    }

    /// - Returns: The locally held value, or ``IgniteValue/null``.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteValue {
        try reader.readValue()
    }

    /// Reads a request body (server direction); the peek modes are read when bytes remain.
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheLocalPeekRequest {
        var request = CacheLocalPeekRequest(cache: try CacheInfo.decode(from: &reader), key: try reader.readEncodedValue())
        if !reader.isAtEnd { request.peekModes = try reader.readPeekModes() }
        return request
    }

    /// Writes the response (server direction).
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
