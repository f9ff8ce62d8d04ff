// pyignite's expiry_policy.py (async_main): an expiry policy per cache, and per operation with withExpiryPolicy.
import IgniteAsync
import IgniteExampleSupport

enum AsyncExpiryPolicyExample {
    static func run() async throws {
        let environment = try ExampleEnvironment.start("expiry-policy (async)")
        defer { environment.shutdown() }
        let client = try await IgniteClient(configuration: environment.configuration)
        defer { client.close() }
        guard try await client.protocolContext().supportsExpiryPolicy else {
            throw ExampleFailure("'ExpiryPolicy' is not supported by cluster (it needs protocol 1.6.0)")
        }

        print("Create cache with expiry policy.")
        var configuration = CacheConfiguration(name: "test \(runSuffix)")
        configuration.expiryPolicy = ExpiryPolicy(create: ExpiryDuration(.seconds(2)))
        try await withTemporaryCache(try await client.createCache(configuration)) { ttlCache in
            try await ttlCache.put(1, 1)
            try await Task.sleep(for: .milliseconds(500))
            let early = try await ttlCache.get(1, as: Int.self)
            print("key = 1, value = \(early.map(String.init) ?? "None")")                 // key = 1, value = 1
            try await Task.sleep(for: .milliseconds(2200))
            let late = try await ttlCache.get(1, as: Int.self)
            print("key = 1, value = \(late.map(String.init) ?? "None")")                  // key = 1, value = None
            try expectEqual(early, 1, "the entry before it expires")
            try expectEqual(late, nil, "the entry after it expired")
        }

        print("Create simple Cache and set TTL through `withExpiryPolicy`")
        try await withTemporaryCache(try await client.createCache("test \(runSuffix)")) { simpleCache in
            let ttlCache = simpleCache.withExpiryPolicy(access: .seconds(2))
            try await ttlCache.put(1, 1)
            try await Task.sleep(for: .milliseconds(500))
            let early = try await ttlCache.get(1, as: Int.self)
            print("key = 1, value = \(early.map(String.init) ?? "None")")                 // key = 1, value = 1
            try await Task.sleep(for: .milliseconds(2700))
            let late = try await ttlCache.get(1, as: Int.self)
            print("key = 1, value = \(late.map(String.init) ?? "None")")                  // key = 1, value = None
            try expectEqual(early, 1, "the entry before it expires")
            try expectEqual(late, nil, "the entry after it expired")
        }
    }
}
