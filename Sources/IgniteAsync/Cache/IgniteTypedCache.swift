import IgniteProtocol

/// A cache with fixed key and value types (Java's `ClientCache<K, V>`): the key-value operations of
/// ``IgniteCache`` without a type on every call.
///
/// ```swift
/// let people = client.cache("people", of: Int.self, Person.self)
/// try await people.put(1, Person(name: "Alice"))
/// let alice = try await people.get(1)                 // Person?
/// ```
///
/// It is a view of an ``IgniteCache`` (``untyped``) and runs every operation through it: same routing, expiry
/// policy and transaction. Creating one costs nothing.
public struct IgniteTypedCache<K: IgniteBinaryCodable, V: IgniteBinaryCodable>: Sendable {
    /// The untyped handle every operation goes through.
    public let untyped: IgniteCache

    init(_ untyped: IgniteCache) {
        self.untyped = untyped
    }

    /// The cache name.
    public var name: String { untyped.name }
    /// The client the cache belongs to.
    public var client: IgniteClient { untyped.client }
    /// The transaction every operation runs in, if any (see ``IgniteTransaction/cache(_:)``).
    public var transaction: IgniteTransaction? { untyped.transaction }

    /// A view whose operations apply an expiry policy (see ``IgniteCache/withExpiryPolicy(_:)``).
    /// - Parameter policy: The policy.
    /// - Returns: A new view of the same cache.
    public func withExpiryPolicy(_ policy: ExpiryPolicy) -> IgniteTypedCache<K, V> {
        IgniteTypedCache(untyped.withExpiryPolicy(policy))
    }

    /// A view with an expiry policy given as three durations (see ``IgniteCache/withExpiryPolicy(create:update:access:)``).
    /// - Parameters:
    ///   - create: Time to live after creation.
    ///   - update: Time to live after an update.
    ///   - access: Time to live after a read.
    /// - Returns: A new view of the same cache.
    public func withExpiryPolicy(create: Duration? = nil, update: Duration? = nil, access: Duration? = nil) -> IgniteTypedCache<K, V> {
        IgniteTypedCache(untyped.withExpiryPolicy(create: create, update: update, access: access))
    }

    // MARK: Single key

    /// The value stored under a key (OP_CACHE_GET).
    /// - Parameter key: The key.
    /// - Returns: The value, or `nil` if the key is absent.
    /// - Throws: ``IgniteError``; ``IgniteError/Code/parse`` if the stored value is not a `V`.
    nonisolated(nonsending) public func get(_ key: K) async throws -> V? { try await untyped.get(key, as: V.self) }

    /// Stores a value under a key (OP_CACHE_PUT).
    /// - Parameters:
    ///   - key: The key.
    ///   - value: The value.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func put(_ key: K, _ value: V) async throws { try await untyped.put(key, value) }

    /// Stores a value only if the key is absent (OP_CACHE_PUT_IF_ABSENT).
    /// - Returns: `true` if the value was stored.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func putIfAbsent(_ key: K, _ value: V) async throws -> Bool { try await untyped.putIfAbsent(key, value) }

    /// Stores a value and returns the previous one (OP_CACHE_GET_AND_PUT).
    /// - Returns: The previous value, or `nil`.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func getAndPut(_ key: K, _ value: V) async throws -> V? { try await untyped.getAndPut(key, value) }

    /// Stores a value if the key is absent and returns the current one (OP_CACHE_GET_AND_PUT_IF_ABSENT).
    /// - Returns: The value present before, or `nil` if the key was absent (and the value was stored).
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func getAndPutIfAbsent(_ key: K, _ value: V) async throws -> V? { try await untyped.getAndPutIfAbsent(key, value) }

    /// Replaces the value of a present key and returns the previous one (OP_CACHE_GET_AND_REPLACE).
    /// - Returns: The previous value, or `nil` if the key was absent (nothing was stored).
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func getAndReplace(_ key: K, _ value: V) async throws -> V? { try await untyped.getAndReplace(key, value) }

    /// Removes a key and returns its value (OP_CACHE_GET_AND_REMOVE).
    /// - Returns: The removed value, or `nil` if the key was absent.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func getAndRemove(_ key: K) async throws -> V? { try await untyped.getAndRemove(key, as: V.self) }

    /// Replaces the value of a present key (OP_CACHE_REPLACE).
    /// - Returns: `true` if the key was present and its value replaced.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func replace(_ key: K, _ value: V) async throws -> Bool { try await untyped.replace(key, value) }

