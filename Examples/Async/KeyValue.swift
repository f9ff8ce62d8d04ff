// pyignite's async_key_value.py (manual 4.1, "Basic usage"): the async client has the blocking client's names with
// `await`; operations started together run concurrently over the same connections, and a scan cursor is an
// AsyncSequence.
import IgniteAsync
import IgniteExampleSupport

enum AsyncKeyValueExample {
    static func run() async throws {
        let environment = try ExampleEnvironment.start("key-value (async)")
        defer { environment.shutdown() }
        let client = try await IgniteClient(configuration: environment.configuration)
        defer { client.close() }

        // Create a cache.
        let cache = try await client.getOrCreateCache("test_async_cache \(runSuffix)")
        try await withTemporaryCache(cache) { cache in

            // Load data concurrently (pyignite: asyncio.gather(*[cache.put(...) for i in range(20)])).
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<20 {
                    group.addTask { try await cache.put("key_\(i)", "value_\(i)") }
                }
                try await group.waitForAll()
            }
            say("20 puts, run concurrently")

            // Key-value queries.
            let value = try await cache.get("key_10", as: String.self)
            print(value ?? "nil")                                                       // value_10
            try expectEqual(value, "value_10", "get key_10")
            let some = try await cache.getAll((0..<10).map { "key_\($0)" }, as: String.self)
            print(some.sorted { $0.key < $1.key }.prefix(3).map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ", ...")
            try expectEqual(some.count, 10, "getAll of ten keys")
            try expectEqual(some["key_3"], "value_3", "key_3 in getAll")

            // Many reads at once, each awaited in the order they finish.
            let values = try await withThrowingTaskGroup(of: (String, String?).self) { group in
                for i in 0..<20 { group.addTask { ("key_\(i)", try await cache.get("key_\(i)", as: String.self)) } }
                var values: [String: String] = [:]
                for try await (key, value) in group { values[key] = value }
                return values
            }
            say("20 concurrent gets: \(values.count) values")
            try expectEqual(values.count, 20, "concurrent gets")

            // Requests made one after another run best on the client's event loop: no thread hop per reply.
            if #available(macOS 15.0, *) {
                try await withTaskExecutorPreference(client.executor) {
                    for i in 0..<20 { try await cache.put("key_\(i)", "value_\(i)") }     // the same values again
                }
                let size = try await cache.size()
                say("20 sequential puts on the client's executor; the cache holds \(size) entries")
                try expectEqual(size, 20, "the entries after the sequential puts")
            }

            // Scan query: `for try await` over the cursor.
            var scanned = 0
            for try await (key, value) in try await cache.scan(keyType: String.self, valueType: String.self) {
                if scanned < 3 { print("key = \(key), value = \(value)") }           // key = key_3, value = value_3 ...
                scanned += 1
            }
            say("... \(scanned) entries scanned")
            try expectEqual(scanned, 20, "the scanned entries")
        }
    }
}
