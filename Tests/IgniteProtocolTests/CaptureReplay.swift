import Foundation
@testable import IgniteProtocol

/// A request decoded from a captured frame, with its codecs behind closures.
struct ErasedRequest: Sendable {
    /// The request value.
    let value: any IgniteServerCodableRequest
    /// Encodes the body again (client direction).
    let encodeBody: @Sendable (ProtocolContext) throws -> [UInt8]
    /// Decodes a response body with the request's decoder and re-encodes it (server direction).
    let decodeResponse: @Sendable ([UInt8], ProtocolContext) throws -> DecodedResponse

    init<R: IgniteServerCodableRequest>(_ request: R) {
        value = request
        encodeBody = { context in
            var writer = BinaryWriter()
            try request.encodeBody(into: &writer, context: context)
            return writer.bytes
        }
        decodeResponse = { body, context in
            var reader = BinaryReader(body)
            let response = try request.decodeResponse(from: &reader, context: context)
            var writer = BinaryWriter()
            let reencoded: Result<[UInt8], IgniteError>
            do {
                try request.encodeResponse(response, into: &writer, context: context)
                reencoded = .success(writer.bytes)
            } catch {
                reencoded = .failure(error as? IgniteError ?? IgniteError(.server, "\(error)"))
            }
            return DecodedResponse(value: response, remaining: reader.remaining, reencoded: reencoded)
        }
    }
}

/// A response body decoded by the request's decoder.
struct DecodedResponse: Sendable {
    /// The decoded value.
    let value: any Sendable
    /// Bytes of the body left unread (must be 0).
    let remaining: Int
    /// The value encoded again with the server-direction encoder.
    let reencoded: Result<[UInt8], IgniteError>
}

/// Maps op codes to the request types that decode them (server direction).
enum RequestRegistry {
    typealias Decoder = @Sendable (inout BinaryReader, ProtocolContext) throws -> ErasedRequest

    private static func entry<R: IgniteServerCodableRequest>(_ type: R.Type) -> Decoder {
        { reader, context in ErasedRequest(try R.decodeBody(from: &reader, context: context)) }
    }

    /// Every op of this helper. 1100/1101 belong to the affinity helper, 1057 and 3006 are GridGain-only ops this
    /// client does not issue; they are skipped by the replay.
    static let table: [Int16: Decoder] = [
        0: entry(ResourceCloseRequest.self), 1: entry(HeartbeatRequest.self), 2: entry(GetIdleTimeoutRequest.self),
        1000: entry(CacheGetRequest.self), 1001: entry(CachePutRequest.self), 1002: entry(CachePutIfAbsentRequest.self),
        1003: entry(CacheGetAllRequest.self), 1004: entry(CachePutAllRequest.self), 1005: entry(CacheGetAndPutRequest.self),
        1006: entry(CacheGetAndReplaceRequest.self), 1007: entry(CacheGetAndRemoveRequest.self),
        1008: entry(CacheGetAndPutIfAbsentRequest.self), 1009: entry(CacheReplaceRequest.self),
        1010: entry(CacheReplaceIfEqualsRequest.self), 1011: entry(CacheContainsKeyRequest.self),
        1012: entry(CacheContainsKeysRequest.self), 1013: entry(CacheClearRequest.self), 1014: entry(CacheClearKeyRequest.self),
        1015: entry(CacheClearKeysRequest.self), 1016: entry(CacheRemoveKeyRequest.self), 1017: entry(CacheRemoveIfEqualsRequest.self),
        1018: entry(CacheRemoveKeysRequest.self), 1019: entry(CacheRemoveAllRequest.self), 1020: entry(CacheGetSizeRequest.self),
        1021: entry(CacheLocalPeekRequest.self),
        1050: entry(CacheGetNamesRequest.self), 1051: entry(CacheCreateWithNameRequest.self),
        1052: entry(CacheGetOrCreateWithNameRequest.self), 1053: entry(CacheCreateWithConfigurationRequest.self),
        1054: entry(CacheGetOrCreateWithConfigurationRequest.self), 1055: entry(CacheGetConfigurationRequest.self),
        1056: entry(CacheDestroyRequest.self),
        2000: entry(QueryScanRequest.self), 2001: entry(QueryScanCursorGetPageRequest.self), 2002: entry(QuerySQLRequest.self),
        2003: entry(QuerySQLCursorGetPageRequest.self), 2004: entry(QuerySQLFieldsRequest.self),
        2005: entry(QuerySQLFieldsCursorGetPageRequest.self),
        3000: entry(GetBinaryTypeNameRequest.self), 3001: entry(RegisterBinaryTypeNameRequest.self),
        3002: entry(GetBinaryTypeRequest.self), 3003: entry(PutBinaryTypeRequest.self), 3004: entry(BinaryConfigurationGetRequest.self),
        4000: entry(TxStartRequest.self), 4001: entry(TxEndRequest.self),
        5000: entry(ClusterGetStateRequest.self), 5001: entry(ClusterChangeStateRequest.self),
        5002: entry(ClusterChangeWALStateRequest.self), 5003: entry(ClusterGetWALStateRequest.self),
        5100: entry(ClusterGroupGetNodeIdsRequest.self), 5101: entry(ClusterGroupGetNodeInfoRequest.self),
        5102: entry(ClusterGroupGetNodeEndpointsRequest.self),
    ]

