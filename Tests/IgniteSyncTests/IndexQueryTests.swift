import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// A value type with a sorted index on `age` and one on (`city`, `age`).
struct IndexedPerson: IgniteObjectCodable, Hashable {
    var name: String
    var age: Int32
    var city: String?
    static var igniteTypeName: String { "swift.test.IndexedPerson" }

    static func configuration(_ name: String) -> CacheConfiguration {
        var configuration = CacheConfiguration(name: name)
        configuration.queryEntities = [QueryEntity(
            keyType: "java.lang.Integer", valueType: igniteTypeName, tableName: "INDEXED_PERSON",
            fields: [QueryField(name: "name", typeName: "java.lang.String"), QueryField(name: "age", typeName: "java.lang.Integer"),
                     QueryField(name: "city", typeName: "java.lang.String")],
            indexes: [QueryIndex(name: "AGE_IDX", fields: [.init(name: "age")]),
                      QueryIndex(name: "CITY_AGE_IDX", fields: [.init(name: "city"), .init(name: "age")])])]
        return configuration
    }
}

@Suite("Index queries", .serialized)
struct IndexQueryTests {
    static func load(_ cache: IgniteCache) throws {
        for i in 0..<50 {
            try cache.put(Int32(i), IndexedPerson(name: "p\(i)", age: Int32(i), city: i % 5 == 0 ? nil : ["Oslo", "Rome"][i % 2]))
        }
    }

    static func ages(_ cursor: ScanCursor<Int32, IndexedPerson>) throws -> [Int32] { try cursor.all().map(\.value.age) }

    @Test(arguments: [1, 3]) func criteriaFindTheRightEntriesInIndexOrder(nodes: Int) throws {
        try TestEnvironment.withClient(nodes: nodes) { client, _ in
            let cache = try client.createCache(IndexedPerson.configuration(TestEnvironment.uniqueName("swift-idx")))
            defer { try? cache.destroy() }
            try Self.load(cache)
            let type = IndexedPerson.igniteTypeName
            func query(_ criteria: [IndexQueryCriterion], index: String? = nil, pageSize: Int = 7, limit: Int? = nil) throws -> [Int32] {
                try Self.ages(cache.indexQuery(type, index: index, criteria: criteria, pageSize: pageSize, limit: limit,
                                               keyType: Int32.self, valueType: IndexedPerson.self))
            }
            // Index order is promised only for a NAMED index: GridGain 8 runs an index query as SQL and adds
            // `ORDER BY` the index's columns only then (`IndexQuerySqlGenerator`); Apache Ignite walks the index.
            let age = "AGE_IDX"
            #expect(try query([.equal("age", .int(7))]) == [7])
            #expect(try query([.greater("age", .int(45))], index: age) == [46, 47, 48, 49])
            #expect(try query([.greaterOrEqual("age", .int(47))], index: age) == [47, 48, 49])
            #expect(try query([.less("age", .int(3))], index: age) == [0, 1, 2])
            #expect(try query([.lessOrEqual("age", .int(2))], index: age) == [0, 1, 2])
            #expect(try query([.between("age", .int(10), .int(14))], index: age) == [10, 11, 12, 13, 14])
            #expect(try query([.isIn("age", [.int(33), .int(3), .int(99)])], index: age) == [3, 33])
            #expect(try query([.greater("age", .int(45))]).sorted() == [46, 47, 48, 49])
            #expect(try query([], index: age).count == 50)
            #expect(try query([.greater("age", .int(10))], index: age, limit: 4) == [11, 12, 13, 14])
            // Two fields of CITY_AGE_IDX: Rome (odd ages not divisible by 5) with age < 10.
            #expect(try query([.equal("city", .string("Rome")), .less("age", .int(10))], index: "CITY_AGE_IDX") == [1, 3, 7, 9])
            // NULL in an IN list finds null fields on both servers: cities are null for multiples of 5.
            let nullCities: [Int32] = [0, 5, 10, 15, 20, 25, 30, 35, 40, 45]
            #expect(try query([.isIn("city", [.null])], index: "CITY_AGE_IDX") == nullCities)
            // A NULL bound (`isNull`, Java `eq(f, null)`) walks Apache's index to the null entries; GridGain's SQL
            // translation refuses it (`RangeIndexQueryCriterion.toSql`).
            do {
                #expect(try query([.isNull("city")], index: "CITY_AGE_IDX") == nullCities)
            } catch let error as IgniteError {
                #expect(error.message.contains("Unsupported criterion [criterion=city[null; null]]"))
            }
        }
    }

