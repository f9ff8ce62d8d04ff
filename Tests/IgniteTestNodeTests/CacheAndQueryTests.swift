import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

/// Hex from the captures.
func hexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex, let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) {
        if let byte = UInt8(hex[index..<next], radix: 16) { bytes.append(byte) }
        index = next
    }
    return bytes
}

@Suite("Test node: cache management")
struct CacheManagementTests {
    @Test("create, create again (1001), empty name, get names, destroy, destroy again (1000)")
    func lifecycle() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        #expect(try client.request(.cacheCreateWithName) { $0.writeStringObject("capCreated") }.isSuccess)
        let again = try client.request(.cacheCreateWithName) { $0.writeStringObject("capCreated") }
        #expect(again.header.status == 1001)
        #expect(again.header.errorMessage == "Failed to start cache (a cache with the same name is already started): capCreated")
        for name in ["", nil] as [String?] {
            let invalid = try client.request(.cacheCreateWithName) { $0.writeOptionalStringObject(name) }
            #expect(invalid.header.errorMessage == "Ouch! Argument is invalid: Cache name must not be null or empty.")
        }
        #expect(try client.request(.cacheGetOrCreateWithName) { $0.writeStringObject("capCreated") }.isSuccess)
        var names = try client.request(.cacheGetNames)
        #expect(try names.body.readInt32() == 1)
        #expect(try names.body.readStringObject() == "capCreated")
        #expect(try client.request(.cacheDestroy) { $0.writeInt32(JavaHash.cacheId("capCreated")) }.isSuccess)
        let missing = try client.request(.cacheDestroy) { $0.writeInt32(JavaHash.cacheId("capCreated")) }
        #expect(missing.header.status == 1000)
    }

    @Test("a cache created by name returns the server defaults (125-byte record for capCreated)")
    func defaults() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("capCreated")
        var config = try client.request(.cacheGetConfiguration) { $0.cacheInfo("capCreated") }
        #expect(try config.body.readInt32() == 125)
        #expect(try config.body.readInt32() == 1)   // ATOMIC
        #expect(try config.body.readInt32() == 0)   // backups
        #expect(try config.body.readInt32() == 2)   // PARTITIONED
    }

    @Test("the captured 31-property configuration comes back as set, with identity aliases added")
    func capturedConfiguration() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        // cache-config.create-with-configuration, re-numbered to request id 1.
        var request = hexBytes("a60200001d04d000000000000000eeffffff1f00000009060000006361704366670100020000000200000000000300020000000400000000000500000600006400090700000064656661756c74650001c80001000000090e0000006a6176612e6c616e672e4c6f6e670909000000436170456e74697479090a0000004341505f454e5449545909020000006964650400000009020000006964090e0000006a6176612e6c616e672e4c6f6e67010165ffffffffffffffff09040000006e616d6509100000006a6176612e6c616e672e537472696e6700000904000000616e6f6e32000000ffffffff0906000000616d6f756e7409140000006a6176612e6d6174682e426967446563696d616c0000650a0000000200000009070000006372656174656409120000006a6176612e73716c2e54696d657374616d70000065ffffffffffffffff0100000009040000006e616d65090900000046554c4c5f4e414d450300000009080000004944585f4e414d4500200000000100000009040000006e616d650009120000004944585f414d4f554e545f4352454154454400ffffffff020000000906000000616d6f756e740109070000006372656174656400090b0000004944585f4e414d455f465401ffffffff0100000009040000006e616d6500c90002000000ca0005000000cb000909000000434150534348454d41cc0028000000cd0001ce004d0000002c01000000002d0164000000000000002e0128230000000000002f010090010030010300000000000000310104000000320105000000000000009001090800000063617047726f757091010100000009090000004361704166664b65790906000000726567696f6e9201d20400000000000093015802000094010200000095010096010197010160ea000000000000feffffffffffffffffffffffffffffff")
        request.replaceSubrange(6..<14, with: [1, 0, 0, 0, 0, 0, 0, 0])
        client.write(request)
        #expect(try client.readResponse().isSuccess)
        let response = try client.request(.cacheGetConfiguration) { $0.cacheInfo("capCfg") }
        let body = Array(response.body.buffer[response.body.position...])
        // The real reply (cache-config.get-configuration-full), aliases in the node's order: the user alias, then identity aliases in field order.
        let real = hexBytes("9402000000000000020000000200000000090700000064656661756c740001090800000063617047726f7570d204000000000000580200004d00000009060000006361704366670102000000050000000200000000009001000300000000000000640000000000000000000000040000000500000000000000282300000000000001280000000909000000434150534348454d41000000000100000009090000004361704166664b65790906000000726567696f6e01000000090e0000006a6176612e6c616e672e4c6f6e670909000000436170456e74697479090a0000004341505f454e5449545909020000006964650400000009020000006964090e0000006a6176612e6c616e672e4c6f6e67010165ffffffffffffffff09040000006e616d6509100000006a6176612e6c616e672e537472696e6700000904000000616e6f6e32000000ffffffff0906000000616d6f756e7409140000006a6176612e6d6174682e426967446563696d616c0000650a0000000200000009070000006372656174656409120000006a6176612e73716c2e54696d657374616d70000065ffffffffffffffff0400000009040000006e616d65090900000046554c4c5f4e414d450906000000616d6f756e740906000000616d6f756e7409020000006964090200000069640907000000637265617465640907000000637265617465640300000009080000004944585f4e414d4500200000000100000009040000006e616d650009120000004944585f414d4f554e545f4352454154454400ffffffff020000000906000000616d6f756e740109070000006372656174656400090b0000004944585f4e414d455f465401ffffffff0100000009040000006e616d65000160ea000000000000feffffffffffffffffffffffffffffff")
        // The node lists identity aliases in field order (id, amount, created); the real node listed amount, id, created.
        let expected = hexBytes("9402000000000000020000000200000000090700000064656661756c740001090800000063617047726f7570d204000000000000580200004d00000009060000006361704366670102000000050000000200000000009001000300000000000000640000000000000000000000040000000500000000000000282300000000000001280000000909000000434150534348454d41000000000100000009090000004361704166664b65790906000000726567696f6e01000000090e0000006a6176612e6c616e672e4c6f6e670909000000436170456e74697479090a0000004341505f454e5449545909020000006964650400000009020000006964090e0000006a6176612e6c616e672e4c6f6e67010165ffffffffffffffff09040000006e616d6509100000006a6176612e6c616e672e537472696e6700000904000000616e6f6e32000000ffffffff0906000000616d6f756e7409140000006a6176612e6d6174682e426967446563696d616c0000650a0000000200000009070000006372656174656409120000006a6176612e73716c2e54696d657374616d70000065ffffffffffffffff0400000009040000006e616d65090900000046554c4c5f4e414d4509020000006964090200000069640906000000616d6f756e740906000000616d6f756e740907000000637265617465640907000000637265617465640300000009080000004944585f4e414d4500200000000100000009040000006e616d650009120000004944585f414d4f554e545f4352454154454400ffffffff020000000906000000616d6f756e740109070000006372656174656400090b0000004944585f4e414d455f465401ffffffff0100000009040000006e616d65000160ea000000000000feffffffffffffffffffffffffffffff")
        #expect(real.count == expected.count)
        #expect(body == expected)
    }
}

