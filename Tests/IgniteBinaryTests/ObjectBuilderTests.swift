import Foundation
import Testing
@testable import IgniteBinary

@Suite("BinaryObjectBuilder")
struct ObjectBuilderTests {
    private func internalObject(compact: Bool = true) throws -> BinaryObject {
        var builder = BinaryObjectBuilder(typeName: "Internal", compactFooter: compact)
        builder.setField("id", .int(2))
        builder.setField("str", .string("lorem ipsum"))
        return try builder.build()
    }

    @Test func internalMatchesPyigniteBytes() throws {
        let object = try internalObject()
        #expect(Hex.string(object.bytes) == Vectors.internalCompact)
        #expect(object.hashCode == -949_692_387)
        #expect(object.schemaId == -951_190_169)
    }

    @Test func nestedObjectMatchesPyigniteBytes() throws {
        var builder = BinaryObjectBuilder(typeName: "NestedObject")
        builder.setField("id", .int(1))
        builder.setField("str", .string("test_string"))
        builder.setField("internal", .object(try internalObject()))
        let object = try builder.build()
        #expect(Hex.string(object.bytes) == Vectors.nestedCompact)
        #expect(object.hashCode == -1_314_567_146)
    }

    @Test func unicodeNestedObjectHashMatchesPyignite() throws {
        var inner = BinaryObjectBuilder(typeName: "Internal")
        inner.setField("id", .int(2))
        inner.setField("str", .string("ユニコード"))
        var builder = BinaryObjectBuilder(typeName: "NestedObject")
        builder.setField("id", .int(1))
        builder.setField("str", .string("юникод"))
        builder.setField("internal", .object(try inner.build()))
        #expect(try builder.build().hashCode == -1_945_378_474)
    }

    @Test func capturedObjectsAreReproduced() throws {
        var flat = BinaryObjectBuilder(typeName: "CapFlat")
        flat.setField("id", .int(7))
        flat.setField("label", .string("seven"))
        #expect(Hex.string(try flat.build().bytes) == Vectors.capFlatSeven)

        flat.setField("id", .int(9))
        flat.setField("label", .null)
        #expect(Hex.string(try flat.build().bytes) == Vectors.capFlatNull)
        // A null value keeps the type code recorded for the field.
        #expect(flat.binaryType?.fields.map(\.typeCode) == [3, 9])

        var full = BinaryObjectBuilder(typeName: "CapFullFooter", compactFooter: false)
        full.setField("id", .int(8))
        full.setField("label", .string("eight"))
        #expect(Hex.string(try full.build().bytes) == Vectors.capFullFooter)

        var address = BinaryObjectBuilder(typeName: "CapAddress")
        address.setField("street", .string("Main St"))
        address.setField("zip", .int(12345))
        var person = BinaryObjectBuilder(typeName: "CapPerson")
        person.setField("name", .string("Ada"))
        person.setField("age", .int(36))
        person.setField("salary", .double(1234.5))
        person.setField("id", .uuid(UUID(igniteMSB: 1, lsb: 2)))
        person.setField("address", .object(try address.build()))
        #expect(Hex.string(try person.build().bytes) == Vectors.capPerson)

        var key = BinaryObjectBuilder(typeName: "CapKeyObj")
        key.setField("region", .int(5))
        key.setField("code", .string("X1"))
        #expect(Hex.string(try key.build().bytes) == Vectors.capKeyObj)
    }

    @Test func binaryTypeMatchesWhatPyigniteRegistered() throws {
        var key = BinaryObjectBuilder(typeName: "CapKeyObj")
        key.setField("region", .int(5))
        key.setField("code", .string("X1"))
        var affinity = BinaryObjectBuilder(typeName: "CapAffKey", affinityKeyFieldName: "region")
        affinity.setField("region", .int(1))
        affinity.setField("code", .string("eu"))
        var types = BinaryTypeCollector()
        _ = try key.build(types: &types)
        _ = try affinity.build(types: &types)
        #expect(types.types.count == 2)
        var writer = BinaryWriter()
        types.types.first?.encode(into: &writer)
        #expect(Hex.string(writer.bytes) == Vectors.putCapKeyObj)
        writer.removeAll()
        types.types.last?.encode(into: &writer)
        #expect(Hex.string(writer.bytes) == Vectors.putCapAffKey)
    }

