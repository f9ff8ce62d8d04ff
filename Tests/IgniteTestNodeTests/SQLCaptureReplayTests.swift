import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

/// The SQL part of the real server's capture session replayed on the test node, request for request: the captured
/// client frames of *scan-sql.jsonl* (GridGain 8.10, from `DROP TABLE IF EXISTS CAP_CITY` to the last query) are
/// sent as they are, each scenario on a fresh connection as it was recorded, and every reply must have the captured
/// status and message and **the same body bytes**: update counts, rows with their type codes, the objects the server
/// built for the table (hash, schema id, field order, compact footer), the binary type it registered, and paging.
@Suite("Test node SQL: the capture session replayed byte for byte", .enabled(if: SQLCapture.available))
struct SQLCaptureReplayTests {
    /// Replies whose text holds a run-dependent part (a Java object hash): compared up to that part.
    static let variablePrefix: [String: String] = [
        "scan-sql.sql-too-few-args": "50000: Invalid number of query parameters [expected=1, actual=0, newQryParams=org.apache.ignite.internal.processors.query.h2.QueryParameters@",
    ]

    @Test("every SQL request of the session gets the captured reply")
    func replay() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let frames = try SQLCapture.frames()
        let scenarios = frames.map(\.scenario).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
        let first = try #require(scenarios.firstIndex(of: "scan-sql.sql-ddl-drop-if-exists"))
        var compared = 0
        for scenario in scenarios[first...] {
            let lines = frames.filter { $0.scenario == scenario && !$0.handshake }
            let requests = lines.filter { $0.dir == "c2s" }
            let replies = lines.filter { $0.dir == "s2c" }
            guard requests.count == replies.count else { continue }
            let client = try RawClient.connected(cluster.endpoints[0])
            for (request, expected) in zip(requests, replies) {
                client.write(request.bytes)
                let actual = try client.readResponse()
                var captured = BinaryReader(Array(expected.bytes.dropFirst(4)))
                let header = try ResponseHeader.decode(from: &captured, context: client.context)
                #expect(actual.header.status == header.status, "\(scenario): status")
                if let prefix = Self.variablePrefix[scenario] {
                    #expect(actual.header.errorMessage?.hasPrefix(prefix) == true, "\(scenario): \(actual.header.errorMessage ?? "")")
                } else {
                    #expect(actual.header.errorMessage == header.errorMessage, "\(scenario): message")
                }
                let ours = Array(actual.body.buffer[actual.body.position..<actual.body.limit])
                let theirs = Array(captured.buffer[captured.position..<captured.limit])
                #expect(ours == theirs, "\(scenario) op \(request.op ?? -1): body\n ours   \(SQLCapture.hex(ours))\n theirs \(SQLCapture.hex(theirs))")
                compared += 1
            }
        }
        #expect(compared == 36)   // every request of the session from DROP TABLE IF EXISTS on
    }
}

/// The lines of *scan-sql.jsonl* (../shared/reference/captures; `IGNITE_CAPTURES_DIR` overrides the folder).
enum SQLCapture {
    struct Frame {
        var scenario: String
        var dir: String
        var op: Int16?
        var handshake: Bool
        var bytes: [UInt8]
    }

    static let file: String = {
        // The package's sibling folder ../shared/reference/captures, found from this file's path.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let directory = ProcessInfo.processInfo.environment["IGNITE_CAPTURES_DIR"]
            ?? package.deletingLastPathComponent().appendingPathComponent("shared/reference/captures").path
        return directory + "/scan-sql.jsonl"
    }()

    static var available: Bool { FileManager.default.fileExists(atPath: file) }

    static func frames() throws -> [Frame] {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        return try text.split(separator: "\n").compactMap { line -> Frame? in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let hex = object["hex"] as? String else { return nil }
            return Frame(scenario: object["scenario"] as? String ?? "", dir: object["dir"] as? String ?? "",
                         op: (object["op"] as? NSNumber).map { $0.int16Value }, handshake: object["handshake"] as? Bool ?? false,
                         bytes: bytes(hex))
        }
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var iterator = hex.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            if let byte = UInt8(String([high, low]), radix: 16) { result.append(byte) }
        }
        return result
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
