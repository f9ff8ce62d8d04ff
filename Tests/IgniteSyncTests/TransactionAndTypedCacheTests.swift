import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

@Suite("Explicit transactions")
struct ExplicitTransactionTests {
    /// The transaction's connection breaks: the operation that saw it fails with the connection error, and from then
    /// on the transaction refuses everything with `.transaction` (nothing is sent, nothing is run outside it), while
    /// the client itself carries on over a new connection.
    @Test(.disabled(if: TestEnvironment.isReal, "needs the test node's fault injection"))
    func aTransactionIsLostWithItsConnection() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let testCluster = try #require(cluster.testCluster)
        let client = try cluster.client()
        defer { client.close() }
        var configuration = CacheConfiguration(name: TestEnvironment.uniqueName("swift-tx-lost"))
        configuration.atomicityMode = .transactional
        let cache = try client.createCache(configuration)

        let tx = try client.startTransaction(label: "lost")
        let inTx = tx.cache(cache)
        try inTx.put(Int32(1), "in the transaction")
        testCluster.inject(.dropConnectionAfterFrames(0))
        let broken = try #require(throws: IgniteError.self) { try inTx.put(Int32(2), "never") }
        #expect(broken.code == .connectionClosed || broken.code == .socket)
        testCluster.inject(.none)
        #expect(tx.isFinished)
        let refused = try #require(throws: IgniteError.self) { try inTx.get(Int32(1), as: String.self) }
        #expect(refused.code == .transaction)
        let commit = try #require(throws: IgniteError.self) { try tx.commit() }
        #expect(commit.code == .transaction)
        tx.close()  // nothing left to do; must not throw or send

        // The client reconnects; the server rolled the transaction back with its connection.
        #expect(try cache.get(Int32(1), as: String.self) == nil)
        #expect(try cache.get(Int32(2), as: String.self) == nil)
        try cache.destroy()
    }

    /// An expiry policy on a transactional handle travels with the transaction id (flags 0x06).
    @Test func expiryPolicyInsideATransaction() throws {
        try TestEnvironment.withClient { (client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            var configuration = CacheConfiguration(name: TestEnvironment.uniqueName("swift-tx-expiry"))
            configuration.atomicityMode = .transactional
            let cache = try client.createCache(configuration)
            defer { try? cache.destroy() }
            try client.transaction { tx in
                let bound = tx.cache(cache.withExpiryPolicy(create: .seconds(60)))
                #expect(bound.transaction === tx)
                #expect(bound.expiryPolicy?.create == ExpiryDuration(.seconds(60)))
                try bound.put(Int32(1), "kept for a minute")
            }
            #expect(try cache.get(Int32(1), as: String.self) == "kept for a minute")
        }
    }
}

@Suite("Typed cache view")
struct TypedCacheTests {
    struct City: IgniteObjectCodable, Equatable {
        var name: String
        var population: Int32
        static let igniteTypeName = "swift.TypedCity"
    }

    @Test func everyOperationIsTypedOnce() throws {
        try TestEnvironment.withCache { (untyped: IgniteCache, client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            let cities = client.cache(untyped.name, of: Int.self, City.self)
            #expect(cities.name == untyped.name)
            let oslo = City(name: "Oslo", population: 700_000)
            let bergen = City(name: "Bergen", population: 290_000)
            try cities.put(1, oslo)
            #expect(try cities.get(1) == oslo)
            #expect(try cities.get(2) == nil)
            #expect(try cities.putIfAbsent(2, bergen))
            #expect(try !cities.putIfAbsent(2, oslo))
            #expect(try cities.getAndPut(2, oslo) == bergen)
            #expect(try cities.getAndReplace(2, bergen) == oslo)
            #expect(try cities.getAndPutIfAbsent(2, oslo) == bergen)
            #expect(try cities.replace(2, oslo))
            #expect(try cities.replace(2, ifEquals: oslo, with: bergen))
            #expect(try cities.containsKey(2))
            #expect(try cities.getAndRemove(2) == bergen)
            #expect(try !cities.containsKey(2))
            try cities.putAll([3: oslo, 4: bergen])
            try cities.putAll([(5, oslo)])
            #expect(try cities.getAll([1, 3, 4, 99]) == [1: oslo, 3: oslo, 4: bergen])
            #expect(try cities.containsKeys([1, 3]))
            #expect(try cities.size() == 4)
            #expect(try cities.remove(5, ifEquals: bergen) == false)
            #expect(try cities.remove(5))
            try cities.clear(4)
            #expect(try cities.size() == 2)
            let scanned = try cities.scan(pageSize: 1).all()
            #expect(Set(scanned.map(\.key)) == [1, 3])
            #expect(scanned.allSatisfy { $0.value == oslo })
            try cities.removeAll([3])
            try cities.clearAll([1])
            #expect(try cities.size() == 0)
            try cities.put(6, oslo)
            try cities.removeAll()
            try cities.put(7, oslo)
            try cities.clear()
            #expect(try cities.size(peekModes: [.all]) == 0)
            // The untyped handle sees the same entries, and its typed view is the same cache.
            try untyped.typed(Int.self, City.self).put(8, bergen)
            #expect(try untyped.get(8, as: City.self) == bergen)
            #expect(try cities.localPeek(8, peekModes: [.all]) == bergen)
            #expect(try cities.withExpiryPolicy(create: .seconds(60)).get(8) == bergen)
        }
    }

    @Test func renamedOperationsOfTheUntypedCache() throws {
        try TestEnvironment.withCache { (cache: IgniteCache, _: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            // `get` without a type is the dynamic value, and `nil` when absent (like `get(_:as:)`).
            #expect(try cache.get(Int32(1)) == nil)
            try cache.put(Int32(1), "one")
            #expect(try cache.get(Int32(1)) == .string("one"))
            // `getAndPut` takes its result type from the value.
            let previous: String? = try cache.getAndPut(Int32(1), "uno")
            #expect(previous == "one")
            let size: Int = try cache.size()
            #expect(size == 1)
        }
    }
}
