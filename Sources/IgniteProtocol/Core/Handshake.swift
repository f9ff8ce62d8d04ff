import Foundation

/// The handshake request: the first message on every connection.
///
/// Layout: `i32 length, i8 1, i16 major, i16 minor, i16 patch, i8 client type 2,
/// [≥ 1.7.0: byte[] features], [user attributes map, see below], [≥ 1.1.0 and a user name: String user, String password]`.
///
/// The user-attributes map is written at 1.7.1 (GridGain reads it by version), and at 1.7.0 only when
/// ``FeatureBit/userAttributes`` is requested (Apache reads it by that bit). A GridGain server at 1.7.0
/// never reads it, so the default feature set leaves bit 0 off.
package struct HandshakeRequest: Hashable, Sendable {
    /// The handshake op code (the first payload byte).
    public static let handshakeCode: UInt8 = 1
    /// The thin-client client type.
    public static let thinClientType: UInt8 = 2

    /// The proposed protocol version.
    public var version: ProtocolVersion
    /// The requested feature bits (sent at ≥ 1.7.0).
    public var features: ProtocolFeatures
    /// The user name, if authenticating.
    public var username: String?
    /// The password, if authenticating.
    public var password: String?
    /// User attributes (String → String), sent where the version or bit 0 calls for the map.
    public var userAttributes: [String: String]?
    /// The client type byte (2 for thin clients; other values are for tests of the server's checks).
    public var clientType: UInt8

    /// Creates a handshake request.
    public init(version: ProtocolVersion, features: ProtocolFeatures = .defaultRequested, username: String? = nil,
                password: String? = nil, userAttributes: [String: String]? = nil, clientType: UInt8 = HandshakeRequest.thinClientType) {
        self.version = version
        self.features = features
        self.username = username
        self.password = password
        self.userAttributes = userAttributes
        self.clientType = clientType
    }

    /// Whether the user-attributes map is part of the request at this version and feature set.
    public var writesUserAttributes: Bool {
        version >= .v1_7_1 || (version == .v1_7_0 && features.contains(.userAttributes))
    }

    /// The complete frame, length prefix included. The password is never logged or kept elsewhere.
    public func frame() -> [UInt8] {
        var writer = BinaryWriter(capacity: 64)
        writer.writeInt32(0)
        writer.writeUInt8(HandshakeRequest.handshakeCode)
        writer.writeInt16(version.major)
        writer.writeInt16(version.minor)
        writer.writeInt16(version.patch)
        writer.writeUInt8(clientType)
        if version >= .v1_7_0 {
            writer.writeValue(.byteArray(features.bytes))
        }
        if writesUserAttributes {
            if let userAttributes {
                let entries = userAttributes.sorted { $0.key < $1.key }.map { IgniteMapEntry(.string($0.key), .string($0.value)) }
                writer.writeValue(.map(IgniteMap(entries, kind: .hashMap)))
            } else {
                writer.writeValue(.null)
            }
        }
        if version >= .v1_1_0, let username, !username.isEmpty {
            writer.writeStringObject(username)
            writer.writeOptionalStringObject(password)
        }
        writer.setInt32(Int32(truncatingIfNeeded: writer.count - 4), at: 0)
        return writer.bytes
    }

    /// How a server decides whether a 1.7.x handshake carries the user-attributes map.
    public enum UserAttributesRule: Sendable {
        /// GridGain 8: the map is present from version 1.7.1 on.
        case byVersion
        /// Apache Ignite 2.x: the map is present at 1.7.0 when the client set feature bit 0.
        case byFeatureBit
    }

    /// Decodes a handshake payload (the bytes after the length), server direction.
    ///
    /// Only the header (code, version, client type) is read when the client type is not the thin client
    /// or the version is not one the server speaks, since a server answers those without reading further.
    /// - Parameters:
    ///   - payload: The frame payload.
    ///   - userAttributes: Which server's rule decides whether the user-attributes map is present.
    ///   - serverVersions: The versions whose body the server reads.
    /// - Throws: ``IgniteError/Code/handshake`` if the header is not a handshake,
    ///   ``IgniteError/Code/parse`` if the body is malformed.
    public static func decode(payload: [UInt8], userAttributes: UserAttributesRule = .byVersion,
                              serverVersions: [ProtocolVersion] = ProtocolVersion.supported) throws -> HandshakeRequest {
        var reader = BinaryReader(payload)
        let code = try reader.readUInt8()
        guard code == handshakeCode else { throw IgniteError(.handshake, "handshake code \(code) is not 1") }
        let version = ProtocolVersion(try reader.readInt16(), try reader.readInt16(), try reader.readInt16())
        let clientType = try reader.readUInt8()
        var request = HandshakeRequest(version: version, features: ProtocolFeatures(), clientType: clientType)
        guard clientType == thinClientType, serverVersions.contains(version) else { return request }
        if version >= .v1_7_0 {
            guard case .byteArray(let bytes) = try reader.readValue() else {
                throw IgniteError.parse("handshake at \(version) lacks the features byte array")
            }
            request.features = ProtocolFeatures(bytes: bytes)
        }
        let hasAttributes = switch userAttributes {
        case .byVersion: version >= .v1_7_1
        case .byFeatureBit: version == .v1_7_0 && request.features.contains(.userAttributes)
        }
        if hasAttributes {
            switch try reader.readValue() {
            case .null: break
            case .map(let map):
                var attributes: [String: String] = [:]
                for entry in map.entries {
                    if case .string(let k) = entry.key, case .string(let v) = entry.value { attributes[k] = v }
                }
                request.userAttributes = attributes
            default:
                throw IgniteError.parse("handshake user attributes are not a map")
            }
        }
        if version >= .v1_1_0, !reader.isAtEnd {
            request.username = try reader.readOptionalStringObject()
            request.password = try reader.readOptionalStringObject()
        }
        return request
    }
}

