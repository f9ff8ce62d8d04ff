import Foundation
import Testing
@testable import IgniteProtocol

/// A schema resolver backed by a dictionary, for compact-footer keys.
struct FixedSchemaResolver: BinarySchemaResolver {
    var schemas: [Int32: [Int32]]
    func schema(typeId: Int32, schemaId: Int32) -> [Int32]? { schemas[schemaId] }
    func binaryType(typeId: Int32) -> BinaryType? { nil }
}

/// Decodes hex test data (empty on a typo, which the tests then catch).
private func hex(_ text: String) -> [UInt8] { (try? Hex.decode(text)) ?? [] }

@Suite("PartitionAwarenessState")
struct PartitionAwarenessStateTests {
    static let capPart = PartitionsMessageTests.capPart
    static let capRepl = PartitionsMessageTests.capRepl
    static let capKeyCfg = PartitionsMessageTests.capKeyCfg
    static let capAff32 = PartitionsMessageTests.capAff32

    static func response(_ scenario: String) throws -> CachePartitionsResponse {
        try #require(try PartitionsMessageTests.responses(try PartitionCaptures.load(), scenario: scenario).first)
    }

    /// Java `Long.hashCode()` of an encoded Long key; nil for anything else (stands in for the codec's key hash).
    static func longKeyHash(_ bytes: [UInt8], _ offset: Int) -> Int32? {
        var reader = BinaryReader(bytes, position: offset)
        switch try? reader.readValue() {
        case .long(let v)?: return Int32(truncatingIfNeeded: v ^ Int64(bitPattern: UInt64(bitPattern: v) >> 32))
        case .int(let v)?: return v
        default: return nil
        }
    }

    @Test("register → request one cache → apply → route to the connected primary", PartitionCaptures.available)
    func lifecycle() throws {
        let response = try Self.response("partitions.partitioned")
        var state = PartitionAwarenessState()
        state.registerCache(Self.capPart)
        #expect(state.cachesNeedingMapping() == [Self.capPart])
        #expect(state.route(cacheId: Self.capPart, keyHash: 1) == .anyNode)

        let first = state.beginMapping(cacheId: Self.capPart)
        let request = try #require(first)
        #expect(request.cacheIds == [Self.capPart])
        let again = state.beginMapping(cacheId: Self.capPart)
        #expect(again == nil, "one request in flight per cache")
        #expect(state.cachesNeedingMapping().isEmpty)

        let outcome = state.apply(response, requestedCacheId: Self.capPart)
        #expect(outcome == .mapped(partitionCount: 1024))
        #expect(state.topologyVersion == response.topologyVersion)
        #expect(state.cachesNeedingMapping().isEmpty)
        let afterApply = state.beginMapping(cacheId: Self.capPart)
        #expect(afterApply == nil)

        let map = try #require(state.partitionMap(cacheId: Self.capPart))
        let owner = try #require(map.primaryNode(forKeyHash: 123_456_789))
        #expect(map.partition(forKeyHash: 123_456_789) == 590)
        #expect(map.partitions(ownedBy: owner).contains(590))
        // No live connection to the owner yet.
        #expect(state.route(cacheId: Self.capPart, keyHash: 123_456_789) == .anyNode)
        state.nodeJoined(owner)
        #expect(state.route(cacheId: Self.capPart, keyHash: 123_456_789) == .node(owner))
        #expect(state.route(cacheId: Self.capPart, partition: 590) == .node(owner))
        // Two connections to the same node: it stays live until both are gone.
        state.nodeJoined(owner)
        state.nodeLeft(owner)
        #expect(state.route(cacheId: Self.capPart, keyHash: 123_456_789) == .node(owner))
        state.nodeLeft(owner)
        #expect(state.route(cacheId: Self.capPart, keyHash: 123_456_789) == .anyNode)
        state.nodeLeft(owner)
        #expect(!state.isConnected(owner))
    }

