import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// Collects events delivered on the handle's queue.
final class EventCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [ContinuousQueryEvent] = []
    private var errors: [IgniteError] = []

    func add(_ event: ContinuousQueryEvent) { lock.withLock { events.append(event) } }
    func fail(_ error: IgniteError) { lock.withLock { errors.append(error) } }
    var received: [ContinuousQueryEvent] { lock.withLock { events } }
    var failures: [IgniteError] { lock.withLock { errors } }

    /// Waits (bounded) until `condition` holds on what was received; the test then asserts the state.
    func wait(until condition: (ContinuousQueryEvent?, Int, Int) -> Bool) {
        let deadline = Date().addingTimeInterval(15)
        while Date() < deadline {
            let (last, count, failed) = lock.withLock { (events.last, events.count, errors.count) }
            if condition(last, count, failed) { return }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}

@Suite("Continuous queries", .serialized)
struct ContinuousQueryTests {
    @Test(arguments: [1, 3]) func createdUpdatedRemovedInOrderWithOldAndNewValues(nodes: Int) throws {
        try TestEnvironment.withClient(nodes: nodes) { client, _ in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-cq"))
            defer { try? cache.destroy() }
            try cache.put(Int32(100), "before")
            let collector = EventCollector()
            let query = try cache.continuousQuery(initialQuery: .scan(), onError: collector.fail, onEvent: collector.add)
            #expect(try query.initialEntries?.all().map(\.key) == [.int(100)])
            // Other requests keep flowing on the same connection while events arrive (pipelined replies undisturbed).
            for i in 0..<20 {
                try cache.put(Int32(i), "v\(i)")
                #expect(try cache.get(Int32(i), as: String.self) == "v\(i)")
            }
            try cache.put(Int32(3), "w3")
            _ = try cache.remove(Int32(4))
            collector.wait { _, count, _ in count >= 22 }
            let events = collector.received
            #expect(events.count == 22)
            // The server keeps the order of one key's events (of one partition), not across keys: a real cluster
            // delivered key 17 before 16, and the removal of 4 before the update of 3. Each key's own sequence is
            // checked, complete. A removal carries the old value as its value too (what the server sends).
            let byKey = Dictionary(grouping: events, by: \.key)
            #expect(Set(byKey.keys) == Set((0..<20).map { IgniteValue.int(Int32($0)) }))
            for i in Int32(0)..<20 {
                let created = ContinuousQueryEvent(kind: .created, key: .int(i), oldValue: nil, value: .string("v\(i)"))
                let expected: [ContinuousQueryEvent]
                switch i {
                case 3: expected = [created, ContinuousQueryEvent(kind: .updated, key: .int(3), oldValue: .string("v3"), value: .string("w3"))]
                case 4: expected = [created, ContinuousQueryEvent(kind: .removed, key: .int(4), oldValue: .string("v4"), value: .string("v4"))]
                default: expected = [created]
                }
                #expect(byKey[.int(i)] == expected, "key \(i)")
            }
            try query.close()
            #expect(query.isClosed)
            try cache.put(Int32(50), "after close")
            #expect(try cache.get(Int32(50), as: String.self) == "after close")
            #expect(collector.received.count == 22, "no event after close")
            #expect(collector.failures.isEmpty)
        }
    }

    /// An entry that expires is reported (with `includeExpired`) as EXPIRED carrying the expired value as both its
    /// old value and its value (`CacheContinuousQueryManager.onEntryExpired`). The test node does not emulate expiry
    /// events, so this runs on a real cluster only.
    @Test(.enabled(if: TestEnvironment.isReal, "the test node does not emulate expiry events"))
    func expiredEventCarriesTheOldValueAsBoth() throws {
        try TestEnvironment.withClient { client, _ in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-cq-expiry"))
            defer { try? cache.destroy() }
            let collector = EventCollector()
            let query = try cache.continuousQuery(includeExpired: true, onError: collector.fail, onEvent: collector.add)
            defer { try? query.close() }
            try cache.withExpiryPolicy(create: .milliseconds(300)).put(Int32(1), "short-lived")
            collector.wait { _, _, _ in collector.received.contains { $0.kind == .expired } }
            let expired = collector.received.filter { $0.kind == .expired }
            #expect(expired == [ContinuousQueryEvent(kind: .expired, key: .int(1), oldValue: .string("short-lived"), value: .string("short-lived"))],
                    "\(collector.received)")
            #expect(try cache.get(Int32(1), as: String.self) == nil)
        }
    }

    @Test func eventsFromAnotherClientArrive() throws {
        try TestEnvironment.withClient { client, cluster in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-cq-other"))
            defer { try? cache.destroy() }
            let collector = EventCollector()
            let query = try cache.continuousQuery(onError: collector.fail, onEvent: collector.add)
            defer { try? query.close() }
            let writer = try cluster.client()
            defer { writer.close() }
            try writer.cache(cache.name).put("k", Int64(1))
            try writer.cache(cache.name).put("k", Int64(2))
            collector.wait { _, count, _ in count >= 2 }
            #expect(collector.received.map(\.kind) == [.created, .updated])
            #expect(collector.received.last?.oldValue == .long(1))
        }
    }

    @Test func slowListenerOverflowsWithAnError() throws {
        guard !TestEnvironment.isReal else { return }
        try TestEnvironment.withClient { client, _ in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-cq-slow"))
            defer { try? cache.destroy() }
            let collector = EventCollector()
            let gate = DispatchSemaphore(value: 0)
            let query = try cache.continuousQuery(bufferLimit: 5, onError: collector.fail) { event in
                gate.wait()  // the listener is stuck until released
                collector.add(event)
            }
            for i in 0..<30 { try cache.put(Int32(i), i) }
            collector.wait { _, _, failed in failed > 0 }
            #expect(collector.failures.first?.code == .illegalState)
            #expect(query.isClosed)
            for _ in 0..<30 { gate.signal() }
            #expect(try cache.size() == 30, "the reader kept serving replies")
        }
    }

    @Test func connectionLossIsReported() throws {
        guard !TestEnvironment.isReal else { return }
        try TestEnvironment.withClient { client, cluster in
            let cache = try client.createCache(TestEnvironment.uniqueName("swift-cq-lost"))
            let collector = EventCollector()
            let query = try cache.continuousQuery(onError: collector.fail, onEvent: collector.add)
            cluster.testCluster?.stopNode(0)
            collector.wait { _, _, failed in failed > 0 }
            #expect(collector.failures.count == 1)
            #expect(query.isClosed)
        }
    }
}