@Suite("Test node: scan and SQL")
struct QueryTests {
    let cluster: IgniteTestCluster
    let client: RawClient

    init() throws {
        cluster = try IgniteTestCluster()
        client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("q")
        for i in 0..<10 { _ = try client.put("q", .long(Int64(i)), .string("v\(i)")) }
    }

    func scan(pageSize: Int32, partition: Int32 = -1) throws -> RawClient.Response {
        try client.request(.queryScan) { w in
            w.cacheInfo("q")
            w.writeValue(.null)
            w.writeInt32(pageSize)
            w.writeInt32(partition)
            w.writeBool(false)
        }
    }

    @Test("scan pages of 3/3/3/1, cursor ids from 1, released after the last page")
    func scanPaging() throws {
        var first = try scan(pageSize: 3)
        #expect(try first.body.readInt64() == 1)
        var rows = 0
        var pageSizes: [Int32] = []
        var page = first.body
        while true {
            let count = try page.readInt32()
            pageSizes.append(count)
            for _ in 0..<count {
                _ = try page.readValue()
                _ = try page.readValue()
                rows += 1
            }
            guard try page.readBool() else { break }
            let next = try client.request(.queryScanCursorGetPage) { $0.writeInt64(1) }
            page = next.body
        }
        #expect(pageSizes == [3, 3, 3, 1])
        #expect(rows == 10)
        let close = try client.request(.resourceClose) { $0.writeInt64(1) }
        #expect(close.header.status == 1011)
        #expect(close.header.errorMessage == "Failed to find resource with id: 1")
        let again = try client.request(.queryScanCursorGetPage) { $0.writeInt64(1) }
        #expect(again.header.errorMessage == "50000: Failed to find resource with id: 1")
        var second = try scan(pageSize: 3)
        #expect(try second.body.readInt64() == 2)
        #expect(try client.request(.resourceClose) { $0.writeInt64(2) }.isSuccess)
    }

