// Binary type metadata (OP 3002/3003, PROTOCOL-FACTS §5.6). The record codec is IgniteBinary's
// `BinaryType.encode(into:)` / `BinaryType.decode(from:)`.

/// OP_GET_BINARY_TYPE (3002): the metadata of a binary type.
/// Body: `i32 typeId`. Response: `bool exists`, and the BinaryType record if it exists.
package struct GetBinaryTypeRequest: IgniteServerCodableRequest, Hashable {
    /// The type id.
    public var typeId: Int32

    /// Creates the request.
    public init(typeId: Int32) { self.typeId = typeId }

    /// ``OpCode/getBinaryType``.
    public var opCode: OpCode { .getBinaryType }

    /// Writes the request body (layout in the type description).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt32(typeId)
    }

    /// - Returns: The type, or `nil` if the server does not know it.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> BinaryType? {
        guard try reader.readBool() else { return nil }
        return try BinaryType.decode(from: &reader)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> GetBinaryTypeRequest {
        GetBinaryTypeRequest(typeId: try reader.readInt32())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: BinaryType?, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard let response else {
            writer.writeBool(false)
            return
        }
        writer.writeBool(true)
        response.encode(into: &writer)
    }
}

/// OP_PUT_BINARY_TYPE (3003): registers (or extends) the metadata of a binary type. Register a type and each new
/// schema before the first object that uses it is sent. Body: the BinaryType record. Response: empty.
package struct PutBinaryTypeRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The type metadata with the schemas to register.
    public var binaryType: BinaryType

    /// Creates the request.
    public init(binaryType: BinaryType) { self.binaryType = binaryType }

    /// ``OpCode/putBinaryType``.
    public var opCode: OpCode { .putBinaryType }

    /// Writes the request body (layout in the type description).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        binaryType.encode(into: &writer)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> PutBinaryTypeRequest {
        PutBinaryTypeRequest(binaryType: try BinaryType.decode(from: &reader))
    }
}
