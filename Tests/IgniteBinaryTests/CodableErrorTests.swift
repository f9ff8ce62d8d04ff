import Foundation
import Testing
@testable import IgniteBinary

/// `CapFlat` with one more field, stored under the same type name.
struct CapFlatWide: IgniteObjectCodable {
    var id: Int32
    var label: String?
    var extra: Int
    static let igniteTypeName = "CapFlat"
}

/// `CapFlat` without its optional field, stored under the same type name.
struct CapFlatNarrow: IgniteObjectCodable, Equatable {
    var id: Int32
    static let igniteTypeName = "CapFlat"
}

struct CapFlatNarrowTolerant: IgniteObjectCodable, Equatable {
    var id: Int32
    static let igniteTypeName = "CapFlat"
    static let igniteTolerantDecoding = true
}

/// `CapFlat` with `id` read as a String.
struct CapFlatWrongType: IgniteObjectCodable {
    var id: String
    var label: String?
    static let igniteTypeName = "CapFlat"
}

struct Ranges: IgniteObjectCodable, Equatable {
    var small: Int
    var ratio: Double
    var when: Date
    var list: [Int]
    var letter: String
    static let igniteFieldTypes: [String: TypeCode] = ["small": .byte, "ratio": .float, "when": .timestamp, "list": .intArray, "letter": .char]
}

final class Node: Codable {
    var next: Node?
    init(next: Node? = nil) { self.next = next }
}

@Suite("Codable bridge: schema mismatches and errors")
struct CodableErrorTests {
    private func registry(_ values: [any IgniteObjectCodable]) throws -> BinaryTypeRegistry {
        let registry = try Vectors.registry()
        for value in values {
            var types = BinaryTypeCollector()
            var writer = BinaryWriter()
            try value.encodeIgnite(into: &writer, types: &types)
            try registry.register(contentsOf: types)
        }
        return registry
    }

    private func message(_ body: () throws -> Void) -> IgniteError? {
        do {
            try body()
            return nil
        } catch {
            return error as? IgniteError
        }
    }

    @Test func missingRequiredFieldIsNamedInBothModes() throws {
        let registry = try self.registry([])
        let flat = Hex.bytes(Vectors.capFlatSeven)
        for tolerant in [false, true] {
            let error = message { _ = try IgniteBinaryDecoder(schemas: registry, tolerant: tolerant).decode(CapFlatWide.self, from: flat) }
            #expect(error?.code == .parse)
            #expect(error?.message.contains("'extra'") == true)
        }
    }

    @Test func wrongTypeIsNamed() throws {
        let registry = try self.registry([])
        let error = message { _ = try IgniteBinaryDecoder(schemas: registry).decode(CapFlatWrongType.self, from: Hex.bytes(Vectors.capFlatSeven)) }
        #expect(error?.code == .parse)
        #expect(error?.message.contains("field 'id'") == true)
        #expect(error?.message.contains("Int(3)") == true)
        // Nested fields name the path.
        let nested = message {
            struct BadAddress: IgniteObjectCodable { var street: Int; var zip: Int; static let igniteTypeName = "CapAddress" }
            struct BadPerson: IgniteObjectCodable {
                var name: String; var age: Int; var salary: Double; var id: UUID; var address: BadAddress
                static let igniteTypeName = "CapPerson"
            }
            _ = try IgniteBinaryDecoder(schemas: registry).decode(BadPerson.self, from: Hex.bytes(Vectors.capPerson))
        }
        #expect(nested?.message.contains("field 'address' of 'CapPerson': field 'street' of 'CapAddress'") == true)
    }

    @Test func extraFieldsAreErrorsUnlessTolerant() throws {
        let registry = try self.registry([])
        let flat = Hex.bytes(Vectors.capFlatSeven)
        let strict = message { _ = try IgniteBinaryDecoder(schemas: registry).decode(CapFlatNarrow.self, from: flat) }
        #expect(strict?.code == .parse)
        #expect(strict?.message.contains("label") == true)
        #expect(try IgniteBinaryDecoder(schemas: registry, tolerant: true).decode(CapFlatNarrow.self, from: flat) == CapFlatNarrow(id: 7))
        #expect(try IgniteBinaryDecoder(schemas: registry).decode(CapFlatNarrowTolerant.self, from: flat) == CapFlatNarrowTolerant(id: 7))
    }

