import Foundation
import Testing
@testable import IgniteProtocol

extension Cluster.RouteAction {
    var connection: FakeConnection? { if case .connection(let c) = self { return c } else { return nil } }
    var isAny: Bool { if case .anyConnection = self { return true } else { return false } }
    var fetch: CachePartitionsRequest? { if case .fetchMap(let r) = self { return r } else { return nil } }
    var waitsFor: Int32? { if case .waitForMap(let id, _) = self { return id } else { return nil } }
    var ticket: UInt64? { if case .waitForMap(_, let ticket) = self { return ticket } else { return nil } }
}

@Suite("ClusterStateMachine: partition maps and key routing")
struct ClusterRoutingTests {
    typealias F = ClusterFixture
    static let cacheId: Int32 = 1234
    static let version = AffinityTopologyVersion(major: 3, minor: 0)

    /// A 4-partition map: partitions 0 and 2 on node A, 1 and 3 on node B.
    static func response(version: AffinityTopologyVersion = version, applicable: Bool = true) -> CachePartitionsResponse {
        CachePartitionsResponse(topologyVersion: version, groups: [
            .init(isApplicable: applicable, caches: [.init(cacheId: cacheId)],
                  nodes: applicable ? [.init(nodeId: F.nodeA, partitions: [0, 2]), .init(nodeId: F.nodeB, partitions: [1, 3])] : []),
        ])
    }

    static func key(_ value: Int64) -> EncodedValue { EncodedValue(.long(value)) }

    /// The node the map above assigns to a long key.
    static func owner(of value: Int64) throws -> UUID {
        let map = try PartitionMap(nodes: [.init(nodeId: F.nodeA, partitions: [0, 2]), .init(nodeId: F.nodeB, partitions: [1, 3])])
        let hash = try #require(try JavaHash.keyHashCode(ofEncoded: key(value).bytes, at: 0))
        return try #require(map.primaryNode(forKeyHash: hash))
    }

    static func connected() -> (Cluster, FakeConnection, FakeConnection) {
        var machine = F.machine([F.a, F.b])
        let a = FakeConnection("a"), b = FakeConnection("b")
        F.open(&machine, 0, a, node: F.nodeA)
        F.open(&machine, 1, b, node: F.nodeB)
        return (machine, a, b)
    }

