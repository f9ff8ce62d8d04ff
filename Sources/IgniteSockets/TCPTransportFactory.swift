import IgniteProtocol

/// Opens plain TCP transports: the default transport factory of both clients.
public struct TCPTransportFactory: IgniteTransportFactory {
    /// Socket options.
    public struct Options: Sendable, Hashable {
        /// `TCP_NODELAY` (on by default: requests are small and pipelined).
        public var noDelay: Bool
        /// `SO_KEEPALIVE` (on by default).
        public var keepAlive: Bool
        /// `SO_SNDBUF`, if set.
        public var sendBufferSize: Int?
        /// `SO_RCVBUF`, if set.
        public var receiveBufferSize: Int?
        /// How long a write may make no progress (the peer stopped reading and the socket buffers are full) before it
        /// fails with ``IgniteError/Code/timeout``; `nil` waits forever. The blocking client sets it to its request
        /// timeout when it is `nil` here.
        public var sendTimeout: Duration?

        /// Creates options.
        /// - Parameters:
        ///   - noDelay: `TCP_NODELAY`.
        ///   - keepAlive: `SO_KEEPALIVE`.
        ///   - sendBufferSize: `SO_SNDBUF`, or `nil` for the system default.
        ///   - receiveBufferSize: `SO_RCVBUF`, or `nil` for the system default.
        ///   - sendTimeout: The longest a write may make no progress; `nil` waits forever.
        public init(noDelay: Bool = true, keepAlive: Bool = true, sendBufferSize: Int? = nil, receiveBufferSize: Int? = nil,
                    sendTimeout: Duration? = nil) {
            self.noDelay = noDelay
            self.keepAlive = keepAlive
            self.sendBufferSize = sendBufferSize
            self.receiveBufferSize = receiveBufferSize
            self.sendTimeout = sendTimeout
        }
    }

    /// The socket options applied to every connection.
    public var options: Options

    /// Creates a factory.
    /// - Parameter options: Socket options.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Connects to `endpoint` within `timeout`.
    /// - Parameters:
    ///   - endpoint: The server.
    ///   - timeout: The connect time limit.
    /// - Returns: A ``TCPTransport``.
    /// - Throws: ``IgniteError/Code/socket`` or ``IgniteError/Code/timeout``.
    public func connect(to endpoint: IgniteEndpoint, timeout: Duration) throws -> any IgniteTransport {
        try TCPTransport.connect(to: endpoint, timeout: timeout, options: options)
    }
}
