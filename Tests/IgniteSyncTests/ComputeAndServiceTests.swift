import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

@Suite("Compute")
struct ComputeTests {
    @Test(.enabled(if: BeyondEnvironment.echoTask != nil, "\(BeyondEnvironment.computeSkipReason)"), arguments: [1, 3])
    func echoTaskReturnsItsArgument(nodes: Int) throws {
        let task = try #require(BeyondEnvironment.echoTask)
        try BeyondEnvironment.withClient(nodes: nodes) { (client, _) throws in
            #expect(try client.compute.execute(task, argument: "hello", as: String.self) == "hello")
            // Not withNoResultCache: the echo task's reduce reads the first job result, which that flag withholds
            // (see `noResultCacheGivesReduceNoResults`).
            #expect(try client.compute.withTimeout(.seconds(30)).withNoFailover()
                .execute(task, argument: Int64(42), as: Int64.self) == 42)
            #expect(try client.compute.execute(task, as: String.self) == nil)
            #expect(try client.compute.forNodes(client.connectedNodeIds).execute(task, argument: Int32(7), as: Int32.self) == 7)
        }
    }

    /// Results are notifications on the connection that started the task: many tasks at once from many threads,
    /// interleaved with ordinary requests on the same connection, each get their own result.
    @Test(.enabled(if: BeyondEnvironment.echoTask != nil, "\(BeyondEnvironment.computeSkipReason)"))
    func concurrentTasksAndRequestsShareTheConnection() throws {
        let task = try #require(BeyondEnvironment.echoTask)
        try BeyondEnvironment.withClient { client, _ in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-compute-mix"))
            defer { try? cache.destroy() }
            let failures = FailureCount()
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                for i in 0..<20 {
                    let value = "w\(worker)-\(i)"
                    do {
                        if try client.compute.execute(task, argument: value, as: String.self) != value { failures.add() }
                        try cache.put(Int32(worker * 100 + i), value)
                        if try cache.get(Int32(worker * 100 + i), as: String.self) != value { failures.add() }
                    } catch {
                        failures.add()
                    }
                }
            }
            #expect(failures.value == 0)
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "uses the test node's own tasks"))
    func taskFailuresTimeoutsAndClusterGroups() throws {
        try BeyondEnvironment.withClient(nodes: 3) { client, cluster in
            let compute = client.compute
            #expect(try compute.execute(TestNodeTasks.nodeCount, as: Int32.self) == 3)
            let two = Array(try #require(cluster).nodes.prefix(2).map(\.nodeId))
            #expect(try compute.forNodes(two).execute(TestNodeTasks.nodeCount, as: Int32.self) == 2)
            let empty = try #require(throws: IgniteError.self) { try compute.forNodes([]).execute(TestNodeTasks.echo, as: String.self) }
            #expect(empty.code == .parameter)

            let failed = try #require(throws: IgniteError.self) {
                try compute.execute(TestNodeTasks.fail, argument: "boom", as: String.self)
            }
            #expect(failed.code == .server)
            #expect(failed.message.contains("boom"))

            let unknown = try #require(throws: IgniteError.self) { try compute.execute("no.such.Task", as: String.self) }
            #expect(unknown.message.contains("Unknown task name"))

            let timedOut = try #require(throws: IgniteError.self) {
                try compute.withTimeout(.milliseconds(50)).execute(TestNodeTasks.sleep, argument: Int32(5_000), as: Int32.self)
            }
            #expect(timedOut.message.contains("timed out"))
            #expect(try compute.execute(TestNodeTasks.sleep, argument: Int32(20), as: Int32.self) == 20)
        }
    }

    /// NO_RESULT_CACHE (0x02) reaches the server: the echo task's reduce then sees no job results and the task fails
    /// with the server's reduce error, as a Java echo task (`reduce` returns `results.get(0).getData()`) does on a
    /// real cluster. On a real cluster this holds for the echo task `IGNITE_TEST_COMPUTE_TASK` is documented to be.
    @Test(.enabled(if: BeyondEnvironment.echoTask != nil, "\(BeyondEnvironment.computeSkipReason)"))
    func noResultCacheGivesReduceNoResults() throws {
        let task = try #require(BeyondEnvironment.echoTask)
        try BeyondEnvironment.withClient { client, _ in
            let error = try #require(throws: IgniteError.self) {
                try client.compute.withNoResultCache().execute(task, argument: "lost", as: String.self)
            }
            #expect(error.code == .server)
            #expect(error.message.contains("Failed to reduce job results"))
            // The flag is per facade: without it the same task works on the same connection.
            #expect(try client.compute.withNoFailover().execute(task, argument: "kept", as: String.self) == "kept")
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "uses the test node's default configuration"))
    func disabledComputeSaysHowToEnableIt() throws {
        try BeyondEnvironment.withClient(computeEnabled: false) { client, _ in
            let error = try #require(throws: IgniteError.self) {
                try client.compute.execute(TestNodeTasks.echo, argument: "x", as: String.self)
            }
            #expect(error.code == .notSupportedByCluster)
            #expect(error.serverStatus == ServerStatus.functionalityDisabled)
            #expect(error.message.contains("maxActiveComputeTasksPerConnection"))
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "needs a server without the compute feature"))
    func withoutTheFeatureBitNothingIsSent() throws {
        try BeyondEnvironment.withClient(configure: { $0.features = ProtocolFeatures([.clusterStates]) }) { client, _ in
            let error = try #require(throws: IgniteError.self) {
                try client.compute.execute(TestNodeTasks.echo, argument: "x", as: String.self)
            }
            #expect(error.code == .notSupportedByCluster)
            let services = try #require(throws: IgniteError.self) { try client.services.descriptors() }
            #expect(services.code == .notSupportedByCluster)
        }
    }
}

