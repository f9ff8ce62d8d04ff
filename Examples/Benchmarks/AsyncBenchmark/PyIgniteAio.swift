// pyignite's AioClient on the same server, with requests in flight on one connection (asyncio tasks sharing one
// client), when a pyignite venv exists (.venv/bin/python, or $PYIGNITE_PYTHON). Its CPU is its own process's.
import Foundation

private let aioScript = """
import sys, time, json, asyncio
from pyignite import AioClient

async def main():
    host, port, ops, keys, depth = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    client = AioClient(partition_aware=False)
    async with client.connect(host, port):
        cache = await client.get_or_create_cache('bench-aio-' + str(int(time.time() * 1000)))
        for i in range(min(ops, 2000)):
            await cache.put(i % keys, i)
        per = max(1, ops // depth)
        out = {}
        for name in ('put', 'get'):
            async def worker(t):
                base = t * per
                if name == 'put':
                    for i in range(per):
                        await cache.put((base + i) % keys, base + i)
                else:
                    for i in range(per):
                        await cache.get((base + i) % keys)
            wall, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(worker(t) for t in range(depth)))
            out[name] = [time.perf_counter() - wall, time.process_time() - cpu, per * depth]
        await cache.destroy()
    print(json.dumps(out))

asyncio.run(main())
"""

/// The pyignite interpreter to compare with, if there is one.
func findPyIgnitePython(_ environment: [String: String]) -> String? {
    if let explicit = environment["PYIGNITE_PYTHON"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
    let local = FileManager.default.currentDirectoryPath + "/.venv/bin/python"
    return FileManager.default.isExecutableFile(atPath: local) ? local : nil
}

/// Runs pyignite's AioClient with `depth` requests in flight: put and get measurements, or none (with the reason
/// printed) when there is no venv or the run fails.
func pyIgniteAio(python: String, host: String, port: Int, ops: Int, keys: Int, depth: Int) -> [Measurement] {
    let scriptURL = FileManager.default.temporaryDirectory.appendingPathComponent("ignite-async-bench-\(getpid()).py")
    do {
        try aioScript.write(to: scriptURL, atomically: true, encoding: .utf8)
    } catch {
        print("pyignite AioClient: cannot write its script: \(error)")
        return []
    }
    defer { try? FileManager.default.removeItem(at: scriptURL) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [scriptURL.path, host, String(port), String(ops), String(keys), String(depth)]
    let pipe = Pipe()
    process.standardOutput = pipe
    do { try process.run() } catch {
        print("pyignite AioClient: cannot start \(python): \(error)")
        return []
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0,
          let object = try? JSONSerialization.jsonObject(with: data) as? [String: [Double]] else {
        print("pyignite AioClient run failed (status \(process.terminationStatus))")
        return []
    }
    var results: [Measurement] = []
    for name in ["put", "get"] {
        guard let triple = object[name], triple.count == 3 else { continue }
        let measurement = Measurement(name: "pyignite aio \(name) int ×\(depth)", ops: Int(triple[2]), seconds: triple[0],
                                      cpuSeconds: triple[1], userSeconds: triple[1])
        print("  \(measurement.name): \(measurement.ops) ops, \(String(format: "%.0f", measurement.opsPerSecond)) ops/s, "
              + "CPU \(String(format: "%.2f", measurement.cpuMicrosPerOp)) µs/op (its process)")
        results.append(measurement)
    }
    return results
}
