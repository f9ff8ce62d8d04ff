import Foundation
import IgniteAsync
import IgniteTestNode
import Testing

/// A Codable object type for the binary-type paths.
struct Person: IgniteObjectCodable, Hashable {
    var id: Int32
    var name: String
    static var igniteTypeName: String { "swift.async.Person" }
}

@Suite("IgniteAsync client: key-value, typed caches, transactions, SQL", .timeLimit(.minutes(10)))
struct AsyncClientTests {
    @Test func keyValueOperationsOnOneNode() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        try await IgniteClient.withClient(configuration: cluster.configuration()) { client in
            let cache = try await client.createCache(AsyncTestEnvironment.uniqueName())
            try await cache.put(1, "one")
            #expect(try await cache.get(1, as: String.self) == "one")
            #expect(try await cache.get(1) == .string("one"))
            #expect(try await !cache.putIfAbsent(1, "uno"))
            #expect(try await cache.getAndPut(1, "eins") == "one")
            #expect(try await cache.replace(1, ifEquals: "eins", with: "un"))
            #expect(try await cache.containsKey(1))
            try await cache.putAll([2: "two", 3: "three"])
            #expect(try await cache.getAll([1, 2, 3, 4], as: String.self) == [1: "un", 2: "two", 3: "three"])
            #expect(try await cache.size() == 3)
            #expect(try await cache.remove(2))
            #expect(try await !cache.containsKeys([1, 2]))
            let people = client.cache(cache.name, of: Int32.self, Person.self)
            try await people.put(7, Person(id: 7, name: "Ada"))
            #expect(try await people.get(7) == Person(id: 7, name: "Ada"))
            let object = try #require(try await cache.get(Int32(7), as: BinaryObject.self))
            #expect(try object.field("name", as: String.self, schemas: client.binarySchemas) == "Ada")
            try await cache.removeAll()
            #expect(try await cache.size() == 0)
            try await cache.destroy()
            #expect(try await !client.cacheNames().contains(cache.name))
        }
    }

    @Test func tenThousandConcurrentTasksShareOneClient() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName()).typed(Int32.self, Int64.self)
        let wrong = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<10_000 {
                group.addTask {
                    let key = Int32(i)
                    try await cache.put(key, Int64(i) * 3)
                    return try await cache.get(key) == Int64(i) * 3 ? 0 : 1
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(wrong == 0)
        #expect(try await cache.size() == 10_000)
        if let node = cluster.testCluster?.nodes.first {
            // One connection carried all of it.
            #expect(node.connectionsAccepted == 1)
        }
        try await cache.untyped.destroy()
    }

    @Test func transactionClosureCommitsAndRollsBack() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        var configuration = CacheConfiguration(name: AsyncTestEnvironment.uniqueName())
        configuration.atomicityMode = .transactional
        let accounts = try await client.createCache(configuration)
        try await accounts.put("alice", 100)
        // On a shared live cluster a transaction here sometimes ends by its timeout ("Cache transaction timed out",
        // 3 of 9 full async runs on a one-node GridGain 8.10): every concurrent test stalled for the same time,
        // consistent with another test's cache creation starting a partition-map exchange that waits for this open
        // transaction while its next operation waits for the exchange. Not pinned down: this test alone beside a
        // loop that created and destroyed 2,044 caches did not time out. In one run on three GridGain nodes every
        // concurrent test stalled for 60 s (the request timeout: ten of their requests timed out) while this test,
        // whose second and third transactions had no timeout then, passed after 70 s: likely the same stall, held
        // longer. So every transaction here has a 10 s timeout. The server rolls a timed-out transaction back, so
        // running the step again is safe, and it is what an application does.
        func retryingExchangeStalls(_ step: () async throws -> Void) async throws {
            for attempt in 1...3 {
                do {
                    try await step()
                    return
                } catch let error as IgniteError where AsyncTestEnvironment.isReal && attempt < 3
                            && error.message.contains("transaction timed out") {
                    print("transaction attempt \(attempt) timed out during a concurrent exchange; retrying: \(error.message.prefix(80))")
                }
            }
        }
        try await retryingExchangeStalls {
            try await client.transaction(timeout: .seconds(10)) { tx in
                let inTx = tx.cache(accounts)
                let balance = try await inTx.get("alice", as: Int.self) ?? 0
                try await inTx.put("alice", balance - 10)
            }
        }
        #expect(try await accounts.get("alice", as: Int.self) == 90)
        struct Abort: Error {}
        try await retryingExchangeStalls {
            do {
                try await client.transaction(timeout: .seconds(10)) { tx in
                    try await tx.cache(accounts).put("alice", 0)
                    throw Abort()
                }
                Issue.record("the transaction did not end with the closure's error")
            } catch is Abort {}
        }
        #expect(try await accounts.get("alice", as: Int.self) == 90)
        try await retryingExchangeStalls {
            let tx = try await client.startTransaction(timeout: .seconds(10))
            defer { tx.close() }
            try await tx.cache(accounts).put("alice", 1)
            tx.close()
            #expect(tx.isFinished)
        }
        #expect(try await accounts.get("alice", as: Int.self) == 90)
        try await accounts.destroy()
    }

    @Test(.disabled(if: AsyncTestEnvironment.isReal, "uses the test node's SQL fixtures"))
    func sqlFieldsCursorIsAnAsyncSequence() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let testCluster = try #require(cluster.testCluster)
        let rows: [[IgniteValue]] = (0..<25).map { [.int(Int32($0)), .string("n\($0)")] }
        testCluster.registerSQL("SELECT id, name FROM person", columns: ["ID", "NAME"], rows: rows)
        let client = try await cluster.client()
        defer { client.close() }
        var seen: [[IgniteValue]] = []
        for try await row in try await client.sql("SELECT id, name FROM person", pageSize: 4, includeFieldNames: true) {
            seen.append(row)
        }
        #expect(seen == rows)
        let cursor = try await client.sql("SELECT id, name FROM person", pageSize: 10, includeFieldNames: true)
        #expect(cursor.fieldNames == ["ID", "NAME"])
        #expect(try await cursor.all().count == 25)
    }

    @Test func wrongCredentialsFailWithAnAuthenticationError() async throws {
        let password = "pw-\(UUID().uuidString.prefix(8))"
        let cluster = try AsyncTestEnvironment.Cluster(users: ["ignite": password])
        defer { cluster.shutdown() }
        let endpoints = AsyncTestEnvironment.realAuth.map { [$0.endpoint] } ?? cluster.endpoints
        var configuration = IgniteClientConfiguration(endpoints: endpoints)
        configuration.username = AsyncTestEnvironment.realAuth?.user ?? "ignite"
        configuration.password = "wrong-\(password)"
        let error = await #expect(throws: IgniteError.self) { _ = try await IgniteClient(configuration: configuration) }
        #expect(error?.code == .authentication)
        configuration.password = AsyncTestEnvironment.realAuth?.password ?? password
        let client = try await IgniteClient(configuration: configuration)
        defer { client.close() }
        #expect(try await client.cacheNames().count >= 0)
    }

    @Test func closeFailsOperationsAndIsIdempotent() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        client.close()
        client.close()
        #expect(client.isClosed)
        let error = await #expect(throws: IgniteError.self) { _ = try await client.cacheNames() }
        #expect(error?.code == .illegalState)
    }
}

