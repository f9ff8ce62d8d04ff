import IgniteProtocol

/// The cluster API: state and write-ahead log (pyignite's `Cluster`).
public struct IgniteCluster: Sendable {
    /// The client.
    public let client: IgniteClient

    /// The cluster state (OP_CLUSTER_GET_STATE).
    /// - Returns: ``ClusterState/active``, ``ClusterState/activeReadOnly`` or ``ClusterState/inactive``.
    /// - Throws: ``IgniteError/Code/cluster``, or ``IgniteError/Code/notSupportedByCluster`` below protocol 1.6.0
    ///   without feature bit 2.
    public func state() async throws -> ClusterState {
        try await client.execute(ClusterGetStateRequest())
    }

    /// Changes the cluster state (OP_CLUSTER_CHANGE_STATE).
    /// - Parameter state: The new state.
    /// - Throws: ``IgniteError/Code/cluster`` if the server refuses.
    public func setState(_ state: ClusterState) async throws {
        try await client.execute(ClusterChangeStateRequest(state: state))
    }

    /// Enables the write-ahead log of a persistent cache (OP_CLUSTER_CHANGE_WAL_STATE).
    /// - Parameter cacheName: The cache.
    /// - Returns: `true` if the state changed.
    /// - Throws: ``IgniteError/Code/cluster`` (for example for an in-memory cache).
    @discardableResult
    public func enableWAL(cacheName: String) async throws -> Bool {
        try await client.execute(ClusterChangeWALStateRequest(cacheName: cacheName, enable: true))
    }

    /// Disables the write-ahead log of a persistent cache (OP_CLUSTER_CHANGE_WAL_STATE).
    /// - Parameter cacheName: The cache.
    /// - Returns: `true` if the state changed.
    /// - Throws: ``IgniteError/Code/cluster``.
    @discardableResult
    public func disableWAL(cacheName: String) async throws -> Bool {
        try await client.execute(ClusterChangeWALStateRequest(cacheName: cacheName, enable: false))
    }

    /// Whether the write-ahead log of a cache is enabled (OP_CLUSTER_GET_WAL_STATE).
    /// - Parameter cacheName: The cache.
    /// - Returns: `true` if enabled.
    /// - Throws: ``IgniteError/Code/cluster`` (for example for a missing cache).
    public func isWALEnabled(cacheName: String) async throws -> Bool {
        try await client.execute(ClusterGetWALStateRequest(cacheName: cacheName))
    }
}

extension IgniteClient {
    /// The cluster API (pyignite's `get_cluster`).
    public var cluster: IgniteCluster { IgniteCluster(client: self) }
}
