#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

/// Stopping a node wakes and finishes every thread it started, whatever its connections are doing: a thread left
/// running would outlive the test (and, before the test runner exits, could keep a hung process looking alive).
///
/// Each check counts the node's own threads twice: the node's bookkeeping (``IgniteTestNode/liveThreads``) and the
/// operating system's list of the process's threads (`/proc/self/task/*/comm` on Linux), by the thread names that carry
/// the node's port, so tests running in parallel with other nodes don't disturb the count.
@Suite("Test node: stop finishes every thread")
struct NodeStopTests {
    /// Generous: stop takes milliseconds; the limit only has to be well below the handshake time-out (120 s here) and
    /// the node's own grace period (10 s), which a thread that is not woken would run into.
    static let promptStop: TimeInterval = 8

    /// A configuration whose handshake time-out is far longer than any check here, so that a connection that ends
    /// is ended by stop, not by the time-out.
    static func configuration(nodes: Int = 1) -> TestNodeConfiguration {
        var configuration = TestNodeConfiguration(nodeCount: nodes)
        configuration.handshakeTimeout = .seconds(120)
        return configuration
    }

    /// The names of the threads of this process, as the OS reports them; `nil` where there is no `/proc`.
    static func osThreadNames() -> [String]? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return nil }
        return tasks.compactMap { task in
            (try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// How many OS threads belong to the node on `port` (listener and connections); `nil` without `/proc`.
    static func osThreads(port: Int) -> Int? {
        let names: Set = [TestNodeThreadName.listener(port: port), TestNodeThreadName.connection(port: port)]
        return osThreadNames().map { $0.filter(names.contains).count }
    }

    /// Stops the cluster (timed) and checks that it returned promptly and left none of its nodes' threads running.
    static func expectStopFinishesThreads(_ cluster: IgniteTestCluster, sourceLocation: SourceLocation = #_sourceLocation) {
        let ports = cluster.endpoints.map(\.port)
        let started = Date()
        cluster.shutdown()
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed < promptStop, "shutdown took \(elapsed) s", sourceLocation: sourceLocation)
        for node in cluster.nodes {
            #expect(node.liveThreads == 0, "node \(node.index) still runs \(node.liveThreads) threads", sourceLocation: sourceLocation)
        }
        // A finished thread leaves the OS's list a moment after it signalled that it is done.
        for port in ports where osThreads(port: port) != nil {
            #expect(eventually(timeout: 10) { osThreads(port: port) == 0 },
                    "threads of the node on port \(port) still running: \(osThreads(port: port) ?? -1)", sourceLocation: sourceLocation)
        }
    }

    @Test("the threads are named after the node's port and counted")
    func threadsAreNamedAndCounted() throws {
        let cluster = try IgniteTestCluster(Self.configuration())
        defer { cluster.shutdown() }
        let port = cluster.endpoints[0].port
        #expect(eventually { cluster.nodes[0].liveThreads == 1 })
        if let names = Self.osThreadNames() {
            #expect(eventually { Self.osThreadNames()?.contains(TestNodeThreadName.listener(port: port)) == true }, "\(names)")
        }
        let client = try RawClient.connected(cluster.endpoints[0])
        #expect(eventually { cluster.nodes[0].liveThreads == 2 })
        if Self.osThreads(port: port) != nil {
            #expect(eventually { Self.osThreads(port: port) == 2 })
        }
        _ = client
    }

    @Test("stop with only the listener waiting for connections")
    func idleListener() throws {
        let cluster = try IgniteTestCluster(Self.configuration(nodes: 2))
        defer { cluster.shutdown() }
        Self.expectStopFinishesThreads(cluster)
    }

    @Test("stop while a client is mid-handshake (part of the handshake frame sent)")
    func midHandshake() throws {
        let cluster = try IgniteTestCluster(Self.configuration())
        defer { cluster.shutdown() }
        let client = try RawClient(cluster.endpoints[0], timeout: 30)
        let frame = HandshakeRequest(version: .v1_7_0, features: .defaultRequested).frame()
        client.write(Array(frame.prefix(frame.count / 2)))
        #expect(eventually { cluster.nodes[0].openConnections == 1 && cluster.nodes[0].liveThreads == 2 })
        Self.expectStopFinishesThreads(cluster)
        #expect(client.waitForClose())
    }

    @Test("stop while a client is connected and has sent nothing")
    func connectedSilentClient() throws {
        let cluster = try IgniteTestCluster(Self.configuration())
        defer { cluster.shutdown() }
        let client = try RawClient(cluster.endpoints[0], timeout: 30)
        #expect(eventually { cluster.nodes[0].openConnections == 1 })
        Self.expectStopFinishesThreads(cluster)
        #expect(client.waitForClose())
    }

    @Test("stop while clients hold idle handshaken connections (the reader blocked in recv)")
    func idleConnections() throws {
        let cluster = try IgniteTestCluster(Self.configuration(nodes: 3))
        defer { cluster.shutdown() }
        let clients = try cluster.endpoints.flatMap { endpoint in try (0..<3).map { _ in try RawClient.connected(endpoint) } }
        #expect(eventually { cluster.nodes.allSatisfy { $0.openConnections == 3 && $0.liveThreads == 4 } })
        Self.expectStopFinishesThreads(cluster)
        for client in clients { #expect(client.waitForClose()) }
    }

    @Test("stop while replies are stalled and a request is waiting for one")
    func stalledReplies() throws {
        let cluster = try IgniteTestCluster(Self.configuration())
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("stop-stalled")
        cluster.inject(.stallReplies)
        client.write(client.frame(.cacheGet) { $0.cacheInfo("stop-stalled"); $0.writeValue(.long(1)) }.bytes)
        #expect(eventually { cluster.nodes[0].requestCount(.cacheGet) == 1 })
        Self.expectStopFinishesThreads(cluster)
    }

    @Test("stop and restart of one node leave exactly one listener, and stopping twice is harmless")
    func restartKeepsOneListener() throws {
        let cluster = try IgniteTestCluster(Self.configuration(nodes: 2))
        defer { cluster.shutdown() }
        let port = cluster.endpoints[1].port
        for _ in 0..<5 {
            let client = try RawClient.connected(cluster.endpoints[1])
            try cluster.restartNode(1)
            #expect(client.waitForClose())
        }
        cluster.stopNode(1)
        cluster.stopNode(1)
        #expect(cluster.nodes[1].liveThreads == 0)
        if Self.osThreads(port: port) != nil {
            #expect(eventually { Self.osThreads(port: port) == 0 })
        }
        #expect(cluster.nodes[0].liveThreads == 1)
        Self.expectStopFinishesThreads(cluster)
    }

    @Test("a cluster released without shutdown stops its nodes and their threads")
    func releasedClusterStops() throws {
        var port = 0
        var node: IgniteTestNode?
        var client: RawClient?
        do {
            let cluster = try IgniteTestCluster(Self.configuration())
            port = cluster.endpoints[0].port
            node = cluster.nodes[0]
            client = try RawClient.connected(cluster.endpoints[0])
            #expect(eventually { cluster.nodes[0].liveThreads == 2 })
        }
        #expect(client?.waitForClose() == true)
        #expect(node?.liveThreads == 0)
        if Self.osThreads(port: port) != nil {
            #expect(eventually { Self.osThreads(port: port) == 0 })
        }
    }

    @Test("the control server's stop ends its thread while a control client stays connected")
    func controlServerStopsWithAConnectedClient() throws {
        let cluster = try IgniteTestCluster(Self.configuration())
        defer { cluster.shutdown() }
        let control = try IgniteTestControlServer(cluster: cluster)
        defer { control.stop() }
        let client = try RawClient(IgniteEndpoint(host: "127.0.0.1", port: control.port), timeout: 30)
        client.write(Array("STATS\n".utf8))
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1024)
        while !String(decoding: answer, as: UTF8.self).hasSuffix("OK\n") {
            let n = chunk.withUnsafeMutableBytes { recv(client.fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            answer += chunk[0..<n]
        }
        #expect(String(decoding: answer, as: UTF8.self).hasSuffix("OK\n"))
        control.stop()
        #expect(control.hasFinished)
        #expect(client.waitForClose())
    }
}