    @Test("a newer topology version makes every map stale; equal or older versions do not", PartitionCaptures.available)
    func staleness() throws {
        let response = try Self.response("partitions.partitioned")
        var state = PartitionAwarenessState()
        _ = state.beginMapping(cacheId: Self.capPart)
        state.apply(response, requestedCacheId: Self.capPart)
        let map = try #require(state.partitionMap(cacheId: Self.capPart))
        for node in map.nodeIds { state.nodeJoined(node) }
        guard case .node = state.route(cacheId: Self.capPart, keyHash: 7) else {
            Issue.record("expected routing to a node")
            return
        }

        let same = state.observe(topologyVersion: response.topologyVersion)
        #expect(!same)
        let older = state.observe(topologyVersion: AffinityTopologyVersion(major: 1, minor: 0))
        #expect(!older)
        #expect(!state.isStale(cacheId: Self.capPart))

        let newer = AffinityTopologyVersion(major: response.topologyVersion.major, minor: response.topologyVersion.minor + 1)
        let newerSeen = state.observe(topologyVersion: newer)
        #expect(newerSeen)
        #expect(state.isStale(cacheId: Self.capPart))
        #expect(state.route(cacheId: Self.capPart, keyHash: 7) == .anyNode)
        #expect(state.partitionMap(cacheId: Self.capPart) == nil)
        #expect(state.cachesNeedingMapping() == [Self.capPart])

        // A response at the old version (a lagging node) leaves the map stale.
        _ = state.beginMapping(cacheId: Self.capPart)
        let lagging = state.apply(response, requestedCacheId: Self.capPart)
        #expect(lagging == .mapped(partitionCount: 1024))
        #expect(state.isStale(cacheId: Self.capPart))
        #expect(state.route(cacheId: Self.capPart, keyHash: 7) == .anyNode)

        // The 4-node map at (4, x) is current again.
        let four = try Self.response("partitions.after-4th-node-new-connection")
        _ = state.beginMapping(cacheId: Self.capPart)
        let current = state.apply(four, requestedCacheId: Self.capPart)
        #expect(current == .mapped(partitionCount: 1024))
        #expect(!state.isStale(cacheId: Self.capPart))
        #expect(state.partitionMap(cacheId: Self.capPart)?.nodeIds.count == 4)
    }

    @Test("replicated cache: not applicable, always any node, no further requests at this version", PartitionCaptures.available)
    func notApplicable() throws {
        var state = PartitionAwarenessState()
        _ = state.beginMapping(cacheId: Self.capRepl)
        let outcome = try state.apply(Self.response("partitions.replicated"), requestedCacheId: Self.capRepl)
        #expect(outcome == .notApplicable)
        #expect(state.isNotApplicable(cacheId: Self.capRepl))
        #expect(state.route(cacheId: Self.capRepl, keyHash: 1) == .anyNode)
        #expect(state.cachesNeedingMapping().isEmpty)
        #expect(state.keyConfigurations(cacheId: Self.capRepl).isEmpty)
    }

    @Test("a missing cache costs at most maximumMappingAttempts requests per topology version", PartitionCaptures.available)
    func boundedAttempts() throws {
        let missing = try Self.response("partitions.missing-cache")
        var state = PartitionAwarenessState(maximumMappingAttempts: 2)
        for _ in 0..<2 {
            let request = state.beginMapping(cacheId: 12345)
            #expect(request != nil)
            let outcome = state.apply(missing, requestedCacheId: 12345)
            #expect(outcome == .missing)
        }
        let exhausted = state.beginMapping(cacheId: 12345)
        #expect(exhausted == nil)
        #expect(state.cachesNeedingMapping().isEmpty)
        #expect(state.route(cacheId: 12345, keyHash: 1) == .anyNode)
        // Failures count too, and a newer version resets the budget.
        state.observe(topologyVersion: AffinityTopologyVersion(major: 99, minor: 0))
        #expect(state.cachesNeedingMapping() == [12345])
        let afterReset = state.beginMapping(cacheId: 12345)
        #expect(afterReset != nil)
        state.mappingFailed(cacheId: 12345)
        let second = state.beginMapping(cacheId: 12345)
        #expect(second != nil)
        state.mappingFailed(cacheId: 12345)
        let third = state.beginMapping(cacheId: 12345)
        #expect(third == nil)
    }