    @Test func offsetWidthFollowsJavaRule() throws {
        // Java: last field offset < 256 → 1 byte; < 65 536 → 2 bytes; else 4 bytes.
        func object(padding: Int) throws -> BinaryObject {
            var builder = BinaryObjectBuilder(typeName: "Edge")
            builder.setField("payload", .string(String(repeating: "p", count: padding)))
            builder.setField("tail", .int(7))
            return try builder.build()
        }
        // "tail" starts at 24 + 5 + padding.
        let at255 = try object(padding: 226)
        #expect(try at255.fieldOffset(at: 1) == 255)
        #expect(at255.offsetSize == 1)   // pyignite would write 2 bytes here (max offset < 255)
        let at256 = try object(padding: 227)
        #expect(try at256.fieldOffset(at: 1) == 256)
        #expect(at256.offsetSize == 2)
        let at65535 = try object(padding: 65_535 - 29)
        #expect(try at65535.fieldOffset(at: 1) == 65_535)
        #expect(at65535.offsetSize == 2)
        let at65536 = try object(padding: 65_536 - 29)
        #expect(try at65536.fieldOffset(at: 1) == 65_536)
        #expect(at65536.offsetSize == 4)
        #expect(!at65536.flags.contains(.offsetOneByte) && !at65536.flags.contains(.offsetTwoBytes))
        for object in [at255, at256, at65535, at65536] {
            #expect(try object.value(forFieldId: JavaHash.fieldId("tail"), schema: [JavaHash.fieldId("payload"), JavaHash.fieldId("tail")]) == .int(7))
        }
    }

    @Test func twoByteOffsetCaptureIsReproduced() throws {
        var wide = BinaryObjectBuilder(typeName: "CapWide")
        wide.setField("a", .string(String(repeating: "a", count: 300)))
        wide.setField("b", .string("b"))
        wide.setField("c", .long(1))
        #expect(Hex.string(try wide.build().bytes) == Vectors.capWide)
    }

    @Test func fullFooterWithFourByteOffsets() throws {
        var builder = BinaryObjectBuilder(typeName: "Big", compactFooter: false)
        builder.setField("blob", .byteArray([UInt8](repeating: 0xAB, count: 70_000)))
        builder.setField("tail", .long(-1))
        let object = try builder.build()
        #expect(object.offsetSize == 4)
        #expect(object.footerFieldIds == [JavaHash.fieldId("blob"), JavaHash.fieldId("tail")])
        #expect(try object.field("tail", schemas: nil) == .long(-1))
        #expect(object.length == 24 + 5 + 70_000 + 9 + 2 * 8)
    }

    @Test func rawDataIsHashedAndAddressed() throws {
        var builder = BinaryObjectBuilder(typeName: "WithRaw")
        builder.setField("id", .int(1))
        builder.rawData = [1, 2, 3]
        let object = try builder.build()
        #expect(object.flags.contains(.hasRawData) && object.flags.contains(.hasSchema))
        #expect(object.rawData.map(Array.init) == [1, 2, 3])
        // The hash covers field data and raw data: [24, footer).
        #expect(object.hashCode == JavaHash.bytes([3, 1, 0, 0, 0, 1, 2, 3]))
        // Raw offset appended after the footer.
        #expect(Array(object.bytes.suffix(4)) == [29, 0, 0, 0])
        #expect(try object.field("id", schemas: BuilderSchemas(builder)) == .int(1))

        var rawOnly = BinaryObjectBuilder(typeName: "RawOnly")
        rawOnly.rawData = [9]
        let raw = try rawOnly.build()
        #expect(!raw.flags.contains(.hasSchema) && raw.flags.contains(.hasRawData))
        #expect(raw.rawData.map(Array.init) == [9])
        #expect(raw.schemaId == 0)
    }

