/// Limits reconnect attempts per endpoint: at most ``maximumAttempts`` within any ``period``
/// (the Java client's `reconnectThrottlingRetries` / `reconnectThrottlingPeriod`, default 3 per 30 s).
public struct ReconnectThrottle: Hashable, Sendable {
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

/// Chooses endpoints: round robin over the configured addresses, with liveness marks and reconnect throttling.
///
/// Pure: the caller reports connection outcomes and passes the current time (any monotonic clock's instants, so
/// tests inject their own); nothing here sleeps or connects.
public struct EndpointSelector: Sendable {
    /// What is known about an endpoint's connection.
    public enum Status: Hashable, Sendable {
        /// Never tried.
        case unknown
        /// A connection is open.
        case connected
        /// The last connect failed, or the connection was lost.
        case failed
    }

    struct Entry: Sendable {
        var endpoint: IgniteEndpoint
        var status: Status = .unknown
        /// Connect attempts inside the throttle window, oldest first.
        var attempts: [ContinuousClock.Instant] = []
    }

    /// The throttle applied to connect attempts.
    public var throttle: ReconnectThrottle
    private var entries: [Entry]
    private var connectCursor = 0
    private var requestCursor = 0

    /// Creates a selector.
    /// - Parameters:
    ///   - endpoints: The configured endpoints (duplicates are dropped, order kept).
    ///   - throttle: The reconnect throttle.
    public init(endpoints: [IgniteEndpoint], throttle: ReconnectThrottle = .default) {
        self.throttle = throttle
        var seen = Set<IgniteEndpoint>()
        entries = endpoints.filter { seen.insert($0).inserted }.map { Entry(endpoint: $0) }
    }

    /// The endpoints, in configuration order.
    public var endpoints: [IgniteEndpoint] { entries.map(\.endpoint) }

    /// The endpoints with an open connection, in configuration order.
    public var connectedEndpoints: [IgniteEndpoint] { entries.filter { $0.status == .connected }.map(\.endpoint) }

    /// What is known about an endpoint.
    /// - Parameter endpoint: The endpoint.
    /// - Returns: Its status, or `nil` if it is not configured.
    public func status(of endpoint: IgniteEndpoint) -> Status? {
        entries.first { $0.endpoint == endpoint }?.status
    }

    private func index(of endpoint: IgniteEndpoint) -> Int? {
        entries.firstIndex { $0.endpoint == endpoint }
    }

    /// Records that a connection to an endpoint is open.
    /// - Parameter endpoint: The endpoint.
    public mutating func markConnected(_ endpoint: IgniteEndpoint) {
        guard let i = index(of: endpoint) else { return }
        entries[i].status = .connected
    }

    /// Records that connecting failed or an open connection was lost.
    /// - Parameter endpoint: The endpoint.
    public mutating func markFailed(_ endpoint: IgniteEndpoint) {
        guard let i = index(of: endpoint) else { return }
        entries[i].status = .failed
    }

    private func windowStart(_ now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        now - throttle.period
    }

    /// Whether a connect attempt to `endpoint` would exceed the throttle now.
    /// - Parameters:
    ///   - endpoint: The endpoint.
    ///   - now: The current instant.
    /// - Returns: `true` if ``ReconnectThrottle/maximumAttempts`` attempts were made within the last period.
    public func isThrottled(_ endpoint: IgniteEndpoint, now: ContinuousClock.Instant) -> Bool {
        guard let i = index(of: endpoint) else { return false }
        return isThrottled(entries[i], now: now)
    }

    private func isThrottled(_ entry: Entry, now: ContinuousClock.Instant) -> Bool {
        guard throttle.maximumAttempts > 0 else { return false }
        let start = windowStart(now)
        return entry.attempts.filter { $0 > start }.count >= throttle.maximumAttempts
    }

    /// When the throttle will next allow an attempt to `endpoint`.
    /// - Parameters:
    ///   - endpoint: The endpoint.
    ///   - now: The current instant.
    /// - Returns: `now` if an attempt is allowed now, a later instant if throttled, `nil` if not configured.
    public func nextAttemptAllowed(for endpoint: IgniteEndpoint, now: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        guard let i = index(of: endpoint) else { return nil }
        guard isThrottled(entries[i], now: now) else { return now }
        let start = windowStart(now)
        let recent = entries[i].attempts.filter { $0 > start }
        // The attempt that must leave the window before another is allowed.
        let blockingIndex = recent.count - throttle.maximumAttempts
        guard recent.indices.contains(blockingIndex) else { return now }
        return recent[blockingIndex] + throttle.period
    }

    /// Records a connect attempt, if the throttle allows it.
    /// - Parameters:
    ///   - endpoint: The endpoint about to be connected.
    ///   - now: The current instant.
    /// - Returns: `false` (and records nothing) if the attempt is throttled or the endpoint is not configured.
    public mutating func recordConnectAttempt(to endpoint: IgniteEndpoint, now: ContinuousClock.Instant) -> Bool {
        guard let i = index(of: endpoint), !isThrottled(entries[i], now: now) else { return false }
        let start = windowStart(now)
        entries[i].attempts.removeAll { $0 <= start }
        entries[i].attempts.append(now)
        return true
    }

    /// The next endpoint to connect to, round robin over endpoints without an open connection whose throttle
    /// allows an attempt; the attempt is recorded.
    /// - Parameter now: The current instant.
    /// - Returns: The endpoint, or `nil` if every unconnected endpoint is throttled (or all are connected).
    public mutating func nextToConnect(now: ContinuousClock.Instant) -> IgniteEndpoint? {
        guard !entries.isEmpty else { return nil }
        for step in 0..<entries.count {
            let i = (connectCursor + step) % entries.count
            guard entries[i].status != .connected, !isThrottled(entries[i], now: now) else { continue }
            connectCursor = (i + 1) % entries.count
            let endpoint = entries[i].endpoint
            _ = recordConnectAttempt(to: endpoint, now: now)
            return endpoint
        }
        return nil
    }

    /// The next endpoint with an open connection, round robin.
    /// - Returns: The endpoint, or `nil` if none is connected.
    public mutating func nextConnected() -> IgniteEndpoint? {
        guard !entries.isEmpty else { return nil }
        for step in 0..<entries.count {
            let i = (requestCursor + step) % entries.count
            guard entries[i].status == .connected else { continue }
            requestCursor = (i + 1) % entries.count
            return entries[i].endpoint
        }
        return nil
    }

    /// Replaces the endpoint list (for example after cluster discovery), keeping the status and throttle history of
    /// endpoints that stay.
    /// - Parameter endpoints: The new list (duplicates dropped).
    /// - Returns: The endpoints that were removed (their connections should be closed).
    @discardableResult
    public mutating func updateEndpoints(_ endpoints: [IgniteEndpoint]) -> [IgniteEndpoint] {
        var seen = Set<IgniteEndpoint>()
        let unique = endpoints.filter { seen.insert($0).inserted }
        let removed = entries.map(\.endpoint).filter { !seen.contains($0) }
        let old = Dictionary(entries.map { ($0.endpoint, $0) }, uniquingKeysWith: { first, _ in first })
        entries = unique.map { old[$0] ?? Entry(endpoint: $0) }
        if entries.isEmpty {
            connectCursor = 0
            requestCursor = 0
        } else {
            connectCursor %= entries.count
            requestCursor %= entries.count
        }
        return removed
    }
}
