import IgniteProtocol
import IgniteSockets

/// Everything an ``IgniteClient`` needs to know: where the cluster is and how to talk to it.
///
/// The description never contains the password.
public struct IgniteClientConfiguration: Sendable, CustomStringConvertible {
    /// The nodes to connect to, one or many.
    public var endpoints: [IgniteEndpoint]
    /// The time limit for opening one TCP connection.
    public var connectTimeout: Duration
    /// The time limit for the handshake reply.
    public var handshakeTimeout: Duration
    /// The time limit for each request's response; `nil` waits forever (pyignite's and Java's default).
    public var requestTimeout: Duration?
    /// The user name, for clusters with authentication.
    public var username: String?
    /// The password. Never logged or printed.
    public var password: String?
    /// Route key operations to the node that owns the key, connecting to every known node (on by default).
    public var partitionAwareness: Bool
    /// Write complex objects with a compact footer (`true`), a full schema footer (`false`), or follow the
    /// server's binary configuration (`nil`, the default).
    public var compactFooter: Bool?
    /// Which operations may be retried on another connection after a connection failure.
    public var retryPolicy: IgniteRetryPolicy
    /// Send a heartbeat when a connection was idle this long, if the server supports heartbeats; `nil` disables them.
    public var heartbeatInterval: Duration?
    /// Event listeners (connection and query events).
    public var eventListeners: [any IgniteEventListener]
    /// The logging hook and its minimum level. Messages never contain passwords.
    public var logger: IgniteLogHandler?
    /// The least severe level passed to ``logger``.
    public var logLevel: IgniteLogLevel
    /// Opens transports: plain TCP by default; the TLS transport plugs in here.
    public var transportFactory: any IgniteTransportFactory
    /// The first protocol version proposed (the server may ask for a lower one).
    public var protocolVersion: ProtocolVersion
    /// The handshake feature bits requested.
    public var features: ProtocolFeatures
    /// The largest response frame accepted.
    public var maximumFrameLength: Int

    /// Creates a configuration.
    /// - Parameters:
    ///   - endpoints: The nodes to connect to (default `127.0.0.1:10800`).
    ///   - connectTimeout: TCP connect limit (default 10 s).
    ///   - handshakeTimeout: Handshake reply limit (default 10 s, as pyignite).
    ///   - requestTimeout: Per-request limit; `nil` (default) waits forever.
    ///   - username: User name for authentication.
    ///   - password: Password for authentication.
    ///   - partitionAwareness: Route key operations to their primary node (default `true`).
    ///   - compactFooter: `nil` (default) follows the server.
    ///   - retryPolicy: Retry decisions after connection failures.
    ///   - heartbeatInterval: Idle interval before a heartbeat; `nil` disables heartbeats.
    ///   - eventListeners: Listeners for connection and query events.
    ///   - logger: The logging hook.
    ///   - logLevel: The minimum level logged (default `.info`).
    ///   - transportFactory: The transport (default ``TCPTransportFactory``).
    ///   - protocolVersion: The first version proposed (default ``ProtocolVersion/preferred``).
    ///   - features: Requested feature bits (default ``ProtocolFeatures/defaultRequested``).
    ///   - maximumFrameLength: Largest accepted response (default 256 MiB).
    public init(endpoints: [IgniteEndpoint] = [IgniteEndpoint(host: "127.0.0.1")],
                connectTimeout: Duration = .seconds(10), handshakeTimeout: Duration = .seconds(10),
                requestTimeout: Duration? = nil, username: String? = nil, password: String? = nil,
                partitionAwareness: Bool = true, compactFooter: Bool? = nil,
                retryPolicy: IgniteRetryPolicy = .default, heartbeatInterval: Duration? = nil,
                eventListeners: [any IgniteEventListener] = [], logger: IgniteLogHandler? = nil, logLevel: IgniteLogLevel = .info,
                transportFactory: any IgniteTransportFactory = TCPTransportFactory(),
                protocolVersion: ProtocolVersion = .preferred, features: ProtocolFeatures = .defaultRequested,
                maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength) {
        self.endpoints = endpoints
        self.connectTimeout = connectTimeout
        self.handshakeTimeout = handshakeTimeout
        self.requestTimeout = requestTimeout
        self.username = username
        self.password = password
        self.partitionAwareness = partitionAwareness
        self.compactFooter = compactFooter
        self.retryPolicy = retryPolicy
        self.heartbeatInterval = heartbeatInterval
        self.eventListeners = eventListeners
        self.logger = logger
        self.logLevel = logLevel
        self.transportFactory = transportFactory
        self.protocolVersion = protocolVersion
        self.features = features
        self.maximumFrameLength = maximumFrameLength
    }

