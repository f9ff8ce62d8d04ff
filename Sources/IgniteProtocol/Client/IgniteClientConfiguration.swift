/// Everything a client needs to know: where the cluster is and how to talk to it. Both products (the blocking
/// `IgniteClient` of `IgniteSync` and the async client) take the same configuration.
///
/// Neither the description nor the reflection (`dump`, debuggers) contains the password.
public struct IgniteClientConfiguration: Sendable, CustomStringConvertible, CustomReflectable {
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
    /// Learn the other server nodes from the one reached and connect to them (with ``partitionAwareness``; on by
    /// default, as in the Java client); ``IgniteClusterDiscovery/disabled`` dials only ``endpoints``.
    public var clusterDiscovery: IgniteClusterDiscovery = .enabled
    /// Write complex objects with a compact footer (`true`), a full schema footer (`false`), or follow the
    /// server's binary configuration (`nil`, the default).
    public var compactFooter: Bool?
    /// Which operations may be sent again over another connection after their connection failed while they were
    /// in flight (`nil`: none). Operations that failed before being sent are always tried on the next endpoint;
    /// transactional operations and server errors are never retried. Default: ``RetryReadOnlyPolicy`` (reads are
    /// resent, a write in flight surfaces its error); ``RetryAllPolicy`` is the Java client's default.
    public var retryPolicy: (any RetryPolicy)?
    /// The most attempts per operation, capped by the number of endpoints; 0 (the default) allows one attempt per
    /// endpoint and at least two, so that an operation the retry policy lets be resent survives one broken connection
    /// even with a single endpoint.
    public var retryLimit: Int
    /// Send a heartbeat when a connection was idle this long, if the server supports heartbeats; `nil` disables them.
    public var heartbeatInterval: Duration?
    /// Event listeners (connection and query events).
    public var eventListeners: [any IgniteEventListener]
    /// The logging hook and its minimum level. Messages never contain passwords.
    public var logger: IgniteLogHandler?
    /// The least severe level passed to ``logger``.
    public var logLevel: IgniteLogLevel
    /// The TCP socket options of every connection.
    public var tcp: IgniteTCPOptions
    /// Secures every connection, for example with `IgniteTLSConfiguration` from `IgniteTLS`; `nil` (the default)
    /// sends plain TCP.
    public var tls: (any IgniteSecureChannelProvider)?
    /// The first protocol version proposed (the server may ask for a lower one).
    public var protocolVersion: ProtocolVersion
    /// The handshake feature bits requested.
    public var features: ProtocolFeatures
    /// The largest response frame accepted.
    public var maximumFrameLength: Int
    /// The most memory, in bytes, that decoding one response may build (strings, arrays, collection slots, the copies
    /// handles make), whatever the reply claims: a reply that needs more fails with ``IgniteError/Code/parse``
    /// instead of exhausting memory. `nil` (the default) uses the default budget,
    /// `DecodingLimits.decodedByteBudget(forInputOf:)` of the reply's size (64 MiB plus 8 bytes per byte received).
    /// Set a smaller value to bound each response more tightly, or a larger one for replies of many small values
    /// (each decoded value takes about 100 bytes however few bytes it took on the wire). Must be positive.
    ///
    /// **Reach.** Both products apply it to every response and server notification (continuous-query events, compute
    /// results), and to every later decode of a value into a Swift type: typed cache gets, scan and SQL cursors with
    /// element types, compute and service results, set elements, and ``IgniteBinaryDecoder`` or
    /// `BinaryObject.field(_:as:schemas:)` given the client's `binarySchemas` (the client's schema registry carries the
    /// budget, see `BinarySchemaResolver.decodedByteLimit`). The values of one `getAll` reply share one budget; any
    /// other such decode (one value, one cursor row) has the whole budget to itself. A complex object stays lazy in
    /// the decoded response, so reading a reply and decoding its values take at most about twice the budget together.
    public var maximumDecodedSize: Int? = nil

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
    ///   - retryPolicy: Retry decisions after connection failures (`nil`: never retry a sent operation).
    ///   - retryLimit: The most attempts per operation (0: one per endpoint, at least two).
    ///   - heartbeatInterval: Idle interval before a heartbeat; `nil` disables heartbeats.
    ///   - eventListeners: Listeners for connection and query events.
    ///   - logger: The logging hook.
    ///   - logLevel: The minimum level logged (default `.info`).
    ///   - tcp: TCP socket options (default ``IgniteTCPOptions/init(noDelay:keepAlive:sendBufferSize:receiveBufferSize:)``).
    ///   - tls: The security layer, for example an `IgniteTLSConfiguration`; `nil` (default) for plain TCP.
    ///   - protocolVersion: The first version proposed (default ``ProtocolVersion/preferred``).
    ///   - features: Requested feature bits (default ``ProtocolFeatures/defaultRequested``).
    ///   - maximumFrameLength: Largest accepted response (default 256 MiB).
    public init(endpoints: [IgniteEndpoint] = [IgniteEndpoint(host: "127.0.0.1")],
                connectTimeout: Duration = .seconds(10), handshakeTimeout: Duration = .seconds(10),
                requestTimeout: Duration? = nil, username: String? = nil, password: String? = nil,
                partitionAwareness: Bool = true, compactFooter: Bool? = nil,
                retryPolicy: (any RetryPolicy)? = RetryReadOnlyPolicy(), retryLimit: Int = 0, heartbeatInterval: Duration? = nil,
                eventListeners: [any IgniteEventListener] = [], logger: IgniteLogHandler? = nil, logLevel: IgniteLogLevel = .info,
                tcp: IgniteTCPOptions = IgniteTCPOptions(), tls: (any IgniteSecureChannelProvider)? = nil,
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
        self.retryLimit = retryLimit
        self.heartbeatInterval = heartbeatInterval
        self.eventListeners = eventListeners
        self.logger = logger
        self.logLevel = logLevel
        self.tcp = tcp
        self.tls = tls
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
        if let tls { parts.append("tls: \(tls)") }
        return "IgniteClientConfiguration(\(parts.joined(separator: "; ")))"
    }

    /// The settings for `dump` and debuggers, with the password redacted.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "endpoints": endpoints, "connectTimeout": connectTimeout, "handshakeTimeout": handshakeTimeout,
            "requestTimeout": requestTimeout as Any, "username": username as Any,
            "password": password == nil ? "none" : "<redacted>", "partitionAwareness": partitionAwareness,
            "compactFooter": compactFooter as Any, "retryPolicy": retryPolicy as Any, "retryLimit": retryLimit,
            "heartbeatInterval": heartbeatInterval as Any, "eventListeners": eventListeners.count,
            "logLevel": logLevel, "tcp": tcp, "tls": tls as Any, "protocolVersion": protocolVersion, "features": features,
            "maximumFrameLength": maximumFrameLength, "maximumDecodedSize": maximumDecodedSize as Any,
        ], displayStyle: .struct)
    }
}
