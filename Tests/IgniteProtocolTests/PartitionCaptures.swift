import Foundation
import Testing
@testable import IgniteProtocol

/// Frames recorded from a real GridGain 8 cluster (`captures/*.jsonl`, see the captures README).
struct PartitionCaptureFrame: Sendable {
    var scenario: String
    var connection: Int
    var clientToServer: Bool
    var op: Int16?
    var requestId: Int64?
    var bytes: [UInt8]
    var context: ProtocolContext

    /// The payload after the 4-byte length prefix.
    var payload: [UInt8] { Array(bytes.dropFirst(4)) }
}

enum PartitionCaptures {
    /// Where the capture files are: `$IGNITE_CAPTURES_DIR`, a copy inside the repository, or the shared reference.
    static func directory() -> URL? {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["IGNITE_CAPTURES_DIR"] { candidates.append(URL(fileURLWithPath: env)) }
        candidates.append(repo.appendingPathComponent("Tests/Captures"))
        candidates.append(repo.appendingPathComponent("Tests/Vectors/captures"))
        candidates.append(URL(fileURLWithPath: "/work/shared/reference/captures"))
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("partitions.jsonl").path) }
    }

    static func hexBytes(_ hex: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var iterator = hex.utf8.makeIterator()
        func nibble(_ c: UInt8) -> UInt8 {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: 0
            }
        }
        while let hi = iterator.next(), let lo = iterator.next() { bytes.append(nibble(hi) << 4 | nibble(lo)) }
        return bytes
    }

    static func version(_ text: String?) -> ProtocolVersion? {
        guard let parts = text?.split(separator: "."), parts.count == 3,
              let a = Int16(parts[0]), let b = Int16(parts[1]), let c = Int16(parts[2]) else { return nil }
        return ProtocolVersion(a, b, c)
    }

    /// Every non-handshake frame of a capture file (`partitions.jsonl` by default), each with its connection's
    /// negotiated context.
    static func load(_ file: String = "partitions.jsonl") throws -> [PartitionCaptureFrame] {
        let dir = try #require(directory(), "captures/partitions.jsonl not found; set IGNITE_CAPTURES_DIR")
        let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
        var features: [Int: ProtocolFeatures] = [:]
        var frames: [PartitionCaptureFrame] = []
        for line in text.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
            guard let json = object as? [String: Any], let hex = json["hex"] as? String,
                  let conn = json["conn"] as? Int, let dir = json["dir"] as? String,
                  let proto = version(json["proto"] as? String) else { continue }
            let bytes = hexBytes(hex)
            if json["handshake"] as? Bool == true {
                if dir == "s2c", case .success(let f, _)? = try? HandshakeResponse.decode(payload: Array(bytes.dropFirst(4)), proposed: proto) {
                    features[conn] = f
                }
                continue
            }
            frames.append(PartitionCaptureFrame(
                scenario: json["scenario"] as? String ?? "",
                connection: conn,
                clientToServer: dir == "c2s",
                op: (json["op"] as? Int).map { Int16(truncatingIfNeeded: $0) },
                requestId: (json["request_id"] as? Int).map { Int64($0) },
                bytes: bytes,
                context: ProtocolContext(version: proto, features: features[conn] ?? ProtocolFeatures())))
        }
        return frames
    }
}
