import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

@Suite("Test node: transactions")
struct TransactionTests {
    let cluster: IgniteTestCluster
    let client: RawClient

    init() throws {
        cluster = try IgniteTestCluster()
        client = try RawClient.connected(cluster.endpoints[0])
        let created = try client.createCache(properties: [(0, { $0.writeStringObject("txc") }), (2, { $0.writeInt32(0) })])
        #expect(created.isSuccess)
        try client.createCache("atomic")
    }

    func start(timeout: Int64 = 0) throws -> Int32 {
        var r = try client.request(.txStart) { w in
            w.writeInt8(1)
            w.writeInt8(1)
            w.writeInt64(timeout)
            w.writeValue(.null)
        }
        return try r.body.readInt32()
    }

    func end(_ id: Int32, commit: Bool) throws -> RawClient.Response {
        try client.request(.txEnd) { w in
            w.writeInt32(id)
            w.writeBool(commit)
        }
    }

    @Test("tx ids start at 1; writes are visible inside, invisible outside until commit; rollback discards")
    func visibility() throws {
        let other = try RawClient.connected(cluster.endpoints[0])
        let tx = try start()
        #expect(tx == 1)
        #expect(try client.put("txc", .int(1), .string("in tx"), tx: tx).isSuccess)
        #expect(try client.get("txc", .int(1), tx: tx) == .string("in tx"))
        #expect(try client.get("txc", .int(1)) == .null)
        #expect(try other.get("txc", .int(1)) == .null)
        #expect(try end(tx, commit: true).isSuccess)
        #expect(try other.get("txc", .int(1)) == .string("in tx"))
        let second = try start()
        #expect(second == 2)
        _ = try client.put("txc", .int(1), .string("rolled back"), tx: second)
        #expect(try end(second, commit: false).isSuccess)
        #expect(try other.get("txc", .int(1)) == .string("in tx"))
    }

    @Test("unknown or finished tx ids: 1021 on end, the op runs outside a transaction")
    func unknownIds() throws {
        let unknown = try end(9999, commit: true)
        #expect(unknown.header.status == 1021)
        #expect(unknown.header.errorMessage == "Transaction with id 9999 not found.")
        #expect(try client.put("txc", .int(5), .int(5), tx: 77).isSuccess)
        #expect(try client.get("txc", .int(5)) == .int(5))
        let tx = try start()
        #expect(try end(tx, commit: true).isSuccess)
        #expect(try end(tx, commit: true).header.errorMessage == "Transaction with id \(tx) not found.")
    }

    @Test("the 101st active transaction fails with 1020")
    func limit() throws {
        for _ in 0..<100 { _ = try start() }
        let failed = try client.request(.txStart) { w in
            w.writeInt8(1)
            w.writeInt8(1)
            w.writeInt64(0)
            w.writeValue(.null)
        }
        #expect(failed.header.status == 1020)
        #expect(failed.header.errorMessage?.hasPrefix("Active transactions per connection limit (100) exceeded.") == true)
    }

    @Test("a tx-flagged op on an ATOMIC cache fails with the GridGain text")
    func atomicCache() throws {
        let tx = try start()
        let failed = try client.put("atomic", .int(1), .int(1), tx: tx)
        #expect(failed.header.status == 1)
        #expect(failed.header.errorMessage?.hasPrefix("Transaction spans operations on atomic cache") == true)
        #expect(failed.header.errorMessage?.contains("Since 8.9.0") == true)
    }

    @Test("a timed-out transaction: its ops fail, its commit answers 1022")
    func timeout() throws {
        let tx = try start(timeout: 50)
        let failed = try eventually {
            try client.put("txc", .int(3), .int(3), tx: tx).header.status == 1
        }
        #expect(failed)
        let commit = try end(tx, commit: true)
        #expect(commit.header.status == 1022)
        #expect(commit.header.errorMessage?.hasPrefix("Cache transaction timed out: GridNearTxLocal[") == true)
        #expect(try client.get("txc", .int(3)) == .null)
    }
}

@Suite("Test node: expiry")
struct ExpiryTests {
    let cluster: IgniteTestCluster
    let client: RawClient

    init() throws {
        cluster = try IgniteTestCluster()
        client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("exp")
    }

    @Test("per-op create duration: visible at once (long duration), gone after a short one")
    func createDuration() throws {
        _ = try client.put("exp", .int(1), .int(1), expiry: (60_000, -2, -2))
        #expect(try client.get("exp", .int(1)) == .int(1))
        _ = try client.put("exp", .int(2), .int(2), expiry: (100, -2, -2))
        #expect(try eventually { try client.get("exp", .int(2)) == .null })
    }

