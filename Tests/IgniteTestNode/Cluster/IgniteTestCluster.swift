import Foundation
import IgniteProtocol

/// The state every node of one cluster shares.
final class ClusterCore: Sendable {
    let configuration: TestNodeConfiguration
    let data: SharedClusterData
    /// Atomic longs and sets (Ops/DataStructureOps.swift).
    let structures = Locked(DataStructureStore())

    init(configuration: TestNodeConfiguration) {
        self.configuration = configuration
        self.data = SharedClusterData(ClusterData(configuration: configuration))
    }
}

/// The cluster's data behind one lock, plus a copy of the affinity topology version behind its own lock, so that
/// every response header can read the version without taking the cluster-wide lock.
final class SharedClusterData: @unchecked Sendable {
    private let lock = NSLock()
    private var value: ClusterData   // guarded by `lock`
    private let topologyLock = NSLock()
    private var topologyCopy: AffinityTopologyVersion   // guarded by `topologyLock`; updated before `lock` is released

    init(_ value: ClusterData) {
        self.value = value
        self.topologyCopy = value.topology
    }

    /// Runs `body` with exclusive access to the data.
    func withLock<R>(_ body: (inout ClusterData) throws -> R) rethrows -> R {
        lock.lock()
        defer {
            let topology = value.topology
            topologyLock.lock()
            topologyCopy = topology
            topologyLock.unlock()
            lock.unlock()
        }
        return try body(&value)
    }

    /// The current affinity topology version.
    var topology: AffinityTopologyVersion {
        topologyLock.lock()
        defer { topologyLock.unlock() }
        return topologyCopy
    }
}

/// An in-process cluster of test nodes that speak the Ignite thin-client protocol over loopback TCP.
///
/// Every node has its own port, node id and consistent id; all nodes share the data. Partitions are spread over the
/// running nodes by Ignite's own `RendezvousAffinityFunction` over the consistent ids (see
/// ``TestNodeConfiguration/consistentIds``), so ownership is what a real cluster with those consistent ids would have.
/// Stopping, restarting or adding a node changes the affinity topology version, which every connection reports on
/// its next response.
///
/// ```swift
/// let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 3))
/// defer { cluster.shutdown() }
/// let endpoints = cluster.endpoints
/// ```
public final class IgniteTestCluster: Sendable {
    let core: ClusterCore
    private let members: Locked<[IgniteTestNode]>

    /// Starts `configuration.nodeCount` nodes.
    /// - Parameter configuration: How to set the cluster up.
    /// - Throws: ``IgniteError/Code/parameter`` for an invalid configuration, ``IgniteError/Code/socket`` when a port
    ///   cannot be bound (already started nodes are stopped again).
    public init(_ configuration: TestNodeConfiguration = .init()) throws {
        try configuration.validate()
        core = ClusterCore(configuration: configuration)
        members = Locked([])
        do {
            for index in 0..<configuration.nodeCount {
                let port = index < configuration.ports.count ? configuration.ports[index] : 0
                let node = IgniteTestNode(index: index, core: core)
                try node.start(port: port)
                members.withLock { $0.append(node) }
            }
        } catch {
            shutdown()
            throw error
        }
    }

    deinit {
        for node in members.snapshot { node.stop() }
    }

    /// The configuration the cluster was started with.
    public var configuration: TestNodeConfiguration { core.configuration }

    /// The endpoint of every node, in node order (stopped nodes keep their endpoint for a restart).
    public var endpoints: [IgniteEndpoint] { members.snapshot.map(\.endpoint) }

    /// The nodes, in the order they were started; ``addNode()`` appends.
    public var nodes: [IgniteTestNode] { members.snapshot }

    /// The current affinity topology version.
    package var topologyVersion: AffinityTopologyVersion { core.data.topology }

    /// The cluster state.
    public var state: TestClusterState {
        get { core.data.withLock { $0.state } }
    }

    /// Starts one more node on an ephemeral port (or the next configured port). The topology version changes.
    /// - Returns: The new node.
    /// - Throws: ``IgniteError/Code/socket`` when the port cannot be bound.
    @discardableResult
    public func addNode() throws -> IgniteTestNode {
        let index = members.withLock { $0.count }
        let ports = core.configuration.ports
        let node = IgniteTestNode(index: index, core: core)
        try node.start(port: index < ports.count ? ports[index] : 0)
        members.withLock { $0.append(node) }
        return node
    }

    /// Kills a node: its listener and every connection close at once and it leaves the topology.
    /// The data stays (all nodes share it). Does nothing for an unknown index or a stopped node.
    /// - Parameter index: The node's index in ``nodes``.
    public func stopNode(_ index: Int) {
        let node = members.withLock { index >= 0 && index < $0.count ? $0[index] : nil }
        node?.stop()
    }

