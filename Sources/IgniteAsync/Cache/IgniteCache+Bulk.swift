import IgniteProtocol

extension IgniteCache {
    /// Encodes keys in order, registering new binary types first.
    nonisolated(nonsending) func encodeAll<K: IgniteBinaryEncodable>(_ keys: some Sequence<K>) async throws -> [EncodedValue] {
        var encoded: [EncodedValue] = []
        for key in keys { encoded.append(try await encode(key)) }
        return encoded
    }

    /// The values of several keys (OP_CACHE_GET_ALL): pyignite's `get_all`. Absent keys are missing from the result.
    /// - Parameters:
    ///   - keys: The keys.
    ///   - type: The value type.
    /// - Returns: The present entries.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func getAll<K: IgniteBinaryCodable & Hashable, V: IgniteBinaryDecodable>(_ keys: some Sequence<K>,
                                                                                   as type: V.Type = V.self) async throws -> [K: V] {
        let encoded = try await encodeAll(keys)
        guard !encoded.isEmpty else { return [:] }
        let entries = try await run(key: nil) { CacheGetAllRequest(cache: $0, keys: encoded) }
        var result: [K: V] = [:]
        result.reserveCapacity(entries.count)
        var budget: SharedDecodingBudget?  // the reply's values share one decoded-size budget
        for entry in entries {
            guard let key = try await decode(entry.key, as: K.self, sharing: &budget) else { continue }
            if let value = try await decode(entry.value, as: type, sharing: &budget) { result[key] = value }
        }
        return result
    }

    /// Stores several entries (OP_CACHE_PUT_ALL): pyignite's `put_all`.
    /// - Parameter entries: The entries.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func putAll<K: IgniteBinaryEncodable & Hashable, V: IgniteBinaryEncodable>(_ entries: [K: V]) async throws {
        try await putAll(entries.map { ($0.key, $0.value) })
    }

    /// Stores several entries given as pairs (OP_CACHE_PUT_ALL).
    /// - Parameter pairs: The entries.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func putAll<K: IgniteBinaryEncodable, V: IgniteBinaryEncodable>(_ pairs: some Sequence<(K, V)>) async throws {
        var encoded: [EncodedEntry] = []
        for (key, value) in pairs { encoded.append(EncodedEntry(key: try await encode(key), value: try await encode(value))) }
        guard !encoded.isEmpty else { return }
        try await run(key: nil) { CachePutAllRequest(cache: $0, entries: encoded) }
    }

    /// Whether the cache holds every one of the keys (OP_CACHE_CONTAINS_KEYS): pyignite's `contains_keys`.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func containsKeys<K: IgniteBinaryEncodable>(_ keys: some Sequence<K>) async throws -> Bool {
        let encoded = try await encodeAll(keys)
        return try await run(key: nil) { CacheContainsKeysRequest(cache: $0, keys: encoded) }
    }

    /// Removes every entry without notifying listeners or writers (OP_CACHE_CLEAR): pyignite's `clear`.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func clear() async throws {
        try await run(key: nil) { CacheClearRequest(cache: $0) }
    }

    /// Removes the given keys without notifying listeners or writers (OP_CACHE_CLEAR_KEYS): pyignite's `clear_keys`,
    /// Java's `clearAll`.
    /// - Parameter keys: The keys.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func clearAll<K: IgniteBinaryEncodable>(_ keys: some Sequence<K>) async throws {
        let encoded = try await encodeAll(keys)
        guard !encoded.isEmpty else { return }
        try await run(key: nil) { CacheClearKeysRequest(cache: $0, keys: encoded) }
    }

    /// Removes the given keys (OP_CACHE_REMOVE_KEYS): pyignite's `remove_keys`, Java's `removeAll(keys)`.
    /// - Parameter keys: The keys.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func removeAll<K: IgniteBinaryEncodable>(_ keys: some Sequence<K>) async throws {
        let encoded = try await encodeAll(keys)
        guard !encoded.isEmpty else { return }
        try await run(key: nil) { CacheRemoveKeysRequest(cache: $0, keys: encoded) }
    }

    /// Removes every entry, notifying listeners and writers (OP_CACHE_REMOVE_ALL): pyignite's `remove_all`.
    /// - Throws: ``IgniteError``.
    nonisolated(nonsending) public func removeAll() async throws {
        try await run(key: nil) { CacheRemoveAllRequest(cache: $0) }
    }

    /// The number of entries (OP_CACHE_GET_SIZE): pyignite's `get_size`, Java's `size`.
    /// - Parameter peekModes: Which entries to count; empty counts primary entries (the server's default).
    /// - Returns: The count.
    /// - Throws: ``IgniteError``; ``IgniteError/Code/parse`` if the count does not fit an `Int` (32-bit platforms).
    nonisolated(nonsending) public func size(peekModes: [PeekMode] = []) async throws -> Int {
        let count = try await run(key: nil) { CacheGetSizeRequest(cache: $0, peekModes: peekModes) }
        guard let result = Int(exactly: count) else { throw IgniteError.parse("cache size \(count) does not fit an Int") }
        return result
    }

    // MARK: Management

    /// The cache configuration (OP_CACHE_GET_CONFIGURATION): pyignite's `settings`.
    /// - Returns: The configuration the server reports.
    /// - Throws: ``IgniteError`` (status 1000 if the cache does not exist).
    nonisolated(nonsending) public func configuration() async throws -> CacheConfiguration {
        try await client.execute(CacheGetConfigurationRequest(cacheId: cacheId))
    }

    /// Destroys the cache and its data (OP_CACHE_DESTROY).
    /// - Throws: ``IgniteError`` (status 1000 if the cache does not exist).
    nonisolated(nonsending) public func destroy() async throws {
        try await client.execute(CacheDestroyRequest(cacheId: cacheId))
        client.routing.forget(cacheId: cacheId)
    }
}
