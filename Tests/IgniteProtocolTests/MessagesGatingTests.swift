import Foundation
import Testing
@testable import IgniteProtocol

/// Requests the negotiated protocol cannot express fail with `notSupportedByCluster`; invalid arguments with
/// `parameter`; and a failed encode leaves nothing in the writer.
@Suite("Protocol gating")
struct MessagesGatingTests {
    static let v140 = ProtocolContext(version: .v1_4_0)
    static let v150 = ProtocolContext(version: .v1_5_0)
    static let v160 = ProtocolContext(version: .v1_6_0)
    static let bare170 = ProtocolContext(version: .v1_7_0)
    static let full170 = ProtocolContext(version: .v1_7_0, features: .defaultRequested)

    private func code<R: IgniteRequest>(_ request: R, _ context: ProtocolContext) -> IgniteError.Code? {
        var writer = BinaryWriter()
        writer.writeBytes([1, 2, 3])
        do {
            try RequestFraming.encode(request, requestId: 9, context: context, into: &writer)
            return nil
        } catch let error as IgniteError {
            #expect(writer.bytes == [1, 2, 3], "a failed encode must not leave a partial frame")
            return error.code
        } catch {
            Issue.record("not an IgniteError: \(error)")
            return nil
        }
    }

    private let key = EncodedValue(.long(1))
    private let value = EncodedValue(.string("v"))

    @Test func featureBits() {
        #expect(code(HeartbeatRequest(), Self.bare170) == .notSupportedByCluster)
        #expect(code(HeartbeatRequest(), Self.full170) == nil)
        #expect(code(GetIdleTimeoutRequest(), Self.v160) == .notSupportedByCluster)
        #expect(code(GetIdleTimeoutRequest(), Self.full170) == nil)
        #expect(code(BinaryConfigurationGetRequest(), Self.bare170) == .notSupportedByCluster)
        #expect(code(BinaryConfigurationGetRequest(), Self.full170) == nil)
        #expect(code(ClusterGroupGetNodeIdsRequest(), Self.bare170) == .notSupportedByCluster)
        #expect(code(ClusterGroupGetNodeInfoRequest(nodeIds: [UUID()]), Self.bare170) == .notSupportedByCluster)
        #expect(code(ClusterGroupGetNodeEndpointsRequest(), Self.bare170) == .notSupportedByCluster)
        #expect(code(ClusterGroupGetNodeEndpointsRequest(), ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.clusterGroupGetNodesEndpoints]))) == nil)
        #expect(code(ClusterGroupGetNodeIdsRequest(projection: [.attribute(name: "a", value: "b")]), Self.full170) == nil)
    }

    @Test func versions() {
        #expect(code(TxStartRequest(), Self.v140) == .notSupportedByCluster)
        #expect(code(TxStartRequest(), Self.v150) == nil)
        #expect(code(TxEndRequest(transactionId: 1, commit: true), Self.v140) == .notSupportedByCluster)
        let inTx = CacheInfo(cacheId: 1, transactionId: 3)
        #expect(code(CachePutRequest(cache: inTx, key: key, value: value), Self.v140) == .notSupportedByCluster)
        #expect(code(CachePutRequest(cache: inTx, key: key, value: value), Self.v150) == nil)
        let withExpiry = CacheInfo(cacheId: 1, expiryPolicy: ExpiryPolicy(create: .zero))
        #expect(code(CacheGetRequest(cache: withExpiry, key: key), Self.v150) == .notSupportedByCluster)
        #expect(code(CacheGetRequest(cache: withExpiry, key: key), Self.v160) == nil)
        // Cluster API: 1.6.0 or bit 2 (features are always empty below 1.7.0).
        #expect(code(ClusterGetStateRequest(), Self.v150) == .notSupportedByCluster)
        #expect(code(ClusterGetStateRequest(), Self.v160) == nil)
        #expect(code(ClusterGetWALStateRequest(cacheName: "c"), Self.v150) == .notSupportedByCluster)
        #expect(code(ClusterChangeWALStateRequest(cacheName: "c", enable: true), Self.v160) == nil)
        #expect(code(ClusterChangeStateRequest(state: .active), Self.v160) == nil)
        #expect(code(ClusterChangeStateRequest(state: .activeReadOnly), Self.v160) == .notSupportedByCluster)
        #expect(code(ClusterChangeStateRequest(state: .activeReadOnly), Self.bare170) == .notSupportedByCluster)
        #expect(code(ClusterChangeStateRequest(state: .activeReadOnly), Self.full170) == nil)
    }

    @Test func queriesInsideTransactionsAreRefused() {
        let inTx = CacheInfo(cacheId: 1, transactionId: 3)
        #expect(code(QueryScanRequest(cache: inTx), Self.full170) == .notSupportedByCluster)
        #expect(code(QuerySQLRequest(cache: inTx, typeName: "T", sql: "1=1"), Self.full170) == .notSupportedByCluster)
        #expect(code(QuerySQLFieldsRequest(cache: inTx, sql: "SELECT 1"), Self.full170) == .notSupportedByCluster)
    }

