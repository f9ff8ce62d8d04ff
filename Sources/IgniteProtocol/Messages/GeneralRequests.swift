/// OP_RESOURCE_CLOSE (0): releases a server resource such as a query cursor. Response: empty.
///
/// A cursor whose last page said `hasMore == false` is already released; closing it fails with status 1011.
package struct ResourceCloseRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The resource id (a cursor id, for example).
    public var resourceId: Int64

    /// Creates the request.
    public init(resourceId: Int64) { self.resourceId = resourceId }

    /// ``OpCode/resourceClose``.
    public var opCode: OpCode { .resourceClose }

    /// Writes the request body (layout in the type description).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(resourceId)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ResourceCloseRequest {
        ResourceCloseRequest(resourceId: try reader.readInt64())
    }
}

/// OP_HEARTBEAT (1): keeps an idle connection alive. Empty request and response. Needs feature bit 11.
package struct HeartbeatRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// Creates the request.
    public init() {}

    /// ``OpCode/heartbeat``.
    public var opCode: OpCode { .heartbeat }

    /// Writes the (empty) request body.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 11.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.heartbeat, for: "OP_HEARTBEAT")
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> HeartbeatRequest {
        HeartbeatRequest()
    }
}

/// OP_GET_IDLE_TIMEOUT (2): the server's idle timeout in milliseconds (≤ 0: disabled). Needs feature bit 11.
package struct GetIdleTimeoutRequest: IgniteServerCodableRequest, Hashable {
    /// Creates the request.
    public init() {}

    /// ``OpCode/getIdleTimeout``.
    public var opCode: OpCode { .getIdleTimeout }

    /// Writes the (empty) request body.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 11.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.heartbeat, for: "OP_GET_IDLE_TIMEOUT")
    }

    /// - Returns: The idle timeout in milliseconds.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Int64 {
        try reader.readInt64()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> GetIdleTimeoutRequest {
        GetIdleTimeoutRequest()
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: Int64, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(response)
    }
}
