import IgniteProtocol

/// Complex objects for tests, built with IgniteBinary's `BinaryObjectBuilder` (client-style bytes).
struct ObjectBuilder {
    var typeName: String
    var fields: [(String, IgniteValue)]
    var compactFooter = true

    var builder: BinaryObjectBuilder {
        var builder = BinaryObjectBuilder(typeName: typeName, compactFooter: compactFooter)
        for (name, value) in fields { builder.setField(name, value) }
        return builder
    }

    /// The binary type metadata to register with OP_PUT_BINARY_TYPE.
    var binaryType: BinaryType? { builder.binaryType }

    func object() throws -> BinaryObject { try builder.build() }
}
