import Foundation
import IgniteProtocol

/// The server side of the handshake, as GridGain 8 (or, with `maxVersion` 1.7.0, Apache Ignite 2.x) answers it
/// (SERVER-BEHAVIOUR §1).
enum HandshakeHandler {
    /// What to do with a handshake frame.
    enum Outcome {
        /// Send this frame; a context means the handshake succeeded.
        case reply([UInt8], ProtocolContext?)
        /// Close the socket at once without a reply (the framing-layer header check failed).
        case closeNow
        /// Send nothing and let the handshake timer close the socket (a malformed body).
        case ignore
    }

    /// GridGain's feature bits: 0–9, 11, 14–17, 19, 32–34 (`ff cb 0b 00 07`).
    static let gridGainFeatures = ProtocolFeatures(bytes: [0xff, 0xcb, 0x0b, 0x00, 0x07])
    /// The Apache bits this node implements the layouts of: 0–9, 11, 14, 15.
    static let apacheFeatures = ProtocolFeatures(bytes: [0xff, 0xcb])

    static func handle(payload: [UInt8], configuration: TestNodeConfiguration, nodeId: UUID) -> Outcome {
        // The framing layer checks the first three bytes: code 1 and major version 1 or 2.
        guard payload.count >= 3, payload[0] == 1, payload[1] == 1 || payload[1] == 2, payload[2] == 0 else { return .closeNow }
        let maxVersion = configuration.maxVersion
        let supported = ProtocolVersion.supported.filter { $0 <= maxVersion }
        let request: HandshakeRequest
        do {
            request = try HandshakeRequest.decode(payload: payload, userAttributes: configuration.isGridGain ? .byVersion : .byFeatureBit,
                                                  serverVersions: supported)
        } catch {
            return .ignore  // a malformed body: the real node waits for its handshake timer
        }
        let proposed = request.version
        switch request.clientType {
        case 2: break
        case 0: return failure(ProtocolVersion(2, 8, 0), "Unsupported version: \(proposed)", status: 1, proposed: proposed)
        case 1: return failure(ProtocolVersion(2, 8, 3), "Unsupported version: \(proposed)", status: 1, proposed: proposed)
        default: return failure(ProtocolVersion(0, 0, 0), "Unknown client type: \(request.clientType)", status: 1, proposed: proposed)
        }
        guard supported.contains(proposed) else {
            return failure(maxVersion, "Unsupported version: \(proposed)", status: 1, proposed: proposed)
        }
        let features = request.features
        let username = request.username
        let password = request.password
        if !configuration.users.isEmpty {
            let prohibited = "Unauthenticated sessions are prohibited."
            guard proposed >= .v1_1_0 else { return failure(ProtocolVersion(0, 0, 0), prohibited, status: 2000, proposed: proposed) }
            guard let username, !username.isEmpty else { return failure(ProtocolVersion(0, 0, 0), prohibited, status: 2000, proposed: proposed) }
            guard configuration.users[username] == password else {
                return failure(ProtocolVersion(0, 0, 0), "The user name or password is incorrect [userName=\(username)]", status: 2000, proposed: proposed)
            }
        }
        let known = configuration.isGridGain ? gridGainFeatures : apacheFeatures
        let negotiated = features.intersection(known)
        let context = ProtocolContext(version: proposed, features: negotiated)
        let reply = HandshakeResponse.success(features: negotiated, nodeId: nodeId).frame(proposed: proposed)
        return .reply(reply, context)
    }

    private static func failure(_ version: ProtocolVersion, _ message: String, status: Int32, proposed: ProtocolVersion) -> Outcome {
        let frame = HandshakeResponse.failure(serverVersion: version, message: message, status: proposed >= .v1_1_0 ? status : nil)
            .frame(proposed: proposed)
        return .reply(frame, nil)
    }
}