    @Test("group bug: a group's map is used only for the cache that was asked about", PartitionCaptures.available)
    func groupBug() throws {
        let map32 = try Self.response("partitions.custom-32-partitions")
        let map1024 = try Self.response("partitions.partitioned")
        var state = PartitionAwarenessState()
        state.registerCache(Self.capPart)
        state.registerCache(Self.capAff32)

        _ = state.beginMapping(cacheId: Self.capAff32)
        let outcome32 = state.apply(map32, requestedCacheId: Self.capAff32)
        #expect(outcome32 == .mapped(partitionCount: 32))
        // The same response lists capPart under the 32-partition map; it must not be taken for capPart.
        #expect(map32.group(containing: Self.capPart)?.partitionCount == 32)
        #expect(state.partitionMap(cacheId: Self.capPart) == nil)
        #expect(state.cachesNeedingMapping() == [Self.capPart])

        _ = state.beginMapping(cacheId: Self.capPart)
        let outcome1024 = state.apply(map1024, requestedCacheId: Self.capPart)
        #expect(outcome1024 == .mapped(partitionCount: 1024))
        #expect(state.partitionMap(cacheId: Self.capAff32)?.partitionCount == 32)
        #expect(state.partitionMap(cacheId: Self.capPart)?.partitionCount == 1024)
    }

    @Test("key configuration: affinity field id by key type", PartitionCaptures.available)
    func affinityKeyField() throws {
        var state = PartitionAwarenessState()
        _ = state.beginMapping(cacheId: Self.capKeyCfg)
        state.apply(try Self.response("partitions.key-config"), requestedCacheId: Self.capKeyCfg)
        #expect(state.affinityKeyFieldId(cacheId: Self.capKeyCfg, keyTypeId: -2_099_886_032) == -934_795_532)
        #expect(state.affinityKeyFieldId(cacheId: Self.capKeyCfg, keyTypeId: 42) == nil)
        #expect(state.affinityKeyFieldId(cacheId: Self.capPart, keyTypeId: -2_099_886_032) == nil)
    }

    @Test("pyignite's partition-aware puts went to the nodes this state routes them to", PartitionCaptures.available)
    func matchesCapturedRouting() throws {
        let scenario = "partitions.pyignite-partition-aware"
        let nodeOfConnection = PartitionCaptures.nodeIds().filter { id in
            PartitionCaptures.lines.contains { $0.conn == id.key && $0.scenario == scenario }
        }
        let puts = PartitionCaptures.lines
            .filter { $0.scenario == scenario && $0.dir == "c2s" && $0.op == 1001 }
            .map { (connection: $0.conn, bytes: $0.bytes) }
        #expect(nodeOfConnection.count == 3)
        #expect(puts.count == 6)

        var state = PartitionAwarenessState()
        _ = state.beginMapping(cacheId: Self.capPart)
        state.apply(try Self.response("partitions.pyignite-partition-aware"), requestedCacheId: Self.capPart)
        for node in nodeOfConnection.values { state.nodeJoined(node) }
        var nodesUsed = Set<UUID>()
        for put in puts {
            // Frame: length, op, request id, cache id, flags, key.
            let keyOffset = 4 + RequestFraming.headerSize + 4 + 1
            let decision = state.route(cacheId: Self.capPart, encodedKey: put.bytes, at: keyOffset,
                                       schemaResolver: nil, keyHash: Self.longKeyHash)
            let expected = try #require(nodeOfConnection[put.connection])
            #expect(decision == .node(expected))
            // The codec's Java hash, from the bytes and from the decoded key, agrees.
            #expect(state.route(cacheId: Self.capPart, encodedKey: put.bytes, at: keyOffset, schemaResolver: nil) == .node(expected))
            var keyReader = BinaryReader(put.bytes, position: keyOffset)
            #expect(state.route(cacheId: Self.capPart, key: try keyReader.readValue(), schemaResolver: nil) == .node(expected))
            nodesUsed.insert(expected)
        }
        #expect(nodesUsed.count == 2, "keys 1, 5, 6 on one node; 2–4 on another")
    }

