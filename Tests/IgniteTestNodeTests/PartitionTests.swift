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

    @Test("key requests sent to the primary count as routed; others as misrouted")
    func misroutedCounter() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
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

    @Test("get-size and local peek with backups on 3 nodes")
    func backups() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
        let clients = try cluster.endpoints.map { try RawClient.connected($0) }
        _ = try clients[0].createCache(properties: [(0, { $0.writeStringObject("b") }), (3, { $0.writeInt32(1) })])
        for i in 0..<10 { _ = try clients[0].put("b", .long(Int64(i)), .long(Int64(i))) }
        for (modes, expected) in [([Int8](), Int64(10)), ([0], 20), ([2], 10), ([3], 10), ([2, 3], 20), ([4], 0), ([5], 10)] {
            var r = try clients[0].request(.cacheGetSize) { w in
                w.cacheInfo("b")
                w.writeInt32(Int32(modes.count))
                for m in modes { w.writeInt8(m) }
            }
            #expect(try r.body.readInt64() == expected, "modes \(modes)")
        }
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
