import IgniteProtocol

/// An object whose decoded size is many times its encoded size: `tags` is a string array of nulls (one byte each on
/// the wire, an `Optional<String>` of 16 bytes each in Swift). Full footer, so no schema round trip is needed.
package struct BudgetBag: IgniteObjectCodable, Equatable {
    package static let igniteTypeName = "BudgetBag"
    package static var igniteCompactFooter: Bool { false }
    package var id: Int32
    package var tags: [String?]

    package init(id: Int32, tags: [String?]) {
        self.id = id
        self.tags = tags
    }

    /// The reply body of an OP_CACHE_GET of a bag with `count` null tags.
    package static func replyBody(count: Int) throws -> [UInt8] {
        var types = BinaryTypeCollector()
        return try IgniteBinaryEncoder().encode(BudgetBag(id: 7, tags: Array(repeating: nil, count: count)), types: &types)
    }

    /// An OP_CACHE_GET_ALL body: entry 0 is (0, a bag of `count` null tags), entries 1...`handles` are
    /// (i, a five-byte handle to that bag), as Java writes a shared object.
    package static func getAllBody(count: Int, handles: Int) throws -> [UInt8] {
        var out: [UInt8] = HostileReplies.le32(handles + 1) + [3] + HostileReplies.le32(0)
        let bag = out.count
        out += try replyBody(count: count)
        for key in 1...handles {
            out += [3] + HostileReplies.le32(key)
            out += [102] + HostileReplies.le32(out.count - bag)
        }
        return out
    }
}
