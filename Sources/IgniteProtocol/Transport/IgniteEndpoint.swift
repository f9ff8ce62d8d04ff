import Foundation

/// A server address: host name or IP literal, and port.
public struct IgniteEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// The default thin-client port.
    public static let defaultPort = 10800

    /// A host name, an IPv4 literal or an IPv6 literal (without brackets).
    public var host: String
    /// The TCP port.
    public var port: Int

    /// Creates an endpoint.
    public init(host: String, port: Int = IgniteEndpoint.defaultPort) {
        self.host = host
        self.port = port
    }

    /// Parses `host`, `host:port`, `[v6]` or `[v6]:port`.
    /// - Throws: ``IgniteError/Code/parameter`` for an empty host or a port outside 1...65535.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var host = trimmed
        var port = IgniteEndpoint.defaultPort
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { throw IgniteError.parameter("invalid endpoint '\(text)': missing ']'") }
            host = String(trimmed[trimmed.index(after: trimmed.startIndex)..<close])
            let rest = trimmed[trimmed.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let p = Int(rest.dropFirst()) else { throw IgniteError.parameter("invalid port in endpoint '\(text)'") }
                port = p
            } else if !rest.isEmpty {
                throw IgniteError.parameter("invalid endpoint '\(text)'")
            }
        } else if let colon = trimmed.lastIndex(of: ":"), trimmed.firstIndex(of: ":") == colon {
            host = String(trimmed[..<colon])
            guard let p = Int(trimmed[trimmed.index(after: colon)...]) else { throw IgniteError.parameter("invalid port in endpoint '\(text)'") }
            port = p
        }
        guard !host.isEmpty else { throw IgniteError.parameter("invalid endpoint '\(text)': empty host") }
        guard (1...65535).contains(port) else { throw IgniteError.parameter("invalid endpoint '\(text)': port \(port) out of range") }
        self.host = host
        self.port = port
    }

    /// A readable description, for logs and messages.
    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
