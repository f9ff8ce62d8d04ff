import IgniteProtocol

// Stand-ins for OP_GET_BINARY_TYPE / OP_PUT_BINARY_TYPE until IgniteProtocol/Messages provides them; they use
// IgniteBinary's BinaryType wire codec.

/// OP_GET_BINARY_TYPE (3002): `i32 typeId` → `bool exists, [BinaryType record]`.
struct GetBinaryTypeRequest: IgniteRequest {
    var typeId: Int32
    var opCode: OpCode { .getBinaryType }

    func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt32(typeId)
    }

    func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> BinaryType? {
        guard try reader.readBool() else { return nil }
        return try BinaryType.decode(from: &reader)
    }
}

/// OP_PUT_BINARY_TYPE (3003): a BinaryType record → empty.
struct PutBinaryTypeRequest: IgniteEmptyResponseRequest {
    var type: BinaryType
    var opCode: OpCode { .putBinaryType }

    func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        type.encode(into: &writer)
    }
}
