import Foundation
@testable import IgniteBinary

/// Random object graphs with shared references, for the fuzzer: ``FuzzNode`` objects whose fields are inline nodes,
/// handles to earlier nodes, and collections of both — new, or handles to earlier collections (handles into arrays:
/// a handle may also point at a node inside an earlier collection). Some graphs are deep chains, a few contain cycles.
struct SharedReferenceGenerator {
    static let typeId = JavaHash.asciiFastTypeId("FuzzNode")
    static let fieldIds = ["level", "a", "b", "items"].map { JavaHash.asciiFastFieldId($0) }

    var random: SplitMix64
    private(set) var out: [UInt8] = []
    /// Starts of the finished nodes and collections (handle targets).
    private var nodes: [Int] = []
    private var collections: [Int] = []
    /// Starts of the nodes being written (a handle to one is a cycle).
    private var open: [Int] = []
    private(set) var nodeCount = 0
    private var maximumDepth = 8
    /// The most nodes one graph gets (inline nodes branch: without a cap a graph grows exponentially with its depth).
    private let maximumNodes = 120

    init(random: SplitMix64) {
        self.random = random
    }

    /// A graph: some nodes written before the root (handle targets only), then the root.
    /// - Returns: The bytes and where the root starts.
    mutating func make() -> (bytes: [UInt8], root: Int) {
        out = []
        nodes = []
        collections = []
        open = []
        nodeCount = 0
        maximumDepth = 2 + random.below(12)
        let chain = random.below(4) == 0
        for _ in 0..<random.below(chain ? 60 : 6) { appendNode(depth: chain ? maximumDepth : 0, chain: chain) }
        let root = out.count
        appendNode(depth: 0, chain: chain)
        return (out, root)
    }

    private mutating func appendNode(depth: Int, chain: Bool) {
        let start = out.count
        nodeCount += 1
        open.append(start)
        out += [UInt8](repeating: 0, count: 24)
        var offsets: [Int] = []
        offsets.append(out.count - start)
        out += [3] + le32(Int(truncatingIfNeeded: random.next() % 1000))
        offsets.append(out.count - start)
        appendReference(depth: depth, chain: chain)
        offsets.append(out.count - start)
        appendReference(depth: depth, chain: chain)
        offsets.append(out.count - start)
        appendItems(depth: depth, chain: chain)
        let footer = out.count - start
        for (index, offset) in offsets.enumerated() { out += le32(Int(SharedReferenceGenerator.fieldIds[index])) + le32(offset) }
        var header: [UInt8] = [103, 1, 0x03, 0x00]
        header += le32(Int(SharedReferenceGenerator.typeId)) + le32(0) + le32(out.count - start) + le32(0) + le32(footer)
        out.replaceSubrange(start..<(start + 24), with: header)
        open.removeLast()
        nodes.append(start)
    }

    private mutating func handle(to target: Int) {
        out += [102] + le32(out.count - target)
    }

    private mutating func appendReference(depth: Int, chain: Bool) {
        // A chain: every reference is the previous node.
        if chain, let last = nodes.last, random.below(8) != 0 { return handle(to: last) }
        switch random.below(10) {
        case 0, 1: out.append(101)
        case 2, 3, 4:
            if let target = nodes.randomElement(using: &random) { handle(to: target) } else { out.append(101) }
        case 5 where random.below(40) == 0 && !open.isEmpty:
            handle(to: open[random.below(open.count)])  // a cycle
        default:
            if depth < maximumDepth, nodeCount < maximumNodes { appendNode(depth: depth + 1, chain: chain) } else { out.append(101) }
        }
    }

    private mutating func appendItems(depth: Int, chain: Bool) {
        switch random.below(6) {
        case 0: out.append(101)
        case 1:
            if let target = collections.randomElement(using: &random) { handle(to: target) } else { out.append(101) }
        default:
            let start = out.count
            let count = random.below(depth < maximumDepth ? 4 : 6)
            out += [24] + le32(count) + [1]
            for _ in 0..<count {
                if depth < maximumDepth, nodeCount < maximumNodes, random.below(3) == 0 {
                    appendNode(depth: depth + 1, chain: chain)
                } else if let target = nodes.randomElement(using: &random) {
                    handle(to: target)
                } else {
                    out.append(101)
                }
            }
            collections.append(start)
        }
    }
}

/// A node of a generated graph. Counts its instances (only the fuzzer decodes this type).
final class FuzzNode: IgniteObjectCodable, @unchecked Sendable {
    let level: Int32
    let a: FuzzNode?
    let b: FuzzNode?
    let items: [FuzzNode?]?

    private static let lock = NSLock()
    nonisolated(unsafe) private static var made = 0

    /// How many nodes were decoded since the process started.
    static var instances: Int { lock.withLock { made } }

    enum CodingKeys: String, CodingKey { case level, a, b, items }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        level = try container.decode(Int32.self, forKey: .level)
        a = try container.decodeIfPresent(FuzzNode.self, forKey: .a)
        b = try container.decodeIfPresent(FuzzNode.self, forKey: .b)
        items = try container.decodeIfPresent([FuzzNode?].self, forKey: .items)
        FuzzNode.lock.withLock { FuzzNode.made += 1 }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(level, forKey: .level)
        try container.encode(a, forKey: .a)
        try container.encode(b, forKey: .b)
        try container.encode(items, forKey: .items)
    }
}
