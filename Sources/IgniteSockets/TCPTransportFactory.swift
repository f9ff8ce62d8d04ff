import IgniteProtocol

/// Opens TCP transports, each secured by a session of `secure` when it is set: the transport factory of the
/// blocking client, built from ``IgniteClientConfiguration/tcp`` and ``IgniteClientConfiguration/tls``.
package struct TCPTransportFactory: IgniteTransportFactory {
    /// The socket options applied to every connection.
    public var options: IgniteTCPOptions
    /// Makes the security session of each connection (`nil`: plain TCP). Use a prepared provider (see
    /// ``IgniteSecureChannelProvider/prepare()``) so that certificates are loaded once, not per connection.
    public var secure: (any IgniteSecureChannelProvider)?

    /// Creates a factory.
    /// - Parameters:
    ///   - options: Socket options.
    ///   - secure: The security layer, or `nil` for plain TCP.
    public init(options: IgniteTCPOptions = IgniteTCPOptions(), secure: (any IgniteSecureChannelProvider)? = nil) {
        self.options = options
        self.secure = secure
    }

    /// Connects to `endpoint` and performs the security handshake, if any, all within `timeout`.
    /// - Parameters:
    ///   - endpoint: The server.
    ///   - timeout: The limit for connecting and the handshake together.
    /// - Returns: A ``TCPTransport``, or a ``SecureTransport`` over one.
    /// - Throws: ``IgniteError/Code/socket``, ``IgniteError/Code/timeout``, or ``IgniteError/Code/tls`` when the
    ///   handshake fails.
    public func connect(to endpoint: IgniteEndpoint, timeout: Duration) throws -> any IgniteTransport {
        guard let secure else { return try TCPTransport.connect(to: endpoint, timeout: timeout, options: options) }
        return try connectSecure(to: endpoint, timeout: timeout, provider: secure)
    }

    /// Like ``connect(to:timeout:)`` with a security layer, returning the concrete ``SecureTransport``.
    /// - Parameters:
    ///   - endpoint: The server.
    ///   - timeout: The limit for connecting and the handshake together.
    ///   - provider: Makes the session.
    /// - Returns: The connected transport.
    /// - Throws: As ``connect(to:timeout:)``.
    public func connectSecure(to endpoint: IgniteEndpoint, timeout: Duration,
                              provider: any IgniteSecureChannelProvider) throws -> SecureTransport {
        let clock = ContinuousClock()
        let start = clock.now
        let session = try provider.makeSession(for: endpoint)
        let inner = try TCPTransport.connect(to: endpoint, timeout: timeout, options: options)
        let remaining = timeout - (clock.now - start)
        guard remaining > .zero else {
            inner.close()
            throw IgniteError(.timeout, "connecting to \(endpoint) timed out after \(timeout) before the secure handshake")
        }
        return try SecureTransport.handshake(over: inner, session: session, timeout: remaining)
    }
}
