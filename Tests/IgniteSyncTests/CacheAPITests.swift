import Foundation
import IgniteProtocol
import IgniteSync
import Testing

@Suite("IgniteCache key-value API")
struct CacheAPITests {
    @Test func putGetAndTypedValues() throws {
        try TestEnvironment.withCache { cache, _, _ in
            try cache.put(Int32(1), "one")
            #expect(try cache.get(Int32(1), as: String.self) == "one")
            #expect(try cache.get(Int32(2), as: String.self) == nil)
            #expect(try cache.get(Int32(1)) == .string("one"))
            try cache.put("pi", 3.14159)
            #expect(try cache.get("pi", as: Double.self) == 3.14159)
            try cache.put(Int64(7), [Int32(1), 2, 3])
            #expect(try cache.get(Int64(7), as: [Int32].self) == [1, 2, 3])
            try cache.put(IgniteValue.uuid(UUID(uuidString: "a438f733-0072-4a61-b4d6-3e53fe117e7f") ?? UUID()), true)
            #expect(try cache.get(IgniteValue.uuid(UUID(uuidString: "a438f733-0072-4a61-b4d6-3e53fe117e7f") ?? UUID()), as: Bool.self) == true)
            // A value of another type is a parse error, not a crash.
            #expect(throws: IgniteError.self) { try cache.get(Int32(1), as: Int64.self) }
        }
    }

    @Test func conditionalOperations() throws {
        try TestEnvironment.withCache { (cache: IgniteCache, _: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            #expect(try cache.putIfAbsent(1, "a"))
            #expect(try !cache.putIfAbsent(1, "b"))
            #expect(try cache.get(1, as: String.self) == "a")
            #expect(try cache.getAndPut(1, "c") == "a")
            #expect(try cache.getAndPutIfAbsent(1, "d") == "c")
            #expect(try cache.getAndPutIfAbsent(2, "e") == nil)
            #expect(try cache.get(2, as: String.self) == "e")
            #expect(try cache.getAndReplace(1, "f") == "c")
            #expect(try cache.getAndReplace(99, "x") == nil)
            #expect(try !cache.containsKey(99))
            #expect(try cache.replace(1, "g"))
            #expect(try !cache.replace(98, "g"))
            #expect(try cache.replace(1, ifEquals: "g", with: "h"))
            #expect(try !cache.replace(1, ifEquals: "zzz", with: "i"))
            #expect(try cache.get(1, as: String.self) == "h")
            #expect(try !cache.remove(1, ifEquals: "nope"))
            #expect(try cache.remove(1, ifEquals: "h"))
            #expect(try !cache.containsKey(1))
            #expect(try cache.getAndRemove(2, as: String.self) == "e")
            #expect(try cache.getAndRemove(2, as: String.self) == nil)
        }
    }

    @Test func removeClearAndContains() throws {
        try TestEnvironment.withCache { cache, _, _ in
            try cache.putAll((1...10).map { (Int32($0), "v\($0)") })
            #expect(try cache.containsKey(Int32(3)))
            #expect(try cache.containsKeys([Int32(1), 2, 3]))
            #expect(try !cache.containsKeys([Int32(1), 42]))
            #expect(try cache.remove(Int32(1)))
            #expect(try !cache.remove(Int32(1)))
            try cache.removeAll([Int32(2), 3])
            try cache.clear(Int32(4))
            try cache.clearAll([Int32(5), 6])
            #expect(try cache.size() == 4)
            try cache.clearAll([Int32(7)])
            #expect(try cache.size() == 3)
            try cache.removeAll()
            #expect(try cache.size() == 0)
            try cache.put(Int32(1), "x")
            try cache.clear()
            #expect(try cache.size(peekModes: [.all]) == 0)
        }
    }

    @Test func bulkGetAndPut() throws {
        try TestEnvironment.withCache { cache, _, _ in
            var entries: [Int32: String] = [:]
            for i in Int32(0)..<200 { entries[i] = "value \(i)" }
            try cache.putAll(entries)
            let read = try cache.getAll(Array(Int32(0)..<210), as: String.self)
            #expect(read == entries)
            #expect(try cache.getAll([Int32](), as: String.self).isEmpty)
            #expect(try cache.size(peekModes: [.primary]) == 200)
        }
    }

    @Test func peekAndSizeModes() throws {
        try TestEnvironment.withCache { cache, _, _ in
            try cache.put(Int32(5), Int32(50))
            let peeked = try cache.localPeek(Int32(5), as: Int32.self)
            #expect(peeked == 50 || TestEnvironment.isReal)
            #expect(try cache.size(peekModes: [.all]) >= 1)
        }
    }

    @Test func complexObjectsRoundTripAndRegisterTheirTypes() throws {
        try TestEnvironment.withCache { cache, client, _ in
            let typeName = "SwiftPerson\(UUID().uuidString.prefix(6))"
            var builder = BinaryObjectBuilder(typeName: typeName)
            builder.setField("name", .string("Alice"))
            builder.setField("age", .int(30))
            try cache.put(Int32(1), builder)
            let read = try #require(try cache.get(Int32(1), as: BinaryObject.self))
            #expect(read.typeId == JavaHash.typeId(typeName))
            let registered = try #require(try client.binaryType(named: typeName))
            #expect(registered.typeName == typeName)
            #expect(Set(registered.fields.map(\.name)) == ["name", "age"])
        }
    }

    @Test func expiryPolicyHandle() throws {
        try TestEnvironment.withCache { cache, _, _ in
            let expiring = cache.withExpiryPolicy(create: .zero)
            #expect(expiring.expiryPolicy != nil)
            try expiring.put(Int32(1), "gone")
            // Created with a zero TTL: never visible.
            #expect(try cache.get(Int32(1), as: String.self) == nil)
            let lasting = cache.withExpiryPolicy(create: .seconds(3600))
            try lasting.put(Int32(2), "kept")
            #expect(try cache.get(Int32(2), as: String.self) == "kept")
        }
    }

    @Test func missingCacheIsACacheErrorWithStatus1000() throws {
        try TestEnvironment.withClient { client, _ in
            let missing = client.cache(TestEnvironment.uniqueName("missing"))
            let error = try #require(throws: IgniteError.self) { try missing.put(Int32(1), Int32(1)) }
            #expect(error.code == .cache)
            #expect(error.serverStatus == 1000)
        }
    }
}

/// A user type that reads fields by name: decoding a compact-footer object needs its schema.
struct SchemaPerson: IgniteBinaryDecodable {
    var name: String
    var age: Int32

