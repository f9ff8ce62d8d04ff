extension IgniteClientConfiguration {
    /// Checks the settings that no connection can fix: every client calls it when it is created.
    ///
    /// Durations must be positive: a zero or negative request timeout would report `.timeout` for a request the
    /// server still executes, and a zero heartbeat interval would send heartbeats without pause. Use `nil` for "no
    /// request timeout" and "no heartbeats".
    /// - Throws: ``IgniteError/Code/parameter`` naming the first setting that cannot work.
    public func validate() throws {
        guard !endpoints.isEmpty else { throw IgniteError.parameter("no endpoints configured") }
        try Self.requirePositive(connectTimeout, "connectTimeout")
        try Self.requirePositive(handshakeTimeout, "handshakeTimeout")
        if let requestTimeout { try Self.requirePositive(requestTimeout, "requestTimeout", orNil: true) }
        if let heartbeatInterval { try Self.requirePositive(heartbeatInterval, "heartbeatInterval", orNil: true) }
        guard retryLimit >= 0 else { throw IgniteError.parameter("retryLimit must not be negative, not \(retryLimit)") }
        guard maximumFrameLength > 0 else {
            throw IgniteError.parameter("maximumFrameLength must be positive, not \(maximumFrameLength)")
        }
        if let maximumDecodedSize, maximumDecodedSize <= 0 {
            throw IgniteError.parameter("maximumDecodedSize must be positive, not \(maximumDecodedSize) (nil uses the default budget)")
        }
        try tcp.validate()
    }

    private static func requirePositive(_ duration: Duration, _ name: String, orNil: Bool = false) throws {
        guard duration > .zero else {
            let hint = orNil ? " (nil switches it off)" : ""
            throw IgniteError.parameter("\(name) must be positive, not \(duration)\(hint)")
        }
    }
}
