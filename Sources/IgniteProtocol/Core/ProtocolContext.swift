/// What was negotiated on one connection: the protocol version and the feature bits.
/// Every encoder and decoder that depends on the version takes one.
public struct ProtocolContext: Hashable, Sendable, CustomStringConvertible {
    /// The negotiated protocol version.
    public var version: ProtocolVersion
    /// The negotiated features (empty below 1.7.0).
    public var features: ProtocolFeatures

    /// Creates a context.
    public init(version: ProtocolVersion, features: ProtocolFeatures = ProtocolFeatures()) {
        self.version = version
        self.features = version >= .v1_7_0 ? features : ProtocolFeatures()
    }

    /// Whether the given feature bit was negotiated.
    public func has(_ bit: FeatureBit) -> Bool { features.contains(bit) }

    /// ≥ 1.1.0: user name and password in the handshake.
    public var supportsAuthentication: Bool { version >= .v1_1_0 }
    /// ≥ 1.2.0: query-entity fields carry precision and scale.
    public var supportsQueryEntityPrecisionAndScale: Bool { version >= .v1_2_0 }
    /// ≥ 1.4.0: the flags response header, node ids and partition awareness.
    public var usesStatusFlags: Bool { version >= .v1_4_0 }
    /// ≥ 1.4.0: OP_CACHE_PARTITIONS.
    public var supportsPartitionAwareness: Bool { version >= .v1_4_0 }
    /// ≥ 1.5.0: transactions.
    public var supportsTransactions: Bool { version >= .v1_5_0 }
    /// ≥ 1.6.0: expiry policies.
    public var supportsExpiryPolicy: Bool { version >= .v1_6_0 }
    /// ≥ 1.6.0 or bit 2: cluster state and WAL.
    public var supportsClusterAPI: Bool { version >= .v1_6_0 || has(.clusterStates) }
    /// ≥ 1.7.0: the feature bitmask.
    public var supportsBitmapFeatures: Bool { version >= .v1_7_0 }

    /// A readable description, for logs and messages.
    public var description: String { "protocol \(version) \(features)" }
}