    @Test func emptyObjectHasNoSchema() throws {
        let object = try BinaryObjectBuilder(typeName: "Empty").build()
        #expect(object.length == 24)
        #expect(object.flags == [.userType, .compactFooter])
        #expect(object.schemaId == 0)
        #expect(object.hashCode == 1)
        #expect(object.fieldCount == 0)
        // Header offset 20 is 24, as Java writes it.
        #expect(Array(object.bytes[20..<24]) == [24, 0, 0, 0])
        #expect(try object.fields(schemas: nil).isEmpty)
    }

    @Test func settingAFieldAgainKeepsItsPosition() throws {
        var builder = BinaryObjectBuilder(typeName: "Internal")
        builder.setField("str", .string("x"))
        builder.setField("id", .int(2))
        builder.setField("str", .string("lorem ipsum"))
        #expect(builder.fields.map(\.name) == ["str", "id"])
        let removed = builder.removeField("str")
        let removedAgain = builder.removeField("str")
        #expect(removed && !removedAgain)
        #expect(builder.field("id") == .int(2))
    }

    @Test func preEncodedAndTypedFieldsGiveTheSameBytes() throws {
        var builder = BinaryObjectBuilder(typeName: "Internal")
        try builder.setField("id", encodedValue: [3, 2, 0, 0, 0])
        try builder.setField("str", "lorem ipsum")
        #expect(Hex.string(try builder.build().bytes) == Vectors.internalCompact)
        for bad: [UInt8] in [[3, 2, 0], [3, 2, 0, 0, 0, 1], [], [0x7F]] {
            #expect(throws: IgniteError.self) {
                var copy = builder
                try copy.setField("bad", encodedValue: bad)
            }
        }
        #expect(builder.fields.count == 2)
    }

    @Test func streamingWriterMatchesBuilder() throws {
        var writer = BinaryWriter()
        writer.writeInt32(42)   // something before the object: offsets are relative to the object start
        var frame = writer.beginObject(typeId: JavaHash.typeId("Internal"))
        try writer.writeField(JavaHash.fieldId("id"), encodedValue: [3, 2, 0, 0, 0], in: &frame)
        try writer.beginField(JavaHash.fieldId("str"), in: &frame)
        writer.writeStringObject("lorem ipsum")
        var probe = writer
        var probeFrame = frame
        #expect(throws: IgniteError.self) { try probe.beginField(JavaHash.fieldId("id"), in: &probeFrame) }
        #expect(throws: IgniteError.self) { try probe.beginField(0, in: &probeFrame) }
        try writer.endObject(&frame, compactFooter: true)
        #expect(Hex.string(writer.bytes.dropFirst(4)) == Vectors.internalCompact)
    }

    @Test func invalidIdsAreRejected() {
        #expect(throws: IgniteError.self) { try BinaryObjectBuilder(typeId: 0).build() }
        var builder = BinaryObjectBuilder(typeName: "T")
        builder.setField("", .int(1))   // the empty name hashes to 0
        #expect(throws: IgniteError.self) { try builder.build() }
        var writer = BinaryWriter()
        writer.writeInt8(1)
        do {
            try builder.write(into: &writer)
            Issue.record("a zero field id was accepted")
        } catch {
            #expect(error is IgniteError)
        }
        #expect(writer.bytes == [1])   // nothing half-written is left behind
    }

    @Test func toBuilderModifiesAFieldAndRebuilds() throws {
        let registry = try Vectors.registry()
        let person = try BinaryObject(bytes: Hex.bytes(Vectors.capPerson))
        var builder = try person.toBuilder(schemas: registry)
        #expect(builder.typeName == "CapPerson")
        #expect(builder.fields.map(\.name) == ["name", "age", "salary", "id", "address"])
        #expect(Hex.string(try builder.build().bytes) == Vectors.capPerson)
        builder.setField("age", .int(37))
        let older = try builder.build()
        #expect(try older.field("age", schemas: registry) == .int(37))
        #expect(try older.field("name", schemas: registry) == .string("Ada"))
        #expect(older.schemaId == person.schemaId)

        // A full-footer object can be rebuilt without metadata; names are then unknown.
        let full = try BinaryObject(bytes: Hex.bytes(Vectors.capFullFooter))
        var anonymous = try full.toBuilder(schemas: nil)
        #expect(anonymous.fields.map(\.name) == [nil, nil])
        #expect(anonymous.binaryType == nil)
        anonymous.setField("label", .string("nine"))
        #expect(try anonymous.build().field("label", schemas: nil) == .string("nine"))

        // A compact-footer object without its schema cannot.
        #expect(throws: IgniteError.self) { try person.toBuilder(schemas: nil) }
    }
}