    @Test("create 0 is never visible; update 0 removes; update -2 keeps the deadline; -1 makes eternal")
    func specialValues() throws {
        _ = try client.put("exp", .int(1), .int(1), expiry: (0, -2, -2))
        #expect(try client.get("exp", .int(1)) == .null)
        _ = try client.put("exp", .int(2), .int(2))
        _ = try client.put("exp", .int(2), .int(3), expiry: (-2, 0, -2))
        #expect(try client.get("exp", .int(2)) == .null)
        // Created with a short life; an update with -1 (eternal) keeps it.
        _ = try client.put("exp", .int(3), .int(3), expiry: (100, -2, -2))
        _ = try client.put("exp", .int(3), .int(4), expiry: (-2, -1, -2))
        usleep(300_000)
        #expect(try client.get("exp", .int(3)) == .int(4))
        // The create duration does not apply to an existing key.
        _ = try client.put("exp", .int(4), .int(4))
        _ = try client.put("exp", .int(4), .int(5), expiry: (100, -2, -2))
        usleep(300_000)
        #expect(try client.get("exp", .int(4)) == .int(5))
    }

    @Test("access duration applies on reads")
    func access() throws {
        _ = try client.put("exp", .int(1), .int(1))
        var r = try client.request(.cacheGet) { w in
            w.cacheInfo("exp", expiry: (-2, -2, 0))
            w.writeValue(.int(1))
        }
        #expect(try r.body.readValue() == .int(1))
        #expect(try client.get("exp", .int(1)) == .null)
    }

    /// Sends `op` on key Int 1 with a policy whose only duration is access = 0 (expire at once when it applies).
    func withAccessZero(_ op: OpCode, _ values: [IgniteValue]) throws -> RawClient.Response {
        try client.request(op) { w in
            w.cacheInfo("exp", expiry: (-2, -2, 0))
            w.writeValue(.int(1))
            for value in values { w.writeValue(value) }
        }
    }

    @Test("the access duration: reads and failed equals filters apply it; putIfAbsent, getAndPut, containsKey do not",
          arguments: [
              (OpCode.cacheGet, [IgniteValue](), true),
              (.cacheReplaceIfEquals, [.int(99), .int(2)], true),     // equals filter fails → forAccess()
              (.cacheRemoveIfEquals, [.int(99)], true),
              (.cachePutIfAbsent, [.int(2)], false),                  // putIfAbsentFilter → TTL untouched
              (.cacheGetAndPutIfAbsent, [.int(2)], false),
              (.cacheGetAndPut, [.int(2)], false),                    // an update: the update duration (-2) applies
              (.cacheContainsKey, [], false),                         // skipVals reads take no expiry policy
          ])
    func accessRules(_ op: OpCode, _ values: [IgniteValue], _ expires: Bool) throws {
        _ = try client.put("exp", .int(1), .int(1))
        #expect(try withAccessZero(op, values).isSuccess)
        let after = try client.get("exp", .int(1))
        #expect(after.isNull == expires, "\(op): \(after)")
    }

    @Test("getAll applies the access duration to every entry it returns")
    func getAllAccess() throws {
        _ = try client.put("exp", .int(1), .int(1))
        _ = try client.put("exp", .int(2), .int(2))
        let r = try client.request(.cacheGetAll) { w in
            w.cacheInfo("exp", expiry: (-2, -2, 0))
            w.writeInt32(2)
            w.writeValue(.int(1))
            w.writeValue(.int(2))
        }
        #expect(r.isSuccess)
        #expect(try client.get("exp", .int(1)) == .null)
        #expect(try client.get("exp", .int(2)) == .null)
    }

    @Test("the cache's expiry policy (property 407) applies and is returned in the configuration")
    func cachePolicy() throws {
        let created = try client.createCache(properties: [(0, { $0.writeStringObject("expCfg") }), (407, { w in
            w.writeBool(true)
            w.writeInt64(100)
            w.writeInt64(-2)
            w.writeInt64(-2)
        })])
        #expect(created.isSuccess)
        _ = try client.put("expCfg", .int(1), .int(1))
        #expect(try eventually { try client.get("expCfg", .int(1)) == .null })
        let config = try client.request(.cacheGetConfiguration) { $0.cacheInfo("expCfg") }
        let bytes = Array(config.body.buffer[config.body.position...])
        var tail = BinaryWriter()
        tail.writeBool(true)
        tail.writeInt64(100)
        tail.writeInt64(-2)
        tail.writeInt64(-2)
        #expect(Array(bytes.suffix(25)) == tail.bytes)
    }
}
