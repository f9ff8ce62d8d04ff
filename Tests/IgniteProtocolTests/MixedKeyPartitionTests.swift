import Foundation
import Testing
@testable import IgniteProtocol

/// The partition of a key, computed from the key itself the way the client routes it (Java `hashCode()` of the key,
/// then the Rendezvous function through a ``PartitionMap``), checked against pyignite's computation for the 2,150 keys
/// of 14 types in `Tests/Vectors/partitions.json`, at 1,024 partitions and at the non-power-of-two counts 1,000 and 17.
@Suite("Key partitions of mixed types")
struct MixedKeyPartitionTests {
    struct Vector {
        var key: IgniteValue
        var javaHash: Int32
        var partitions: [Int: Int]
        var pyignitePartition1024: Int
        /// Why pyignite differs from Java for this key, with pyignite's (wrong) hash.
        var note: String?
    }

    static func load() throws -> [Vector] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/partitions.json")
        let root = try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any])
        #expect((root["generator"] as? String)?.hasPrefix("pyignite") == true)
        return try #require(root["keys"] as? [[String: Any]]).map { entry in
            let parts = try #require(entry["partitions"] as? [String: Int])
            return Vector(key: try value(try #require(entry["key"] as? [String: Any])),
                          javaHash: try #require((entry["java_hash"] as? NSNumber)?.int32Value),
                          partitions: Dictionary(uniqueKeysWithValues: parts.compactMap { k, v in Int(k).map { ($0, v) } }),
                          pyignitePartition1024: try #require(entry["pyignite_partition_1024"] as? Int),
                          note: entry["note"] as? String)
        }
    }

    /// The key as a value, from its JSON description.
    static func value(_ key: [String: Any]) throws -> IgniteValue {
        func int64(_ name: String) throws -> Int64 {
            if let text = key[name] as? String { return try #require(Int64(text)) }
            return try #require((key[name] as? NSNumber)?.int64Value)
        }
        func bits(_ name: String) throws -> UInt64 {
            let text = try #require(key[name] as? String)
            return try #require(UInt64(text.dropFirst(2), radix: 16))
        }
        switch key["t"] as? String {
        case "byte": return .byte(Int8(try int64("v")))
        case "short": return .short(Int16(try int64("v")))
        case "int": return .int(Int32(try int64("v")))
        case "long": return .long(try int64("v"))
        case "bool": return .bool(try #require(key["v"] as? Bool))
        case "char": return .char(JavaChar(UInt16(try int64("v"))))
        case "float": return .float(Float(bitPattern: UInt32(try bits("bits"))))
        case "double": return .double(Double(bitPattern: try bits("bits")))
        case "string": return .string(try #require(key["v"] as? String))
        case "uuid":
            let text = try #require(key["v"] as? String)
            return .uuid(try #require(UUID(uuidString: text)))
        case "date": return .date(IgniteDate(millisecondsSinceEpoch: try int64("ms")))
        case "time": return .time(IgniteTime(milliseconds: try int64("ms")))
        case "timestamp": return .timestamp(IgniteTimestamp(millisecondsSinceEpoch: try int64("ms"), nanoseconds: Int32(try int64("nanos"))))
        case "decimal":
            return .decimal(try IgniteDecimal(unscaled: try #require(key["unscaled"] as? String), scale: Int32(try int64("scale"))))
        case let other: throw IgniteError.parameter("unknown key type \(String(describing: other))")
        }
    }

    /// A map of `count` partitions owned round robin by three nodes.
    static func map(partitions count: Int) throws -> PartitionMap {
        let nodes = (0..<3).map { n in
            CachePartitionsResponse.NodePartitions(nodeId: UUID(uuid: (UInt8(n + 1), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                                                   partitions: stride(from: n, to: count, by: 3).map { Int32($0) })
        }
        return try PartitionMap(nodes: nodes)
    }

    @Test func everyKeyLandsInPyignitesPartition() throws {
        let vectors = try Self.load()
        #expect(vectors.count >= 2000)
        #expect(Set(vectors.map { $0.key.typeCode }).count == 14)
        let maps = try Dictionary(uniqueKeysWithValues: [1024, 1000, 17, 32].map { ($0, try Self.map(partitions: $0)) })
        var agreeWithPyignite = 0
        for vector in vectors {
            // The key's Java hash code, boxed and from the encoded bytes the request carries.
            let boxed = vector.key.javaHashCode
            let encoded = try JavaHash.keyHashCode(ofEncoded: EncodedValue(vector.key).bytes)
            #expect(boxed == vector.javaHash, "\(vector.key)")
            #expect(encoded == vector.javaHash, "\(vector.key)")
            let hash = try #require(encoded)
            for (count, expected) in vector.partitions {
                let map = try #require(maps[count])
                #expect(map.partition(forKeyHash: hash) == expected, "\(vector.key) at \(count)")
                #expect(map.primaryNode(forKeyHash: hash) == map.primaryNode(forPartition: expected))
            }
            if let note = vector.note {
                // Documented pyignite hashing bugs (non-BMP strings, NaN floats, some BigDecimals): pyignite's hash
                // differs from Java's, and pyignite's partition follows from its own hash through the same function.
                let pyHash = try #require(Self.pyigniteHash(note))
                #expect(pyHash != vector.javaHash, "\(vector.key)")
                #expect(RendezvousAffinity.partition(hash: pyHash, partitions: 1024) == vector.pyignitePartition1024)
            } else {
                #expect(vector.partitions[1024] == vector.pyignitePartition1024, "\(vector.key)")
                agreeWithPyignite += 1
            }
        }
        #expect(agreeWithPyignite >= 2000)
    }

    /// pyignite's hash from a note such as "… (pyignite hash 128512) …".
    static func pyigniteHash(_ note: String) -> Int32? {
        guard let range = note.range(of: "pyignite hash ") else { return nil }
        let digits = note[range.upperBound...].prefix { $0 == "-" || $0.isNumber }
        return Int64(digits).map { Int32(truncatingIfNeeded: $0) }
    }
}
