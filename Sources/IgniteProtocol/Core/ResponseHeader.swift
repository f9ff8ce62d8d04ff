/// The affinity topology version a server reports: the cluster's major topology version and the minor
/// version bumped by cache starts, stops and state changes.
package struct AffinityTopologyVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The major version (topology changes: nodes joining or leaving).
    public var major: Int64
    /// The minor version.
    public var minor: Int32

    /// Creates a version.
    public init(major: Int64, minor: Int32) {
        self.major = major
        self.minor = minor
    }

    /// A readable description, for logs and messages.
    public var description: String { "(\(major), \(minor))" }

    /// Orders by each component in turn, most significant first.
    public static func < (lhs: AffinityTopologyVersion, rhs: AffinityTopologyVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}

/// Flags of the ≥ 1.4.0 response header.
package struct ResponseFlags: OptionSet, Hashable, Sendable {
    /// The wire value.
    public let rawValue: Int16
    /// Flags from the wire value.
    public init(rawValue: Int16) { self.rawValue = rawValue }
    /// A status and an error message follow; there is no body.
    public static let error = ResponseFlags(rawValue: 0x0001)
    /// The affinity topology version follows.
    public static let affinityTopologyChanged = ResponseFlags(rawValue: 0x0002)
    /// A server notification, not a response; the i64 is a resource id.
    public static let notification = ResponseFlags(rawValue: 0x0004)
}

/// The header of a server message (response or notification), decoded by protocol version.
package struct ResponseHeader: Hashable, Sendable {
    /// The request id (or the resource id, for a notification).
    public var requestId: Int64
    /// The flags (≥ 1.4.0; synthesized below 1.4.0).
    public var flags: ResponseFlags
    /// The new affinity topology version, when the server reports a change.
    public var topologyVersion: AffinityTopologyVersion?
    /// The notification op code, for notifications.
    public var notificationOpCode: OpCode?
    /// The status: 0 for success.
    public var status: Int32
    /// The server's error message, when the status is not 0.
    public var errorMessage: String?

    /// Creates a header.
    public init(requestId: Int64, flags: ResponseFlags = [], topologyVersion: AffinityTopologyVersion? = nil,
                notificationOpCode: OpCode? = nil, status: Int32 = 0, errorMessage: String? = nil) {
        self.requestId = requestId
        self.flags = flags
        self.topologyVersion = topologyVersion
        self.notificationOpCode = notificationOpCode
        self.status = status
        self.errorMessage = errorMessage
    }

    /// Whether this is a server notification rather than a response.
    public var isNotification: Bool { flags.contains(.notification) }

    /// Whether the request succeeded.
    public var isSuccess: Bool { status == 0 }

    /// Reads a header from a frame payload (the bytes after the i32 length).
    /// On return the reader is positioned at the body.
    public static func decode(from reader: inout BinaryReader, context: ProtocolContext) throws -> ResponseHeader {
        let requestId = try reader.readInt64()
        guard context.usesStatusFlags else {
            let status = try reader.readInt32()
            var header = ResponseHeader(requestId: requestId, status: status)
            if status != 0 {
                header.flags = .error
                header.errorMessage = try reader.readOptionalStringObject() ?? ""
            }
            return header
        }
        let flags = ResponseFlags(rawValue: try reader.readInt16())
        var header = ResponseHeader(requestId: requestId, flags: flags)
        if flags.contains(.affinityTopologyChanged) {
            let major = try reader.readInt64()
            header.topologyVersion = AffinityTopologyVersion(major: major, minor: try reader.readInt32())
        }
        if flags.contains(.notification) {
            header.notificationOpCode = OpCode(try reader.readInt16())
        }
        if flags.contains(.error) {
            header.status = try reader.readInt32()
            header.errorMessage = try reader.readOptionalStringObject() ?? ""
            if header.status == 0 {
                throw IgniteError.parse("response \(requestId) has the error flag but status 0")
            }
        }
        return header
    }

    /// Writes this header (server direction, used by the test node). Does not write the length prefix.
    public func encode(into writer: inout BinaryWriter, context: ProtocolContext) {
        writer.writeInt64(requestId)
        guard context.usesStatusFlags else {
            writer.writeInt32(status)
            if status != 0 { writer.writeStringObject(errorMessage ?? "") }
            return
        }
        var flags = self.flags
        if topologyVersion != nil { flags.insert(.affinityTopologyChanged) }
        if status != 0 { flags.insert(.error) }
        if notificationOpCode != nil { flags.insert(.notification) }
        writer.writeInt16(flags.rawValue)
        if let topologyVersion {
            writer.writeInt64(topologyVersion.major)
            writer.writeInt32(topologyVersion.minor)
        }
        if let notificationOpCode { writer.writeInt16(notificationOpCode.rawValue) }
        if status != 0 {
            writer.writeInt32(status)
            writer.writeStringObject(errorMessage ?? "")
        }
    }
}
