import Foundation
import IgniteAsync
import IgniteTestNode
import Testing

/// A value type with a sorted index on `age` and one on (`city`, `age`).
struct AsyncIndexedPerson: IgniteObjectCodable, Hashable {
    var name: String
    var age: Int32
    var city: String?
    static var igniteTypeName: String { "swift.async.IndexedPerson" }

    static func configuration(_ name: String) -> CacheConfiguration {
        var configuration = CacheConfiguration(name: name)
        configuration.queryEntities = [QueryEntity(
            keyType: "java.lang.Integer", valueType: igniteTypeName, tableName: "ASYNC_INDEXED_PERSON",
            fields: [QueryField(name: "name", typeName: "java.lang.String"), QueryField(name: "age", typeName: "java.lang.Integer"),
                     QueryField(name: "city", typeName: "java.lang.String")],
            indexes: [QueryIndex(name: "AGE_IDX", fields: [.init(name: "age")]),
                      QueryIndex(name: "CITY_AGE_IDX", fields: [.init(name: "city"), .init(name: "age")])])]
        return configuration
    }
}

@Suite("IgniteAsync index queries", .timeLimit(.minutes(10)))
struct AsyncIndexQueryTests {
    @Test(arguments: [1, 3]) func criteriaAsAnAsyncSequence(nodes: Int) async throws {
        let cluster = try AsyncTestEnvironment.Cluster(nodes: nodes)
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await client.createCache(AsyncIndexedPerson.configuration(AsyncTestEnvironment.uniqueName("swift-async-idx")))
        for i in 0..<50 {
            try await cache.put(Int32(i), AsyncIndexedPerson(name: "p\(i)", age: Int32(i), city: i % 5 == 0 ? nil : ["Oslo", "Rome"][i % 2]))
        }
        let type = AsyncIndexedPerson.igniteTypeName
        func query(_ criteria: [IndexQueryCriterion], index: String? = nil, limit: Int? = nil) async throws -> [Int32] {
            var ages: [Int32] = []
            for try await entry in try await cache.indexQuery(type, index: index, criteria: criteria, pageSize: 4, limit: limit,
                                                               keyType: Int32.self, valueType: AsyncIndexedPerson.self) {
                ages.append(entry.value.age)
            }
            return ages
        }
        // Index order needs a named index (GridGain 8 orders by it only then: `IndexQuerySqlGenerator`).
        #expect(try await query([.between("age", .int(10), .int(13))], index: "AGE_IDX") == [10, 11, 12, 13])
        #expect(try await query([.isIn("age", [.int(40), .int(4)])], index: "AGE_IDX") == [4, 40])
        #expect(try await query([.greater("age", .int(40))], index: "AGE_IDX", limit: 3) == [41, 42, 43])
        #expect(try await query([.between("age", .int(10), .int(13))]).sorted() == [10, 11, 12, 13])
        #expect(try await query([.equal("city", .string("Oslo")), .lessOrEqual("age", .int(8))], index: "CITY_AGE_IDX") == [2, 4, 6, 8])
        // NULL in an IN list works on both servers; a NULL bound (`isNull`) only on Apache Ignite.
        #expect(try await query([.isIn("city", [.null])], index: "CITY_AGE_IDX").count == 10)
        // Leaving the loop early closes the cursor on the server.
        let cursor = try await cache.indexQuery(type, criteria: [.greaterOrEqual("age", .int(0))], pageSize: 2,
                                                keyType: Int32.self, valueType: AsyncIndexedPerson.self)
        for try await _ in cursor { break }
        await #expect(throws: IgniteError.self) { _ = try await cache.indexQuery("NoSuchType").all() }
        try await cache.destroy()
    }
}
