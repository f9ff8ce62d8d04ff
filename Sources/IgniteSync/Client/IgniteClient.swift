import Foundation
import IgniteProtocol
import IgniteSockets

/// A blocking thin client for an Apache Ignite 2.x or GridGain 8 cluster.
///
/// One client is meant to be shared by many threads. It keeps one connection per node; requests from different
/// threads are pipelined on a connection by request id rather than serialised behind one round trip. With
/// partition awareness (the default) it connects to every configured node and sends each key operation to the
/// node that owns the key.
///
/// ```swift
/// let client = try IgniteClient(configuration: .init(endpoints: [IgniteEndpoint(host: "127.0.0.1")]))
/// defer { client.close() }
/// let cache = try client.getOrCreateCache("people")
/// try cache.put(1, "Alice")
/// let name = try cache.get(1, as: String.self)
/// ```
public final class IgniteClient: @unchecked Sendable {
    /// The configuration the client was created with.
    public let configuration: IgniteClientConfiguration
    /// Whether complex objects the client writes use a compact footer: the configured value, else the server's
    /// binary configuration (OP_BINARY_CONFIGURATION_GET), else `true` (the servers' default).
    public let compactFooter: Bool

    /// The cluster driver: connections, endpoint selection, node index, partition maps.
    let engine: ClusterDriver
    /// Routes server notifications (continuous-query events) to their subscribers (`NotificationRouter`).
    let notifications: NotificationRouter<NodeConnection>
    /// The connections (the cluster driver, under the name the cache and transaction code use).
    var pool: ClusterDriver { engine }
    /// Partition-aware routing (the cluster driver, under the name the cache code uses).
    var routing: ClusterDriver { engine }
    let connectionListeners: [any IgniteEventListener]
    let queryListeners: [any IgniteEventListener]
    let binary: BinaryMetadata
    private let heartbeat: HeartbeatThread?
    private let attemptLimit: Int

    /// Connects to the cluster.
    ///
    /// With partition awareness every endpoint is dialled and the client works as long as one answers; without it
    /// the endpoints are tried in order until one answers.
    /// - Parameter configuration: Where the cluster is and how to talk to it.
    /// - Throws: ``IgniteError/Code/reconnect`` when no endpoint could be reached,
    ///   ``IgniteError/Code/authentication`` when the credentials were rejected, ``IgniteError/Code/parameter``
    ///   for an empty endpoint list or a setting that cannot work (see ``IgniteClientConfiguration/validate()``),
    ///   ``IgniteError/Code/tls`` when the TLS settings cannot be loaded.
    public init(configuration: IgniteClientConfiguration) throws {
        try configuration.validate()
        self.configuration = configuration
        attemptLimit = OperationStateMachine.attemptLimit(retryLimit: configuration.retryLimit,
                                                          endpointCount: configuration.endpoints.count)
        let listeners = configuration.eventListeners
        connectionListeners = listeners
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
        let settings = NodeConnection.Settings(
            machine: ConnectionStateMachine.Configuration(initialVersion: configuration.protocolVersion,
                                                          features: configuration.features,
                                                          username: configuration.username, password: configuration.password),
            connectTimeout: configuration.connectTimeout, handshakeTimeout: configuration.handshakeTimeout,
            maximumFrameLength: configuration.maximumFrameLength,
            transportFactory: TCPTransportFactory(options: configuration.tcp, secure: try configuration.tls?.prepare()),
            heartbeatInterval: configuration.heartbeatInterval, writeTimeout: configuration.requestTimeout,
            maximumDecodedSize: configuration.maximumDecodedSize)
        let cluster = ClusterDriver(configuration: .init(client: configuration),
                                    settings: settings,
                                    emit: { event in
                                        for listener in listeners { listener.connectionEvent(event) }
                                        log(.debug, event.description)
                                    },
                                    log: log)
        self.engine = cluster
        binary = BinaryMetadata(compactFooter: configuration.compactFooter)
        // The driver owns the observer, so the observer holds the driver weakly.
        let router = NotificationRouter<NodeConnection>()
        notifications = router
        cluster.observer = NodeConnection.Observer(
            topologyChanged: { [weak cluster] version, _ in
                cluster?.observe(version, probeTimeout: .seconds(5))
            },
            lost: { [weak cluster] error, connection in
                cluster?.lost(connection)
                router.connectionLost(connection, error: error)
                log(.warning, "connection to \(connection.endpoint) lost: \(error)")
                for listener in listeners {
                    listener.connectionEvent(.connectionLost(endpoint: connection.endpoint, nodeId: connection.nodeId, error: error))
                }
            },
            notification: { notification, connection in router.deliver(notification, on: connection) })
        do {
            try cluster.connect()
        } catch {
            cluster.close()  // connections opened before the failure (say, rejected credentials on the second node)
            throw error
        }
        var server: Bool?
        if let connection = engine.openConnections.first,
           TypeResolution.needsServerCompactFooter(configured: configuration.compactFooter, context: connection.context) {
            server = (try? connection.roundTrip(BinaryConfigurationGetRequest(), timeout: configuration.requestTimeout))?.compactFooter
        }
        compactFooter = TypeResolution.compactFooter(configured: configuration.compactFooter, server: server)
        if let interval = configuration.heartbeatInterval {
            heartbeat = HeartbeatThread(cluster: engine, configuredInterval: interval)
        } else {
            heartbeat = nil
        }
        // Values decoded into Swift types after their response was read keep the response's budget (the registry
        // reaches every such decode); set before the client is returned to its user.
        binary.registry.decodedByteLimit = configuration.maximumDecodedSize
    }

