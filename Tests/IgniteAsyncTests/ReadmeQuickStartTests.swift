import IgniteAsync
import IgniteTestNode
import Testing

/// The README's async quick start, as written (against the test node, with its SQL registered).
@Suite("README async quick start", .timeLimit(.minutes(10)))
struct AsyncReadmeQuickStartTests {
    @Test(.disabled(if: AsyncTestEnvironment.isReal, "uses the test node's SQL fixtures"))
    func quickStartRuns() async throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1))
        defer { cluster.shutdown() }
        cluster.registerSQL("SELECT NAME FROM PERSON WHERE AGE > ?", columns: ["NAME"], rows: [[.string("Alice")]])
        let address = "127.0.0.1:\(cluster.endpoints[0].port)"
        var printed: [[IgniteValue]] = []
        func print(_ row: [IgniteValue]) { printed.append(row) }

        let client = try await IgniteClient(addresses: [address])
        defer { client.close() }                                    // never suspends

        let people = try await client.getOrCreateCache("people")
        try await people.put(1, "Alice")
        let name = try await people.get(1, as: String.self)        // "Alice"

        for try await row in try await client.sql("SELECT NAME FROM PERSON WHERE AGE > ?", arguments: [Int32(30)]) {
            print(row)                                              // the next page is fetched meanwhile
        }

        #expect(name == "Alice")
        #expect(printed == [[.string("Alice")]])
    }
}
