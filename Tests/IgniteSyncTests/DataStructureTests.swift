import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// Atomic longs and sets, one node and three nodes; against a real cluster when `IGNITE_TEST_ADDRESSES` is set.
@Suite("Distributed data structures")
struct DataStructureTests {
    /// The configuration of this suite's sets: a cache group of their own per backup count. Sets and atomics share
    /// `default-ds-group` by default, atomics with 1 backup and sets with 0, and a group's caches must agree on
    /// backups and mode: on a shared cluster, whatever created the group first decides (see DATA-STRUCTURES.md).
    /// A set configuration in a cache group of the test's own (`test`): sets of one group live in one cache. Once, in a
    /// full real-cluster run, two tests that created the first sets of a fresh group at the same time saw one of them
    /// reported missing right after its creation ("IgniteSet with name ... does not exist"); with a group per test no
    /// two tests share one. A group per backups count also avoids "Backups mismatch" beside the atomics.
    static func setConfiguration(_ test: String, backups: Int32 = 0, colocated: Bool = false) -> CollectionConfiguration {
        CollectionConfiguration(backups: backups, groupName: "swift-tests-sets-\(test)-\(backups)b", colocated: colocated)
    }

    @Test(arguments: [1, 3])
    func atomicLongArithmeticAndLifecycle(nodes: Int) throws {
        try TestEnvironment.withClient(nodes: nodes) { client, _ in
            let name = TestEnvironment.uniqueName("swift-atomic")
            #expect(try client.existingAtomicLong(name) == nil)
            let counter = try client.atomicLong(name, initialValue: 10)
            defer { try? counter.remove() }
            #expect(try counter.get() == 10)
            #expect(try counter.incrementAndGet() == 11)
            #expect(try counter.getAndIncrement() == 11)
            #expect(try counter.addAndGet(-5) == 7)
            #expect(try counter.getAndAdd(3) == 7)
            #expect(try counter.decrementAndGet() == 9)
            #expect(try counter.getAndDecrement() == 9)
            #expect(try counter.getAndSet(100) == 8)
            #expect(try counter.compareAndSet(expected: 1, value: 2) == false)
            #expect(try counter.compareAndSet(expected: 100, value: 200))
            #expect(try counter.compareAndSetAndGet(expected: 5, value: 6) == 200)
            #expect(try counter.compareAndSetAndGet(expected: 200, value: Int64.max) == 200)
            #expect(try counter.incrementAndGet() == Int64.min)  // wraps as Java's long does

            // Creating again keeps the value; another client sees the same counter.
            let again = try client.atomicLong(name, initialValue: 0)
            #expect(try again.get() == Int64.min)
            #expect(try client.existingAtomicLong(name) != nil)

            try counter.remove()
            #expect(try counter.isRemoved())
            let gone = try #require(throws: IgniteError.self) { try counter.get() }
            #expect(gone.message.contains("does not exist"))
            try counter.remove()  // removing a missing atomic long does nothing
        }
    }

    /// Every atomic-long request goes to the primary node of its name in `ignite-sys-atomic-cache@default-ds-group`,
    /// as the Java thin client routes it: the three test nodes count none misrouted.
    @Test(.disabled(if: TestEnvironment.isReal, "counts requests on test nodes"))
    func atomicLongRequestsGoToTheOwnerNode() throws {
        try TestEnvironment.withClient(nodes: 3) { client, cluster in
            let prefix = TestEnvironment.uniqueName("swift-atomic-route")
            let counters = try (0..<40).map { try client.atomicLong("\(prefix)-\($0)", initialValue: Int64($0)) }
            _ = try counters[0].get()   // fetches the atomics cache's partition map
            let nodes = try #require(cluster.testCluster?.nodes)
            nodes.forEach { $0.resetCounters() }
            for (i, counter) in counters.enumerated() {
                #expect(try counter.incrementAndGet() == Int64(i) + 1)
                #expect(try counter.get() == Int64(i) + 1)
                #expect(try counter.compareAndSet(expected: Int64(i) + 1, value: 0))
                #expect(try !counter.isRemoved())
                try counter.remove()
            }
            #expect(nodes.map(\.misroutedDataStructureRequests) == [0, 0, 0])
            #expect(nodes.map(\.dataStructureRequests.received).reduce(0, +) == 40 * 5)
            #expect(nodes.allSatisfy { $0.dataStructureRequests.received > 0 }, "the names spread over every node")
        }
    }

