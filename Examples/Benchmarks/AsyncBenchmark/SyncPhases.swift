// The blocking client on the same server, for comparison: one thread (latency) and many threads sharing the client.
import Foundation
import IgniteSync

/// Runs the sync client's phases; returns their measurements.
func syncPhases(endpoint: IgniteEndpoint, ops: Int, keys: Int, threads: [Int], requestTimeout: Duration?,
                runs: (String) -> Bool) throws -> [Measurement] {
    let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: [endpoint], requestTimeout: requestTimeout))
    defer { client.close() }
    let cache = try client.getOrCreateCache("bench-sync-\(UUID().uuidString.prefix(8))")
    defer { try? cache.destroy() }
    for i in 0..<min(ops, 2_000) { try cache.put(Int64(i % keys), Int64(i)) }  // warm-up
    var results: [Measurement] = []
    for count in threads {
        if runs("sync-put-\(count)") {
            results.append(onThreads("sync put int ×\(count)", threads: count, ops: ops) { i in try? cache.put(Int64(i % keys), Int64(i)) })
        }
        if runs("sync-get-\(count)") {
            results.append(onThreads("sync get int ×\(count)", threads: count, ops: ops) { i in
                _ = try? cache.get(Int64(i % keys), as: Int64.self)
            })
        }
    }
    return results
}

/// `threads` threads share the work; CPU is the process's.
func onThreads(_ name: String, threads: Int, ops: Int, _ body: @escaping @Sendable (Int) -> Void) -> Measurement {
    let perThread = max(1, ops / threads)
    let group = DispatchGroup()
    let start = Sample.now()
    for t in 0..<threads {
        group.enter()
        Thread {
            for i in 0..<perThread { body(t * perThread + i) }
            group.leave()
        }.start()
    }
    group.wait()
    return Measurement(name: name, ops: perThread * threads, since: start)
}
