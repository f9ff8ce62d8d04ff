// pyignite's scans.py (manual 3.1.7, "Scan") with the async client: a scan cursor is an AsyncSequence (`for try
// await`), the next page is fetched while the current one is consumed, leaving the loop early closes the server
// cursor, and a partitioned scan runs one task per partition instead of one partition after another.
import IgniteAsync
import IgniteExampleSupport

enum AsyncScansExample {
    static func run() async throws {
        let environment = try ExampleEnvironment.start("scans (async)")
        defer { environment.shutdown() }
        let client = try await IgniteClient(configuration: environment.configuration)
        defer { client.close() }
        let cache = try await client.createCache("my cache \(runSuffix)")
        try await withTemporaryCache(cache) { cache in
            let data = Dictionary(uniqueKeysWithValues: (0..<20).map { ("key_\($0)", $0) })
            try await cache.putAll(data)
            say("put 20 entries: key_0 = 0 ... key_19 = 19")

            // The whole cache, entry by entry.
            var seen: [String: Int] = [:]
            for try await (key, value) in try await cache.scan(keyType: String.self, valueType: Int.self) {
                if seen.count < 3 { say("\(key) \(value)") }
                seen[key] = value
            }
            say("... \(seen.count) entries in total")
            try expectEqual(seen, data, "the scanned entries")

            // Pages of 5; leaving the loop after 7 entries closes the cursor on the server (no leak, no extra call).
            var taken = 0
            for try await _ in try await cache.scan(pageSize: 5, keyType: String.self, valueType: Int.self) {
                taken += 1
                if taken == 7 { break }
            }
            say("pageSize 5: left the loop after \(taken) entries; the server cursor is closed")
            try expectEqual(taken, 7, "entries read before leaving the loop")

            // One task per partition, at most 32 in flight at a time over the same connections (a sliding window:
            // a real app bounds its fan-out rather than opening a server cursor per partition all at once).
            let partitions = Int(try await cache.configuration().affinity?.partitions ?? 1024)
            let window = 32
            let counts = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                func scan(_ partition: Int) {
                    group.addTask {
                        (partition, try await cache.scan(partition: partition, keyType: String.self, valueType: Int.self).all().count)
                    }
                }
                var next = 0
                while next < min(window, partitions) { scan(next); next += 1 }
                var counts: [Int: Int] = [:]
                while let (partition, count) = try await group.next() {
                    if count > 0 { counts[partition] = count }
                    if next < partitions { scan(next); next += 1 }
                }
                return counts
            }
            let total = counts.values.reduce(0, +)
            say("scanned \(partitions) partitions, \(window) at a time: \(total) entries in \(counts.count) partitions")
            try expectEqual(total, 20, "the entries of all partitions")
        }
    }
}
