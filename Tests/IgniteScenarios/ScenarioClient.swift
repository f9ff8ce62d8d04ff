import Foundation
import IgniteProtocol

/// What the shared integration scenarios need from a client: the few operations they exercise, asynchronously.
/// Each product's test target adapts its own `IgniteClient` (the blocking one runs its calls inline), so one copy of
/// every scenario runs against both products.
public protocol ScenarioClient: Sendable {
    /// Creates a cache.
    func createCache(_ configuration: CacheConfiguration) async throws
    /// Destroys a cache.
    func destroyCache(_ name: String) async throws
    /// OP_CACHE_PUT of a string value.
    func put<K: IgniteBinaryCodable & Sendable>(_ cache: String, _ key: K, _ value: String) async throws
    /// OP_CACHE_GET of a string value.
    func get<K: IgniteBinaryCodable & Sendable>(_ cache: String, _ key: K) async throws -> String?
    /// OP_CACHE_REMOVE_KEY.
    func remove<K: IgniteBinaryCodable & Sendable>(_ cache: String, _ key: K) async throws -> Bool
    /// OP_CACHE_GET_SIZE.
    func size(_ cache: String) async throws -> Int
    /// Closes the client.
    func close()
}

/// Opens a client of the product under test.
public typealias ScenarioClientFactory = @Sendable (IgniteClientConfiguration) async throws -> any ScenarioClient

/// A key type whose partition is decided by one field (configured on the cache as its affinity key).
public struct ScenarioOrderKey: IgniteObjectCodable, Hashable, Sendable {
    public var orderId: Int32
    public var customerId: Int32
    public static var igniteTypeName: String { "swift.scenario.OrderKey" }

    public init(orderId: Int32, customerId: Int32) {
        self.orderId = orderId
        self.customerId = customerId
    }
}
