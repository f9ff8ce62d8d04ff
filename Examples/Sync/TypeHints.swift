// pyignite's type_hints.py (manual 3.1.6, "Type hints usage"). pyignite guesses an Ignite type from a Python value
// and takes a hint (`value_hint=ShortObject`, `key_hint=CharObject`) to choose another one. In Swift the static
// type of the value is the hint: `Int` is a Java long, `Int16` a short, `JavaChar` a char; `IgniteValue` names any
// Ignite type explicitly.
import IgniteExampleSupport
import IgniteSync

enum TypeHintsExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("type-hints")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }
        let cache = try client.createCache("my cache \(runSuffix)")
        defer { try? cache.destroy() }

        try cache.put("my key", 42)                    // Int: a long, 9 bytes
        let asLong = try cache.get("my key")
        say("put 'my key' 42 as Int   -> stored as \(asLong.map { "\($0)" } ?? "nil")")
        try expectEqual(asLong, .long(42), "an Int value")

        try cache.put("my key", Int16(42))             // Int16: a short, 3 bytes
        let asShort = try cache.get("my key")
        say("put 'my key' 42 as Int16 -> stored as \(asShort.map { "\($0)" } ?? "nil")")
        try expectEqual(asShort, .short(42), "an Int16 value")

        // Keys: the String "a" and the char 'a' are different keys.
        try cache.put("a", 1)
        try cache.put(JavaChar("a"), 2)
        let byString = try cache.get("a", as: Int.self)
        let byChar = try cache.get(JavaChar("a"), as: Int.self)
        say("get \"a\" = \(byString.map(String.init) ?? "nil"), get JavaChar(\"a\") = \(byChar.map(String.init) ?? "nil")")   // 1, 2
        try expectEqual(byString, 1, "the String key")
        try expectEqual(byChar, 2, "the char key")

        // Keys of different types in one call: IgniteValue says the type of each one.
        try cache.removeAll([IgniteValue.string("a"), .char(JavaChar("a"))])
        let left = try cache.containsKey("a") || cache.containsKey(JavaChar("a"))
        say("removeAll [\"a\", JavaChar(\"a\")]: any left = \(left)")
        try expectEqual(left, false, "keys left after removeAll")

        // Reading back with a Swift type converts only when no precision is lost.
        try cache.put("small", Int32(7))
        let widened = try cache.get("small", as: Int.self)
        say("an int read as Int = \(widened.map(String.init) ?? "nil")")
        try expectEqual(widened, 7, "an int read as Int")
        do {
            _ = try cache.get("small", as: String.self)
            throw ExampleFailure("an int was read as a String")
        } catch let error as IgniteError {
            say("an int read as String fails: \(error.code)")
        }
    }
}