/// A resolver that knows only one builder's schema.
struct BuilderSchemas: BinarySchemaResolver {
    let type: BinaryType?
    init(_ builder: BinaryObjectBuilder) { type = builder.binaryType }
    func schema(typeId: Int32, schemaId: Int32) -> [Int32]? {
        guard typeId == type?.typeId else { return nil }
        return type?.schema(id: schemaId)
    }
    func binaryType(typeId: Int32) -> BinaryType? { typeId == type?.typeId ? type : nil }
}

@Suite("Object hash code")
struct ObjectHashTests {
    @Test func unrolledHashEqualsJavaHashBytes() {
        var generator = SystemRandomNumberGenerator()
        for length in Array(0...40) + [127, 128, 129, 1000, 4099] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let fast = bytes.withUnsafeBufferPointer { BinaryObjectHash.javaBytes($0) }
            #expect(fast == JavaHash.bytes(bytes), "length \(length)")
        }
        let extremes: [UInt8] = Array(repeating: 0xFF, count: 77) + Array(repeating: 0x80, count: 33) + Array(repeating: 0x7F, count: 9)
        #expect(extremes.withUnsafeBufferPointer { BinaryObjectHash.javaBytes($0) } == JavaHash.bytes(extremes))
    }
}

@Suite("BinaryObjectBuilder edits")
struct ObjectBuilderEditTests {
    private func fresh(_ fields: [(String, IgniteValue)]) throws -> [UInt8] {
        var builder = BinaryObjectBuilder(typeName: "Edit")
        for (name, value) in fields { builder.setField(name, value) }
        return Array(try builder.build().bytes)
    }

    @Test func replacingAMiddleFieldKeepsTheSchemaOrder() throws {
        var builder = BinaryObjectBuilder(typeName: "Edit")
        builder.setField("a", .int(1))
        builder.setField("b", .string("two"))
        builder.setField("c", .long(3))
        builder.setField("a", .string("one, longer"))   // not the last: stored out of order, written in order
        let expected = try fresh([("a", .string("one, longer")), ("b", .string("two")), ("c", .long(3))])
        #expect(Array(try builder.build().bytes) == expected)
        #expect(builder.fields.map(\.typeCode) == [9, 9, 4])
        builder.setField("c", .int(30))                   // the last: replaced in place
        #expect(Array(try builder.build().bytes) == (try fresh([("a", .string("one, longer")), ("b", .string("two")), ("c", .int(30))])))
    }

    @Test func removingFieldsKeepsTheRest() throws {
        var builder = BinaryObjectBuilder(typeName: "Edit")
        builder.setField("a", .int(1))
        builder.setField("b", .int(2))
        builder.setField("c", .int(3))
        builder.removeField("b")
        #expect(Array(try builder.build().bytes) == (try fresh([("a", .int(1)), ("c", .int(3))])))
        builder.removeField("c")
        builder.setField("d", .int(4))
        #expect(Array(try builder.build().bytes) == (try fresh([("a", .int(1)), ("d", .int(4))])))
        #expect(builder.field("b") == nil && builder.field("d") == .int(4))
    }

    @Test func typedFieldsRecordNestedTypes() throws {
        var builder = BinaryObjectBuilder(typeName: "Holder")
        try builder.setField("inner", Internal(id: 2, str: "lorem ipsum"))
        try builder.setField("missing", Int32?.none)
        var types = BinaryTypeCollector()
        let object = try builder.build(types: &types)
        #expect(types.types.map(\.typeName) == ["Internal", "Holder"])
        #expect(types.types.last?.fields.map(\.typeCode) == [103, 3])   // the null records Int32's code
        let registry = BinaryTypeRegistry()
        try registry.register(contentsOf: types)
        guard case .object(let inner)? = try object.field("inner", schemas: registry) else {
            Issue.record("no nested object")
            return
        }
        #expect(Hex.string(inner.bytes) == Vectors.internalCompact)
    }
}
