import Foundation
import Testing
@testable import IgniteProtocol

/// Response bodies written from the layouts of PROTOCOL-FACTS §5 by an independent script decode to the values the
/// layout describes, consume the whole body, and (server direction) encode back to the same bytes. These cover the
/// bodies that otherwise only the capture files hold (5100–5102, 1100, 1101, 3000–3004, 2004/2005, idle timeout).
@Suite("Golden response bodies")
struct GoldenResponseTests {
    static let context = GoldenFrameTests.full
    static let node1 = GoldenFrameTests.node1
    static let node2 = GoldenFrameTests.node2

    /// Decodes `hex` with the request's decoder, checks the value and that the body is consumed, and re-encodes it.
    private func check<R: IgniteServerCodableRequest>(_ request: R, _ hex: String, _ expected: R.Response,
                                                      sourceLocation: SourceLocation = #_sourceLocation) throws where R.Response: Equatable {
        let body = try Hex.decode(hex)
        var reader = BinaryReader(body)
        let value = try request.decodeResponse(from: &reader, context: Self.context)
        #expect(value == expected, sourceLocation: sourceLocation)
        #expect(reader.isAtEnd, "\(reader.remaining) byte(s) unread", sourceLocation: sourceLocation)
        var writer = BinaryWriter()
        try request.encodeResponse(expected, into: &writer, context: Self.context)
        #expect(Hex.encode(writer.bytes) == hex, sourceLocation: sourceLocation)
        for cut in 0..<body.count {
            var short = BinaryReader(Array(body[..<cut]))
            #expect(throws: IgniteError.self, "cut at \(cut)", sourceLocation: sourceLocation) {
                _ = try request.decodeResponse(from: &short, context: Self.context)
            }
        }
    }

    @Test func generalAndBinaryConfiguration() throws {
        try check(GetIdleTimeoutRequest(), "3075000000000000", 30_000)
        try check(GetBinaryTypeNameRequest(typeId: 99), "09070000006f72672e782e59", "org.x.Y")
        try check(RegisterBinaryTypeNameRequest(typeId: 99, typeName: "org.x.Y"), "01", true)
        try check(BinaryConfigurationGetRequest(), "0101", BinaryConfiguration(compactFooter: true, nameMapperMode: .basicSimple))
        try check(CacheGetSizeRequest(cache: GoldenFrameTests.cache), "cb04fb711f010000", 1_234_567_890_123)
        try check(ClusterChangeWALStateRequest(cacheName: "golden", enable: true), "01", true)
    }

    @Test func clusterGroupNodeIds() throws {
        try check(ClusterGroupGetNodeIdsRequest(knownTopologyVersion: 5), "00", nil)
        try check(ClusterGroupGetNodeIdsRequest(),
                  "01050000000000000002000000614a720033f738a47f7e11fe533ed6b401000000000000000200000000000000",
                  ClusterGroupNodeIds(topologyVersion: 5, nodeIds: [Self.node1, Self.node2]))
    }

    @Test func clusterGroupNodeInfo() throws {
        let version = ClusterNodeVersion(major: 8, minor: 9, maintenance: 1, stage: "SNAPSHOT", revisionTimestamp: 1_700_000_000_000,
                                         revisionHash: [0xDE, 0xAD])
        let node = ClusterNode(id: Self.node1, attributes: [ClusterNodeAttribute(name: "org.apache.ignite.build.ver", value: .string("8.9.0")),
                                                            ClusterNodeAttribute(name: "role", value: .int(7))],
                               addresses: ["127.0.0.1", "10.0.0.5"], hostNames: ["node1"], order: 3, isLocal: true,
                               consistentId: .string("consistent-1"), version: version)
        let hex = "010000000a614a720033f738a47f7e11fe533ed6b402000000091b0000006f72672e6170616368652e69676e6974652e6275696c642e766572"
            + "0905000000382e392e300904000000726f6c65030700000018020000000109090000003132372e302e302e31090800000031302e302e302e35"
            + "18010000000109050000006e6f6465310300000000000000010000090c000000636f6e73697374656e742d310809010908000000534e415053"
            + "484f540068e5cf8b0100000c02000000dead"
        try check(ClusterGroupGetNodeInfoRequest(nodeIds: [Self.node1]), hex, [node])
        #expect(node.attribute("role") == .int(7))
        #expect(node.version.description == "8.9.1-SNAPSHOT")
    }

    @Test func clusterGroupNodeEndpoints() throws {
        let hex = "060000000000000001000000614a720033f738a47f7e11fe533ed6b4302a00000200000009090000003132372e302e302e310905000000686f737431"
            + "0100000001000000000000000200000000000000"
        try check(ClusterGroupGetNodeEndpointsRequest(), hex,
                  ClusterTopologyChanges(topologyVersion: 6, added: [ClusterNodeEndpoints(nodeId: Self.node1, port: 10_800, addresses: ["127.0.0.1", "host1"])],
                                         removed: [Self.node2]))
    }

    @Test func partitionMapsOldAndNewLayouts() throws {
        let old = "02000000302a00000100000009090000003132372e302e302e31020000000000000003000000312a000000000000020000000200000001000000"
        var reader = BinaryReader(try Hex.decode(old))
        let nodes = try CacheNodePartitionsRequest(cacheId: 1).decodeResponse(from: &reader, context: Self.context)
        #expect(reader.isAtEnd)
        #expect(nodes == CacheNodePartitionsResponse(nodes: [.init(port: 10_800, addresses: ["127.0.0.1"], partitions: [0, 3]),
                                                             .init(port: 10_801, addresses: [], partitions: [2, 1])]))
        #expect(nodes.partitionCount == 4)
        var writer = BinaryWriter()
        nodes.encode(into: &writer)
        #expect(Hex.encode(writer.bytes) == old)

        let new = "07000000000000000100000002000000010100000009f511b6010000006f000000de000000020000000a614a720033f738a47f7e11fe533ed6b4"
            + "0200000000000000020000000a010000000000000002000000000000000200000001000000030000000001000000b3ffffff"
        let cacheId = JavaHash.cacheId("golden")
        reader = BinaryReader(try Hex.decode(new))
        let map = try CachePartitionsRequest(cacheId: cacheId).decodeResponse(from: &reader, context: Self.context)
        #expect(reader.isAtEnd)
        #expect(map == CachePartitionsResponse(topologyVersion: AffinityTopologyVersion(major: 7, minor: 1), groups: [
            .init(isApplicable: true, caches: [.init(cacheId: cacheId, keyConfigurations: [.init(keyTypeId: 111, affinityKeyFieldId: 222)])],
                  nodes: [.init(nodeId: Self.node1, partitions: [0, 2]), .init(nodeId: Self.node2, partitions: [1, 3])]),
            .init(isApplicable: false, caches: [.init(cacheId: -77)]),
        ]))
        writer = BinaryWriter()
        map.encode(into: &writer, context: Self.context)
        #expect(Hex.encode(writer.bytes) == new)
    }

    @Test func queryPages() throws {
        let first = SQLFieldsFirstPage(cursorId: 12, columnCount: 2, fieldNames: ["ID", "NAME"],
                                       page: CursorPage(rows: [[.int(1), .string("a")], [.int(2), .null]], hasMore: true))
        try check(QuerySQLFieldsRequest(sql: "SELECT ID, NAME FROM T", includeFieldNames: true),
                  "0c00000000000000020000000902000000494409040000004e414d4502000000030100000009010000006103020000006501", first)
        try check(QuerySQLFieldsCursorGetPageRequest(cursorId: 12, columnCount: 2), "01000000030300000009010000006300",
                  CursorPage(rows: [[.int(3), .string("c")]], hasMore: false))
        try check(QueryScanRequest(cache: GoldenFrameTests.cache), "010000000000000001000000042a0000000000000009010000007601",
                  QueryFirstPage(cursorId: 1, page: CursorPage(rows: [CacheEntry(key: .long(42), value: .string("v"))], hasMore: true)))
        try check(QueryScanCursorGetPageRequest(cursorId: 1), "01000000042a0000000000000009010000007600",
                  CursorPage(rows: [CacheEntry(key: .long(42), value: .string("v"))], hasMore: false))
    }

    @Test func emptyResponsesReadNothing() throws {
        for request in [CachePutAllConflictRequest(cache: GoldenFrameTests.cache, entries: []) as any IgniteRequest,
                        CacheRemoveAllConflictRequest(cache: GoldenFrameTests.cache, entries: []),
                        HeartbeatRequest(), ResourceCloseRequest(resourceId: 1), CachePutRequest(cache: GoldenFrameTests.cache,
                                                                                                   key: GoldenFrameTests.key, value: .null)] {
            var reader = BinaryReader([0xAA])
            _ = try request.decodeResponse(from: &reader, context: Self.context)
            #expect(reader.remaining == 1, "\(request.opCode)")
        }
    }
}
