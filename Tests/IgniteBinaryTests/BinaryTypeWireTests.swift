import Foundation
import Testing
@testable import IgniteBinary

@Suite("BinaryType wire codec and registry")
struct BinaryTypeWireTests {
    private func decode(_ hex: String) throws -> BinaryType {
        var reader = BinaryReader(Hex.bytes(hex))
        let type = try BinaryType.decode(from: &reader)
        #expect(reader.isAtEnd)
        return type
    }

    private func encode(_ type: BinaryType) -> String {
        var writer = BinaryWriter()
        type.encode(into: &writer)
        return Hex.string(writer.bytes)
    }

    static let putBodies = [
        Vectors.putCapFlat, Vectors.putCapFullFooter, Vectors.putCapPerson, Vectors.putCapAddress, Vectors.putCapWide,
        Vectors.putCapKeyObj, Vectors.putCapBT, Vectors.putCapBTSecondSchema, Vectors.putCapAffKey, Vectors.putCapColorEnum,
    ]

    @Test(arguments: putBodies)
    func putBodiesRoundTripByteForByte(hex: String) throws {
        #expect(encode(try decode(hex)) == hex)
    }

    @Test func decodedFieldsAndSchemas() throws {
        let flat = try decode(Vectors.putCapFlat)
        #expect(flat.typeId == JavaHash.typeId("CapFlat"))
        #expect(flat.typeName == "CapFlat")
        #expect(flat.affinityKeyFieldName == nil)
        #expect(flat.fields == [BinaryType.Field(name: "id", typeCode: 3), BinaryType.Field(name: "label", typeCode: 9)])
        #expect(flat.schemas == [BinaryType.Schema(fieldIds: [JavaHash.fieldId("id"), JavaHash.fieldId("label")])])
        #expect(!flat.isEnum)

        let affinity = try decode(Vectors.putCapAffKey)
        #expect(affinity.affinityKeyFieldName == "region")
        // The record built from scratch is the same bytes.
        let rebuilt = BinaryType(typeName: "CapAffKey", affinityKeyFieldName: "region",
                                 fields: [.init(name: "region", typeCode: 3), .init(name: "code", typeCode: 9)])
        #expect(encode(rebuilt) == Vectors.putCapAffKey)
    }

    @Test func enumType() throws {
        let color = try decode(Vectors.putCapColorEnum)
        #expect(color.isEnum)
        #expect(color.enumValues.map(\.name) == ["RED", "GREEN", "BLUE"])
        #expect(color.enumValues.map(\.ordinal) == [0, 1, 2])
        #expect(color.fields.isEmpty && color.schemas.isEmpty)
        let built = BinaryType(typeName: "CapColor", isEnum: true, enumValues: [("RED", 0), ("GREEN", 1), ("BLUE", 2)])
        #expect(encode(built) == Vectors.putCapColorEnum)
    }

    @Test func getResponsesDecode() throws {
        var reader = BinaryReader(Hex.bytes(Vectors.getCapBTTwoSchemas))
        #expect(try reader.readBool())
        let twoSchemas = try BinaryType.decode(from: &reader)
        #expect(reader.isAtEnd)
        #expect(twoSchemas.schemas.count == 2)
        #expect(twoSchemas.fields.map(\.name) == ["a", "b", "c"])

        // What the server returns is the merge of the two registrations.
        var merged = try decode(Vectors.putCapBT)
        merged.merge(try decode(Vectors.putCapBTSecondSchema))
        #expect(merged == twoSchemas)

        var personReader = BinaryReader(Hex.bytes(Vectors.getCapPersonServerClass))
        #expect(try personReader.readBool())
        let person = try BinaryType.decode(from: &personReader)
        #expect(person.fields.map(\.name) == ["name", "age", "salary", "id", "address"])
        #expect(person.fields.map(\.typeCode) == [9, 3, 6, 10, 103])
        #expect(person == (try decode(Vectors.putCapPerson)))

        var enumReader = BinaryReader(Hex.bytes(Vectors.getCapColorEnum))
        #expect(try enumReader.readBool())
        #expect(try BinaryType.decode(from: &enumReader) == (try decode(Vectors.putCapColorEnum)))

        var missing = BinaryReader(Hex.bytes(Vectors.getMissing))
        #expect(try missing.readBool() == false)
    }