    // MARK: Affinity key extraction

    /// `Internal{id: Int 2, str: "lorem ipsum"}` with a compact footer (PROTOCOL-FACTS §7.11).
    static let compactKey = hex(
        "67012b00bdc6ff211dd864c72f00000067fd4dc72d000000" + "0302000000" + "090b0000006c6f72656d20697073756d" + "181d")
    /// The same object with a full footer (field id + 1-byte offset per field).
    static let fullKey = hex(
        "67010b00bdc6ff211dd864c73700000067fd4dc72d000000" + "0302000000" + "090b0000006c6f72656d20697073756d" + "1b0d000018" + "31be01001d")
    /// `Internal{id: null, str: "lorem ipsum"}`, full footer.
    static let nullFieldKey = hex(
        "67010b00bdc6ff211dd864c73300000067fd4dc729000000" + "65" + "090b0000006c6f72656d20697073756d" + "1b0d000018" + "31be010019")
    static let internalTypeId = JavaHash.typeId("Internal")
    static let idField = JavaHash.fieldId("id")
    static let config = [CachePartitionsResponse.KeyConfiguration(keyTypeId: internalTypeId, affinityKeyFieldId: idField)]

    @Test("full footer: the affinity field is located without a schema")
    func locateFullFooter() throws {
        let location = try AffinityKey.locate(inEncodedKey: Self.fullKey, at: 0, keyConfigurations: Self.config, schemaResolver: nil)
        #expect(location == .field(offset: 24))
        #expect(Self.longKeyHash(Self.fullKey, 24) == 2)
        let value = try AffinityKey.affinityFieldValue(of: try BinaryObject(bytes: Self.fullKey), keyConfigurations: Self.config, schemaResolver: nil)
        #expect(value == .int(2))
    }

    @Test("compact footer: located with the schema, undetermined without it")
    func locateCompactFooter() throws {
        #expect(try AffinityKey.locate(inEncodedKey: Self.compactKey, at: 0, keyConfigurations: Self.config, schemaResolver: nil) == .undetermined)
        let resolver = FixedSchemaResolver(schemas: [JavaHash.schemaId([Self.idField, JavaHash.fieldId("str")]): [Self.idField, JavaHash.fieldId("str")]])
        #expect(try AffinityKey.locate(inEncodedKey: Self.compactKey, at: 0, keyConfigurations: Self.config, schemaResolver: resolver) == .field(offset: 24))
        let value = try AffinityKey.affinityFieldValue(of: try BinaryObject(bytes: Self.compactKey), keyConfigurations: Self.config, schemaResolver: resolver)
        #expect(value == .int(2))
        // The key inside a larger buffer: offsets are absolute.
        let shifted = [0xAA, 0xBB, 0xCC] + Self.compactKey
        #expect(try AffinityKey.locate(inEncodedKey: shifted, at: 3, keyConfigurations: Self.config, schemaResolver: resolver) == .field(offset: 27))
    }

