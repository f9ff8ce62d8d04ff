/// The one error type of swift-ignite.
///
/// Every failure, whether it comes from the network, the server, the codec or a wrong argument,
/// surfaces as an `IgniteError`. The ``code`` says what kind of failure it is; it is an extensible
/// struct, so new codes can be added without breaking `switch` statements in user code.
/// Server-side failures also keep the server's numeric ``serverStatus`` and its message text.
public struct IgniteError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure an ``IgniteError`` is.
    ///
    /// The codes mirror pyignite's exception family (`HandshakeError`, `AuthenticationError`,
    /// `ReconnectError`, `CacheError`, ...), plus codec and transport codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case handshake, authentication, reconnect, cache, cacheCreation, sql, binaryType
            case cluster, notSupportedByCluster, parameter, parse, socket, timeout
            case server, transaction, connectionClosed, protocolViolation, illegalState, cancelled, tls
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The handshake failed (unsupported version, protocol mismatch, malformed reply).
        public static let handshake = Code(.handshake)
        /// The server rejected the credentials (status 2000) or requires them.
        public static let authentication = Code(.authentication)
        /// No node of the cluster could be reached.
        public static let reconnect = Code(.reconnect)
        /// A cache operation failed on the server.
        public static let cache = Code(.cache)
        /// Creating a cache failed (for example status 1001: the cache exists).
        public static let cacheCreation = Code(.cacheCreation)
        /// A SQL query failed; the message starts with the SQLSTATE.
        public static let sql = Code(.sql)
        /// Binary type metadata could not be read, registered or matched.
        public static let binaryType = Code(.binaryType)
        /// A cluster API call (state, WAL, cluster groups) failed.
        public static let cluster = Code(.cluster)
        /// The connected server does not support what was asked (protocol version or feature bit).
        public static let notSupportedByCluster = Code(.notSupportedByCluster)
        /// An argument given by the caller is invalid.
        public static let parameter = Code(.parameter)
        /// Bytes could not be decoded: truncated, malformed or hostile input.
        public static let parse = Code(.parse)
        /// A socket-level failure: connect, read or write.
        public static let socket = Code(.socket)
        /// An operation did not complete within its time limit.
        public static let timeout = Code(.timeout)
        /// Any other server error status.
        public static let server = Code(.server)
        /// A transaction failed or was used wrongly.
        public static let transaction = Code(.transaction)
        /// The connection was closed (by either side) while the operation was pending.
        public static let connectionClosed = Code(.connectionClosed)
        /// The peer broke the protocol (unknown request id, unexpected frame).
        public static let protocolViolation = Code(.protocolViolation)
        /// The object is in a state that does not allow the operation (closed client, finished cursor).
        public static let illegalState = Code(.illegalState)
        /// The operation was cancelled.
        public static let cancelled = Code(.cancelled)
        /// A TLS failure; the message carries OpenSSL's error text.
        public static let tls = Code(.tls)

        /// The code's name, for example `"cacheCreation"`.
        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// A human-readable description. For server errors this is the server's own message.
    public var message: String
    /// The server's status number (for example 1000 "cache does not exist", 2000 "authentication failed"),
    /// if the error came from the server.
    public var serverStatus: Int32?
    /// The underlying error, if another error caused this one.
    public var underlying: (any Error & Sendable)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: What kind of failure this is.
    ///   - message: A human-readable description.
    ///   - serverStatus: The server's status number, if the server reported the failure.
    ///   - underlying: The error that caused this one, if any.
    public init(_ code: Code, _ message: String, serverStatus: Int32? = nil, underlying: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.serverStatus = serverStatus
        self.underlying = underlying
    }

    /// A one-line description: the code, the server status if any, and the message.
    public var description: String {
        var text = "IgniteError.\(code)"
        if let serverStatus { text += " [status \(serverStatus)]" }
        text += ": \(message)"
        if let underlying { text += " (caused by: \(underlying))" }
        return text
    }

    /// Shorthand for a ``Code/parse`` error.
    @inlinable
    public static func parse(_ message: String) -> IgniteError { IgniteError(.parse, message) }

    /// Shorthand for a ``Code/parameter`` error.
    @inlinable
    public static func parameter(_ message: String) -> IgniteError { IgniteError(.parameter, message) }
}