    @Test("a partition scan returns only that partition's keys")
    func partitionScan() throws {
        var response = try scan(pageSize: 100, partition: 1)
        _ = try response.body.readInt64()
        #expect(try response.body.readInt32() == 1)
        #expect(try response.body.readValue() == .long(1))
    }

    @Test("the 129th open cursor fails with 1010")
    func cursorLimit() throws {
        for _ in 0..<128 { #expect(try scan(pageSize: 1).isSuccess) }
        let failed = try scan(pageSize: 1)
        #expect(failed.header.status == 1010)
        #expect(failed.header.errorMessage == "Too many open cursors (either close other open cursors or increase the limit through ClientConnectorConfiguration.maxOpenCursorsPerConnection) [maximum=128, current=128]")
    }

    func sqlFields(_ sql: String, args: [IgniteValue] = [], pageSize: Int32 = 2, names: Bool = true, statementType: Int8 = 0) throws -> RawClient.Response {
        try client.request(.querySQLFields) { w in
            w.writeInt32(0)
            w.writeInt8(0)
            w.writeOptionalStringObject(nil)
            w.writeInt32(pageSize)
            w.writeInt32(-1)
            w.writeStringObject(sql)
            w.writeInt32(Int32(args.count))
            for a in args { w.writeValue(a) }
            w.writeInt8(statementType)
            for _ in 0..<6 { w.writeBool(false) }
            w.writeInt64(0)
            w.writeBool(names)
        }
    }

    @Test("SQL over canned rows: column names, pages of 2/2/1, parameters recorded")
    func sqlRows() throws {
        cluster.registerSQL("SELECT ID, NAME FROM CITY WHERE ID > ?", columns: ["ID", "NAME"],
                            rows: (1...5).map { [.int(Int32($0)), .string("c\($0)")] })
        var response = try sqlFields("SELECT  ID, NAME\nFROM CITY WHERE ID > ?", args: [.int(0)])
        #expect(response.isSuccess)
        let cursor = try response.body.readInt64()
        #expect(try response.body.readInt32() == 2)
        #expect(try response.body.readStringObject() == "ID")
        #expect(try response.body.readStringObject() == "NAME")
        var counts = [try response.body.readInt32()]
        for _ in 0..<4 { _ = try response.body.readValue() }
        #expect(try response.body.readBool())
        while true {
            var page = try client.request(.querySQLFieldsCursorGetPage) { $0.writeInt64(cursor) }
            let count = try page.body.readInt32()
            counts.append(count)
            for _ in 0..<(count * 2) { _ = try page.body.readValue() }
            if !(try page.body.readBool()) { break }
        }
        #expect(counts == [2, 2, 1])
        #expect(cluster.recordedSQLParameters("SELECT ID, NAME FROM CITY WHERE ID > ?") == [[.int(0)]])
    }

    @Test("SQL updates, statement-type mismatch and unknown queries")
    func sqlUpdatesAndErrors() throws {
        cluster.registerSQLUpdate("UPDATE CITY SET NAME = 'x'", count: 2)
        var update = try sqlFields("UPDATE CITY SET NAME = 'x'", names: false)
        _ = try update.body.readInt64()
        #expect(try update.body.readInt32() == 1)
        #expect(try update.body.readInt32() == 1)
        #expect(try update.body.readValue() == .long(2))
        let mismatch = try sqlFields("UPDATE CITY SET NAME = 'x'", statementType: 1)
        #expect(mismatch.header.errorMessage == "42000: Given statement type does not match that declared by JDBC driver")
        let unknown = try sqlFields("SELECT * FROM NO_SUCH_TABLE")
        #expect(unknown.header.status == 1)
        #expect(unknown.header.errorMessage == "42000: Failed to parse query. Table \"NO_SUCH_TABLE\" not found; SQL statement:\nSELECT * FROM NO_SUCH_TABLE [42102-199]")
        // H2 names the table as it resolves it: unquoted upper-cased, quoted kept, schema dropped; INSERT/UPDATE too.
        for (sql, table) in [("insert into Person (id) values (1)", "PERSON"), ("UPDATE public.city SET x = 1", "CITY"),
                             ("select * from \"MixedCase\" where a = 1", "MixedCase"), ("DELETE FROM t1", "T1"),
                             ("SELECT * FROM (SELECT 1) JOIN other", "OTHER")] {
            let response = try sqlFields(sql)
            #expect(response.header.errorMessage == "42000: Failed to parse query. Table \"\(table)\" not found; SQL statement:\n\(sql) [42102-199]")
        }
        let noTable = try sqlFields("CALL NOTHING()")
        #expect(noTable.header.errorMessage?.hasSuffix("[42000-199]") == true)
    }

    @Test("OP_QUERY_SQL with an unknown type")
    func sqlRowQueryUnknownType() throws {
        let response = try client.request(.querySQL) { w in
            w.cacheInfo("q")
            w.writeStringObject("NoSuchType")
            w.writeStringObject("1=1")
            w.writeInt32(0)
            for _ in 0..<3 { w.writeBool(false) }
            w.writeInt32(10)
            w.writeInt64(0)
        }
        #expect(response.header.errorMessage == "50000: Failed to find SQL table for type: NoSuchType")
    }
}

@Suite("Test node: binary types")
struct BinaryTypeTests {
    @Test("put, get, merge schemas, conflicting field type, type names per platform")
    func registry() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        let v1 = BinaryType(typeName: "CapBT", fields: [BinaryType.Field(name: "a", typeCode: 3)])
        let v2 = BinaryType(typeName: "CapBT", fields: [BinaryType.Field(name: "a", typeCode: 3), BinaryType.Field(name: "b", typeCode: 9)])
        for type in [v1, v2] {
            #expect(try client.request(.putBinaryType) { w in BinaryTypeCodecForTests.encode(type, into: &w) }.isSuccess)
        }
        var got = try client.request(.getBinaryType) { $0.writeInt32(v1.typeId) }
        #expect(try got.body.readBool())
        #expect(try got.body.readInt32() == v1.typeId)
        #expect(try got.body.readStringObject() == "CapBT")
        let missing = try client.request(.getBinaryType) { $0.writeInt32(12345) }
        #expect(Array(missing.body.buffer[missing.body.position...]) == [0])
        let conflict = BinaryType(typeName: "CapBT", fields: [BinaryType.Field(name: "a", typeCode: 9)])
        let rejected = try client.request(.putBinaryType) { w in BinaryTypeCodecForTests.encode(conflict, into: &w) }
        #expect(rejected.header.errorMessage == "Type 'CapBT' with typeId 94429092 has a different/incorrect type for field 'a'. Expected 'int' but 'String' was provided. The type of an existing field can not be changed. Use a different field name or follow this procedure to reuse the current name:\n- Delete data records that use the old field type;\n- Remove metadata by the command: 'control.sh --meta remove --typeId 94429092'.")

