import IgniteProtocol
import IgniteSockets

/// Opens TLS connections: plugs TLS into a client through `IgniteClientConfiguration.transportFactory`.
///
/// The certificates, keys and settings are loaded once, when the factory is created, and shared by every
/// connection; mistakes in them (a missing file, a wrong password, a key that does not match its certificate)
/// are reported then. Each connection opens the inner transport (plain TCP by default), then performs the TLS
/// handshake within what remains of the connect time limit.
///
/// ```swift
/// let tls = try TLSTransportFactory(configuration: IgniteTLSConfiguration(caCertificates: .file("ca.pem")))
/// let client = try IgniteClient(configuration: IgniteClientConfiguration(
///     endpoints: [IgniteEndpoint(host: "ignite.example.com", port: 10800)], transportFactory: tls))
/// ```
public struct TLSTransportFactory: IgniteTransportFactory {
    /// The TLS settings.
    public let configuration: IgniteTLSConfiguration
    /// Opens the byte streams TLS runs over.
    public let transport: any IgniteTransportFactory
    private let context: TLSContext

    /// Creates a factory, loading the certificates and keys.
    /// - Parameters:
    ///   - configuration: The TLS settings.
    ///   - transport: The transport under TLS (default: plain TCP with ``TCPTransportFactory``'s options).
    /// - Throws: ``IgniteError/Code/tls`` with OpenSSL's reason when a certificate, key, password, version or cipher
    ///   setting is rejected; ``IgniteError/Code/parameter`` for inconsistent settings (a certificate without a key).
    public init(configuration: IgniteTLSConfiguration, transport: any IgniteTransportFactory = TCPTransportFactory()) throws {
        self.configuration = configuration
        self.transport = transport
        context = try TLSContext(client: configuration)
    }

    /// Connects to `endpoint` and performs the TLS handshake, all within `timeout`.
    /// - Parameters:
    ///   - endpoint: The server; its host is verified against the certificate and sent as SNI when it is a name.
    ///   - timeout: The limit for connecting and the handshake together.
    /// - Returns: A ``TLSTransport``.
    /// - Throws: ``IgniteError/Code/tls`` when the handshake fails (untrusted certificate, wrong host, no common
    ///   version or cipher, a client certificate the server requires), ``IgniteError/Code/timeout``, or the inner
    ///   transport's ``IgniteError/Code/socket`` errors.
    public func connect(to endpoint: IgniteEndpoint, timeout: Duration) throws -> any IgniteTransport {
        try connectTLS(to: endpoint, timeout: timeout)
    }

    /// Like ``connect(to:timeout:)``, returning the concrete ``TLSTransport`` (for its negotiated version and cipher).
    /// - Parameters:
    ///   - endpoint: The server.
    ///   - timeout: The limit for connecting and the handshake together.
    /// - Returns: The connected transport.
    /// - Throws: As ``connect(to:timeout:)``.
    public func connectTLS(to endpoint: IgniteEndpoint, timeout: Duration) throws -> TLSTransport {
        let clock = ContinuousClock()
        let start = clock.now
        let inner = try transport.connect(to: endpoint, timeout: timeout)
        let remaining = timeout - (clock.now - start)
        guard remaining > .zero else {
            inner.close()
            throw IgniteError(.timeout, "connecting to \(endpoint) timed out after \(timeout) before the TLS handshake")
        }
        return try TLSTransport.handshake(over: inner, context: context, host: endpoint.host, timeout: remaining)
    }
}
