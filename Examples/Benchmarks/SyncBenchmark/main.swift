// ignite-sync-bench: sync put/get throughput and client CPU per operation.
//
// Runs against IGNITE_BENCH_ADDRESS (host:port) when set, otherwise against the in-process test node.
// If a pyignite venv exists (.venv/bin/python, or $PYIGNITE_PYTHON), it measures pyignite on the same server in the
// same run and prints both. It measures; it does not assert.
//
// Options (environment): BENCH_OPS (default 20000 per phase), BENCH_KEYS (distinct keys, default 1000),
// BENCH_THREADS (default 64: threads sharing the client, and requests in flight in the raw pipelined loop),
// BENCH_REQUEST_TIMEOUT_MS (the client's request timeout; default none, as in IgniteClientConfiguration),
// BENCH_ROUNDS (default 20: each one-thread client phase and its raw-loop twin run in this many alternating slices,
// client first in even rounds and raw first in odd ones, so that a server warming up or slowing down during the run
// weighs on both; the threaded phases use at most 2 rounds, since each slice starts its threads),
// BENCH_SERVER_PID (Linux: a server process on this machine; each phase then also prints the server's CPU per op).
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
    /// CPU time of the server process over the phase (BENCH_SERVER_PID), or nil.
    var serverSeconds: Double? = nil

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

/// The server process to charge CPU time to (BENCH_SERVER_PID, Linux only): a server on the same machine.
let serverPID = ProcessInfo.processInfo.environment["BENCH_SERVER_PID"].flatMap { Int32($0) }

/// The server process's CPU time so far (the sum over its threads, from /proc), or nil.
func serverCPUSeconds() -> Double? {
    guard let serverPID else { return nil }
    let directory = "/proc/\(serverPID)/task"
    guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
    var nanoseconds = 0.0
    for task in tasks {
        // schedstat: time on the CPU (ns), time waiting to run (ns), time slices.
        guard let text = try? String(contentsOfFile: "\(directory)/\(task)/schedstat", encoding: .utf8),
              let first = text.split(separator: " ").first, let value = Double(first) else { continue }
        nanoseconds += value
    }
    return nanoseconds / 1e9
}

func measure(_ name: String, ops: Int, _ body: (Int) throws -> Void) rethrows -> Measurement {
    let server = serverCPUSeconds()
    let wall = wallSeconds()
    let cpu = threadCPUSeconds()
    for i in 0..<ops { try body(i) }
    let seconds = wallSeconds() - wall
    let cpuSeconds = threadCPUSeconds() - cpu
    return Measurement(name: name, ops: ops, seconds: seconds, cpuSeconds: cpuSeconds,
                       serverSeconds: server.flatMap { before in serverCPUSeconds().map { $0 - before } })
}

let environment = ProcessInfo.processInfo.environment
let ops = Int(environment["BENCH_OPS"] ?? "") ?? 20_000
let threads = max(1, Int(environment["BENCH_THREADS"] ?? "") ?? 64)
let keys = max(1, Int(environment["BENCH_KEYS"] ?? "") ?? 1000)
let requestTimeout = Int(environment["BENCH_REQUEST_TIMEOUT_MS"] ?? "").map { Duration.milliseconds(max(1, $0)) }
let rounds = max(1, Int(environment["BENCH_ROUNDS"] ?? "") ?? 20)
/// The threaded phases start their threads once per slice, so they use fewer, longer slices.
let threadedRounds = min(rounds, 2)

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
print("ops per phase: \(ops) in \(rounds) slices (threaded: \(threadedRounds)) alternating with the raw loop's, distinct keys: \(keys), "
      + "request timeout: \(requestTimeout.map { "\($0)" } ?? "none")")
print("note: on a small VM, round trips are much slower when client and server threads run on different cores;")
print("      pin both for a stable comparison, for example `taskset -c 1 ignite-sync-bench` with the server on core 1.")

// MARK: swift-ignite

let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: [endpoint], requestTimeout: requestTimeout))
let cacheName = "bench-sync-\(UUID().uuidString.prefix(8))"
let cache = try client.getOrCreateCache(cacheName)
let kib = [UInt8](repeating: 0x5A, count: 1024)
for i in 0..<min(ops, 2_000) { try cache.put(Int64(i % keys), Int64(i)) }  // warm-up

/// Summed CPU time of worker threads.
final class CPUTotal: @unchecked Sendable {
    let lock = NSLock()
    var seconds = 0.0
    func add(_ value: Double) { lock.lock(); seconds += value; lock.unlock() }
}

