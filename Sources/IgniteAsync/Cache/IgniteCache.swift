import IgniteProtocol

/// A handle to one cache: key-value operations, queries and management (Java's `ClientCache`, pyignite's `Cache`).
///
/// Keys and values are Swift types conforming to ``IgniteBinaryEncodable`` / ``IgniteBinaryDecodable``: the
/// standard scalars (`Int32`, `String`, `Double`, …), ``IgniteValue`` for any dynamically typed value,
/// ``BinaryObject``, and `Codable` types that adopt the object coding of IgniteBinary. Each call names its types;
/// for a cache with one key type and one value type, ``typed(_:_:)`` (or ``IgniteClient/cache(_:of:_:)``) gives an
/// ``IgniteTypedCache`` whose operations are typed once.
///
/// Each key is encoded once; with partition awareness its bytes are hashed the way the server does and the
/// request goes to the key's primary node. A handle bound to a transaction (``IgniteTransaction/cache(_:)``)
/// runs every operation in it, on the transaction's connection.
///
/// Creating a handle costs nothing: it does not talk to the server.
public struct IgniteCache: Sendable {
    /// The cache name.
    public let name: String
    /// The cache id: the Java hash code of the name.
    public let cacheId: Int32
    /// The client the cache belongs to.
    public let client: IgniteClient
    /// The expiry policy applied to every operation of this handle, if any (see ``withExpiryPolicy(_:)``).
    public let expiryPolicy: ExpiryPolicy?
    /// The transaction every operation of this handle runs in, if any (see ``IgniteTransaction/cache(_:)``).
    public let transaction: IgniteTransaction?

    init(client: IgniteClient, name: String, expiryPolicy: ExpiryPolicy? = nil, transaction: IgniteTransaction? = nil) {
        self.client = client
        self.name = name
        self.cacheId = JavaHash.cacheId(name)
        self.expiryPolicy = expiryPolicy
        self.transaction = transaction
    }

    /// A handle whose operations apply an expiry policy (TTL) to the entries they create, update or read
    /// (pyignite's `with_expire_policy`, Java's `withExpirePolicy`).
    /// - Parameter policy: The policy.
    /// - Returns: A new handle to the same cache (in the same transaction, if any).
    public func withExpiryPolicy(_ policy: ExpiryPolicy) -> IgniteCache {
        IgniteCache(client: client, name: name, expiryPolicy: policy, transaction: transaction)
    }

    /// A handle with an expiry policy given as three durations (`nil` leaves that duration unchanged). Durations
    /// are sent in whole milliseconds, rounded up.
    /// - Parameters:
    ///   - create: Time to live after creation.
    ///   - update: Time to live after an update.
    ///   - access: Time to live after a read.
    /// - Returns: A new handle to the same cache.
    public func withExpiryPolicy(create: Duration? = nil, update: Duration? = nil, access: Duration? = nil) -> IgniteCache {
        withExpiryPolicy(ExpiryPolicy(create: create.map { ExpiryDuration($0) } ?? .unchanged,
                                      update: update.map { ExpiryDuration($0) } ?? .unchanged,
                                      access: access.map { ExpiryDuration($0) } ?? .unchanged))
    }

    /// A view of this cache with fixed key and value types (Java's `ClientCache<K, V>`). It shares this handle's
    /// expiry policy and transaction.
    /// - Parameters:
    ///   - keyType: The key type.
    ///   - valueType: The value type.
    /// - Returns: The typed view.
    public func typed<K: IgniteBinaryCodable, V: IgniteBinaryCodable>(_ keyType: K.Type, _ valueType: V.Type) -> IgniteTypedCache<K, V> {
        IgniteTypedCache(self)
    }

    // MARK: Plumbing

