import IgniteProtocol

extension IgniteTLSConfiguration: IgniteSecureChannelProvider {
    /// Loads the certificates, keys and trust store once and checks the settings; the client calls this when it is
    /// created, so mistakes (a missing file, a wrong password, a key that does not match its certificate) are
    /// reported then, and every connection shares what was loaded.
    /// - Returns: A provider whose sessions share one loaded TLS context.
    /// - Throws: ``IgniteError/Code/tls`` with OpenSSL's reason when a certificate, key, password, version or cipher
    ///   setting is rejected; ``IgniteError/Code/parameter`` for inconsistent settings (a certificate without a key,
    ///   an empty server name).
    public func prepare() throws -> any IgniteSecureChannelProvider {
        try PreparedTLSChannel(configuration: self)
    }

    /// A TLS client session for a connection to `endpoint`, loading the settings for it alone (clients use
    /// ``prepare()`` first, which loads them once).
    /// - Parameter endpoint: The server; its host is verified against the certificate and sent as SNI when it is a
    ///   name (``serverName`` overrides it).
    /// - Returns: A TLS session that has not started its handshake.
    /// - Throws: As ``prepare()``.
    public func makeSession(for endpoint: IgniteEndpoint) throws -> any IgniteSecureSession {
        try TLSEngine(context: TLSContext(client: self), host: endpoint.host, peerDescription: endpoint.description)
    }
}

/// An ``IgniteTLSConfiguration`` with its OpenSSL context loaded: what ``IgniteTLSConfiguration/prepare()`` returns.
struct PreparedTLSChannel: IgniteSecureChannelProvider, CustomStringConvertible {
    /// The settings.
    let configuration: IgniteTLSConfiguration
    /// The loaded context every session is made from.
    let context: TLSContext

    init(configuration: IgniteTLSConfiguration) throws {
        self.configuration = configuration
        context = try TLSContext(client: configuration)
    }

    func prepare() throws -> any IgniteSecureChannelProvider { self }

    func makeSession(for endpoint: IgniteEndpoint) throws -> any IgniteSecureSession {
        try TLSEngine(context: context, host: endpoint.host, peerDescription: endpoint.description)
    }

    /// The settings, without the key password.
    var description: String { configuration.description }
}
