import Foundation
import Testing
@testable import IgniteBinary

/// Every vector of `Tests/Vectors/values.json` (pyignite 0.6.1): decode, compare with the JSON value, re-encode
/// byte for byte, and check the Java hash code both ways.
@Suite("Golden values (pyignite 0.6.1)")
struct GoldenValueTests {
    /// Vectors whose bytes a Java-exact encoder deliberately does not reproduce, with the bytes it writes instead.
    /// pyignite keeps the sign of a negative zero (magnitude byte 0x80); Java reads it as BigDecimal 0 and writes 0x00.
    static let canonicalReencodings: [String: String] = [
        "decimal.negative_zero": "1e000000000100000000",
    ]

    @Test func vectorsAreLoaded() {
        #expect(GoldenVectors.values.count >= 200, "Tests/Vectors/values.json is missing or short")
        #expect(Set(GoldenVectors.values.map(\.name)).count == GoldenVectors.values.count, "vector names are unique")
    }

    @Test(arguments: GoldenVectors.values)
    func decodesComparesAndReencodes(vector: GoldenValueVector) throws {
        var reader = BinaryReader(vector.bytes)
        let decoded = try reader.readValue()
        #expect(reader.isAtEnd, "decoding consumed \(reader.position) of \(vector.bytes.count) byte(s)")
        try expectMatches(decoded, vector.value, path: vector.name)

        // Re-encoding the decoded value gives the same bytes.
        let expectedBytes = GoldenValueTests.canonicalReencodings[vector.name].map(hexBytes) ?? vector.bytes
        #expect(encode(decoded) == expectedBytes, "re-encoding differs")

        // Values without complex objects can also be built from the JSON and encoded from scratch.
        if let built = try? GoldenValueBuilder.build(vector.value) {
            #expect(encode(built) == expectedBytes, "encoding the JSON value differs")
        }
    }

    @Test(arguments: GoldenVectors.values)
    func javaHashCodeBothWays(vector: GoldenValueVector) throws {
        var reader = BinaryReader(vector.bytes)
        let decoded = try reader.readValue()
        #expect(decoded.javaHashCode == vector.javaHash)
        #expect(try JavaHash.keyHashCode(ofEncoded: vector.bytes) == vector.javaHash)
        // Where pyignite's own hash differs from Java's, the vector explains why; we always follow Java.
        if let pyignite = vector.pyigniteHash, let java = vector.javaHash, pyignite != Int64(java) {
            #expect(vector.note != nil, "pyignite and Java hashes differ without a note")
        }
        // A wrapped (27) copy of the key hashes the same.
        let wrapped: [UInt8] = [27] + le32(vector.bytes.count) + vector.bytes + le32(0)
        #expect(try JavaHash.keyHashCode(ofEncoded: wrapped) == vector.javaHash)
    }

    /// Compares a decoded value with its JSON description, structurally for objects and containers.
    private func expectMatches(_ value: IgniteValue, _ json: JSON, path: String) throws {
        let tag = try GoldenValueBuilder.require(json["t"]?.string, json)
        switch tag {
        case "object":
            guard case .object(let object) = value else {
                Issue.record("\(path): expected an object, decoded \(value.typeCode)")
                return
            }
            #expect(object.typeId == (try GoldenValueBuilder.narrow(json["typeId"])), "\(path).typeId")
            #expect(object.schemaId == (try GoldenValueBuilder.narrow(json["schemaId"])), "\(path).schemaId")
            #expect(object.hashCode == (try GoldenValueBuilder.narrow(json["hashCode"])), "\(path).hashCode")
            #expect(object.hasCompactFooter == json["compactFooter"]?.bool, "\(path).compactFooter")
            // The header hash is the identity hash of the field bytes.
            let fieldBytes = object.storage[(object.start + object.dataOffset)..<(object.start + object.footerOffset)]
            #expect(JavaHash.objectHashCode(fieldBytes: fieldBytes) == object.hashCode, "\(path): header hash")
            let fields = try GoldenValueBuilder.list(json["fields"])
            let schema: [Int32] = try fields.map { try GoldenValueBuilder.narrow($0["fieldId"]) }
            #expect(object.fieldCount == fields.count, "\(path): field count")
            #expect(JavaHash.schemaId(schema) == object.schemaId, "\(path): schema id of the field ids")
            if !object.hasCompactFooter { #expect(object.footerFieldIds == schema, "\(path): footer field ids") }
            for (field, fieldId) in zip(fields, schema) {
                let name = try GoldenValueBuilder.require(field["name"]?.string, field)
                #expect(JavaHash.fieldId(name) == fieldId, "\(path).\(name): field id")
                guard let fieldValue = try object.value(forFieldId: fieldId, schema: schema) else {
                    Issue.record("\(path).\(name): missing")
                    continue
                }
                try expectMatches(fieldValue, try GoldenValueBuilder.require(field["value"], field), path: "\(path).\(name)")
            }
        case "objectArray":
            guard case .objectArray(let array) = value else {
                Issue.record("\(path): expected an object array, decoded \(value.typeCode)")
                return
            }
            #expect(array.elementTypeId == (try GoldenValueBuilder.narrow(json["typeId"])), "\(path).typeId")
            try expectElements(array.elements, json, path: path)
        case "collection":
            guard case .collection(let collection) = value else {
                Issue.record("\(path): expected a collection, decoded \(value.typeCode)")
                return
            }
            #expect(collection.kind.rawValue == (try GoldenValueBuilder.narrow(json["kind"])), "\(path).kind")
            try expectElements(collection.elements, json, path: path)
        case "map":
            guard case .map(let map) = value else {
                Issue.record("\(path): expected a map, decoded \(value.typeCode)")
                return
            }
            #expect(map.kind.rawValue == (try GoldenValueBuilder.narrow(json["kind"])), "\(path).kind")
            let pairs = try GoldenValueBuilder.list(json["v"])
            #expect(map.entries.count == pairs.count, "\(path): entry count")
            for (index, (entry, pair)) in zip(map.entries, pairs).enumerated() {
                let items = try GoldenValueBuilder.list(pair)
                guard items.count == 2 else { throw GoldenError("\(path): map entry \(pair)") }
                try expectMatches(entry.key, items[0], path: "\(path)[\(index)].key")
                try expectMatches(entry.value, items[1], path: "\(path)[\(index)].value")
            }
        default:
            let expected = try GoldenValueBuilder.build(json)
            if value != expected {
                // NaN payloads compare unequal as numbers: then the bit patterns must agree.
                #expect(containsNaN(value) && encode(value) == encode(expected), "\(path): decoded \(value), expected \(expected)")
            }
        }
    }

    private func expectElements(_ elements: [IgniteValue], _ json: JSON, path: String) throws {
        let items = try GoldenValueBuilder.list(json["v"])
        #expect(elements.count == items.count, "\(path): element count")
        for (index, (element, item)) in zip(elements, items).enumerated() {
            try expectMatches(element, item, path: "\(path)[\(index)]")
        }
    }

    private func containsNaN(_ value: IgniteValue) -> Bool {
        switch value {
        case .float(let v): v.isNaN
        case .double(let v): v.isNaN
        case .floatArray(let v): v.contains { $0.isNaN }
        case .doubleArray(let v): v.contains { $0.isNaN }
        default: false
        }
    }
}
