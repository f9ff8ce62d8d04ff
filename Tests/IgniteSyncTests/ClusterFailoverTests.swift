import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

@Suite("Partition awareness and failover")
struct ClusterFailoverTests {
    @Test func threeNodesKeyOperationsGoToTheirPrimaryNode() throws {
        try TestEnvironment.withCache(nodes: 3) { (cache: IgniteCache, client: IgniteClient, cluster: TestEnvironment.Cluster) throws -> Void in
            #expect(client.connectedNodeIds.count == (TestEnvironment.isReal ? client.connectedNodeIds.count : 3))
            for i in 0..<300 { try cache.put(Int32(i), "v\(i)") }
            for i in 0..<300 { #expect(try cache.get(Int32(i), as: String.self) == "v\(i)") }
            for i in 0..<50 { try cache.put("key-\(i)", Int64(i)) }
            for i in 0..<50 { #expect(try cache.containsKey("key-\(i)")) }
            if let nodes = cluster.testCluster?.nodes {
                #expect(nodes.map(\.misroutedKeyRequests) == [0, 0, 0])
                // Every node served some key requests: routing spread them.
                #expect(nodes.allSatisfy { $0.keyRequests > 0 })
            }
        }
    }

    @Test func pipeliningFromManyThreadsOnThreeNodes() throws {
        try TestEnvironment.withCache(nodes: 3) { (cache: IgniteCache, _: IgniteClient, cluster: TestEnvironment.Cluster) throws -> Void in
            let wrong = Counter()
            let group = DispatchGroup()
            for t in 0..<8 {
                group.enter()
                Thread {
                    for i in 0..<200 {
                        let key = Int32(t * 1000 + i)
                        do {
                            try cache.put(key, key &* 3)
                            if try cache.get(key, as: Int32.self) != key &* 3 { wrong.add("mismatch") }
                        } catch { wrong.add("error") }
                    }
                    group.leave()
                }.start()
            }
            #expect(group.wait(timeout: .now() + 300) == .success)
            #expect(wrong["mismatch"] == 0)
            #expect(wrong["error"] == 0)
            if let nodes = cluster.testCluster?.nodes { #expect(nodes.map(\.misroutedKeyRequests) == [0, 0, 0]) }
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "needs the test node's fault injection"))
    func nodeKilledMidLoadTheClientKeepsWorking() throws {
        try TestEnvironment.withCache(nodes: 3, { $0.retryPolicy = RetryAllPolicy() }) { (cache: IgniteCache, client: IgniteClient, cluster: TestEnvironment.Cluster) throws -> Void in
            let testCluster = try #require(cluster.testCluster)
            for i in 0..<100 { try cache.put(Int32(i), Int32(i)) }
            testCluster.stopNode(1)
            // Puts (idempotent) are resent under RetryAllPolicy; afterwards everything works on the live nodes.
            var failures = 0
            for i in 0..<100 {
                do { try cache.put(Int32(i), Int32(i + 1)) } catch let error as IgniteError {
                    #expect(error.code == .socket || error.code == .connectionClosed || error.code == .reconnect || error.code == .cache)
                    failures += 1
                }
            }
            #expect(failures == 0)
            #expect(try cache.size() >= 0)
            var two = false
            for _ in 0..<500 where !two {
                two = client.connectedNodeIds.count == 2
                if !two { Thread.sleep(forTimeInterval: 0.01) }
            }
            #expect(two)
            // After the map was refreshed for the new topology, keys go to their new owners again.
            let before = testCluster.nodes.map(\.misroutedKeyRequests)
            for i in 0..<100 { try cache.put(Int32(i), Int32(i + 2)) }
            #expect(testCluster.nodes.map(\.misroutedKeyRequests) == before)
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "needs the test node's fault injection"))
    func withTheDefaultPolicyReadsAreResentAndWritesSurfaceTheError() throws {
        try TestEnvironment.withCache(nodes: 3) { (cache: IgniteCache, client: IgniteClient, cluster: TestEnvironment.Cluster) throws -> Void in
            let testCluster = try #require(cluster.testCluster)
            for i in 0..<100 { try cache.put(Int32(i), Int32(i)) }
            testCluster.stopNode(1)
            // Every read succeeds: a get in flight on the dead node's connection is resent elsewhere.
            for i in 0..<100 { #expect(try cache.get(Int32(i), as: Int32.self) == Int32(i)) }
            testCluster.stopNode(2)
            var writeErrors: [IgniteError.Code] = []
            for i in 0..<100 {
                do { try cache.put(Int32(i), Int32(-i)) } catch let error as IgniteError { writeErrors.append(error.code) }
            }
            // At most the one put in flight when its connection broke fails, with a connection error.
            #expect(writeErrors.count <= 1)
            #expect(writeErrors.allSatisfy { $0 == .connectionClosed || $0 == .socket })
            #expect(client.connectedNodeIds.count >= 1)
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "needs the test node's fault injection"))
    func everyNodeGoneIsAReconnectError() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let client = try cluster.client { $0.partitionAwareness = false }
        defer { client.close() }
        _ = try client.cacheNames()
        cluster.testCluster?.stopNode(0)
        var last: IgniteError?
        for _ in 0..<3 {
            do { _ = try client.cacheNames() } catch let error as IgniteError { last = error }
        }
        #expect(last?.code == .reconnect)
        try cluster.testCluster?.restartNode(0)
        // The client reconnects to the node once it is back.
        var recovered = false
        for _ in 0..<100 where !recovered {
            if (try? client.cacheNames()) != nil { recovered = true } else { Thread.sleep(forTimeInterval: 0.05) }
        }
        #expect(recovered)
    }

    @Test(.disabled(if: TestEnvironment.isReal, "needs the test node's fault injection"))
    func stalledReplyHitsTheRequestTimeout() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let client = try cluster.client { $0.requestTimeout = .milliseconds(200) }
        defer { client.close() }
        let cache = try client.createCache(TestEnvironment.uniqueName())
        try cache.put(Int32(1), Int32(1))
        cluster.testCluster?.inject(.stallReplies)
        let error = try #require(throws: IgniteError.self) { try cache.get(Int32(1), as: Int32.self) }
        #expect(error.code == .timeout)
        cluster.testCluster?.inject(.none)
        // The connection survives a timeout: the late reply is discarded and the next request is answered.
        #expect(try cache.get(Int32(1), as: Int32.self) == 1)
        try cache.destroy()
    }

    @Test(.disabled(if: TestEnvironment.isReal, "needs the test node's fault injection"))
    func garbageFrameFailsTheOperationAndTheClientRecovers() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let client = try cluster.client { $0.retryPolicy = nil }
        defer { client.close() }
        let cache = try client.createCache(TestEnvironment.uniqueName())
        cluster.testCluster?.inject(.garbageFrame)
        let error = try #require(throws: IgniteError.self) { try cache.put(Int32(1), Int32(1)) }
        #expect(error.code == .protocolViolation || error.code == .connectionClosed)
        cluster.testCluster?.inject(.none)
        try cache.put(Int32(1), Int32(2))
        #expect(try cache.get(Int32(1), as: Int32.self) == 2)
        try cache.destroy()
    }

    @Test(.disabled(if: TestEnvironment.isReal, "needs the test node's fault injection"))
    func droppedConnectionSurfacesUnlessRetried() throws {
        let cluster = try TestEnvironment.Cluster(nodes: 1)
        defer { cluster.shutdown() }
        let strict = try cluster.client { $0.retryPolicy = nil }
        defer { strict.close() }
        let cache = try strict.createCache(TestEnvironment.uniqueName())
        cluster.testCluster?.inject(.dropConnectionAfterFrames(0))
        let error = try #require(throws: IgniteError.self) { try cache.put(Int32(1), Int32(1)) }
        #expect(error.code == .connectionClosed || error.code == .socket)
        cluster.testCluster?.inject(.none)
        try cache.put(Int32(1), Int32(1))
        try cache.destroy()
    }
}

@Suite("Node restarts")
struct NodeRestartTests {
    @Test(.disabled(if: TestEnvironment.isReal, "needs the test node's fault injection"))
    func aRestartedNodeIsReconnectedAndGetsItsKeysAgain() throws {
        try TestEnvironment.withCache(nodes: 3, { $0.retryPolicy = RetryAllPolicy() }) { (cache: IgniteCache, client: IgniteClient, cluster: TestEnvironment.Cluster) throws -> Void in
            let testCluster = try #require(cluster.testCluster)
            for i in 0..<60 { try cache.put(Int32(i), Int32(i)) }
            testCluster.stopNode(2)
            for i in 0..<60 { try cache.put(Int32(i), Int32(i + 1)) }
            try testCluster.restartNode(2)
            // Responses now carry the new topology; the client dials the node again in the background.
            var connected = false
            for i in 0..<400 where !connected {
                _ = try cache.get(Int32(i % 60), as: Int32.self)
                connected = client.connectedNodeIds.contains(testCluster.nodes[2].nodeId)
                if !connected { Thread.sleep(forTimeInterval: 0.01) }
            }
            #expect(connected)
            _ = try cache.get(Int32(0), as: Int32.self)  // refreshes the partition map for the new topology
            let before = testCluster.nodes.map(\.misroutedKeyRequests)
            for i in 0..<60 { #expect(try cache.get(Int32(i), as: Int32.self) == Int32(i + 1)) }
            #expect(testCluster.nodes.map(\.misroutedKeyRequests) == before)
            #expect(testCluster.nodes[2].keyRequests > 0)
        }
    }
}
