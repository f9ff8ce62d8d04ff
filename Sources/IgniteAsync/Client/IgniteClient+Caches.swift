import IgniteProtocol

extension IgniteClient {
    /// A handle to a cache by name, without talking to the server (pyignite's `get_cache`).
    /// - Parameter name: The cache name.
    /// - Returns: The handle; operations fail with status 1000 if the cache does not exist.
    public func cache(_ name: String) -> IgniteCache {
        IgniteCache(client: self, name: name)
    }

    /// A handle to the cache a configuration names, without talking to the server (pyignite's `get_cache` with a
    /// property dictionary).
    /// - Parameter configuration: The configuration; only its name is used.
    /// - Returns: The handle; operations fail with status 1000 if the cache does not exist.
    /// - Throws: ``IgniteError/Code/parameter`` if the configuration has no name.
    public func cache(_ configuration: CacheConfiguration) async throws -> IgniteCache {
        cache(try await cacheName(of: configuration))
    }

    /// Creates a cache with default settings (OP_CACHE_CREATE_WITH_NAME).
    /// - Parameter name: The cache name.
    /// - Returns: The new cache.
    /// - Throws: ``IgniteError/Code/cacheCreation`` (status 1001) if it exists.
    public func createCache(_ name: String) async throws -> IgniteCache {
        guard !name.isEmpty else { throw IgniteError.parameter("cache name must not be empty") }
        try await execute(CacheCreateWithNameRequest(name: name))
        return cache(name)
    }

    /// Creates a cache from a full configuration (OP_CACHE_CREATE_WITH_CONFIGURATION).
    /// - Parameter configuration: The configuration; its name is required.
    /// - Returns: The new cache.
    /// - Throws: ``IgniteError/Code/cacheCreation`` if it exists or the configuration is rejected.
    public func createCache(_ configuration: CacheConfiguration) async throws -> IgniteCache {
        let name = try await cacheName(of: configuration)
        try await execute(CacheCreateWithConfigurationRequest(configuration: configuration))
        return cache(name)
    }

    /// Returns a cache, creating it with default settings if needed (OP_CACHE_GET_OR_CREATE_WITH_NAME).
    /// - Parameter name: The cache name.
    /// - Returns: The cache.
    /// - Throws: ``IgniteError``.
    public func getOrCreateCache(_ name: String) async throws -> IgniteCache {
        guard !name.isEmpty else { throw IgniteError.parameter("cache name must not be empty") }
        try await execute(CacheGetOrCreateWithNameRequest(name: name))
        return cache(name)
    }

    /// Returns a cache, creating it from the configuration if needed (OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION).
    /// - Parameter configuration: The configuration; its name is required.
    /// - Returns: The cache.
    /// - Throws: ``IgniteError``.
    public func getOrCreateCache(_ configuration: CacheConfiguration) async throws -> IgniteCache {
        let name = try await cacheName(of: configuration)
        try await execute(CacheGetOrCreateWithConfigurationRequest(configuration: configuration))
        return cache(name)
    }

    /// The names of every cache (OP_CACHE_GET_NAMES).
    /// - Returns: The names.
    /// - Throws: ``IgniteError``.
    public func cacheNames() async throws -> [String] {
        try await execute(CacheGetNamesRequest())
    }

    private func cacheName(of configuration: CacheConfiguration) async throws -> String {
        guard let name = configuration.name, !name.isEmpty else {
            throw IgniteError.parameter("the cache configuration has no name")
        }
        return name
    }
}
