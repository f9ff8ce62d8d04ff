import Foundation
import Testing
@testable import IgniteBinary

@Suite("Value round trips")
struct ValueRoundTripTests {
    private func roundTrip(_ value: IgniteValue) throws -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeValue(value)
        var reader = BinaryReader(writer.bytes)
        let decoded = try reader.readValue()
        #expect(decoded == value)
        #expect(reader.isAtEnd)
        return writer.bytes
    }

    @Test func primitivesUseLittleEndian() throws {
        #expect(try roundTrip(.int(1)) == [3, 1, 0, 0, 0])
        #expect(try roundTrip(.long(-1)) == [4] + Array(repeating: 0xFF, count: 8))
        #expect(try roundTrip(.short(0x0102)) == [2, 2, 1])
        #expect(try roundTrip(.string("ab")) == [9, 2, 0, 0, 0, 0x61, 0x62])
        #expect(try roundTrip(.null) == [101])
    }

    @Test func decimalMatchesPyigniteVector() throws {
        // -234.567 → 1e 03000000 03000000 839447 (PROTOCOL-FACTS §7.5)
        let value = IgniteValue.decimal(IgniteDecimal(unscaled: -234_567, scale: 3))
        #expect(try roundTrip(value) == [0x1E, 3, 0, 0, 0, 3, 0, 0, 0, 0x83, 0x94, 0x47])
    }

    @Test func containersRoundTrip() throws {
        let map = IgniteValue.map(IgniteMap([IgniteMapEntry(.string("k"), .collection(IgniteCollection([.int(1), .null], kind: .linkedList)))], kind: .linkedHashMap))
        _ = try roundTrip(map)
        _ = try roundTrip(.objectArray(IgniteObjectArray([.string("x"), .uuid(UUID())])))
        _ = try roundTrip(.stringArray(["a", nil, "ü"]))
        _ = try roundTrip(.enumArray(IgniteEnumArray([IgniteEnum(typeId: 5, ordinal: 1), nil], elementTypeId: 5)))
    }

    @Test func truncatedInputIsATypedError() {
        var reader = BinaryReader([4, 1, 2])
        #expect(throws: IgniteError.self) { try reader.readValue() }
        var hostile = BinaryReader([12, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: IgniteError.self) { try hostile.readValue() }
    }

    @Test func objectMatchesPyigniteVector() throws {
        let hex = "67012b00bdc6ff211dd864c72f00000067fd4dc72d000000030200000009" +
            "0b0000006c6f72656d20697073756d181d"
        let bytes = stride(from: 0, to: hex.count, by: 2).compactMap { i -> UInt8? in
            let start = hex.index(hex.startIndex, offsetBy: i)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)
        }
        var reader = BinaryReader(bytes)
        guard case .object(let object) = try reader.readValue() else {
            Issue.record("not an object")
            return
        }
        #expect(object.typeId == JavaHash.typeId("Internal"))
        #expect(object.schemaId == JavaHash.schemaId([JavaHash.fieldId("id"), JavaHash.fieldId("str")]))
        #expect(object.hashCode == JavaHash.bytes(bytes[24..<45]))
        let schema = [JavaHash.fieldId("id"), JavaHash.fieldId("str")]
        #expect(try object.value(forFieldId: JavaHash.fieldId("str"), schema: schema) == .string("lorem ipsum"))
        #expect(try object.value(forFieldId: JavaHash.fieldId("id"), schema: schema) == .int(2))
    }
}
