/// One decoded-size budget shared by several ``IgniteBinaryDecoder`` decodes: the values of one response (say a
/// `getAll` reply) decoded into Swift types one after another. Pass it as the decodes' schema resolver; it forwards
/// schema lookups to `schemas` and carries the count from one decode to the next, so that a reply whose entries are
/// handles to one large object cannot make each entry's decode build its own copy within a fresh budget.
///
/// Not for concurrent decodes: one caller decodes one response's values in turn.
package final class SharedDecodingBudget: BinarySchemaResolver, @unchecked Sendable {
    /// The resolver lookups are forwarded to.
    package let schemas: (any BinarySchemaResolver)?
    /// The budget. Never `nil`: ``IgniteBinaryDecoder`` looks for a shared budget only when a budget is set, so that
    /// decodes without one pay nothing for this.
    package let decodedByteLimit: Int?
    /// The decoded size charged so far by the decodes that used this budget.
    @exclusivity(unchecked) package var decodedBytes = 0

    /// - Parameters:
    ///   - schemas: Resolves schemas (a client's registry).
    ///   - decodedByteLimit: The budget.
    package init(schemas: (any BinarySchemaResolver)?, decodedByteLimit: Int) {
        self.schemas = schemas
        self.decodedByteLimit = decodedByteLimit
    }

    /// The budget for the values of one response when none is configured: the default for the buffer `value`'s
    /// objects lie in (``DecodingLimits/decodedByteBudget(forInputOf:)``), found at `value` itself or its first element
    /// or entry; `nil` when `value` holds no complex object there (nothing lazy to decode).
    package static func defaultLimit(for value: IgniteValue) -> Int? {
        let object: BinaryObject?
        switch value {
        case .object(let found): object = found
        case .collection(let collection): object = collection.elements.first.flatMap(\.firstObject)
        case .objectArray(let array): object = array.elements.first.flatMap(\.firstObject)
        case .map(let map): object = map.entries.first.flatMap { $0.value.firstObject ?? $0.key.firstObject }
        default: object = nil
        }
        return object.map { DecodingLimits.decodedByteBudget(forInputOf: $0.storage.count) }
    }

    package func schema(typeId: Int32, schemaId: Int32) -> [Int32]? {
        schemas?.schema(typeId: typeId, schemaId: schemaId)
    }

    package func binaryType(typeId: Int32) -> BinaryType? {
        schemas?.binaryType(typeId: typeId)
    }
}

extension IgniteValue {
    /// The value itself if it is a complex object.
    fileprivate var firstObject: BinaryObject? {
        if case .object(let object) = self { return object }
        return nil
    }
}
