import Foundation
import Testing
@testable import IgniteBinary

/// Malformed, truncated and hostile input: every case must end in a typed ``IgniteError``, never a crash,
/// a hang, unbounded allocation or a stack overflow.
@Suite("Hostile input")
struct HostileInputTests {
    /// Decodes `bytes` and requires a parse error.
    private func expectParseError(_ bytes: [UInt8], limit: Int? = nil, _ comment: String = "",
                                  sourceLocation: SourceLocation = #_sourceLocation) {
        var reader = BinaryReader(bytes, limit: limit)
        do {
            let value = try reader.readValue()
            Issue.record("decoded \(value.typeCode) from hostile input \(comment)", sourceLocation: sourceLocation)
        } catch let error as IgniteError {
            #expect(error.code == .parse, "\(comment): \(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("untyped error \(error) \(comment)", sourceLocation: sourceLocation)
        }
    }

    /// Decodes `bytes` expecting either success or an ``IgniteError`` (never anything else).
    private func decodeOrTypedError(_ bytes: [UInt8]) -> IgniteValue? {
        var reader = BinaryReader(bytes)
        do {
            return try reader.readValue()
        } catch let error as IgniteError {
            #expect(error.code == .parse || error.code == .binaryType, "\(error)")
            return nil
        } catch {
            Issue.record("untyped error \(error)")
            return nil
        }
    }

