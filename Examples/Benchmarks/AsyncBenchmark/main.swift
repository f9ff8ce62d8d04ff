// ignite-async-bench: IgniteAsync put/get throughput and client CPU per operation with 1, 8, 64 and 256 requests in
// flight on one connection, against IGNITE_BENCH_ADDRESS (host:port) or the test node. In the same run: a raw
// pipelined loop over one socket with precomputed frames and no client code (the ceiling), the sync client with
// 1 and 64 threads, and pyignite's AioClient with 64 in flight when a pyignite venv exists. It prints figures; it
// asserts nothing.
//
// Client CPU is the process's CPU time (getrusage) per operation: with the test node in a child process (built next
// to this binary) or a remote server, that is the client's alone.
//
// Options (environment): BENCH_OPS (default 40000 per phase), BENCH_KEYS (distinct keys, default 1000),
// BENCH_DEPTHS (default "1,8,64,256"), BENCH_PHASES (default: all): a comma-separated list of the phases to run, by
// key or key prefix: `async-put-64`, `async-get-1`, `loop-put` (one task on the loop thread), `raw-get-8`,
// `sync-put-64`, `loop-put-64` (64 tasks on the loop's executor), `pyignite-aio-64` (pyignite's AioClient, when a
// venv exists); `async`, `raw`, `sync`, `loop`, `async-get` select
// groups. BENCH_ROUNDS (default 10): an async phase and its raw-loop twin (`async-put-64` and `raw-put-64`), when both
// run, run in this many alternating slices (async first in even rounds, raw first in odd ones), so that a server
// that warms up or slows down during the run weighs on both alike.
// BENCH_REQUEST_TIMEOUT_MS: the request timeout of both clients (default none). Each phase prints its figures (CPU split
// into user and system time) as it ends, so that one phase can be profiled alone, for example under
// `valgrind --tool=callgrind` (instructions per operation: the difference of two runs with different BENCH_OPS,
// divided by the difference of operations).
import Foundation
import IgniteAsync
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A point in time: wall clock and the process's CPU time.
struct Sample {
    var wall: Double
    var cpu: Double
    var user = 0.0

    static func now() -> Sample {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let cpu = user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return Sample(wall: Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9, cpu: cpu, user: user)
    }
}

struct Measurement {
    var name: String
    var ops: Int
    var seconds: Double
    var cpuSeconds: Double
    var userSeconds: Double

    init(name: String, ops: Int, seconds: Double, cpuSeconds: Double, userSeconds: Double) {
        self.name = name
        self.ops = ops
        self.seconds = seconds
        self.cpuSeconds = cpuSeconds
        self.userSeconds = userSeconds
    }

    init(name: String, ops: Int, since start: Sample, report: Bool = true) {
        let end = Sample.now()
        self.name = name
        self.ops = ops
        seconds = end.wall - start.wall
        cpuSeconds = end.cpu - start.cpu
        userSeconds = end.user - start.user
        if report { self.report() }
    }

    /// The sum of two slices of one phase.
    static func + (lhs: Measurement, rhs: Measurement) -> Measurement {
        Measurement(name: lhs.name, ops: lhs.ops + rhs.ops, seconds: lhs.seconds + rhs.seconds,
                    cpuSeconds: lhs.cpuSeconds + rhs.cpuSeconds, userSeconds: lhs.userSeconds + rhs.userSeconds)
    }

    /// Prints the phase's figures.
    func report() {
        print("  \(name): \(ops) ops, \(String(format: "%.0f", opsPerSecond)) ops/s, CPU \(String(format: "%.2f", cpuMicrosPerOp)) µs/op "
              + "(user \(String(format: "%.2f", userSeconds * 1e6 / Double(max(ops, 1)))), "
              + "system \(String(format: "%.2f", (cpuSeconds - userSeconds) * 1e6 / Double(max(ops, 1)))))")
    }

    var opsPerSecond: Double { Double(ops) / max(seconds, 1e-9) }
    var cpuMicrosPerOp: Double { cpuSeconds * 1e6 / Double(max(ops, 1)) }
    var latencyMicros: Double { seconds * 1e6 / Double(max(ops, 1)) }
}

