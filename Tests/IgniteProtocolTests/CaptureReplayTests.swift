import Foundation
import Testing
@testable import IgniteProtocol

/// Replays every frame of `captures/*.jsonl`: handshake replies, response headers at the negotiated version,
/// request bodies (server direction) and response bodies (client direction), then re-encodes both.
@Suite("Capture replay", .enabled(if: CaptureFiles.isAvailable, "captures not found (set IGNITE_CAPTURES_DIR)"))
struct CaptureReplayTests {
    let replay: CaptureReplay

    init() throws {
        replay = try CaptureReplay.shared.get()
    }

    /// Raw frames the server could not decode either (it closed the connection), and ops no request type is for.
    static let undecodableRequests: Set<String> = [
        "errors.truncated-request", "errors.unknown-type-code",              // malformed on purpose; server closed
        "errors.unknown-op-code", "errors.op-negative", "errors.op-1022-apache-only", // not ops of the protocol at 1.7 on GG
    ]

    /// Requests our encoder refuses on purpose, with the error it gives.
    static let refusedRequests: [String: IgniteError.Code] = [
        "handshake.heartbeat-without-bit11": .notSupportedByCluster,       // bit 11 not negotiated
        "binary-types.binary-configuration-without-bit8": .notSupportedByCluster,
        "cluster.get-state-without-bit2": .notSupportedByCluster,          // ACTIVE_READ_ONLY without bit 2
        "cache-config.create-with-configuration-no-name": .parameter,       // no name property
    ]

    /// Requests whose bytes differ after decode and re-encode, and why.
    static let reencodedDifferently: Set<String> = [
        "cache-config.create-with-name-null", // a null name is read as "" (the server rejects both alike)
        "errors.trailing-garbage",            // 4 garbage bytes after the key are not part of the request
    ]

    /// Responses whose re-encoding differs in bytes but not in value: the server wraps complex objects (27), which
    /// decode to the object itself and are written back unwrapped (103); node attributes written by Java's
    /// OptimizedMarshaller (−2) cannot be read and are written back as null.
    static let responsesReencodedDifferently: Set<String> = [
        "types.complex-compact-footer", "types.complex-full-footer", "types.complex-nested", "types.complex-null-field",
        "types.complex-two-byte-offsets", "types.get-all-mixed", "errors.complex-object-unregistered-schema",
        "scan-sql.scan-sql-table-cache", "scan-sql.sql-query-entities-row-query", "scan-sql.sql-row-query-raw",
        "cluster.group-node-ids-and-info", "partitions.cluster-groups",
    ]

    @Test func harnessSeesEveryFrame() {
        #expect(replay.problems.isEmpty, "\(replay.problems.joined(separator: "\n"))")
        #expect(replay.exchanges.count >= 700)
        #expect(replay.handshakeReplies >= 300)
        let ops = Set(replay.exchanges.map(\.op))
        for op in RequestRegistry.table.keys {
            #expect(ops.contains(op), "no captured frame for op \(op)")
        }
    }

    @Test func everyRequestBodyDecodes() {
        var failed: Set<String> = []
        for exchange in replay.exchanges where exchange.request == nil {
            failed.insert(exchange.scenario)
        }
        #expect(failed == Self.undecodableRequests)
        for exchange in replay.exchanges where exchange.request != nil {
            let expected = exchange.scenario == "errors.trailing-garbage" ? 4 : 0
            #expect(exchange.requestRemaining == expected, "\(exchange.scenario) op \(exchange.op) left \(exchange.requestRemaining) byte(s)")
        }
    }

