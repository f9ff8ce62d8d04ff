import Foundation
import IgniteProtocol

/// The outcome of one request: a body, or a status and message.
enum OpResult: Sendable {
    case success([UInt8])
    case failure(Int32, String)

    static let empty = OpResult.success([])

    static func body(_ build: (inout BinaryWriter) -> Void) -> OpResult {
        var writer = BinaryWriter(capacity: 32)
        build(&writer)
        return .success(writer.bytes)
    }

    static func bool(_ value: Bool) -> OpResult { .success([value ? 1 : 0]) }
    static func value(_ value: IgniteValue?) -> OpResult { .success(ServerValueWriter.bytes(value ?? .null)) }
}

/// The exact texts of the real server (SERVER-BEHAVIOUR §3).
enum ServerMessages {
    static func cacheDoesNotExist(_ cacheId: Int32) -> String { "Cache does not exist [cacheId= \(cacheId)]" }
    static func cacheExists(_ name: String) -> String { "Failed to start cache (a cache with the same name is already started): \(name)" }
    static let cacheNameInvalid = "Ouch! Argument is invalid: Cache name must not be null or empty."
    static func argumentNull(_ name: String) -> String { "Ouch! Argument cannot be null: \(name)" }
    static func invalidOpCode(_ op: Int16) -> String { "Invalid request op code: \(op)" }
    static func resourceNotFound(_ id: Int64) -> String { "Failed to find resource with id: \(id)" }
    static func tooManyCursors(_ max: Int) -> String {
        "Too many open cursors (either close other open cursors or increase the limit through ClientConnectorConfiguration.maxOpenCursorsPerConnection) [maximum=\(max), current=\(max)]"
    }
    static func txLimit(_ max: Int) -> String {
        "Active transactions per connection limit (\(max)) exceeded. To start a new transaction you need to wait for some of currently active transactions complete. To change the limit set up ThinClientConfiguration.MaxActiveTxPerConnection property."
    }
    static func txNotFound(_ id: Int32) -> String { "Transaction with id \(id) not found." }
    /// `IgniteKernal.checkClusterState()` (also `IgniteH2Indexing.checkClusterState` for SQL), thrown as an
    /// IgniteException: status 1 (ClientRequestHandler.handleException maps anything but IgniteClientException to FAILED).
    static let inactive = "Can not perform the operation because the cluster is inactive. Note, that the cluster is considered inactive by default if Ignite Persistent Store is used to let all the nodes join the cluster. To activate the cluster call Ignite.active(true)."
    static func readOnly(cache: String, group: String?) -> String {
        "class org.apache.ignite.internal.processors.cache.CacheInvalidStateException: Failed to perform cache operation (cluster is in read-only mode) [cacheGrp=\(group ?? "null"), cache=\(cache)]"
    }
    static func atomicInTx(gridGain: Bool) -> String {
        gridGain
            ? "Transaction spans operations on atomic cache (don't use atomic cache inside transaction or set up flag by cache.allowedAtomicOpsInTx()). Since 8.9.0 atomic operations inside transactions are not allowed by default. To return the previous behaviour and to allow operations with atomic caches in transactions you can set system property IGNITE_ALLOW_ATOMIC_OPS_IN_TX to true."
            : "Transaction spans operations on atomic cache (don't use atomic cache inside transaction or set up flag by cache.allowedAtomicOpsInTx())."
    }
    static func txTimedOut(_ tx: TransactionState) -> String {
        let concurrency = tx.concurrency == 0 ? "OPTIMISTIC" : "PESSIMISTIC"
        let isolation = ["READ_COMMITTED", "REPEATABLE_READ", "SERIALIZABLE"][Int(max(0, min(2, tx.isolation)))]
        return "Cache transaction timed out: GridNearTxLocal[xid=\(tx.xid.uuidString.lowercased()), concurrency=\(concurrency), "
            + "isolation=\(isolation), state=ROLLED_BACK, timeout=\(tx.timeoutMilliseconds), label=\(tx.label ?? "null")]"
    }
}

/// Parses and answers one request on a connection.
struct RequestHandler {
    let session: ConnectionSession
    let context: ProtocolContext
    /// The request's id (compute tasks send their notification after the response to it).
    var requestId: Int64 = 0

    var node: IgniteTestNode { session.node }
    var core: ClusterCore { session.core }
    var configuration: TestNodeConfiguration { session.configuration }

    /// Answers one request.
    /// - Throws: any decoding error, which makes the connection close without a reply.
    func handle(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        switch op.rawValue {
        case 0: return try resourceClose(&reader)
        case 1: return .empty
        case 2: return .body { $0.writeInt64(configuration.idleTimeout?.wholeMilliseconds ?? 0) }
        case 1000...1021: return try keyValue(op, &reader)
        case 1024...1025 where configuration.isGridGain: return try invoke(op, &reader)
        case 1050...1056: return try cacheManagement(op, &reader)
        case 1057 where configuration.isGridGain: return try destroyCaches(&reader)
        case 1100: return try nodePartitions(&reader)
        case 1101: return try cachePartitions(&reader)
        case 2000: return try scan(&reader)
        case 2001, 2003, 2005, 2009: return try nextPage(op, &reader)
        case 2008: return try indexQuery(&reader)
        case 2006: return try continuousQuery(&reader)
        case 2002: return try sqlQuery(&reader)
        case 2004: return try sqlFieldsQuery(&reader)
        case 3000...3004: return try binaryType(op, &reader)
        case 4000: return try txStart(&reader)
        case 4001: return try txEnd(&reader)
        case 5000...5003: return try clusterState(op, &reader)
        case 5100...5102: return try clusterGroup(op, &reader)
        case 8000: return try dataStreamerStart(&reader)
        case 8001: return try dataStreamerAddData(&reader)
        case 6000: return try computeExecute(&reader)
        case 7000...7002: return try service(op, &reader)
        case 9000...9007: return try atomicLong(op, &reader)
        case 9010...9023: return try igniteSet(op, &reader)
        case 9030...9034 where configuration.isGridGain: return try atomicSequence(op, &reader)
        default: return .failure(ServerStatus.invalidOpCode, ServerMessages.invalidOpCode(op.rawValue))
        }
    }

    private func resourceClose(_ reader: inout BinaryReader) throws -> OpResult {
        let id = try reader.readInt64()
        let removed = session.state.withLock { $0.cursors.removeValue(forKey: id) != nil || $0.streamers.removeValue(forKey: id) != nil }
            || releaseExtraResource(id) || core.data.withLock { $0.removeContinuousQuery(id, session: session) }
        return removed ? .empty : .failure(ServerStatus.resourceDoesNotExist, ServerMessages.resourceNotFound(id))
    }
}

extension CacheInfo {
    /// Reads the cache-request prefix (server direction): `i32 cacheId, i8 flags, [expiry if 0x04], [i32 txId if 0x02]`.
    static func read(_ reader: inout BinaryReader) throws -> CacheInfo {
        try CacheInfo.decode(from: &reader)
    }
}

extension BinaryReader {
    /// Reads an i32 count of following items, validated against the bytes left.
    mutating func readCount(minimumItemSize: Int = 1) throws -> Int {
        try checkCount(try readInt32(), elementSize: minimumItemSize)
    }
}
