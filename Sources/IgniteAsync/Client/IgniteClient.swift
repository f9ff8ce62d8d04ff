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

    /// The cluster driver: connections, endpoint selection, node index, partition maps (the shared
    /// ``ClusterStateMachine``).
    let engine: ClusterDriver
    /// Routes server notifications (continuous-query events) to their subscribers (`NotificationRouter`).
    let notifications: NotificationRouter<AsyncConnection>
    /// Partition-aware routing (the cluster driver, under the name the cache code uses).
    var routing: ClusterDriver { engine }
    let binary = BinaryMetadata()
    let queryListeners: [any IgniteEventListener]
    private let attemptLimit: Int
    private let heartbeat: Heartbeats?

    /// Connects to the cluster.
    ///
    /// With partition awareness every endpoint is dialled and the client works as long as one answers; without it
    /// the endpoints are tried in order until one answers (the shared cluster machine's rules, as in the blocking
    /// product).
    /// - Parameter configuration: Where the cluster is and how to talk to it.
    /// - Throws: ``IgniteError/Code/reconnect`` when no endpoint could be reached,
    ///   ``IgniteError/Code/authentication`` when the credentials were rejected, ``IgniteError/Code/parameter``
    ///   for an empty endpoint list or a setting that cannot work (see ``IgniteClientConfiguration/validate()``),
    ///   ``IgniteError/Code/tls`` when the TLS settings cannot be
    ///   loaded or the TLS handshake fails.
    public init(configuration: IgniteClientConfiguration) async throws {
        try configuration.validate()
        self.configuration = configuration
        attemptLimit = OperationStateMachine.attemptLimit(retryLimit: configuration.retryLimit,
                                                          endpointCount: configuration.endpoints.count)
        let listeners = configuration.eventListeners
        queryListeners = listeners.filter(\.wantsQueryEvents)
        let logger = configuration.logger
        let level = configuration.logLevel
        let log: @Sendable (IgniteLogLevel, String) -> Void = { l, message in
            if l >= level { logger?(l, message) }
        }
        if configuration.tls == nil, configuration.username != nil || configuration.password != nil {
            // Once per client, as pyignite's manual advises: credentials deserve a secured channel.
            log(.warning, "credentials are sent unencrypted over plain TCP: set `tls` to secure the connection (see Docs/TLS.md)")
        }
        var settings = AsyncConnection.Settings(
            machine: ConnectionStateMachine.Configuration(initialVersion: configuration.protocolVersion,
                                                          features: configuration.features,
                                                          username: configuration.username, password: configuration.password),
            connectTimeout: configuration.connectTimeout, handshakeTimeout: configuration.handshakeTimeout,
            maximumFrameLength: configuration.maximumFrameLength)
        settings.tcp = configuration.tcp
        settings.secure = try configuration.tls?.prepare()
        settings.heartbeatInterval = configuration.heartbeatInterval
        settings.maximumDecodedSize = configuration.maximumDecodedSize
        let loop = try EventLoop.shared()
        let cluster = ClusterDriver(configuration: .init(client: configuration),
                                    settings: settings, loop: loop,
                                    emit: { event in
                                        for listener in listeners { listener.connectionEvent(event) }
                                        log(.debug, event.description)
                                    },
                                    log: log)
        engine = cluster
        // The driver owns the observer, so the observer holds the driver weakly.
        let router = NotificationRouter<AsyncConnection>()
        notifications = router
        cluster.observer = AsyncConnection.Observer(
            topologyChanged: { [weak cluster] version, _ in
                cluster?.observe(version, probeTimeout: .seconds(5))
            },
            lost: { [weak cluster] error, connection in
                TaskNotifications.shared.connectionEnded(connection, error: error)
                cluster?.lost(connection)
                router.connectionLost(connection, error: error)
                log(.warning, "connection to \(connection.endpoint) lost: \(error)")
                for listener in listeners {
                    listener.connectionEvent(.connectionLost(endpoint: connection.endpoint, nodeId: connection.nodeId, error: error))
                }
            },
            notification: { notification, connection in
                // Compute results first (beyond's TaskNotifications claims 6001); continuous-query events (2007) to
                // the router.
                if notification.header.notificationOpCode == .queryContinuousEventNotification {
                    router.deliver(notification, on: connection)
                } else {
                    TaskNotifications.shared.received(notification, on: connection)
                }
            })
        do {
            try await cluster.connect()
        } catch {
            cluster.close()  // connections opened before the failure (say, rejected credentials on the second node)
            throw error
        }
        var server: Bool?
        if let connection = cluster.openConnections.first,
           TypeResolution.needsServerCompactFooter(configured: configuration.compactFooter, context: connection.context) {
            server = (try? await connection.roundTrip(BinaryConfigurationGetRequest(), timeout: configuration.requestTimeout))?.compactFooter
        }
        compactFooter = TypeResolution.compactFooter(configured: configuration.compactFooter, server: server)
        heartbeat = configuration.heartbeatInterval.map { Heartbeats.start(cluster: cluster, loop: loop, configuredInterval: $0) }
        // Values decoded into Swift types after their response was read keep the response's budget (the registry
        // reaches every such decode); set before the client is returned to its user.
        binary.registry.decodedByteLimit = configuration.maximumDecodedSize
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
        heartbeat?.stop()
        engine.close()
    }

    /// Closes every connection. Operations in flight fail with ``IgniteError/Code/connectionClosed``; later ones
    /// with ``IgniteError/Code/illegalState``. Idempotent, never waits, so it can be called from `defer`.
    public func close() {
        heartbeat?.stop()
        for connection in engine.openConnections {   // compute tasks awaiting results on them
            TaskNotifications.shared.connectionEnded(connection, error: IgniteError(.connectionClosed, "the client was closed"))
        }
        engine.close()
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { engine.isClosed }

    /// The negotiated protocol of a live connection.
    /// - Throws: ``IgniteError/Code/reconnect`` when no node is reachable.
    public func protocolContext() async throws -> ProtocolContext { try await engine.anyConnection().context }

    /// The node ids the client is connected to.
    public var connectedNodeIds: [UUID] { engine.connectedNodes }

    // MARK: Execution

    /// Where a request goes.
    enum Target {
        /// Any live connection (the preferred one).
        case any
        /// The node owning a key, if known and connected; any connection otherwise.
        case node(UUID?)
        /// The connection to a key's owner that routing just found (its node's, as ``node(_:)`` would look it up):
        /// used while it is live, without a second look-up; once it broke, the node's connection, else any.
        case owner(AsyncConnection)
        /// Exactly this connection: transactions and cursors. Never retried elsewhere.
        case pinned(AsyncConnection)
    }

    /// Sends a request and returns its decoded response, executing the shared ``OperationStateMachine``: each
    /// attempt's connection comes from the cluster machine, and a failure is retried on another connection when the
    /// machine (the retry policy and the attempt limit) allows it. A cancelled task is never retried.
    @inline(__always)
    nonisolated(nonsending) func execute<R: IgniteRequest>(_ request: R, target: Target = .any) async throws -> R.Response {
        // The common case: a connection at hand and no query listeners. The first attempt goes straight to the round
        // trip; the operation machine is built only if it fails (then it decides on a retry).
        if queryListeners.isEmpty, let connection = connectionAtHand(for: target) {
            var phase = FailurePhase.connecting
            do {
                return try await connection.roundTrip(request, timeout: configuration.requestTimeout, phase: &phase)
            } catch let error as IgniteError {
                return try await execute(request, target: target, afterFirstFailure: (error, phase))
            }
        }
        return try await execute(request, target: target, afterFirstFailure: nil)
    }

    /// The connection for `target` that needs no dial: the pinned one, the owner's or the node's when live, else any
    /// live one; `nil` when none is at hand.
    @inline(__always)
    private func connectionAtHand(for target: Target) -> AsyncConnection? {
        switch target {
        case .pinned(let pinned): return pinned
        case .node(let node):
            if let node, let found = engine.connection(toNode: node) { return found }
        case .owner(let owner):
            if !owner.isBroken { return owner }
            if let node = owner.nodeId, let found = engine.connection(toNode: node) { return found }
        case .any: break
        }
        return engine.liveConnection()
    }

    /// ``execute(_:target:)`` with its operation machine; `failure` is a first attempt that already failed.
    @inline(never)
    private func execute<R: IgniteRequest>(_ request: R, target: Target,
                                           afterFirstFailure failure: (IgniteError, FailurePhase)?) async throws -> R.Response {
        let placement: OperationStateMachine.Placement
        switch target {
        case .any: placement = .any
        case .node, .owner: placement = .keyOwner
        case .pinned: placement = .pinned
        }
        var operation = OperationStateMachine(opCode: request.opCode, placement: placement, policy: configuration.retryPolicy,
                                              attemptLimit: attemptLimit, partitionAwareness: configuration.partitionAwareness)
        var failed = failure
        if failed != nil { _ = operation.nextAttempt() }  // the caller's attempt
        while true {
            if let (error, phase) = failed {
                if error.code == .cancelled { throw error }
                switch operation.attemptFailed(error, phase: phase) {
                case .fail(let final): throw final
                case .retry(let dialMissing):
                    log(.info, "retrying op \(request.opCode) after: \(error)")
                    if dialMissing { engine.scheduleConnectMissing() }
                }
            }
            var phase = FailurePhase.connecting
            do {
                _ = operation.nextAttempt()
                // The connection at hand when there is one (no async call), else a dial.
                let connection: AsyncConnection
                if let chosen = connectionAtHand(for: target) { connection = chosen } else { connection = try await engine.anyConnection() }
                // Without query listeners, straight to the round trip (no frame for `send`).
                if queryListeners.isEmpty {
                    return try await connection.roundTrip(request, timeout: configuration.requestTimeout, phase: &phase)
                }
                return try await send(request, on: connection, phase: &phase)
            } catch let error as IgniteError {
                failed = (error, phase)
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
        if let node, let owner = engine.connection(toNode: node) { return owner }
        return try await engine.anyConnection()
    }

    /// A connection for a request that must stay on one connection (a transaction or a cursor).
    func pinnedConnection() async throws -> AsyncConnection { try await engine.anyConnection() }
}

/// Sends heartbeats on idle connections: a timer on the event loop runs the shared ``HeartbeatSchedule`` (which
/// decides which connection is due; see its rules). The loop thread, not the cooperative pool, keeps the time, so
/// busy tasks elsewhere in the process cannot delay a heartbeat past the server's idle timeout. A heartbeat is queued
/// without waiting for its answer: a dead connection fails its next request.
final class Heartbeats: @unchecked Sendable {
    private weak var cluster: ClusterDriver?
    private let loop: EventLoop
    private let tick: UInt64
    private let lock = AsyncLock()
    private var stopped = false
    // Loop-confined.
    private var schedule = HeartbeatSchedule<AsyncConnection>()

    private init(cluster: ClusterDriver, loop: EventLoop, configuredInterval: Duration) {
        self.cluster = cluster
        self.loop = loop
        tick = LoopClock.nanoseconds(HeartbeatSchedule<AsyncConnection>.tickInterval(configured: configuredInterval))
    }

    /// Starts ticking on `loop`.
    static func start(cluster: ClusterDriver, loop: EventLoop, configuredInterval: Duration) -> Heartbeats {
        let heartbeats = Heartbeats(cluster: cluster, loop: loop, configuredInterval: configuredInterval)
        loop.execute { heartbeats.arm() }
        return heartbeats
    }

    /// Stops ticking (the pending timer finds the flag).
    func stop() { lock.withLock { stopped = true } }

    private func arm() {
        loop.scheduleTimer(at: LoopClock.now().addingSaturating(tick)) { [self] in run() }
    }

    private func run() {
        guard !lock.withLock({ stopped }), let cluster else { return }
        let samples = cluster.openConnections.map {
            HeartbeatSchedule<AsyncConnection>.Sample(connection: $0, requestsSent: $0.requestsSent, interval: $0.heartbeatInterval)
        }
        for connection in schedule.tick(now: LoopClock.now(), samples: samples) {
            connection.sendAndForget(HeartbeatRequest())
            schedule.heartbeatSent(connection, requestsSent: connection.requestsSent, now: LoopClock.now())
        }
        arm()
    }
}
