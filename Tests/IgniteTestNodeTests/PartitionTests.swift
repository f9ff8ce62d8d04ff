import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

@Suite("Test node: partitions and routing")
struct PartitionTests {
    /// Reads the 1101 response: topology, groups → (applicable, caches, node → partitions).
    func partitionMap(_ client: RawClient, _ caches: [String]) throws -> (AffinityTopologyVersion, [(Bool, [Int32], [UUID: [Int32]])]) {
        var r = try client.request(.cachePartitions) { w in
            w.writeInt32(Int32(caches.count))
            for c in caches { w.writeInt32(JavaHash.cacheId(c)) }
        }
        let version = AffinityTopologyVersion(major: try r.body.readInt64(), minor: try r.body.readInt32())
        var groups: [(Bool, [Int32], [UUID: [Int32]])] = []
        for _ in 0..<(try r.body.readInt32()) {
            let applicable = try r.body.readBool()
            var ids: [Int32] = []
            for _ in 0..<(try r.body.readInt32()) {
                ids.append(try r.body.readInt32())
                if applicable {
                    for _ in 0..<(try r.body.readInt32()) { _ = (try r.body.readInt32(), try r.body.readInt32()) }
                }
            }
            var nodes: [UUID: [Int32]] = [:]
            if applicable {
                for _ in 0..<(try r.body.readInt32()) {
                    let id = try r.body.readUUIDObject()
                    nodes[id] = try (0..<(try r.body.readInt32())).map { _ in try r.body.readInt32() }
                }
            }
            groups.append((applicable, ids, nodes))
        }
        return (version, groups)
    }

