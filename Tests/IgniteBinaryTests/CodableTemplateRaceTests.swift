import Foundation
import Testing
@testable import IgniteBinary

/// A type whose encode template changes with its values (a nil optional is not written).
struct Flexible: IgniteObjectCodable, Equatable {
    var id: Int32
    var note: String?
    var extra: Int32?
    static let igniteCompactFooter = false

    enum CodingKeys: String, CodingKey { case id, note, extra }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(note, forKey: .note)
        try container.encodeIfPresent(extra, forKey: .extra)
    }
}

/// `Flexible` without `extra`: decoding a `Flexible` with `extra` strictly fails and lists the field, looking for
/// its name in this type's encode template.
struct FlexibleNarrow: IgniteObjectCodable, Equatable {
    static let igniteTypeName = "Flexible"
    static let igniteCompactFooter = false
    var id: Int32
    var note: String?

    enum CodingKeys: String, CodingKey { case id, note }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encodeIfPresent(note, forKey: .note)
    }
}

/// The shared encode template and learned decode keys of a type are read and written from many threads at once
/// (issue 10, item 6: an error path read the template without the lock). Run under ThreadSanitizer by Tools/tsan.sh.
@Suite("Codable bridge: templates under threads")
struct CodableTemplateRaceTests {
    @Test func encodersAndFailingDecodersShareTheTemplateSafely() async throws {
        var types = BinaryTypeCollector()
        // Full footers: no schemas needed.
        let wide = try IgniteBinaryEncoder().encode(Flexible(id: 1, note: "n", extra: 2), types: &types)
        let extra = "#\(JavaHash.asciiFastFieldId("extra"))"
        let results = await withTaskGroup(of: Int.self) { group -> [Int] in
            for task in 0..<6 {
                group.addTask {
                    var good = 0
                    for i in 0..<400 {
                        if task % 2 == 0 {
                            // Encoders: alternating schemas rewrite the template.
                            var collector = BinaryTypeCollector()
                            let value = FlexibleNarrow(id: Int32(i), note: i % 2 == 0 ? "x" : nil)
                            if let bytes = try? IgniteBinaryEncoder().encode(value, types: &collector),
                               (try? IgniteBinaryDecoder(tolerant: true).decode(FlexibleNarrow.self, from: bytes)) == value {
                                good += 1
                            }
                        } else {
                            // Strict decoders of the narrow type fail on `extra` and list it.
                            do {
                                _ = try IgniteBinaryDecoder().decode(FlexibleNarrow.self, from: wide)
                            } catch let error as IgniteError where error.message.contains(extra) {
                                good += 1
                            } catch {}
                        }
                    }
                    return good
                }
            }
            var all: [Int] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results == Array(repeating: 400, count: 6))
    }
}
