import Foundation
import Testing
@testable import IgniteProtocol

/// Requests built from scratch, as the scenario notes describe them, compared with the captured frames byte for byte
/// (request id and negotiated protocol taken from the capture).
@Suite("Captured request frames", .enabled(if: CaptureFiles.isAvailable, "captures not found (set IGNITE_CAPTURES_DIR)"))
struct CaptureRequestBytesTests {
    let lines: [CaptureLine]
    let replay: CaptureReplay

    init() throws {
        lines = try CaptureFiles.loadAll()
        replay = try CaptureReplay.shared.get()
    }

    /// The `index`-th captured frame of `op` in a scenario, and the context it was sent with.
    private func captured(_ scenario: String, op: Int16, index: Int = 0) throws -> (frame: [UInt8], requestId: Int64, context: ProtocolContext) {
        let frames = lines.filter { $0.scenario == scenario && $0.dir == "c2s" && $0.op == op }
        let exchanges = replay.exchanges(scenario, op: op)
        let line = try #require(index < frames.count ? frames[index] : nil, "\(scenario) op \(op) #\(index)")
        let exchange = try #require(index < exchanges.count ? exchanges[index] : nil)
        return (line.bytes, try #require(line.requestId), exchange.context)
    }

    private func check<R: IgniteRequest>(_ request: R, _ scenario: String, index: Int = 0, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let capture = try captured(scenario, op: request.opCode.rawValue, index: index)
        let frame = try RequestFraming.frame(request, requestId: capture.requestId, context: capture.context)
        #expect(Hex.encode(frame) == Hex.encode(capture.frame), "\(scenario)", sourceLocation: sourceLocation)
    }

    private let capKV = CacheInfo(cacheName: "capKV")
    private func long(_ value: Int64) -> EncodedValue { EncodedValue(.long(value)) }
    private func string(_ value: String) -> EncodedValue { EncodedValue(.string(value)) }

    @Test func generalAndKeyValue() throws {
        try check(GetIdleTimeoutRequest(), "handshake.heartbeat-bit11")
        try check(HeartbeatRequest(), "handshake.heartbeat-bit11")
        try check(CacheGetOrCreateWithNameRequest(name: "capKV"), "kv.setup")
        try check(CacheClearRequest(cache: capKV), "kv.setup")
        try check(CachePutRequest(cache: capKV, key: long(1), value: string("one")), "kv.put")
        try check(CacheGetRequest(cache: capKV, key: long(404)), "kv.get-miss")
        try check(CachePutRequest(cache: capKV, key: EncodedValue(.int(2)), value: string("two")), "kv.put-int-key")
        try check(CacheGetAllRequest(cache: capKV, keys: [long(1), long(10), long(20), long(404)]), "kv.get-all-with-miss")
        try check(CachePutAllRequest(cache: capKV, entries: [20, 21, 22].map { EncodedEntry(key: long($0), value: string(["a", "b", "c"][Int($0 - 20)])) }),
                  "kv.put-all")
        try check(CacheReplaceIfEqualsRequest(cache: capKV, key: long(40), expected: string("r"), value: string("s")), "kv.replace-if-equals-match")
        try check(CacheRemoveIfEqualsRequest(cache: capKV, key: long(10), expected: string("nope")), "kv.remove-if-equals-mismatch")
        try check(CacheContainsKeysRequest(cache: capKV, keys: [long(1), long(41)]), "kv.contains-keys-some-missing")
        try check(CacheGetSizeRequest(cache: capKV, peekModes: [.primary, .backup]), "kv.get-size-primary+backup")
        try check(CacheGetSizeRequest(cache: capKV), "kv.get-size-none")
        try check(CacheLocalPeekRequest(cache: capKV, key: long(1), peekModes: [.all]), "kv.local-peek-hit")
        try check(CacheLocalPeekRequest(cache: capKV, key: long(1)), "kv.local-peek-raw-no-modes")
        try check(CacheGetRequest(cache: CacheInfo(cacheName: "capKV", keepBinary: true), key: long(1)), "kv.keep-binary-flag")
        try check(CacheRemoveAllRequest(cache: capKV), "kv.remove-all")
        try check(CacheGetRequest(cache: CacheInfo(cacheId: 12_345), key: EncodedValue(.int(1))), "handshake.raw-1.0.0")
    }

    @Test func cachesAndQueries() throws {
        try check(CacheGetNamesRequest(), "cache-config.get-names")
        try check(CacheCreateWithNameRequest(name: "capCreated"), "cache-config.create-with-name")
        try check(CacheGetConfigurationRequest(cacheId: JavaHash.cacheId("capCfg")), "cache-config.get-configuration-1.0.0")
        try check(CacheDestroyRequest(cacheId: JavaHash.cacheId("capGoc")), "cache-config.destroy")
        let capScan = CacheInfo(cacheName: "capScan")
        try check(QueryScanRequest(cache: capScan, pageSize: 3), "scan-sql.scan-page3-full")
        try check(QueryScanCursorGetPageRequest(cursorId: 1), "scan-sql.scan-page3-full")
        try check(QueryScanRequest(cache: capScan, pageSize: 10, partition: 1), "scan-sql.scan-one-partition")
        try check(QueryScanRequest(cache: capScan, pageSize: 20, local: true), "scan-sql.scan-local")
        try check(ResourceCloseRequest(resourceId: 987_654), "scan-sql.resource-close-unknown")
        try check(QuerySQLFieldsRequest(sql: "SELECT ID, NAME FROM CAP_CITY ORDER BY ID", pageSize: 2, includeFieldNames: true),
                  "scan-sql.sql-select-page2-with-names")
        try check(QuerySQLFieldsCursorGetPageRequest(cursorId: 1, columnCount: 2), "scan-sql.sql-select-page2-with-names")
        try check(QuerySQLFieldsRequest(sql: "SELECT NAME FROM CAP_CITY ORDER BY ID", pageSize: 1024, maxRows: 1, statementType: .select,
                                        timeout: 5000, includeFieldNames: true), "scan-sql.sql-fields-raw-all-flags")
        // With a cache id, pyignite sends a null schema.
        try check(QuerySQLFieldsRequest(cache: CacheInfo(cacheName: "CapCityCache"), schema: nil, sql: "SELECT NAME FROM CAP_CITY WHERE ID > ?",
                                        arguments: [EncodedValue(.int(3))]), "scan-sql.sql-select-with-cache-id")
        let city = CacheInfo(cacheName: "CapCityCache")
        try check(QuerySQLRequest(cache: city, typeName: "CapCity", sql: "ID > ?", arguments: [EncodedValue(.int(0))], pageSize: 2),
                  "scan-sql.sql-query-entities-row-query")
        try check(QuerySQLCursorGetPageRequest(cursorId: 1), "scan-sql.sql-query-entities-row-query")
        try check(QuerySQLRequest(cache: city, typeName: "CapCity", sql: "NAME LIKE ?", arguments: [string("%e%")], pageSize: 10),
                  "scan-sql.sql-row-query-raw")
    }

    @Test func binaryTypesTransactionsAndCluster() throws {
        try check(RegisterBinaryTypeNameRequest(platform: .java, typeId: JavaHash.typeId("org.cap.CapThing"), typeName: "org.cap.CapThing"),
                  "binary-types.type-name-register")
        try check(GetBinaryTypeNameRequest(platform: .dotNet, typeId: 1_938_228_674), "binary-types.type-name-get-other-platform")
        try check(BinaryConfigurationGetRequest(), "binary-types.binary-configuration")
        try check(GetBinaryTypeRequest(typeId: JavaHash.typeId("CapBT")), "binary-types.get-type")
        let capBT = BinaryType(typeName: "CapBT", fields: [BinaryType.Field(name: "a", typeCode: 3), BinaryType.Field(name: "b", typeCode: 9)])
        try check(PutBinaryTypeRequest(binaryType: capBT), "binary-types.put-type")
        let color = BinaryType(typeName: "CapColor", isEnum: true, enumValues: [("RED", 0), ("GREEN", 1), ("BLUE", 2)])
        try check(PutBinaryTypeRequest(binaryType: color), "types.enum-register")

        try check(TxStartRequest(timeout: 5000, label: "cap-commit"), "tx-expiry.tx-commit")
        let capTx = CacheInfo(cacheName: "capTx", transactionId: 1)
        try check(CachePutRequest(cache: capTx, key: long(1), value: string("in-tx")), "tx-expiry.tx-commit")
        try check(TxEndRequest(transactionId: 1, commit: true), "tx-expiry.tx-commit")
        try check(TxStartRequest(concurrency: .optimistic, isolation: .serializable), "tx-expiry.tx-optimistic-serializable")
        try check(TxEndRequest(transactionId: 9999, commit: true), "tx-expiry.tx-end-unknown-id")
        let expiry = ExpiryPolicy(create: .milliseconds(500))
        try check(CachePutRequest(cache: CacheInfo(cacheName: "capKV", expiryPolicy: expiry), key: long(777), value: string("short")),
                  "tx-expiry.expiry-put-create-500ms")
        let both = CacheInfo(cacheName: "capTx", expiryPolicy: ExpiryPolicy(create: .milliseconds(60_000)), transactionId: 1)
        try check(CachePutRequest(cache: both, key: long(6), value: string("ttl-in-tx")), "tx-expiry.expiry-and-tx-flags")
        let eternal = ExpiryPolicy(create: .eternal, access: .milliseconds(60_000))
        try check(CacheGetRequest(cache: CacheInfo(cacheName: "capKV", expiryPolicy: eternal), key: long(2)), "tx-expiry.expiry-eternal-and-access")

        try check(ClusterGetStateRequest(), "cluster.get-state")
        try check(ClusterChangeStateRequest(state: .activeReadOnly), "cluster.set-active-read-only")
        try check(ClusterGetStateRequest(), "cluster.get-state-1.6.0")
        try check(ClusterGetWALStateRequest(cacheName: "capKV"), "cluster.wal-get")
        try check(ClusterChangeWALStateRequest(cacheName: "capKV", enable: false), "cluster.wal-disable-in-memory")
        try check(ClusterGroupGetNodeIdsRequest(knownTopologyVersion: 0, projection: [.serverNodes(true)]), "cluster.group-node-ids-and-info")
        try check(ClusterGroupGetNodeIdsRequest(knownTopologyVersion: 1, projection: [.serverNodes(true)]), "cluster.group-node-ids-and-info",
                  index: 1)
        let node = try #require(UUID(uuidString: "a438f733-0072-4a61-b4d6-3e53fe117e7f"))
        try check(ClusterGroupGetNodeInfoRequest(nodeIds: [node]), "cluster.group-node-ids-and-info")
        try check(ClusterGroupGetNodeEndpointsRequest(), "cluster.group-node-endpoints")
    }
}
