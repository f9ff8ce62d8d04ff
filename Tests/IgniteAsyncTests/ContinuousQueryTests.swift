import Foundation
import IgniteAsync
import IgniteTestNode
import Testing

@Suite("IgniteAsync continuous queries", .timeLimit(.minutes(10)))
struct AsyncContinuousQueryTests {
    @Test(arguments: [1, 3]) func eventsAsAnAsyncSequence(nodes: Int) async throws {
        let cluster = try AsyncTestEnvironment.Cluster(nodes: nodes)
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName("swift-async-cq"))
        try await cache.put(Int32(-1), "initial")
        let query = try await cache.continuousQuery(initialQuery: .scan())
        #expect(try await query.initialEntries?.all().map(\.key) == [.int(-1)])
        for i in 0..<10 { try await cache.put(Int32(i), "v\(i)") }
        try await cache.put(Int32(2), "w2")
        _ = try await cache.remove(Int32(5))
        var events: [ContinuousQueryEvent] = []
        for try await event in query {
            events.append(event)
            if events.count == 12 { break }  // leaving the loop closes the query on the server
        }
        // In order per key (per partition), in no global order across keys (as a real cluster delivers them); a
        // removal carries the old value as its value too.
        let byKey = Dictionary(grouping: events, by: \.key)
        #expect(Set(byKey.keys) == Set((0..<10).map { IgniteValue.int(Int32($0)) }))
        for i in Int32(0)..<10 {
            let created = ContinuousQueryEvent(kind: .created, key: .int(i), oldValue: nil, value: .string("v\(i)"))
            let expected: [ContinuousQueryEvent]
            switch i {
            case 2: expected = [created, ContinuousQueryEvent(kind: .updated, key: .int(2), oldValue: .string("v2"), value: .string("w2"))]
            case 5: expected = [created, ContinuousQueryEvent(kind: .removed, key: .int(5), oldValue: .string("v5"), value: .string("v5"))]
            default: expected = [created]
            }
            #expect(byKey[.int(i)] == expected, "key \(i)")
        }
        #expect(query.isClosed)
        try await cache.put(Int32(99), "after")  // served normally after the close
        #expect(try await cache.get(Int32(99), as: String.self) == "after")
        try await cache.destroy()
    }

    @Test func cancellingTheTaskClosesTheQuery() async throws {
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName("swift-async-cq-cancel"))
        let query = try await cache.continuousQuery()
        let task = Task {
            var count = 0
            for try await _ in query { count += 1 }
            return count
        }
        try await cache.put(Int32(1), "x")
        task.cancel()
        _ = try? await task.value
        #expect(await eventuallyTrue { query.isClosed })
        try await cache.destroy()
    }

    @Test func connectionLossEndsTheSequenceWithAnError() async throws {
        guard !AsyncTestEnvironment.isReal else { return }
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName("swift-async-cq-lost"))
        let query = try await cache.continuousQuery()
        try await cache.put(Int32(1), "x")
        cluster.testCluster?.stopNode(0)
        var received = 0
        await #expect(throws: IgniteError.self) {
            for try await _ in query { received += 1 }
        }
        #expect(received <= 1)
    }

    @Test func slowConsumerOverflows() async throws {
        guard !AsyncTestEnvironment.isReal else { return }
        let cluster = try AsyncTestEnvironment.Cluster()
        defer { cluster.shutdown() }
        let client = try await cluster.client()
        defer { client.close() }
        let cache = try await client.createCache(AsyncTestEnvironment.uniqueName("swift-async-cq-slow"))
        let query = try await cache.continuousQuery(bufferLimit: 4)
        for i in 0..<20 { try await cache.put(Int32(i), i) }  // nobody reads yet
        #expect(await eventuallyTrue { query.isClosed })
        let error = await #expect(throws: IgniteError.self) {
            for try await _ in query {}
        }
        #expect(error?.code == .illegalState)
        #expect(try await cache.size() == 20)
    }
}
