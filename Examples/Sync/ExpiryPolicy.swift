// pyignite's expiry_policy.py (main): entries that expire. A cache created with an expiry policy applies it to every
// entry; `withExpiryPolicy` gives a handle whose operations carry their own policy (pyignite's with_expire_policy).
import Foundation
import IgniteExampleSupport
import IgniteSync

enum ExpiryPolicyExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("expiry-policy")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }
        guard try client.protocolContext().supportsExpiryPolicy else {
            throw ExampleFailure("'ExpiryPolicy' is not supported by cluster (it needs protocol 1.6.0)")
        }

        print("Create cache with expiry policy.")
        var configuration = CacheConfiguration(name: "test \(runSuffix)")
        configuration.expiryPolicy = ExpiryPolicy(create: ExpiryDuration(.seconds(2)))   // entries live 2 s after creation
        let ttlCache = try client.createCache(configuration)
        do {
            defer { try? ttlCache.destroy() }
            try ttlCache.put(1, 1)
            Thread.sleep(forTimeInterval: 0.5)
            let early = try ttlCache.get(1, as: Int.self)
            print("key = 1, value = \(early.map(String.init) ?? "None")")                 // key = 1, value = 1
            Thread.sleep(forTimeInterval: 2.2)
            let late = try ttlCache.get(1, as: Int.self)
            print("key = 1, value = \(late.map(String.init) ?? "None")")                  // key = 1, value = None
            try expectEqual(early, 1, "the entry before it expires")
            try expectEqual(late, nil, "the entry after it expired")
        }

        print("Create simple Cache and set TTL through `withExpiryPolicy`")
        let simpleCache = try client.createCache("test \(runSuffix)")
        defer { try? simpleCache.destroy() }
        let accessTTL = simpleCache.withExpiryPolicy(access: .seconds(2))   // 2 s after each read
        try accessTTL.put(1, 1)
        Thread.sleep(forTimeInterval: 0.5)
        let early = try accessTTL.get(1, as: Int.self)
        print("key = 1, value = \(early.map(String.init) ?? "None")")                     // key = 1, value = 1
        Thread.sleep(forTimeInterval: 2.7)
        let late = try accessTTL.get(1, as: Int.self)
        print("key = 1, value = \(late.map(String.init) ?? "None")")                      // key = 1, value = None
        try expectEqual(early, 1, "the entry before it expires")
        try expectEqual(late, nil, "the entry after it expired")
    }
}
