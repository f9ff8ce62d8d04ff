// `defer` cannot await, so the async examples destroy the caches they create with this helper instead.
import IgniteAsync

/// Runs `body` with `cache`, then destroys the cache, whether `body` returned or threw.
/// - Returns: What `body` returned.
/// - Throws: What `body` threw, or the error of the destroy.
func withTemporaryCache<T: Sendable>(_ cache: IgniteCache, _ body: (IgniteCache) async throws -> T) async throws -> T {
    let result: T
    do {
        result = try await body(cache)
    } catch {
        try? await cache.destroy()
        throw error
    }
    try await cache.destroy()
    return result
}
