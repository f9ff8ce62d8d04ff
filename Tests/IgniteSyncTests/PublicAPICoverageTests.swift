import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// Public methods not exercised elsewhere; each test names what it covers.
@Suite("Public API coverage")
struct PublicAPICoverageTests {
    /// `IgniteClient(addresses:)`, `protocolContext()`, `connectedNodeIds`, `IgniteClientConfiguration(addresses:)`.
    @Test func connectByAddressStrings() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let client = try IgniteClient(addresses: cluster.endpoints.map(\.description))
        defer { client.close() }
        let context = try client.protocolContext()
        #expect(context.version >= .v1_2_0)
        #expect(!client.connectedNodeIds.isEmpty)
        #expect(throws: IgniteError.self) { try IgniteClient(addresses: ["host:notaport"]) }
        #expect(throws: IgniteError.self) { try IgniteClient(configuration: IgniteClientConfiguration(endpoints: [])) }
        let parsed = try IgniteClientConfiguration(addresses: ["[::1]:10801", "node1"])
        #expect(parsed.endpoints == [IgniteEndpoint(host: "::1", port: 10801), IgniteEndpoint(host: "node1", port: 10800)])
    }

    /// With no node answering, connecting is a reconnect error naming the endpoints.
    @Test func connectingToNothingIsAReconnectError() throws {
        let server = try ScriptedServer { _ in }
        let port = server.port
        server.stop()
        var configuration = IgniteClientConfiguration(endpoints: [IgniteEndpoint(host: "127.0.0.1", port: port)])
        configuration.connectTimeout = .seconds(5)
        let error = try #require(throws: IgniteError.self) { try IgniteClient(configuration: configuration) }
        #expect(error.code == .reconnect)
        #expect(error.description.contains("\(port)"))
    }

    /// The client works over IPv6 (the test node listens on `::1`).
    @Test(.disabled(if: TestEnvironment.isReal, "starts a test node on the IPv6 loopback"))
    func ipv6Loopback() throws {
        let cluster: IgniteTestCluster
        do {
            cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1, host: "::1"))
        } catch {
            return  // no IPv6 loopback on this machine
        }
        defer { cluster.shutdown() }
        let client = try IgniteClient(addresses: cluster.endpoints.map(\.description))
        defer { client.close() }
        #expect(cluster.endpoints.first?.host == "::1")
        let cache = try client.createCache(TestEnvironment.uniqueName())
        try cache.put(Int32(6), "six")
        #expect(try cache.get(Int32(6), as: String.self) == "six")
        try cache.destroy()
    }

    /// `sql(...)` with all fourteen of pyignite's parameters, the statement type check, a SQL cursor closed early.
    @Test func sqlWithEveryParameterAndEarlyClose() throws {
        try TestEnvironment.withCache { (cache: IgniteCache, client: IgniteClient, cluster: TestEnvironment.Cluster) throws -> Void in
            let table = "SWIFT_ALL_\(UUID().uuidString.prefix(6))"
            let create = "CREATE TABLE \(table) (ID INT PRIMARY KEY, NAME VARCHAR)"
            let insert = "INSERT INTO \(table) (ID, NAME) VALUES (?, ?)"
            let select = "SELECT ID, NAME FROM \(table) WHERE ID >= ? ORDER BY ID"
            if let node = cluster.testCluster {
                node.registerSQLUpdate(create, count: 0)
                node.registerSQLUpdate(insert, count: 1)
                node.registerSQL(select, columns: ["ID", "NAME"], rows: (1...6).map { [.int(Int32($0)), .string("n\($0)")] })
                node.registerSQLUpdate("DROP TABLE \(table)", count: 0)
            }
            _ = try client.sql(create, schema: "PUBLIC", statementType: .update).all()
            defer { _ = try? client.sql("DROP TABLE \(table)").all() }
            for i in 1...6 { _ = try client.sql(insert, arguments: [Int32(i), "n\(i)"], statementType: .update).all() }

            let cursor = try client.sql(select, pageSize: 2, arguments: [Int32(1)], schema: "PUBLIC", statementType: .select,
                                        distributedJoins: false, local: false, replicatedOnly: false, enforceJoinOrder: true,
                                        collocated: true, lazy: true, includeFieldNames: true, maxRows: 100, timeout: .seconds(30),
                                        cache: nil)
            #expect(cursor.fieldNames == ["ID", "NAME"])
            #expect(cursor.columnCount == 2)
            let first = try #require(try cursor.next())
            #expect(first == [.int(1), .string("n1")])
            // A column that is not a `T` is a typed error, not a crash.
            #expect(throws: IgniteError.self) { try cursor.next(as: Int32.self) }
            #expect(cursor.hasMore)
            try cursor.close()
            try cursor.close()
            #expect(try cursor.next() == nil)

            // A SELECT declared as an update is refused by the server.
            let mismatch = try #require(throws: IgniteError.self) { try client.sql(select, arguments: [Int32(1)], statementType: .update) }
            #expect(mismatch.code == .sql)
            #expect(throws: IgniteError.self) { try client.sql(select, pageSize: 0) }
            #expect(throws: IgniteError.self) { try client.sql(select, maxRows: -1) }
        }
    }

    /// `withExpiryPolicy(_:)` with a policy value (the duration form is covered in CacheAPITests).
    @Test func expiryPolicyValue() throws {
        try TestEnvironment.withCache { (cache: IgniteCache, _: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            let eternal = cache.withExpiryPolicy(ExpiryPolicy(create: .eternal, update: .unchanged, access: .unchanged))
            #expect(eternal.name == cache.name)
            #expect(eternal.cacheId == cache.cacheId)
            try eternal.put(Int32(1), "kept")
            #expect(try cache.get(Int32(1), as: String.self) == "kept")
            let gone = cache.withExpiryPolicy(ExpiryPolicy(create: ExpiryDuration(.zero), update: .unchanged, access: .unchanged))
            try gone.put(Int32(2), "gone")
            #expect(try cache.get(Int32(2), as: String.self) == nil)
        }
    }

    /// `binaryType(id:)` and `queryBinaryType(id:schemaId:)` fetching a schema the local registry lacks.
    @Test func binaryTypeByIdAndQueryWithSchema() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let writer = try cluster.client()
        defer { writer.close() }
        let name = "SwiftSchemaQuery\(UUID().uuidString.prefix(6))"
        let cache = try writer.createCache(TestEnvironment.uniqueName())
        defer { try? cache.destroy() }
        var first = BinaryObjectBuilder(typeName: name)
        first.setField("a", .int(1))
        try cache.put(Int32(1), first)

        let reader = try cluster.client()
        defer { reader.close() }
        let typeId = JavaHash.typeId(name)
        let known = try #require(try reader.binaryType(id: typeId))
        #expect(known.typeName == name)
        let firstSchema = try #require(known.schemas.first?.schemaId)

        // The writer adds a field: a new schema the reader has not seen.
        var second = BinaryObjectBuilder(typeName: name)
        second.setField("a", .int(2))
        second.setField("b", .string("two"))
        try cache.put(Int32(2), second)
        let updated = try #require(try writer.binaryType(id: typeId))
        let secondSchema = try #require(updated.schemas.map(\.schemaId).first { $0 != firstSchema })
        let queried = try #require(try reader.queryBinaryType(id: typeId, schemaId: secondSchema))
        #expect(queried.schemas.contains { $0.schemaId == secondSchema })
        #expect(Set(queried.fields.map(\.name)) == ["a", "b"])
        #expect(try reader.queryBinaryType(id: JavaHash.typeId("NoSuch\(UUID().uuidString.prefix(6))")) == nil)
        #expect(try reader.queryBinaryType(named: name)?.typeId == typeId)
        #expect(try reader.queryBinaryType(named: "NoSuch\(UUID().uuidString.prefix(6))") == nil)
    }

    /// `getOrCreateCache(_:)` returns an existing cache with its data; `cache(_:)` makes no request.
    @Test func getOrCreateKeepsData() throws {
        try TestEnvironment.withCache { (cache: IgniteCache, client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            try cache.put(Int32(1), "still here")
            let again = try client.getOrCreateCache(cache.name)
            #expect(try again.get(Int32(1), as: String.self) == "still here")
            #expect(try client.cache(cache.name).size() == 1)
            #expect(try client.cache(CacheConfiguration(name: cache.name)).get(Int32(1), as: String.self) == "still here")
            #expect(throws: IgniteError.self) { try client.cache(CacheConfiguration()) }
            #expect(throws: IgniteError.self) { try client.getOrCreateCache("") }
        }
    }

    /// `binarySchemas`: a client that never saw a compact-footer type reads an object's fields by name, both from an
    /// object it fetched (schema fetched with the value) and, after an explicit `resolveSchemas(of:)`, from an object
    /// it got elsewhere. The resolver itself never talks to the server.
    @Test func binarySchemasReadFieldsOfObjectsWrittenElsewhere() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let writer = try cluster.client()
        defer { writer.close() }
        let cache = try writer.createCache(TestEnvironment.uniqueName())
        defer { try? cache.destroy() }
        var builder = BinaryObjectBuilder(typeName: "SwiftFields\(UUID().uuidString.prefix(6))", compactFooter: true)
        builder.setField("city", .string("Oslo"))
        try cache.put(Int32(1), builder)
        let object = try builder.build()

        let reader = try cluster.client()
        defer { reader.close() }
        // The resolver alone knows nothing and fetches nothing: the field cannot be located yet.
        #expect(reader.binarySchemas.schema(typeId: object.typeId, schemaId: object.schemaId) == nil)
        #expect(throws: IgniteError.self) { try object.field("city", as: String.self, schemas: reader.binarySchemas) }
        // One explicit call fetches the schema; then fields read by name.
        try reader.resolveSchemas(of: object)
        #expect(try object.field("city", as: String.self, schemas: reader.binarySchemas) == "Oslo")
        try reader.resolveSchemas(of: .int(3))  // nothing to resolve
        let fresh = try cluster.client()
        defer { fresh.close() }
        let fetched = try #require(try fresh.cache(cache.name).get(Int32(1), as: BinaryObject.self))
        #expect(try fetched.field("city", as: String.self, schemas: fresh.binarySchemas) == "Oslo")
        let dynamic = try fresh.cache(cache.name).get(Int32(1))
        guard case .object(let dynamicObject)? = dynamic else {
            Issue.record("expected an object, got \(String(describing: dynamic))")
            return
        }
        #expect(try dynamicObject.field("city", as: String.self, schemas: fresh.binarySchemas) == "Oslo")
    }
}
