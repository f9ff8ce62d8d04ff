/// The TCP socket options a client applies to every connection, whichever product opens it.
///
/// ```swift
/// var configuration = IgniteClientConfiguration(addresses: ["node1:10800"])
/// configuration.tcp.sendBufferSize = 1 << 20
/// configuration.tcp.keepAlive = false
/// ```
public struct IgniteTCPOptions: Sendable, Hashable, CustomStringConvertible {
    /// `TCP_NODELAY` (on by default: requests are small and pipelined, and Nagle's algorithm would delay them).
    public var noDelay: Bool
    /// `SO_KEEPALIVE` (on by default), so that a peer that vanished is eventually noticed by the operating system.
    public var keepAlive: Bool
    /// `SO_SNDBUF` in bytes; `nil` (the default) keeps the system's value.
    public var sendBufferSize: Int?
    /// `SO_RCVBUF` in bytes; `nil` (the default) keeps the system's value.
    public var receiveBufferSize: Int?

    /// Creates options.
    /// - Parameters:
    ///   - noDelay: `TCP_NODELAY` (default `true`).
    ///   - keepAlive: `SO_KEEPALIVE` (default `true`).
    ///   - sendBufferSize: `SO_SNDBUF`, or `nil` for the system default.
    ///   - receiveBufferSize: `SO_RCVBUF`, or `nil` for the system default.
    public init(noDelay: Bool = true, keepAlive: Bool = true, sendBufferSize: Int? = nil, receiveBufferSize: Int? = nil) {
        self.noDelay = noDelay
        self.keepAlive = keepAlive
        self.sendBufferSize = sendBufferSize
        self.receiveBufferSize = receiveBufferSize
    }

    /// The options, for logs.
    public var description: String {
        var parts = ["noDelay: \(noDelay)", "keepAlive: \(keepAlive)"]
        if let sendBufferSize { parts.append("sendBuffer: \(sendBufferSize)") }
        if let receiveBufferSize { parts.append("receiveBuffer: \(receiveBufferSize)") }
        return "IgniteTCPOptions(\(parts.joined(separator: ", ")))"
    }

    /// Checks the values.
    /// - Throws: ``IgniteError/Code/parameter`` for a buffer size that is not positive.
    public func validate() throws {
        if let sendBufferSize, sendBufferSize <= 0 {
            throw IgniteError.parameter("the TCP send buffer size must be positive, not \(sendBufferSize)")
        }
        if let receiveBufferSize, receiveBufferSize <= 0 {
            throw IgniteError.parameter("the TCP receive buffer size must be positive, not \(receiveBufferSize)")
        }
    }
}