    /// A configuration for the given `host:port` strings.
    /// - Parameter addresses: Endpoints such as `"127.0.0.1:10800"`, `"[::1]:10801"`, `"node1"`.
    /// - Throws: ``IgniteError/Code/parameter`` for a malformed address.
    public init(addresses: [String]) throws {
        self.init(endpoints: try addresses.map { try IgniteEndpoint(parsing: $0) })
    }

    /// The settings, without the password.
    public var description: String {
        var parts = ["endpoints: \(endpoints.map(\.description).joined(separator: ", "))"]
        if let username { parts.append("user: \(username), password: \(password == nil ? "none" : "<redacted>")") }
        parts.append("partition awareness: \(partitionAwareness)")
        if let requestTimeout { parts.append("request timeout: \(requestTimeout)") }
        return "IgniteClientConfiguration(\(parts.joined(separator: "; ")))"
    }
}

/// Which operations may be retried on another connection after the connection they were sent on broke.
///
/// The server may or may not have executed an operation whose connection broke, so only idempotent operations
/// should be retried. Server errors are never retried.
public struct IgniteRetryPolicy: Sendable {
    /// Decides for one failed attempt.
    /// - Parameters: `opCode`: the operation; `attempt`: how many attempts failed so far (1 after the first).
    public var shouldRetry: @Sendable (_ opCode: OpCode, _ attempt: Int) -> Bool
    /// At most this many attempts per operation (the first included).
    public var maximumAttempts: Int

    /// Creates a policy.
    /// - Parameters:
    ///   - maximumAttempts: Attempts per operation, the first included.
    ///   - shouldRetry: The decision per failed attempt.
    public init(maximumAttempts: Int, shouldRetry: @escaping @Sendable (_ opCode: OpCode, _ attempt: Int) -> Bool) {
        self.maximumAttempts = max(1, maximumAttempts)
        self.shouldRetry = shouldRetry
    }

    /// Never retry: a broken connection fails the operation in flight.
    public static let never = IgniteRetryPolicy(maximumAttempts: 1) { _, _ in false }

    /// Retry every operation (Java's `ClientRetryAllPolicy`), up to 3 attempts.
    public static let all = IgniteRetryPolicy(maximumAttempts: 3) { _, _ in true }

    /// Retry reads and idempotent writes (get, contains, size, put, put-all, remove of a key, replace, clear,
    /// cache and binary-type metadata, cluster state reads), up to 3 attempts. The default.
    public static let `default` = IgniteRetryPolicy(maximumAttempts: 3) { op, _ in IgniteRetryPolicy.isIdempotent(op) }

    /// Whether repeating the operation has the same effect as running it once.
    /// - Parameter op: The op code.
    /// - Returns: `true` for reads and writes whose repetition is harmless.
    public static func isIdempotent(_ op: OpCode) -> Bool {
        switch op {
        case .cacheGet, .cacheGetAll, .cacheContainsKey, .cacheContainsKeys, .cacheGetSize, .cacheLocalPeek,
             .cachePut, .cachePutAll, .cacheClear, .cacheClearKey, .cacheClearKeys, .cacheRemoveKeys, .cacheRemoveAll,
             .cacheGetNames, .cacheGetOrCreateWithName, .cacheGetOrCreateWithConfiguration, .cacheGetConfiguration,
             .cachePartitions, .cacheNodePartitions, .getBinaryTypeName, .registerBinaryTypeName, .getBinaryType,
             .putBinaryType, .binaryConfigurationGet, .clusterGetState, .clusterGetWALState,
             .clusterGroupGetNodeIds, .clusterGroupGetNodeInfo, .clusterGroupGetNodeEndpoints,
             .heartbeat, .getIdleTimeout, .resourceClose:
            return true
        default:
            return false
        }
    }
}
