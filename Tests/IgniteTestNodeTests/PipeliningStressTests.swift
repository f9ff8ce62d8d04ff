import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// Load on the node's request processing: many connections at once, each pipelining batches of requests of varying
/// size, answered in reverse batches (the default). Every request must be answered exactly once, with the right result.
/// Bounded by request count; the receive timeouts (10 s RawClient, 30 s IgniteClient) only guard against hangs.
@Suite("Test node: pipelining under load")
struct PipeliningStressTests {
    /// Runs `body(index)` on `count` threads at once and waits for all of them.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
    }

    /// What one connection saw: problems found, and the number of requests answered.
    struct Outcome: Sendable {
        var problems: [String] = []
        var sent = 0
        var answered = 0
    }

    @Test("24 raw connections × 1,500 pipelined puts and gets in batches of 1–40: each answered once, correctly",
          arguments: [TestNodeConfiguration.RequestProcessing.reverseBatches, .concurrent])
    func rawConnections(_ mode: TestNodeConfiguration.RequestProcessing) throws {
        var configuration = TestNodeConfiguration()
        configuration.requestProcessing = mode
        let cluster = try IgniteTestCluster(configuration)
        defer { cluster.shutdown() }
        try RawClient.connected(cluster.endpoints[0]).createCache("stress")
        let endpoint = cluster.endpoints[0]
        let connections = 24, perConnection = 1_500
        let outcomes = Locked([Outcome]())
        Self.onThreads(connections) { connection in
            var outcome = Outcome()
            defer { outcomes.withLock { $0.append(outcome) } }
            do {
                let client = try RawClient.connected(endpoint)
                var generator = SplitMix(seed: UInt64(connection + 1))
                var written: [Int64: Int64] = [:]   // acknowledged puts: key → value
                var sent = 0
                while sent < perConnection {
                    let size = min(perConnection - sent, 1 + Int(generator.next() % 40))
                    var expected: [Int64: (isPut: Bool, key: Int64, value: Int64?)] = [:]
                    var bytes: [UInt8] = []
                    for _ in 0..<size {
                        let key = Int64(connection) << 32 | Int64(generator.next() % 64)
                        // At most one request per key in a batch: the node may process a batch in any order.
                        if expected.values.contains(where: { $0.key == key }) { continue }
                        if generator.next() % 2 == 0 || written.isEmpty {
                            let value = Int64(bitPattern: generator.next())
                            let (id, frame) = client.frame(.cachePut) { w in
                                w.cacheInfo("stress")
                                w.writeValue(.long(key))
                                w.writeValue(.long(value))
                            }
                            expected[id] = (true, key, value)
                            bytes += frame
                        } else {
                            // Read a key whose put was acknowledged in an earlier batch (and not rewritten in this one).
                            let known = Array(written.keys)
                            let readKey = known[Int(generator.next() % UInt64(known.count))]
                            guard !expected.values.contains(where: { $0.key == readKey }) else { continue }
                            let (id, frame) = client.frame(.cacheGet) { w in
                                w.cacheInfo("stress")
                                w.writeValue(.long(readKey))
                            }
                            expected[id] = (false, readKey, written[readKey])
                            bytes += frame
                        }
                    }
                    client.write(bytes)
                    outcome.sent += expected.count
                    for _ in 0..<expected.count {
                        var response = try client.readResponse()
                        let id = response.header.requestId
                        guard let request = expected.removeValue(forKey: id) else {
                            outcome.problems.append("connection \(connection): unexpected or duplicate reply \(id)")
                            continue
                        }
                        outcome.answered += 1
                        if !response.isSuccess { outcome.problems.append("request \(id) failed: \(response.header.errorMessage ?? "")") }
                        if request.isPut {
                            written[request.key] = request.value
                        } else {
                            let value = try response.body.readValue()
                            if value != request.value.map(IgniteValue.long) {
                                outcome.problems.append("get \(id) of \(request.key): \(value), expected \(String(describing: request.value))")
                            }
                        }
                    }
                    if !expected.isEmpty { outcome.problems.append("connection \(connection): \(expected.count) replies missing") }
                    sent += size
                }
            } catch {
                outcome.problems.append("connection \(connection): \(error)")
            }
        }
        let all = outcomes.withLock { $0 }
        #expect(all.count == connections)
        #expect(all.flatMap(\.problems).isEmpty, "\(all.flatMap(\.problems).prefix(10))")
        #expect(all.map(\.answered) == all.map(\.sent))
        #expect(all.map(\.sent).reduce(0, +) >= connections * perConnection / 2)
        #expect(cluster.nodes[0].openConnections <= connections)
    }

    @Test("one IgniteClient, 16 threads, 3 nodes: 8,000 routed puts and gets, all answered, none misrouted")
    func sharedClient() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
        defer { cluster.shutdown() }
        var configuration = IgniteClientConfiguration(endpoints: cluster.endpoints)
        configuration.requestTimeout = .seconds(30)
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        let cache = try client.getOrCreateCache("shared-stress")
        _ = try cache.get(Int64(-1), as: Int64.self)   // fetch the partition map once before the load
        for node in cluster.nodes { node.resetCounters() }
        let threads = 16, perThread = 250
        let problems = Locked([String]())
        Self.onThreads(threads) { thread in
            do {
                for i in 0..<perThread {
                    let key = Int64(thread * 1_000_000 + i)
                    try cache.put(key, key &* 7)
                    let value = try cache.get(key, as: Int64.self)
                    if value != key &* 7 { problems.withLock { $0.append("key \(key): \(String(describing: value))") } }
                }
            } catch {
                problems.withLock { $0.append("thread \(thread): \(error)") }
            }
        }
        #expect(problems.withLock { $0 }.isEmpty, "\(problems.withLock { $0 }.prefix(10))")
        #expect(cluster.nodes.map(\.keyRequests).reduce(0, +) == threads * perThread * 2)
        #expect(cluster.nodes.map(\.misroutedKeyRequests) == [0, 0, 0])
        #expect(try cache.size() == threads * perThread)
    }
}

/// A small deterministic generator (SplitMix64), so that a failing run can be replayed.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A value guarded by a lock, for collecting results from test threads.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
