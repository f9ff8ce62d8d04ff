// Cluster state and WAL (OP 5000–5003, PROTOCOL-FACTS §5.8, §10.2). The client allows them at ≥ 1.6.0 or with
// feature bit 2, as the Java client does (the server itself does not check).

/// The state of a cluster (`ClusterState` ordinal, i8). An extensible struct: unknown states decode.
public struct ClusterState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The wire value.
    public let rawValue: Int8
    /// Creates a state from its wire value.
    public init(rawValue: Int8) { self.rawValue = rawValue }
    /// INACTIVE (0): no cache operations.
    public static let inactive = ClusterState(rawValue: 0)
    /// ACTIVE (1).
    public static let active = ClusterState(rawValue: 1)
    /// ACTIVE_READ_ONLY (2): reads work, writes fail. Needs feature bit 2.
    public static let activeReadOnly = ClusterState(rawValue: 2)

    /// A readable description, for logs and messages.
    public var description: String {
        switch rawValue {
        case 0: "INACTIVE"
        case 1: "ACTIVE"
        case 2: "ACTIVE_READ_ONLY"
        default: "ClusterState(\(rawValue))"
        }
    }
}

extension ProtocolContext {
    func requireClusterAPI(_ what: String) throws {
        guard supportsClusterAPI else {
            throw IgniteError.notSupported(what, needs: "protocol 1.6.0 or feature \(FeatureBit.clusterStates)", context: self)
        }
    }
}

/// OP_CLUSTER_GET_STATE (5000): the cluster state. Response: `i8 state`.
package struct ClusterGetStateRequest: IgniteServerCodableRequest, Hashable {
    /// Creates the request.
    public init() {}

    /// ``OpCode/clusterGetState``.
    public var opCode: OpCode { .clusterGetState }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below 1.6.0 without feature bit 2.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.requireClusterAPI("OP_CLUSTER_GET_STATE")
    }

    /// - Returns: The state.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterState {
        ClusterState(rawValue: try reader.readInt8())
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterGetStateRequest {
        ClusterGetStateRequest()
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: ClusterState, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt8(response.rawValue)
    }
}

/// OP_CLUSTER_CHANGE_STATE (5001): changes the cluster state. Body: `i8 state`. Response: empty.
///
/// Apache Ignite adds a trailing `bool forceDeactivation` when its FORCE_DEACTIVATION_FLAG feature is negotiated
/// (server `ClientClusterChangeStateRequest`: `forceDeactivation = !feature || readBoolean()`). The bit number of that
/// feature is not in any Apache `ClientBitmaskFeature` / `ProtocolBitmaskFeature` source this client was checked
/// against (they end at bit 18, TX_AWARE_QUERIES), and GridGain uses bit 19 for CACHE_INVOKE, so the client never
/// requests it and never writes the bool. Without the feature the server forces deactivation, which is what this
/// request asks for when the state is ``ClusterState/inactive``.
package struct ClusterChangeStateRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The new state.
    public var state: ClusterState

    /// Creates the request.
    public init(state: ClusterState) { self.state = state }

    /// ``OpCode/clusterChangeState``.
    public var opCode: OpCode { .clusterChangeState }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below 1.6.0 without feature bit 2, or for a state other
    ///   than ACTIVE/INACTIVE without feature bit 2.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.requireClusterAPI("OP_CLUSTER_CHANGE_STATE")
        if state.rawValue > ClusterState.active.rawValue || state.rawValue < 0 {
            try context.require(.clusterStates, for: "cluster state \(state)")
        }
        writer.writeInt8(state.rawValue)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterChangeStateRequest {
        ClusterChangeStateRequest(state: ClusterState(rawValue: try reader.readInt8()))
    }
}

/// OP_CLUSTER_CHANGE_WAL_STATE (5002): enables or disables the write-ahead log of a persistent cache.
/// Body: `String cacheName, bool enable`. Response: whether the state changed.
package struct ClusterChangeWALStateRequest: IgniteServerCodableRequest, Hashable {
    /// The cache name.
    public var cacheName: String
    /// `true` to enable the WAL, `false` to disable it.
    public var enable: Bool

    /// Creates the request.
    public init(cacheName: String, enable: Bool) {
        self.cacheName = cacheName
        self.enable = enable
    }

    /// ``OpCode/clusterChangeWALState``.
    public var opCode: OpCode { .clusterChangeWALState }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below 1.6.0 without feature bit 2.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.requireClusterAPI("OP_CLUSTER_CHANGE_WAL_STATE")
        writer.writeStringObject(cacheName)
        writer.writeBool(enable)
    }

    /// - Returns: `true` if the WAL state changed.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterChangeWALStateRequest {
        let name = try reader.readOptionalStringObject() ?? ""
        return ClusterChangeWALStateRequest(cacheName: name, enable: try reader.readBool())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// OP_CLUSTER_GET_WAL_STATE (5003): whether the write-ahead log of a cache is enabled.
/// Body: `String cacheName`. Response: `bool`.
package struct ClusterGetWALStateRequest: IgniteServerCodableRequest, Hashable {
    /// The cache name.
    public var cacheName: String

    /// Creates the request.
    public init(cacheName: String) { self.cacheName = cacheName }

    /// ``OpCode/clusterGetWALState``.
    public var opCode: OpCode { .clusterGetWALState }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below 1.6.0 without feature bit 2.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.requireClusterAPI("OP_CLUSTER_GET_WAL_STATE")
        writer.writeStringObject(cacheName)
    }

    /// - Returns: `true` if the WAL is enabled.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterGetWALStateRequest {
        ClusterGetWALStateRequest(cacheName: try reader.readOptionalStringObject() ?? "")
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}
