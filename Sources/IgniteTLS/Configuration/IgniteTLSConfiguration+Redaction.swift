// The TLS settings print and reflect without the key password or in-memory PEM text (which may hold a private key):
// `description`, `debugDescription` (`String(reflecting:)`) and `dump` or a debugger (`customMirror`).

extension IgniteTLSConfiguration.PEMSource: CustomDebugStringConvertible, CustomReflectable {
    /// As ``description``: the path, or `"<in-memory PEM>"`.
    public var debugDescription: String { description }

    /// The path for `dump` and debuggers; never the PEM text.
    public var customMirror: Mirror {
        switch self {
        case .file(let path): Mirror(self, children: ["file": path], displayStyle: .enum)
        case .pem: Mirror(self, children: ["pem": "<in-memory PEM>"], displayStyle: .enum)
        }
    }
}

extension IgniteTLSConfiguration: CustomDebugStringConvertible, CustomReflectable {
    /// As ``description``: without the key password or PEM text.
    public var debugDescription: String { description }

    /// The settings for `dump` and debuggers, with the key password and PEM text redacted.
    public var customMirror: Mirror {
        Mirror(self, children: [
            "caCertificates": caCertificates as Any, "certificate": certificate as Any, "privateKey": privateKey as Any,
            "privateKeyPassword": privateKeyPassword == nil ? "none" : "<redacted>", "verifyPeer": verifyPeer,
            "verifyHostname": verifyHostname, "serverName": serverName as Any, "minimumVersion": minimumVersion,
            "maximumVersion": maximumVersion as Any, "cipherList": cipherList as Any, "cipherSuites": cipherSuites as Any,
        ], displayStyle: .struct)
    }
}
