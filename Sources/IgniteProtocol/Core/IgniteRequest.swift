@_exported import IgniteBinary

/// One request of the thin-client protocol: how its body is written and how its response body is read.
///
/// Requests are pure values. The engine adds the frame header (length, op code, request id);
/// a request writes only its body. Response decoding gets a reader positioned at the response body
/// (after the header) and must consume only that body.
package protocol IgniteRequest: Sendable {
    /// The decoded response body.
    associatedtype Response: Sendable

    /// The operation code.
    var opCode: OpCode { get }

    /// Writes the request body (everything after the request id).
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` when the negotiated protocol cannot express the request,
    ///   or ``IgniteError/Code/parameter`` for invalid arguments.
    func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws

    /// Reads the response body of a successful response.
    /// - Throws: ``IgniteError/Code/parse`` for a malformed body.
    func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Response
}

/// Requests whose successful response has no body.
package protocol IgniteEmptyResponseRequest: IgniteRequest where Response == Void {}

extension IgniteEmptyResponseRequest {
    /// An empty response body: nothing to read.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws {}
}

/// Builds request frames: `i32 length, i16 op code, i64 request id, body`.
package enum RequestFraming {
    /// The size of the request header after the length: op code and request id.
    public static let headerSize = 2 + 8

    /// Appends one complete request frame to `writer`.
    /// - Returns: nothing; on error the writer is restored to its previous length, so a failed
    ///   encode never leaves a partial frame behind.
    public static func encode<R: IgniteRequest>(_ request: R, requestId: Int64, context: ProtocolContext, into writer: inout BinaryWriter) throws {
        let start = writer.count
        writer.writeInt32(0)
        writer.writeInt16(request.opCode.rawValue)
        writer.writeInt64(requestId)
        do {
            try request.encodeBody(into: &writer, context: context)
        } catch {
            writer.truncate(to: start)
            throw error
        }
        let length = writer.count - start - 4
        guard length <= Int(Int32.max) else {
            writer.truncate(to: start)
            throw IgniteError.parameter("request of \(length) bytes exceeds the protocol's 2 GiB frame limit")
        }
        writer.setInt32(Int32(length), at: start)
    }

    /// Encodes one complete request frame into a new buffer.
    public static func frame<R: IgniteRequest>(_ request: R, requestId: Int64, context: ProtocolContext) throws -> [UInt8] {
        var writer = BinaryWriter(capacity: 64)
        try encode(request, requestId: requestId, context: context, into: &writer)
        return writer.bytes
    }
}