    @Test func sqlPartitionsNeedBit7() throws {
        let request = QuerySQLFieldsRequest(sql: "SELECT 1", partitions: [1, 5], updateBatchSize: 8)
        #expect(code(request, Self.full170) == .notSupportedByCluster)
        let bit7 = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.queryPartitionsBatchSize]))
        var writer = BinaryWriter()
        try request.encodeBody(into: &writer, context: bit7)
        #expect(Array(writer.bytes.suffix(16)) == [2, 0, 0, 0, 1, 0, 0, 0, 5, 0, 0, 0, 8, 0, 0, 0])
        var reader = BinaryReader(writer.bytes)
        #expect(try QuerySQLFieldsRequest.decodeBody(from: &reader, context: bit7) == request)
        // With bit 7 and nothing set: no partitions (−1) and batch size 1.
        var plain = BinaryWriter()
        try QuerySQLFieldsRequest(sql: "SELECT 1").encodeBody(into: &plain, context: bit7)
        #expect(Array(plain.bytes.suffix(8)) == [0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 0])
        // Without bit 7 the request ends with includeFieldNames.
        var without = BinaryWriter()
        try QuerySQLFieldsRequest(sql: "SELECT 1").encodeBody(into: &without, context: Self.full170)
        #expect(without.count == plain.count - 8)
    }

    @Test func invalidArguments() {
        let cache = CacheInfo(cacheId: 1)
        #expect(code(QueryScanRequest(cache: cache, pageSize: 0), Self.full170) == .parameter)
        #expect(code(QueryScanRequest(cache: cache, partition: -3), Self.full170) == .parameter)
        #expect(code(QuerySQLRequest(cache: cache, typeName: "T", sql: "x", timeout: -1), Self.full170) == .parameter)
        #expect(code(QuerySQLFieldsRequest(sql: "x", pageSize: -1), Self.full170) == .parameter)
        let bit7 = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.queryPartitionsBatchSize]))
        #expect(code(QuerySQLFieldsRequest(sql: "x", partitions: [-1]), bit7) == .parameter)
        #expect(code(QuerySQLFieldsRequest(sql: "x", updateBatchSize: 0), bit7) == .parameter)
        #expect(code(TxStartRequest(timeout: -5), Self.full170) == .parameter)
        let bad = CacheInfo(cacheId: 1, expiryPolicy: ExpiryPolicy(access: .milliseconds(-3)))
        #expect(code(CacheGetRequest(cache: bad, key: key), Self.full170) == .parameter)
        let negative = CacheInfo(cacheId: 1, expiryPolicy: ExpiryPolicy(create: ExpiryDuration(.milliseconds(-1))))
        #expect(code(CacheGetRequest(cache: negative, key: key), Self.full170) == .parameter, "a negative Duration must not become ETERNAL")
    }

    @Test func expiryDurations() throws {
        #expect(ExpiryDuration(.seconds(2)).milliseconds == 2000)
        // The one rounding rule of durations on the wire: up, so a positive TTL never becomes 0 ("expire at once").
        #expect(ExpiryDuration(.microseconds(1500)).milliseconds == 2)
        #expect(ExpiryDuration(.microseconds(500)).milliseconds == 1)
        #expect(ExpiryDuration(.zero) == .zero)
        #expect(ExpiryDuration.unchanged.milliseconds == -2 && ExpiryDuration.eternal.milliseconds == -1)
        #expect(ExpiryDuration(.seconds(Int64.max)).milliseconds == Int64.max)
        var writer = BinaryWriter()
        try CacheInfo(cacheId: 7, keepBinary: true, expiryPolicy: ExpiryPolicy(create: .milliseconds(1000), access: .eternal),
                      transactionId: 0x1234_5678).encode(into: &writer, context: Self.full170)
        // cacheId, flags 0x07, create 1000, update −2, access −1, txId
        let expected: [UInt8] = [7, 0, 0, 0, 7, 0xE8, 3, 0, 0, 0, 0, 0, 0] + [0xFE] + Array(repeating: 0xFF, count: 7)
            + Array(repeating: 0xFF, count: 8) + [0x78, 0x56, 0x34, 0x12]
        #expect(writer.bytes == expected)
        var reader = BinaryReader(writer.bytes)
        let decoded = try CacheInfo.decode(from: &reader)
        #expect(decoded.transactionId == 0x1234_5678 && decoded.keepBinary && decoded.expiryPolicy?.update == .unchanged)
    }

    @Test func encodedValues() throws {
        var types = BinaryTypeCollector()
        #expect(try EncodedValue(Int32(5), types: &types).bytes == [3, 5, 0, 0, 0])
        #expect(types.isEmpty)
        #expect(EncodedValue(.null) == .null && EncodedValue.null.isNull)
        #expect(try EncodedValue(validating: [9, 1, 0, 0, 0, 0x41]).decoded() == .string("A"))
        #expect(throws: IgniteError.self) { try EncodedValue(validating: [9, 1, 0, 0, 0]) }
        #expect(throws: IgniteError.self) { try EncodedValue(validating: [3, 1, 0, 0, 0, 0]) }
        #expect(throws: IgniteError.self) { try EncodedValue(validating: [0x7F]) }
    }

    /// The bytes `value`'s conformance writes through a ``BinaryWriter`` (the path every other type takes).
    private static func written<T: IgniteBinaryEncodable>(_ value: T) throws -> [UInt8] {
        var writer = BinaryWriter()
        var types = BinaryTypeCollector()
        try value.encodeIgnite(into: &writer, types: &types)
        return writer.bytes
    }

    /// Checks one value kept in place against the writer's bytes, and the storage-independent behaviour.
    private static func checkInPlace<T: IgniteBinaryEncodable>(_ value: T, inline: Bool) throws {
        var types = BinaryTypeCollector()
        let encoded = try EncodedValue(value, types: &types)
        let expected = try written(value)
        #expect(encoded.bytes == expected, "\(T.self) \(value)")
        #expect(encoded.count == expected.count)
        #expect(encoded.withUnsafeBytes { Array($0) } == expected)
        #expect(encoded.inlineKeyHashCode != nil || !inline, "kept in place: \(T.self) \(value)")
        #expect(encoded.inlineKeyHashCode == nil || inline)
        let heap = try EncodedValue(validating: expected)
        #expect(heap == encoded && encoded == heap && heap.hashValue == encoded.hashValue)
        #expect(EncodedValue(try encoded.decoded()) == heap, "decodes to what encodes back to the same bytes (NaN too)")
        var writer = BinaryWriter()
        writer.writeEncodedValue(encoded)
        #expect(writer.bytes == expected)
        #expect(types.isEmpty)
    }

    @Test("ints, longs, UUIDs, doubles, bools and short strings are kept in place, byte for byte what their conformances write")
    func inPlaceEncodings() throws {
        for value in [Int64.min, Int64.min + 1, -256, -1, 0, 1, 255, 256, 1 << 31, 1 << 56, Int64.max] {
            try Self.checkInPlace(value, inline: true)
            try Self.checkInPlace(Int(value), inline: true)
            try Self.checkInPlace(Int32(truncatingIfNeeded: value), inline: true)
        }
        for text in ["", "a", "key-1", "ключ", "日本語", "😀😀", "1234567890123456789", "é12345678901234567", "ключ-ключ"] {
            try Self.checkInPlace(text, inline: true)
        }
        // 20 UTF-8 bytes and more do not fit (5 header bytes + 19), nor do other types: same bytes, in an array.
        for text in ["12345678901234567890", "ключ-ключ-к", String(repeating: "z", count: 1000)] {
            try Self.checkInPlace(text, inline: false)
        }
        for uuid in [UUID(), UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                     UUID(uuid: (0xFF, 0xFE, 0xFD, 0xFC, 0xFB, 0xFA, 0xF9, 0xF8, 1, 2, 3, 4, 5, 6, 7, 8))] {
            try Self.checkInPlace(uuid, inline: true)
        }
        for number in [0.0, -0.0, 2.5, -1e300, .infinity, -.infinity, .nan, .leastNonzeroMagnitude] {
            try Self.checkInPlace(number, inline: true)
        }
        try Self.checkInPlace(true, inline: true)
        try Self.checkInPlace(false, inline: true)
        try Self.checkInPlace(Int16(-3), inline: false)
        try Self.checkInPlace(Float(2.5), inline: false)
        try Self.checkInPlace(Date(timeIntervalSince1970: 1), inline: false)
        // A bridged or non-contiguous string takes the same path as a native one.
        let substring = "xxkey-2yy".dropFirst(2).dropLast(2)
        try Self.checkInPlace(String(substring), inline: true)
        // Mutating the bytes of a value kept in place moves them to an array and keeps equality by bytes.
        var types = BinaryTypeCollector()
        var mutated = try EncodedValue(Int32(1), types: &types)
        mutated.bytes[1] = 2
        #expect(mutated == (try EncodedValue(Int32(2), types: &types)))
        #expect(mutated != (try EncodedValue(Int32(1), types: &types)))
        #expect(mutated.description == "EncodedValue(5 bytes)")
        let zero = try EncodedValue(Int32(0), types: &types), null = try EncodedValue(validating: [101])
        #expect(!zero.isNull && null.isNull)
    }
}