    @Test("whole key: no configuration for the type, a null field, a plain key, a field the object lacks")
    func wholeKey() throws {
        let other = [CachePartitionsResponse.KeyConfiguration(keyTypeId: 1, affinityKeyFieldId: Self.idField)]
        #expect(try AffinityKey.locate(inEncodedKey: Self.fullKey, at: 0, keyConfigurations: other, schemaResolver: nil) == .wholeKey)
        #expect(try AffinityKey.locate(inEncodedKey: Self.fullKey, at: 0, keyConfigurations: [], schemaResolver: nil) == .wholeKey)
        #expect(try AffinityKey.locate(inEncodedKey: Self.nullFieldKey, at: 0, keyConfigurations: Self.config, schemaResolver: nil) == .wholeKey)
        #expect(try AffinityKey.affinityFieldValue(of: try BinaryObject(bytes: Self.nullFieldKey), keyConfigurations: Self.config, schemaResolver: nil) == nil)
        #expect(try AffinityKey.locate(inEncodedKey: [4, 1, 0, 0, 0, 0, 0, 0, 0], at: 0, keyConfigurations: Self.config, schemaResolver: nil) == .wholeKey)
        let missingField = [CachePartitionsResponse.KeyConfiguration(keyTypeId: Self.internalTypeId, affinityKeyFieldId: 777)]
        #expect(try AffinityKey.locate(inEncodedKey: Self.fullKey, at: 0, keyConfigurations: missingField, schemaResolver: nil) == .wholeKey)
    }

