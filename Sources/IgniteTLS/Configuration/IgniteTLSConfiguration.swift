/// A TLS protocol version.
public enum IgniteTLSVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// TLS 1.2 (RFC 5246).
    case v1_2
    /// TLS 1.3 (RFC 8446).
    case v1_3

    /// `"TLSv1.2"` or `"TLSv1.3"`, as OpenSSL names them.
    public var description: String {
        switch self {
        case .v1_2: "TLSv1.2"
        case .v1_3: "TLSv1.3"
        }
    }

    /// The version number on the wire (`0x0303`, `0x0304`).
    var wireValue: Int32 {
        switch self {
        case .v1_2: 0x0303
        case .v1_3: 0x0304
        }
    }

    /// The version for a wire number, if it is one of ours.
    init?(wireValue: Int32) {
        switch wireValue {
        case 0x0303: self = .v1_2
        case 0x0304: self = .v1_3
        default: return nil
        }
    }
}

/// How the client secures its connections with TLS: what it trusts, how it proves who it is, and which protocol
/// versions and ciphers it accepts.
///
/// The defaults verify the server's certificate against the system's trust store and check that it was issued for
/// the host name (or IP address) being connected to, over TLS 1.2 or 1.3. Certificates and keys come from PEM files
/// or from PEM text in memory. The description never contains the key password.
///
/// ```swift
/// var tls = IgniteTLSConfiguration(caCertificates: .file("/etc/ignite/ca.pem"))
/// tls.certificate = .file("/etc/ignite/client.pem")
/// tls.privateKey = .file("/etc/ignite/client.key")
/// ```
public struct IgniteTLSConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Where PEM data comes from: a file, or PEM text held in memory.
    public enum PEMSource: Sendable, Hashable, CustomStringConvertible {
        /// A PEM file at this path.
        case file(String)
        /// PEM text (`-----BEGIN CERTIFICATE-----` ...).
        case pem(String)

        /// The path, or `"<in-memory PEM>"`; never the PEM text (it may hold a key).
        public var description: String {
            switch self {
            case .file(let path): path
            case .pem: "<in-memory PEM>"
            }
        }
    }

    /// The certificate authorities that may sign the server's certificate (one or many certificates in PEM);
    /// `nil` uses the system's default trust store.
    public var caCertificates: PEMSource?
    /// The client's certificate, optionally followed by intermediate certificates, for servers that require client
    /// authentication (mutual TLS). Needs ``privateKey``.
    public var certificate: PEMSource?
    /// The private key of ``certificate`` (PKCS#8, PKCS#1 or SEC1 PEM, possibly encrypted).
    public var privateKey: PEMSource?
    /// The password of an encrypted ``privateKey``. Never logged or printed.
    public var privateKeyPassword: String?
    /// Verify the server's certificate chain (on by default). Turning it off accepts any server, including an
    /// attacker in the middle: for tests only.
    public var verifyPeer: Bool
    /// Check that the server's certificate was issued for the host being connected to (on by default; only
    /// applies when ``verifyPeer`` is on). IP literals are matched against the certificate's IP addresses.
    public var verifyHostname: Bool
    /// The name to verify and to send as SNI instead of each endpoint's host, for example when connecting by IP
    /// address to a server whose certificate names a host.
    public var serverName: String?
    /// The lowest protocol version accepted (default TLS 1.2).
    public var minimumVersion: IgniteTLSVersion
    /// The highest protocol version offered; `nil` (the default) offers the newest OpenSSL supports.
    public var maximumVersion: IgniteTLSVersion?
    /// The TLS 1.2 cipher list in OpenSSL's syntax (for example `"ECDHE+AESGCM"`); `nil` keeps OpenSSL's default.
    public var cipherList: String?
    /// The TLS 1.3 cipher suites, colon-separated (for example `"TLS_AES_256_GCM_SHA384"`); `nil` keeps
    /// OpenSSL's default.
    public var cipherSuites: String?

    /// Creates a configuration.
    /// - Parameters:
    ///   - caCertificates: Trusted certificate authorities; `nil` uses the system trust store.
    ///   - certificate: The client certificate (chain) for mutual TLS.
    ///   - privateKey: The client certificate's private key.
    ///   - privateKeyPassword: The password of an encrypted private key.
    ///   - verifyPeer: Verify the server's certificate (default `true`).
    ///   - verifyHostname: Check the certificate's names against the host (default `true`).
    ///   - serverName: A name to verify and send as SNI instead of the endpoint's host.
    ///   - minimumVersion: The lowest accepted version (default ``IgniteTLSVersion/v1_2``).
    ///   - maximumVersion: The highest offered version (default: the newest).
    ///   - cipherList: The TLS 1.2 cipher list (OpenSSL syntax).
    ///   - cipherSuites: The TLS 1.3 cipher suites.
    public init(caCertificates: PEMSource? = nil, certificate: PEMSource? = nil, privateKey: PEMSource? = nil,
                privateKeyPassword: String? = nil, verifyPeer: Bool = true, verifyHostname: Bool = true,
                serverName: String? = nil, minimumVersion: IgniteTLSVersion = .v1_2, maximumVersion: IgniteTLSVersion? = nil,
                cipherList: String? = nil, cipherSuites: String? = nil) {
        self.caCertificates = caCertificates
        self.certificate = certificate
        self.privateKey = privateKey
        self.privateKeyPassword = privateKeyPassword
        self.verifyPeer = verifyPeer
        self.verifyHostname = verifyHostname
        self.serverName = serverName
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.cipherList = cipherList
        self.cipherSuites = cipherSuites
    }

    /// The settings, without the key password.
    public var description: String {
        var parts = ["ca: \(caCertificates?.description ?? "system trust store")"]
        if let certificate { parts.append("certificate: \(certificate)") }
        if let privateKey {
            parts.append("key: \(privateKey)\(privateKeyPassword == nil ? "" : " (password: <redacted>)")")
        }
        parts.append("verify peer: \(verifyPeer)")
        if verifyPeer { parts.append("verify hostname: \(verifyHostname)") }
        if let serverName { parts.append("server name: \(serverName)") }
        parts.append("versions: \(minimumVersion)...\(maximumVersion?.description ?? "newest")")
        if let cipherList { parts.append("ciphers: \(cipherList)") }
        if let cipherSuites { parts.append("TLS 1.3 suites: \(cipherSuites)") }
        return "IgniteTLSConfiguration(\(parts.joined(separator: "; ")))"
    }
}
