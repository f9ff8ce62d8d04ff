import Foundation
import IgniteProtocol

/// A request with a fixed op code and raw body; its response is the raw body bytes.
struct ConnectionProbeRequest: IgniteRequest {
    var opCode: OpCode
    var body: [UInt8] = []
    var failEncoding = false

    func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBytes(body)
        if failEncoding { throw IgniteError.parameter("probe refuses to encode") }
    }

    func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> [UInt8] {
        try reader.readBytes(reader.remaining)
    }
}

enum ConnectionFrames {
    /// A full response frame (length included) as the server writes it.
    static func response(_ header: ResponseHeader, body: [UInt8] = [], context: ProtocolContext) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeInt32(0)
        header.encode(into: &writer, context: context)
        if header.status == 0 { writer.writeBytes(body) }
        writer.setInt32(Int32(writer.count - 4), at: 0)
        return writer.bytes
    }

    /// The payload of a frame (without the length prefix).
    static func payload(_ frame: [UInt8]) -> [UInt8] { Array(frame.dropFirst(4)) }

    static func bytes(hex: String) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 48...57: v = c - 48
            case 97...102: v = c - 87
            case 65...70: v = c - 55
            default: continue
            }
            if let h = high { result.append(h << 4 | v); high = nil } else { high = v }
        }
        return result
    }

    static let nodeId = UUID(uuidString: "a438f733-0072-4a61-b4d6-3e53fe117e7f") ?? UUID()
}

extension ConnectionStateMachine {
    /// Starts a machine and completes the handshake at `version` with the given feature reply.
    static func readyMachine(version: ProtocolVersion = .v1_7_0,
                             features: ProtocolFeatures = ProtocolFeatures([.clusterStates])) -> ConnectionStateMachine {
        var machine = ConnectionStateMachine(configuration: Configuration(initialVersion: version))
        _ = machine.start()
        let reply = HandshakeResponse.success(features: features, nodeId: ConnectionFrames.nodeId).frame(proposed: version)
        _ = machine.handshakeFrameReceived(ConnectionFrames.payload(reply))
        return machine
    }

    /// Sends a probe request and returns its id.
    mutating func sendProbe(_ op: OpCode = .cacheGet, writer: inout BinaryWriter) -> Int64? {
        if case .write(let id) = sendRequest(ConnectionProbeRequest(opCode: op, body: [1, 2, 3]), into: &writer) { return id }
        return nil
    }
}