@Suite("Services")
struct ServiceTests {
    @Test(.enabled(if: BeyondEnvironment.echoService != nil, "\(BeyondEnvironment.serviceSkipReason)"), arguments: [1, 3])
    func echoServiceAndDescriptors(nodes: Int) throws {
        let name = try #require(BeyondEnvironment.echoService)
        try BeyondEnvironment.withClient(nodes: nodes) { client, _ in
            let services = client.services
            #expect(try services.invoke(name, method: "echo", arguments: ["hi"], as: String.self) == "hi")
            #expect(try services.withTimeout(.seconds(10)).invoke(name, method: "echo", arguments: [Int32(5)], as: Int32.self) == 5)
            #expect(try services.forNodes(client.connectedNodeIds).invoke(name, method: "echo", arguments: [true], as: Bool.self) == true)
            let all = try services.descriptors()
            #expect(all.contains { $0.name == name })
            let one = try services.descriptor(name)
            #expect(one.name == name)
            #expect(!one.serviceClassName.isEmpty)
            let missing = try #require(throws: IgniteError.self) { try services.descriptor("no-such-service-\(UUID())") }
            #expect(missing.message.contains("Service not found"))
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "uses the test node's own service"))
    func callContextNeedsItsFeature() throws {
        // Without the caller-context bit the client refuses to drop the context silently.
        let withoutBit34 = ProtocolFeatures(ProtocolFeatures.defaultRequested.setBits.filter { $0 != 34 }.map(FeatureBit.init))
        try BeyondEnvironment.withClient(configure: { $0.features = withoutBit34 }) { client, _ in
            let error = try #require(throws: IgniteError.self) {
                try client.services.withCallContext(["user": "ann"])
                    .invoke(TestNodeServices.echo, method: "callContext", arguments: ["user"], as: String.self)
            }
            #expect(error.code == .notSupportedByCluster)
            #expect(try client.services.invoke(TestNodeServices.echo, method: "add", arguments: [Int32(2), Int32(3)], as: Int32.self) == 5)
            let noMethod = try #require(throws: IgniteError.self) {
                try client.services.invoke(TestNodeServices.echo, method: "nope", as: String.self)
            }
            #expect(noMethod.message.contains("nope"))
        }
        // GridGain's bit 34 (requested by default) carries the context on the test node's default (GridGain) line.
        try BeyondEnvironment.withClient { (client, _) throws in
            #expect(try client.services.withCallContext(["user": "ann"])
                .invoke(TestNodeServices.echo, method: "callContext", arguments: ["user"], as: String.self) == "ann")
            #expect(try client.services.invoke(TestNodeServices.echo, method: "callContext", arguments: ["user"], as: String.self) == nil)
        }
    }
}

/// A counter threads bump under a lock.
final class FailureCount: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0   // guarded by `lock`

    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}

@Suite("Compute: connection loss and cluster groups")
struct ComputeLossTests {
    /// The connection that runs a task is lost while a thread waits for the result: the wait ends with the
    /// connection's error instead of hanging.
    @Test(.disabled(if: TestEnvironment.isReal, "stops a test node"))
    func aLostConnectionEndsTheWait() throws {
        try BeyondEnvironment.withClient { client, cluster in
            let testCluster = try #require(cluster)
            let outcome = FailureCount()
            let done = DispatchSemaphore(value: 0)
            let thread = Thread {
                do {
                    _ = try client.compute.execute(TestNodeTasks.sleep, argument: Int32(600_000), as: Int32.self)
                } catch let error as IgniteError where [.connectionClosed, .socket, .protocolViolation].contains(error.code) {
                    outcome.add()
                } catch {}
                done.signal()
            }
            thread.start()
            while testCluster.nodes[0].requestCount(.computeTaskExecute) == 0 { Thread.sleep(forTimeInterval: 0.005) }
            testCluster.stopNode(0)
            #expect(done.wait(timeout: .now() + 60) == .success)
            #expect(outcome.value == 1)
        }
    }

    @Test(.enabled(if: BeyondEnvironment.echoTask != nil, "\(BeyondEnvironment.computeSkipReason)"))
    func clusterGroupNodeIds() throws {
        let task = try #require(BeyondEnvironment.echoTask)
        try BeyondEnvironment.withClient(nodes: 3) { client, _ in
            let servers = try client.cluster.nodeIds()
            #expect(Set(servers) == Set(client.connectedNodeIds) || TestEnvironment.isReal)
            #expect(try client.compute.forNodes(Array(servers.prefix(1))).execute(task, argument: "one", as: String.self) == "one")
        }
    }
}