    /// Ops skipped on purpose: owned by another helper (1100, 1101) or GridGain-only (1057, 3006).
    static let skipped: Set<Int16> = [1057, 1100, 1101, 3006]
}

/// One request/response pair of a capture, decoded.
struct CaptureExchange: Sendable {
    var file: String
    var scenario: String
    var conn: Int
    var op: Int16
    var requestId: Int64
    var context: ProtocolContext
    /// The captured request body (after the request id).
    var requestBody: [UInt8]
    var request: ErasedRequest?
    var requestDecodeError: String?
    /// Bytes of the request body the decoder left unread.
    var requestRemaining = 0
    var header: ResponseHeader?
    var responseBody: [UInt8]?
    var response: DecodedResponse?
    var responseDecodeError: String?

    /// The decoded response value as `T`, if there is one of that type.
    func value<T>(_: T.Type = T.self) -> T? { response?.value as? T }
}

/// Replays every capture file: handshakes, headers, requests and responses, by connection.
struct CaptureReplay: Sendable {
    var exchanges: [CaptureExchange] = []
    /// Harness-level failures (anything that must never happen).
    var problems: [String] = []
    var handshakeReplies = 0
    var skippedFrames = 0

    static let shared: Result<CaptureReplay, IgniteError> = {
        do { return .success(CaptureReplay(lines: try CaptureFiles.loadAll())) } catch {
            return .failure(error as? IgniteError ?? IgniteError(.parse, "\(error)"))
        }
    }()

    func exchanges(_ scenario: String, op: Int16? = nil) -> [CaptureExchange] {
        exchanges.filter { $0.scenario == scenario && (op == nil || $0.op == op) }
    }

    private struct Connection {
        var proposed: ProtocolVersion?
        var context: ProtocolContext?
        var pending: [Int64: Int] = [:]
        var sqlFieldsColumns: [Int64: Int] = [:]
    }

    init(lines: [CaptureLine]) {
        var connections: [Int: Connection] = [:]
        for line in lines {
            if line.isEvent || line.isPartial {
                skippedFrames += 1
                continue
            }
            var connection = connections[line.conn] ?? Connection()
            defer { connections[line.conn] = connection }
            let where_ = "\(line.scenario) conn \(line.conn) \(line.dir) rid \(line.requestId.map(String.init) ?? "-")"
            if line.isHandshake {
                handleHandshake(line, &connection, where_)
                continue
            }
            guard let context = connection.context else {
                problems.append("\(where_): frame before a successful handshake")
                continue
            }
            if line.dir == "c2s" {
                handleRequest(line, context: context, &connection, where_)
            } else {
                handleResponse(line, context: context, &connection, where_)
            }
        }
    }