/// Many threads share the one client (and its one connection): their requests are pipelined.
func threaded(_ name: String, ops: Int, _ body: @escaping @Sendable (Int) -> Void) -> Measurement {
    let perThread = max(1, ops / threads)
    let group = DispatchGroup()
    let cpuTotal = CPUTotal()
    let server = serverCPUSeconds()
    let wall = wallSeconds()
    for t in 0..<threads {
        group.enter()
        Thread {
            let cpu = threadCPUSeconds()
            for i in 0..<perThread { body(t * perThread + i) }
            cpuTotal.add(threadCPUSeconds() - cpu)
            group.leave()
        }.start()
    }
    group.wait()
    let seconds = wallSeconds() - wall
    return Measurement(name: name, ops: perThread * threads, seconds: seconds, cpuSeconds: cpuTotal.seconds,
                       serverSeconds: server.flatMap { before in serverCPUSeconds().map { $0 - before } })
}

extension Measurement {
    /// A measurement of one call that ran `count` operations.
    func per(_ count: Int) -> Measurement {
        Measurement(name: name, ops: count, seconds: seconds, cpuSeconds: cpuSeconds, serverSeconds: serverSeconds)
    }

    /// The server's CPU per operation, when known.
    var serverMicrosPerOp: Double? { serverSeconds.map { $0 * 1e6 / Double(max(ops, 1)) } }

    /// The sum of two slices of the same phase.
    static func + (lhs: Measurement, rhs: Measurement) -> Measurement {
        Measurement(name: lhs.name, ops: lhs.ops + rhs.ops, seconds: lhs.seconds + rhs.seconds,
                    cpuSeconds: lhs.cpuSeconds + rhs.cpuSeconds,
                    serverSeconds: lhs.serverSeconds.flatMap { l in rhs.serverSeconds.map { l + $0 } })
    }
}

/// Runs a client phase and its raw-loop twin in `rounds` alternating slices (client, raw, raw, client, ...), so that
/// a server that speeds up or slows down during the run (JIT, GC, another load) weighs on both alike.
func alternating(rounds: Int, _ client: (Int) throws -> Measurement, _ raw: ((Int) throws -> Measurement)?) throws
    -> (Measurement, Measurement?) {
    let slice = max(1, ops / rounds)
    var clientTotal: Measurement?
    var rawTotal: Measurement?
    for round in 0..<rounds {
        for clientTurn in round % 2 == 0 ? [true, false] : [false, true] {
            if clientTurn {
                let m = try client(slice)
                clientTotal = clientTotal.map { $0 + m } ?? m
            } else if let raw {
                let m = try raw(slice)
                rawTotal = rawTotal.map { $0 + m } ?? m
            }
        }
    }
    guard let clientTotal else { throw RawError.failed("no rounds ran") }
    return (clientTotal, rawTotal)
}

/// The raw loop's connection and frames, set up before timing. Nil when it cannot be set up (the comparison is then
/// left out).
struct RawSetup {
    let setup: IgniteClient
    let cache: IgniteCache
    let connection: RawConnection
    let putInt: [[UInt8]]
    let getFrames: [[UInt8]]
    let putKiB: [[UInt8]]
    let putBatches: [[UInt8]]
    let getBatches: [[UInt8]]
}

let raw: RawSetup?
do {
    let setup = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: [endpoint]))
    let rawCacheName = "bench-raw-\(UUID().uuidString.prefix(8))"
    let rawCache = try setup.getOrCreateCache(rawCacheName)
    let connection = try RawConnection(host: endpoint.host, port: Int(endpoint.port))
    let putInt = try rawFrames(cacheName: rawCacheName, keys: keys) { .long(Int64($0)) }
    let getFrames = try rawFrames(cacheName: rawCacheName, keys: keys) { _ in nil }
    let putKiB = try rawFrames(cacheName: rawCacheName, keys: keys) { _ in .byteArray(kib) }
    try rawSequential(connection, frames: putInt, ops: min(ops, 2_000))  // warm-up
    raw = RawSetup(setup: setup, cache: rawCache, connection: connection, putInt: putInt, getFrames: getFrames,
                   putKiB: putKiB, putBatches: rawBatches(putInt, depth: threads), getBatches: rawBatches(getFrames, depth: threads))
} catch {
    print("raw loop failed: \(error)")
    raw = nil
}

