import Foundation
import Testing
@testable import IgniteBinary

@Suite("Statically typed encode/decode")
struct TypedPathTests {
    private func bytes<T: IgniteBinaryEncodable>(_ value: T) throws -> [UInt8] {
        var writer = BinaryWriter()
        var types = BinaryTypeCollector()
        try value.encodeIgnite(into: &writer, types: &types)
        return writer.bytes
    }

    /// Encodes with the typed path, checks the bytes equal the IgniteValue path, and decodes both ways.
    private func roundTrip<T: IgniteBinaryEncodable & IgniteBinaryDecodable & Equatable>(_ value: T, as expected: IgniteValue) throws {
        let typed = try bytes(value)
        var boxed = BinaryWriter()
        boxed.writeValue(expected)
        #expect(typed == boxed.bytes, "\(T.self)")
        #expect(T.igniteTypeCode == nil || T.igniteTypeCode == expected.typeCode)
        var reader = BinaryReader(typed)
        #expect(try T.decodeIgnite(from: &reader, schemas: nil) == value)
        #expect(reader.isAtEnd)
        #expect(try T(igniteValue: expected, schemas: nil) == value)
    }

    @Test func scalarsWriteTheirTypeCodesDirectly() throws {
        try roundTrip(Int8(-3), as: .byte(-3))
        try roundTrip(Int16(-300), as: .short(-300))
        try roundTrip(Int32(0x0102_0304), as: .int(0x0102_0304))
        #expect(try bytes(Int32(1)) == [3, 1, 0, 0, 0])
        try roundTrip(Int64.min, as: .long(.min))
        try roundTrip(Int(42), as: .long(42))
        try roundTrip(Float(1.25), as: .float(1.25))
        try roundTrip(Double(-0.5), as: .double(-0.5))
        try roundTrip(true, as: .bool(true))
        try roundTrip("юникод", as: .string("юникод"))
        let uuid = UUID()
        try roundTrip(uuid, as: .uuid(uuid))
        try roundTrip(JavaChar("A"), as: .char("A"))
        try roundTrip(IgniteDate(millisecondsSinceEpoch: -5), as: .date(IgniteDate(millisecondsSinceEpoch: -5)))
        try roundTrip(IgniteTimestamp(millisecondsSinceEpoch: 5, nanoseconds: 7), as: .timestamp(IgniteTimestamp(millisecondsSinceEpoch: 5, nanoseconds: 7)))
        try roundTrip(IgniteTime(milliseconds: 9), as: .time(IgniteTime(milliseconds: 9)))
        let decimal = IgniteDecimal(unscaled: -234_567, scale: 3)
        try roundTrip(decimal, as: .decimal(decimal))
        try roundTrip(Data([1, 2]), as: .byteArray([1, 2]))
        try roundTrip(Decimal(sign: .minus, exponent: -3, significand: 234_567), as: .decimal(IgniteDecimal(unscaled: -234_567, scale: 3)))
        try roundTrip(IgniteEnum(typeId: 3, ordinal: 1), as: .binaryEnum(IgniteEnum(typeId: 3, ordinal: 1)))
        let object = try BinaryObject(bytes: Hex.bytes(Vectors.internalCompact))
        try roundTrip(object, as: .object(object))
    }