    private mutating func handleHandshake(_ line: CaptureLine, _ connection: inout Connection, _ where_: String) {
        if line.dir == "c2s" {
            // The proposed version is read from the fixed header (code 1, i16 × 3): HandshakeRequest.decode expects a
            // user-attributes map by Apache's rules (bit 0 at 1.7.0, any version above 1.7.0), which GridGain-style
            // requests in the captures do not carry. Malformed handshakes (bad code, request first) propose nothing.
            var reader = BinaryReader(line.payload)
            if (try? reader.readUInt8()) == HandshakeRequest.handshakeCode,
               let major = try? reader.readInt16(), let minor = try? reader.readInt16(), let patch = try? reader.readInt16() {
                connection.proposed = ProtocolVersion(major, minor, patch)
            } else {
                connection.proposed = nil
            }
            return
        }
        guard let proposed = connection.proposed else {
            problems.append("\(where_): handshake reply without a decodable request")
            return
        }
        do {
            handshakeReplies += 1
            if case .success(let features, _) = try HandshakeResponse.decode(payload: line.payload, proposed: proposed) {
                let context = ProtocolContext(version: proposed, features: features)
                connection.context = context
                if line.proto != proposed.description { problems.append("\(where_): negotiated \(proposed), capture says \(line.proto ?? "nil")") }
            }
        } catch {
            problems.append("\(where_): handshake reply does not decode: \(error)")
        }
    }

    private mutating func handleRequest(_ line: CaptureLine, context: ProtocolContext, _ connection: inout Connection, _ where_: String) {
        var reader = BinaryReader(line.payload)
        guard let op = try? reader.readInt16(), let requestId = try? reader.readInt64() else {
            problems.append("\(where_): request header does not decode")
            return
        }
        if op != line.op || requestId != line.requestId { problems.append("\(where_): op/request id differ from the capture's fields") }
        if RequestRegistry.skipped.contains(op) {
            skippedFrames += 1
            return
        }
        var exchange = CaptureExchange(file: line.file, scenario: line.scenario, conn: line.conn, op: op, requestId: requestId,
                                       context: context, requestBody: Array(line.payload[reader.position...]))
        if let decoder = RequestRegistry.table[op] {
            do {
                var request = try decoder(&reader, context)
                if let page = request.value as? QuerySQLFieldsCursorGetPageRequest {
                    request = ErasedRequest(QuerySQLFieldsCursorGetPageRequest(cursorId: page.cursorId,
                                                                               columnCount: connection.sqlFieldsColumns[page.cursorId] ?? -1))
                }
                exchange.request = request
                exchange.requestRemaining = reader.remaining
            } catch {
                exchange.requestDecodeError = "\(error)"
            }
        } else {
            exchange.requestDecodeError = "no request type for op \(op)"
        }
        connection.pending[requestId] = exchanges.count
        exchanges.append(exchange)
    }

    private mutating func handleResponse(_ line: CaptureLine, context: ProtocolContext, _ connection: inout Connection, _ where_: String) {
        var reader = BinaryReader(line.payload)
        let header: ResponseHeader
        do {
            header = try ResponseHeader.decode(from: &reader, context: context)
        } catch {
            problems.append("\(where_): response header does not decode: \(error)")
            return
        }
        if header.requestId != line.requestId { problems.append("\(where_): header request id \(header.requestId)") }
        if let flags = line.flags, flags != header.flags.rawValue { problems.append("\(where_): flags \(header.flags.rawValue) ≠ \(flags)") }
        if let version = line.affinityVersion,
           header.topologyVersion != AffinityTopologyVersion(major: version[0], minor: Int32(truncatingIfNeeded: version[1])) {
            problems.append("\(where_): topology version \(String(describing: header.topologyVersion)) ≠ \(version)")
        }
        if (line.status ?? 0) != header.status { problems.append("\(where_): status \(header.status) ≠ \(line.status ?? 0)") }
        if let error = line.error, error != header.errorMessage { problems.append("\(where_): error message differs") }
        guard let op = line.op, !RequestRegistry.skipped.contains(op) else {
            skippedFrames += 1
            return
        }
        guard let index = connection.pending.removeValue(forKey: header.requestId) else {
            problems.append("\(where_): response to an unknown request")
            return
        }
        let body = Array(line.payload[reader.position...])
        exchanges[index].header = header
        exchanges[index].responseBody = body
        guard header.isSuccess, let request = exchanges[index].request else { return }
        do {
            let response = try request.decodeResponse(body, context)
            exchanges[index].response = response
            if let first = response.value as? SQLFieldsFirstPage {
                connection.sqlFieldsColumns[first.cursorId] = first.columnCount
            }
        } catch {
            exchanges[index].responseDecodeError = "\(error)"
        }
    }
}
