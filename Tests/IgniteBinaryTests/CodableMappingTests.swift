import Foundation
import Testing
@testable import IgniteBinary

enum Color: String, Codable, Equatable {
    case red, green
}

struct Everything: IgniteObjectCodable, Equatable {
    var int: Int = -1
    var int8: Int8 = -8
    var int16: Int16 = -16
    var int32: Int32 = -32
    var int64: Int64 = -64
    var uint8: UInt8 = 200
    var uint16: UInt16 = 60000
    var uint32: UInt32 = 4_000_000_000
    var uint64: UInt64 = 5
    var float: Float = 1.5
    var double: Double = -2.25
    var bool: Bool = true
    var string: String = "строка"
    var uuid: UUID = UUID(igniteMSB: 0x1234, lsb: -1)
    var date: Date = Date(timeIntervalSince1970: 1_600_000_000.1234)
    var data: Data = Data([1, 2, 3])
    var bytes: [UInt8] = [4, 5]
    var shorts: [Int16] = [1, -1]
    var ints: [Int32] = [7, 8]
    var longs: [Int] = [9, 10]
    var floats: [Float] = [0.5]
    var doubles: [Double] = [0.25]
    var bools: [Bool] = [true, false]
    var strings: [String] = ["a", "b"]
    var optionalStrings: [String?] = ["x", nil]
    var decimal: IgniteDecimal = IgniteDecimal(unscaled: -234_567, scale: 3)
    var javaDate: IgniteDate = IgniteDate(millisecondsSinceEpoch: 42)
    var timestamp: IgniteTimestamp = IgniteTimestamp(millisecondsSinceEpoch: 43, nanoseconds: 999)
    var time: IgniteTime = IgniteTime(milliseconds: 44)
    var char: JavaChar = "Ж"
    var color: Color = .green
    var nested: CapAddress = CapAddress(street: "s", zip: 1)
    var nestedList: [CapAddress] = [CapAddress(street: "a", zip: 2)]
    var plainList: [Plain] = [Plain(x: 1)]
    var dictionary: [String: Int] = ["k": 1]
    var plainDictionary: [String: Plain] = ["p": Plain(x: 2)]
    var set: Set<String> = ["only"]
    var optionalInts: [Int?] = [1, nil]
    var missingNumber: Int? = nil
    var missingObject: CapAddress? = nil
    var presentObject: CapAddress? = CapAddress(street: "p", zip: 3)
    var value: IgniteValue = .short(5)
    var enumValue: IgniteEnum = IgniteEnum(typeId: 77, ordinal: 2)
}

struct Plain: Codable, Equatable {
    var x: Int
}

@Suite("Codable bridge: type mapping")
struct CodableMappingTests {
    @Test func everythingRoundTripsWithTheDocumentedTypes() throws {
        var types = BinaryTypeCollector()
        let value = Everything()
        let object = try IgniteBinaryEncoder().encodeObject(value, types: &types)
        let registry = BinaryTypeRegistry()
        try registry.register(contentsOf: types)
        var decoded = try IgniteBinaryDecoder(schemas: registry).decode(Everything.self, from: object)
        // Date is written with millisecond precision.
        #expect(decoded.date.timeIntervalSince1970 == 1_600_000_000.123)
        decoded.date = value.date
        #expect(decoded == value)

        let codes = try object.fields(schemas: registry).map { ($0.name ?? "?", $0.value.typeCode) }
        let expected: [(String, TypeCode)] = [
            ("int", .long), ("int8", .byte), ("int16", .short), ("int32", .int), ("int64", .long), ("uint8", .short),
            ("uint16", .int), ("uint32", .long), ("uint64", .long), ("float", .float), ("double", .double), ("bool", .bool),
            ("string", .string), ("uuid", .uuid), ("date", .date), ("data", .byteArray), ("bytes", .byteArray),
            ("shorts", .shortArray), ("ints", .intArray), ("longs", .longArray), ("floats", .floatArray),
            ("doubles", .doubleArray), ("bools", .boolArray), ("strings", .stringArray), ("optionalStrings", .stringArray),
            ("decimal", .decimal), ("javaDate", .date), ("timestamp", .timestamp), ("time", .time), ("char", .char),
            ("color", .string), ("nested", .complexObject), ("nestedList", .collection), ("plainList", .collection),
            ("dictionary", .map), ("plainDictionary", .map), ("set", .collection), ("optionalInts", .collection),
            ("missingNumber", .null), ("missingObject", .null), ("presentObject", .complexObject), ("value", .short),
            ("enumValue", .binaryEnum),
        ]
        #expect(codes.map(\.0) == expected.map(\.0))
        #expect(codes.map(\.1) == expected.map(\.1))
        // Null fields are recorded with their static types.
        let type = try #require(registry.binaryType(typeId: JavaHash.typeId("Everything")))
        #expect(type.field(named: "missingNumber")?.typeCode == 4)
        #expect(type.field(named: "missingObject")?.typeCode == 103)
        // The set is a HashSet, lists are ArrayLists, the plain nested type is an object named after the Swift type.
        guard case .collection(let set)? = try object.field("set", schemas: registry),
              case .collection(let list)? = try object.field("plainList", schemas: registry),
              case .object(let plain)? = list.elements.first else {
            Issue.record("unexpected shapes")
            return
        }
        #expect(set.kind == .hashSet && list.kind == .arrayList)
        #expect(plain.typeId == JavaHash.typeId("Plain"))
        #expect(types.types.contains { $0.typeName == "Plain" })
    }

