import Foundation
import Testing
@testable import IgniteBinary

@Suite("BinaryObject lazy field access")
struct ObjectFieldAccessTests {
    @Test func compactFooterFieldsByNameWithRegistry() throws {
        let registry = try Vectors.registry()
        let person = try BinaryObject(bytes: Hex.bytes(Vectors.capPerson))
        #expect(try person.field("name", schemas: registry) == .string("Ada"))
        #expect(try person.field("AGE", schemas: registry) == .int(36))   // ids are lower-cased hashes
        #expect(try person.field("salary", schemas: registry) == .double(1234.5))
        #expect(try person.field("id", schemas: registry) == .uuid(UUID(igniteMSB: 1, lsb: 2)))
        #expect(try person.field("missing", schemas: registry) == nil)
        guard case .object(let address)? = try person.field("address", schemas: registry) else {
            Issue.record("address is not an object")
            return
        }
        #expect(try address.field("street", schemas: registry) == .string("Main St"))
        #expect(try address.field("zip", as: Int32.self, schemas: registry) == 12345)
        #expect(try address.field("zip", as: Int64.self, schemas: registry) == 12345)   // widening
        #expect(throws: IgniteError.self) { try address.field("zip", as: String.self, schemas: registry) }
        #expect(try person.field("age", as: Int32?.self, schemas: registry) == .some(36))
        #expect(person.typeName(schemas: registry) == "CapPerson")

        let fields = try person.fields(schemas: registry)
        #expect(fields.map(\.name) == ["name", "age", "salary", "id", "address"])
        #expect(fields.map(\.id) == ["name", "age", "salary", "id", "address"].map(JavaHash.fieldId))
        #expect(fields[1].value == .int(36))
    }

    @Test func compactFooterWithoutSchemaNamesWhatToFetch() throws {
        let person = try BinaryObject(bytes: Hex.bytes(Vectors.capPerson))
        do {
            _ = try person.field("name", schemas: nil)
            Issue.record("read a compact footer without its schema")
        } catch let error as IgniteError {
            #expect(error.code == .binaryType)
            #expect(error.message.contains("\(person.typeId)"))
            #expect(error.message.contains("\(person.schemaId)"))
        }
        // A registry that knows the type but not this schema says so.
        let registry = BinaryTypeRegistry()
        try registry.register(BinaryType(typeId: person.typeId, typeName: "CapPerson", fields: [.init(name: "name", typeCode: 9)]))
        do {
            _ = try person.fields(schemas: registry)
            Issue.record("read with the wrong schema")
        } catch let error as IgniteError {
            #expect(error.code == .binaryType)
            #expect(error.message.contains("'CapPerson'"))
        }
    }

    @Test func schemaWithWrongFieldCountIsABinaryTypeError() throws {
        let flat = try BinaryObject(bytes: Hex.bytes(Vectors.capFlatSeven))
        let registry = BinaryTypeRegistry()
        try registry.register(BinaryType(typeId: flat.typeId, typeName: "CapFlat", fields: [],
                                         schemas: [BinaryType.Schema(fieldIds: [1, 2, 3], schemaId: flat.schemaId)]))
        #expect(throws: IgniteError.self) { try flat.field("id", schemas: registry) }
    }

    @Test func fullFooterNeedsNoMetadata() throws {
        let full = try BinaryObject(bytes: Hex.bytes(Vectors.capFullFooter))
        #expect(!full.hasCompactFooter)
        #expect(try full.field("id", schemas: nil) == .int(8))
        #expect(try full.field("label", schemas: nil) == .string("eight"))
        #expect(try full.field("nope", schemas: nil) == nil)
        let fields = try full.fields(schemas: nil)
        #expect(fields.map(\.name) == [nil, nil])
        #expect(fields.map(\.value) == [.int(8), .string("eight")])
        let named = try full.fields(schemas: try Vectors.registry())
        #expect(named.map(\.name) == ["id", "label"])
    }

    @Test func nullFieldReadsAsNull() throws {
        let flat = try BinaryObject(bytes: Hex.bytes(Vectors.capFlatNull))
        let registry = try Vectors.registry()
        #expect(try flat.field("label", schemas: registry) == .null)
        #expect(try flat.field("label", as: String?.self, schemas: registry) == .some(nil))
        #expect(throws: IgniteError.self) { try flat.field("label", as: String.self, schemas: registry) }
    }

    @Test func mutatedBytesNeverCrash() throws {
        let registry = try Vectors.registry()
        let original = Hex.bytes(Vectors.capPerson)
        for index in original.indices {
            for delta: UInt8 in [1, 0x7F, 0xFF] {
                var bytes = original
                bytes[index] &+= delta
                guard let object = try? BinaryObject(bytes: bytes) else { continue }
                _ = try? object.fields(schemas: registry)
                _ = try? object.field("address", as: BinaryObject.self, schemas: registry)?.fields(schemas: registry)
                _ = try? object.toBuilder(schemas: registry).build()
            }
        }
        for cut in 0..<original.count {
            #expect(throws: IgniteError.self) { try BinaryObject(bytes: Array(original[..<cut])) }
        }
    }
}

@Suite("Field id fast path")
struct ObjectFieldIdTests {
    @Test func asciiFastPathEqualsJavaHash() {
        let names = ["", "a", "Z", "id", "accountId", "ACCOUNT_ID", "@[`{", "name with spaces", "Ünïcödé", "имя", "名前", "e\u{301}",
                     "😀x", String(repeating: "LongFieldName", count: 20)]
        for name in names {
            #expect(JavaHash.asciiFastFieldId(name) == JavaHash.fieldId(name), "\(name)")
        }
        for byte in UInt8(0)..<0x80 {
            let name = String(decoding: [byte, 0x41, byte], as: UTF8.self)
            #expect(JavaHash.asciiFastFieldId(name) == JavaHash.fieldId(name))
        }
    }
}

@Suite("Resolved field access")
struct ObjectResolvedFieldTests {
    @Test func resolvedFieldsReadByNameAndType() throws {
        let registry = try Vectors.registry()
        let person = try BinaryObject(bytes: Hex.bytes(Vectors.capPerson)).resolvedFields(schemas: registry)
        #expect(person.fieldIds.count == 5)
        #expect(try person.value("name") == .string("Ada"))
        #expect(try person.value("nope") == nil)
        #expect(try person.value("age", as: Int64.self) == 36)
        #expect(throws: IgniteError.self) { try person.value("age", as: String.self) }
        let address = try #require(try person.value("address", as: BinaryObject.self))
        #expect(try address.resolvedFields(schemas: registry).value("zip", as: Int32.self) == 12345)
        #expect(throws: IgniteError.self) { try BinaryObject(bytes: Hex.bytes(Vectors.capPerson)).resolvedFields(schemas: nil) }
    }
}
