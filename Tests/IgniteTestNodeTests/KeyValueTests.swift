import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

@Suite("Test node: key-value operations")
struct KeyValueTests {
    let cluster: IgniteTestCluster
    let client: RawClient

    init() throws {
        cluster = try IgniteTestCluster()
        client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("kv")
    }

    @Test("put and get; Int 2 and Long 2 are different keys")
    func keyTypes() throws {
        #expect(try client.put("kv", .int(2), .string("int two")).isSuccess)
        #expect(try client.get("kv", .int(2)) == .string("int two"))
        #expect(try client.get("kv", .long(2)) == .null)
    }

    @Test("null arguments and missing caches give the real statuses and texts")
    func errors() throws {
        let nullKey = try client.put("kv", .null, .int(1))
        #expect(nullKey.header.status == 1)
        #expect(nullKey.header.errorMessage == "Ouch! Argument cannot be null: key")
        let nullValue = try client.put("kv", .int(1), .null)
        #expect(nullValue.header.errorMessage == "Ouch! Argument cannot be null: val")
        let missing = try client.put("noSuchCache", .int(1), .int(1))
        #expect(missing.header.status == 1000)
        #expect(missing.header.errorMessage == "Cache does not exist [cacheId= \(JavaHash.cacheId("noSuchCache"))]")
        let getAll = try client.request(.cacheGetAll) { w in
            w.cacheInfo("kv")
            w.writeInt32(2)
            w.writeValue(.int(1))
            w.writeValue(.null)
        }
        #expect(getAll.header.errorMessage == "Null key.")
        let replace = try client.request(.cacheReplaceIfEquals) { w in
            w.cacheInfo("kv")
            w.writeValue(.int(1))
            w.writeValue(.null)
            w.writeValue(.int(2))
        }
        #expect(replace.header.errorMessage == "Ouch! Argument cannot be null: oldVal")
        for op in [OpCode(12345), OpCode(-1), OpCode(1022)] {
            let unknown = try client.request(op)
            #expect(unknown.header.status == 2)
            #expect(unknown.header.errorMessage == "Invalid request op code: \(op.rawValue)")
        }
    }

    @Test("the operations' results and booleans")
    func operations() throws {
        func bool(_ op: OpCode, _ values: [IgniteValue]) throws -> Bool {
            var r = try client.request(op) { w in
                w.cacheInfo("kv")
                for v in values { w.writeValue(v) }
            }
            return try r.body.readBool()
        }
        func value(_ op: OpCode, _ values: [IgniteValue]) throws -> IgniteValue {
            var r = try client.request(op) { w in
                w.cacheInfo("kv")
                for v in values { w.writeValue(v) }
            }
            return try r.body.readValue()
        }
        #expect(try bool(.cachePutIfAbsent, [.long(1), .string("a")]))
        #expect(try !bool(.cachePutIfAbsent, [.long(1), .string("x")]))
        #expect(try value(.cacheGetAndPut, [.long(1), .string("b")]) == .string("a"))
        #expect(try value(.cacheGetAndPutIfAbsent, [.long(1), .string("x")]) == .string("b"))
        #expect(try value(.cacheGetAndReplace, [.long(9), .string("x")]) == .null)
        #expect(try bool(.cacheReplace, [.long(1), .string("c")]))
        #expect(try !bool(.cacheReplaceIfEquals, [.long(1), .string("zz"), .string("d")]))
        #expect(try bool(.cacheReplaceIfEquals, [.long(1), .string("c"), .string("d")]))
        #expect(try bool(.cacheContainsKey, [.long(1)]))
        #expect(try !bool(.cacheRemoveIfEquals, [.long(1), .string("zz")]))
        #expect(try value(.cacheGetAndRemove, [.long(1)]) == .string("d"))
        #expect(try !bool(.cacheRemoveKey, [.long(1)]))
        let putAll = try client.request(.cachePutAll) { w in
            w.cacheInfo("kv")
            w.writeInt32(3)
            for i in 1...3 {
                w.writeValue(.long(Int64(i)))
                w.writeValue(.long(Int64(i * 10)))
            }
        }
        #expect(putAll.isSuccess)
        var getAll = try client.request(.cacheGetAll) { w in
            w.cacheInfo("kv")
            w.writeInt32(2)
            w.writeValue(.long(3))
            w.writeValue(.long(404))
        }
        #expect(try getAll.body.readInt32() == 1)
        #expect(try getAll.body.readValue() == .long(3))
        #expect(try getAll.body.readValue() == .long(30))
        var size = try client.request(.cacheGetSize) { w in
            w.cacheInfo("kv")
            w.writeInt32(0)
        }
        #expect(try size.body.readInt64() == 3)
        for (modes, expected) in [([Int8(0)], Int64(3)), ([2], 3), ([3], 0), ([1], 0), ([4], 0), ([5], 3), ([2, 3], 3)] {
            var sized = try client.request(.cacheGetSize) { w in
                w.cacheInfo("kv")
                w.writeInt32(Int32(modes.count))
                for m in modes { w.writeInt8(m) }
            }
            #expect(try sized.body.readInt64() == expected, "modes \(modes)")
        }
        var peek = try client.request(.cacheLocalPeek) { w in
            w.cacheInfo("kv")
            w.writeValue(.long(2))
        }
        #expect(try peek.body.readValue() == .long(20))
        #expect(try client.request(.cacheRemoveAll) { $0.cacheInfo("kv") }.isSuccess)
        #expect(try client.get("kv", .long(2)) == .null)
    }

