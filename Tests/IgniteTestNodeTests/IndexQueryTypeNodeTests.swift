import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// How the test node resolves the value type of OP_QUERY_INDEX, per flavour (see `QueryIndexRequest.wireValueType`):
/// GridGain 8 by the simple name (`GridQueryProcessor.typeName`), answering status 1 "Failed to find SQL table for
/// type: X" (the text a real GridGain 8.10 cluster answers) for any other; Apache Ignite by the binary type id of the
/// full name (`IndexQueryProcessor.findSortedIndex`), "No table found for type: X" otherwise.
@Suite("Test node: index query value types")
struct IndexQueryTypeNodeTests {
    static let typeName = "swift.node.Resident"

    private func withCache(maxVersion: ProtocolVersion, _ body: (IgniteCache, IgniteTestCluster) throws -> Void) throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(maxVersion: maxVersion))
        defer { cluster.shutdown() }
        let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
        defer { client.close() }
        var configuration = CacheConfiguration(name: "residents")
        configuration.queryEntities = [QueryEntity(
            keyType: "java.lang.Integer", valueType: Self.typeName, tableName: "RESIDENT",
            fields: [QueryField(name: "age", typeName: "java.lang.Integer")],
            indexes: [QueryIndex(name: "AGE_IDX", fields: [.init(name: "age")])])]
        let cache = try client.createCache(configuration)
        var builder = BinaryObjectBuilder(typeName: Self.typeName)
        builder.setField("age", .int(30))
        try cache.put(Int32(1), builder)
        try body(cache, cluster)
    }

    private func count(_ cache: IgniteCache, _ type: String) throws -> Int { try cache.indexQuery(type).all().count }

    private func failure(_ cache: IgniteCache, _ type: String) -> IgniteError? {
        #expect(throws: IgniteError.self) { _ = try cache.indexQuery(type).all() }
    }

    @Test func gridGainResolvesTheSimpleName() throws {
        try withCache(maxVersion: .v1_7_1) { (cache: IgniteCache, _: IgniteTestCluster) throws in
            // The client sends `Resident` for the full name (bit 34 marks the server as GridGain) and for the simple one.
            #expect(try count(cache, Self.typeName) == 1)
            #expect(try count(cache, "Resident") == 1)
            for wrong in ["RESIDENT", "resident", "Nope"] {
                let error = failure(cache, wrong)
                #expect(error?.serverStatus == ServerStatus.failed)
                #expect(error?.message.contains("Failed to find SQL table for type: \(wrong)") == true)
            }
        }
    }

    @Test func apacheResolvesTheFullNameByTypeId() throws {
        try withCache(maxVersion: .v1_7_0) { (cache: IgniteCache, _: IgniteTestCluster) throws in
            #expect(try count(cache, Self.typeName) == 1)
            #expect(try count(cache, Self.typeName.uppercased()) == 1)  // the type id lower-cases the name
            for wrong in ["Resident", "RESIDENT"] {
                let error = failure(cache, wrong)
                #expect(error?.serverStatus == ServerStatus.failed)
                #expect(error?.message.contains("No table found for type: \(wrong)") == true)
            }
        }
    }

    /// The client always sets KEEP_BINARY on OP_QUERY_INDEX: without it the server deserializes values into Java
    /// classes and fails on a type it has no class for, as a real GridGain 8.10 cluster did.
    @Test func withoutKeepBinaryAUserTypeFailsToDeserialize() throws {
        try withCache(maxVersion: .v1_7_1) { (_: IgniteCache, cluster: IgniteTestCluster) throws in
            let raw = try RawClient.connected(cluster.endpoints[0])
            func query(flags: Int8) throws -> RawClient.Response {
                try raw.request(.queryIndex) { w in
                    w.writeInt32(JavaHash.cacheId("residents"))
                    w.writeInt8(flags)
                    w.writeInt32(1024)
                    w.writeBool(false)
                    w.writeInt32(-1)
                    w.writeInt32(0)  // limit: bit 15 is negotiated
                    w.writeStringObject("Resident")
                    w.writeValue(.null)
                    w.writeValue(.null)
                    w.writeValue(.null)
                }
            }
            let plain = try query(flags: 0)
            #expect(plain.header.status == ServerStatus.failed)
            #expect(plain.header.errorMessage == "class org.apache.ignite.binary.BinaryInvalidTypeException: Failed to resolve class name "
                    + "[platformId=0, platform=Java, typeId=\(JavaHash.typeId(Self.typeName))]")
            #expect(try query(flags: 1).isSuccess)
        }
    }
}
