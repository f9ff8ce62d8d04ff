import Foundation
import IgniteProtocol

/// An async/await thin client for an Apache Ignite 2.x or GridGain 8 cluster.
///
/// One client is meant to be shared by many tasks. It keeps one connection per node; requests from concurrent
/// tasks are pipelined on a connection by request id, their frames coalesced into few writes, and every response
/// resumes its task from the client's event loop thread: no thread waits on a socket. With partition awareness
/// (the default) it connects to every configured node and sends each key operation to the node that owns the key.
///
/// ```swift
/// let client = try await IgniteClient(configuration: .init(endpoints: [IgniteEndpoint(host: "127.0.0.1")]))
/// defer { client.close() }
/// let cache = try await client.getOrCreateCache("people")
/// try await cache.put(1, "Alice")
/// let name = try await cache.get(1, as: String.self)
/// ```
///
/// Cancelling a task fails its request at once with ``IgniteError/Code/cancelled``; the connection stays usable.
public final class IgniteClient: @unchecked Sendable {
    /// The configuration the client was created with.
    public let configuration: IgniteClientConfiguration
    /// Whether complex objects the client writes use a compact footer: the configured value, else the server's
    /// binary configuration (OP_BINARY_CONFIGURATION_GET), else `true` (the servers' default).
    public let compactFooter: Bool

    let pool: ConnectionPool
    let routing: Routing
    let binary: BinaryMetadata
    let queryListeners: [any IgniteEventListener]
    private let attemptLimit: Int
    private let heartbeat: Task<Void, Never>?

    /// Connects to the cluster.
    ///
    /// With partition awareness every endpoint is dialled (concurrently) and the client works as long as one
    /// answers; without it the endpoints are tried in order until one answers.
    /// - Parameter configuration: Where the cluster is and how to talk to it.
    /// - Throws: ``IgniteError/Code/reconnect`` when no endpoint could be reached,
    ///   ``IgniteError/Code/authentication`` when the credentials were rejected, ``IgniteError/Code/parameter``
    ///   for an empty endpoint list or invalid TCP options, ``IgniteError/Code/tls`` when the TLS settings cannot be
    ///   loaded or the TLS handshake fails.
    public init(configuration: IgniteClientConfiguration) async throws {
        guard !configuration.endpoints.isEmpty else { throw IgniteError.parameter("no endpoints configured") }
        self.configuration = configuration
        let javaLimit = Failover.attemptLimit(retryLimit: configuration.retryLimit, endpointCount: configuration.endpoints.count)
        attemptLimit = configuration.retryLimit > 0 ? javaLimit : max(2, javaLimit)
        let listeners = configuration.eventListeners
        queryListeners = listeners.filter(\.wantsQueryEvents)
        let logger = configuration.logger
        let level = configuration.logLevel
        let log: @Sendable (IgniteLogLevel, String) -> Void = { l, message in
            if l >= level { logger?(l, message) }
        }
        var settings = AsyncConnection.Settings(
            machine: ConnectionStateMachine.Configuration(initialVersion: configuration.protocolVersion,
                                                          features: configuration.features,
                                                          username: configuration.username, password: configuration.password),
            connectTimeout: configuration.connectTimeout, handshakeTimeout: configuration.handshakeTimeout,
            maximumFrameLength: configuration.maximumFrameLength)
        try configuration.tcp.validate()
        settings.tcp = configuration.tcp
        settings.secure = try configuration.tls?.prepare()
        let pool = ConnectionPool(endpoints: configuration.endpoints, settings: settings, loop: try EventLoop.shared(),
                                  emit: { event in
                                      for listener in listeners { listener.connectionEvent(event) }
                                      log(.debug, event.description)
                                  },
                                  log: log)
        self.pool = pool
        let routing = Routing(enabled: configuration.partitionAwareness)
        self.routing = routing
        binary = BinaryMetadata()
        let partitionAware = configuration.partitionAwareness
        pool.observer = AsyncConnection.Observer(
            topologyChanged: { [weak pool] version, _ in
                // A newer topology: maps are stale, and a node may have joined or come back.
                if routing.observe(version), partitionAware { pool?.scheduleConnectMissing(force: true) }
            },
            lost: { [weak pool] error, connection in
                TaskNotifications.shared.connectionEnded(connection, error: error)
                pool?.remove(connection)
                routing.nodeLeft(connection.nodeId)
                log(.warning, "connection to \(connection.endpoint) lost: \(error)")
                for listener in listeners {
                    listener.connectionEvent(.connectionLost(endpoint: connection.endpoint, nodeId: connection.nodeId, error: error))
                }
            },
            notification: { notification, connection in TaskNotifications.shared.received(notification, on: connection) })
        pool.opened = { connection in routing.nodeJoined(connection.nodeId) }
        do {
            try await pool.connect(all: configuration.partitionAwareness)
        } catch {
            pool.close()
            throw error
        }
        if let explicit = configuration.compactFooter {
            compactFooter = explicit
        } else if let connection = pool.openConnections.first, connection.context.has(.binaryConfiguration),
                  let server = try? await connection.roundTrip(BinaryConfigurationGetRequest(), timeout: configuration.requestTimeout) {
            compactFooter = server.compactFooter
        } else {
            compactFooter = true
        }
        heartbeat = configuration.heartbeatInterval.map { Heartbeats.start(pool: pool, configuredInterval: $0) }
    }

