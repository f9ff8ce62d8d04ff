import Foundation
import IgniteTesting
import Testing

/// A sample of what an application's test target does with IgniteTesting (Docs/TESTING.md): the application code
/// (`OrderStore`) talks to Ignite with `IgniteClient`; the tests run it against an in-process node, with SQL, and
/// against a small cluster that loses a node or answers garbage.
struct OrderStore {
    let client: IgniteClient

    func createSchema() throws {
        _ = try client.sql("CREATE TABLE IF NOT EXISTS ORDERS (ID BIGINT PRIMARY KEY, CUSTOMER VARCHAR, TOTAL DECIMAL(10,2)) WITH \"VALUE_TYPE=Order\"").all()
    }

    func save(id: Int64, customer: String, total: IgniteDecimal) throws {
        _ = try client.sql("MERGE INTO ORDERS (ID, CUSTOMER, TOTAL) VALUES (?, ?, ?)", arguments: [id, customer, IgniteValue.decimal(total)]).all()
    }

    func totals() throws -> [String: IgniteValue] {
        var result: [String: IgniteValue] = [:]
        for row in try client.sql("SELECT CUSTOMER, SUM(TOTAL) FROM ORDERS GROUP BY CUSTOMER").all() {
            if case .string(let customer) = row[0] { result[customer] = row[1] }
        }
        return result
    }
}

@Suite("IgniteTesting: an application's tests against an in-process node")
struct OrderStoreTests {
    @Test("SQL runs on the test node; rows are cache entries the key-value API sees")
    func ordersBySQL() throws {
        try withTestCluster { cluster, client in
            let store = OrderStore(client: client)
            try store.createSchema()
            try store.save(id: 1, customer: "ada", total: IgniteDecimal(unscaled: 1250, scale: 2))
            try store.save(id: 2, customer: "ada", total: IgniteDecimal(unscaled: 250, scale: 2))
            try store.save(id: 3, customer: "alan", total: IgniteDecimal(unscaled: 999, scale: 2))
            #expect(try store.totals() == ["ada": .decimal(IgniteDecimal(unscaled: 1500, scale: 2)), "alan": .decimal(IgniteDecimal(unscaled: 999, scale: 2))])
            // The table is the cache SQL_PUBLIC_ORDERS; each row is an `Order` binary object.
            guard case .object(let order)? = try client.cache("SQL_PUBLIC_ORDERS").get(Int64(3), as: IgniteValue.self) else {
                Issue.record("a row is a binary object")
                return
            }
            #expect(order.typeName(schemas: client.binarySchemas) == "Order")
            #expect(cluster.sqlStatistics.tables == 1)
        }
    }

    @Test("a three-node cluster: endpoints, a node stopped and restarted, a fault injected")
    func clusterAndFaults() throws {
        let cluster = try IgniteTestCluster.start(nodes: 3) { $0.backups = 1 }
        defer { cluster.shutdown() }
        #expect(cluster.endpoints.count == 3)
        let client = try cluster.makeClient()
        defer { client.close() }
        let cache = try client.createCache("sessions")
        for id in 0..<20 { try cache.put(Int64(id), "session \(id)") }

        cluster.stopNode(2)
        #expect(try cache.get(Int64(7), as: String.self) == "session 7")   // the data lives on; the client uses the others
        try cluster.restartNode(2)
        #expect(try cache.size() == 20)

        cluster.nodes[0].inject(.garbageFrame)
        let broken = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: [cluster.endpoints[0]]))
        defer { broken.close() }
        #expect(throws: IgniteError.self) { _ = try broken.cache("sessions").get(Int64(1), as: String.self) }
        cluster.nodes[0].inject(.none)
    }
}

/// The examples of README.md and Docs/TESTING.md, as written there.
@Suite("IgniteTesting: the documented examples")
struct DocumentedExamplesTests {
    @Test("README: orders are totalled")
    func ordersAreTotalled() throws {
        try withTestCluster { cluster, client in
            _ = try client.sql("CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY, CUSTOMER VARCHAR, TOTAL DECIMAL(10,2))").all()
            _ = try client.sql("INSERT INTO ORDERS VALUES (1, 'ada', 12.50), (2, 'ada', 2.50)").all()
            #expect(try client.sql("SELECT SUM(TOTAL) FROM ORDERS").all() == [[.decimal(IgniteDecimal(unscaled: 1500, scale: 2))]])
        }
    }
}
