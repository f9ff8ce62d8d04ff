import Foundation
import Testing
@testable import IgniteBinary

/// A deterministic mutation fuzzer over the golden vectors: every mutated input must decode or fail with a typed
/// ``IgniteError`` (`.parse` or `.binaryType`), never crash or hang.
@Suite("Decoder fuzzing")
struct FuzzTests {
    /// The fixed seed and case count of the normal run; `IGNITE_FUZZ_SEED` and `IGNITE_FUZZ_CASES` override them
    /// for longer manual campaigns (the count never goes below 100,000).
    static let seed: UInt64 = ProcessInfo.processInfo.environment["IGNITE_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x1A11_7E5E_ED00_0001
    static let cases = max(100_000, ProcessInfo.processInfo.environment["IGNITE_FUZZ_CASES"].flatMap { Int($0) } ?? 0)

    /// Interesting replacement bytes: type codes, sign boundaries, flags.
    static let interestingBytes: [UInt8] = [0, 1, 2, 0x7F, 0x80, 0xFF, 0xFE, 9, 12, 23, 24, 25, 27, 28, 29, 30, 38, 101, 102, 103,
                                            0x2B, 0x23, 0x13, 0x03, 0x07, 0x27]
    /// Hostile 32-bit values to splice over length, offset and count fields.
    static let interestingInt32s: [Int32] = [0, 1, -1, 2, 4, 23, 24, 25, 255, 256, 65_535, 65_536, .max, .min, .max - 1, .min + 1,
                                             0x7FFF_FFF0, -24, 1 << 24, 1 << 30]

    struct Outcome {
        var decoded = 0
        var failed = 0
        var fieldsRead = 0
        var keyHashesCompared = 0
    }

    @Test func mutatedGoldenVectorsNeverCrash() throws {
        // Small vectors keep the run fast; the two 70 KB vectors are still mutated, just less often.
        let corpus = GoldenVectors.values.map(\.bytes)
        try #require(corpus.count >= 200)
        let small = corpus.filter { $0.count <= 4096 }
        let large = corpus.filter { $0.count > 4096 }
        var random = SplitMix64(seed: FuzzTests.seed)
        var outcome = Outcome()
        var run = 0
        for index in 0..<FuzzTests.cases {
            let source = (index % 500 == 499 && !large.isEmpty) ? large[random.below(large.count)] : small[random.below(small.count)]
            let input = mutate(source, corpus: small, random: &random)
            check(input, outcome: &outcome)
            run += 1
        }
        print("fuzz: seed \(FuzzTests.seed), \(run) cases, \(outcome)")
        #expect(run >= 100_000)
        #expect(outcome.decoded + outcome.failed == run)
        #expect(outcome.decoded > 1_000, "mutations too destructive: \(outcome)")
        #expect(outcome.failed > 1_000, "mutations too gentle: \(outcome)")
        #expect(outcome.fieldsRead > 1_000)
        #expect(outcome.keyHashesCompared > 1_000)
    }

    /// Shared references: random graphs of objects whose fields are handles to earlier objects, deep chains, handles
    /// into collections and a few cycles, then the same graphs mutated. Every graph decodes (as values, as Codable
    /// nodes, and through the missing-schema search) or fails with a typed error, and the work is linear: each object
    /// position is decoded into at most one node, the search takes at most four steps per byte, and what the values
    /// decode to stays within the reader's budget. (As trees, the chains have up to 2^60 nodes.)
    @Test func sharedReferenceGraphsTakeLinearWork() {
        var random = SplitMix64(seed: FuzzTests.seed ^ 0x5EED_5EED)
        var generator = SharedReferenceGenerator(random: SplitMix64(seed: FuzzTests.seed ^ 0xC4A1_4C4A))
        var decoded = 0
        var failed = 0
        var largest = 0
        var maximumNodes = 0
        let cases = 1_000
        for index in 0..<cases {
            var (bytes, root) = generator.make()
            var bound = generator.nodeCount
            if index % 3 == 2 {
                bytes = mutate(bytes, corpus: [], random: &random)
                root = Swift.min(root, Swift.max(0, bytes.count - 1))
                bound = Swift.max(bound, bytes.count / 24 + 1)
            }
            largest = Swift.max(largest, bytes.count)
            // As values, with every field read.
            var reader = BinaryReader(bytes, position: root)
            do {
                let value = try reader.readValue()
                #expect(reader.decodedBytes <= reader.decodedByteLimit)
                var search = MissingSchemaSearch(schemas: BinaryTypeRegistry())
                search.walk(value, depth: 0)
                #expect(search.stepCount <= 4 * bytes.count + 4096, "search took \(search.stepCount) steps for \(bytes.count) bytes")
                // Every field of the root (the fields of the fields would be a tree walk: exponential by design).
                if case .object(let object) = value {
                    for index in 0..<object.fieldCount {
                        do { _ = try object.value(atFieldIndex: index) } catch { expectTyped(error, bytes) }
                    }
                }
            } catch {
                expectTyped(error, bytes)
            }
            // As Codable nodes: each object position at most once.
            var nodeReader = BinaryReader(bytes, position: root)
            let before = FuzzNode.instances
            do {
                _ = try IgniteBinaryDecoder().decode(FuzzNode.self, from: &nodeReader)
                decoded += 1
            } catch {
                expectTyped(error, bytes)
                failed += 1
            }
            let made = FuzzNode.instances - before
            maximumNodes = Swift.max(maximumNodes, made)
            #expect(made <= bound, "\(made) nodes decoded from \(generator.nodeCount) objects in \(bytes.count) bytes")
        }
        print("shared-reference fuzz: \(cases) graphs up to \(largest) bytes, \(decoded) decoded, \(failed) typed errors, "
              + "at most \(maximumNodes) nodes per graph")
        #expect(decoded > cases / 3)
        #expect(failed > 50)
    }

    /// Decodes one input and, on success, walks everything lazily decodable in it.
    private func check(_ input: [UInt8], outcome: inout Outcome) {
        var reader = BinaryReader(input)
        let value: IgniteValue
        do {
            value = try reader.readValue()
        } catch {
            expectTyped(error, input)
            outcome.failed += 1
            // The key-hash fast path must not crash either.
            do { _ = try JavaHash.keyHashCode(ofEncoded: input) } catch { expectTyped(error, input) }
            return
        }
        outcome.decoded += 1
        walk(value, depth: 0, outcome: &outcome, input: input)
        // The fast path agrees with the decoded value whenever it succeeds.
        do {
            let fast = try JavaHash.keyHashCode(ofEncoded: input)
            #expect(fast == value.javaHashCode, "key hash of \(input)")
            outcome.keyHashesCompared += 1
        } catch {
            expectTyped(error, input)
        }
        // Whatever decoded re-encodes and decodes to the same bytes again (a fixed point after one round).
        let once = encode(value)
        var again = BinaryReader(once)
        do {
            let second = try again.readValue()
            #expect(encode(second) == once, "re-encoding is not stable for \(input)")
        } catch {
            Issue.record("re-encoded bytes do not decode: \(error), input \(input)")
        }
    }

    /// Reads every field of every object reachable in `value` (objects are lazy, so this is where their fields
    /// are first decoded), within a depth bound.
    private func walk(_ value: IgniteValue, depth: Int, outcome: inout Outcome, input: [UInt8]) {
        guard depth < 8 else { return }
        switch value {
        case .object(let object):
            _ = object.footerFieldIds
            _ = object.rawData
            _ = object.bytes
            for index in 0..<object.fieldCount {
                do {
                    let field = try object.value(atFieldIndex: index)
                    outcome.fieldsRead += 1
                    walk(field, depth: depth + 1, outcome: &outcome, input: input)
                } catch {
                    expectTyped(error, input)
                }
            }
            if let ids = object.footerFieldIds, let first = ids.first {
                do { _ = try object.value(forFieldId: first) } catch { expectTyped(error, input) }
            } else {
                do { _ = try object.value(forFieldId: 1) } catch { expectTyped(error, input) }
            }
        case .objectArray(let array):
            for element in array.elements { walk(element, depth: depth + 1, outcome: &outcome, input: input) }
        case .collection(let collection):
            for element in collection.elements { walk(element, depth: depth + 1, outcome: &outcome, input: input) }
        case .map(let map):
            for entry in map.entries {
                walk(entry.key, depth: depth + 1, outcome: &outcome, input: input)
                walk(entry.value, depth: depth + 1, outcome: &outcome, input: input)
            }
        case .decimal(let decimal):
            // Exercise the decimal conversions on whatever the wire produced (bounded sizes only).
            if decimal.magnitude.count <= 64 {
                _ = decimal.description
                _ = decimal < IgniteDecimal.zero
                _ = try? decimal.foundationDecimal()
            }
        default:
            break
        }
    }

    private func expectTyped(_ error: any Error, _ input: [UInt8]) {
        guard let error = error as? IgniteError else {
            Issue.record("untyped error \(error) for \(input)")
            return
        }
        #expect(error.code == .parse || error.code == .binaryType, "\(error) for \(input)")
    }

    // MARK: - Mutations

    private func mutate(_ source: [UInt8], corpus: [[UInt8]], random: inout SplitMix64) -> [UInt8] {
        var bytes = source
        for _ in 0...random.below(3) {
            switch random.below(9) {
            case 0: // flip 1-8 bits
                guard !bytes.isEmpty else { break }
                for _ in 0...random.below(8) { bytes[random.below(bytes.count)] ^= 1 << UInt8(random.below(8)) }
            case 1: // set a byte to an interesting value
                guard !bytes.isEmpty else { break }
                bytes[random.below(bytes.count)] = FuzzTests.interestingBytes[random.below(FuzzTests.interestingBytes.count)]
            case 2: // set a byte to a random value
                guard !bytes.isEmpty else { break }
                bytes[random.below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
            case 3: // truncate
                bytes.removeLast(random.below(bytes.count + 1))
            case 4: // insert random bytes
                let at = random.below(bytes.count + 1)
                bytes.insert(contentsOf: (0..<(random.below(8) + 1)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
            case 5: // delete a range
                guard !bytes.isEmpty else { break }
                let at = random.below(bytes.count)
                bytes.removeSubrange(at..<Swift.min(bytes.count, at + random.below(8) + 1))
            case 6, 7: // splice a hostile or off-by-a-little i32 over a (likely) length, count or offset field
                guard bytes.count >= 4 else { break }
                let at = random.below(bytes.count - 3)
                let old = Int32(bytes[at]) | Int32(bytes[at + 1]) << 8 | Int32(bytes[at + 2]) << 16 | Int32(bytes[at + 3]) << 24
                let value: Int32 = random.below(2) == 0
                    ? FuzzTests.interestingInt32s[random.below(FuzzTests.interestingInt32s.count)]
                    : old &+ Int32(random.below(9)) &- 4
                bytes.replaceSubrange(at..<(at + 4), with: le32(Int(value)))
            default: // splice: our prefix with another vector's suffix, or a chunk duplicated
                if random.below(2) == 0, let other = corpus.randomElement(using: &random), !other.isEmpty {
                    let cut = random.below(bytes.count + 1)
                    bytes = Array(bytes[..<cut]) + other[random.below(other.count)...]
                } else if !bytes.isEmpty {
                    let at = random.below(bytes.count)
                    let chunk = bytes[at..<Swift.min(bytes.count, at + random.below(16) + 1)]
                    bytes.insert(contentsOf: chunk, at: random.below(bytes.count + 1))
                }
            }
        }
        return bytes
    }
}