    @Test("1101 on 3 nodes: every partition has one primary; replicated caches are not applicable; key config is listed")
    func map() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("part")
        _ = try client.createCache(properties: [(0, { $0.writeStringObject("repl") }), (1, { $0.writeInt32(1) })])
        let (version, groups) = try partitionMap(client, ["part", "repl", "missing"])
        #expect(version == cluster.topologyVersion)
        #expect(groups.count == 2)
        let applicable = try #require(groups.first)
        #expect(applicable.0)
        #expect(applicable.1 == [JavaHash.cacheId("part")])
        #expect(Set(applicable.2.keys) == Set(cluster.nodes.map(\.nodeId)))
        #expect(applicable.2.values.flatMap { $0 }.sorted() == (0..<1024).map(Int32.init))
        #expect(applicable.2.values.allSatisfy { $0 == $0.sorted() && $0.count > 200 })
        #expect(groups[1].0 == false)
        #expect(groups[1].1 == [JavaHash.cacheId("repl")])
    }

    /// The primary partitions of each node (by node index) from OP_CACHE_PARTITIONS.
    func primaries(_ cluster: IgniteTestCluster, _ client: RawClient, _ cache: String) throws -> [[Int32]] {
        let (_, groups) = try partitionMap(client, [cache])
        let nodes = try #require(groups.first).2
        return cluster.nodes.map { nodes[$0.nodeId] ?? [] }
    }

    @Test("the assignment is the real RendezvousAffinityFunction: GridGain's maps for node-10800…10803 (captures/partitions)")
    func realRendezvous() throws {
        var configuration = TestNodeConfiguration(nodeCount: 3)
        configuration.consistentIds = ["node-10800", "node-10801", "node-10802", "node-10803"]
        let cluster = try IgniteTestCluster(configuration)
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("part")
        _ = try client.createCache(properties: [(0, { $0.writeStringObject("aff32") }), (408, { w in
            w.writeInt32(32)      // partitions
            w.writeBool(false)    // excludeNeighbors
        })])
        // partitions.partitioned: 335/329/360 primaries, these first partitions.
        var maps = try primaries(cluster, client, "part")
        #expect(maps.map(\.count) == [335, 329, 360])
        #expect(Array(maps[0].prefix(12)) == [12, 20, 21, 27, 42, 44, 48, 50, 51, 54, 56, 60])
        #expect(Array(maps[1].prefix(12)) == [2, 3, 4, 7, 10, 18, 19, 22, 23, 25, 29, 32])
        #expect(Array(maps[2].prefix(12)) == [0, 1, 5, 6, 8, 9, 11, 13, 14, 15, 16, 17])
        // partitions.custom-32-partitions: 4/11/17 of 32.
        let small = try primaries(cluster, client, "aff32")
        #expect(small[0] == [12, 20, 21, 27])
        #expect(small[1] == [2, 3, 4, 7, 10, 18, 19, 22, 23, 25, 29])
        #expect(small[2] == [0, 1, 5, 6, 8, 9, 11, 13, 14, 15, 16, 17, 24, 26, 28, 30, 31])
        // partitions.after-4th-node-new-connection: node-10803 joins; only partitions it wins move.
        try cluster.addNode()
        maps = try primaries(cluster, client, "part")
        #expect(maps.map(\.count) == [252, 230, 270, 272])
        #expect(Array(maps[3].prefix(12)) == [2, 10, 11, 13, 18, 26, 27, 30, 32, 37, 42, 43])
        #expect(Array(maps[0].prefix(12)) == [12, 20, 21, 44, 48, 50, 51, 54, 60, 62, 64, 69])
    }

    @Test("a restarted node keeps its consistent id and so its partitions; its node id changes")
    func restartKeepsPartitions() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("keep")
        let before = try primaries(cluster, client, "keep")
        let (oldId, consistentId) = (cluster.nodes[2].nodeId, cluster.nodes[2].consistentId)
        #expect(consistentId == "node-\(cluster.endpoints[2].port)")
        try cluster.restartNode(2)
        #expect(cluster.nodes[2].nodeId != oldId)
        #expect(cluster.nodes[2].consistentId == consistentId)
        #expect(try primaries(cluster, client, "keep") == before)
    }

    @Test("key requests sent to the primary count as routed; others as misrouted")
    func misroutedCounter() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
        defer { cluster.shutdown() }
        let clients = try cluster.endpoints.map { try RawClient.connected($0) }
        try clients[0].createCache("route")
        for node in cluster.nodes { node.resetCounters() }
        var expectedMisrouted = [0, 0, 0]
        for key in 0..<60 {
            let value = IgniteValue.long(Int64(key))
            let primary = try #require(cluster.primaryNode(forKey: value, cacheName: "route")).index
            let target = key % 3
            #expect(try clients[target].put("route", value, value).isSuccess)
            if target != primary { expectedMisrouted[target] += 1 }
        }
        #expect(cluster.nodes.map(\.keyRequests) == [20, 20, 20])
        #expect(cluster.nodes.map(\.misroutedKeyRequests) == expectedMisrouted)
        #expect(expectedMisrouted.reduce(0, +) > 0)
        for node in cluster.nodes { node.resetCounters() }
        for key in 0..<60 {
            let value = IgniteValue.long(Int64(key))
            let primary = try #require(cluster.primaryNode(forKey: value, cacheName: "route")).index
            #expect(try clients[primary].get("route", value) == value)
        }
        #expect(cluster.nodes.map(\.misroutedKeyRequests) == [0, 0, 0])
        #expect(cluster.nodes.map(\.keyRequests).reduce(0, +) == 60)
    }

    @Test("the node's partition function matches the Java vectors")
    func javaVectors() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("vectors")
        let vectors: [(IgniteValue, Int)] = [
            (.int(1), 1), (.int(-1), 0), (.int(123456789), 590), (.long(2147483698), 50), (.long(-1), 0),
            (.string("myKey"), 811), (.string("This is a test string"), 71), (.string("Кириллица"), 192), (.string("😀"), 376),
            (.double(5.2), 217), (.float(5.354), 851), (.bool(true), 207), (.bool(false), 213), (.char("A"), 65),
            (.uuid(try #require(UUID(uuidString: "74274274-2742-7427-4274-274274274274"))), 595),
        ]
        for (key, partition) in vectors {
            #expect(cluster.partition(ofKey: key, cacheName: "vectors") == partition, "\(key)")
        }
    }

    @Test("stopping, restarting and adding nodes change the topology; data is shared")
    func topologyChanges() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 2))
        defer { cluster.shutdown() }
        let start = cluster.topologyVersion
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("shared")
        _ = try client.put("shared", .int(1), .string("one"))
        _ = try client.request(.cacheGetNames)
        let port = cluster.endpoints[1].port
        let oldId = cluster.nodes[1].nodeId
        cluster.stopNode(1)
        #expect(!cluster.nodes[1].isRunning)
        #expect(cluster.topologyVersion.major == start.major + 1)
        #expect(try client.request(.cacheGetNames).header.topologyVersion == cluster.topologyVersion)
        #expect(throws: (any Error).self) { try RawClient.connected(IgniteEndpoint(host: "127.0.0.1", port: port)) }
        try cluster.restartNode(1)
        #expect(cluster.endpoints[1].port == port)
        #expect(cluster.nodes[1].nodeId != oldId)
        let reconnected = try RawClient.connected(cluster.endpoints[1])
        #expect(try reconnected.get("shared", .int(1)) == .string("one"))
        let added = try cluster.addNode()
        #expect(cluster.nodes.count == 3)
        #expect(cluster.topologyVersion == AffinityTopologyVersion(major: start.major + 3, minor: 1))
        #expect(try RawClient.connected(added.endpoint).get("shared", .int(1)) == .string("one"))
    }

    /// The keys of a one-page scan (page size 1000) sent to one node.
    func scanKeys(_ client: RawClient, _ cache: String, partition: Int32 = -1, local: Bool = false) throws -> [IgniteValue] {
        var r = try client.request(.queryScan) { w in
            w.cacheInfo(cache)
            w.writeValue(.null)
            w.writeInt32(1000)
            w.writeInt32(partition)
            w.writeBool(local)
        }
        _ = try r.body.readInt64()
        let rows = try r.body.readInt32()
        return try (0..<rows).map { _ in
            let key = try r.body.readValue()
            _ = try r.body.readValue()
            return key
        }
    }

    @Test("scans with backups on 3 nodes: each entry once; a partition scan returns that partition from any node; local = primaries")
    func scansWithBackups() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
        defer { cluster.shutdown() }
        let clients = try cluster.endpoints.map { try RawClient.connected($0) }
        _ = try clients[0].createCache(properties: [(0, { $0.writeStringObject("sb") }), (3, { $0.writeInt32(1) })])
        let keys = (0..<60).map { IgniteValue.long(Int64($0)) }
        for key in keys { _ = try clients[0].put("sb", key, key) }
        for client in clients {
            #expect(try Set(scanKeys(client, "sb")) == Set(keys))
            #expect(try scanKeys(client, "sb").count == keys.count)   // backup copies are not scanned twice
        }
        let partition = try #require(cluster.partition(ofKey: keys[7], cacheName: "sb"))
        let inPartition = keys.filter { cluster.partition(ofKey: $0, cacheName: "sb") == partition }
        for client in clients {
            #expect(try scanKeys(client, "sb", partition: Int32(partition)) == inPartition)
        }
        // A local scan returns the node's primary entries: together the nodes return every entry once.
        let local = try clients.flatMap { try scanKeys($0, "sb", local: true) }
        #expect(local.count == keys.count)
        #expect(Set(local) == Set(keys))
    }

    @Test("get-size and local peek with backups on 3 nodes")
    func backups() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
        defer { cluster.shutdown() }
        let clients = try cluster.endpoints.map { try RawClient.connected($0) }
        _ = try clients[0].createCache(properties: [(0, { $0.writeStringObject("b") }), (3, { $0.writeInt32(1) })])
        for i in 0..<10 { _ = try clients[0].put("b", .long(Int64(i)), .long(Int64(i))) }
        // The captured combinations, then the rules of GridCacheAdapter.parsePeekModes: NEAR alone counts no copies,
        // ONHEAP without OFFHEAP counts only on-heap entries (none: onheapCacheEnabled is false).
        let cases: [([Int8], Int64)] = [([], 10), ([0], 20), ([2], 10), ([3], 10), ([2, 3], 20), ([4], 0), ([5], 10),
                                        ([1], 0), ([1, 5], 0), ([1, 2], 10), ([2, 4], 0), ([4, 5], 10), ([3, 5], 10), ([0, 4], 20)]
        for (modes, expected) in cases {
            var r = try clients[0].request(.cacheGetSize) { w in
                w.cacheInfo("b")
                w.writeInt32(Int32(modes.count))
                for m in modes { w.writeInt8(m) }
            }
            #expect(try r.body.readInt64() == expected, "modes \(modes)")
        }
        let invalid = try clients[0].request(.cacheGetSize) { w in
            w.cacheInfo("b")
            w.writeInt32(1)
            w.writeInt8(9)
        }
        #expect(invalid.header.status == 1)
        #expect(invalid.header.errorMessage == "Ouch! Argument cannot be null: peekMode")
        var holders = 0
        for client in clients {
            var r = try client.request(.cacheLocalPeek) { w in
                w.cacheInfo("b")
                w.writeValue(.long(3))
            }
            if try r.body.readValue() == .long(3) { holders += 1 }
        }
        #expect(holders == 2)
    }
}