    @Test func everyTruncationOfEveryGoldenVectorThrows() {
        #expect(!GoldenVectors.values.isEmpty)
        var cuts = 0
        for vector in GoldenVectors.values {
            for cut in 0..<vector.bytes.count {
                cuts += 1
                if vector.bytes.count <= 4096 {
                    // A real, shorter buffer.
                    expectParseError(Array(vector.bytes[..<cut]), "\(vector.name) cut at \(cut)")
                } else {
                    // The big vectors: the same bytes behind a reader limit, so that no cut copies 70 KB.
                    expectParseError(vector.bytes, limit: cut, "\(vector.name) limited at \(cut)")
                }
                if vector.javaHash != nil, vector.bytes.count <= 4096 {
                    #expect(throws: IgniteError.self, "\(vector.name) key hash cut at \(cut)") {
                        _ = try JavaHash.keyHashCode(ofEncoded: Array(vector.bytes[..<cut]))
                    }
                }
            }
        }
        #expect(cuts > 100_000)
    }

    @Test func unknownAndJavaOnlyTypeCodes() {
        let known = Set(TypeCode.allCases.map { UInt8(bitPattern: $0.rawValue) })
        for code in 0...255 where !known.contains(UInt8(code)) {
            expectParseError([UInt8(code), 0, 0, 0, 0, 0, 0, 0, 0], "type code \(code)")
        }
        for code: TypeCode in [.javaClass, .proxy, .platformJavaObjectFactoryProxy, .optimizedMarshaller] {
            expectParseError([UInt8(bitPattern: code.rawValue)] + [UInt8](repeating: 1, count: 32), "\(code)")
        }
        // Every golden vector with its type code replaced by every other code decodes or fails with a typed error.
        for vector in GoldenVectors.values where vector.bytes.count <= 512 {
            for code in 0...255 {
                var bytes = vector.bytes
                bytes[0] = UInt8(code)
                _ = decodeOrTypedError(bytes)
            }
        }
    }

    @Test(arguments: [Int32(-1), Int32.min, Int32.max, Int32.max - 1, 1 << 30, 100])
    func hostileLengthsThrowWithoutAllocating(length: Int32) {
        let n = le32(Int(length))
        let payload = [UInt8](repeating: 0x41, count: 16)
        var inputs: [(String, [UInt8])] = [
            ("string", [9] + n + payload),
            ("decimal", [30, 0, 0, 0, 0] + n + payload),
            ("collection", [24] + n + [1] + payload),
            ("map", [25] + n + [1] + payload),
            ("objectArray", [23, 0xFF, 0xFF, 0xFF, 0xFF] + n + payload),
            ("enumArray", [29, 5, 0, 0, 0] + n + payload),
            ("wrapped", [27] + n + payload),
            ("enum with class name", [38, 0, 0, 0, 0, 9] + n + payload),
        ]
        for code: TypeCode in [.byteArray, .shortArray, .intArray, .longArray, .floatArray, .doubleArray, .charArray,
                               .boolArray, .stringArray, .uuidArray, .dateArray, .timestampArray, .timeArray, .decimalArray] {
            inputs.append(("\(code)", [UInt8(bitPattern: code.rawValue)] + n + payload))
        }
        for (name, bytes) in inputs {
            expectParseError(bytes, "\(name) with length \(length)")
        }
    }

    @Test func lengthsOneByteTooLongAtEveryWidth() {
        // A declared length just past the end, read after the length field itself (the off-by-the-length-field case).
        for extra in 1...5 {
            expectParseError([9] + le32(1 + extra) + [0x41], "string +\(extra)")
            expectParseError([12] + le32(1 + extra) + [0x41], "byte[] +\(extra)")
            expectParseError([30, 0, 0, 0, 0] + le32(1 + extra) + [0x41], "decimal +\(extra)")
            expectParseError([14] + le32(1 + extra) + [1, 0, 0, 0], "int[] +\(extra)")
        }
    }

    // MARK: - Complex objects

    /// `Internal{id: 2, str: "lorem ipsum"}` with a compact footer (PROTOCOL-FACTS §7.11).
    private let internalCompact = hexBytes("67012b00bdc6ff211dd864c72f00000067fd4dc72d0000000302000000090b0000006c6f72656d20697073756d181d")

    private func patched(_ bytes: [UInt8], at offset: Int, _ value: Int32) -> [UInt8] {
        var copy = bytes
        copy.replaceSubrange(offset..<(offset + 4), with: le32(Int(value)))
        return copy
    }

    @Test func objectHeadersThatLie() {
        let object = internalCompact
        for length: Int32 in [-1, 0, 23, 48, 1000, .max, .min] {
            expectParseError(patched(object, at: 12, length), "length \(length)")
        }
        for schemaOffset: Int32 in [-1, 0, 23, 48, 1000, .max, .min] {
            expectParseError(patched(object, at: 20, schemaOffset), "schema offset \(schemaOffset)")
        }
        var badVersion = object
        badVersion[1] = 2
        expectParseError(badVersion, "version 2")
        // Raw data flag without schema: the raw offset is at 20 and must lie inside the data.
        var rawOnly = object
        rawOnly[2] = 0x05
        for rawOffset: Int32 in [-5, 0, 23, 48, .max] {
            expectParseError(patched(rawOnly, at: 20, rawOffset), "raw offset \(rawOffset)")
        }
        // Schema and raw data: the raw offset is the last 4 bytes.
        var schemaAndRaw = object + le32(24)
        schemaAndRaw[2] = 0x2F
        schemaAndRaw.replaceSubrange(12..<16, with: le32(schemaAndRaw.count))
        for rawOffset: Int32 in [-1, 0, 23, 46, 1000, .min] {
            var bytes = schemaAndRaw
            bytes.replaceSubrange((bytes.count - 4)..<bytes.count, with: le32(Int(rawOffset)))
            expectParseError(bytes, "trailing raw offset \(rawOffset)")
        }
        // A footer whose length is not a multiple of the entry size (4-byte offsets, full footer: 8 bytes per entry).
        var oddFooter = object
        oddFooter[2] = 0x03
        expectParseError(oddFooter, "odd footer")
    }

    @Test func footerOffsetsOutsideTheData() throws {
        let schema = [JavaHash.fieldId("id"), JavaHash.fieldId("str")]
        for badOffset: UInt8 in [0, 1, 23, 45, 46, 0xFF] {
            var bytes = internalCompact
            bytes[bytes.count - 1] = badOffset
            let object = try BinaryObject(bytes: bytes)
            #expect(throws: IgniteError.self, "offset \(badOffset)") { _ = try object.value(atFieldIndex: 1) }
            #expect(throws: IgniteError.self, "offset \(badOffset)") { _ = try object.value(forFieldId: schema[1], schema: schema) }
            #expect(try object.value(atFieldIndex: 0) == .int(2))
        }
        // A field offset that lands in the middle of another value decodes something or fails, but stays inside.
        for offset: UInt8 in 24...44 {
            var bytes = internalCompact
            bytes[bytes.count - 1] = offset
            let object = try BinaryObject(bytes: bytes)
            do { _ = try object.value(atFieldIndex: 1) } catch let error as IgniteError { #expect(error.code == .parse) }
        }
        let object = try BinaryObject(bytes: internalCompact)
        #expect(throws: IgniteError.self) { _ = try object.value(atFieldIndex: 2) }
        #expect(throws: IgniteError.self) { _ = try object.value(atFieldIndex: -1) }
        // A compact footer needs the schema; a wrong schema is a binaryType error.
        #expect { _ = try object.value(forFieldId: 3355) } throws: { ($0 as? IgniteError)?.code == .binaryType }
        #expect { _ = try object.value(forFieldId: 3355, schema: [3355]) } throws: { ($0 as? IgniteError)?.code == .binaryType }
    }

    @Test func classNameOfAnUnregisteredTypeMustFit() {
        // Type id 0: a class-name string follows the header; its length must stay inside the object.
        var bytes: [UInt8] = [103, 1, 0x01, 0x00] + le32(0) + le32(0) + le32(0) + le32(0) + le32(24)
        bytes += [9] + le32(1000) + [0x41]
        bytes.replaceSubrange(12..<16, with: le32(bytes.count))
        expectParseError(bytes, "class name past the end")
    }

    // MARK: - Handles

    @Test func handlesForwardOutsideAndLooping() {
        expectParseError([102] + le32(0), "handle to itself")
        expectParseError([102] + le32(-5), "forward handle")
        expectParseError([102] + le32(1), "handle before the buffer")
        expectParseError([102] + le32(Int(Int32.min)), "handle Int32.min")
        expectParseError([102] + le32(Int(Int32.max)), "handle Int32.max")
        // A collection whose element is a handle to the collection itself.
        expectParseError([24] + le32(1) + [1, 102] + le32(6), "collection containing itself")
        // A map whose value refers back to the map.
        expectParseError([25] + le32(1) + [1, 3, 1, 0, 0, 0, 102] + le32(11), "map containing itself")
        // Two collections referring to each other through handles (the second points into the first).
        expectParseError([24] + le32(1) + [1, 24] + le32(1) + [1, 102] + le32(12), "mutual loop")
        // A handle inside wrapped data may not point outside the wrapped bytes.
        let outside: [UInt8] = [3, 7, 0, 0, 0] + [27] + le32(5) + [102] + le32(10) + le32(0)
        var reader = BinaryReader(outside, position: 5)
        #expect(throws: IgniteError.self) { _ = try reader.readValue() }
        #expect(throws: IgniteError.self) { _ = try JavaHash.keyHashCode(ofEncoded: outside, at: 5) }
    }

    @Test func handleToAnEarlierValueResolves() throws {
        // [string "ab", handle back to it] as a two-element collection.
        let bytes: [UInt8] = [24] + le32(2) + [1, 9] + le32(2) + [0x61, 0x62, 102] + le32(7)
        var reader = BinaryReader(bytes)
        #expect(try reader.readValue() == .collection(IgniteCollection([.string("ab"), .string("ab")])))
    }

    @Test func handleExpansionIsBounded() {
        // "Billion laughs": each level is a collection of two handles to the previous level. Without a bound,
        // decoding level 45 would build 2^45 copies of the 60 KB leaf (45 levels stay within the depth limit: two per level).
        var bytes: [UInt8] = [12] + le32(60_000) + [UInt8](repeating: 0x61, count: 60_000)
        var previous = 0
        for _ in 0..<45 {
            let start = bytes.count
            bytes += [24] + le32(2) + [1]
            bytes += [102] + le32(bytes.count - previous)
            bytes += [102] + le32(bytes.count - previous)
            previous = start
        }
        var reader = BinaryReader(bytes, position: previous)
        #expect {
            _ = try reader.readValue()
        } throws: { error in
            (error as? IgniteError)?.message.contains("expand") == true
        }
        // A handful of levels (2^8 strings) is fine.
        var small: [UInt8] = [9] + le32(1) + [0x61]
        previous = 0
        for _ in 0..<8 {
            let start = small.count
            small += [24] + le32(2) + [1]
            small += [102] + le32(small.count - previous)
            small += [102] + le32(small.count - previous)
            previous = start
        }
        var smallReader = BinaryReader(small, position: previous)
        #expect(throws: Never.self) { _ = try smallReader.readValue() }
    }

    // MARK: - Nesting

    @Test func nesting10000DeepThrowsInsteadOfOverflowingTheStack() {
        let depth = 10_000
        let leaf: [UInt8] = [3, 1, 0, 0, 0]
        let collections = Array(repeating: [24] + le32(1) + [1], count: depth).flatMap { $0 } + leaf
        expectParseError(collections, "collections")
        let objectArrays = Array(repeating: [23, 0xFF, 0xFF, 0xFF, 0xFF] + le32(1), count: depth).flatMap { $0 } + leaf
        expectParseError(objectArrays, "object arrays")
        let maps = Array(repeating: [25] + le32(1) + [1, 101], count: depth).flatMap { $0 } + leaf
        expectParseError(maps, "maps (values)")
        let stringArrays = Array(repeating: [20] + le32(1), count: depth).flatMap { $0 } + [9] + le32(0)
        expectParseError(stringArrays, "string arrays of string arrays")
        // Wrapped data inside wrapped data.
        // Built from the outside in (prepending level by level would copy quadratically many bytes).
        var wrapped: [UInt8] = []
        for level in stride(from: depth, to: 0, by: -1) { wrapped += [27] + le32(leaf.count + 9 * (level - 1)) }
        wrapped += leaf
        for _ in 0..<depth { wrapped += le32(0) }
        expectParseError(wrapped, "wrapped")
        #expect(throws: IgniteError.self) { _ = try JavaHash.keyHashCode(ofEncoded: wrapped) }
        // A chain of handles, each pointing to the previous one.
        var chain: [UInt8] = leaf
        for _ in 0..<depth { chain += [102] + le32(5) }
        var reader = BinaryReader(chain, position: chain.count - 5)
        #expect(throws: IgniteError.self) { _ = try reader.readValue() }
        #expect(throws: IgniteError.self) { _ = try JavaHash.keyHashCode(ofEncoded: chain, at: chain.count - 5) }
        // At the limit itself, decoding still works.
        let allowed = Array(repeating: [24] + le32(1) + [1], count: DecodingLimits.maximumDepth).flatMap { $0 } + leaf
        #expect(decodeOrTypedError(allowed) != nil)
    }

    // MARK: - Wrapped data

    @Test func wrappedDataWithBadOffsets() throws {
        let inner: [UInt8] = [3, 7, 0, 0, 0]
        for offset in [-1, 5, 6, 1000, Int(Int32.max), Int(Int32.min)] {
            expectParseError([27] + le32(inner.count) + inner + le32(offset), "root offset \(offset)")
        }
        // Root offset inside the wrapped bytes but in the middle of the value (at a zero byte: no type code).
        expectParseError([27] + le32(inner.count) + inner + le32(4), "root offset 4")
        // Length larger than the buffer, negative, or leaving no room for the offset.
        expectParseError([27] + le32(100) + inner + le32(0), "length 100")
        expectParseError([27] + le32(-5) + inner + le32(0), "length -5")
        expectParseError([27] + le32(inner.count) + inner, "no root offset")
        // Wrapped empty bytes.
        expectParseError([27] + le32(0) + le32(0), "empty")
        // A valid one decodes to the root value.
        var reader = BinaryReader([27] + le32(inner.count) + inner + le32(0))
        #expect(try reader.readValue() == .int(7))
    }
}
