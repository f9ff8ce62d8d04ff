import IgniteProtocol

extension IgniteCache {
    /// Runs an entry processor deployed on the cluster on one entry, atomically, on the node that owns it
    /// (GridGain 8, OP_CACHE_INVOKE).
    /// - Parameters:
    ///   - key: The key.
    ///   - processor: The processor's class name and arguments.
    ///   - type: The type of the processor's result.
    /// - Returns: The processor's result (`nil` for null).
    /// - Throws: ``IgniteError`` with ``IgniteError/serverStatus`` 1040 (``IgniteError/entryProcessorStatus``) when the
    ///   processor threw an `EntryProcessorException`; ``IgniteError/Code/notSupportedByCluster`` unless the server is
    ///   GridGain and ``FeatureBit/gridGainCacheInvoke`` is in the client's features.
    @discardableResult
    public func invoke<K: IgniteBinaryEncodable, V: IgniteBinaryDecodable>(_ key: K, _ processor: IgniteEntryProcessor,
                                                                          as type: V.Type = V.self) async throws -> V? {
        let k = try await encode(key)
        var types = BinaryTypeCollector()
        var classNames = BinaryTypeCollector()
        let encoded = try processor.encoded(types: &types, classNames: &classNames)
        try await client.registerTypes(types, classNames: classNames)
        return try await decode(try await run(key: k) { CacheInvokeRequest(cache: $0, key: k, processor: encoded) }, as: type)
    }

    /// Runs an entry processor on several entries (GridGain 8, OP_CACHE_INVOKE_ALL); each runs atomically with its
    /// entry. One key's failure does not stop the others.
    /// - Parameters:
    ///   - keys: The keys.
    ///   - processor: The processor's class name and arguments.
    ///   - type: The type of the processor's results.
    /// - Returns: Per key the processor answered for, its result or its failure (an ``IgniteError`` with server status
    ///   1040 and the processor's message). Keys whose processor returned null may be missing, as in Java's `invokeAll`.
    /// - Throws: ``IgniteError`` for the request as a whole (see ``invoke(_:_:as:)``).
    public func invokeAll<K: IgniteBinaryCodable & Hashable, V: IgniteBinaryDecodable>(
        _ keys: [K], _ processor: IgniteEntryProcessor, as type: V.Type = V.self) async throws -> [K: IgniteEntryProcessorResult<V>] {
        guard !keys.isEmpty else { return [:] }
        var types = BinaryTypeCollector()
        let encodedKeys = try keys.map { try EncodedValue($0, types: &types) }
        var classNames = BinaryTypeCollector()
        let encoded = try processor.encoded(types: &types, classNames: &classNames)
        try await client.registerTypes(types, classNames: classNames)
        let entries = try await run(key: nil) { CacheInvokeAllRequest(cache: $0, keys: encodedKeys, processor: encoded) }
        var results: [K: IgniteEntryProcessorResult<V>] = [:]
        for entry in entries {
            guard let key = try await decode(entry.key, as: K.self) else { continue }
            switch entry.outcome {
            case .success(let value):
                results[key] = .success(try await decode(value, as: type))
            case .failure(let message):
                results[key] = .failure(IgniteError.server(status: IgniteError.entryProcessorStatus, message: message, opCode: .cacheInvokeAll))
            }
        }
        return results
    }
}