    /// Restarts a stopped (or running) node on the same port. Like a real node, it comes back with a new node id.
    /// - Parameter index: The node's index in ``nodes``.
    /// - Throws: ``IgniteError/Code/parameter`` for an unknown index, ``IgniteError/Code/socket`` when the port is taken.
    public func restartNode(_ index: Int) throws {
        guard let node = members.withLock({ index >= 0 && index < $0.count ? $0[index] : nil }) else {
            throw IgniteError.parameter("no node with index \(index)")
        }
        node.stop()
        try node.start(port: node.endpoint.port)
    }

    /// Registers a canned SELECT result: the query text (whitespace-normalized) answers these columns and rows.
    /// - Parameters:
    ///   - sql: The query text.
    ///   - columns: The column names.
    ///   - rows: The rows; each has one value per column. For OP_QUERY_SQL (2002) register two columns, key and value.
    public func registerSQL(_ sql: String, columns: [String], rows: [[IgniteValue]]) {
        let key = SQLText.normalize(sql)
        core.data.withLock { $0.sql[key] = SQLFixture(sql: sql, result: .rows(columns: columns, rows: rows)) }
    }

    /// Registers a canned DML/DDL result: the statement answers one row with this update count.
    /// - Parameters:
    ///   - sql: The statement text.
    ///   - count: The update count (0 for DDL).
    public func registerSQLUpdate(_ sql: String, count: Int64) {
        let key = SQLText.normalize(sql)
        core.data.withLock { $0.sql[key] = SQLFixture(sql: sql, result: .updateCount(count)) }
    }

    /// The arguments of every execution of a registered query, in execution order.
    /// - Parameter sql: The query text.
    /// - Returns: One array of arguments per execution.
    public func recordedSQLParameters(_ sql: String) -> [[IgniteValue]] {
        let key = SQLText.normalize(sql)
        return core.data.withLock { $0.sqlParameters[key] ?? [] }
    }

    /// Figures about the SQL engine: tables indexed, rows indexed, streaming cursors, and the most rows any cursor held
    /// in memory (see ``TestNodeSQLStatistics``).
    public var sqlStatistics: TestNodeSQLStatistics {
        core.data.withLock { $0.sqlEngine.statistics }
    }

    /// The partition of a key in a cache, as the node computes it (Java hash, Rendezvous function).
    /// - Parameters:
    ///   - key: The key.
    ///   - cacheName: The cache; its configuration decides the partition count and affinity key fields.
    /// - Returns: The partition, or `nil` if the cache does not exist.
    public func partition(ofKey key: IgniteValue, cacheName: String) -> Int? {
        core.data.withLock { data in
            guard let cache = data.caches[JavaHash.cacheId(cacheName)] else { return nil }
            return data.partition(of: ServerValues.canonical(key), in: cache.configuration)
        }
    }

    /// The node that is primary for a key of a cache.
    /// - Parameters:
    ///   - key: The key.
    ///   - cacheName: The cache.
    /// - Returns: The primary node, or `nil` if the cache does not exist or no node runs.
    public func primaryNode(forKey key: IgniteValue, cacheName: String) -> IgniteTestNode? {
        let index: Int? = core.data.withLock { data in
            guard let cache = data.caches[JavaHash.cacheId(cacheName)] else { return nil }
            let partition = data.partition(of: ServerValues.canonical(key), in: cache.configuration)
            return data.owners(partition: partition, cache: cache.configuration).first?.index
        }
        return index.flatMap { i in members.withLock { i < $0.count ? $0[i] : nil } }
    }

    /// Injects a fault into every node.
    /// - Parameter fault: The fault; ``TestNodeFault/none`` clears it.
    public func inject(_ fault: TestNodeFault) {
        for node in members.snapshot { node.inject(fault) }
    }

    /// Stops every node. Idempotent; also done when the cluster is released.
    public func shutdown() {
        for node in members.snapshot { node.stop() }
    }
}

/// SQL text normalization for fixture lookup: whitespace runs collapse to one space, and the ends and a
/// trailing semicolon are trimmed. Case is kept.
enum SQLText {
    static func normalize(_ sql: String) -> String {
        var result = ""
        var pendingSpace = false
        for character in sql {
            if character.isWhitespace {
                pendingSpace = !result.isEmpty
            } else {
                if pendingSpace { result.append(" ") }
                pendingSpace = false
                result.append(character)
            }
        }
        while result.hasSuffix(";") || result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}
