import Foundation
@testable import IgniteProtocol

/// One line of a capture file (`captures/README.md` describes the format).
struct CaptureLine: Sendable {
    var file: String
    var scenario: String
    var conn: Int
    var dir: String
    var op: Int16?
    var requestId: Int64?
    var bytes: [UInt8]
    var note: String?
    var proto: String?
    var isHandshake: Bool
    var flags: Int16?
    var affinityVersion: [Int64]?
    var status: Int32?
    var error: String?
    var isEvent: Bool
    var isPartial: Bool

    /// The frame payload: the bytes after the i32 length.
    var payload: [UInt8] { Array(bytes.dropFirst(4)) }
}

enum CaptureFiles {
    /// Where the captures are: `IGNITE_CAPTURES_DIR`, else the shared reference folder of the project.
    static let directory: String? = {
        let path = ProcessInfo.processInfo.environment["IGNITE_CAPTURES_DIR"] ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/reference/captures").standardizedFileURL.path
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue ? path : nil
    }()

    static var isAvailable: Bool { directory != nil }

    /// Every line of every `*.jsonl` file, in file order.
    static func loadAll() throws -> [CaptureLine] {
        guard let directory else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".jsonl") }.sorted()
        var lines: [CaptureLine] = []
        for name in names {
            let text = try String(contentsOfFile: directory + "/" + name, encoding: .utf8)
            for raw in text.split(separator: "\n") where !raw.isEmpty {
                lines.append(try parse(Data(raw.utf8), file: name))
            }
        }
        return lines
    }

    private static func parse(_ data: Data, file: String) throws -> CaptureLine {
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw IgniteError.parse("capture line is not an object")
        }
        func int(_ key: String) -> Int64? { (object[key] as? NSNumber)?.int64Value }
        return CaptureLine(
            file: file,
            scenario: object["scenario"] as? String ?? "",
            conn: Int(int("conn") ?? -1),
            dir: object["dir"] as? String ?? "",
            op: int("op").map { Int16(truncatingIfNeeded: $0) },
            requestId: int("request_id"),
            bytes: try Hex.decode(object["hex"] as? String ?? ""),
            note: object["note"] as? String,
            proto: object["proto"] as? String,
            isHandshake: object["handshake"] as? Bool ?? false,
            flags: int("flags").map { Int16(truncatingIfNeeded: $0) },
            affinityVersion: (object["aff_top_ver"] as? [NSNumber])?.map(\.int64Value),
            status: int("status").map { Int32(truncatingIfNeeded: $0) },
            error: object["error"] as? String,
            isEvent: object["event"] != nil,
            isPartial: object["partial"] as? Bool ?? false)
    }
}

enum Hex {
    static func decode(_ text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { throw IgniteError.parse("odd hex length") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { throw IgniteError.parse("bad hex digit") }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: c - 48
        case 97...102: c - 87
        case 65...70: c - 55
        default: nil
        }
    }
}

extension ProtocolVersion {
    /// Parses `"1.7.0"`.
    init?(text: String) {
        let parts = text.split(separator: ".").compactMap { Int16($0) }
        guard parts.count == 3 else { return nil }
        self.init(parts[0], parts[1], parts[2])
    }
}
