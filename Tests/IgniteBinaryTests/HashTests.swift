import Foundation
import Testing
@testable import IgniteBinary

@Suite("Java hashCode of keys (PROTOCOL-FACTS §8.4)")
struct HashTests {
    private func encoded(_ value: IgniteValue) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeValue(value)
        return writer.bytes
    }

    private func uuid(_ text: String) throws -> UUID { try #require(UUID(uuidString: text)) }

    /// Ints and longs are hashed in place; the result must equal the general path's at any offset and with bytes
    /// after the key, and one byte short must still be a parse error.
    @Test func intAndLongKeysInPlace() throws {
        let values: [IgniteValue] = [.int(0), .int(-1), .int(.min), .int(.max), .long(0), .long(-1), .long(.min),
                                     .long(.max), .long(2_147_483_698)]
        for value in values {
            let bytes = encoded(value)
            for prefix in 0..<3 {
                let padded = [UInt8](repeating: 0xEE, count: prefix) + bytes + [0x65]
                #expect(try JavaHash.keyHashCode(ofEncoded: padded, at: prefix) == value.javaHashCode, "\(value) at \(prefix)")
            }
            #expect(throws: IgniteError.self, "\(value) one byte short") {
                _ = try JavaHash.keyHashCode(ofEncoded: Array(bytes.dropLast()))
            }
        }
        #expect(throws: IgniteError.self) { _ = try JavaHash.keyHashCode(ofEncoded: encoded(.long(7)), at: -1) }
        #expect(throws: IgniteError.self) { _ = try JavaHash.keyHashCode(ofEncoded: encoded(.long(7)), at: 9) }
    }

    @Test func protocolFactsVectors() throws {
        let vectors: [(IgniteValue, Int32)] = [
            (.int(1), 1), (.int(-1), -1), (.int(123_456_789), 123_456_789),
            (.long(1), 1), (.long(2_147_483_698), -2_147_483_598), (.long(-1), 0),
            (.string("myKey"), 104_343_827), (.string("This is a test string"), 1_519_107_788),
            (.string("Кириллица"), -1_582_537_364), (.string("😀"), 1_772_899),
            (.double(5.2), -1_932_001_279), (.float(5.354), 1_084_969_976),
            (.bool(true), 1231), (.bool(false), 1237), (.char("A"), 65),
            (.uuid(try uuid("74274274-2742-7427-4274-274274274274")), 1_698_059_109),
            (.uuid(try uuid("12345678-1234-5678-9876-543298765432")), 0),
            (.decimal(IgniteDecimal(unscaled: -234_567, scale: 3)), -7_271_574),
            (.byte(-128), -128), (.short(-2), -2),
            (.date(IgniteDate(millisecondsSinceEpoch: 1_622_550_896_789)), -946_740_756),
            (.timestamp(IgniteTimestamp(millisecondsSinceEpoch: 1_622_550_896_789, nanoseconds: 123_456)), -946_740_756),
            (.time(IgniteTime(milliseconds: -86_400_000)), 86_399_999),
            (.binaryEnum(IgniteEnum(typeId: 814_547_029, ordinal: 0)), -518_845_877),
            (.enumValue(IgniteEnum(typeId: 814_547_029, ordinal: 2)), -518_845_875),
        ]
        for (value, expected) in vectors {
            #expect(value.javaHashCode == expected, "\(value)")
            #expect(try JavaHash.keyHashCode(ofEncoded: encoded(value)) == expected, "\(value)")
        }
    }

    @Test func nanIsCanonicalised() throws {
        for bits: UInt32 in [0x7FC0_0000, 0xFFC0_0000, 0x7FC0_0001, 0x7F80_0001, 0xFFFF_FFFF] {
            #expect(IgniteValue.float(Float(bitPattern: bits)).javaHashCode == 0x7FC0_0000)
        }
        for bits: UInt64 in [0x7FF8_0000_0000_0000, 0xFFF8_0000_0000_0000, 0x7FF0_0000_0000_0001, 0xFFFF_FFFF_FFFF_FFFF] {
            #expect(IgniteValue.double(Double(bitPattern: bits)).javaHashCode == 2_146_959_360)
            #expect(try JavaHash.keyHashCode(ofEncoded: encoded(.double(Double(bitPattern: bits)))) == 2_146_959_360)
        }
        #expect(IgniteValue.float(-0.0).javaHashCode == Int32.min)
        #expect(IgniteValue.float(.infinity).javaHashCode == 2_139_095_040)
    }

    @Test func decimalCompactAndBigIntegerPaths() throws {
        let vectors: [(String, Int32, Int32)] = [
            ("0", 0, 0), ("1", 0, 31), ("-1", 0, -31), ("2", -2, 60), ("15", 1, 466),
            ("9223372036854775807", 0, 2_147_482_656),             // Long.MAX: still compact
            ("9223372036854775808", 0, -2_147_483_648),            // 2^63: inflated
            ("-9223372036854775808", 0, -2_147_483_648),
            ("18446744073709551621", 0, 29946),                     // 2^64 + 5: top word 1 must be folded
            ("-18446744073709551621", 0, -29946),
            ("7922816251426433759354395034", -1, 1_288_471_749),
            ("1234567123456712345671234567", 11, 1_917_108_731),
            ("-1234567123456712345671234567", 11, -1_917_108_709),
            ("128", 0, 3968), ("-128", 0, -3968),
        ]
        for (unscaled, scale, expected) in vectors {
            let value = IgniteValue.decimal(try IgniteDecimal(unscaled: unscaled, scale: scale))
            #expect(value.javaHashCode == expected, "\(unscaled) scale \(scale)")
            #expect(try JavaHash.keyHashCode(ofEncoded: encoded(value)) == expected, "\(unscaled) scale \(scale)")
        }
        // The hash depends on the scale, as in Java.
        #expect(JavaHash.decimal(try IgniteDecimal(string: "1.5")) != JavaHash.decimal(try IgniteDecimal(string: "1.50")))
        // A negative zero on the wire (0x80) is Java's zero.
        #expect(try JavaHash.keyHashCode(ofEncoded: [0x1E, 4, 0, 0, 0, 1, 0, 0, 0, 0x80]) == 4)
        // Redundant leading zero bytes do not change the value.
        #expect(try JavaHash.keyHashCode(ofEncoded: [0x1E, 0, 0, 0, 0, 3, 0, 0, 0, 0x80, 0, 1]) == -31)
    }

    @Test func decimalHashMatchesReferenceImplementations() throws {
        var random = SplitMix64(seed: 0xB16_D3C)
        for _ in 0..<3_000 {
            let count = random.below(40)
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let negative = random.next() & 1 == 0
            let scale = Int32(truncatingIfNeeded: random.next())
            let value = IgniteDecimal(magnitude: bytes, isNegative: negative, scale: scale)
            let magnitude = DecimalMagnitude(bigEndianBytes: bytes)
            let expected: Int32
            if let small = magnitude.uint64Value, small < 1 << 63 {
                // BigDecimal.hashCode, compact branch, written out with Int64 arithmetic.
                let signed = negative ? -Int64(small) : Int64(small)
                let v = signed < 0 ? -signed : signed
                let temp = Int32(truncatingIfNeeded: Int64(Int32(truncatingIfNeeded: v >> 32) &* 31) + (v & 0xFFFF_FFFF))
                expected = 31 &* (signed < 0 ? 0 &- temp : temp) &+ scale
            } else {
                // BigInteger.hashCode over 32-bit words (the word representation, not the bytes).
                let fold = magnitude.javaHashFold
                expected = 31 &* (negative ? 0 &- fold : fold) &+ scale
            }
            #expect(IgniteValue.decimal(value).javaHashCode == expected)
            #expect(try JavaHash.keyHashCode(ofEncoded: encoded(.decimal(value))) == expected)
        }
    }

    @Test func nonKeysHaveNoHash() throws {
        let values: [IgniteValue] = [
            .null, .byteArray([1]), .intArray([1]), .stringArray(["a"]), .decimalArray([nil]),
            .collection(IgniteCollection([.int(1)])), .map(IgniteMap([IgniteMapEntry(.int(1), .int(2))])),
            .objectArray(IgniteObjectArray([.int(1)])), .enumArray(IgniteEnumArray([nil], elementTypeId: 5)),
        ]
        for value in values {
            #expect(value.javaHashCode == nil)
            #expect(try JavaHash.keyHashCode(ofEncoded: encoded(value)) == nil)
        }
    }

    @Test func encodedPathAgreesWithDecodedValues() throws {
        var random = SplitMix64(seed: 0x4A5_4C0DE)
        for _ in 0..<5_000 {
            let value = randomKey(&random)
            let prefix = (0..<random.below(5)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let bytes = prefix + encoded(value)
            let fromBytes = try JavaHash.keyHashCode(ofEncoded: bytes, at: prefix.count)
            var reader = BinaryReader(bytes, position: prefix.count)
            let decoded = try reader.readValue()
            #expect(fromBytes == decoded.javaHashCode, "\(value)")
            #expect(fromBytes == value.javaHashCode, "\(value)")
        }
    }

    @Test func stringsWithInvalidUTF8HashAsDecoded() throws {
        var random = SplitMix64(seed: 0x0BAD_0F8)
        let interesting: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0xA0, 0x9F]
        for _ in 0..<5_000 {
            let count = random.below(12)
            let payload = (0..<count).map { _ in interesting[random.below(interesting.count)] }
            let bytes: [UInt8] = [9] + withUnsafeBytes(of: Int32(count).littleEndian, Array.init) + payload
            var reader = BinaryReader(bytes)
            guard case .string(let text) = try reader.readValue() else {
                Issue.record("not a string")
                continue
            }
            #expect(try JavaHash.keyHashCode(ofEncoded: bytes) == JavaHash.string(text), "\(payload)")
        }
    }

    @Test func objectsWrappedDataAndHandles() throws {
        // Internal{id: 2, str: "lorem ipsum"} from PROTOCOL-FACTS §7.11.
        let object: [UInt8] = hexBytes("67012b00bdc6ff211dd864c72f00000067fd4dc72d0000000302000000090b0000006c6f72656d20697073756d181d")
        #expect(try JavaHash.keyHashCode(ofEncoded: object) == -949_692_387)
        #expect(JavaHash.objectHashCode(fieldBytes: object[24..<45]) == -949_692_387)
        var reader = BinaryReader(object)
        #expect(try reader.readValue().javaHashCode == -949_692_387)
        // Wrapped: 27, length, the bytes (root at offset 3 after junk), root offset.
        let inner: [UInt8] = [0xEE, 0xEE, 0xEE] + object
        let wrapped: [UInt8] = [27] + le32(inner.count) + inner + le32(3)
        #expect(try JavaHash.keyHashCode(ofEncoded: wrapped) == -949_692_387)
        // A wrapped Int.
        #expect(try JavaHash.keyHashCode(ofEncoded: [27] + le32(5) + [3, 7, 0, 0, 0] + le32(0)) == 7)
        // A handle back to an earlier string.
        let string = encoded(.string("myKey"))
        let withHandle = string + [102] + le32(string.count)
        #expect(try JavaHash.keyHashCode(ofEncoded: withHandle, at: string.count) == 104_343_827)
        // Enum with a class name instead of a type id.
        let namedEnum: [UInt8] = [38] + le32(0) + encoded(.string("org.Foo")) + le32(3)
        #expect(try JavaHash.keyHashCode(ofEncoded: namedEnum) == 3)
    }

    @Test func malformedKeysThrowParseErrors() {
        let cases: [([UInt8], Int)] = [
            ([], 0), ([3, 1, 2], 0), ([4], 0), ([9, 5, 0, 0, 0, 0x41], 0), ([9, 0xFF, 0xFF, 0xFF, 0xFF], 0),
            ([0x1E, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F], 0), ([50], 0), ([32], 0), ([0xFE], 0), ([3, 0, 0, 0, 0], 5),
            ([3, 0, 0, 0, 0], -1), ([102, 0, 0, 0, 0], 0), ([102, 0xFF, 0xFF, 0xFF, 0xFF], 0), ([102, 9, 0, 0, 0], 0),
            ([27] + le32(5) + [3, 7, 0, 0, 0] + le32(5), 0), ([27] + le32(5) + [3, 7, 0, 0, 0] + le32(-1), 0),
            ([27] + le32(2) + [3, 7] + le32(0), 0), ([103, 1, 0, 0], 0), ([33, 0, 0, 0, 0, 0, 0, 0, 0, 1], 0),
            ([38, 0, 0, 0, 0, 9, 1, 0, 0], 0),
        ]
        for (bytes, offset) in cases {
            #expect(throws: IgniteError.self, "\(bytes) at \(offset)") {
                _ = try JavaHash.keyHashCode(ofEncoded: bytes, at: offset)
            }
        }
        // Deeply nested wrapped data ends in an error, not a stack overflow.
        var nested: [UInt8] = [3, 1, 0, 0, 0]
        for _ in 0..<200 { nested = [27] + le32(nested.count) + nested + le32(0) }
        #expect(throws: IgniteError.self) { _ = try JavaHash.keyHashCode(ofEncoded: nested) }
    }

    // MARK: - helpers

    private func randomKey(_ random: inout SplitMix64) -> IgniteValue {
        let bits = random.next()
        switch random.below(14) {
        case 0: return .byte(Int8(truncatingIfNeeded: bits))
        case 1: return .short(Int16(truncatingIfNeeded: bits))
        case 2: return .int(Int32(truncatingIfNeeded: bits))
        case 3: return .long(Int64(bitPattern: bits))
        case 4: return .float(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))
        case 5: return .double(Double(bitPattern: bits))
        case 6: return .char(JavaChar(UInt16(truncatingIfNeeded: bits)))
        case 7: return .bool(bits & 1 == 0)
        case 8:
            let scalars = (0..<random.below(20)).compactMap { _ in Unicode.Scalar(UInt32(random.next() % 0x1_0000)) ?? "😀" }
            return .string(String(String.UnicodeScalarView(scalars)))
        case 9: return .uuid(UUID(igniteMSB: Int64(bitPattern: bits), lsb: Int64(bitPattern: random.next())))
        case 10: return .date(IgniteDate(millisecondsSinceEpoch: Int64(bitPattern: bits)))
        case 11: return .timestamp(IgniteTimestamp(millisecondsSinceEpoch: Int64(bitPattern: bits), nanoseconds: Int32(random.below(1_000_000))))
        case 12:
            let bytes = (0..<random.below(30)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            return .decimal(IgniteDecimal(magnitude: bytes, isNegative: bits & 1 == 0, scale: Int32(truncatingIfNeeded: random.next())))
        default: return .binaryEnum(IgniteEnum(typeId: Int32(truncatingIfNeeded: bits), ordinal: Int32(random.below(100))))
        }
    }
}

/// Little-endian bytes of an `Int32`.
func le32(_ value: Int) -> [UInt8] {
    withUnsafeBytes(of: Int32(truncatingIfNeeded: value).littleEndian, Array.init)
}

/// Bytes from hex text (pairs of hex digits); invalid pairs are skipped.
func hexBytes(_ hex: String) -> [UInt8] {
    let utf8 = Array(hex.utf8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(utf8.count / 2)
    var index = 0
    while index + 1 < utf8.count {
        if let high = hexNibble(utf8[index]), let low = hexNibble(utf8[index + 1]) { bytes.append(high << 4 | low) }
        index += 2
    }
    return bytes
}

private func hexNibble(_ c: UInt8) -> UInt8? {
    switch c {
    case 0x30...0x39: c - 0x30
    case 0x61...0x66: c - 0x61 + 10
    case 0x41...0x46: c - 0x41 + 10
    default: nil
    }
}
