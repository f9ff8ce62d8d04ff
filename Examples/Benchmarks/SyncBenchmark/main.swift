// ignite-sync-bench: sync put/get throughput and client CPU per operation.
//
// Runs against IGNITE_BENCH_ADDRESS (host:port) when set, otherwise against the in-process test node.
// If a pyignite venv exists (.venv/bin/python, or $PYIGNITE_PYTHON), it measures pyignite on the same server in the
// same run and prints both. It measures; it does not assert.
//
// Options (environment): BENCH_OPS (default 20000 per phase), BENCH_KEYS (distinct keys, default 1000),
// BENCH_THREADS (default 8, for the pipelined phase).
import Foundation
import IgniteSync
import IgniteTestNode
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Measurement {
    var name: String
    var ops: Int
    var seconds: Double
    var cpuSeconds: Double

    var opsPerSecond: Double { Double(ops) / max(seconds, 1e-9) }
    var cpuMicrosPerOp: Double { cpuSeconds * 1e6 / Double(max(ops, 1)) }
}

func wallSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU time of the calling thread only: excludes the in-process test node's threads.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func measure(_ name: String, ops: Int, _ body: (Int) throws -> Void) rethrows -> Measurement {
    let wall = wallSeconds()
    let cpu = threadCPUSeconds()
    for i in 0..<ops { try body(i) }
    return Measurement(name: name, ops: ops, seconds: wallSeconds() - wall, cpuSeconds: threadCPUSeconds() - cpu)
}

let environment = ProcessInfo.processInfo.environment
let ops = Int(environment["BENCH_OPS"] ?? "") ?? 20_000
let threads = Int(environment["BENCH_THREADS"] ?? "") ?? 8
let keys = max(1, Int(environment["BENCH_KEYS"] ?? "") ?? 1000)

var testCluster: IgniteTestCluster?
let endpoint: IgniteEndpoint
if let address = environment["IGNITE_BENCH_ADDRESS"], !address.isEmpty {
    endpoint = try IgniteEndpoint(parsing: address)
    print("server: \(endpoint) (IGNITE_BENCH_ADDRESS)")
} else {
    let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1))
    testCluster = cluster
    guard let first = cluster.endpoints.first else { print("the test node has no endpoint"); exit(1) }
    endpoint = first
    print("server: in-process test node at \(endpoint) (set IGNITE_BENCH_ADDRESS to use a real server)")
}
print("ops per phase: \(ops), distinct keys: \(keys)")
print("note: on a small VM, round trips are much slower when client and server threads run on different cores;")
print("      pin both for a stable comparison, for example `taskset -c 1 ignite-sync-bench` with the server on core 1.")

// MARK: swift-ignite

let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: [endpoint]))
let cacheName = "bench-sync-\(UUID().uuidString.prefix(8))"
let cache = try client.getOrCreateCache(cacheName)
for i in 0..<min(ops, 2_000) { try cache.put(Int64(i % keys), Int64(i)) }  // warm-up

var results: [Measurement] = []
results.append(try measure("swift put", ops: ops) { i in try cache.put(Int64(i % keys), Int64(i)) })
results.append(try measure("swift get", ops: ops) { i in _ = try cache.get(Int64(i % keys), as: Int64.self) })

// Pipelined: several threads share the one connection.
do {
    let perThread = max(1, ops / threads)
    let group = DispatchGroup()
    final class CPUTotal: @unchecked Sendable {
        let lock = NSLock()
        var seconds = 0.0
        func add(_ value: Double) { lock.lock(); seconds += value; lock.unlock() }
    }
    let cpuTotal = CPUTotal()
    let wall = wallSeconds()
    for t in 0..<threads {
        group.enter()
        Thread {
            let cpu = threadCPUSeconds()
            for i in 0..<perThread { _ = try? cache.get(Int64((t * perThread + i) % keys), as: Int64.self) }
            let used = threadCPUSeconds() - cpu
            cpuTotal.add(used)
            group.leave()
        }.start()
    }
    group.wait()
    results.append(Measurement(name: "swift get ×\(threads) threads", ops: perThread * threads,
                               seconds: wallSeconds() - wall, cpuSeconds: cpuTotal.seconds))
}
try? cache.destroy()
client.close()

// MARK: pyignite

let pythonScript = """
import sys, time, json
from pyignite import Client
host, port, ops, keys = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
client = Client(partition_aware=False)
client.connect(host, port)
cache = client.get_or_create_cache('bench-py-' + str(int(time.time() * 1000)))
for i in range(min(ops, 2000)):
    cache.put(i % keys, i)
out = {}
for name in ('put', 'get'):
    wall, cpu = time.perf_counter(), time.process_time()
    if name == 'put':
        for i in range(ops):
            cache.put(i % keys, i)
    else:
        for i in range(ops):
            cache.get(i % keys)
    out[name] = [time.perf_counter() - wall, time.process_time() - cpu]
cache.destroy()
client.close()
print(json.dumps(out))
"""

func findPython() -> String? {
    if let explicit = environment["PYIGNITE_PYTHON"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
    let local = FileManager.default.currentDirectoryPath + "/.venv/bin/python"
    return FileManager.default.isExecutableFile(atPath: local) ? local : nil
}

var pyResults: [Measurement] = []
if let python = findPython() {
    let scriptURL = FileManager.default.temporaryDirectory.appendingPathComponent("ignite-sync-bench-\(getpid()).py")
    try pythonScript.write(to: scriptURL, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: scriptURL) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [scriptURL.path, endpoint.host, String(endpoint.port), String(ops), String(keys)]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if process.terminationStatus == 0,
       let object = try? JSONSerialization.jsonObject(with: data) as? [String: [Double]] {
        for name in ["put", "get"] {
            if let pair = object[name], pair.count == 2 {
                pyResults.append(Measurement(name: "pyignite \(name)", ops: ops, seconds: pair[0], cpuSeconds: pair[1]))
            }
        }
    } else {
        print("pyignite run failed (status \(process.terminationStatus))")
    }
} else {
    print("pyignite: no .venv/bin/python found; create one with `python3 -m venv .venv && .venv/bin/pip install pyignite` to compare")
}

testCluster?.shutdown()

// MARK: Report

func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
func fixed(_ value: Double, _ digits: Int) -> String {
    let scale = pow(10.0, Double(digits))
    let rounded = (value * scale).rounded() / scale
    var text = "\(rounded)"
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if decimals < digits { text += String(repeating: "0", count: digits - decimals) }
    }
    return text
}

print("")
print(pad("phase", 26) + pad("ops/s", 14) + "client CPU µs/op")
for m in results + pyResults {
    print(pad(m.name, 26) + pad(fixed(m.opsPerSecond, 0), 14) + fixed(m.cpuMicrosPerOp, 2))
}
for name in ["put", "get"] {
    guard let swift = results.first(where: { $0.name == "swift \(name)" }),
          let py = pyResults.first(where: { $0.name == "pyignite \(name)" }) else { continue }
    print("\(name): swift/pyignite throughput ×\(fixed(swift.opsPerSecond / py.opsPerSecond, 2)), "
          + "CPU per op ×\(fixed(swift.cpuMicrosPerOp / py.cpuMicrosPerOp, 3)) (1/\(fixed(py.cpuMicrosPerOp / swift.cpuMicrosPerOp, 1)))")
}
