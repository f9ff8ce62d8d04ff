import Foundation
import Testing
@testable import IgniteBinary

// Types that reproduce the objects pyignite wrote in the captures (PROTOCOL-FACTS §7.11 and types.jsonl).
struct Internal: IgniteObjectCodable, Equatable {
    var id: Int32
    var str: String
}

struct NestedObject: IgniteObjectCodable, Equatable {
    var id: Int32
    var str: String
    var `internal`: Internal
}

struct CapAddress: IgniteObjectCodable, Equatable {
    var street: String
    var zip: Int
    static let igniteFieldTypes: [String: TypeCode] = ["zip": .int]
}

struct CapPerson: IgniteObjectCodable, Equatable {
    var name: String
    var age: Int
    var salary: Double
    var id: UUID
    var address: CapAddress
    static let igniteFieldTypes: [String: TypeCode] = ["age": .int]
}

struct CapFlat: IgniteObjectCodable, Equatable {
    var id: Int32
    var label: String?
}

struct CapFullFooter: IgniteObjectCodable, Equatable {
    var id: Int32
    var label: String
    static let igniteCompactFooter = false
}

struct CapAffKey: IgniteObjectCodable, Equatable {
    var region: Int32
    var code: String
    static let igniteAffinityKeyField: String? = "region"
}

@Suite("Codable bridge: bytes and metadata")
struct CodableBridgeTests {
    private func encode<T: Encodable>(_ value: T, _ types: inout BinaryTypeCollector) throws -> String {
        Hex.string(try IgniteBinaryEncoder().encode(value, types: &types))
    }

    private func put(_ type: BinaryType?) -> String {
        var writer = BinaryWriter()
        type?.encode(into: &writer)
        return Hex.string(writer.bytes)
    }

    @Test func pyigniteVectorsAreReproduced() throws {
        var types = BinaryTypeCollector()
        let inner = Internal(id: 2, str: "lorem ipsum")
        #expect(try encode(inner, &types) == Vectors.internalCompact)
        #expect(try encode(NestedObject(id: 1, str: "test_string", internal: inner), &types) == Vectors.nestedCompact)
        #expect(types.types.map(\.typeName) == ["Internal", "NestedObject"])
        #expect(types.types[1].fields.map(\.typeCode) == [3, 9, 103])
    }

    @Test func capturedObjectsAndTheirRegistrationsAreReproduced() throws {
        var types = BinaryTypeCollector()
        let person = CapPerson(name: "Ada", age: 36, salary: 1234.5, id: UUID(igniteMSB: 1, lsb: 2),
                               address: CapAddress(street: "Main St", zip: 12345))
        #expect(try encode(person, &types) == Vectors.capPerson)
        // The nested type is recorded first (it is finished first), exactly as pyignite registered both.
        #expect(types.types.map(\.typeName) == ["CapAddress", "CapPerson"])
        #expect(put(types.types.first { $0.typeName == "CapPerson" }) == Vectors.putCapPerson)
        #expect(put(types.types.first { $0.typeName == "CapAddress" }) == Vectors.putCapAddress)

        var flatTypes = BinaryTypeCollector()
        #expect(try encode(CapFlat(id: 7, label: "seven"), &flatTypes) == Vectors.capFlatSeven)
        #expect(try encode(CapFlat(id: 9, label: nil), &flatTypes) == Vectors.capFlatNull)
        // The null field is recorded with its static type, String (9), as pyignite did.
        #expect(put(flatTypes.types.first) == Vectors.putCapFlat)

        var fullTypes = BinaryTypeCollector()
        #expect(try encode(CapFullFooter(id: 8, label: "eight"), &fullTypes) == Vectors.capFullFooter)
        #expect(put(fullTypes.types.first) == Vectors.putCapFullFooter)

        var affTypes = BinaryTypeCollector()
        _ = try encode(CapAffKey(region: 1, code: "x"), &affTypes)
        #expect(put(affTypes.types.first) == Vectors.putCapAffKey)
    }

    @Test func theSecondEncodeUsesTheTemplateAndGivesTheSameResult() throws {
        for _ in 0..<3 {
            var types = BinaryTypeCollector()
            #expect(try encode(CapFlat(id: 9, label: nil), &types) == Vectors.capFlatNull)
            #expect(put(types.types.first) == Vectors.putCapFlat)
        }
    }

