// pyignite's get_and_put_complex.py (manual 3.2, "Object collections"): maps, collections and object arrays.
// pyignite writes them as (type id, value) tuples; in Swift, dictionaries, arrays and sets map to Java collections,
// and IgniteMap, IgniteCollection and IgniteObjectArray choose the exact Java kind and mix element types.
import IgniteExampleSupport
import IgniteSync

enum CollectionsExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("collections")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }
        let cache = try client.createCache("my cache \(runSuffix)")
        defer { try? cache.destroy() }

        // Map: an ordered map (Java LinkedHashMap) with keys and values of mixed types.
        let ordered = IgniteMap([IgniteMapEntry(.long(1), .string("test")), IgniteMapEntry(.string("key"), .double(2.0))],
                                kind: .linkedHashMap)
        try cache.put("my dict", ordered)
        let map = try cache.get("my dict", as: IgniteMap.self)
        say("LinkedHashMap read back: kind \(map.map { "\($0.kind)" } ?? "nil"), entries \(map?.entries.map { "\($0.key.sqlText): \($0.value.sqlText)" } ?? [])")
        try expectEqual(map, ordered, "the linked hash map")

        // A Swift dictionary is a Java HashMap.
        try cache.put("swift dict", ["one": 1, "two": 2])
        let dictionary = try cache.get("swift dict", as: [String: Int].self)
        say("[String: Int] read back: \(dictionary?.sorted { $0.key < $1.key } ?? [])")
        try expectEqual(dictionary, ["one": 1, "two": 2], "the dictionary")

        // Collection: a LinkedList of mixed values (pyignite: (CollectionObject.LINKED_LIST, [1, '2', 3.0])).
        let list = IgniteCollection([.long(1), .string("2"), .double(3.0)], kind: .linkedList)
        try cache.put("my list", list)
        let listBack = try cache.get("my list", as: IgniteCollection.self)
        say("LinkedList read back: kind \(listBack.map { "\($0.kind)" } ?? "nil"), \(listBack?.elements.map(\.sqlText) ?? [])")
        try expectEqual(listBack, list, "the linked list")

        // A Swift Set is a Java HashSet; its order is the set's own.
        try cache.put("my set", Set(["4", "test", "5.6"]))
        let set = try cache.get("my set", as: Set<String>.self)
        say("Set<String> read back: \(set?.sorted() ?? [])")
        try expectEqual(set, Set(["4", "test", "5.6"]), "the set")

        // Object array: Java Object[] (pyignite: (ObjectArrayObject.OBJECT, [7, '8', 9.0])).
        let array = IgniteObjectArray([.long(7), .string("8"), .double(9.0)])
        try cache.put("my array of objects", array)
        let arrayBack = try cache.get("my array of objects", as: IgniteObjectArray.self)
        say("Object[] read back: element type \(arrayBack?.elementTypeId ?? 0), \(arrayBack?.elements.map(\.sqlText) ?? [])")
        try expectEqual(arrayBack?.elements, array.elements, "the object array")

        // Arrays of one Swift type are Java typed arrays: [Int32] is an int[].
        try cache.put("int array", [Int32(1), 2, 3])
        let ints = try cache.get("int array")
        say("[Int32] is stored as \(ints.map { "\($0)" } ?? "nil")")
        try expectEqual(ints, .intArray([1, 2, 3]), "the int array")
    }
}