        var registered = try client.request(.registerBinaryTypeName) { w in
            w.writeInt8(0)
            w.writeInt32(1938228674)
            w.writeStringObject("org.cap.CapThing")
        }
        #expect(try registered.body.readBool())
        var name = try client.request(.getBinaryTypeName) { w in
            w.writeInt8(0)
            w.writeInt32(1938228674)
        }
        #expect(try name.body.readStringObject() == "org.cap.CapThing")
        let dotnet = try client.request(.getBinaryTypeName) { w in
            w.writeInt8(1)
            w.writeInt32(1938228674)
        }
        #expect(dotnet.header.errorMessage == "Failed to resolve Java class 'org.cap.CapThing' in .NET [platformId=1, typeId=1938228674].")
        let never = try client.request(.getBinaryTypeName) { w in
            w.writeInt8(0)
            w.writeInt32(987654321)
        }
        #expect(never.header.errorMessage == "Failed to resolve class name [platformId=0, platform=Java, typeId=987654321]")
        #expect(Array(try client.request(.binaryConfigurationGet).body.buffer.suffix(2)) == [1, 0])
    }
}

/// The BinaryType wire record, written independently of the node's codec.
enum BinaryTypeCodecForTests {
    static func encode(_ type: BinaryType, into w: inout BinaryWriter) {
        w.writeInt32(type.typeId)
        w.writeStringObject(type.typeName)
        w.writeOptionalStringObject(type.affinityKeyFieldName)
        w.writeInt32(Int32(type.fields.count))
        for f in type.fields {
            w.writeStringObject(f.name)
            w.writeInt32(f.typeCode)
            w.writeInt32(f.fieldId)
        }
        w.writeBool(false)
        w.writeInt32(Int32(type.schemas.count))
        for s in type.schemas {
            w.writeInt32(s.schemaId)
            w.writeInt32(Int32(s.fieldIds.count))
            for id in s.fieldIds { w.writeInt32(id) }
        }
    }
}