    /// Connects to the given addresses with otherwise default settings.
    /// - Parameter addresses: `host:port` strings, for example `["127.0.0.1:10800"]`.
    /// - Throws: As ``init(configuration:)``, and ``IgniteError/Code/parameter`` for a malformed address.
    public convenience init(addresses: [String]) async throws {
        try await self.init(configuration: IgniteClientConfiguration(addresses: addresses))
    }

    /// Connects, runs `body` with the client and closes the client however `body` ends (pyignite's `async with`).
    /// - Parameters:
    ///   - configuration: Where the cluster is and how to talk to it.
    ///   - body: The work.
    /// - Returns: What `body` returned.
    /// - Throws: What connecting or `body` threw.
    public static func withClient<T: Sendable>(configuration: IgniteClientConfiguration,
                                               _ body: (IgniteClient) async throws -> T) async throws -> T {
        let client = try await IgniteClient(configuration: configuration)
        defer { client.close() }
        return try await body(client)
    }

    deinit {
        heartbeat?.cancel()
        pool.close()
    }

    /// Closes every connection. Operations in flight fail with ``IgniteError/Code/connectionClosed``; later ones
    /// with ``IgniteError/Code/illegalState``. Idempotent, never waits, so it can be called from `defer`.
    public func close() {
        heartbeat?.cancel()
        for connection in pool.openConnections {   // compute tasks awaiting results on them
            TaskNotifications.shared.connectionEnded(connection, error: IgniteError(.connectionClosed, "the client was closed"))
        }
        pool.close()
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { pool.isClosed }

    /// The negotiated protocol of a live connection.
    /// - Throws: ``IgniteError/Code/reconnect`` when no node is reachable.
    public func protocolContext() async throws -> ProtocolContext { try await pool.anyConnection().context }

    /// The node ids the client is connected to.
    public var connectedNodeIds: [UUID] { pool.connectedNodes }

    // MARK: Execution

    /// Where a request goes.
    enum Target {
        /// Any live connection (the preferred one).
        case any
        /// The node owning a key, if known and connected; any connection otherwise.
        case node(UUID?)
        /// Exactly this connection: transactions and cursors. Never retried elsewhere.
        case pinned(AsyncConnection)
    }

    /// Sends a request and returns its decoded response, retrying on another connection after a connection
    /// failure when the retry policy allows it.
    func execute<R: IgniteRequest>(_ request: R, target: Target = .any) async throws -> R.Response {
        var inTransaction = false
        if case .pinned = target { inTransaction = true }
        var tracker = RetryTracker(opCode: request.opCode, inTransaction: inTransaction, policy: configuration.retryPolicy,
                                   attemptLimit: attemptLimit)
        while true {
            var phase = FailurePhase.connecting
            do {
                let connection: AsyncConnection
                switch target {
                case .pinned(let pinned): connection = pinned
                case .node(let node):
                    if let node, let owner = pool.connection(toNode: node) {
                        connection = owner
                    } else {
                        connection = try await pool.anyConnection()
                    }
                case .any: connection = try await pool.anyConnection()
                }
                return try await send(request, on: connection, phase: &phase)
            } catch let error as IgniteError {
                if error.code == .cancelled || Task.isCancelled { throw error }
                guard tracker.recordFailure(error, phase: phase) else { throw tracker.finalError(error) }
                log(.info, "retrying op \(request.opCode) after: \(error)")
                if configuration.partitionAwareness { pool.scheduleConnectMissing() }
            }
        }
    }

    /// One attempt on one connection.
    func send<R: IgniteRequest>(_ request: R, on connection: AsyncConnection) async throws -> R.Response {
        var phase = FailurePhase.connecting
        return try await send(request, on: connection, phase: &phase)
    }

    func log(_ level: IgniteLogLevel, _ message: @autoclosure () -> String) {
        if let logger = configuration.logger, level >= configuration.logLevel { logger(level, message()) }
    }

    /// One attempt on one connection, with query events when someone listens.
    func send<R: IgniteRequest>(_ request: R, on connection: AsyncConnection, phase: inout FailurePhase) async throws -> R.Response {
        guard !queryListeners.isEmpty else {
            return try await connection.roundTrip(request, timeout: configuration.requestTimeout, phase: &phase)
        }
        let info = QueryEventInfo(opCode: request.opCode, endpoint: connection.endpoint, nodeId: connection.nodeId)
        for listener in queryListeners { listener.queryEvent(.started(info)) }
        let start = LoopClock.now()
        do {
            let response = try await connection.roundTrip(request, timeout: configuration.requestTimeout, phase: &phase)
            let duration = Duration.nanoseconds(Int64(clamping: LoopClock.now() &- start))
            for listener in queryListeners { listener.queryEvent(.succeeded(info, duration: duration)) }
            return response
        } catch let error as IgniteError {
            let duration = Duration.nanoseconds(Int64(clamping: LoopClock.now() &- start))
            for listener in queryListeners { listener.queryEvent(.failed(info, duration: duration, error: error)) }
            throw error
        }
    }

    /// A connection to `node` if live, else any connection.
    func connection(forNode node: UUID?) async throws -> AsyncConnection {
        if let node, let owner = pool.connection(toNode: node) { return owner }
        return try await pool.anyConnection()
    }
}

/// Heartbeats on idle connections (the Java client's rules): a connection that sent nothing for a whole interval
/// sends OP_HEARTBEAT, if the server negotiated the HEARTBEAT feature. The interval is the configured one, shortened
/// to a third of the server's idle timeout (OP_GET_IDLE_TIMEOUT) but never below 500 ms.
enum Heartbeats {
    static func start(pool: ConnectionPool, configuredInterval: Duration) -> Task<Void, Never> {
        Task.detached { [weak pool] in
            var seen: [ObjectIdentifier: (count: UInt64, since: UInt64)] = [:]
            var intervals: [ObjectIdentifier: UInt64] = [:]
            let tick = max(min(configuredInterval, .milliseconds(500)) / 4, .milliseconds(10))
            while !Task.isCancelled {
                try? await Task.sleep(for: tick)
                guard let pool, !Task.isCancelled else { return }
                let now = LoopClock.now()
                var live = Set<ObjectIdentifier>()
                for connection in pool.openConnections where connection.context.has(.heartbeat) {
                    let key = ObjectIdentifier(connection)
                    live.insert(key)
                    if intervals[key] == nil {
                        let idle = (try? await connection.roundTrip(GetIdleTimeoutRequest(), timeout: configuredInterval)) ?? 0
                        intervals[key] = LoopClock.nanoseconds(interval(configured: configuredInterval, serverIdleTimeoutMilliseconds: idle))
                    }
                    let count = connection.requestsSent
                    guard let last = seen[key], last.count == count else {
                        seen[key] = (count, now)
                        continue
                    }
                    if now &- last.since >= intervals[key] ?? .max {
                        _ = try? await connection.roundTrip(HeartbeatRequest(), timeout: configuredInterval)
                        seen[key] = (connection.requestsSent, LoopClock.now())
                    }
                }
                seen = seen.filter { live.contains($0.key) }
                intervals = intervals.filter { live.contains($0.key) }
            }
        }
    }

    /// Java's `TcpClientChannel.getHeartbeatInterval`.
    static func interval(configured: Duration, serverIdleTimeoutMilliseconds idle: Int64) -> Duration {
        guard idle > 0 else { return configured }
        return min(configured, Duration.milliseconds(max(idle / 3, 500)))
    }
}
