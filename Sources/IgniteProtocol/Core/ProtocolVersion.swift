/// A thin-client protocol version, `major.minor.patch`.
public struct ProtocolVersion: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The major version.
    public var major: Int16
    /// The minor version.
    public var minor: Int16
    /// The patch version.
    public var patch: Int16

    /// Creates a version.
    public init(_ major: Int16, _ minor: Int16, _ patch: Int16) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// The first protocol version.
    public static let v1_0_0 = ProtocolVersion(1, 0, 0)
    /// Adds authentication (user name and password in the handshake) and the status in failure replies.
    public static let v1_1_0 = ProtocolVersion(1, 1, 0)
    /// Adds precision and scale to query-entity fields.
    public static let v1_2_0 = ProtocolVersion(1, 2, 0)
    /// Adds capability flags only (idle and handshake timeouts); deprecates OP_CACHE_NODE_PARTITIONS.
    public static let v1_3_0 = ProtocolVersion(1, 3, 0)
    /// Adds partition awareness: node ids, the flags response header, affinity topology versions.
    public static let v1_4_0 = ProtocolVersion(1, 4, 0)
    /// Adds transactions.
    public static let v1_5_0 = ProtocolVersion(1, 5, 0)
    /// Adds expiry policies and the cluster API.
    public static let v1_6_0 = ProtocolVersion(1, 6, 0)
    /// Adds the feature bitmask. The newest version Apache Ignite 2.x servers accept.
    public static let v1_7_0 = ProtocolVersion(1, 7, 0)
    /// GridGain 8 only: the user-attributes map in the handshake.
    public static let v1_7_1 = ProtocolVersion(1, 7, 1)

    /// Every version this client can speak, newest first.
    public static let supported: [ProtocolVersion] = [.v1_7_1, .v1_7_0, .v1_6_0, .v1_5_0, .v1_4_0, .v1_3_0, .v1_2_0, .v1_1_0, .v1_0_0]

    /// The version proposed first. 1.7.0 is understood by both Apache Ignite 2.x and GridGain 8.
    public static let preferred = ProtocolVersion.v1_7_0

    /// A readable description, for logs and messages.
    public var description: String { "\(major).\(minor).\(patch)" }

    /// Orders by each component in turn, most significant first.
    public static func < (lhs: ProtocolVersion, rhs: ProtocolVersion) -> Bool {
        (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
    }
}
