// ignite-stream-bench: loading int → 100-byte entries with the data streamer versus putAll batches of 1,000, through
// the same blocking client.
//
// Runs against IGNITE_BENCH_ADDRESSES (comma-separated host:port of a cluster) when set, otherwise against three
// in-process test nodes (which share this process's CPU with the client: figures from a real cluster are the ones
// that matter). It measures; it does not assert.
//
// Options (environment): BENCH_ENTRIES (default 200000; the target is 1,000,000 on a real 3-node cluster),
// BENCH_BUFFER (streamer per-node buffer, default 1024), BENCH_PARALLEL (batches in flight per node, default 4).
import Foundation
import IgniteSync
import IgniteTestNode

let environment = ProcessInfo.processInfo.environment
let entries = max(1_000, Int(environment["BENCH_ENTRIES"] ?? "") ?? 200_000)
let buffer = max(1, Int(environment["BENCH_BUFFER"] ?? "") ?? 1024)
let parallel = max(1, Int(environment["BENCH_PARALLEL"] ?? "") ?? 4)

var testCluster: IgniteTestCluster?
let endpoints: [IgniteEndpoint]
if let text = environment["IGNITE_BENCH_ADDRESSES"], !text.isEmpty {
    endpoints = try text.split(separator: ",").map { try IgniteEndpoint(parsing: String($0)) }
    print("cluster: \(endpoints.map(\.description).joined(separator: ", ")) (IGNITE_BENCH_ADDRESSES)")
} else {
    let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
    testCluster = cluster
    endpoints = cluster.endpoints
    print("cluster: three in-process test nodes (set IGNITE_BENCH_ADDRESSES for a real cluster)")
}
defer { testCluster?.shutdown() }

let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: endpoints))
defer { client.close() }
print("connected to \(client.connectedNodeIds.count) node(s); \(entries) entries of int → 100 bytes")

let payload = [UInt8](repeating: 0x5a, count: 100)

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func freshCache(_ name: String) throws -> IgniteCache {
    try? client.cache(name).destroy()
    let cache = try client.createCache(name)
    try cache.put(Int32(-1), payload)  // fetches the partition map outside the timing
    return cache
}

let putAllCache = try freshCache("stream-bench-putall")
let putAllSeconds = try seconds {
    var batch: [Int32: [UInt8]] = [:]
    batch.reserveCapacity(1_000)
    for i in 0..<entries {
        batch[Int32(i)] = payload
        if batch.count == 1_000 {
            try putAllCache.putAll(batch)
            batch.removeAll(keepingCapacity: true)
        }
    }
    if !batch.isEmpty { try putAllCache.putAll(batch) }
}
let putAllSize = try putAllCache.size()
try putAllCache.destroy()

let streamCache = try freshCache("stream-bench-streamer")
let options = IgniteDataStreamerOptions(perNodeBufferSize: buffer, perNodeParallelOperations: parallel)
let streamSeconds = try seconds {
    try streamCache.withDataStreamer(options) { streamer in
        for i in 0..<entries { try streamer.add(Int32(i), payload) }
    }
}
let streamSize = try streamCache.size()
try streamCache.destroy()

func rate(_ seconds: Double) -> String { String(format: "%.0f entries/s", Double(entries) / max(seconds, 1e-9)) }
print(String(format: "putAll (batches of 1,000):           %7.3f s  %@  (cache size %d)", putAllSeconds, rate(putAllSeconds), putAllSize - 1))
print(String(format: "streamer (buffer %d, %d per node):  %7.3f s  %@  (cache size %d)", buffer, parallel, streamSeconds,
             rate(streamSeconds), streamSize - 1))
print(String(format: "streamer / putAll speed-up: %.2fx", putAllSeconds / max(streamSeconds, 1e-9)))