    /// Replaces the value of a key only if it currently equals `expected` (OP_CACHE_REPLACE_IF_EQUALS).
    /// - Returns: `true` if the value was replaced.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func replace(_ key: K, ifEquals expected: V, with newValue: V) async throws -> Bool {
        try await untyped.replace(key, ifEquals: expected, with: newValue)
    }

    /// Whether the cache holds a key (OP_CACHE_CONTAINS_KEY).
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func containsKey(_ key: K) async throws -> Bool { try await untyped.containsKey(key) }

    /// Removes a key (OP_CACHE_REMOVE_KEY).
    /// - Returns: `true` if the key was present.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func remove(_ key: K) async throws -> Bool { try await untyped.remove(key) }

    /// Removes a key only if its value equals `expected` (OP_CACHE_REMOVE_IF_EQUALS).
    /// - Returns: `true` if the entry was removed.
    /// - Throws: ``IgniteError``.
    @discardableResult
    nonisolated(nonsending) public func remove(_ key: K, ifEquals expected: V) async throws -> Bool { try await untyped.remove(key, ifEquals: expected) }

    /// Removes a key without notifying listeners or writers (OP_CACHE_CLEAR_KEY).
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func clear(_ key: K) async throws { try await untyped.clear(key) }

    /// The value of a key on the node that serves the request, without loading it from elsewhere (OP_CACHE_LOCAL_PEEK).
    /// - Parameters:
    ///   - key: The key.
    ///   - peekModes: Where to look (default: everywhere).
    /// - Returns: The value, or `nil`.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func localPeek(_ key: K, peekModes: [PeekMode] = []) async throws -> V? {
        try await untyped.localPeek(key, peekModes: peekModes, as: V.self)
    }

    // MARK: Many keys

    /// Stores several entries (OP_CACHE_PUT_ALL).
    /// - Parameter pairs: The entries.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func putAll(_ pairs: some Sequence<(K, V)>) async throws { try await untyped.putAll(pairs) }

    /// Whether the cache holds every one of the keys (OP_CACHE_CONTAINS_KEYS).
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func containsKeys(_ keys: some Sequence<K>) async throws -> Bool { try await untyped.containsKeys(keys) }

    /// Removes the given keys (OP_CACHE_REMOVE_KEYS).
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func removeAll(_ keys: some Sequence<K>) async throws { try await untyped.removeAll(keys) }

    /// Removes every entry, notifying listeners and writers (OP_CACHE_REMOVE_ALL).
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func removeAll() async throws { try await untyped.removeAll() }

    /// Removes the given keys without notifying listeners or writers (OP_CACHE_CLEAR_KEYS).
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func clearAll(_ keys: some Sequence<K>) async throws { try await untyped.clearAll(keys) }

    /// Removes every entry without notifying listeners or writers (OP_CACHE_CLEAR).
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func clear() async throws { try await untyped.clear() }

    /// The number of entries (OP_CACHE_GET_SIZE).
    /// - Parameter peekModes: Which entries to count; empty counts primary entries.
    /// - Returns: The count.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func size(peekModes: [PeekMode] = []) async throws -> Int { try await untyped.size(peekModes: peekModes) }

    /// Scans the cache (OP_QUERY_SCAN), page by page (see ``IgniteCache/scan(pageSize:partition:local:keyType:valueType:)``).
    /// - Parameters:
    ///   - pageSize: Entries per page (default 1024).
    ///   - partition: Scan only this partition; `nil` scans all.
    ///   - local: Scan only the data of the node serving the request.
    /// - Returns: A cursor over typed entries.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func scan(pageSize: Int = 1024, partition: Int? = nil, local: Bool = false) async throws -> ScanCursor<K, V> {
        try await untyped.scan(pageSize: pageSize, partition: partition, local: local, keyType: K.self, valueType: V.self)
    }
}

extension IgniteTypedCache where K: Hashable {
    /// The values of several keys (OP_CACHE_GET_ALL). Absent keys are missing from the result.
    /// - Parameter keys: The keys.
    /// - Returns: The present entries.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func getAll(_ keys: some Sequence<K>) async throws -> [K: V] { try await untyped.getAll(keys, as: V.self) }

    /// Stores several entries (OP_CACHE_PUT_ALL).
    /// - Parameter entries: The entries.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func putAll(_ entries: [K: V]) async throws { try await untyped.putAll(entries) }
}

extension IgniteClient {
    /// A typed handle to a cache by name, without talking to the server (Java's `client.cache<K, V>(name)`).
    /// - Parameters:
    ///   - name: The cache name.
    ///   - keyType: The key type.
    ///   - valueType: The value type.
    /// - Returns: The handle; operations fail with status 1000 if the cache does not exist.
    public func cache<K: IgniteBinaryCodable, V: IgniteBinaryCodable>(_ name: String, of keyType: K.Type,
                                                                      _ valueType: V.Type) -> IgniteTypedCache<K, V> {
        IgniteTypedCache(cache(name))
    }
}