    @Test func topLevelValuesAreNotWrapped() throws {
        var types = BinaryTypeCollector()
        #expect(try IgniteBinaryEncoder().encode(5, types: &types) == [4, 5, 0, 0, 0, 0, 0, 0, 0])
        #expect(try IgniteBinaryEncoder().encode("a", types: &types) == [9, 1, 0, 0, 0, 0x61])
        #expect(try IgniteBinaryEncoder().encode([Int32(1)], types: &types) == [14, 1, 0, 0, 0, 1, 0, 0, 0])
        #expect(try IgniteBinaryEncoder().encode(Color.red, types: &types) == [9, 3, 0, 0, 0, 0x72, 0x65, 0x64])
        #expect(types.isEmpty)
        #expect(try IgniteBinaryDecoder().decode(Int.self, from: [3, 5, 0, 0, 0]) == 5)
        #expect(try IgniteBinaryDecoder().decode(Color.self, from: [9, 3, 0, 0, 0, 0x72, 0x65, 0x64]) == .red)
        #expect(throws: IgniteError.self) { try IgniteBinaryDecoder().decode(Color.self, from: [9, 1, 0, 0, 0, 0x72]) }
        #expect(throws: IgniteError.self) { try IgniteBinaryDecoder().decode(Int.self, from: [3, 5, 0, 0, 0, 1]) }
    }

    @Test func emptyStructIsAnEmptyObject() throws {
        struct Nothing: Codable, Equatable {}
        var types = BinaryTypeCollector()
        let object = try IgniteBinaryEncoder().encodeObject(Nothing(), types: &types)
        #expect(object.length == 24 && object.fieldCount == 0)
        #expect(try IgniteBinaryDecoder().decode(Nothing.self, from: object) == Nothing())
    }
}

@Suite("Codable bridge: concurrency")
struct CodableConcurrencyTests {
    struct Shared: IgniteObjectCodable, Equatable {
        var id: Int
        var name: String?
        var tags: [String]
        var when: UUID
    }

    @Test func concurrentEncodesAndDecodesAgree() async throws {
        let sample = Shared(id: 7, name: "seven", tags: ["a", "b"], when: UUID(igniteMSB: 3, lsb: 4))
        var types = BinaryTypeCollector()
        let expected = try IgniteBinaryEncoder().encode(sample, types: &types)
        let registry = BinaryTypeRegistry()
        try registry.register(contentsOf: types)
        let results = await withTaskGroup(of: Bool.self) { group -> [Bool] in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<300 {
                        var collector = BinaryTypeCollector()
                        let value = Shared(id: 7, name: i % 2 == 0 ? "seven" : nil, tags: ["a", "b"], when: UUID(igniteMSB: 3, lsb: 4))
                        guard let bytes = try? IgniteBinaryEncoder().encode(value, types: &collector),
                              let back = try? IgniteBinaryDecoder(schemas: registry, tolerant: task % 2 == 0).decode(Shared.self, from: bytes),
                              back == value, collector.types.count == 1 else { return false }
                        if value.name != nil, bytes != expected { return false }
                    }
                    return true
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}

