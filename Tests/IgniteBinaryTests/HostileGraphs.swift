import Foundation
@testable import IgniteBinary

/// Object graphs written by hand, byte by byte: shared references (handles to earlier objects), deep chains and
/// handles into arrays, the way a Java writer shares references — and the way a hostile server could abuse them.
enum Graphs {
    /// The type and field names of ``ChainNode``.
    static let nodeTypeId = JavaHash.asciiFastTypeId("ChainNode")
    static let levelId = JavaHash.asciiFastFieldId("level")
    static let aId = JavaHash.asciiFastFieldId("a")
    static let bId = JavaHash.asciiFastFieldId("b")
    /// The schema id a compact-footer ``ChainNode`` is written with (any value works as long as it is registered).
    static let nodeSchemaId: Int32 = 0x5EED_0001

    /// Appends a complex object: header, the fields (each writer appends one value at the end of `out`, so that
    /// handles can be computed from `out.count`), and a footer with 4-byte offsets, full or compact.
    /// - Returns: Where the object starts.
    @discardableResult
    static func appendObject(_ out: inout [UInt8], typeId: Int32, fieldIds: [Int32], compact: Bool = false,
                             schemaId: Int32 = nodeSchemaId, fields: [(inout [UInt8]) -> Void]) -> Int {
        let start = out.count
        out += [UInt8](repeating: 0, count: 24)
        var offsets: [Int] = []
        for write in fields {
            offsets.append(out.count - start)
            write(&out)
        }
        let footer = out.count - start
        for (index, offset) in offsets.enumerated() {
            if !compact { out += le32(Int(fieldIds[index])) }
            out += le32(offset)
        }
        let flags: UInt16 = 0x0001 | (fields.isEmpty ? 0 : 0x0002) | (compact ? 0x0020 : 0)
        var header: [UInt8] = [103, 1, UInt8(flags & 0xFF), UInt8(flags >> 8)]
        header += le32(Int(typeId)) + le32(0) + le32(out.count - start) + le32(Int(schemaId)) + le32(fields.isEmpty ? 24 : footer)
        out.replaceSubrange(start..<(start + 24), with: header)
        return start
    }

    /// A handle to `target`, appended at the end of `out`.
    static func handle(to target: Int) -> (inout [UInt8]) -> Void {
        { out in out += [102] + le32(out.count - target) }
    }

    static func int(_ value: Int32) -> (inout [UInt8]) -> Void {
        { out in out += [3] + le32(Int(value)) }
    }

    /// Java's shape of a chain where node k refers to node k-1 twice: once in full (inline, the first time the writer
    /// meets it) and once through a handle. Node 0 has null references. Decoding it as a tree visits 2^depth nodes.
    /// - Returns: The bytes; the root (node `depth`) starts at 0.
    static func javaChain(depth: Int, compact: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        appendNode(&out, level: depth, compact: compact)
        return out
    }

    private static func appendNode(_ out: inout [UInt8], level: Int, compact: Bool) {
        var childStart = -1
        let fields: [(inout [UInt8]) -> Void]
        if level == 0 {
            fields = [int(0), { $0.append(101) }, { $0.append(101) }]
        } else {
            fields = [int(Int32(level)),
                      { out in childStart = out.count; appendNode(&out, level: level - 1, compact: compact) },
                      { out in out += [102] + le32(out.count - childStart) }]
        }
        appendObject(&out, typeId: nodeTypeId, fieldIds: [levelId, aId, bId], compact: compact, fields: fields)
    }

    /// The flat shape: nodes 0...depth one after another, each referring to the previous one through two handles,
    /// and the root last. A few bytes per level.
    /// - Returns: The bytes and where the root starts.
    static func handleChain(depth: Int, compact: Bool = false) -> (bytes: [UInt8], root: Int) {
        var out: [UInt8] = []
        var previous = appendObject(&out, typeId: nodeTypeId, fieldIds: [levelId, aId, bId], compact: compact,
                                    fields: [int(0), { $0.append(101) }, { $0.append(101) }])
        for level in 1...max(1, depth) {
            previous = appendObject(&out, typeId: nodeTypeId, fieldIds: [levelId, aId, bId], compact: compact,
                                    fields: [int(Int32(level)), handle(to: previous), handle(to: previous)])
        }
        return (out, previous)
    }

    /// A collection of `count` handles to one `arrayBytes`-byte byte array written just before it.
    static func handlesToOneArray(arrayBytes: Int, count: Int) -> (bytes: [UInt8], collection: Int) {
        var out: [UInt8] = [12] + le32(arrayBytes) + [UInt8](repeating: 0x61, count: arrayBytes)
        let collection = out.count
        out += [24] + le32(count) + [1]
        for _ in 0..<count { handle(to: 0)(&out) }
        return (out, collection)
    }

    /// The binary type of ``ChainNode`` with the schema of ``nodeSchemaId``.
    static var nodeType: BinaryType {
        BinaryType(typeId: nodeTypeId, typeName: "ChainNode", affinityKeyFieldName: nil,
                   fields: [.init(name: "level", typeCode: Int32(TypeCode.int.rawValue), fieldId: levelId),
                            .init(name: "a", typeCode: Int32(TypeCode.complexObject.rawValue), fieldId: aId),
                            .init(name: "b", typeCode: Int32(TypeCode.complexObject.rawValue), fieldId: bId)],
                   schemas: [.init(fieldIds: [levelId, aId, bId], schemaId: nodeSchemaId)], isEnum: false, enumValues: [])
    }
}

/// A node of a chain: `a` and `b` usually refer to the same node (Java writes the second as a handle).
/// Counts its instances, so that tests can tell sharing from copying.
final class ChainNode: IgniteObjectCodable, @unchecked Sendable {
    let level: Int32
    let a: ChainNode?
    let b: ChainNode?

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made = 0

    /// How many nodes were decoded since the process started.
    static var instances: Int { lock.withLock { made } }

    enum CodingKeys: String, CodingKey { case level, a, b }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decode(Int32.self, forKey: .level)
        a = try container.decodeIfPresent(ChainNode.self, forKey: .a)
        b = try container.decodeIfPresent(ChainNode.self, forKey: .b)
        ChainNode.lock.withLock { ChainNode.made += 1 }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(level, forKey: .level)
        try container.encode(a, forKey: .a)
        try container.encode(b, forKey: .b)
    }

    /// The depth of the chain below this node, following `a`.
    var depth: Int {
        var count = 0
        var node = a
        while let next = node { count += 1; node = next.a }
        return count
    }
}
