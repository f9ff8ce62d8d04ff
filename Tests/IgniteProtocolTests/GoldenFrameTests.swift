import Foundation
import Testing
@testable import IgniteProtocol

/// Byte-exact request frames for the operations and flag combinations that pyignite's vectors (`Tests/Vectors/
/// requests.json`) do not cover, so that they are checked without the capture files. The expected bytes were written
/// from the layouts of PROTOCOL-FACTS §1–§5 by an independent script (not by this library), request id 7, cache
/// "golden" (id −1240337143 = `09f511b6`), key Long 42, value String "v".
@Suite("Golden request frames")
struct GoldenFrameTests {
    static let cache = CacheInfo(cacheName: "golden")
    static let key = EncodedValue(.long(42))
    static let value = EncodedValue(.string("v"))
    static let node1 = UUID(uuidString: "a438f733-0072-4a61-b4d6-3e53fe117e7f") ?? UUID()
    static let node2 = UUID(uuidString: "00000000-0000-0001-0000-000000000002") ?? UUID()
    static let full = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([
        .clusterStates, .clusterGroupGetNodesEndpoints, .clusterGroups, .binaryConfiguration, .heartbeat,
        .dataReplicationOperations, .queryPartitionsBatchSize,
    ]))

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var hex: String
        var context: ProtocolContext = GoldenFrameTests.full
        var build: @Sendable (ProtocolContext) throws -> [UInt8]
        var testDescription: String { name }
    }

    private static func frame<R: IgniteRequest>(_ request: R) -> @Sendable (ProtocolContext) throws -> [UInt8] {
        { context in try RequestFraming.frame(request, requestId: 7, context: context) }
    }

    static let cases: [Case] = [
        Case(name: "0 resource close", hex: "12000000000007000000000000000807060504030201",
             build: frame(ResourceCloseRequest(resourceId: 0x0102_0304_0506_0708))),
        Case(name: "1 heartbeat (bit 11)", hex: "0a00000001000700000000000000", build: frame(HeartbeatRequest())),
        Case(name: "2 get idle timeout (bit 11)", hex: "0a00000002000700000000000000", build: frame(GetIdleTimeoutRequest())),
        Case(name: "1000 flags 0x01 keep binary", hex: "18000000e803070000000000000009f511b601042a00000000000000",
             build: frame(CacheGetRequest(cache: CacheInfo(cacheName: "golden", keepBinary: true), key: key))),
        Case(name: "1001 flags 0x02 transaction", hex: "22000000e903070000000000000009f511b60205000000042a00000000000000090100000076",
             build: frame(CachePutRequest(cache: CacheInfo(cacheName: "golden", transactionId: 5), key: key, value: value))),
        Case(name: "1001 flags 0x04 expiry (1000 ms, unchanged, eternal)",
             hex: "36000000e903070000000000000009f511b604e803000000000000feffffffffffffffffffffffffffffff042a00000000000000090100000076",
             build: frame(CachePutRequest(cache: CacheInfo(cacheName: "golden", expiryPolicy: ExpiryPolicy(create: .milliseconds(1000),
                                                                                                      update: .unchanged, access: .eternal)),
                                          key: key, value: value))),
        Case(name: "1001 flags 0x06: expiry block before the tx id",
             hex: "3a000000e903070000000000000009f511b606000000000000000060ea000000000000feffffffffffffff09000000042a00000000000000090100000076",
             build: frame(CachePutRequest(cache: CacheInfo(cacheName: "golden", expiryPolicy: ExpiryPolicy(create: .zero, update: .milliseconds(60_000)),
                                                           transactionId: 9), key: key, value: value))),
        Case(name: "1000 flags 0x07: keep binary, expiry, then tx id",
             hex: "34000000e803070000000000000009f511b607ffffffffffffffffffffffffffffffffffffffffffffffffffffff7f042a00000000000000",
             build: frame(CacheGetRequest(cache: CacheInfo(cacheName: "golden", keepBinary: true,
                                                           expiryPolicy: ExpiryPolicy(create: .eternal, update: .eternal, access: .eternal),
                                                           transactionId: .max), key: key))),
        Case(name: "1020 get size with every peek mode", hex: "19000000fc03070000000000000009f511b60006000000000102030405",
             build: frame(CacheGetSizeRequest(cache: cache, peekModes: PeekMode.allCases))),
        Case(name: "1022 put all conflict (bit 12)",
             hex: "49000000fe03070000000000000009f511b60002000000042a000000000000000901000000760c030000000102030000000000000000042b0000000000000065034d0000000068e5cf8b010000",
             build: frame(CachePutAllConflictRequest(cache: cache, entries: [
                 ConflictPutEntry(key: key, value: value, version: EncodedValue(.byteArray([1, 2, 3]))),
                 ConflictPutEntry(key: EncodedValue(.long(43)), value: .null, version: EncodedValue(.int(77)), expireTime: 1_700_000_000_000),
             ]))),
        Case(name: "1023 remove all conflict (bit 12)", hex: "24000000ff03070000000000000009f511b60001000000042a000000000000000c03000000010203",
             build: frame(CacheRemoveAllConflictRequest(cache: cache, entries: [ConflictRemoveEntry(key: key, version: EncodedValue(.byteArray([1, 2, 3])))]))),
        Case(name: "1100 node partitions (old layout)", hex: "0f0000004c04070000000000000009f511b600",
             build: frame(CacheNodePartitionsRequest(cacheId: JavaHash.cacheId("golden")))),
        Case(name: "1101 partitions (new layout)", hex: "160000004d0407000000000000000200000009f511b6fbffffff",
             build: frame(CachePartitionsRequest(cacheIds: [JavaHash.cacheId("golden"), -5]))),
        Case(name: "1101 partitions with Apache bit 13: leading bool", hex: "130000004d040700000000000000000100000009f511b6",
             context: ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.allAffinityMappings])),
             build: frame(CachePartitionsRequest(cacheId: JavaHash.cacheId("golden")))),
        Case(name: "2000 scan with a .NET filter, partition 7, local",
             hex: "24000000d007070000000000000009f511b600090600000066696c74657202640000000700000001",
             build: frame(QueryScanRequest(cache: cache, filter: ScanQueryFilter(object: EncodedValue(.string("filter")), platform: .dotNet),
                                           pageSize: 100, partition: 7, local: true))),
        Case(name: "2000 scan, all partitions", hex: "19000000d007070000000000000009f511b6006501000000ffffffff00",
             build: frame(QueryScanRequest(cache: cache, pageSize: 1))),
        Case(name: "2004 SQL fields: the 14 parameters, then bit 7 partitions and batch size",
             hex: "58000000d4070700000000000000000000000009060000005055424c49430a000000ffffffff090800000053454c454354203101000000030300000001010001000100fa000000000000000102000000030000000800000040000000",
             build: frame(QuerySQLFieldsRequest(schema: "PUBLIC", sql: "SELECT 1", arguments: [EncodedValue(.int(3))], pageSize: 10, maxRows: -1,
                                                statementType: .select, distributedJoins: true, local: false, replicatedOnly: true,
                                                enforceJoinOrder: false, collocated: true, lazy: false, timeout: 250, includeFieldNames: true,
                                                partitions: [3, 8], updateBatchSize: 64))),
        Case(name: "2004 SQL fields with bit 7 and no partitions: −1 and batch size 1",
             hex: "50000000d4070700000000000000000000000009060000005055424c49430a000000ffffffff090800000053454c454354203101000000030300000001010001000100fa0000000000000001ffffffff01000000",
             build: frame(QuerySQLFieldsRequest(schema: "PUBLIC", sql: "SELECT 1", arguments: [EncodedValue(.int(3))], pageSize: 10,
                                                statementType: .select, distributedJoins: true, replicatedOnly: true, collocated: true,
                                                timeout: 250, includeFieldNames: true))),
        Case(name: "3000 get type name (.NET)", hex: "0f000000b80b070000000000000001c7cfffff",
             build: frame(GetBinaryTypeNameRequest(platform: .dotNet, typeId: -12345))),
        Case(name: "3001 register type name", hex: "1b000000b90b0700000000000000006300000009070000006f72672e782e59",
             build: frame(RegisterBinaryTypeNameRequest(typeId: 99, typeName: "org.x.Y"))),
        Case(name: "3004 binary configuration (bit 8)", hex: "0a000000bc0b0700000000000000", build: frame(BinaryConfigurationGetRequest())),
        Case(name: "5001 change state to ACTIVE_READ_ONLY (bit 2)", hex: "0b0000008913070000000000000002",
             build: frame(ClusterChangeStateRequest(state: .activeReadOnly))),
        Case(name: "5002 change WAL state", hex: "160000008a1307000000000000000906000000676f6c64656e00",
             build: frame(ClusterChangeWALStateRequest(cacheName: "golden", enable: false))),
        Case(name: "5003 get WAL state", hex: "150000008b1307000000000000000906000000676f6c64656e",
             build: frame(ClusterGetWALStateRequest(cacheName: "golden"))),
        Case(name: "5100 node ids: attribute and server-nodes projection (bit 4)",
             hex: "2b000000ec13070000000000000003000000000000000200000001000904000000726f6c6509020000006462020001",
             build: frame(ClusterGroupGetNodeIdsRequest(knownTopologyVersion: 3, projection: [.attribute(name: "role", value: "db"), .serverNodes(true)]))),
        // Raw ids (no type code 10): `ClientClusterGroupGetNodesDetailsRequest` (server, `pc/cluster/`) reads
        // `new UUID(reader.readLong(), reader.readLong())`, Apache and GridGain alike.
        Case(name: "5101 node info: raw UUIDs (bit 4)",
             hex: "2e000000ed13070000000000000002000000614a720033f738a47f7e11fe533ed6b401000000000000000200000000000000",
             build: frame(ClusterGroupGetNodeInfoRequest(nodeIds: [node1, node2]))),
        Case(name: "5102 node endpoints (bit 3)", hex: "1a000000ee1307000000000000000400000000000000ffffffffffffffff",
             build: frame(ClusterGroupGetNodeEndpointsRequest(startTopologyVersion: 4, endTopologyVersion: -1))),
    ]

    @Test(arguments: cases)
    func frameIsByteExact(_ c: Case) throws {
        #expect(JavaHash.cacheId("golden") == -1_240_337_143)
        #expect(Hex.encode(try c.build(c.context)) == c.hex)
    }

    /// Every golden frame decodes again through the server direction to a request that re-encodes to the same bytes.
    @Test(arguments: cases)
    func frameRoundTripsThroughTheServerDecoder(_ c: Case) throws {
        let bytes = try Hex.decode(c.hex)
        var reader = BinaryReader(Array(bytes.dropFirst(4)))
        let op = try reader.readInt16()
        #expect(try reader.readInt64() == 7)
        let decoded: any IgniteRequest
        switch op {
        case 1022: decoded = try CachePutAllConflictRequest.decodeBody(from: &reader, context: c.context)
        case 1023: decoded = try CacheRemoveAllConflictRequest.decodeBody(from: &reader, context: c.context)
        case 1100: decoded = try CacheNodePartitionsRequest.decode(from: &reader)
        case 1101: decoded = try CachePartitionsRequest.decode(from: &reader, context: c.context)
        default:
            let entry = try #require(RequestRegistry.table[op], "no server decoder for op \(op)")
            decoded = try entry(&reader, c.context).value
        }
        #expect(reader.isAtEnd, "\(c.name): \(reader.remaining) byte(s) left")
        #expect(Hex.encode(try Self.reframe(decoded, context: c.context)) == c.hex)
    }

    private static func reframe(_ request: any IgniteRequest, context: ProtocolContext) throws -> [UInt8] {
        try RequestFraming.frame(request, requestId: 7, context: context)
    }

    @Test func conflictOperationsNeedBit12AndValidExpireTimes() throws {
        let gridGain = ProtocolContext(version: .v1_7_0, features: .defaultRequested)
        #expect(!ProtocolFeatures.defaultRequested.contains(.dataReplicationOperations))
        var writer = BinaryWriter()
        #expect(throws: IgniteError.self) {
            try RequestFraming.encode(CachePutAllConflictRequest(cache: Self.cache, entries: []), requestId: 1, context: gridGain, into: &writer)
        }
        #expect(throws: IgniteError.self) {
            try RequestFraming.encode(CacheRemoveAllConflictRequest(cache: Self.cache, entries: []), requestId: 1, context: gridGain, into: &writer)
        }
        let negative = ConflictPutEntry(key: Self.key, value: Self.value, version: .null, expireTime: -1)
        do {
            try RequestFraming.encode(CachePutAllConflictRequest(cache: Self.cache, entries: [negative]), requestId: 1, context: Self.full, into: &writer)
            Issue.record("negative expire time accepted")
        } catch let error as IgniteError {
            #expect(error.code == .parameter)
        }
        #expect(writer.count == 0, "failed encodes leave nothing behind")
        #expect(OpCode.cachePutAllConflict.operationType == .conflictUpdate)
        #expect(OpCode.cacheRemoveAllConflict.operationType?.isReadOnly == false)
    }

    @Test func hostileConflictCountsAreRejectedBeforeAllocating() throws {
        var body = BinaryWriter()
        try Self.cache.encode(into: &body, context: Self.full)
        body.writeInt32(Int32.max)
        body.writeBytes([4, 0, 0, 0, 0, 0, 0, 0, 0])
        let decoders: [(inout BinaryReader) throws -> Void] = [
            { _ = try CachePutAllConflictRequest.decodeBody(from: &$0, context: Self.full) },
            { _ = try CacheRemoveAllConflictRequest.decodeBody(from: &$0, context: Self.full) },
        ]
        for decode in decoders {
            var reader = BinaryReader(body.bytes)
            do {
                try decode(&reader)
                Issue.record("hostile count accepted")
            } catch let error as IgniteError {
                #expect(error.code == .parse)
            }
        }
    }

    @Test func featureBitsAboveTheLimitAreIgnored() {
        var features = ProtocolFeatures()
        features.insert(FeatureBit(1_000_000_000))
        features.insert(FeatureBit(-3))
        #expect(features.bytes.isEmpty)
        features.insert(FeatureBit(1023))
        #expect(features.bytes.count == 128 && features.contains(FeatureBit(1023)))
    }
}
