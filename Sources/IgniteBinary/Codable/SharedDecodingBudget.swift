/// One decoded-size budget shared by several ``IgniteBinaryDecoder`` decodes: the values of one response (say a
/// `getAll` reply) decoded into Swift types one after another. Pass it as the decodes' schema resolver; it forwards
/// schema lookups to `schemas` and carries the count from one decode to the next, so that a reply whose entries are
/// handles to one large object cannot make each entry's decode build its own copy within a fresh budget.
///
/// Not for concurrent decodes: one caller decodes one response's values in turn.
package final class SharedDecodingBudget: BinarySchemaResolver, @unchecked Sendable {
    /// The resolver lookups are forwarded to.
    package let schemas: (any BinarySchemaResolver)?
    /// The budget (`nil`: each reader's default for the buffer its object lies in).
    package let decodedByteLimit: Int?
    /// The decoded size charged so far by the decodes that used this budget.
    @exclusivity(unchecked) package var decodedBytes = 0

    /// - Parameters:
    ///   - schemas: Resolves schemas (a client's registry).
    ///   - decodedByteLimit: The budget; `nil` takes `schemas`' (``BinarySchemaResolver/decodedByteLimit``).
    package init(schemas: (any BinarySchemaResolver)?, decodedByteLimit: Int? = nil) {
        self.schemas = schemas
        self.decodedByteLimit = decodedByteLimit ?? schemas?.decodedByteLimit
    }

    package func schema(typeId: Int32, schemaId: Int32) -> [Int32]? {
        schemas?.schema(typeId: typeId, schemaId: schemaId)
    }

    package func binaryType(typeId: Int32) -> BinaryType? {
        schemas?.binaryType(typeId: typeId)
    }
}
