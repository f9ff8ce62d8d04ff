/// Whether a partition-aware client learns the cluster's other nodes from the one it reached, and which of the
/// discovered addresses it may dial.
///
/// With discovery on (the default) and ``IgniteClientConfiguration/partitionAwareness`` on, the client asks a node
/// for every server node's thin-client endpoints (OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS, 5102, feature bit 3) after it
/// connects and again whenever the affinity topology version changes, connects to nodes that joined and stops
/// redialling nodes that left, as the Java thin client's `ClientDiscoveryContext` does. Configured endpoints are never
/// dropped. A server without the feature bit is left alone: the configured endpoints are all the client uses.
///
/// ```swift
/// var configuration = IgniteClientConfiguration(endpoints: [IgniteEndpoint(host: "10.0.0.5")])
/// configuration.clusterDiscovery = .only { $0.host.hasPrefix("10.0.") }  // never dial another network
/// ```
public struct IgniteClusterDiscovery: Sendable, CustomStringConvertible {
    /// Whether discovery runs.
    public var isEnabled: Bool
    /// Decides whether a discovered endpoint may be dialled; the configured endpoints are always dialled.
    public var allows: @Sendable (IgniteEndpoint) -> Bool

    /// Creates the setting.
    /// - Parameters:
    ///   - isEnabled: Whether discovery runs.
    ///   - allows: The filter of discovered endpoints (default: all).
    public init(isEnabled: Bool = true, allows: @escaping @Sendable (IgniteEndpoint) -> Bool = { _ in true }) {
        self.isEnabled = isEnabled
        self.allows = allows
    }

    /// Discovery on, every discovered endpoint allowed (the default).
    public static var enabled: IgniteClusterDiscovery { IgniteClusterDiscovery() }

    /// Discovery off: only the configured endpoints are dialled.
    public static var disabled: IgniteClusterDiscovery { IgniteClusterDiscovery(isEnabled: false) }

    /// Discovery on, dialling only the discovered endpoints `filter` accepts.
    /// - Parameter filter: Returns `true` for an endpoint the client may dial.
    /// - Returns: The setting.
    public static func only(_ filter: @escaping @Sendable (IgniteEndpoint) -> Bool) -> IgniteClusterDiscovery {
        IgniteClusterDiscovery(allows: filter)
    }

    /// Discovery on, dialling only discovered endpoints whose host is one of `hosts` (exact, case-insensitive).
    /// - Parameter hosts: The allowed host names or addresses.
    /// - Returns: The setting.
    public static func hosts(_ hosts: Set<String>) -> IgniteClusterDiscovery {
        let allowed = Set(hosts.map { $0.lowercased() })
        return IgniteClusterDiscovery { allowed.contains($0.host.lowercased()) }
    }

    /// `enabled` or `disabled`.
    public var description: String { isEnabled ? "enabled" : "disabled" }
}
