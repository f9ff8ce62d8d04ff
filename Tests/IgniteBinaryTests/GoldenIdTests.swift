import Foundation
import Testing
@testable import IgniteBinary

/// `Tests/Vectors/ids.json` (pyignite 0.6.1): type and field ids, cache ids and schema ids, with Java semantics.
@Suite("Golden ids (pyignite 0.6.1)")
struct GoldenIdTests {
    private static func document() throws -> JSON { try GoldenVectors.load("ids.json") }

    @Test func typeFieldAndCacheIds() throws {
        let names = try GoldenValueBuilder.list(Self.document()["names"])
        #expect(names.count >= 40)
        for entry in names {
            let name = try GoldenValueBuilder.require(entry["name"]?.string, entry)
            let entityId: Int32 = try GoldenValueBuilder.narrow(entry["entity_id"])
            let cacheId: Int32 = try GoldenValueBuilder.narrow(entry["cache_id"])
            #expect(JavaHash.typeId(name) == entityId, "type id of \(name)")
            #expect(JavaHash.fieldId(name) == entityId, "field id of \(name)")
            #expect(JavaHash.cacheId(name) == cacheId, "cache id of \(name)")
            // Where pyignite differs (code points, Python lower-casing), the vector says why.
            let pyEntity: Int32 = try GoldenValueBuilder.narrow(entry["pyignite_entity_id"])
            let pyCache: Int32 = try GoldenValueBuilder.narrow(entry["pyignite_cache_id"])
            if pyEntity != entityId || pyCache != cacheId { #expect(entry["note"] != nil, "\(name): difference without a note") }
        }
    }

    @Test func schemaIds() throws {
        let schemas = try GoldenValueBuilder.list(Self.document()["schemas"])
        #expect(schemas.count >= 10)
        for entry in schemas {
            let names = try GoldenValueBuilder.list(entry["fields"]).map { try GoldenValueBuilder.require($0.string, $0) }
            let fieldIds: [Int32] = try GoldenValueBuilder.list(entry["field_ids"]).map { try GoldenValueBuilder.narrow($0) }
            let schemaId: Int32 = try GoldenValueBuilder.narrow(entry["schema_id"])
            let pyigniteSchemaId: Int32 = try GoldenValueBuilder.narrow(entry["pyignite_schema_id"])
            #expect(names.map(JavaHash.fieldId) == fieldIds, "field ids of \(names)")
            // The Java writer's running FNV-1 value, field by field.
            let folded = fieldIds.reduce(JavaHash.schemaInitialId) { JavaHash.updateSchemaId($0, fieldId: $1) }
            #expect(folded == schemaId, "schema id of \(names)")
            if fieldIds.isEmpty {
                // With no fields the client writes 0, as pyignite does (readers ignore it without HAS_SCHEMA).
                #expect(JavaHash.schemaId(fieldIds) == pyigniteSchemaId)
                #expect(entry["note"] != nil)
            } else {
                #expect(JavaHash.schemaId(fieldIds) == schemaId, "schema id of \(names)")
            }
        }
    }
}
