import Foundation
import Testing
@testable import IgniteProtocol

/// A captured frame with its connection's negotiated context (built on the shared ``CaptureFiles`` loader).
struct PartitionCaptureFrame: Sendable {
    var line: CaptureLine
    var context: ProtocolContext

    var scenario: String { line.scenario }
    var connection: Int { line.conn }
    var clientToServer: Bool { line.dir == "c2s" }
    var op: Int16? { line.op }
    var requestId: Int64? { line.requestId }
    var bytes: [UInt8] { line.bytes }
}

enum PartitionCaptures {
    /// Every line of every capture file, parsed once.
    static let lines: [CaptureLine] = (try? CaptureFiles.loadAll()) ?? []

    /// The trait for tests that need the captures.
    static let available = Testing.ConditionTrait.enabled(if: CaptureFiles.isAvailable, "captures not found (set IGNITE_CAPTURES_DIR)")

    /// Every non-handshake frame of a capture file (`partitions.jsonl` by default), each with its connection's
    /// negotiated context (version from the line, features from the handshake reply).
    static func load(_ file: String = "partitions.jsonl") throws -> [PartitionCaptureFrame] {
        let selected = lines.filter { $0.file == file }
        #expect(!selected.isEmpty, "no frames in \(file)")
        var features: [Int: ProtocolFeatures] = [:]
        var frames: [PartitionCaptureFrame] = []
        for line in selected where !line.isEvent && !line.isPartial {
            guard let proto = line.proto.flatMap(ProtocolVersion.init(text:)) else { continue }
            if line.isHandshake {
                if line.dir == "s2c", case .success(let f, _)? = try? HandshakeResponse.decode(payload: line.payload, proposed: proto) {
                    features[line.conn] = f
                }
                continue
            }
            frames.append(PartitionCaptureFrame(line: line, context: ProtocolContext(version: proto, features: features[line.conn] ?? ProtocolFeatures())))
        }
        return frames
    }

    /// The node id each connection of a capture file handshook with.
    static func nodeIds(_ file: String = "partitions.jsonl") -> [Int: UUID] {
        var nodes: [Int: UUID] = [:]
        for line in lines where line.file == file && line.isHandshake && line.dir == "s2c" {
            guard let proto = line.proto.flatMap(ProtocolVersion.init(text:)),
                  case .success(_, let node?)? = try? HandshakeResponse.decode(payload: line.payload, proposed: proto) else { continue }
            nodes[line.conn] = node
        }
        return nodes
    }
}