    init(igniteValue value: IgniteValue, schemas: (any BinarySchemaResolver)?) throws {
        guard case .object(let object) = value else { throw IgniteError.parse("not an object") }
        name = try object.field("name", as: String.self, schemas: schemas) ?? ""
        age = try object.field("age", as: Int32.self, schemas: schemas) ?? 0
    }
}

@Suite("Binary metadata on the read path")
struct SchemaFetchTests {
    @Test func aFreshClientFetchesTheMissingSchemaAndDecodes() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let writer = try cluster.client()
        defer { writer.close() }
        let cache = try writer.createCache(TestEnvironment.uniqueName())
        defer { try? cache.destroy() }
        var builder = BinaryObjectBuilder(typeName: "SchemaPerson\(UUID().uuidString.prefix(6))", compactFooter: true)
        builder.setField("name", .string("Grace"))
        builder.setField("age", .int(45))
        try cache.put(Int32(1), builder)

        // Another client has never seen the type: its first decode fails for lack of the schema, the client
        // fetches the type (OP_GET_BINARY_TYPE) and decodes again.
        let reader = try cluster.client()
        defer { reader.close() }
        let person = try #require(try reader.cache(cache.name).get(Int32(1), as: SchemaPerson.self))
        #expect(person.name == "Grace")
        #expect(person.age == 45)
        let rows = try reader.cache(cache.name).scan(keyType: Int32.self, valueType: SchemaPerson.self).all()
        #expect(rows.first?.value.name == "Grace")
    }
}

struct CodableCity: IgniteObjectCodable, Hashable {
    var id: Int
    var name: String
    var country: String?
    var population: Int32
    static var igniteTypeName: String { "swift.test.CodableCity" }
}

@Suite("Codable objects")
struct CodableObjectTests {
    @Test func codableValuesRoundTripThroughEveryPath() throws {
        try TestEnvironment.withCache { (cache: IgniteCache, client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            let cities = [CodableCity(id: 1, name: "Oslo", country: "NO", population: 700_000),
                          CodableCity(id: 2, name: "Lima", country: nil, population: 10_000_000)]
            try client.registerBinaryType(CodableCity.self, affinityKeyField: "country")
            for city in cities { try cache.put(city.id, city) }
            #expect(try cache.get(1, as: CodableCity.self) == cities[0])
            #expect(try cache.getAll([1, 2], as: CodableCity.self) == [1: cities[0], 2: cities[1]])
            let scanned = try cache.scan(keyType: Int.self, valueType: CodableCity.self).all()
            #expect(Set(scanned.map(\.value)) == Set(cities))
            // Codable objects are keys too.
            try cache.put(cities[1], "a city as a key")
            #expect(try cache.get(cities[1], as: String.self) == "a city as a key")
            let type = try #require(try client.binaryType(named: "swift.test.CodableCity"))
            #expect(type.affinityKeyFieldName == "country")
            #expect(Set(type.fields.map(\.name)) == ["id", "name", "country", "population"])
        }
    }
}
