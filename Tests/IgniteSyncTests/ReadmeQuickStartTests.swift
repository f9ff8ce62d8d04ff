import Foundation
import IgniteSync
import Testing

/// The README's quick start, run as written (with a unique cache name), so the front page cannot rot.
@Suite("README quick start")
struct ReadmeQuickStartTests {
    struct Person: IgniteObjectCodable, Equatable {
        var id: Int32
        var name: String
        static let igniteTypeName = "org.example.Person"
    }

    @Test func quickStartRunsAsWritten() throws {
        try TestEnvironment.withClient { client, cluster in
            let cacheName = TestEnvironment.uniqueName("readme-people")
            let people = try client.getOrCreateCache(cacheName)
            defer { try? people.destroy() }

            try people.put(1, "Alice")
            let name = try people.get(1, as: String.self)
            #expect(name == "Alice")

            try people.put(2, Person(id: 2, name: "Bob"))
            let bob = try people.get(2, as: Person.self)
            #expect(bob == Person(id: 2, name: "Bob"))

            // The binary type was registered with the server before the first put.
            let type = try client.binaryType(named: "org.example.Person")
            #expect(type?.fields.map(\.name) == ["id", "name"])
            #expect(type?.fields.map(\.typeCode) == [Int32(TypeCode.int.rawValue), Int32(TypeCode.string.rawValue)])

            if let testCluster = cluster.testCluster {
                let sql = "SELECT NAME FROM PERSON WHERE AGE > ?"
                testCluster.registerSQL(sql, columns: ["NAME"], rows: [[.string("Carol")], [.string("Dave")]])
                var names: [IgniteValue] = []
                let rows = try client.sql(sql, arguments: [Int32(30)])
                while let row = try rows.next() { names.append(contentsOf: row) }
                #expect(names == [.string("Carol"), .string("Dave")])
                #expect(testCluster.recordedSQLParameters(sql) == [[.int(30)]])
            }
        }
    }
}
