// IgniteTesting: an in-process Ignite node for an application's own tests, like HummingbirdTesting or XCTVapor for
// the Swift server ecosystem. No JVM: the node speaks the thin-client protocol over loopback TCP, keeps the data in
// memory, and runs SQL on SQLite in Ignite's model (tables are caches with query entities).
//
// `import IgniteTesting` gives the test node (`IgniteTestCluster`, `IgniteTestNode`, `TestNodeConfiguration`,
// `TestNodeFault`, `SQLFixtureFile`, ...) and the synchronous client (`IgniteClient`); see Docs/TESTING.md.
@_exported import IgniteSync
@_exported import IgniteTestNode

extension IgniteTestCluster {
    /// Starts an in-process cluster of `nodes` nodes on ephemeral loopback ports.
    /// - Parameters:
    ///   - nodes: The number of nodes (each with its own port).
    ///   - configure: Adjusts the configuration (partitions, backups, users, protocol version, faults of timing...).
    /// - Returns: The running cluster; call ``shutdown()`` when done (``withTestCluster(nodes:configure:_:)`` does).
    /// - Throws: ``IgniteError`` if a listener cannot start.
    public static func start(nodes: Int = 1, configure: (inout TestNodeConfiguration) -> Void = { _ in }) throws -> IgniteTestCluster {
        var configuration = TestNodeConfiguration(nodeCount: nodes)
        configure(&configuration)
        return try IgniteTestCluster(configuration)
    }

    /// A client configuration that reaches every node of the cluster.
    public var clientConfiguration: IgniteClientConfiguration {
        IgniteClientConfiguration(endpoints: endpoints)
    }

    /// Connects a new client to the cluster.
    /// - Parameter configure: Adjusts the client configuration (credentials, timeouts, partition awareness...).
    /// - Returns: A connected client; close it when done.
    /// - Throws: ``IgniteError`` if the client cannot connect.
    public func makeClient(_ configure: (inout IgniteClientConfiguration) -> Void = { _ in }) throws -> IgniteClient {
        var configuration = clientConfiguration
        configure(&configuration)
        return try IgniteClient(configuration: configuration)
    }
}

/// Runs `body` with a fresh in-process cluster and a client connected to it; both are shut down afterwards, even
/// when `body` throws.
///
/// ```swift
/// @Test func storesOrders() throws {
///     try withTestCluster { cluster, client in
///         _ = try client.sql("CREATE TABLE ORDERS (ID BIGINT PRIMARY KEY, TOTAL DECIMAL(10,2))").all()
///         try OrderStore(client: client).save(Order(id: 1, total: 9.99))
///         #expect(try client.sql("SELECT COUNT(*) FROM ORDERS").all() == [[.long(1)]])
///     }
/// }
/// ```
/// - Parameters:
///   - nodes: The number of nodes.
///   - configure: Adjusts the node configuration.
///   - body: The test, given the cluster (endpoints, stop/restart, faults, SQL statistics) and a client.
/// - Returns: What `body` returns.
/// - Throws: What `body` throws, or ``IgniteError`` if the cluster or the client cannot start.
public func withTestCluster<T>(nodes: Int = 1, configure: (inout TestNodeConfiguration) -> Void = { _ in },
                               _ body: (IgniteTestCluster, IgniteClient) throws -> T) throws -> T {
    let cluster = try IgniteTestCluster.start(nodes: nodes, configure: configure)
    defer { cluster.shutdown() }
    let client = try cluster.makeClient()
    defer { client.close() }
    return try body(cluster, client)
}