    @Test func capturedObjectsDecode() throws {
        let registry = try Vectors.registry()
        let decoder = IgniteBinaryDecoder(schemas: registry)
        let person = try decoder.decode(CapPerson.self, from: Hex.bytes(Vectors.capPerson))
        #expect(person == CapPerson(name: "Ada", age: 36, salary: 1234.5, id: UUID(igniteMSB: 1, lsb: 2),
                                    address: CapAddress(street: "Main St", zip: 12345)))
        #expect(try decoder.decode(CapFlat.self, from: Hex.bytes(Vectors.capFlatNull)) == CapFlat(id: 9, label: nil))
        #expect(try decoder.decode(CapFullFooter.self, from: Hex.bytes(Vectors.capFullFooter)) == CapFullFooter(id: 8, label: "eight"))
        // A full footer needs no metadata.
        #expect(try IgniteBinaryDecoder().decode(CapFullFooter.self, from: Hex.bytes(Vectors.capFullFooter)).label == "eight")
        // The typed path decodes the same way.
        #expect(try CapPerson(igniteValue: .object(BinaryObject(bytes: Hex.bytes(Vectors.capPerson))), schemas: registry) == person)
    }

    @Test func compactFooterWithoutSchemaIsABinaryTypeError() throws {
        do {
            _ = try IgniteBinaryDecoder().decode(CapPerson.self, from: Hex.bytes(Vectors.capPerson))
            Issue.record("decoded a compact footer without its schema")
        } catch let error as IgniteError {
            #expect(error.code == .binaryType)
            #expect(error.message.contains("\(JavaHash.typeId("CapPerson"))"))
        }
    }

    @Test func fullFooterObjectsDecodeWithoutARegistry() throws {
        var types = BinaryTypeCollector()
        let person = CapPerson(name: "Bo", age: 5, salary: 1, id: UUID(), address: CapAddress(street: "S", zip: 1))
        let bytes = try IgniteBinaryEncoder(compactFooter: false).encode(person, types: &types)
        let object = try BinaryObject(bytes: bytes)
        #expect(!object.hasCompactFooter)
        #expect(try IgniteBinaryDecoder().decode(CapPerson.self, from: object) == person)
    }
}

struct AllPrimitives: IgniteObjectCodable, Equatable {
    var byte: Int8
    var short: Int16
    var int: Int32
    var long: Int64
    var float: Float
    var double: Double
    var char: JavaChar
    var bool: Bool
}

struct WithNulls: IgniteObjectCodable, Equatable {
    var id: Int32
    var name: String?
    var `internal`: Internal?
    var nothing: Int32?
}

struct UnicodeNames: IgniteObjectCodable, Equatable {
    var name: String
    var japanese: String
    enum CodingKeys: String, CodingKey {
        case name = "имя"
        case japanese = "名前"
    }
    static let igniteTypeName = "Юникод"
}

@Suite("Codable bridge against the pyignite golden objects")
struct CodableGoldenTests {
    private func golden(_ name: String) throws -> [UInt8] {
        try #require(GoldenVectors.values.first { $0.name == name }).bytes
    }

    private func check<T: IgniteObjectCodable & Equatable>(_ value: T, compact: String, full: String) throws {
        try check(value, compact: compact)
        try check(value, full: full)
    }

    private func check<T: IgniteObjectCodable & Equatable>(_ value: T, compact: String) throws {
        var types = BinaryTypeCollector()
        #expect(Hex.string(try IgniteBinaryEncoder().encode(value, types: &types)) == Hex.string(try golden(compact)), "\(compact)")
        let registry = BinaryTypeRegistry()
        try registry.register(contentsOf: types)
        #expect(try IgniteBinaryDecoder(schemas: registry).decode(T.self, from: try golden(compact)) == value)
    }

    private func check<T: IgniteObjectCodable & Equatable>(_ value: T, full: String) throws {
        var types = BinaryTypeCollector()
        #expect(Hex.string(try IgniteBinaryEncoder(compactFooter: false).encode(value, types: &types)) == Hex.string(try golden(full)), "\(full)")
        #expect(try IgniteBinaryDecoder().decode(T.self, from: try golden(full)) == value)
    }

    @Test func allPrimitives() throws {
        try check(AllPrimitives(byte: -1, short: -2, int: -3, long: -4, float: 1.5, double: -2.25, char: JavaChar(1105), bool: true),
                  compact: "object.AllPrimitives.compact")
        try check(AllPrimitives(byte: .max, short: .max, int: .max, long: .max, float: .greatestFiniteMagnitude,
                                double: .greatestFiniteMagnitude, char: JavaChar(0xFFFF), bool: false),
                  full: "object.AllPrimitives.full")
    }

    @Test func nullsKeepTheirPlaceInTheSchema() throws {
        try check(WithNulls(id: 1, name: nil, internal: nil, nothing: nil), compact: "object.WithNulls.compact", full: "object.WithNulls.full")
    }

    @Test func nonASCIINamesAndNestedFullFooters() throws {
        try check(UnicodeNames(name: "Иван", japanese: "太郎"), compact: "object.Unicode.compact", full: "object.Unicode.full")
        let nested = NestedObject(id: 1, str: "test_string", internal: Internal(id: 2, str: "lorem ipsum"))
        try check(nested, compact: "object.NestedObject.compact", full: "object.NestedObject.full")
    }
}
