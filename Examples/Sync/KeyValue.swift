// pyignite's get_and_put.py (manual 3.1, "Key-value"): create a cache, put, get, get several keys at once; then the
// other single-key operations and a typed view of the cache.
import IgniteExampleSupport
import IgniteSync

enum KeyValueExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("key-value")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }

        // Create a cache (a unique name, so that a real cluster's caches are never touched).
        let cache = try client.createCache("my cache \(runSuffix)")
        defer { try? cache.destroy() }
        say("created cache '\(cache.name)'")

        // Put a value; Swift's Int is a Java long, as Python's int is for pyignite.
        try cache.put("my key", 42)
        let value = try cache.get("my key", as: Int.self)
        say("get 'my key' = \(value.map(String.init) ?? "nil")")                        // 42
        try expectEqual(value, 42, "get 'my key'")

        let missing = try cache.get("non-existent key", as: Int.self)
        say("get 'non-existent key' = \(missing.map(String.init) ?? "nil")")            // nil
        try expectEqual(missing, nil, "get of a missing key")

        // Several keys at once: absent keys are simply not in the result.
        let some = try cache.getAll(["my key", "non-existent key", "other-key"], as: Int.self)
        say("getAll = \(some)")                                                          // ["my key": 42]
        try expectEqual(some, ["my key": 42], "getAll")

        // The other single-key operations return what the cache held before.
        let previous = try cache.getAndPut("my key", 43)
        say("getAndPut 'my key' 43, previous = \(previous.map(String.init) ?? "nil")")  // 42
        try expectEqual(previous, 42, "getAndPut")
        try expectEqual(try cache.putIfAbsent("my key", 44), false, "putIfAbsent of a present key")
        try expectEqual(try cache.replace("my key", ifEquals: 43, with: 45), true, "replace(ifEquals:)")
        try expectEqual(try cache.getAndRemove("my key", as: Int.self), 45, "getAndRemove")
        try expectEqual(try cache.containsKey("my key"), false, "containsKey after getAndRemove")
        say("putIfAbsent, replace(ifEquals:), getAndRemove: as expected")

        // A cache holding one key type and one value type can be used through a typed view.
        let scores = cache.typed(String.self, Int.self)
        try scores.putAll(["alice": 10, "bob": 7])
        let alice = try scores.get("alice")
        say("typed view: alice = \(alice.map(String.init) ?? "nil"), size = \(try scores.size())")
        try expectEqual(alice, 10, "typed get")
        try expectEqual(try scores.size(), 2, "size")
    }
}