    /// Runs a cache request: in this handle's transaction if any, else routed by `key` when given.
    @inline(__always)
    nonisolated(nonsending) func run<R: IgniteRequest>(key: EncodedValue?, _ build: (CacheInfo) -> R) async throws -> R.Response {
        if let key {
            return try await client.runKeyOperation(cacheId: cacheId, expiryPolicy: expiryPolicy, transaction: transaction,
                                                    key: key, build)
        }
        let route = try await client.route(cacheId: cacheId, expiryPolicy: expiryPolicy, transaction: transaction)
        return try await client.execute(build(route.info), route: route)
    }

    /// Encodes a key or value once, registering any new binary type it uses first. Inlined, and the value is only
    /// borrowed by a synchronous initializer (``EncodedValue1``): no async frame of its own, and no copy of a generic
    /// value in the caller's async frame (each such copy is a task-memory allocation on every call).
    @inline(__always)
    nonisolated(nonsending) func encode<T: IgniteBinaryEncodable>(_ value: borrowing T) async throws -> EncodedValue {
        let encoded = try EncodedValue1(value)
        if !encoded.types.isEmpty { try await client.registerTypes(encoded.types) }
        return encoded.value
    }

    /// Decodes a value, `nil` for null, fetching missing schemas if needed.
    func decode<V: IgniteBinaryDecodable>(_ value: IgniteValue, as type: V.Type) async throws -> V? {
        if case .null = value { return nil }
        return try await client.decode(value, as: type)
    }

    /// Decodes one of several values of one response, `nil` for null, within the response's one budget.
    func decode<V: IgniteBinaryDecodable>(_ value: IgniteValue, as type: V.Type,
                                          sharing budget: inout SharedDecodingBudget?) async throws -> V? {
        if case .null = value { return nil }
        return try await client.decode(value, as: type, sharing: &budget)
    }

    // MARK: Single-key operations

    /// The encoded values of one request and the binary types they use. Built by a synchronous, generic initializer
    /// that only borrows the values: an async function generic over the values' types that copies them allocates
    /// task memory for each copy on every call (measured: six allocations per put), so the public generic methods
    /// encode here and carry on with concrete values only.
    struct EncodedValues {
        var first: EncodedValue
        var second: EncodedValue
        var types = BinaryTypeCollector()

        @inline(never)
        init<A: IgniteBinaryEncodable, B: IgniteBinaryEncodable>(_ a: borrowing A, _ b: borrowing B) throws {
            first = try EncodedValue(copy a, types: &types)
            second = try EncodedValue(copy b, types: &types)
        }
    }

    /// ``EncodedValues`` for a request with one value (a key).
    struct EncodedValue1 {
        var value: EncodedValue
        var types = BinaryTypeCollector()

        @inline(never)
        init<A: IgniteBinaryEncodable>(_ a: borrowing A) throws {
            value = try EncodedValue(copy a, types: &types)
        }
    }

    /// Decodes a value without I/O, `nil` for null; ``IgniteError/Code/binaryType`` when a binary type must be fetched
    /// first (then ``decode(_:as:)``). Synchronous, so that a get's common case adds no async frame, and returning
    /// `V?` straight into the caller's result (an optional of an optional, or a local, costs generic metadata
    /// look-ups on every call in the unspecialized generic code).
    @inline(never)
    func decodeNow<V: IgniteBinaryDecodable>(_ value: IgniteValue, as type: V.Type) throws -> V? {
        if case .null = value { return nil }
        return try client.decodeWithKnownTypes(value, as: type)
    }

    /// Stores a value under a key (OP_CACHE_PUT).
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value.
    /// - Throws: ``IgniteError`` (for example ``IgniteError/Code/cache`` with status 1000 if the cache does not exist).
    nonisolated(nonsending) public func put<K: IgniteBinaryEncodable, V: IgniteBinaryEncodable>(_ key: K, _ value: V) async throws {
        try await put(encoded: try EncodedValues(key, value))
    }

