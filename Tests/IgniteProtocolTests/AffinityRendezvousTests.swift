import Foundation
import Testing
@testable import IgniteProtocol

@Suite("RendezvousAffinity partition function")
struct AffinityRendezvousTests {
    /// PROTOCOL-FACTS §8.4: Java hash codes and their partitions with 1024 partitions.
    static let table: [(key: String, hash: Int32, partition: Int)] = [
        ("int 1", 1, 1),
        ("int -1", -1, 0),
        ("int 123456789", 123_456_789, 590),
        ("long 1", 1, 1),
        ("long 2147483698", -2_147_483_598, 50),
        ("long -1", 0, 0),
        ("String myKey", 104_343_827, 811),
        ("String This is a test string", 1_519_107_788, 71),
        ("String Кириллица", -1_582_537_364, 192),
        ("String 😀", 1_772_899, 376),
        ("double 5.2", -1_932_001_279, 217),
        ("float 5.354", 1_084_969_976, 851),
        ("bool true", 1231, 207),
        ("bool false", 1237, 213),
        ("char A", 65, 65),
        ("UUID 74274274-…", 1_698_059_109, 595),
        ("UUID 12345678-…", 0, 0),
    ]

    @Test("PROTOCOL-FACTS §8.4 table, 1024 partitions", arguments: table.indices)
    func factsTable(index: Int) {
        let row = Self.table[index]
        #expect(RendezvousAffinity.partition(hash: row.hash, partitions: 1024) == row.partition, "\(row.key)")
    }

    @Test("String myKey with 1000 partitions uses the remainder branch")
    func nonPowerOfTwo() {
        #expect(JavaHash.string("myKey") == 104_343_827)
        #expect(RendezvousAffinity.partition(hash: 104_343_827, partitions: 1000) == 827)
    }

    @Test("Java's truncating remainder and safeAbs for negative hashes")
    func negativeRemainder() {
        // Java: -7 % 5 == -2 → safeAbs → 2 (floor division, pyignite's bug, would differ)
        #expect(RendezvousAffinity.partition(hash: -7, partitions: 5) == 2)
        #expect(RendezvousAffinity.partition(hash: -1, partitions: 17) == 1)
        #expect(RendezvousAffinity.partition(hash: -100, partitions: 17) == 15)
        #expect(RendezvousAffinity.partition(hash: Int32.min, partitions: 1000) == 648)
        #expect(RendezvousAffinity.partition(hash: Int32.max, partitions: 1000) == 647)
        #expect(RendezvousAffinity.partition(hash: Int32.min, partitions: 17) == 9)
    }

    @Test("mask branch mixes the high half: (h ^ (h >>> 16)) & mask")
    func maskBranch() {
        #expect(RendezvousAffinity.partition(hash: 0x0001_0000, partitions: 32) == 1)
        #expect(RendezvousAffinity.partition(hash: Int32.min, partitions: 1024) == 0)
        #expect(RendezvousAffinity.partition(hash: -2, partitions: 2) == 1)
        #expect(RendezvousAffinity.partition(hash: 12345, partitions: 1) == 0)
    }

    @Test("degenerate partition counts give 0, never a trap")
    func degenerate() {
        #expect(RendezvousAffinity.partition(hash: 5, partitions: 0) == 0)
        #expect(RendezvousAffinity.partition(hash: 5, partitions: -3) == 0)
        #expect(RendezvousAffinity.partition(hash: Int32.min, partitions: Int.max) >= 0)
    }

    @Test("results always fall in 0..<partitions", arguments: [1, 2, 17, 32, 1000, 1024, 65_000])
    func range(partitions: Int) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<5000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let hash = Int32(truncatingIfNeeded: state >> 32)
            let part = RendezvousAffinity.partition(hash: hash, partitions: partitions)
            #expect(part >= 0 && part < partitions)
        }
    }

    @Test("golden vectors: every key of Tests/Vectors/partitions.json at 1024, 1000, 17 and 32 partitions")
    func goldenVectors() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/partitions.json")
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any]
        let keys = try #require(json?["keys"] as? [[String: Any]])
        #expect(keys.count >= 2000)
        var checked = 0
        for key in keys {
            let hash = try #require((key["java_hash"] as? NSNumber)?.int32Value)
            let partitions = try #require(key["partitions"] as? [String: Int])
            #expect(Set(partitions.keys) == ["1024", "1000", "17", "32"])
            for (count, expected) in partitions {
                let parts = try #require(Int(count))
                #expect(RendezvousAffinity.partition(hash: hash, partitions: parts) == expected, "hash \(hash), \(parts) partitions")
                checked += 1
            }
        }
        #expect(checked == keys.count * 4)
    }
}
