import Foundation
import Testing
@testable import IgniteProtocol

@Suite("OP_CACHE_PARTITIONS (1101) and OP_CACHE_NODE_PARTITIONS (1100)")
struct PartitionsMessageTests {
    static let capPart = JavaHash.cacheId("capPart")
    static let capRepl = JavaHash.cacheId("capRepl")
    static let capKeyCfg = JavaHash.cacheId("capKeyCfg")
    static let capAff32 = JavaHash.cacheId("capAff32")

    /// Decodes a captured response frame: header, then the 1101 body, which must be consumed exactly.
    static func decode1101(_ frame: PartitionCaptureFrame) throws -> (ResponseHeader, CachePartitionsResponse) {
        var reader = BinaryReader(frame.bytes, position: 4)
        let header = try ResponseHeader.decode(from: &reader, context: frame.context)
        let body = try CachePartitionsRequest(cacheIds: []).decodeResponse(from: &reader, context: frame.context)
        #expect(reader.isAtEnd, "\(frame.scenario): \(reader.remaining) byte(s) left after the 1101 body")
        return (header, body)
    }

    /// Re-encodes a header and body the way the server would, length prefix included.
    static func serverFrame(_ header: ResponseHeader, context: ProtocolContext, body: (inout BinaryWriter) -> Void) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeInt32(0)
        header.encode(into: &writer, context: context)
        body(&writer)
        writer.setInt32(Int32(writer.count - 4), at: 0)
        return writer.bytes
    }

    static func responses(_ frames: [PartitionCaptureFrame], scenario: String) throws -> [CachePartitionsResponse] {
        try frames.filter { $0.scenario == scenario && !$0.clientToServer && $0.op == 1101 }.map { try decode1101($0).1 }
    }

    @Test("every captured 1101 request re-encodes byte for byte", PartitionCaptures.available)
    func requestsRoundTrip() throws {
        let frames = try PartitionCaptures.load().filter { $0.clientToServer && $0.op == 1101 }
        #expect(frames.count == 10)
        for frame in frames {
            var reader = BinaryReader(frame.bytes, position: 4 + RequestFraming.headerSize)
            let request = try CachePartitionsRequest.decode(from: &reader, context: frame.context)
            #expect(reader.isAtEnd)
            let requestId = try #require(frame.requestId)
            #expect(try RequestFraming.frame(request, requestId: requestId, context: frame.context) == frame.bytes, "\(frame.scenario)")
        }
    }

    @Test("every captured 1101 response decodes fully and re-encodes byte for byte", PartitionCaptures.available)
    func responsesRoundTrip() throws {
        let frames = try PartitionCaptures.load().filter { !$0.clientToServer && $0.op == 1101 }
        #expect(frames.count == 10)
        for frame in frames {
            let (header, body) = try Self.decode1101(frame)
            #expect(header.isSuccess)
            let encoded = Self.serverFrame(header, context: frame.context) { body.encode(into: &$0, context: frame.context) }
            #expect(encoded == frame.bytes, "\(frame.scenario)")
        }
    }

    @Test("partitioned cache on 3 nodes: 329/335/360 primaries covering 0..<1024 once", PartitionCaptures.available)
    func partitionedThreeNodes() throws {
        let frames = try PartitionCaptures.load()
        for scenario in ["partitions.partitioned", "partitions.1101-at-1.4.0", "partitions.pyignite-partition-aware"] {
            let response = try #require(try Self.responses(frames, scenario: scenario).first, "\(scenario)")
            #expect(response.topologyVersion.major == 3, "\(scenario)")
            let group = try #require(response.group(containing: Self.capPart))
            #expect(group.isApplicable)
            #expect(group.nodes.map(\.partitions.count).sorted() == [329, 335, 360])
            #expect(group.partitionCount == 1024)
            #expect(group.nodes.flatMap(\.partitions).sorted() == Array(0..<1024).map(Int32.init))
            let map = try PartitionMap(nodes: group.nodes)
            #expect(map.partitionCount == 1024)
            #expect(map.nodeIds.count == 3)
        }
    }

    @Test("after the 4th node joins: 270/230/272/252 primaries, replicated cache in its own group", PartitionCaptures.available)
    func fourNodes() throws {
        let response = try #require(try Self.responses(try PartitionCaptures.load(), scenario: "partitions.after-4th-node-new-connection").first)
        #expect(response.topologyVersion.major == 4)
        let group = try #require(response.group(containing: Self.capPart))
        #expect(group.nodes.map(\.partitions.count).sorted() == [230, 252, 270, 272])
        #expect(group.partitionCount == 1024)
        let replicated = try #require(response.group(containing: Self.capRepl))
        #expect(!replicated.isApplicable)
        #expect(replicated.nodes.isEmpty)
    }

    @Test("replicated cache: one group, not applicable, no key configuration", PartitionCaptures.available)
    func replicated() throws {
        let responses = try Self.responses(try PartitionCaptures.load(), scenario: "partitions.replicated")
        let response = try #require(responses.first)
        let group = try #require(response.group(containing: Self.capRepl))
        #expect(!group.isApplicable)
        #expect(group.cache(Self.capRepl)?.keyConfigurations == [])
        #expect(group.partitionCount == 0)
    }

    @Test("key configuration CapAffKey.region is (−2099886032, −934795532)", PartitionCaptures.available)
    func keyConfiguration() throws {
        let response = try #require(try Self.responses(try PartitionCaptures.load(), scenario: "partitions.key-config").first)
        let cache = try #require(response.group(containing: Self.capKeyCfg)?.cache(Self.capKeyCfg))
        #expect(cache.keyConfigurations == [.init(keyTypeId: -2_099_886_032, affinityKeyFieldId: -934_795_532)])
        #expect(cache.affinityKeyFieldId(keyTypeId: -2_099_886_032) == -934_795_532)
        #expect(cache.affinityKeyFieldId(keyTypeId: 1) == nil)
    }

    @Test("32-partition cache: its own map has 32 partitions, but the server lumps 1024-partition caches into the group", PartitionCaptures.available)
    func customPartitionCount() throws {
        let response = try #require(try Self.responses(try PartitionCaptures.load(), scenario: "partitions.custom-32-partitions").first)
        let group = try #require(response.group(containing: Self.capAff32))
        #expect(group.isApplicable)
        #expect(group.partitionCount == 32)
        #expect(group.nodes.flatMap(\.partitions).count == 32)
        // The server bug that makes "one request per cache" necessary:
        #expect(group.cache(Self.capPart) != nil)
        #expect(group.cache(Self.capKeyCfg) != nil)
    }

    @Test("three caches in one request: both groups decoded", PartitionCaptures.available)
    func threeCaches() throws {
        let response = try #require(try Self.responses(try PartitionCaptures.load(), scenario: "partitions.three-caches").first)
        #expect(response.group(containing: Self.capPart)?.isApplicable == true)
        #expect(response.group(containing: Self.capKeyCfg)?.isApplicable == true)
        #expect(response.group(containing: Self.capRepl)?.isApplicable == false)
    }

    @Test("a missing cache gives 0 groups and success", PartitionCaptures.available)
    func missingCache() throws {
        let frames = try PartitionCaptures.load().filter { $0.scenario == "partitions.missing-cache" && !$0.clientToServer && $0.op == 1101 }
        let (header, response) = try Self.decode1101(try #require(frames.first))
        #expect(header.isSuccess)
        #expect(response.groups.isEmpty)
        #expect(response.group(containing: 12345) == nil)
    }

    @Test("1100: request re-encodes, response decodes fully: 3 nodes, unsorted partitions covering 0..<1024", PartitionCaptures.available)
    func nodePartitions() throws {
        let frames = try PartitionCaptures.load().filter { $0.op == 1100 }
        let request = try #require(frames.first { $0.clientToServer })
        var reader = BinaryReader(request.bytes, position: 4 + RequestFraming.headerSize)
        let decodedRequest = try CacheNodePartitionsRequest.decode(from: &reader)
        #expect(decodedRequest == CacheNodePartitionsRequest(cacheId: Self.capPart))
        #expect(try RequestFraming.frame(decodedRequest, requestId: try #require(request.requestId), context: request.context) == request.bytes)

        let response = try #require(frames.first { !$0.clientToServer })
        var bodyReader = BinaryReader(response.bytes, position: 4)
        let header = try ResponseHeader.decode(from: &bodyReader, context: response.context)
        let body = try decodedRequest.decodeResponse(from: &bodyReader, context: response.context)
        #expect(bodyReader.isAtEnd)
        #expect(body.nodes.count == 3)
        #expect(body.nodes.map(\.port).sorted() == [10800, 10801, 10802])
        #expect(body.nodes.allSatisfy { $0.addresses.contains("127.0.0.1") })
        #expect(body.nodes.map(\.partitions.count).sorted() == [329, 335, 360])
        #expect(body.nodes.flatMap(\.partitions).sorted() == Array(0..<1024).map(Int32.init))
        #expect(body.partitionCount == 1024)
        let encoded = Self.serverFrame(header, context: response.context) { body.encode(into: &$0) }
        #expect(encoded == response.bytes)
    }

    @Test("every truncation of a captured response is a parse error, never a crash", PartitionCaptures.available)
    func truncations() throws {
        let frames = try PartitionCaptures.load().filter { !$0.clientToServer && ($0.op == 1101 || $0.op == 1100) }
        for frame in frames {
            var headerReader = BinaryReader(frame.bytes, position: 4)
            _ = try ResponseHeader.decode(from: &headerReader, context: frame.context)
            let bodyStart = headerReader.position
            for cut in stride(from: bodyStart, to: frame.bytes.count, by: 7) {
                var reader = BinaryReader(frame.bytes, position: bodyStart, limit: cut)
                #expect(throws: IgniteError.self) {
                    if frame.op == 1101 {
                        _ = try CachePartitionsResponse.decode(from: &reader, context: frame.context)
                    } else {
                        _ = try CacheNodePartitionsResponse.decode(from: &reader)
                    }
                }
            }
        }
    }

    @Test("hostile counts are rejected before anything is allocated")
    func hostileCounts() {
        var writer = BinaryWriter()
        writer.writeInt64(1); writer.writeInt32(0)
        writer.writeInt32(Int32.max)
        var reader = BinaryReader(writer.bytes)
        #expect(throws: IgniteError.self) { _ = try CachePartitionsResponse.decode(from: &reader, context: ProtocolContext(version: .v1_7_0)) }

        var nodes = BinaryWriter()
        nodes.writeInt64(1); nodes.writeInt32(0); nodes.writeInt32(1)
        nodes.writeBool(true); nodes.writeInt32(0)
        nodes.writeInt32(-5)
        var nodesReader = BinaryReader(nodes.bytes)
        #expect(throws: IgniteError.self) { _ = try CachePartitionsResponse.decode(from: &nodesReader, context: ProtocolContext(version: .v1_7_0)) }

        var old = BinaryWriter()
        old.writeInt32(1_000_000)
        var oldReader = BinaryReader(old.bytes)
        #expect(throws: IgniteError.self) { _ = try CacheNodePartitionsResponse.decode(from: &oldReader) }
    }

    @Test("1101 needs protocol 1.4.0")
    func versionGate() {
        #expect(throws: IgniteError.self) {
            _ = try RequestFraming.frame(CachePartitionsRequest(cacheId: 1), requestId: 1, context: ProtocolContext(version: .v1_3_0))
        }
        let error = #expect(throws: IgniteError.self) {
            _ = try RequestFraming.frame(CachePartitionsRequest(cacheId: 1), requestId: 1, context: ProtocolContext(version: .v1_3_0))
        }
        #expect(error?.code == .notSupportedByCluster)
    }

    // MARK: Apache bit 13 (never requested by this client, but decoded correctly if negotiated)

    static let bit13 = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.allAffinityMappings]))

    static let sample = CachePartitionsResponse(topologyVersion: AffinityTopologyVersion(major: 7, minor: 2), groups: [
        .init(isApplicable: false, caches: [.init(cacheId: 11)]),
        .init(isApplicable: true,
              caches: [.init(cacheId: 22, keyConfigurations: [.init(keyTypeId: 5, affinityKeyFieldId: 6)])],
              nodes: [.init(nodeId: UUID(uuidString: "50DF5A98-8F65-4E2F-9196-E939F999D28C") ?? UUID(), partitions: [0, 2]),
                      .init(nodeId: UUID(uuidString: "0B8BA10C-5E54-4D26-8EFB-A2E4B4E77068") ?? UUID(), partitions: [1, 3])],
              isDefaultAffinity: false),
    ])

    @Test("bit 13 request: the withCustomMappings bool comes first")
    func bit13Request() throws {
        let frame = try RequestFraming.frame(CachePartitionsRequest(cacheIds: [7]), requestId: 1, context: Self.bit13)
        #expect(Array(frame.dropFirst(4 + RequestFraming.headerSize)) == [0, 1, 0, 0, 0, 7, 0, 0, 0])
        let plain = try RequestFraming.frame(CachePartitionsRequest(cacheIds: [7]), requestId: 1, context: ProtocolContext(version: .v1_7_0))
        #expect(Array(plain.dropFirst(4 + RequestFraming.headerSize)) == [1, 0, 0, 0, 7, 0, 0, 0])
        var reader = BinaryReader(frame, position: 4 + RequestFraming.headerSize)
        #expect(try CachePartitionsRequest.decode(from: &reader, context: Self.bit13) == CachePartitionsRequest(cacheIds: [7]))
    }

    @Test("bit 13 response, newer Apache layout (bool after applicable groups)")
    func bit13NewerLayout() throws {
        var writer = BinaryWriter()
        Self.sample.encode(into: &writer, context: Self.bit13)
        var reader = BinaryReader(writer.bytes)
        let decoded = try CachePartitionsResponse.decode(from: &reader, context: Self.bit13)
        #expect(reader.isAtEnd)
        #expect(decoded == Self.sample)
        #expect(decoded.groups[1].isDefaultAffinity == false)
        #expect(decoded.groups[0].isDefaultAffinity == nil)
    }

    @Test("bit 13 response, older Apache layout (bool after every group)")
    func bit13OlderLayout() throws {
        var writer = BinaryWriter()
        writer.writeInt64(7); writer.writeInt32(2); writer.writeInt32(2)
        writer.writeBool(false); writer.writeInt32(1); writer.writeInt32(11)
        writer.writeBool(true)                       // isDefaultAffinity of the non-applicable group
        writer.writeBool(true); writer.writeInt32(1); writer.writeInt32(22)
        writer.writeInt32(1); writer.writeInt32(5); writer.writeInt32(6)
        writer.writeInt32(2)
        for node in Self.sample.groups[1].nodes {
            writer.writeUUIDObject(node.nodeId)
            writer.writeInt32(Int32(node.partitions.count))
            for p in node.partitions { writer.writeInt32(p) }
        }
        writer.writeBool(false)
        var reader = BinaryReader(writer.bytes)
        let decoded = try CachePartitionsResponse.decode(from: &reader, context: Self.bit13)
        #expect(reader.isAtEnd)
        #expect(decoded.groups.count == 2)
        #expect(decoded.groups[0].isDefaultAffinity == true)
        #expect(decoded.groups[1].isDefaultAffinity == false)
        #expect(decoded.groups[1].nodes == Self.sample.groups[1].nodes)
    }

    @Test("without bit 13 there is no trailing bool")
    func noBit13() throws {
        let context = ProtocolContext(version: .v1_7_0)
        var writer = BinaryWriter()
        Self.sample.encode(into: &writer, context: context)
        var reader = BinaryReader(writer.bytes)
        let decoded = try CachePartitionsResponse.decode(from: &reader, context: context)
        #expect(reader.isAtEnd)
        #expect(decoded.groups[1].isDefaultAffinity == nil)
        #expect(decoded.groups[1].nodes == Self.sample.groups[1].nodes)
    }
}
