import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

@Suite("Test node: pipelining and faults")
struct PipeliningFaultTests {
    func getFrames(_ client: RawClient, ids: [Int64]) -> [UInt8] {
        ids.flatMap { id in
            client.frame(.cacheGet, id: id) { w in
                w.cacheInfo("p")
                w.writeValue(.long(id))
            }.bytes
        }
    }

    @Test("requests written together are answered newest first (reverseBatches, the default)")
    func reversed() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("p")
        for id in Int64(21)...23 { _ = try client.put("p", .long(id), .long(id * 10)) }
        client.write(getFrames(client, ids: [21, 22, 23]))
        var order: [Int64] = []
        for _ in 0..<3 {
            var response = try client.readResponse()
            order.append(response.header.requestId)
            #expect(try response.body.readValue() == .long(response.header.requestId * 10))
        }
        #expect(order == [23, 22, 21])
    }

    @Test("sequential and concurrent processing answer every pipelined request once", arguments: [
        TestNodeConfiguration.RequestProcessing.sequential, .concurrent,
    ])
    func otherModes(_ mode: TestNodeConfiguration.RequestProcessing) throws {
        var configuration = TestNodeConfiguration()
        configuration.requestProcessing = mode
        let cluster = try IgniteTestCluster(configuration)
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("p")
        let ids = (Int64(100)..<Int64(150)).map { $0 }
        client.write(getFrames(client, ids: ids))
        var seen: [Int64] = []
        for _ in ids { seen.append(try client.readResponse().header.requestId) }
        #expect(seen.sorted() == ids)
        if mode == .sequential { #expect(seen == ids) }
    }

    @Test("dropConnectionAfterFrames(n): n replies, then the connection closes on the next request")
    func drop() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        cluster.nodes[0].inject(.dropConnectionAfterFrames(2))
        #expect(try client.request(.cacheGetNames).isSuccess)
        #expect(try client.request(.cacheGetNames).isSuccess)
        client.write(client.frame(.cacheGetNames).bytes)
        #expect(client.drainUntilClose().isEmpty)
        // New connections get n replies too; clearing the fault restores normal service.
        cluster.nodes[0].inject(.none)
        #expect(try RawClient.connected(cluster.endpoints[0]).request(.cacheGetNames).isSuccess)
    }

    @Test("stalled replies are held back and sent when the fault is cleared")
    func stall() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient(cluster.endpoints[0], timeout: 1)
        guard case .success = try client.handshake() else { throw IgniteError(.handshake, "failed") }
        cluster.inject(.stallReplies)
        let (id, frame) = client.frame(.cacheGetNames)
        client.write(frame)
        #expect(throws: IgniteError.self) { try client.readFrame() }
        cluster.inject(.none)
        #expect(try client.readResponse().header.requestId == id)
    }

    @Test("delayed replies still arrive")
    func delay() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        cluster.nodes[0].inject(.delayReplies(.milliseconds(50)))
        #expect(try client.request(.cacheGetNames).isSuccess)
    }

    @Test("a garbage frame replaces the reply; a truncated frame is followed by a close")
    func garbageAndTruncated() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        cluster.nodes[0].inject(.garbageFrame)
        client.write(client.frame(.cacheGetNames).bytes)
        #expect(try client.readFrame() == [UInt8](repeating: 0xEE, count: 16))
        cluster.nodes[0].inject(.truncatedFrame)
        let truncated = try RawClient.connected(cluster.endpoints[0])
        truncated.write(truncated.frame(.cacheGetNames).bytes)
        let bytes = truncated.drainUntilClose()
        let declared = Int(Int32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
        #expect(bytes.count >= 4)
        #expect(bytes.count - 4 < declared)
    }

    @Test("a stopped node closes its connections; clusters start and stop without leaking connections")
    func stopClosesConnections() throws {
        for _ in 0..<5 {
            let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 2))
            defer { cluster.shutdown() }
            let client = try RawClient.connected(cluster.endpoints[1])
            #expect(cluster.nodes[1].openConnections == 1)
            cluster.stopNode(1)
            #expect(client.waitForClose())
            #expect(cluster.nodes[1].openConnections == 0)
            cluster.shutdown()
        }
    }
}