    @Test("a malformed complex key is a parse error, and routes to any node")
    func malformedKey() throws {
        var broken = Self.fullKey
        broken[12] = 0xFF  // length
        #expect(throws: IgniteError.self) {
            _ = try AffinityKey.locate(inEncodedKey: broken, at: 0, keyConfigurations: Self.config, schemaResolver: nil)
        }
        var state = PartitionAwarenessState()
        _ = state.beginMapping(cacheId: 1)
        let node = UUID()
        state.apply(CachePartitionsResponse(topologyVersion: .init(major: 1, minor: 0), groups: [
            .init(isApplicable: true, caches: [.init(cacheId: 1, keyConfigurations: Self.config)],
                  nodes: [.init(nodeId: node, partitions: Array(0..<4))]),
        ]), requestedCacheId: 1)
        state.nodeJoined(node)
        #expect(state.route(cacheId: 1, encodedKey: broken, at: 0, schemaResolver: nil, keyHash: Self.longKeyHash) == .anyNode)
        // The well-formed key routes by its affinity field (Int 2).
        #expect(state.route(cacheId: 1, encodedKey: Self.fullKey, at: 0, schemaResolver: nil, keyHash: Self.longKeyHash) == .node(node))
        // Hash functions that cannot hash the value route anywhere.
        #expect(state.route(cacheId: 1, encodedKey: Self.fullKey, at: 0, schemaResolver: nil, keyHash: { _, _ in nil }) == .anyNode)
    }

    @Test("partition maps reject hostile partition ids and double owners")
    func mapValidation() {
        #expect(throws: IgniteError.self) { _ = try PartitionMap(nodes: [.init(nodeId: UUID(), partitions: [-1])]) }
        #expect(throws: IgniteError.self) { _ = try PartitionMap(nodes: [.init(nodeId: UUID(), partitions: [Int32.max])]) }
        #expect(throws: IgniteError.self) {
            _ = try PartitionMap(nodes: [.init(nodeId: UUID(), partitions: [0]), .init(nodeId: UUID(), partitions: [0])])
        }
        var state = PartitionAwarenessState()
        _ = state.beginMapping(cacheId: 9)
        let outcome = state.apply(CachePartitionsResponse(topologyVersion: .init(major: 1, minor: 0), groups: [
            .init(isApplicable: true, caches: [.init(cacheId: 9)], nodes: [.init(nodeId: UUID(), partitions: [70_000])]),
        ]), requestedCacheId: 9)
        guard case .invalid = outcome else {
            Issue.record("expected .invalid, got \(outcome)")
            return
        }
        #expect(state.route(cacheId: 9, keyHash: 1) == .anyNode)
    }

    @Test("a partition nobody owns (gap in the map) routes to any node")
    func unownedPartition() throws {
        let node = UUID()
        let map = try PartitionMap(nodes: [.init(nodeId: node, partitions: [0, 1, 3])])
        #expect(map.partitionCount == 4)
        #expect(map.primaryNode(forPartition: 2) == nil)
        #expect(map.primaryNode(forPartition: 3) == node)
        #expect(map.primaryNode(forPartition: 4) == nil)
        #expect(map.primaryNode(forPartition: -1) == nil)
        #expect(try PartitionMap(nodes: []).primaryNode(forKeyHash: 1) == nil)
    }

    @Test("adapters onto the codec's Java hash: affinity field of encoded and boxed complex keys")
    func hashAdapters() throws {
        let nodes = (0..<4).map { _ in UUID() }
        var state = PartitionAwarenessState()
        _ = state.beginMapping(cacheId: 1)
        // Node i owns partitions i, i + 4, i + 8, ... of 16.
        state.apply(CachePartitionsResponse(topologyVersion: .init(major: 1, minor: 0), groups: [
            .init(isApplicable: true, caches: [.init(cacheId: 1, keyConfigurations: Self.config)],
                  nodes: nodes.enumerated().map { i, id in .init(nodeId: id, partitions: stride(from: Int32(i), to: 16, by: 4).map { $0 }) }),
        ]), requestedCacheId: 1)
        for node in nodes { state.nodeJoined(node) }
        let byField = try #require(state.partitionMap(cacheId: 1)?.primaryNode(forKeyHash: 2))
        let resolver = FixedSchemaResolver(schemas: [JavaHash.schemaId([Self.idField, JavaHash.fieldId("str")]): [Self.idField, JavaHash.fieldId("str")]])

        // Full footer: the field (Int 2) decides, with or without a resolver.
        #expect(state.route(cacheId: 1, encodedKey: Self.fullKey, at: 0, schemaResolver: nil) == .node(byField))
        #expect(state.route(cacheId: 1, key: .object(try BinaryObject(bytes: Self.fullKey)), schemaResolver: nil) == .node(byField))
        // Compact footer: needs the schema.
        #expect(state.route(cacheId: 1, encodedKey: Self.compactKey, at: 0, schemaResolver: resolver) == .node(byField))
        #expect(state.route(cacheId: 1, key: .object(try BinaryObject(bytes: Self.compactKey)), schemaResolver: resolver) == .node(byField))
        #expect(state.route(cacheId: 1, encodedKey: Self.compactKey, at: 0, schemaResolver: nil) == .anyNode)
        #expect(state.route(cacheId: 1, key: .object(try BinaryObject(bytes: Self.compactKey)), schemaResolver: nil) == .anyNode)
        // A null affinity field: the whole key (its header hash) decides.
        let nullKey = try BinaryObject(bytes: Self.nullFieldKey)
        let byWholeKey = try #require(state.partitionMap(cacheId: 1)?.primaryNode(forKeyHash: nullKey.hashCode))
        #expect(state.route(cacheId: 1, encodedKey: Self.nullFieldKey, at: 0, schemaResolver: nil) == .node(byWholeKey))
        #expect(state.route(cacheId: 1, key: .object(nullKey), schemaResolver: nil) == .node(byWholeKey))
        // Plain keys and unroutable keys.
        let byLong = try #require(state.partitionMap(cacheId: 1)?.primaryNode(forKeyHash: JavaHash.long(123_456_789_012)))
        #expect(state.route(cacheId: 1, key: .long(123_456_789_012), schemaResolver: nil) == .node(byLong))
        var writer = BinaryWriter()
        writer.writeValue(.long(123_456_789_012))
        #expect(state.route(cacheId: 1, encodedKey: writer.bytes, at: 0, schemaResolver: nil) == .node(byLong))
        #expect(state.route(cacheId: 1, key: .intArray([1, 2]), schemaResolver: nil) == .anyNode)
        #expect(state.route(cacheId: 1, encodedKey: [0x7F], at: 0, schemaResolver: nil) == .anyNode)
        #expect(state.route(cacheId: 2, key: .long(1), schemaResolver: nil) == .anyNode)
    }
}