    @inline(__always)
    nonisolated(nonsending) private func put(encoded: EncodedValues) async throws {
        if !encoded.types.isEmpty { try await client.registerTypes(encoded.types) }
        let k = encoded.first, v = encoded.second
        try await run(key: k) { CachePutRequest(cache: $0, key: k, value: v) }
    }

    /// The value stored under a key (OP_CACHE_GET).
    /// - Parameters:
    ///   - key: The key.
    ///   - type: The value type.
    /// - Returns: The value, or `nil` if the key is absent.
    /// - Throws: ``IgniteError``; ``IgniteError/Code/parse`` if the stored value is not a `V`.
    nonisolated(nonsending) public func get<K: IgniteBinaryEncodable, V: IgniteBinaryDecodable>(_ key: K, as type: V.Type = V.self) async throws -> V? {
        let value = try await get(encoded: try EncodedValue1(key))
        if V.self != BinaryObject.self && V.self != IgniteValue.self {  // those have their schemas fetched first
            do {
                return try decodeNow(value, as: type)
            } catch let error as IgniteError where error.code == .binaryType {}
        }
        return try await decode(value, as: type)
    }

    @inline(__always)
    nonisolated(nonsending) private func get(encoded: EncodedValue1) async throws -> IgniteValue {
        if !encoded.types.isEmpty { try await client.registerTypes(encoded.types) }
        let k = encoded.value
        return try await run(key: k) { CacheGetRequest(cache: $0, key: k) }
    }

    /// The value stored under a key, dynamically typed (what `get(key)` means without a type to infer).
    /// - Parameter key: The key.
    /// - Returns: The value, or `nil` if the key is absent (like ``get(_:as:)``).
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func get<K: IgniteBinaryEncodable>(_ key: K) async throws -> IgniteValue? {
        try await get(key, as: IgniteValue.self)
    }

