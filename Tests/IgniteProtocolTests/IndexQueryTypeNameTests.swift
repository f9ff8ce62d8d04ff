import Foundation
import Testing
@testable import IgniteProtocol

/// The value type name of OP_QUERY_INDEX (2008) on the wire. The two server families resolve it differently:
/// GridGain 8 (`processors/query/GridQueryProcessor.queryIndex` → `typeName(cacheName, type)`, a `typesByName` lookup by
/// the descriptor name, i.e. `QueryUtils.typeName` of the entity's value type) needs the SIMPLE name; a real GridGain
/// 8.10 cluster given `swift.test.IndexedPerson` answers status 1 "Failed to find SQL table for type:
/// swift.test.IndexedPerson". Apache Ignite (`cache/query/index/IndexQueryProcessor.findSortedIndex` →
/// `GridQueryProcessor.tableName(cacheName, valType)`, by binary type id) needs the full name.
@Suite("Index query value type names")
struct IndexQueryTypeNameTests {
    static let apache = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.indexQuery]))
    static let gridGain = ProtocolContext(version: .v1_7_1, features: ProtocolFeatures([.indexQuery, .serviceInvokeCallContextGridGain]))

    @Test(arguments: [
        ("swift.test.IndexedPerson", "IndexedPerson"),
        ("org.example.Outer$Inner", "Inner"),
        ("Person", "Person"),
        ("org.example.Person[]", "Person_array"),
        ("System.Collections.Generic.List`1[[System.Int32]]", "List"),
        ("Ns.Outer+Inner", "Inner"),
        ("trailing.dot.", "trailing.dot."),
    ])
    func simpleTypeNameIsQueryUtilsTypeName(_ name: String, _ expected: String) {
        #expect(QueryIndexRequest.simpleTypeName(name) == expected)
    }

    /// `CacheInfo(cacheId: 1)` with KEEP_BINARY (always: `ClientCacheIndexQueryRequest.process` otherwise deserializes
    /// values into Java classes), page 1024, not local, all partitions, the type name, no index, no criteria, no filter.
    private static func hex(typeName: String) -> String {
        let name = Array(typeName.utf8)
        let body = "01000000" + "01" + "00040000" + "00" + "ffffffff"
            + "09" + String(format: "%02x000000", name.count) + name.map { String(format: "%02x", $0) }.joined()
            + "65" + "65" + "65"
        let length = 2 + 8 + body.count / 2
        return String(format: "%02x000000", length) + "d807" + "0700000000000000" + body
    }

    @Test func gridGainGetsTheSimpleNameApacheTheFullOne() throws {
        let request = QueryIndexRequest(cache: CacheInfo(cacheId: 1), valueType: "swift.test.IndexedPerson")
        #expect(try RequestFraming.frame(request, requestId: 7, context: Self.gridGain) == Hex.decode(Self.hex(typeName: "IndexedPerson")))
        #expect(try RequestFraming.frame(request, requestId: 7, context: Self.apache) == Hex.decode(Self.hex(typeName: "swift.test.IndexedPerson")))
    }
}
