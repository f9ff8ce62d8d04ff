import IgniteProtocol

/// How a test cluster is set up: node count, ports, partitions, users, persistence and the protocol it speaks.
public struct TestNodeConfiguration: Sendable {
    /// How a connection's pipelined requests are processed.
    public enum RequestProcessing: Sendable, Hashable {
        /// Strictly one after another, replies in request order.
        case sequential
        /// Requests that arrive together (one read from the socket) are processed and answered newest first,
        /// the way a real GridGain node answered three back-to-back gets 23, 22, 21 (SERVER-BEHAVIOUR §5).
        /// Deterministic, and it exposes clients that assume in-order replies.
        case reverseBatches
        /// Every request of a batch is processed on its own thread; replies go out as they finish.
        case concurrent
    }

    /// The number of nodes started by ``IgniteTestCluster/init(_:)``.
    public var nodeCount: Int = 1
    /// The number of partitions of caches that do not configure their own (Rendezvous default 1024).
    public var partitions: Int = 1024
    /// The number of backups of caches created by name only (the server default is 0).
    public var backups: Int = 0
    /// The address the nodes listen on (an IPv4 or IPv6 literal; `localhost` means 127.0.0.1).
    public var host: String = "127.0.0.1"
    /// The port of each node, in order; missing entries (or 0) mean an ephemeral port.
    public var ports: [Int] = []
    /// The consistent id of each node, in order; missing or empty entries mean `node-<port>`. Partitions are assigned
    /// by the real Rendezvous function over these ids, so fixed ids give a fixed, reproducible assignment.
    public var consistentIds: [String] = []
    /// User names and passwords. Non-empty turns authentication on.
    public var users: [String: String] = [:]
    /// Whether the nodes act as persistent: WAL can be switched per cache, and the cluster can be deactivated.
    public var persistent: Bool = false
    /// The newest protocol version the nodes accept: ``ProtocolVersion/v1_7_1`` acts like GridGain 8
    /// (its feature-bit table, op 1057, the map read at 1.7.1 only), ``ProtocolVersion/v1_7_0`` like Apache Ignite 2.x.
    public var maxVersion: ProtocolVersion = .v1_7_1
    /// Close connections that send nothing for this long (`nil`: never). Reported by OP_GET_IDLE_TIMEOUT.
    public var idleTimeout: Duration? = nil
    /// Close connections that have not completed a handshake within this time (server default 10 s).
    public var handshakeTimeout: Duration = .seconds(10)
    /// The per-connection cursor limit (server default 128).
    public var maxOpenCursorsPerConnection: Int = 128
    /// The per-connection active transaction limit (server default 100).
    public var maxActiveTransactionsPerConnection: Int = 100
    /// `ThinClientConfiguration.maxActiveComputeTasksPerConnection`: 0 (the server default) disables thin-client
    /// compute (OP 6000 answers status 100).
    public var maxActiveComputeTasksPerConnection: Int = 0
    /// How pipelined requests are processed.
    public var requestProcessing: RequestProcessing = .reverseBatches
    /// The cluster state the nodes start in.
    public var initialState: TestClusterState = .active

    /// Creates a configuration.
    /// - Parameters:
    ///   - nodeCount: The number of nodes to start.
    ///   - partitions: The default partition count.
    ///   - backups: The default number of backups.
    ///   - host: The listen address.
    ///   - ports: The ports, one per node (empty: ephemeral).
    ///   - users: User names and passwords; non-empty turns authentication on.
    ///   - persistent: Whether the nodes act as persistent.
    ///   - maxVersion: The newest accepted protocol version.
    ///   - idleTimeout: The idle timeout, or `nil`.
    public init(nodeCount: Int = 1, partitions: Int = 1024, backups: Int = 0, host: String = "127.0.0.1", ports: [Int] = [],
                users: [String: String] = [:], persistent: Bool = false, maxVersion: ProtocolVersion = .v1_7_1,
                idleTimeout: Duration? = nil) {
        self.nodeCount = nodeCount
        self.partitions = partitions
        self.backups = backups
        self.host = host
        self.ports = ports
        self.users = users
        self.persistent = persistent
        self.maxVersion = maxVersion
        self.idleTimeout = idleTimeout
    }

    /// Whether the nodes act like GridGain 8 (maximum version 1.7.1) rather than Apache Ignite 2.x.
    var isGridGain: Bool { maxVersion >= .v1_7_1 }

    /// Checks the values.
    func validate() throws {
        guard nodeCount >= 0, nodeCount <= 64 else { throw IgniteError.parameter("nodeCount \(nodeCount) must be in 0...64") }
        guard partitions >= 1, partitions <= 65_000 else { throw IgniteError.parameter("partitions \(partitions) must be in 1...65000") }
        guard backups >= 0 else { throw IgniteError.parameter("backups \(backups) must not be negative") }
        guard ProtocolVersion.supported.contains(maxVersion) else { throw IgniteError.parameter("maxVersion \(maxVersion) is not a protocol version") }
        if let idleTimeout, idleTimeout <= .zero { throw IgniteError.parameter("idleTimeout must be positive (nil turns it off)") }
        guard handshakeTimeout > .zero else { throw IgniteError.parameter("handshakeTimeout must be positive") }
        guard maxOpenCursorsPerConnection >= 1, maxActiveTransactionsPerConnection >= 1 else {
            throw IgniteError.parameter("cursor and transaction limits must be at least 1")
        }
    }
}

/// The cluster state (`ClusterState` ordinals).
public enum TestClusterState: Int8, Sendable, Hashable {
    /// Cache operations are rejected.
    case inactive = 0
    /// Everything works.
    case active = 1
    /// Reads work, writes are rejected.
    case activeReadOnly = 2
}

/// A fault a node injects into its connections, for reliability tests. A fault stays in force
/// (also for connections opened later) until another fault or ``none`` replaces it.
public enum TestNodeFault: Sendable, Hashable {
    /// Each connection answers this many more requests normally, then closes without replying when the next one arrives.
    case dropConnectionAfterFrames(Int)
    /// Every reply is sent this much later.
    case delayReplies(Duration)
    /// Requests are read and processed, but replies are held back; they are sent when the fault is replaced.
    case stallReplies
    /// Each reply is replaced by a well-framed frame of garbage (an unknown request id and nonsense flags).
    case garbageFrame
    /// Each reply is cut short: the length prefix and half the payload are sent, then the connection is closed.
    case truncatedFrame
    /// No fault.
    case none
}