    @Test func requestsReencodeToTheCapturedBytes() {
        var refused: [String: IgniteError.Code] = [:]
        var different: Set<String> = []
        var compared = 0
        for exchange in replay.exchanges {
            guard let request = exchange.request else { continue }
            var captured = exchange.requestBody
            if exchange.op == 1053 || exchange.op == 1054, captured.count >= 4 {
                // pyignite writes −18 for the property-list length; a correct client writes the length of what follows.
                let length = Int32(captured.count - 4)
                for i in 0..<4 { captured[i] = UInt8(truncatingIfNeeded: length >> (8 * Int32(i))) }
            }
            do {
                let bytes = try request.encodeBody(exchange.context)
                compared += 1
                if bytes != captured { different.insert(exchange.scenario) }
            } catch let error as IgniteError {
                refused[exchange.scenario] = error.code
            } catch {
                Issue.record("\(exchange.scenario): \(error)")
            }
        }
        #expect(refused == Self.refusedRequests)
        #expect(different == Self.reencodedDifferently)
        #expect(compared > 650)
    }

    @Test func everySuccessfulResponseDecodesCompletely() {
        var decoded = 0
        for exchange in replay.exchanges {
            guard let header = exchange.header, header.isSuccess, exchange.request != nil else { continue }
            if exchange.scenario == "types.collection-singleton", exchange.op == 1000 {
                // The server turned a SINGLETON_LIST into an OptimizedMarshaller blob (−2): unreadable by design.
                #expect(exchange.responseDecodeError?.contains("Java-only") == true)
                continue
            }
            guard let response = exchange.response else {
                Issue.record("\(exchange.scenario) op \(exchange.op): \(exchange.responseDecodeError ?? "no response")")
                continue
            }
            decoded += 1
            #expect(response.remaining == 0, "\(exchange.scenario) op \(exchange.op): \(response.remaining) byte(s) unread")
        }
        #expect(decoded > 600)
    }

    @Test func everyRequestGotAResponseUnlessTheServerClosed() {
        let missing = Set(replay.exchanges.filter { $0.header == nil }.map(\.scenario))
        #expect(missing == ["errors.truncated-request", "errors.unknown-type-code"])
    }

    @Test func responsesReencodeToTheCapturedBytesOrTheSameValue() throws {
        var different: Set<String> = []
        for exchange in replay.exchanges {
            guard let response = exchange.response, let body = exchange.responseBody, let request = exchange.request else { continue }
            let bytes: [UInt8]
            switch response.reencoded {
            case .success(let b): bytes = b
            case .failure(let error):
                Issue.record("\(exchange.scenario) op \(exchange.op): response does not re-encode: \(error)")
                continue
            }
            guard bytes != body else { continue }
            different.insert(exchange.scenario)
            let again = try request.decodeResponse(bytes, exchange.context)
            #expect(again.remaining == 0)
            if let first = Self.normalized(response.value) as? any Hashable, let second = again.value as? any Hashable {
                let equal = AnyHashable(first) == AnyHashable(second)
                #expect(equal, "\(exchange.scenario) op \(exchange.op): value changed by re-encoding")
            } else {
                Issue.record("\(exchange.scenario) op \(exchange.op): response is not Hashable")
            }
        }
        #expect(different == Self.responsesReencodedDifferently)
    }

    /// Unreadable (Java-only) node attributes are written back as null.
    private static func normalized(_ value: any Sendable) -> any Sendable {
        guard var nodes = value as? [ClusterNode] else { return value }
        for n in nodes.indices {
            for a in nodes[n].attributes.indices where nodes[n].attributes[a].value == nil {
                nodes[n].attributes[a].value = .null
            }
        }
        return nodes
    }

    @Test func errorResponsesKeepStatusAndMessage() {
        var errors = 0
        for exchange in replay.exchanges {
            guard let header = exchange.header, !header.isSuccess else { continue }
            errors += 1
            #expect(exchange.responseBody?.isEmpty == true, "an error response has no body")
            let error = IgniteError.server(status: header.status, message: header.errorMessage ?? "", opCode: OpCode(exchange.op))
            #expect(error.serverStatus == header.status)
            #expect(error.message == header.errorMessage)
        }
        #expect(errors >= 45)
    }
}