    @Test func truncatedOrHostileRecordsAreTypedErrors() throws {
        let bytes = Hex.bytes(Vectors.putCapPerson)
        for cut in 0..<bytes.count {
            var reader = BinaryReader(Array(bytes[..<cut]))
            #expect(throws: IgniteError.self) { try BinaryType.decode(from: &reader) }
        }
        // Field count 0x7FFFFFFF.
        var hostile = BinaryWriter()
        hostile.writeInt32(1)
        hostile.writeStringObject("T")
        hostile.writeInt8(101)
        hostile.writeInt32(Int32.max)
        var reader = BinaryReader(hostile.bytes)
        #expect(throws: IgniteError.self) { try BinaryType.decode(from: &reader) }
        // A null type name.
        var nullName = BinaryReader([1, 0, 0, 0, 101, 101, 0, 0, 0, 0, 0, 0, 0, 0, 0])
        #expect(throws: IgniteError.self) { try BinaryType.decode(from: &nullName) }
    }

    @Test func registryMergesAndResolves() throws {
        let registry = BinaryTypeRegistry()
        #expect(try registry.register(try decode(Vectors.putCapBT)))
        #expect(try registry.register(try decode(Vectors.putCapBTSecondSchema)))
        #expect(try !registry.register(try decode(Vectors.putCapBT)))   // nothing new
        let type = try #require(registry.binaryType(typeId: JavaHash.typeId("CapBT")))
        #expect(type.schemas.count == 2)
        let abc = [JavaHash.fieldId("a"), JavaHash.fieldId("b"), JavaHash.fieldId("c")]
        #expect(registry.schema(typeId: type.typeId, schemaId: JavaHash.schemaId(abc)) == abc)
        #expect(registry.schema(typeId: type.typeId, schemaId: 12345) == nil)
        #expect(registry.schema(typeId: 1, schemaId: JavaHash.schemaId(abc)) == nil)
        registry.remove(typeId: type.typeId)
        #expect(registry.binaryType(typeId: type.typeId) == nil)
        #expect(registry.schema(typeId: type.typeId, schemaId: JavaHash.schemaId(abc)) == nil)
    }

    @Test func registryRejectsWhatTheServerRejects() throws {
        let registry = BinaryTypeRegistry()
        try registry.register(try decode(Vectors.putCapBT))
        // binary-types.put-type-conflicting-field-type: field 'a' re-registered as String; the server answered
        // "Type 'CapBT' ... has a different/incorrect type for field 'a'. Expected 'int' but 'String' was provided."
        let conflicting = try decode("a4dfa00509050000004361704254650100000009010000006109000000610000000001000000e4d3e1f50100000061000000")
        do {
            try registry.register(conflicting)
            Issue.record("a conflicting field type was accepted")
        } catch let error as IgniteError {
            #expect(error.code == .binaryType)
            #expect(error.message.contains("'a'"))
        }
        #expect(registry.binaryType(typeId: conflicting.typeId)?.schemas.count == 1)   // unchanged

        var renamed = try decode(Vectors.putCapBT)
        renamed.typeName = "Other"
        #expect(throws: IgniteError.self) { try registry.register(renamed) }
        var enumFlag = try decode(Vectors.putCapBT)
        enumFlag.isEnum = true
        #expect(throws: IgniteError.self) { try registry.register(enumFlag) }
        var affinity = try decode(Vectors.putCapBT)
        affinity.affinityKeyFieldName = "a"
        #expect(throws: IgniteError.self) { try registry.register(affinity) }
    }

    @Test func unregisteredListsWhatMustBeSent() throws {
        let registry = BinaryTypeRegistry()
        try registry.register(try decode(Vectors.putCapBT))
        var collector = BinaryTypeCollector()
        collector.record(try decode(Vectors.putCapBT))
        #expect(registry.unregistered(in: collector).isEmpty)
        collector.record(try decode(Vectors.putCapBTSecondSchema))
        collector.record(try decode(Vectors.putCapFlat))
        #expect(collector.types.count == 2)
        #expect(registry.unregistered(in: collector).map(\.typeName) == ["CapBT", "CapFlat"])
        try registry.register(contentsOf: collector)
        #expect(registry.unregistered(in: collector).isEmpty)
        #expect(registry.types.count == 2)
        registry.removeAll()
        #expect(registry.types.isEmpty)
    }

    @Test func registryIsSafeAcrossThreads() async throws {
        let registry = BinaryTypeRegistry()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<8 {
                group.addTask {
                    for j in 0..<200 {
                        let name = "f\(i)_\(j)"
                        let type = BinaryType(typeName: "Shared", fields: [.init(name: name, typeCode: 3)])
                        _ = try? registry.register(type)
                        _ = registry.schema(typeId: type.typeId, schemaId: type.schemas[0].schemaId)
                    }
                }
            }
        }
        let shared = try #require(registry.binaryType(typeId: JavaHash.typeId("Shared")))
        #expect(shared.fields.count == 1600)
        #expect(shared.schemas.count == 1600)
        for schema in shared.schemas {
            #expect(registry.schema(typeId: shared.typeId, schemaId: schema.schemaId) == schema.fieldIds)
        }
    }
}