    /// Connects to the given addresses with otherwise default settings.
    /// - Parameter addresses: `host:port` strings, for example `["127.0.0.1:10800"]`.
    /// - Throws: As ``init(configuration:)``, and ``IgniteError/Code/parameter`` for a malformed address.
    public convenience init(addresses: [String]) throws {
        try self.init(configuration: IgniteClientConfiguration(addresses: addresses))
    }

    deinit {
        heartbeat?.stop()
        engine.close()
    }

    /// Closes every connection. Operations in flight fail with ``IgniteError/Code/connectionClosed``; later ones
    /// with ``IgniteError/Code/illegalState``. Idempotent.
    public func close() {
        heartbeat?.stop()
        engine.close()
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { engine.isClosed }

    /// The negotiated protocol of a live connection.
    /// - Throws: ``IgniteError/Code/reconnect`` when no node is reachable.
    public func protocolContext() throws -> ProtocolContext { try engine.anyConnection().context }

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
        case owner(NodeConnection)
        /// Exactly this connection: transactions and cursors. Never retried elsewhere.
        case pinned(NodeConnection)
    }

    /// Sends a request and returns its decoded response, executing the ``OperationStateMachine``: each attempt's
    /// connection comes from the cluster machine, and a failure is retried on another connection when the machine
    /// (the retry policy and the attempt limit) allows it.
    func execute<R: IgniteRequest>(_ request: R, target: Target = .any) throws -> R.Response {
        let placement: OperationStateMachine.Placement
        switch target {
        case .any: placement = .any
        case .node, .owner: placement = .keyOwner
        case .pinned: placement = .pinned
        }
        var operation = OperationStateMachine(opCode: request.opCode, placement: placement, policy: configuration.retryPolicy,
                                              attemptLimit: attemptLimit, partitionAwareness: configuration.partitionAwareness)
        while true {
            var phase = FailurePhase.connecting
            do {
                _ = operation.nextAttempt()
                let connection: NodeConnection
                switch target {
                case .pinned(let pinned): connection = pinned
                case .node(let node):
                    if let node, let owner = engine.connection(toNode: node) {
                        connection = owner
                    } else {
                        connection = try engine.anyConnection()
                    }
                case .owner(let owner):
                    if !owner.isBroken {
                        connection = owner
                    } else if let node = owner.nodeId, let current = engine.connection(toNode: node) {
                        connection = current
                    } else {
                        connection = try engine.anyConnection()
                    }
                case .any: connection = try engine.anyConnection()
                }
                return try send(request, on: connection, phase: &phase)
            } catch let error as IgniteError {
                switch operation.attemptFailed(error, phase: phase) {
                case .fail(let final): throw final
                case .retry(let dialMissing):
                    log(.info, "retrying op \(request.opCode) after: \(error)")
                    if dialMissing { engine.scheduleConnectMissing() }
                }
            }
        }
    }