@Suite("IgniteAsync heartbeats", .timeLimit(.minutes(10)))
struct AsyncHeartbeatTests {
    @Test(.disabled(if: AsyncTestEnvironment.isReal, "counts requests on the test node"))
    func idleConnectionsSendHeartbeatsAndStayOpenPastTheIdleTimeout() async throws {
        var configuration = TestNodeConfiguration(nodeCount: 1)
        // 6 s of idle timeout against 1 s heartbeats: 5 s of slack, so that a loaded two-core machine running the other
        // async suites alongside cannot delay a heartbeat past the server's limit (3 s failed about 1 run in 6 there).
        configuration.idleTimeout = .seconds(6)
        let cluster = try IgniteTestCluster(configuration)
        defer { cluster.shutdown() }
        let node = try #require(cluster.nodes.first)
        var clientConfiguration = IgniteClientConfiguration(endpoints: cluster.endpoints)
        clientConfiguration.heartbeatInterval = .seconds(1)
        let client = try await IgniteClient(configuration: clientConfiguration)
        defer { client.close() }
        // One heartbeat per idle second: wait (bounded) for seven, that is more idle time than the server's timeout.
        #expect(await eventuallyTrue { node.requestCount(.heartbeat) >= 7 })
        #expect(try await client.cacheNames().count >= 0)
        #expect(node.connectionsAccepted == 1)
    }
}