    @Test func partitionRestrictsTheResult() throws {
        try TestEnvironment.withClient(nodes: 3) { client, cluster in
            let name = TestEnvironment.uniqueName("swift-idx-part")
            let cache = try client.createCache(IndexedPerson.configuration(name))
            defer { try? cache.destroy() }
            try Self.load(cache)
            guard let partition = cluster.testCluster?.partition(ofKey: .int(7), cacheName: name) else { return }
            let found = try cache.indexQuery(IndexedPerson.igniteTypeName, criteria: [.greaterOrEqual("age", .int(0))], partition: partition,
                                             keyType: Int32.self, valueType: IndexedPerson.self).all()
            #expect(found.contains { $0.key == 7 })
            #expect(found.allSatisfy { cluster.testCluster?.partition(ofKey: .int($0.key), cacheName: name) == partition })
        }
    }

    @Test func unknownTypeOrIndexIsAServerError() throws {
        try TestEnvironment.withClient { client, _ in
            let cache = try client.createCache(IndexedPerson.configuration(TestEnvironment.uniqueName("swift-idx-err")))
            defer { try? cache.destroy() }
            // GridGain 8 (the test node's default flavour) gets the simple name and answers status 1 "Failed to find
            // SQL table for type: Type" (`GridQueryProcessor.typeName`); Apache Ignite gets the full name and answers
            // "No table found for type: no.such.Type" (`IndexQueryProcessor.findSortedIndex`).
            let unknown = #expect(throws: IgniteError.self) { _ = try cache.indexQuery("no.such.Type").all() }
            #expect(unknown?.serverStatus == 1)
            let message = unknown?.message ?? ""
            #expect(message.contains("Failed to find SQL table for type: Type") || message.contains("No table found for type: no.such.Type"))
            // A table name is not a type name.
            #expect(throws: IgniteError.self) { _ = try cache.indexQuery("INDEXED_PERSON").all() }
            // GridGain: `IndexQuerySqlGenerator.resolveIndex`; Apache: `IndexQueryProcessor.indexByName`.
            let index = #expect(throws: IgniteError.self) { _ = try cache.indexQuery(IndexedPerson.igniteTypeName, index: "no_such_idx").all() }
            let indexMessage = index?.message ?? ""
            #expect(indexMessage.contains("Index \"NO_SUCH_IDX\" not found.") || indexMessage.contains("No index found for name: NO_SUCH_IDX"),
                    "\(indexMessage)")
            #expect(throws: IgniteError.self) { _ = try cache.indexQuery(IndexedPerson.igniteTypeName, limit: 0) }
        }
    }

    @Test func serverWithoutTheFeatureGivesATypedError() throws {
        guard !TestEnvironment.isReal else { return }
        try TestEnvironment.withClient({ $0.features = ProtocolFeatures([.heartbeat]) }) { client, _ in
            let cache = try client.createCache(IndexedPerson.configuration(TestEnvironment.uniqueName("swift-idx-nobit")))
            defer { try? cache.destroy() }
            let error = #expect(throws: IgniteError.self) { _ = try cache.indexQuery(IndexedPerson.igniteTypeName) }
            #expect(error?.code == .notSupportedByCluster)
        }
    }
}