    @Test("values come back as the server rewrites them: wrapped objects, ArrayList, HashSet, BinaryEnum, Object[]")
    func serverRewrites() throws {
        let object = try ObjectBuilder(typeName: "KvThing", fields: [("id", .int(7)), ("label", .string("seven"))]).object()
        #expect(try client.put("kv", .int(1), .object(object)).isSuccess)
        var wrapped = BinaryWriter()
        wrapped.writeInt8(27)
        wrapped.writeInt32(Int32(object.length))
        wrapped.writeBytes(object.bytes)
        wrapped.writeInt32(0)
        #expect(try client.getRaw("kv", .int(1)) == wrapped.bytes)
        #expect(try client.get("kv", .int(1)) == .object(object))

        _ = try client.put("kv", .int(2), .collection(IgniteCollection([.long(1)], kind: .userCollection)))
        #expect(try client.get("kv", .int(2)) == .collection(IgniteCollection([.long(1)], kind: .arrayList)))
        _ = try client.put("kv", .int(3), .collection(IgniteCollection([.long(1)], kind: .userSet)))
        #expect(try client.get("kv", .int(3)) == .collection(IgniteCollection([.long(1)], kind: .hashSet)))
        _ = try client.put("kv", .int(4), .enumValue(IgniteEnum(typeId: -65617199, ordinal: 2)))
        #expect(try client.get("kv", .int(4)) == .binaryEnum(IgniteEnum(typeId: -65617199, ordinal: 2)))
        _ = try client.put("kv", .int(5), .enumArray(IgniteEnumArray([IgniteEnum(typeId: 5, ordinal: 0)], elementTypeId: 5)))
        #expect(try client.get("kv", .int(5))
            == .objectArray(IgniteObjectArray([.binaryEnum(IgniteEnum(typeId: 5, ordinal: 0))], elementTypeId: -1)))
        let decimal = IgniteValue.decimal(IgniteDecimal(unscaled: -234567, scale: 3))
        _ = try client.put("kv", .int(6), decimal)
        #expect(try client.get("kv", .int(6)) == decimal)
    }

    @Test("an object key matches an equal object whatever its footer")
    func objectKeys() throws {
        let compact = try ObjectBuilder(typeName: "KvKey", fields: [("region", .int(5)), ("code", .string("X1"))]).object()
        let full = try ObjectBuilder(typeName: "KvKey", fields: [("region", .int(5)), ("code", .string("X1"))], compactFooter: false).object()
        _ = try client.put("kv", .object(compact), .string("by-object-key"))
        #expect(try client.get("kv", .object(full)) == .string("by-object-key"))
    }

    @Test("a malformed request closes the connection without a reply; trailing bytes are ignored")
    func malformed() throws {
        var (_, trailing) = client.frame(.cacheGet) { w in
            w.cacheInfo("kv")
            w.writeValue(.int(1))
            w.writeBytes([1, 2, 3])
        }
        client.write(trailing)
        #expect(try client.readResponse().isSuccess)
        for body in [[UInt8]([0x7f]), []] {
            let other = try RawClient.connected(cluster.endpoints[0])
            (_, trailing) = other.frame(.cacheGet) { w in
                w.cacheInfo("kv")
                w.writeBytes(body)
            }
            other.write(trailing)
            #expect(other.drainUntilClose().isEmpty)
        }
        let negative = try RawClient.connected(cluster.endpoints[0])
        negative.write([0xff, 0xff, 0xff, 0xff])
        #expect(negative.drainUntilClose().isEmpty)
    }
}
