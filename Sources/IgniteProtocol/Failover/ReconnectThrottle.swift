/// Limits reconnect attempts per endpoint: at most ``maximumAttempts`` within any ``period``
/// (the Java client's `reconnectThrottlingRetries` / `reconnectThrottlingPeriod`, default 3 per 30 s).
package struct ReconnectThrottle: Hashable, Sendable {
    /// Attempts allowed per period; 0 or less disables throttling.
    public var maximumAttempts: Int
    /// The sliding window.
    public var period: Duration

    /// Creates a throttle.
    /// - Parameters:
    ///   - maximumAttempts: Attempts per period (0: no throttling).
    ///   - period: The window.
    public init(maximumAttempts: Int, period: Duration) {
        self.maximumAttempts = maximumAttempts
        self.period = period
    }

    /// 3 attempts per 30 seconds, like the Java client.
    public static let `default` = ReconnectThrottle(maximumAttempts: 3, period: .seconds(30))
    /// No throttling.
    public static let disabled = ReconnectThrottle(maximumAttempts: 0, period: .zero)
}