    /// Stores a value only if the key is absent (OP_CACHE_PUT_IF_ABSENT).
    /// - Returns: `true` if the value was stored.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func putIfAbsent<K: IgniteBinaryEncodable, V: IgniteBinaryEncodable>(_ key: K, _ value: V) async throws -> Bool {
        let k = try await encode(key)
        let v = try await encode(value)
        return try await run(key: k) { CachePutIfAbsentRequest(cache: $0, key: k, value: v) }
    }

    /// Stores a value and returns the previous one (OP_CACHE_GET_AND_PUT).
    /// - Returns: The previous value, or `nil`.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func getAndPut<K: IgniteBinaryEncodable, V: IgniteBinaryCodable>(_ key: K, _ value: V) async throws -> V? {
        let k = try await encode(key)
        let v = try await encode(value)
        return try await decode(try await run(key: k) { CacheGetAndPutRequest(cache: $0, key: k, value: v) }, as: V.self)
    }

    /// Stores a value if the key is absent and returns the current one (OP_CACHE_GET_AND_PUT_IF_ABSENT).
    /// - Returns: The value present before, or `nil` if the key was absent (and the value was stored).
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func getAndPutIfAbsent<K: IgniteBinaryEncodable, V: IgniteBinaryCodable>(_ key: K, _ value: V) async throws -> V? {
        let k = try await encode(key)
        let v = try await encode(value)
        return try await decode(try await run(key: k) { CacheGetAndPutIfAbsentRequest(cache: $0, key: k, value: v) }, as: V.self)
    }

    /// Replaces the value of a present key and returns the previous one (OP_CACHE_GET_AND_REPLACE).
    /// - Returns: The previous value, or `nil` if the key was absent (nothing was stored).
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func getAndReplace<K: IgniteBinaryEncodable, V: IgniteBinaryCodable>(_ key: K, _ value: V) async throws -> V? {
        let k = try await encode(key)
        let v = try await encode(value)
        return try await decode(try await run(key: k) { CacheGetAndReplaceRequest(cache: $0, key: k, value: v) }, as: V.self)
    }

    /// Removes a key and returns its value (OP_CACHE_GET_AND_REMOVE).
    /// - Returns: The removed value, or `nil` if the key was absent.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func getAndRemove<K: IgniteBinaryEncodable, V: IgniteBinaryDecodable>(_ key: K, as type: V.Type = V.self) async throws -> V? {
        let k = try await encode(key)
        return try await decode(try await run(key: k) { CacheGetAndRemoveRequest(cache: $0, key: k) }, as: type)
    }

    /// Replaces the value of a present key (OP_CACHE_REPLACE).
    /// - Returns: `true` if the key was present and its value replaced.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func replace<K: IgniteBinaryEncodable, V: IgniteBinaryEncodable>(_ key: K, _ value: V) async throws -> Bool {
        let k = try await encode(key)
        let v = try await encode(value)
        return try await run(key: k) { CacheReplaceRequest(cache: $0, key: k, value: v) }
    }

    /// Replaces the value of a key only if it currently equals `expected` (OP_CACHE_REPLACE_IF_EQUALS).
    /// - Parameters:
    ///   - key: The key.
    ///   - expected: The value the key must hold.
    ///   - newValue: The value to store.
    /// - Returns: `true` if the value was replaced.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func replace<K: IgniteBinaryEncodable, E: IgniteBinaryEncodable, V: IgniteBinaryEncodable>(
        _ key: K, ifEquals expected: E, with newValue: V) async throws -> Bool {
        let k = try await encode(key)
        let e = try await encode(expected)
        let v = try await encode(newValue)
        return try await run(key: k) { CacheReplaceIfEqualsRequest(cache: $0, key: k, expected: e, value: v) }
    }

    /// Whether the cache holds a key (OP_CACHE_CONTAINS_KEY).
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func containsKey<K: IgniteBinaryEncodable>(_ key: K) async throws -> Bool {
        let k = try await encode(key)
        return try await run(key: k) { CacheContainsKeyRequest(cache: $0, key: k) }
    }

    /// Removes a key without notifying listeners or writers (OP_CACHE_CLEAR_KEY): pyignite's `clear_key`.
    /// - Parameter key: The key.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func clear<K: IgniteBinaryEncodable>(_ key: K) async throws {
        let k = try await encode(key)
        try await run(key: k) { CacheClearKeyRequest(cache: $0, key: k) }
    }

    /// Removes a key (OP_CACHE_REMOVE_KEY): pyignite's `remove_key`.
    /// - Parameter key: The key.
    /// - Returns: `true` if the key was present.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func remove<K: IgniteBinaryEncodable>(_ key: K) async throws -> Bool {
        let k = try await encode(key)
        return try await run(key: k) { CacheRemoveKeyRequest(cache: $0, key: k) }
    }

    /// Removes a key only if its value equals `expected` (OP_CACHE_REMOVE_IF_EQUALS).
    /// - Returns: `true` if the entry was removed.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func remove<K: IgniteBinaryEncodable, E: IgniteBinaryEncodable>(_ key: K, ifEquals expected: E) async throws -> Bool {
        let k = try await encode(key)
        let e = try await encode(expected)
        return try await run(key: k) { CacheRemoveIfEqualsRequest(cache: $0, key: k, expected: e) }
    }

    /// The value of a key on the node that serves the request, without loading it from elsewhere
    /// (OP_CACHE_LOCAL_PEEK).
    /// - Parameters:
    ///   - key: The key.
    ///   - peekModes: Where to look (default: everywhere).
    ///   - type: The value type.
    /// - Returns: The value, or `nil`.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func localPeek<K: IgniteBinaryEncodable, V: IgniteBinaryDecodable>(_ key: K, peekModes: [PeekMode] = [],
                                                                              as type: V.Type = V.self) async throws -> V? {
        let k = try await encode(key)
        let modes = peekModes.isEmpty ? nil : peekModes
        return try await decode(try await run(key: k) { CacheLocalPeekRequest(cache: $0, key: k, peekModes: modes) }, as: type)
    }
}