    @Test("no map: the first caller fetches it, a concurrent caller waits, then both route to the owner's connection")
    func singleFlightFetch() throws {
        var (machine, a, b) = Self.connected()
        let first = machine.route(cacheId: Self.cacheId, encodedKey: Self.key(7), schemas: nil)
        let request = try #require(first.fetch)
        #expect(request.cacheIds == [Self.cacheId])
        let waiting = machine.route(cacheId: Self.cacheId, encodedKey: Self.key(8), schemas: nil)
        #expect(waiting.waitsFor == Self.cacheId)
        let ticket = try #require(waiting.ticket)
        let cancelled = try #require(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(9), schemas: nil).ticket)
        #expect(cancelled != ticket)
        let ended = machine.mapWaitEnded(ticket: cancelled)
        #expect(ended, "a cancelled waiter leaves the list")
        let endedTwice = machine.mapWaitEnded(ticket: cancelled)
        #expect(!endedTwice)
        #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(8), schemas: nil, mayWait: false).isAny,
                "after its wait a caller never waits again")
        #expect(machine.isFetchingMap(cacheId: Self.cacheId))
        let fetched = machine.mapFetched(Self.response(), cacheId: Self.cacheId)
        #expect(fetched.outcome == .mapped(partitionCount: 4))
        #expect(fetched.resume == [ticket], "the waiter is resumed")
        #expect(!machine.isFetchingMap(cacheId: Self.cacheId))
        for value in Int64(0)..<16 {
            let expected = try Self.owner(of: value) == F.nodeA ? a : b
            #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(value), schemas: nil).connection === expected)
            // The second time comes from the snapshot: the same answer.
            #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(value), schemas: nil).connection === expected)
        }
    }

    @Test("keys kept in place (numbers, UUIDs, bools, short strings) route exactly like the same bytes in an array")
    func inlineKeysRouteLikeArrays() throws {
        var (machine, _, _) = Self.connected()
        _ = machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil)
        machine.mapFetched(Self.response(), cacheId: Self.cacheId)
        var types = BinaryTypeCollector()
        var keys: [EncodedValue] = []
        for value in [Int64.min, -1, 0, 1, 5, 7, 1 << 40, Int64.max] {
            keys.append(try EncodedValue(value, types: &types))
            keys.append(try EncodedValue(Int(value), types: &types))
            keys.append(try EncodedValue(Int32(truncatingIfNeeded: value), types: &types))
        }
        for text in ["", "a", "key-1", "ключ", "日本", "1234567890123456789", "12345678901234567890", "é" + String(repeating: "x", count: 17)] {
            keys.append(try EncodedValue(text, types: &types))
        }
        for _ in 0..<16 { keys.append(try EncodedValue(UUID(), types: &types)) }
        for number in [0.0, -0.0, 1.5, -7.25, 1e10, .infinity, .nan] { keys.append(try EncodedValue(number, types: &types)) }
        keys.append(try EncodedValue(true, types: &types))
        keys.append(try EncodedValue(false, types: &types))
        var seen = Set<ObjectIdentifier>()
        for key in keys {
            let heap = try EncodedValue(validating: key.bytes)
            #expect(heap == key)
            let expectedHash = try JavaHash.keyHashCode(ofEncoded: key.bytes)
            if key.count <= 24 { #expect(key.inlineKeyHashCode == expectedHash, "\(key.bytes)") }
            let viaArray = try #require(machine.route(cacheId: Self.cacheId, encodedKey: heap, schemas: nil).connection)
            let inPlace = try #require(machine.route(cacheId: Self.cacheId, encodedKey: key, schemas: nil).connection)
            #expect(viaArray === inPlace, "\(key.bytes)")
            seen.insert(ObjectIdentifier(inPlace))
        }
        #expect(seen.count == 2, "the keys reach both nodes, so the comparison is not vacuous")
    }

    @Test("a failed fetch sends keys anywhere; the fetch is retried at most 3 times per topology version")
    func failedFetchIsBounded() throws {
        var (machine, _, _) = Self.connected()
        _ = machine.observe(topologyVersion: Self.version)
        for _ in 0..<3 {
            #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil).fetch != nil)
            let waiter = try #require(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(2), schemas: nil).ticket)
            let resumed = machine.mapFetchFailed(cacheId: Self.cacheId)
            #expect(resumed == [waiter], "waiters resume (to any node) on failure too")
        }
        #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil).isAny)
        _ = machine.observe(topologyVersion: AffinityTopologyVersion(major: 4, minor: 0))
        #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil).fetch != nil, "a new version resets the budget")
    }

    @Test("a newer topology version makes the map stale: the next key fetches it again")
    func staleAfterTopologyChange() throws {
        var (machine, _, _) = Self.connected()
        _ = machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil)
        machine.mapFetched(Self.response(), cacheId: Self.cacheId)
        #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil).connection != nil)
        _ = machine.observe(topologyVersion: AffinityTopologyVersion(major: 9, minor: 0))
        #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil).fetch != nil)
    }

    @Test("the owner without a live connection, a non-applicable cache, and partition awareness off all route anywhere")
    func anyNodeCases() throws {
        var (machine, a, b) = Self.connected()
        _ = machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil)
        machine.mapFetched(Self.response(), cacheId: Self.cacheId)
        let ownerIsA = try Self.owner(of: 5) == F.nodeA
        machine.connectionLost(ownerIsA ? a : b, now: 0)
        #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(5), schemas: nil).isAny)

        var replicated = Self.connected().0
        _ = replicated.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil)
        #expect(replicated.mapFetched(Self.response(applicable: false), cacheId: Self.cacheId).outcome == .notApplicable)
        #expect(replicated.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil).isAny)
        #expect(replicated.route(cacheId: Self.cacheId, encodedKey: Self.key(2), schemas: nil).isAny)

        var off = F.machine([F.a, F.b], partitionAwareness: false)
        F.open(&off, 0, FakeConnection("a"), node: F.nodeA)
        #expect(off.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil).isAny, "no fetch at all")
    }

    @Test("single-partition routing and forgetting a destroyed cache")
    func partitionsAndForget() throws {
        var (machine, _, _) = Self.connected()
        _ = machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil)
        machine.mapFetched(Self.response(), cacheId: Self.cacheId)
        #expect(machine.primaryNode(cacheId: Self.cacheId, partition: 2) == F.nodeA)
        #expect(machine.primaryNode(cacheId: Self.cacheId, partition: 3) == F.nodeB)
        machine.forgetCache(Self.cacheId)
        #expect(machine.primaryNode(cacheId: Self.cacheId, partition: 2) == nil)
        #expect(machine.route(cacheId: Self.cacheId, encodedKey: Self.key(1), schemas: nil).fetch != nil)
    }
}