    /// Set value requests go to the owner of the value (colocated: of the set's name hash) in the set's cache.
    @Test(.disabled(if: TestEnvironment.isReal, "counts requests on test nodes"), arguments: [false, true])
    func setRequestsGoToTheOwnerNode(colocated: Bool) throws {
        try TestEnvironment.withClient(nodes: 3) { client, cluster in
            let set = try client.set(TestEnvironment.uniqueName("swift-set-route"), of: Int32.self,
                                     configuration: CollectionConfiguration(backups: 1, colocated: colocated))
            defer { try? set.close() }
            try set.add(-1)   // fetches the set cache's partition map
            let nodes = try #require(cluster.testCluster?.nodes)
            nodes.forEach { $0.resetCounters() }
            for i in Int32(0)..<40 {
                #expect(try set.add(i))
                #expect(try set.contains(i))
                #expect(try set.remove(i))
            }
            #expect(nodes.map(\.misroutedDataStructureRequests) == [0, 0, 0])
            #expect(nodes.map(\.dataStructureRequests.received).reduce(0, +) == 120)
            if !colocated { #expect(nodes.allSatisfy { $0.dataStructureRequests.received > 0 }, "the values spread over every node") }
        }
    }

    @Test func atomicLongWithConfigurationAndConcurrentIncrements() throws {
        try TestEnvironment.withClient(nodes: TestEnvironment.isReal ? 1 : 3) { client, _ in
            let name = TestEnvironment.uniqueName("swift-atomic-cfg")
            let counter = try client.atomicLong(name, initialValue: 0,
                                                // A group of its own: a REPLICATED atomics cache in `default-ds-group`
                                                // would make every later PARTITIONED structure there fail ("Cache mode mismatch").
                                                configuration: AtomicConfiguration(cacheMode: .replicated, backups: 0,
                                                                                   groupName: "swift-tests-atomics-replicated"))
            defer { try? counter.remove() }
            DispatchQueue.concurrentPerform(iterations: 8) { _ in
                for _ in 0..<50 { _ = try? counter.incrementAndGet() }
            }
            #expect(try counter.get() == 400)
        }
    }

    @Test(arguments: [1, 3])
    func setOperations(nodes: Int) throws {
        try TestEnvironment.withClient(nodes: nodes) { client, _ in
            let name = TestEnvironment.uniqueName("swift-set")
            #expect(try client.existingSet(name, of: String.self) == nil)
            let set = try client.set(name, of: String.self, configuration: Self.setConfiguration("basics", backups: 1))
            defer { try? set.close() }
            #expect(try set.isEmpty())
            #expect(try set.add("a"))
            #expect(try set.add("a") == false)
            #expect(try set.add(contentsOf: ["b", "c", "d"]))
            #expect(try set.add(contentsOf: ["b"]) == false)
            #expect(try set.add(contentsOf: [String]()) == false)
            #expect(try set.count() == 4)
            #expect(try set.contains("c"))
            #expect(try set.contains("z") == false)
            #expect(try set.contains(allOf: ["a", "b"]))
            #expect(try set.contains(allOf: ["a", "z"]) == false)
            #expect(try set.remove("a"))
            #expect(try set.remove("a") == false)
            #expect(try set.remove(contentsOf: ["b", "x"]))
            #expect(try Set(set.all()) == ["c", "d"])
            #expect(try set.retain(onlyThese: ["c", "q"]))
            #expect(try set.all() == ["c"])
            #expect(try set.retain(onlyThese: [String]()))
            #expect(try set.isEmpty())

            // The same set by name: get-or-create with its configuration finds it. The lookup-only path searches the
            // default group only (`IgniteKernal.set(name, null)`), so it does not see a set of another group.
            let same = try client.set(name, of: String.self, configuration: Self.setConfiguration("basics", backups: 1))
            #expect(same.identity == set.identity)
            #expect(try client.existingSet(name, of: String.self) == nil)
            try same.add("e")
            #expect(try set.contains("e"))
            try set.clear()
            #expect(try set.count() == 0)

            try set.close()
            #expect(try set.isRemoved())
            let gone = try #require(throws: IgniteError.self) { try set.add("f") }
            #expect(gone.serverStatus == 1011)
            #expect(gone.message.contains("IgniteSet with name"))
        }
    }

    @Test func setIterationPagesAndEarlyClose() throws {
        try TestEnvironment.withClient(nodes: TestEnvironment.isReal ? 1 : 3) { client, _ in
            var set = try client.set(TestEnvironment.uniqueName("swift-set-pages"), of: Int32.self, configuration: Self.setConfiguration("pages"))
            defer { try? set.close() }
            let values = Array(Int32(0)..<Int32(25))
            try set.add(contentsOf: values)
            set.pageSize = 4
            #expect(try set.all().sorted() == values)

            var seen: [Int32] = []
            try set.forEach { seen.append($0) }
            #expect(seen.sorted() == values)

            // Leaving early releases the server's iterator: the resource id is gone afterwards.
            let iterator = try set.makeIterator()
            #expect(try iterator.next() != nil)
            #expect(iterator.hasMorePages)
            iterator.close()
            #expect(!iterator.hasMorePages)
            #expect(try iterator.next() == nil)  // a closed iterator ends, even mid-page
            // A page size below 1 is refused before anything is sent.
            set.pageSize = 0
            let refused = try #require(throws: IgniteError.self) { try set.makeIterator() }
            #expect(refused.code == .parameter)
        }
    }

    @Test func setOfObjectsComparesByValue() throws {
        struct Point: Codable, IgniteObjectCodable, Hashable {
            var x: Int32
            var y: Int32
        }
        try TestEnvironment.withClient { client, _ in
            let set = try client.set(TestEnvironment.uniqueName("swift-set-obj"), of: Point.self,
                                     configuration: Self.setConfiguration("objects", colocated: true))
            defer { try? set.close() }
            #expect(set.isColocated)
            #expect(try set.add(Point(x: 1, y: 2)))
            #expect(try set.add(Point(x: 1, y: 2)) == false)
            #expect(try set.contains(Point(x: 1, y: 2)))
            #expect(try set.all() == [Point(x: 1, y: 2)])
        }
    }

    /// The lookup-only path (`existingSet`) finds sets of the default group. Such a set takes 1 backup, the atomics'
    /// default: the group's caches must agree, and the atomics cache is usually there first.
    @Test func existingSetFindsSetsOfTheDefaultGroup() throws {
        try TestEnvironment.withClient { client, _ in
            let name = TestEnvironment.uniqueName("swift-set-lookup")
            #expect(try client.existingSet(name, of: Int32.self) == nil)
            let set = try client.set(name, of: Int32.self, configuration: CollectionConfiguration(backups: 1))
            defer { try? set.close() }
            try set.add(7)
            let same = try #require(try client.existingSet(name, of: Int32.self))
            #expect(same.identity == set.identity)
            #expect(try same.contains(7))
        }
    }

    /// A set cache that does not fit its cache group is refused with the server's message: atomics default to 1
    /// backup and collections to 0, and a group's caches must agree (`ClusterCachesInfo.validateCacheGroupConfiguration`).
    /// A group of its own keeps this test independent of what else the (shared) cluster holds.
    @Test func aSetThatDoesNotFitItsGroupIsRefused() throws {
        try TestEnvironment.withClient { client, _ in
            let group = "swift-tests-mismatch"
            let counter = try client.atomicLong(TestEnvironment.uniqueName("swift-mismatch"), initialValue: 0,
                                                configuration: AtomicConfiguration(backups: 1, groupName: group))
            defer { try? counter.remove() }
            // A colocated set starts the group's shared collection cache; any other its own (`…#SET_<name>`).
            let colocated = try #require(throws: IgniteError.self) {
                try client.set(TestEnvironment.uniqueName("swift-mismatch-set"), of: Int32.self,
                               configuration: CollectionConfiguration(backups: 0, groupName: group, colocated: true))
            }
            #expect(colocated.serverStatus == 1)
            #expect(colocated.message.contains("Backups mismatch for caches related to the same group [groupName=\(group), "
                + "existingCache=ignite-sys-atomic-cache@\(group), existingBackups=1, "
                + "startingCache=datastructures_ATOMIC_PARTITIONED_0@\(group), startingBackups=0]"), "\(colocated.message)")
            let name = TestEnvironment.uniqueName("swift-mismatch-set")
            let separated = try #require(throws: IgniteError.self) {
                try client.set(name, of: Int32.self, configuration: CollectionConfiguration(backups: 0, groupName: group))
            }
            #expect(separated.message.contains("startingCache=datastructures_ATOMIC_PARTITIONED_0@\(group)#SET_\(name), startingBackups=0]"),
                    "\(separated.message)")
            // The cache mode is checked first (`ClusterCachesInfo.validateCacheGroupConfiguration`).
            let replicated = try #require(throws: IgniteError.self) {
                try client.set(TestEnvironment.uniqueName("swift-mismatch-set"), of: Int32.self,
                               configuration: CollectionConfiguration(cacheMode: .replicated, backups: 1, groupName: group))
            }
            #expect(replicated.message.contains("Cache mode mismatch for caches related to the same group [groupName=\(group), "
                + "existingCache=ignite-sys-atomic-cache@\(group), existingCacheMode=PARTITIONED, "
                + "startingCache=datastructures_ATOMIC_REPLICATED_1@\(group), startingCacheMode=REPLICATED]"), "\(replicated.message)")
            // With the group's backups the set starts.
            let set = try client.set(TestEnvironment.uniqueName("swift-mismatch-set"), of: Int32.self,
                                     configuration: CollectionConfiguration(backups: 1, groupName: group))
            defer { try? set.close() }
            #expect(try set.add(1))
        }
    }

    @Test func emptyNamesAreRefusedBeforeSending() throws {
        try TestEnvironment.withClient { client, _ in
            #expect(throws: IgniteError.self) { try client.atomicLong("", initialValue: 0) }
            let error = try #require(throws: IgniteError.self) { try client.set("", of: Int32.self) }
            #expect(error.code == .parameter)
        }
    }
}
