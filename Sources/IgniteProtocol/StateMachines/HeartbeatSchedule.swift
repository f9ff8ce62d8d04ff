/// Heartbeat timing, as pure decisions (the Java client's rules).
///
/// * A connection beats only if heartbeats are configured and the server negotiated the HEARTBEAT feature; then,
///   right after the handshake, the driver asks the server's idle timeout (OP_GET_IDLE_TIMEOUT,
///   ``needsIdleTimeoutQuery(configured:context:)``) and the connection's interval is
///   ``interval(configured:serverIdleTimeoutMilliseconds:)``.
/// * A heartbeat is sent only when a connection sent nothing else for a whole interval. Idleness is judged from the
///   connection's request counter, sampled every ``tickInterval(configured:)`` (so the request path pays nothing
///   for it): ``tick(now:samples:)`` returns the connections due.
///
/// The driver runs the timer (a thread or a task) and feeds each tick; nothing here sleeps.
package struct HeartbeatSchedule<Connection: AnyObject & Sendable>: @unchecked Sendable {
    // @unchecked: connections are only compared by identity.

    /// One connection's state at a tick, supplied by the driver.
    package struct Sample {
        /// The connection.
        package var connection: Connection
        /// Requests sent on it so far.
        package var requestsSent: UInt64
        /// Its heartbeat interval; `nil` if it does not beat.
        package var interval: Duration?

        /// Creates a sample.
        package init(connection: Connection, requestsSent: UInt64, interval: Duration?) {
            self.connection = connection
            self.requestsSent = requestsSent
            self.interval = interval
        }
    }

    private var seen: [ObjectIdentifier: (count: UInt64, since: UInt64)] = [:]

    /// Creates an empty schedule.
    package init() {}

    /// Whether a new connection must ask the server's idle timeout to choose its interval.
    /// - Parameters:
    ///   - configured: The configured interval (`nil`: heartbeats off).
    ///   - context: The connection's negotiated protocol.
    /// - Returns: `true` when heartbeats are on and the server negotiated them.
    package static func needsIdleTimeoutQuery(configured: Duration?, context: ProtocolContext) -> Bool {
        configured != nil && context.has(.heartbeat)
    }

    /// The heartbeat interval for a connection (Java's `TcpClientChannel.getHeartbeatInterval`): the configured
    /// interval, shortened to a third of the server's idle timeout when that is positive, but never below 500 ms.
    /// - Parameters:
    ///   - configured: The configured interval.
    ///   - serverIdleTimeoutMilliseconds: OP_GET_IDLE_TIMEOUT's answer (≤ 0, or the query failed: the server never
    ///     closes idle connections).
    /// - Returns: The interval to use.
    package static func interval(configured: Duration, serverIdleTimeoutMilliseconds idle: Int64) -> Duration {
        guard idle > 0 else { return configured }
        let recommended = Duration.milliseconds(max(idle / 3, 500))
        return min(configured, recommended)
    }

    /// How often the driver samples: four times per the shortest possible interval (min(configured, 500 ms)), so
    /// idleness is detected within a quarter interval, but not more often than every 10 ms.
    /// - Parameter configured: The configured interval.
    /// - Returns: The tick period.
    package static func tickInterval(configured: Duration) -> Duration {
        max(min(configured, .milliseconds(500)) / 4, .milliseconds(10))
    }

    /// One tick: which connections have been idle for a whole interval.
    /// - Parameters:
    ///   - now: Monotonic nanoseconds.
    ///   - samples: Every open connection's counter and interval.
    /// - Returns: The connections to send OP_HEARTBEAT on now (report each with ``heartbeatSent(_:requestsSent:now:)``).
    package mutating func tick(now: UInt64, samples: [Sample]) -> [Connection] {
        var due: [Connection] = []
        var live = Set<ObjectIdentifier>()
        for sample in samples {
            guard let interval = sample.interval else { continue }
            let key = ObjectIdentifier(sample.connection)
            live.insert(key)
            guard let last = seen[key], last.count == sample.requestsSent else {
                seen[key] = (sample.requestsSent, now)
                continue
            }
            if now &- last.since >= ClusterStateMachine<Connection>.nanoseconds(interval) { due.append(sample.connection) }
        }
        seen = seen.filter { live.contains($0.key) }
        return due
    }

    /// A heartbeat went out (whatever its outcome: failures are left to the request path).
    /// - Parameters:
    ///   - connection: The connection.
    ///   - requestsSent: Its counter after the heartbeat.
    ///   - now: Monotonic nanoseconds.
    package mutating func heartbeatSent(_ connection: Connection, requestsSent: UInt64, now: UInt64) {
        seen[ObjectIdentifier(connection)] = (requestsSent, now)
    }
}
