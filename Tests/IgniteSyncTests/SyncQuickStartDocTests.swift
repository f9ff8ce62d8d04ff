import Foundation
import IgniteSync
import Testing

/// The snippets of Docs/SYNC-QUICKSTART.md (key-value, typed view, queries, transactions), run as written with
/// unique cache names, so that the guide compiles and does what it says.
@Suite("Docs/SYNC-QUICKSTART.md samples")
struct SyncQuickStartDocTests {
    struct Person: IgniteObjectCodable, Equatable { var name: String; var age: Int32; static let igniteTypeName = "swift.doc.Person" }

    @Test func keyValueAndTypedView() throws {
        try TestEnvironment.withClient { client, _ in
            let people = try client.getOrCreateCache(TestEnvironment.uniqueName("doc-people"))
            defer { try? people.destroy() }
            try people.put(1, "Alice")
            let name = try people.get(1, as: String.self)
            #expect(name == "Alice")
            let any = try people.get(1)
            #expect(any == .string("Alice"))
            try people.putAll([2: "Bob", 3: "Carol"])
            let some = try people.getAll([1, 2, 42], as: String.self)
            #expect(some == [1: "Alice", 2: "Bob"])
            #expect(try people.replace(2, ifEquals: "Bob", with: "Robert"))
            let old = try people.getAndRemove(3, as: String.self)
            #expect(old == "Carol")
            #expect(try people.remove(1))
            try people.removeAll([2, 3])
            let count = try people.size(peekModes: [.primary])
            #expect(count == 0)

            let staff = client.cache(people.name, of: Int.self, Person.self)
            try staff.put(1, Person(name: "Ada", age: 36))
            let ada = try staff.get(1)
            #expect(ada == Person(name: "Ada", age: 36))
            let all = try staff.scan().all()
            #expect(all.map(\.key) == [1])
        }
    }

    @Test func queriesAndTransactions() throws {
        try TestEnvironment.withClient { client, cluster in
            let people = try client.getOrCreateCache(TestEnvironment.uniqueName("doc-scan"))
            defer { try? people.destroy() }
            try people.putAll([1: "Alice", 2: "Bob"])
            let cursor = try people.scan(pageSize: 512, keyType: Int.self, valueType: String.self)
            var seen: [Int: String] = [:]
            while let entry = try cursor.next() { seen[entry.key] = entry.value }
            #expect(seen == [1: "Alice", 2: "Bob"])

            if let testCluster = cluster.testCluster {
                let sql = "SELECT NAME, AGE FROM PERSON WHERE AGE > ?"
                testCluster.registerSQL(sql, columns: ["NAME", "AGE"], rows: [[.string("Carol"), .int(41)]])
                let rows = try client.sql(sql, arguments: [Int32(30)], includeFieldNames: true)
                #expect(rows.fieldNames == ["NAME", "AGE"])
                var printed: [[IgniteValue]] = []
                try rows.forEach { row in printed.append(row) }
                #expect(printed == [[.string("Carol"), .int(41)]])
            }

            var accounts = CacheConfiguration(name: TestEnvironment.uniqueName("doc-accounts"))
            accounts.atomicityMode = .transactional
            let cache = try client.getOrCreateCache(accounts)
            defer { try? cache.destroy() }
            try cache.put("alice", 100)
            try client.transaction(concurrency: .pessimistic, isolation: .repeatableRead, timeout: .seconds(5)) { tx in
                let inTx = tx.cache(cache)
                let balance = try inTx.get("alice", as: Int.self) ?? 0
                try inTx.put("alice", balance - 10)
            }
            #expect(try cache.get("alice", as: Int.self) == 90)

            let tx = try client.startTransaction()
            defer { tx.close() }
            try tx.cache(cache).put("alice", 0)
            // `defer { tx.close() }` rolls back what was not committed.
            tx.close()
            #expect(try cache.get("alice", as: Int.self) == 90)
        }
    }
}
