import Foundation
import Testing
@testable import IgniteBinary

/// Every complex object of the pyignite golden vectors (`Tests/Vectors/values.json`, `object.*`) rebuilt from its
/// JSON description with ``BinaryObjectBuilder`` gives pyignite's bytes exactly (compact and full footers, nested objects,
/// nulls, all primitives and standard types, 2- and 4-byte offsets, non-ASCII names) — except where pyignite's footer
/// width rule differs from Java's, which is checked separately.
@Suite("BinaryObjectBuilder against the pyignite golden objects")
struct ObjectGoldenTests {
    static let objects = GoldenVectors.values.filter { $0.name.hasPrefix("object.") }

    /// The vector whose bytes follow pyignite's `max offset < 255` rule instead of Java's `last offset < 256`.
    static let pyigniteWidthQuirk = "object.offset255.compact"

    /// Builds the value a golden JSON node describes, complex objects (also inside containers) with the builder.
    static func value(_ json: JSON) throws -> IgniteValue {
        switch json["t"]?.string {
        case "object":
            return .object(try object(json).build())
        case "collection":
            let kind = try GoldenValueBuilder.require(CollectionKind(rawValue: try GoldenValueBuilder.narrow(json["kind"])), json)
            return .collection(IgniteCollection(try GoldenValueBuilder.list(json["v"]).map(value), kind: kind))
        case "objectArray":
            return .objectArray(IgniteObjectArray(try GoldenValueBuilder.list(json["v"]).map(value),
                                                  elementTypeId: try GoldenValueBuilder.narrow(json["typeId"]),
                                                  className: json["className"]?.string))
        case "map":
            let kind = try GoldenValueBuilder.require(MapKind(rawValue: try GoldenValueBuilder.narrow(json["kind"])), json)
            let entries = try GoldenValueBuilder.list(json["v"]).map { pair -> IgniteMapEntry in
                let items = try GoldenValueBuilder.list(pair)
                guard items.count == 2 else { throw GoldenError("map entry \(pair)") }
                return IgniteMapEntry(try value(items[0]), try value(items[1]))
            }
            return .map(IgniteMap(entries, kind: kind))
        default:
            return try GoldenValueBuilder.build(json)
        }
    }

    static func object(_ json: JSON) throws -> BinaryObjectBuilder {
        let typeName = try GoldenValueBuilder.require(json["typeName"]?.string, json)
        var builder = BinaryObjectBuilder(typeName: typeName, compactFooter: json["compactFooter"]?.bool ?? true)
        #expect(builder.typeId == (try GoldenValueBuilder.narrow(json["typeId"])), "type id of \(typeName)")
        for field in try GoldenValueBuilder.list(json["fields"]) {
            let name = try GoldenValueBuilder.require(field["name"]?.string, field)
            #expect(JavaHash.fieldId(name) == (try GoldenValueBuilder.narrow(field["fieldId"])), "field id of \(name)")
            builder.setField(name, try value(try GoldenValueBuilder.require(field["value"], field)))
        }
        return builder
    }

    @Test func thereAreGoldenObjects() {
        #expect(Self.objects.count >= 20)
    }

    @Test(arguments: objects)
    func builderReproducesPyigniteBytes(_ vector: GoldenValueVector) throws {
        let built = try Self.object(vector.value).build()
        if vector.name == Self.pyigniteWidthQuirk {
            // pyignite: 2-byte offsets for a last offset of 255; Java (and this builder): 1 byte. Same fields and hash.
            let pyignite = try BinaryObject(bytes: vector.bytes)
            #expect(pyignite.offsetSize == 2 && built.offsetSize == 1)
            #expect(try built.fieldOffset(at: built.fieldCount - 1) == 255)
            #expect(built.hashCode == pyignite.hashCode && built.schemaId == pyignite.schemaId)
            #expect(Array(built.bytes[24..<(built.footerOffset)]) == Array(pyignite.bytes[24..<(pyignite.footerOffset)]))
            #expect(built.length == pyignite.length - built.fieldCount)
        } else {
            #expect(Hex.string(built.bytes) == Hex.string(vector.bytes), "\(vector.name)")
        }
        if let javaHash = vector.javaHash { #expect(built.hashCode == javaHash) }
    }

    @Test(arguments: objects)
    func toBuilderRoundTripsFullFooters(_ vector: GoldenValueVector) throws {
        let object = try BinaryObject(bytes: vector.bytes)
        guard !object.hasCompactFooter, vector.name != Self.pyigniteWidthQuirk else { return }
        // Full footers carry their field ids: decode every field and write the object again, without metadata.
        #expect(Hex.string(try object.toBuilder(schemas: nil).build().bytes) == Hex.string(vector.bytes), "\(vector.name)")
    }
}