    @Test func foundationDateIsMillisecondsRounded() throws {
        let date = Date(timeIntervalSince1970: 1.0006)
        #expect(try bytes(date) == [11] + withUnsafeBytes(of: Int64(1001).littleEndian, Array.init))
        #expect(try Date(igniteValue: .date(IgniteDate(millisecondsSinceEpoch: 1001)), schemas: nil) == Date(timeIntervalSince1970: 1.001))
        #expect(try Date(igniteValue: .timestamp(IgniteTimestamp(millisecondsSinceEpoch: 1000, nanoseconds: 500_000)), schemas: nil)
                == Date(timeIntervalSince1970: 1.0005))
        #expect(Date.igniteTypeCode == .date)
    }

    @Test func arraysUseThePrimitiveArrayTypes() throws {
        try roundTrip([UInt8](arrayLiteral: 1, 255), as: .byteArray([1, 255]))
        try roundTrip([Int8](arrayLiteral: -1, 2), as: .byteArray([255, 2]))
        try roundTrip([Int16](arrayLiteral: -1, 2), as: .shortArray([-1, 2]))
        try roundTrip([Int32](arrayLiteral: -1, 2), as: .intArray([-1, 2]))
        try roundTrip([Int64](arrayLiteral: .max, 2), as: .longArray([.max, 2]))
        try roundTrip([Int](arrayLiteral: -7), as: .longArray([-7]))
        try roundTrip([Float](arrayLiteral: 0.5), as: .floatArray([0.5]))
        try roundTrip([Double](arrayLiteral: 0.25, -1), as: .doubleArray([0.25, -1]))
        try roundTrip([true, false], as: .boolArray([true, false]))
        try roundTrip([JavaChar("a")], as: .charArray(["a"]))
        try roundTrip(["a", "б"], as: .stringArray(["a", "б"]))
        try roundTrip(["a", nil] as [String?], as: .stringArray(["a", nil]))
        let uuid = UUID()
        try roundTrip([uuid], as: .uuidArray([uuid]))
        try roundTrip([IgniteDecimal(unscaled: 1, scale: 0)], as: .decimalArray([IgniteDecimal(unscaled: 1, scale: 0)]))
        try roundTrip([IgniteTimestamp(millisecondsSinceEpoch: 1)], as: .timestampArray([IgniteTimestamp(millisecondsSinceEpoch: 1)]))
        try roundTrip([IgniteTime(milliseconds: 1)], as: .timeArray([IgniteTime(milliseconds: 1)]))
        try roundTrip([IgniteDate(millisecondsSinceEpoch: 1)], as: .dateArray([IgniteDate(millisecondsSinceEpoch: 1)]))
        try roundTrip([IgniteValue.int(1), .null], as: .collection(IgniteCollection([.int(1), .null])))
        #expect([Int32].igniteTypeCode == .intArray)
        #expect([Internal].igniteTypeCode == .collection)

        // Arrays of object types are Collections of objects; reading them needs the schema.
        var types = BinaryTypeCollector()
        let element = try IgniteBinaryEncoder().encodeObject(Internal(id: 2, str: "x"), types: &types)
        var writer = BinaryWriter()
        try [Internal(id: 2, str: "x")].encodeIgnite(into: &writer, types: &types)
        var boxed = BinaryWriter()
        boxed.writeValue(.collection(IgniteCollection([.object(element)])))
        #expect(writer.bytes == boxed.bytes)
        let registry = BinaryTypeRegistry()
        try registry.register(contentsOf: types)
        var reader = BinaryReader(writer.bytes)
        #expect(try [Internal].decodeIgnite(from: &reader, schemas: registry) == [Internal(id: 2, str: "x")])
        var again = BinaryReader(writer.bytes)
        #expect(throws: IgniteError.self) { try [Internal].decodeIgnite(from: &again, schemas: nil) }
    }

    @Test func bigArraysCopyInBulkAndMatchElementWise() throws {
        let ints = (0..<100_000).map { Int32(truncatingIfNeeded: $0 &* 2_654_435_761) }
        try roundTrip(ints, as: .intArray(ints))
        let doubles = (0..<10_000).map { Double($0) / 3 }
        try roundTrip(doubles, as: .doubleArray(doubles))
        // A hostile count is an error, not an allocation.
        var hostile = BinaryReader([14, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4])
        #expect(throws: IgniteError.self) { try [Int32].decodeIgnite(from: &hostile, schemas: nil) }
        var truncated = BinaryReader([15, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: IgniteError.self) { try [Int64].decodeIgnite(from: &truncated, schemas: nil) }
    }

    @Test func arraysAlsoAcceptCollectionsOfElements() throws {
        #expect(try [Int32](igniteValue: .collection(IgniteCollection([.int(1), .short(2)])), schemas: nil) == [1, 2])
        #expect(throws: IgniteError.self) { try [Int32](igniteValue: .collection(IgniteCollection([.long(1)])), schemas: nil) }
        #expect(throws: IgniteError.self) { try [String](igniteValue: .stringArray(["a", nil]), schemas: nil) }
        #expect(try [String?](igniteValue: .objectArray(IgniteObjectArray([.string("a"), .null])), schemas: nil) == ["a", nil])
        #expect(throws: IgniteError.self) { try [Int32](igniteValue: .longArray([1]), schemas: nil) }
    }

    @Test func wideningOnlyAndNullHandling() throws {
        #expect(try Int64(igniteValue: .int(-5), schemas: nil) == -5)
        #expect(try Int(igniteValue: .byte(-5), schemas: nil) == -5)
        #expect(try Int32(igniteValue: .short(7), schemas: nil) == 7)
        #expect(throws: IgniteError.self) { try Int32(igniteValue: .long(7), schemas: nil) }
        #expect(throws: IgniteError.self) { try Int16(igniteValue: .int(7), schemas: nil) }
        #expect(try Double(igniteValue: .float(0.5), schemas: nil) == 0.5)
        #expect(throws: IgniteError.self) { try Float(igniteValue: .double(0.5), schemas: nil) }
        #expect(throws: IgniteError.self) { try String(igniteValue: .char("a"), schemas: nil) }
        do {
            _ = try Int32(igniteValue: .null, schemas: nil)
            Issue.record("null accepted")
        } catch let error as IgniteError {
            #expect(error.code == .parse)
            #expect(error.message.contains("null"))
        }
        #expect(try Int32?(igniteValue: .null, schemas: nil) == nil)
        #expect(try Int32?(igniteValue: .int(3), schemas: nil) == 3)
        var reader = BinaryReader([101, 3, 1, 0, 0, 0])
        #expect(try Int32?.decodeIgnite(from: &reader, schemas: nil) == nil)
        #expect(try Int32?.decodeIgnite(from: &reader, schemas: nil) == 1)
        #expect(try bytes(Int32?.none) == [101])
        #expect(Int32?.igniteTypeCode == .int)
        // Readers consume the whole value even when the type code is narrower.
        var mixed = BinaryReader([1, 0xFF, 2, 1, 0])
        #expect(try Int64.decodeIgnite(from: &mixed, schemas: nil) == -1)
        #expect(try Int64.decodeIgnite(from: &mixed, schemas: nil) == 1)
        #expect(mixed.isAtEnd)
    }

    @Test func dictionariesAndSets() throws {
        let map: [String: Int32] = ["a": 1]
        let encoded = try bytes(map)
        #expect(encoded == [25, 1, 0, 0, 0, 1, 9, 1, 0, 0, 0, 0x61, 3, 1, 0, 0, 0])
        var reader = BinaryReader(encoded)
        #expect(try [String: Int32].decodeIgnite(from: &reader, schemas: nil) == map)
        let duplicate = IgniteValue.map(IgniteMap([IgniteMapEntry(.string("a"), .int(1)), IgniteMapEntry(.string("a"), .int(2))]))
        #expect(throws: IgniteError.self) { try [String: Int32](igniteValue: duplicate, schemas: nil) }
        let set: Set<Int32> = [5]
        #expect(try bytes(set) == [24, 1, 0, 0, 0, 3, 3, 5, 0, 0, 0])
        #expect(try Set<Int32>(igniteValue: .collection(IgniteCollection([.int(5), .int(5)])), schemas: nil) == set)
    }

    @Test func objectCodableTypesAreTypedValues() throws {
        var writer = BinaryWriter()
        var types = BinaryTypeCollector()
        try Internal(id: 2, str: "lorem ipsum").encodeIgnite(into: &writer, types: &types)
        #expect(Hex.string(writer.bytes) == Vectors.internalCompact)
        #expect(types.types.first?.typeName == "Internal")
        #expect(Internal.igniteTypeCode == .complexObject)
        let registry = BinaryTypeRegistry()
        try registry.register(contentsOf: types)
        var reader = BinaryReader(writer.bytes)
        #expect(try Internal.decodeIgnite(from: &reader, schemas: registry) == Internal(id: 2, str: "lorem ipsum"))
        #expect(throws: IgniteError.self) { try Internal(igniteValue: .int(1), schemas: registry) }
    }
}
