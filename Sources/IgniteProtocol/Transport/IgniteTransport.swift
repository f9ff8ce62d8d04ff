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

/// A connected, bidirectional byte stream to one server: the pluggable transport under both clients.
///
/// Plain TCP, TLS and test doubles implement it. A transport moves bytes only; framing, request ids and
/// everything else belong to the protocol engine. Implementations must be safe to use from one reading
/// thread and one writing thread at the same time, and ``close()`` must wake a blocked reader.
public protocol IgniteTransport: AnyObject, Sendable {
    /// Writes all of `bytes`, handling partial writes and interrupts.
    /// - Throws: ``IgniteError/Code/socket``, ``IgniteError/Code/connectionClosed`` or ``IgniteError/Code/tls``.
    func write(_ bytes: UnsafeRawBufferPointer) throws

    /// Reads at least one byte into `buffer`, waiting at most `timeout` (forever if `nil`).
    /// - Returns: The number of bytes read; 0 means the peer closed the stream.
    /// - Throws: ``IgniteError/Code/timeout`` when nothing arrived in time; ``IgniteError/Code/socket`` on failure.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws -> Int

    /// Closes the stream. Idempotent; a blocked ``read(into:timeout:)`` returns or throws promptly.
    func close()

    /// The peer, for messages and events.
    var endpoint: IgniteEndpoint { get }
}

/// Opens transports: plain TCP, TLS or a test double.
public protocol IgniteTransportFactory: Sendable {
    /// Connects to `endpoint` within `timeout`.
    /// - Throws: ``IgniteError/Code/socket``, ``IgniteError/Code/timeout`` or ``IgniteError/Code/tls``.
    func connect(to endpoint: IgniteEndpoint, timeout: Duration) throws -> any IgniteTransport
}
