// pyignite's scans.py (manual 3.1.7, "Scan"): read a whole cache entry by entry; then in pages of a chosen size,
// and one partition at a time (how a job spreads a scan over workers).
import IgniteExampleSupport
import IgniteSync

enum ScansExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("scans")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }
        let myCache = try client.createCache("my cache \(runSuffix)")
        defer { try? myCache.destroy() }

        let data = Dictionary(uniqueKeysWithValues: (0..<20).map { ("key_\($0)", $0) })
        try myCache.putAll(data)
        say("put 20 entries: key_0 = 0 ... key_19 = 19")

        // The whole cache, entry by entry, in the cache's order.
        let cursor = try myCache.scan(keyType: String.self, valueType: Int.self)
        var seen: [String: Int] = [:]
        while let (key, value) = try cursor.next() {
            if seen.count < 3 { say("\(key) \(value)") }
            seen[key] = value
        }
        say("... \(seen.count) entries in total")
        try expectEqual(seen, data, "the scanned entries")

        // Or all at once into a dictionary (mind the memory for a large cache).
        let all = Dictionary(uniqueKeysWithValues: try myCache.scan(keyType: String.self, valueType: Int.self).all().map { ($0.key, $0.value) })
        try expectEqual(all, data, "the scan read all at once")

        // Pages of 5 entries: the cursor fetches the next page when the current one is used up.
        let paged = try myCache.scan(pageSize: 5, keyType: String.self, valueType: Int.self)
        _ = try paged.next()
        let moreAfterFirst = paged.hasMore
        let rest = try paged.all()
        say("pageSize 5: more pages on the server after the first entry: \(moreAfterFirst); entries \(rest.count + 1)")
        try expect(moreAfterFirst, "a first page of 5 out of 20 leaves more on the server")
        try expectEqual(rest.count + 1, 20, "the entries read page by page")

        // One partition at a time: every entry is in exactly one partition.
        let partitions = Int(try myCache.configuration().affinity?.partitions ?? 1024)
        var perPartition: [Int: Int] = [:]
        var total = 0
        for partition in 0..<partitions {
            let entries = try myCache.scan(partition: partition, keyType: String.self, valueType: Int.self).all()
            if !entries.isEmpty { perPartition[partition] = entries.count }
            total += entries.count
        }
        let sample = perPartition.sorted { $0.key < $1.key }.prefix(3).map { "partition \($0.key): \($0.value)" }
        say("scanned \(partitions) partitions one by one: \(total) entries in \(perPartition.count) partitions (\(sample.joined(separator: ", ")), ...)")
        try expectEqual(total, 20, "the entries of all partitions")
    }
}