    @Test func missingOptionalIsNilOnlyWhenTolerant() throws {
        struct WithOptional: IgniteObjectCodable, Equatable {
            var id: Int32
            var label: String?
            var note: String?
            static let igniteTypeName = "CapFlat"
        }
        let registry = try self.registry([])
        let flat = Hex.bytes(Vectors.capFlatSeven)
        let strict = message { _ = try IgniteBinaryDecoder(schemas: registry).decode(WithOptional.self, from: flat) }
        #expect(strict?.message.contains("'note'") == true)
        let tolerant = try IgniteBinaryDecoder(schemas: registry, tolerant: true).decode(WithOptional.self, from: flat)
        #expect(tolerant == WithOptional(id: 7, label: "seven", note: nil))
    }

    @Test func typeIdIsCheckedUnlessTolerant() throws {
        struct Renamed: IgniteObjectCodable, Equatable { var id: Int32; var label: String? }
        let registry = try self.registry([])
        let flat = Hex.bytes(Vectors.capFlatSeven)
        let strict = message { _ = try IgniteBinaryDecoder(schemas: registry).decode(Renamed.self, from: flat) }
        #expect(strict?.message.contains("'CapFlat'") == true)
        #expect(try IgniteBinaryDecoder(schemas: registry, tolerant: true).decode(Renamed.self, from: flat) == Renamed(id: 7, label: "seven"))
    }

    @Test func nullForANonOptionalIsAnError() throws {
        struct NotOptional: IgniteObjectCodable { var id: Int32; var label: String; static let igniteTypeName = "CapFlat" }
        let registry = try self.registry([])
        let error = message { _ = try IgniteBinaryDecoder(schemas: registry).decode(NotOptional.self, from: Hex.bytes(Vectors.capFlatNull)) }
        #expect(error?.message.contains("field 'label'") == true)
        #expect(error?.message.contains("null") == true)
    }

    @Test func fieldTypeOverridesConvertExactlyAndBack() throws {
        var types = BinaryTypeCollector()
        let value = Ranges(small: -5, ratio: 0.5, when: Date(timeIntervalSince1970: 1.5), list: [1, -2], letter: "ё")
        let object = try IgniteBinaryEncoder().encodeObject(value, types: &types)
        let registry = BinaryTypeRegistry()
        try registry.register(contentsOf: types)
        #expect(try object.field("small", schemas: registry) == .byte(-5))
        #expect(try object.field("ratio", schemas: registry) == .float(0.5))
        #expect(try object.field("when", schemas: registry) == .timestamp(IgniteTimestamp(millisecondsSinceEpoch: 1500)))
        #expect(try object.field("list", schemas: registry) == .intArray([1, -2]))
        #expect(try object.field("letter", schemas: registry) == .char("ё"))
        #expect(types.types.first?.fields.map(\.typeCode) == [1, 5, 33, 14, 7])
        #expect(try IgniteBinaryDecoder(schemas: registry).decode(Ranges.self, from: object) == value)

        for bad in [Ranges(small: 300, ratio: 0.5, when: Date(), list: [], letter: "a"),
                    Ranges(small: 1, ratio: 0.1, when: Date(), list: [], letter: "a"),
                    Ranges(small: 1, ratio: 0.5, when: Date(), list: [Int(Int32.max) + 1], letter: "a"),
                    Ranges(small: 1, ratio: 0.5, when: Date(), list: [], letter: "ab")] {
            var writer = BinaryWriter()
            writer.writeInt8(7)
            var collector = BinaryTypeCollector()
            let error = message { try IgniteBinaryEncoder().encode(bad, into: &writer, types: &collector) }
            #expect(error?.code == .parameter)
            #expect(error?.message.contains("field '") == true)
            #expect(writer.bytes == [7])   // nothing half-written
            #expect(collector.isEmpty)
        }
    }