/// The server's reply to a handshake.
package enum HandshakeResponse: Hashable, Sendable {
    /// The handshake succeeded.
    /// - features: the negotiated feature set (≥ 1.7.0);
    /// - nodeId: the server node's id (≥ 1.4.0).
    case success(features: ProtocolFeatures, nodeId: UUID?)
    /// The handshake failed.
    /// - serverVersion: the version the server offers (0.0.0 on authentication failure);
    /// - message: the server's message;
    /// - status: the status code (present when the proposed version was ≥ 1.1.0).
    case failure(serverVersion: ProtocolVersion, message: String, status: Int32?)

    /// Decodes a handshake reply payload (after the length) for the version that was proposed.
    public static func decode(payload: [UInt8], proposed: ProtocolVersion) throws -> HandshakeResponse {
        var reader = BinaryReader(payload)
        let success = try reader.readBool()
        if success {
            var features = ProtocolFeatures()
            var nodeId: UUID?
            if proposed >= .v1_7_0 {
                guard case .byteArray(let bytes) = try reader.readValue() else {
                    throw IgniteError(.handshake, "handshake reply at \(proposed) lacks the features byte array")
                }
                features = ProtocolFeatures(bytes: bytes)
            }
            if proposed >= .v1_4_0 {
                switch try reader.readValue() {
                case .uuid(let id): nodeId = id
                case .null: nodeId = nil
                default: throw IgniteError(.handshake, "handshake reply at \(proposed) has no node id")
                }
            }
            return .success(features: features, nodeId: nodeId)
        }
        let version = ProtocolVersion(try reader.readInt16(), try reader.readInt16(), try reader.readInt16())
        let message = try reader.readOptionalStringObject() ?? ""
        let status: Int32? = reader.remaining >= 4 ? try reader.readInt32() : nil
        return .failure(serverVersion: version, message: message, status: status)
    }

    /// The complete reply frame, length included (server direction, used by the test node).
    public func frame(proposed: ProtocolVersion) -> [UInt8] {
        var writer = BinaryWriter(capacity: 48)
        writer.writeInt32(0)
        switch self {
        case .success(let features, let nodeId):
            writer.writeBool(true)
            if proposed >= .v1_7_0 { writer.writeValue(.byteArray(features.bytes)) }
            if proposed >= .v1_4_0 { writer.writeValue(nodeId.map { .uuid($0) } ?? .null) }
        case .failure(let version, let message, let status):
            writer.writeBool(false)
            writer.writeInt16(version.major)
            writer.writeInt16(version.minor)
            writer.writeInt16(version.patch)
            writer.writeStringObject(message)
            if let status { writer.writeInt32(status) }
        }
        writer.setInt32(Int32(truncatingIfNeeded: writer.count - 4), at: 0)
        return writer.bytes
    }
}