/// A raw sequential slice of `count` operations, or nil without a raw loop.
@MainActor func rawSlice(_ name: String, _ frames: KeyPath<RawSetup, [[UInt8]]>) -> ((Int) throws -> Measurement)? {
    guard let raw else { return nil }
    return { count in try measure(name, ops: 1) { _ in try rawSequential(raw.connection, frames: raw[keyPath: frames], ops: count) }.per(count) }
}

/// A raw pipelined slice: batches of `threads` frames, one write each.
@MainActor func rawPipelinedSlice(_ name: String, _ batches: KeyPath<RawSetup, [[UInt8]]>) -> ((Int) throws -> Measurement)? {
    guard let raw else { return nil }
    return { count in
        let total = max(threads, count / threads * threads)
        return try measure(name, ops: 1) { _ in
            try rawPipelined(raw.connection, batches: raw[keyPath: batches], depth: threads, ops: total) }.per(total)
    }
}

var results: [Measurement] = []
var rawResults: [Measurement] = []
@MainActor func record(_ pair: (Measurement, Measurement?)) {
    results.append(pair.0)
    if let r = pair.1 { rawResults.append(r) }
}
record(try alternating(rounds: rounds, { n in try measure("swift put int", ops: n) { i in try cache.put(Int64(i % keys), Int64(i)) } },
                       rawSlice("raw put int", \.putInt)))
record(try alternating(rounds: rounds, { n in try measure("swift get int", ops: n) { i in _ = try cache.get(Int64(i % keys), as: Int64.self) } },
                       rawSlice("raw get int", \.getFrames)))
record(try alternating(rounds: rounds, { n in try measure("swift put 1KiB", ops: n) { i in try cache.put(Int64(i % keys), kib) } },
                       rawSlice("raw put 1KiB", \.putKiB)))
record(try alternating(rounds: rounds, { n in try measure("swift get 1KiB", ops: n) { i in _ = try cache.get(Int64(i % keys), as: [UInt8].self) } },
                       rawSlice("raw get 1KiB", \.getFrames)))
for i in 0..<keys { try cache.put(Int64(i), Int64(i)) }  // int values again for the threaded phases
if let raw { try rawSequential(raw.connection, frames: raw.putInt, ops: keys) }
record(try alternating(rounds: threadedRounds, { n in threaded("swift put int ×\(threads)", ops: n) { i in try? cache.put(Int64(i % keys), Int64(i)) } },
                   rawPipelinedSlice("raw put int ×\(threads)", \.putBatches)))
record(try alternating(rounds: threadedRounds, { n in threaded("swift get int ×\(threads)", ops: n) { i in _ = try? cache.get(Int64(i % keys), as: Int64.self) } },
                   rawPipelinedSlice("raw get int ×\(threads)", \.getBatches)))
try? cache.destroy()
client.close()
if let raw {
    try? raw.cache.destroy()
    raw.setup.close()
}

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
print(pad("phase", 26) + pad("ops/s", 14) + pad("client CPU µs/op", 18) + (serverPID == nil ? "" : "server CPU µs/op"))
for m in results + rawResults + pyResults {
    print(pad(m.name, 26) + pad(fixed(m.opsPerSecond, 0), 14) + pad(fixed(m.cpuMicrosPerOp, 2), 18)
          + (m.serverMicrosPerOp.map { fixed($0, 2) } ?? ""))
}
print("")
print(pad("client / raw loop", 26) + pad("throughput", 14) + "client CPU µs/op (client − raw)")
for m in results {
    let rawName = "raw" + m.name.dropFirst("swift".count)
    guard let raw = rawResults.first(where: { $0.name == rawName }) else { continue }
    print(pad(String(m.name.dropFirst("swift ".count)), 26) + pad("×" + fixed(m.opsPerSecond / raw.opsPerSecond, 2), 14)
          + fixed(m.cpuMicrosPerOp, 2) + " (" + (m.cpuMicrosPerOp >= raw.cpuMicrosPerOp ? "+" : "") + fixed(m.cpuMicrosPerOp - raw.cpuMicrosPerOp, 2) + ")")
}
for name in ["put", "get"] {
    guard let swift = results.first(where: { $0.name == "swift \(name) int" }),
          let py = pyResults.first(where: { $0.name == "pyignite \(name)" }) else { continue }
    print("\(name): swift/pyignite throughput ×\(fixed(swift.opsPerSecond / py.opsPerSecond, 2)), "
          + "CPU per op ×\(fixed(swift.cpuMicrosPerOp / py.cpuMicrosPerOp, 3)) (1/\(fixed(py.cpuMicrosPerOp / swift.cpuMicrosPerOp, 1)))")
}
