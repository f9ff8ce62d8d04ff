internal import CIgniteOpenSSL
import IgniteProtocol

/// The settings of a TLS server: used by tests (a TLS-terminating proxy in front of the test node) and available
/// to any in-package server. Clients use ``IgniteTLSConfiguration``.
package struct TLSServerSettings: Sendable, Hashable {
    /// The server's certificate chain (leaf first).
    package var certificate: IgniteTLSConfiguration.PEMSource
    /// The server certificate's private key.
    package var privateKey: IgniteTLSConfiguration.PEMSource
    /// The password of an encrypted key.
    package var privateKeyPassword: String?
    /// The authorities that sign accepted client certificates.
    package var clientCACertificates: IgniteTLSConfiguration.PEMSource?
    /// Reject clients without a valid certificate (mutual TLS).
    package var requireClientCertificate: Bool
    /// The lowest accepted version.
    package var minimumVersion: IgniteTLSVersion
    /// The highest accepted version (`nil`: the newest).
    package var maximumVersion: IgniteTLSVersion?
    /// The TLS 1.2 cipher list.
    package var cipherList: String?

    /// Creates server settings.
    package init(certificate: IgniteTLSConfiguration.PEMSource, privateKey: IgniteTLSConfiguration.PEMSource,
                 privateKeyPassword: String? = nil, clientCACertificates: IgniteTLSConfiguration.PEMSource? = nil,
                 requireClientCertificate: Bool = false, minimumVersion: IgniteTLSVersion = .v1_2,
                 maximumVersion: IgniteTLSVersion? = nil, cipherList: String? = nil) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.privateKeyPassword = privateKeyPassword
        self.clientCACertificates = clientCACertificates
        self.requireClientCertificate = requireClientCertificate
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.cipherList = cipherList
    }
}

/// An OpenSSL `SSL_CTX`: the certificates, keys, trust store, versions and ciphers, loaded once and shared by
/// every connection (OpenSSL allows creating connections from one context on many threads).
package final class TLSContext: @unchecked Sendable {
    /// Which side of the handshake the connections take.
    package enum Role: Sendable { case client, server }

    let pointer: OpaquePointer
    /// The side connections take.
    package let role: Role
    /// The client settings (for client contexts).
    let client: IgniteTLSConfiguration?

    deinit { SSL_CTX_free(pointer) }

    /// Creates a client context.
    /// - Parameter configuration: The client's TLS settings.
    /// - Throws: ``IgniteError/Code/parameter`` for inconsistent settings, ``IgniteError/Code/tls`` (with OpenSSL's
    ///   text) when a certificate, key or cipher setting is rejected.
    package init(client configuration: IgniteTLSConfiguration) throws {
        if let maximum = configuration.maximumVersion, maximum < configuration.minimumVersion {
            throw IgniteError.parameter("the maximum TLS version \(maximum) is below the minimum \(configuration.minimumVersion)")
        }
        if let name = configuration.serverName, name.allSatisfy(\.isWhitespace) {
            // An empty name would switch host-name checking off without a word; nil is the way to use each host.
            throw IgniteError.parameter("the TLS server name is empty: set the name to verify, or leave it nil to verify each endpoint's host")
        }
        if (configuration.certificate == nil) != (configuration.privateKey == nil) {
            throw IgniteError.parameter("a client certificate needs its private key and a private key needs its certificate")
        }
        pointer = try Self.makeContext(role: .client)
        role = .client
        client = configuration
        try Self.apply(versions: configuration.minimumVersion, configuration.maximumVersion, to: pointer)
        try Self.apply(cipherList: configuration.cipherList, cipherSuites: configuration.cipherSuites, to: pointer)
        if let ca = configuration.caCertificates {
            try PEMLoading.addTrusted(ca, to: pointer)
        } else {
            OpenSSLErrors.clear()
            guard SSL_CTX_set_default_verify_paths(pointer) == 1 else {
                throw OpenSSLErrors.error("cannot load the system's trusted certificates")
            }
        }
        if let certificate = configuration.certificate, let key = configuration.privateKey {
            try PEMLoading.useIdentity(certificate: certificate, key: key, password: configuration.privateKeyPassword, in: pointer)
        }
        SSL_CTX_set_verify(pointer, configuration.verifyPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
    }

    /// Creates a server context.
    /// - Parameter settings: The server's certificate, key and client-certificate policy.
    /// - Throws: ``IgniteError/Code/tls`` when a certificate, key or cipher setting is rejected.
    package init(server settings: TLSServerSettings) throws {
        pointer = try Self.makeContext(role: .server)
        role = .server
        client = nil
        try Self.apply(versions: settings.minimumVersion, settings.maximumVersion, to: pointer)
        try Self.apply(cipherList: settings.cipherList, cipherSuites: nil, to: pointer)
        try PEMLoading.useIdentity(certificate: settings.certificate, key: settings.privateKey,
                                   password: settings.privateKeyPassword, in: pointer)
        if let ca = settings.clientCACertificates { try PEMLoading.addTrusted(ca, to: pointer) }
        let mode = settings.requireClientCertificate ? (SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT) : SSL_VERIFY_NONE
        SSL_CTX_set_verify(pointer, mode, nil)
    }

    private static func makeContext(role: Role) throws -> OpaquePointer {
        OpenSSLErrors.clear()
        guard let method = role == .client ? TLS_client_method() : TLS_server_method(),
              let context = SSL_CTX_new(method) else {
            throw OpenSSLErrors.error("cannot create a TLS context")
        }
        // No renegotiation (TLS 1.2's is a legacy risk and TLS 1.3 has none; Go refuses it the same way), no
        // compression, and a stream end without close_notify reads as end of stream: the Ignite framing already
        // detects truncated messages.
        let options = cignite_SSL_OP_NO_RENEGOTIATION() | cignite_SSL_OP_NO_COMPRESSION() | cignite_SSL_OP_IGNORE_UNEXPECTED_EOF()
        _ = SSL_CTX_set_options(context, options)
        return context
    }

    private static func apply(versions minimum: IgniteTLSVersion, _ maximum: IgniteTLSVersion?, to context: OpaquePointer) throws {
        OpenSSLErrors.clear()
        guard cignite_SSL_CTX_set_min_proto_version(context, minimum.wireValue) == 1 else {
            throw OpenSSLErrors.error("cannot set the minimum TLS version \(minimum)")
        }
        if let maximum {
            guard cignite_SSL_CTX_set_max_proto_version(context, maximum.wireValue) == 1 else {
                throw OpenSSLErrors.error("cannot set the maximum TLS version \(maximum)")
            }
        }
    }

    private static func apply(cipherList: String?, cipherSuites: String?, to context: OpaquePointer) throws {
        if let cipherList {
            OpenSSLErrors.clear()
            guard SSL_CTX_set_cipher_list(context, cipherList) == 1 else {
                throw OpenSSLErrors.error("the cipher list '\(cipherList)' was rejected")
            }
        }
        if let cipherSuites {
            OpenSSLErrors.clear()
            guard SSL_CTX_set_ciphersuites(context, cipherSuites) == 1 else {
                throw OpenSSLErrors.error("the TLS 1.3 cipher suites '\(cipherSuites)' were rejected")
            }
        }
    }
}