    @Test func unsupportedThingsAreErrorsNotWrongBytes() throws {
        struct Nested: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: IndexKeyed.self)
                var inner = container.nestedContainer(keyedBy: IndexKeyed.self, forKey: .a)
                try inner.encode(1, forKey: .a)
            }
        }
        var types = BinaryTypeCollector()
        #expect(throws: IgniteError.self) { try IgniteBinaryEncoder().encode(DecimalHolder(amount: .nan), types: &types) }
        #expect(throws: IgniteError.self) { try IgniteBinaryEncoder().encode(Nested(), types: &types) }
        let cycle = Node()
        cycle.next = cycle
        let error = message { _ = try IgniteBinaryEncoder().encode(cycle, types: &types) }
        #expect(error?.message.contains("deeper") == true)
        #expect(types.isEmpty)
    }

    @Test func duplicateKeysAreRejected() throws {
        struct Twice: Encodable {
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: IndexKeyed.self)
                try container.encode(1, forKey: .a)
                try container.encode(2, forKey: .a)
            }
        }
        var types = BinaryTypeCollector()
        #expect(throws: IgniteError.self) { try IgniteBinaryEncoder().encode(Twice(), types: &types) }
    }

    @Test func schemaChangesAreRecordedAsNewSchemas() throws {
        struct Shifting: Encodable {
            var withB: Bool
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: IndexKeyed.self)
                try container.encode(1, forKey: .a)
                if withB { try container.encode("b", forKey: .b) }
            }
        }
        var types = BinaryTypeCollector()
        let full = try IgniteBinaryEncoder().encodeObject(Shifting(withB: true), types: &types)
        let short = try IgniteBinaryEncoder().encodeObject(Shifting(withB: false), types: &types)
        let again = try IgniteBinaryEncoder().encodeObject(Shifting(withB: true), types: &types)
        #expect(full.schemaId != short.schemaId)
        #expect(full.bytes == again.bytes)
        let type = try #require(types.types.first)
        #expect(types.types.count == 1)
        #expect(Set(type.schemas.map(\.schemaId)) == [full.schemaId, short.schemaId])
        #expect(type.fields.map(\.name) == ["a", "b"])
    }

    @Test func malformedObjectsNeverCrashTheDecoder() throws {
        let registry = try self.registry([])
        let original = Hex.bytes(Vectors.capPerson)
        for index in original.indices {
            for delta: UInt8 in [1, 0x80, 0xFF] {
                var bytes = original
                bytes[index] &+= delta
                _ = try? IgniteBinaryDecoder(schemas: registry).decode(CapPerson.self, from: bytes)
                _ = try? IgniteBinaryDecoder(schemas: registry, tolerant: true).decode(CapPerson.self, from: bytes)
            }
        }
        for cut in 0..<original.count {
            #expect(throws: IgniteError.self) { try IgniteBinaryDecoder(schemas: registry).decode(CapPerson.self, from: Array(original[..<cut])) }
        }
    }
}

enum IndexKeyed: String, CodingKey { case a, b }

struct DecimalHolder: Codable, Equatable {
    var amount: Decimal
}

@Suite("Codable bridge: Foundation.Decimal")
struct CodableDecimalTests {
    @Test func foundationDecimalIsAnExactDecimalField() throws {
        var types = BinaryTypeCollector()
        let value = DecimalHolder(amount: Decimal(sign: .minus, exponent: -3, significand: 234_567))
        let object = try IgniteBinaryEncoder(compactFooter: false).encodeObject(value, types: &types)
        // Same bytes as pyignite's DecimalObject for -234.567 (PROTOCOL-FACTS §7.5).
        #expect(try object.field("amount", schemas: nil) == .decimal(IgniteDecimal(unscaled: -234_567, scale: 3)))
        #expect(types.types.first?.fields.first?.typeCode == 30)
        #expect(try IgniteBinaryDecoder().decode(DecimalHolder.self, from: object) == value)
    }

    @Test func tooManyDigitsIsAnErrorNotARoundedValue() throws {
        var builder = BinaryObjectBuilder(typeName: "DecimalHolder", compactFooter: false)
        builder.setField("amount", .decimal(try IgniteDecimal(string: "1234567890123456789012345678901234567890.123456789")))
        let object = try builder.build()
        do {
            _ = try IgniteBinaryDecoder().decode(DecimalHolder.self, from: object)
            Issue.record("a 49-digit decimal was squeezed into Foundation.Decimal")
        } catch let error as IgniteError {
            #expect(error.message.contains("field 'amount'"))
            #expect(error.message.contains("IgniteDecimal"))
        }
        #expect(throws: IgniteError.self) { try Decimal(igniteValue: .decimal(IgniteDecimal(unscaled: 1, scale: 200)), schemas: nil) }
        #expect(try Decimal(igniteValue: .decimal(IgniteDecimal(unscaled: 5, scale: -2)), schemas: nil) == 500)
    }
}