let environment = ProcessInfo.processInfo.environment
let ops = max(1, Int(environment["BENCH_OPS"] ?? "") ?? 40_000)
let keys = max(1, Int(environment["BENCH_KEYS"] ?? "") ?? 1000)
let requestTimeout = Int(environment["BENCH_REQUEST_TIMEOUT_MS"] ?? "").map { Duration.milliseconds(max(1, $0)) }
let rounds = max(1, Int(environment["BENCH_ROUNDS"] ?? "") ?? 10)
let depths = (environment["BENCH_DEPTHS"] ?? "1,8,64,256").split(separator: ",").compactMap { Int($0) }.filter { $0 > 0 }
let phaseFilter = (environment["BENCH_PHASES"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    .filter { !$0.isEmpty }

/// Whether the phase with this key (`async-put-64`, `loop-get`, `raw-put-8`, `sync-get-1`) runs (BENCH_PHASES).
func runs(_ key: String) -> Bool {
    phaseFilter.isEmpty || phaseFilter.contains { $0 == "all" || key == $0 || key.hasPrefix($0 + "-") }
}

/// `inFlight` tasks share the client (one connection), each running its share of the operations in sequence.
func inFlight(_ name: String, depth: Int, count: Int = ops, report: Bool = true,
              _ body: @escaping @Sendable (Int) async throws -> Void) async -> Measurement {
    let perTask = max(1, count / depth)
    let start = Sample.now()
    await withTaskGroup(of: Void.self) { group in
        for t in 0..<depth {
            group.addTask {
                for i in 0..<perTask { try? await body(t * perTask + i) }
            }
        }
    }
    return Measurement(name: name, ops: perTask * depth, since: start, report: report)
}

/// Runs a client phase and its raw-loop twin in `rounds` alternating slices; returns both sums (reported).
func alternating(_ client: (Int) async -> Measurement, _ raw: (Int) throws -> Measurement) async throws -> (Measurement, Measurement) {
    let slice = max(1, ops / rounds)
    var clientTotal: Measurement?
    var rawTotal: Measurement?
    for round in 0..<rounds {
        for clientTurn in round % 2 == 0 ? [true, false] : [false, true] {
            if clientTurn {
                let m = await client(slice)
                clientTotal = clientTotal.map { $0 + m } ?? m
            } else {
                let m = try raw(slice)
                rawTotal = rawTotal.map { $0 + m } ?? m
            }
        }
    }
    guard let clientTotal, let rawTotal else { throw RawError.failed("no rounds ran") }
    clientTotal.report()
    rawTotal.report()
    return (clientTotal, rawTotal)
}

/// The raw loop's connection and frames, set up before any phase runs.
struct RawSetup {
    let setup: IgniteClient
    let cache: IgniteCache
    let connection: RawConnection
    let putFrames: [[UInt8]]
    let getFrames: [[UInt8]]

    /// One raw phase of `count` operations with `depth` in flight, measured (reported only if `report`).
    func run(_ kind: String, depth: Int, count: Int, report: Bool) throws -> Measurement {
        let frames = kind == "put" ? putFrames : getFrames
        let total = max(depth, count / depth * depth)
        let start = Sample.now()
        if depth == 1 {
            try rawSequential(connection, frames: frames, ops: total)
        } else {
            try rawPipelined(connection, batches: rawBatches(frames, depth: depth), depth: depth, ops: total)
        }
        return Measurement(name: "raw \(kind) int ×\(depth)", ops: total, since: start, report: report)
    }
}

/// One task running every operation in sequence on the client's loop thread. A global function, so that the body
/// is not isolated to an actor and really runs on the preferred executor.
@available(macOS 15.0, *)
func onLoop(_ name: String, client: IgniteClient, _ body: @escaping @Sendable (Int) async throws -> Void) async -> Measurement {
    let start = Sample.now()
    await withTaskExecutorPreference(client.executor) {
        for i in 0..<ops { try? await body(i) }
    }
    return Measurement(name: name, ops: ops, since: start)
}

/// `depth` tasks on the client's loop thread (executor preference), each running its share of the operations in
/// sequence: replies resume their tasks on the loop without waking a pool thread.
@available(macOS 15.0, *)
func inFlightOnLoop(_ name: String, depth: Int, client: IgniteClient,
                    _ body: @escaping @Sendable (Int) async throws -> Void) async -> Measurement {
    let perTask = max(1, ops / depth)
    let start = Sample.now()
    await withTaskGroup(of: Void.self) { group in
        for t in 0..<depth {
            group.addTask(executorPreference: client.executor) {
                for i in 0..<perTask { try? await body(t * perTask + i) }
            }
        }
    }
    return Measurement(name: name, ops: perTask * depth, since: start)
}

func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text : text + String(repeating: " ", count: width - text.count) }
func fixed(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }

/// The whole run. Not top-level async code: that would park the main thread in `dispatch_main`, which valgrind
/// cannot run; the main thread waits on a semaphore instead.
func benchmark() async throws {
    let server = try BenchServer(environment: environment)
    let endpoint = server.endpoint
    print("ops per phase: \(ops), distinct keys: \(keys), in flight: \(depths.map(String.init).joined(separator: ", "))"
          + (requestTimeout.map { ", request timeout: \($0)" } ?? ""))

    // MARK: The raw loop's connection (the ceiling), set up first so that its phases can alternate with the client's

    var raw: RawSetup?
    if depths.contains(where: { runs("raw-put-\($0)") || runs("raw-get-\($0)") }) { do {
        let setup = try await IgniteClient(configuration: IgniteClientConfiguration(endpoints: [endpoint]))
        let name = "bench-raw-\(UUID().uuidString.prefix(8))"
        let rawCache = try await setup.getOrCreateCache(name)
        let connection = try RawConnection(host: endpoint.host, port: Int(endpoint.port))
        let putFrames = try rawFrames(cacheName: name, keys: keys) { .long(Int64($0)) }
        let getFrames = try rawFrames(cacheName: name, keys: keys) { _ in nil }
        try rawSequential(connection, frames: putFrames, ops: min(ops, 2_000))  // warm-up
        raw = RawSetup(setup: setup, cache: rawCache, connection: connection, putFrames: putFrames, getFrames: getFrames)
    } catch {
        print("raw loop failed: \(error)")
    } }
    var rawResults: [Measurement] = []

    // MARK: IgniteAsync

    var asyncResults: [Measurement] = []
    do {
        var configuration = IgniteClientConfiguration(endpoints: [endpoint], requestTimeout: requestTimeout)
        configuration.partitionAwareness = false
        let client = try await IgniteClient(configuration: configuration)
        let cache = try await client.getOrCreateCache("bench-async-\(UUID().uuidString.prefix(8))")
        for i in 0..<min(ops, 2_000) { try await cache.put(Int64(i % keys), Int64(i)) }  // warm-up
        if #available(macOS 15.0, *) {
            // One task on the client's loop thread (withTaskExecutorPreference): no thread hop per reply.
            if runs("loop-put") {
                asyncResults.append(await onLoop("async put int ×1 loop", client: client) { i in try await cache.put(Int64(i % keys), Int64(i)) })
            }
            if runs("loop-get") {
                asyncResults.append(await onLoop("async get int ×1 loop", client: client) { i in
                    _ = try await cache.get(Int64(i % keys), as: Int64.self)
                })
            }
        }
        if #available(macOS 15.0, *) {
            for depth in depths where depth > 1 {
                if runs("loop-put-\(depth)") {
                    asyncResults.append(await inFlightOnLoop("async put int ×\(depth) loop", depth: depth, client: client) { i in
                        try await cache.put(Int64(i % keys), Int64(i))
                    })
                }
                if runs("loop-get-\(depth)") {
                    asyncResults.append(await inFlightOnLoop("async get int ×\(depth) loop", depth: depth, client: client) { i in
                        _ = try await cache.get(Int64(i % keys), as: Int64.self)
                    })
                }
            }
        }
        for depth in depths {
            for kind in ["put", "get"] where runs("async-\(kind)-\(depth)") {
                let name = "async \(kind) int ×\(depth)"
                let body: @Sendable (Int) async throws -> Void
                if kind == "put" {
                    body = { i in try await cache.put(Int64(i % keys), Int64(i)) }
                } else {
                    body = { i in _ = try await cache.get(Int64(i % keys), as: Int64.self) }
                }
                if let raw, runs("raw-\(kind)-\(depth)") {
                    let (client, ceiling) = try await alternating({ count in
                        await inFlight(name, depth: depth, count: count, report: false, body)
                    }, { count in try raw.run(kind, depth: depth, count: count, report: false) })
                    asyncResults.append(client)
                    rawResults.append(ceiling)
                } else {
                    asyncResults.append(await inFlight(name, depth: depth, body))
                }
            }
        }
        try? await cache.destroy()
        client.close()
    } catch {
        print("async client failed: \(error)")
    }

    // MARK: Raw loop phases without an async twin in this run

    if let raw { do {
        for depth in depths {
            for kind in ["put", "get"] where runs("raw-\(kind)-\(depth)")
                && !rawResults.contains(where: { $0.name == "raw \(kind) int ×\(depth)" }) {
                rawResults.append(try raw.run(kind, depth: depth, count: ops, report: true))
            }
        }
    } catch {
        print("raw loop failed: \(error)")
    }
    try? await raw.cache.destroy()
    raw.setup.close()
    }

    // MARK: The sync client

    var syncResults: [Measurement] = []
    if [1, 64].contains(where: { runs("sync-put-\($0)") || runs("sync-get-\($0)") }) { do {
        syncResults = try syncPhases(endpoint: endpoint, ops: ops, keys: keys, threads: [1, 64], requestTimeout: requestTimeout,
                                     runs: runs)
    } catch {
        print("sync client failed: \(error)")
    } }

    // MARK: pyignite's AioClient (when a venv exists)

    var pyResults: [Measurement] = []
    if runs("pyignite-aio-64") {
        if let python = findPyIgnitePython(environment) {
            pyResults = pyIgniteAio(python: python, host: endpoint.host, port: Int(endpoint.port), ops: ops, keys: keys, depth: 64)
        } else {
            print("pyignite AioClient: no .venv/bin/python found; create one with "
                  + "`python3 -m venv .venv && .venv/bin/pip install pyignite` to compare")
        }
    }

    server.shutdown()

    // MARK: Report


    print("")
    print(pad("phase", 28) + pad("ops/s", 12) + pad("µs/op (wall)", 15) + "client CPU µs/op")
    for m in asyncResults + rawResults + syncResults + pyResults {
        print(pad(m.name, 28) + pad(fixed(m.opsPerSecond, 0), 12) + pad(fixed(m.latencyMicros, 2), 15) + fixed(m.cpuMicrosPerOp, 2))
    }
    if server.inProcess { print("(the server runs in this process: CPU figures include its work)") }
    print("")
    print(pad("async / raw loop", 24) + pad("throughput", 12) + "client CPU µs/op (async − raw)")
    for m in asyncResults {
        let rawName = "raw" + m.name.dropFirst("async".count).replacingOccurrences(of: " loop", with: "")
        guard let raw = rawResults.first(where: { $0.name == rawName }) else { continue }
        print(pad(String(m.name.dropFirst("async ".count)), 24) + pad("×" + fixed(m.opsPerSecond / raw.opsPerSecond, 2), 12)
              + fixed(m.cpuMicrosPerOp, 2) + " (" + (m.cpuMicrosPerOp >= raw.cpuMicrosPerOp ? "+" : "") + fixed(m.cpuMicrosPerOp - raw.cpuMicrosPerOp, 2) + ")")
    }
    for kind in ["put", "get"] {
        for variant in ["", " loop"] {
            if let async1 = asyncResults.first(where: { $0.name == "async \(kind) int ×1\(variant)" }),
               let sync1 = syncResults.first(where: { $0.name == "sync \(kind) int ×1" }) {
                print("\(kind) with 1 in flight\(variant.isEmpty ? "" : " (task on the loop)"): async latency / sync latency ×"
                      + fixed(async1.latencyMicros / sync1.latencyMicros, 2))
            }
        }
        if let async64 = asyncResults.first(where: { $0.name == "async \(kind) int ×64" }),
           let sync64 = syncResults.first(where: { $0.name == "sync \(kind) int ×64" }) {
            print("\(kind) with 64 in flight: async / sync (64 threads) throughput ×\(fixed(async64.opsPerSecond / sync64.opsPerSecond, 2))")
        }
        if let async64 = asyncResults.first(where: { $0.name == "async \(kind) int ×64" }),
           let aio64 = pyResults.first(where: { $0.name == "pyignite aio \(kind) int ×64" }) {
            print("\(kind) with 64 in flight: async / pyignite AioClient throughput ×\(fixed(async64.opsPerSecond / aio64.opsPerSecond, 2)), "
                  + "client CPU per op ×\(fixed(aio64.cpuMicrosPerOp / max(async64.cpuMicrosPerOp, 1e-9), 1)) less")
        }
    }
}

let finished = DispatchSemaphore(value: 0)
Task.detached {
    do {
        try await benchmark()
    } catch {
        print("benchmark failed: \(error)")
    }
    finished.signal()
}
finished.wait()