    /// One attempt on one connection.
    func send<R: IgniteRequest>(_ request: R, on connection: NodeConnection) throws -> R.Response {
        var phase = FailurePhase.connecting
        return try send(request, on: connection, phase: &phase)
    }

    func log(_ level: IgniteLogLevel, _ message: @autoclosure () -> String) {
        if let logger = configuration.logger, level >= configuration.logLevel { logger(level, message()) }
    }

    /// One attempt on one connection, with query events when someone listens.
    func send<R: IgniteRequest>(_ request: R, on connection: NodeConnection, phase: inout FailurePhase) throws -> R.Response {
        guard !queryListeners.isEmpty else {
            return try connection.roundTrip(request, timeout: configuration.requestTimeout, phase: &phase)
        }
        let info = QueryEventInfo(opCode: request.opCode, endpoint: connection.endpoint, nodeId: connection.nodeId)
        for listener in queryListeners { listener.queryEvent(.started(info)) }
        let start = MonotonicClock.nanoseconds()
        do {
            let response = try connection.roundTrip(request, timeout: configuration.requestTimeout, phase: &phase)
            let duration = Duration.nanoseconds(Int64(clamping: MonotonicClock.nanoseconds() &- start))
            for listener in queryListeners { listener.queryEvent(.succeeded(info, duration: duration)) }
            return response
        } catch let error as IgniteError {
            let duration = Duration.nanoseconds(Int64(clamping: MonotonicClock.nanoseconds() &- start))
            for listener in queryListeners { listener.queryEvent(.failed(info, duration: duration, error: error)) }
            throw error
        }
    }

    /// A connection for a request that must stay on one connection (a transaction or a cursor).
    func pinnedConnection() throws -> NodeConnection { try engine.anyConnection() }
}

extension IgniteError {
    /// Whether the error means the connection broke (so another connection may succeed).
    var isConnectionFailure: Bool {
        code == .socket || code == .connectionClosed || code == .protocolViolation || code == .reconnect
    }
}

/// Sends heartbeats on idle connections: the thread that runs the ``HeartbeatSchedule`` (which decides which
/// connection is due; see its rules).
final class HeartbeatThread: @unchecked Sendable {
    private let mutex = PThreadMutex()
    private let condition = PThreadCondition()
    @exclusivity(unchecked) private var stopped = false

    init(cluster: ClusterDriver, configuredInterval: Duration) {
        let thread = Thread { [self] in
            var schedule = HeartbeatSchedule<NodeConnection>()
            let tick = HeartbeatSchedule<NodeConnection>.tickInterval(configured: configuredInterval)
            while true {
                let deadline = MonotonicClock.deadline(after: tick)
                let stop = mutex.withLock { () -> Bool in
                    while !stopped, condition.wait(mutex, until: deadline) {}
                    return stopped
                }
                if stop { return }
                for connection in cluster.heartbeatsDue(&schedule) {
                    // Failures are left to the request path: a dead connection fails its next request.
                    _ = try? connection.roundTrip(HeartbeatRequest(), timeout: connection.heartbeatInterval)
                    schedule.heartbeatSent(connection, requestsSent: connection.requestsSent, now: MonotonicClock.nanoseconds())
                }
            }
        }
        thread.name = "ignite-heartbeat"
        thread.start()
    }

    func stop() {
        mutex.withLock {
            stopped = true
            condition.broadcast()
        }
    }
}
