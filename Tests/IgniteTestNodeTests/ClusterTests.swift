import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

@Suite("Test node: cluster state, WAL, cluster groups")
struct ClusterTests {
    func setState(_ client: RawClient, _ state: Int8) throws -> RawClient.Response {
        try client.request(.clusterChangeState) { $0.writeInt8(state) }
    }

    func getState(_ client: RawClient) throws -> Int8 {
        var r = try client.request(.clusterGetState)
        return try r.body.readInt8()
    }

    @Test("ACTIVE_READ_ONLY: reads work, writes fail with the real text; state changes bump the topology minor")
    func readOnly() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("capKV")
        _ = try client.put("capKV", .int(1), .int(1))
        #expect(try getState(client) == 1)
        let change = try setState(client, 2)
        #expect(change.isSuccess)
        #expect(change.header.topologyVersion == AffinityTopologyVersion(major: 1, minor: 2))
        #expect(try getState(client) == 2)
        #expect(try client.get("capKV", .int(1)) == .int(1))
        let rejected = try client.put("capKV", .int(2), .int(2))
        #expect(rejected.header.errorMessage == "class org.apache.ignite.internal.processors.cache.CacheInvalidStateException: Failed to perform cache operation (cluster is in read-only mode) [cacheGrp=null, cache=capKV]")
        cluster.registerSQLUpdate("INSERT INTO CAP_CITY (ID, NAME) VALUES (9, 'ro')", count: 1)
        let insert = try client.request(.querySQLFields) { w in
            w.writeInt32(0)
            w.writeInt8(0)
            w.writeValue(.null)
            w.writeInt32(10)
            w.writeInt32(-1)
            w.writeStringObject("INSERT INTO CAP_CITY (ID, NAME) VALUES (9, 'ro')")
            w.writeInt32(0)
            w.writeInt8(0)
            for _ in 0..<6 { w.writeBool(false) }
            w.writeInt64(0)
            w.writeBool(false)
        }
        #expect(insert.header.errorMessage == "90097: Failed to execute DML statement. Cluster in read-only mode [stmt=INSERT INTO CAP_CITY (ID, NAME) VALUES (9, 'ro'), params=null]")
        #expect(try setState(client, 1).isSuccess)
        #expect(try client.put("capKV", .int(2), .int(2)).isSuccess)
    }

    @Test("an in-memory cluster refuses INACTIVE with GridGain's NPE text; a bad state byte")
    func inMemoryDeactivation() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        let refused = try setState(client, 0)
        #expect(refused.header.errorMessage == "Cannot invoke \"org.apache.ignite.cluster.ClusterState.ordinal()\" because \"state\" is null")
        #expect(try getState(client) == 1)
        #expect(try setState(client, 7).header.errorMessage == "Ouch! Argument cannot be null: newState")
    }

    @Test("a persistent cluster deactivates and then rejects cache operations")
    func persistentDeactivation() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(persistent: true))
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("c")
        #expect(try setState(client, 0).isSuccess)
        #expect(cluster.state == .inactive)
        let rejected = try client.put("c", .int(1), .int(1))
        #expect(rejected.header.status == 1)
        #expect(rejected.header.errorMessage?.hasPrefix("Can not perform the operation because the cluster is inactive.") == true)
        // The cache descriptor is looked up before the state is checked: a missing cache is still 1000.
        #expect(try client.put("missing", .int(1), .int(1)).header.status == 1000)
        #expect(try client.request(.cacheGetConfiguration) { $0.cacheInfo("missing") }.header.status == 1000)
        #expect(try setState(client, 1).isSuccess)
        #expect(try client.put("c", .int(1), .int(1)).isSuccess)
    }

    @Test("WAL: in-memory error; persistent get/disable/enable sequence; missing cache")
    func wal() throws {
        let memory = try IgniteTestCluster()
        let m = try RawClient.connected(memory.endpoints[0])
        try m.createCache("capKV")
        let refused = try m.request(.clusterChangeWALState) { w in
            w.writeStringObject("capKV")
            w.writeBool(false)
        }
        #expect(refused.header.errorMessage == "Cannot change WAL mode because persistence is not enabled for cache(s) [caches=[capKV], dataRegion=null]")
        let missing = try m.request(.clusterGetWALState) { $0.writeStringObject("noSuchCache") }
        #expect(missing.header.errorMessage == "Cache not found: noSuchCache")

        let persistent = try IgniteTestCluster(TestNodeConfiguration(persistent: true))
        let p = try RawClient.connected(persistent.endpoints[0])
        try p.createCache("w")
        func get() throws -> Bool {
            var r = try p.request(.clusterGetWALState) { $0.writeStringObject("w") }
            return try r.body.readBool()
        }
        func set(_ enable: Bool) throws -> Bool {
            var r = try p.request(.clusterChangeWALState) { w in
                w.writeStringObject("w")
                w.writeBool(enable)
            }
            return try r.body.readBool()
        }
        #expect(try get())
        #expect(try set(false))
        #expect(try !get())
        #expect(try !set(false))
        #expect(try set(true))
        #expect(try get())
    }

    @Test("cluster groups: node ids, node info, endpoints")
    func groups() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 2))
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        var ids = try client.request(.clusterGroupGetNodeIds) { w in
            w.writeInt64(0)
            w.writeInt32(1)
            w.writeInt16(2)
            w.writeBool(true)
        }
        #expect(try ids.body.readBool())
        let topVer = try ids.body.readInt64()
        #expect(topVer == cluster.topologyVersion.major)
        #expect(try ids.body.readInt32() == 2)
        let first = try ids.body.readUUIDPayload()
        #expect(Set([first, try ids.body.readUUIDPayload()]) == Set(cluster.nodes.map(\.nodeId)))
        var unchanged = try client.request(.clusterGroupGetNodeIds) { w in
            w.writeInt64(topVer)
            w.writeInt32(1)
            w.writeInt16(2)
            w.writeBool(true)
        }
        #expect(try !unchanged.body.readBool())
        var info = try client.request(.clusterGroupGetNodeInfo) { w in
            w.writeInt32(1)
            w.writeUUIDPayload(first)
        }
        #expect(try info.body.readInt32() == 1)
        #expect(try info.body.readUUIDObject() == first)
        var endpoints = try client.request(.clusterGroupGetNodeEndpoints) { w in
            w.writeInt64(-1)
            w.writeInt64(-1)
        }
        #expect(try endpoints.body.readInt64() == topVer)
        #expect(try endpoints.body.readInt32() == 2)
        var ports: [Int32] = []
        for _ in 0..<2 {
            _ = try endpoints.body.readUUIDPayload()
            ports.append(try endpoints.body.readInt32())
            #expect(try endpoints.body.readInt32() == 1)
            #expect(try endpoints.body.readStringObject() == "127.0.0.1")
        }
        #expect(Set(ports) == Set(cluster.endpoints.map { Int32($0.port) }))
        #expect(try endpoints.body.readInt32() == 0)
    }
}
