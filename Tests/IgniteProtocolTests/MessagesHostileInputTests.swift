import Foundation
import Testing
@testable import IgniteProtocol

/// Truncated bodies and hostile counts become parse errors, never crashes or huge allocations.
@Suite("Hostile message input")
struct MessagesHostileInputTests {
    static let context = ProtocolContext(version: .v1_7_0, features: .defaultRequested)

    /// Cut points of a body: all of them for small bodies, a spread for large ones.
    static func cuts(_ count: Int) -> [Int] {
        count <= 300 ? Array(0..<count) : Array(Set((0..<count).filter { $0 % max(1, count / 200) == 0 } + (0..<40) + (count - 40..<count))).sorted()
    }

    @Test(.enabled(if: CaptureFiles.isAvailable, "captures not found"))
    func truncatedCapturedResponsesAreParseErrors() throws {
        let replay = try CaptureReplay.shared.get()
        var checked = 0
        for exchange in replay.exchanges {
            guard let request = exchange.request, exchange.response != nil, let body = exchange.responseBody, !body.isEmpty else { continue }
            for cut in Self.cuts(body.count) {
                checked += 1
                do {
                    let decoded = try request.decodeResponse(Array(body[..<cut]), exchange.context)
                    Issue.record("\(exchange.scenario) op \(exchange.op): a \(cut)-byte prefix of \(body.count) decoded (\(decoded.remaining) left)")
                } catch let error as IgniteError {
                    #expect(error.code == .parse)
                }
            }
        }
        #expect(checked > 5000)
    }

    @Test(.enabled(if: CaptureFiles.isAvailable, "captures not found"))
    func truncatedCapturedRequestsAreParseErrorsOrShorterValidRequests() throws {
        let replay = try CaptureReplay.shared.get()
        var shorterValid: Set<Int16> = []
        for exchange in replay.exchanges where exchange.request != nil && exchange.scenario != "errors.trailing-garbage" {
            guard let decode = RequestRegistry.table[exchange.op] else { continue }
            let body = exchange.requestBody
            for cut in Self.cuts(body.count) {
                var reader = BinaryReader(Array(body[..<cut]))
                do {
                    let request = try decode(&reader, exchange.context)
                    // Only a complete shorter request may decode: it must be exactly the bytes it was read from.
                    #expect(try request.encodeBody(exchange.context) == Array(body[..<cut]), "\(exchange.scenario) op \(exchange.op) cut \(cut)")
                    shorterValid.insert(exchange.op)
                } catch let error as IgniteError {
                    #expect(error.code == .parse)
                }
            }
        }
        // Bodies with an optional tail (local peek modes) or an empty body (no prefix shorter than the body).
        #expect(shorterValid.isSubset(of: [1021]))
    }

    private func expectParseError<R: IgniteRequest>(_ request: R, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        var reader = BinaryReader(bytes)
        do {
            _ = try request.decodeResponse(from: &reader, context: Self.context)
            Issue.record("hostile body decoded for \(request.opCode): \(bytes)", sourceLocation: sourceLocation)
        } catch let error as IgniteError {
            #expect(error.code == .parse, sourceLocation: sourceLocation)
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
        }
    }

    private let huge: [UInt8] = [0xFF, 0xFF, 0xFF, 0x7F]
    private let negative: [UInt8] = [0xFE, 0xFF, 0xFF, 0xFF]
    private let cache = CacheInfo(cacheId: 1)

    @Test func hostileCountsAreRejectedBeforeAllocating() {
        for count in [huge, negative] {
            expectParseError(CacheGetAllRequest(cache: cache, keys: []), count + [101, 101])
            expectParseError(CacheGetNamesRequest(), count)
            expectParseError(QueryScanRequest(cache: cache), [1, 0, 0, 0, 0, 0, 0, 0] + count + [101, 101, 0])
            expectParseError(QueryScanCursorGetPageRequest(cursorId: 1), count + [0])
            // Many columns and one row (0 rows of any width would be a valid, empty page).
            expectParseError(QuerySQLFieldsRequest(sql: "x"), [1, 0, 0, 0, 0, 0, 0, 0] + count + [1, 0, 0, 0, 101, 0])
            expectParseError(QuerySQLFieldsRequest(sql: "x", includeFieldNames: true), [1, 0, 0, 0, 0, 0, 0, 0] + count + [9, 0, 0, 0, 0])
            expectParseError(QuerySQLFieldsCursorGetPageRequest(cursorId: 1, columnCount: 1_000_000), [2, 0, 0, 0, 101, 0])
            expectParseError(QuerySQLFieldsCursorGetPageRequest(cursorId: 1, columnCount: 3), count + [0])
            expectParseError(ClusterGroupGetNodeIdsRequest(), [1, 0, 0, 0, 0, 0, 0, 0, 0] + count)
            expectParseError(ClusterGroupGetNodeInfoRequest(nodeIds: []), count)
            expectParseError(ClusterGroupGetNodeEndpointsRequest(), [0, 0, 0, 0, 0, 0, 0, 0] + count)
            expectParseError(CacheGetConfigurationRequest(cacheId: 1), count)
            expectParseError(GetBinaryTypeRequest(typeId: 1), [1, 1, 0, 0, 0, 9, 0, 0, 0, 0, 101] + count)
        }
        // A column count overflowing rows × columns.
        expectParseError(QuerySQLFieldsCursorGetPageRequest(cursorId: 1, columnCount: Int(Int32.max)), huge + [0])
        expectParseError(QuerySQLFieldsCursorGetPageRequest(cursorId: 1, columnCount: -1), [0, 0, 0, 0, 0])
    }

    @Test func hostileServerDirectionBodiesAreRejected() {
        func expectParse<R: IgniteServerCodableRequest>(_ type: R.Type, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
            var reader = BinaryReader(bytes)
            do {
                _ = try R.decodeBody(from: &reader, context: Self.context)
                Issue.record("hostile request decoded", sourceLocation: sourceLocation)
            } catch let error as IgniteError {
                #expect(error.code == .parse, sourceLocation: sourceLocation)
            } catch {
                Issue.record("\(error)", sourceLocation: sourceLocation)
            }
        }
        let prefix: [UInt8] = [1, 0, 0, 0, 0]
        expectParse(CacheGetAllRequest.self, prefix + huge)
        expectParse(CachePutAllRequest.self, prefix + huge + [101, 101])
        expectParse(CacheGetSizeRequest.self, prefix + huge + [0])
        expectParse(CacheGetSizeRequest.self, prefix + [1, 0, 0, 0, 9])  // unknown peek mode
        expectParse(QuerySQLRequest.self, prefix + [101, 101] + huge)
        expectParse(ClusterGroupGetNodeInfoRequest.self, huge)
        expectParse(ClusterGroupGetNodeIdsRequest.self, [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0])  // unknown projection code
        expectParse(TxStartRequest.self, [7, 1, 0, 0, 0, 0, 0, 0, 0, 0, 101])  // unknown concurrency
        expectParse(QueryScanRequest.self, prefix + [9, 0, 0, 0, 0, 9, 3, 0, 0, 0, 0, 0, 0, 0, 0])  // unknown filter platform
        expectParse(CacheGetRequest.self, prefix + [0x7F])  // unknown type code
        expectParse(CacheGetRequest.self, [1, 0, 0, 0, 4, 0, 0])  // truncated expiry block
    }
}
