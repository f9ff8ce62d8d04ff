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

    let pool: ConnectionPool
    let connectionListeners: [any IgniteEventListener]
    let queryListeners: [any IgniteEventListener]
    let routing: Routing
    let binary: BinaryMetadata
    let transactions = TransactionRegistry()
    private let heartbeat: HeartbeatThread?
    private let attemptLimit: Int

    /// Connects to the cluster.
    ///
    /// With partition awareness every endpoint is dialled and the client works as long as one answers; without it
    /// the endpoints are tried in order until one answers.
    /// - Parameter configuration: Where the cluster is and how to talk to it.
    /// - Throws: ``IgniteError/Code/reconnect`` when no endpoint could be reached,
    ///   ``IgniteError/Code/authentication`` when the credentials were rejected, ``IgniteError/Code/parameter``
    ///   for an empty endpoint list, ``IgniteError/Code/tls`` when the TLS settings cannot be loaded.
    public init(configuration: IgniteClientConfiguration) throws {
        guard !configuration.endpoints.isEmpty else { throw IgniteError.parameter("no endpoints configured") }
        self.configuration = configuration
        // Java's limit (one attempt per endpoint, or the configured limit capped by the endpoints), but by default at
        // least two: with a single endpoint, an operation that a retry policy allows to be resent still gets one more
        // attempt on a fresh connection after its connection broke (say, closed by the server while idle).
        let javaLimit = Failover.attemptLimit(retryLimit: configuration.retryLimit, endpointCount: configuration.endpoints.count)
        attemptLimit = configuration.retryLimit > 0 ? javaLimit : max(2, javaLimit)
        let listeners = configuration.eventListeners
        connectionListeners = listeners
        queryListeners = listeners.filter(\.wantsQueryEvents)
        let logger = configuration.logger
        let level = configuration.logLevel
        let log: @Sendable (IgniteLogLevel, String) -> Void = { l, message in
            if l >= level { logger?(l, message) }
        }
        let settings = NodeConnection.Settings(
            machine: ConnectionStateMachine.Configuration(initialVersion: configuration.protocolVersion,
                                                          features: configuration.features,
                                                          username: configuration.username, password: configuration.password),
            connectTimeout: configuration.connectTimeout, handshakeTimeout: configuration.handshakeTimeout,
            maximumFrameLength: configuration.maximumFrameLength,
            transportFactory: TCPTransportFactory(options: configuration.tcp, secure: try configuration.tls?.prepare()),
            heartbeatInterval: configuration.heartbeatInterval)
        pool = ConnectionPool(endpoints: configuration.endpoints, settings: settings,
                              emit: { event in
                                  for listener in listeners { listener.connectionEvent(event) }
                                  log(.debug, event.description)
                              },
                              log: log)
        routing = Routing(enabled: configuration.partitionAwareness)
        binary = BinaryMetadata(compactFooter: configuration.compactFooter)
        let routing = self.routing
        let partitionAware = configuration.partitionAwareness
        // The pool owns the observer, so the observer holds the pool weakly.
        pool.observer = NodeConnection.Observer(
            topologyChanged: { [weak pool] version, _ in
                // A newer topology: maps are stale, and a node may have joined or come back. Dial the endpoints
                // without a connection off the reading thread (rare: only on topology changes).
                if routing.observe(version), partitionAware, let pool {
                    // (`observe` is true only for a change from a known version, not for the first one seen.)
                    DispatchQueue.global().async { pool.refreshAfterTopologyChange(probeTimeout: .seconds(5)) }
                }
            },
            lost: { [weak pool] error, connection in
                pool?.remove(connection)
                routing.nodeLeft(connection.nodeId)
                log(.warning, "connection to \(connection.endpoint) lost: \(error)")
                for listener in listeners {
                    listener.connectionEvent(.connectionLost(endpoint: connection.endpoint, nodeId: connection.nodeId, error: error))
                }
            })
        pool.opened = { connection in routing.nodeJoined(connection.nodeId) }
        do {
            try pool.connect(all: configuration.partitionAwareness)
        } catch {
            pool.close()  // connections opened before the failure (say, rejected credentials on the second node)
            throw error
        }
        if let explicit = configuration.compactFooter {
            compactFooter = explicit
        } else if let connection = pool.openConnections.first, connection.context.has(.binaryConfiguration),
                  let server = try? connection.roundTrip(BinaryConfigurationGetRequest(), timeout: configuration.requestTimeout) {
            compactFooter = server.compactFooter
        } else {
            compactFooter = true
        }
        if let interval = configuration.heartbeatInterval {
            heartbeat = HeartbeatThread(pool: pool, configuredInterval: interval)
        } else {
            heartbeat = nil
        }
    }

    /// Connects to the given addresses with otherwise default settings.
    /// - Parameter addresses: `host:port` strings, for example `["127.0.0.1:10800"]`.
    /// - Throws: As ``init(configuration:)``, and ``IgniteError/Code/parameter`` for a malformed address.
    public convenience init(addresses: [String]) throws {
        try self.init(configuration: IgniteClientConfiguration(addresses: addresses))
    }

    deinit {
        heartbeat?.stop()
        pool.close()
    }

    /// Closes every connection. Operations in flight fail with ``IgniteError/Code/connectionClosed``; later ones
    /// with ``IgniteError/Code/illegalState``. Idempotent.
    public func close() {
        heartbeat?.stop()
        pool.close()
    }

    /// Whether ``close()`` was called.
    public var isClosed: Bool { pool.isClosed }

    /// The negotiated protocol of a live connection.
    /// - Throws: ``IgniteError/Code/reconnect`` when no node is reachable.
    public func protocolContext() throws -> ProtocolContext { try pool.anyConnection().context }

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
        case pinned(NodeConnection)
    }

    /// Sends a request and returns its decoded response, retrying on another connection after a connection
    /// failure when the retry policy allows it.
    func execute<R: IgniteRequest>(_ request: R, target: Target = .any) throws -> R.Response {
        var inTransaction = false
        if case .pinned = target { inTransaction = true }
        var tracker = RetryTracker(opCode: request.opCode, inTransaction: inTransaction, policy: configuration.retryPolicy,
                                   attemptLimit: attemptLimit)
        while true {
            var phase = FailurePhase.connecting
            do {
                let connection: NodeConnection
                switch target {
                case .pinned(let pinned): connection = pinned
                case .node(let node):
                    if let node, let owner = pool.connection(toNode: node) {
                        connection = owner
                    } else {
                        connection = try pool.anyConnection()
                    }
                case .any: connection = try pool.anyConnection()
                }
                return try send(request, on: connection, phase: &phase)
            } catch let error as IgniteError {
                guard tracker.recordFailure(error, phase: phase) else { throw tracker.finalError(error) }
                log(.info, "retrying op \(request.opCode) after: \(error)")
                if configuration.partitionAwareness { pool.scheduleConnectMissing() }
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
    func pinnedConnection() throws -> NodeConnection { try pool.anyConnection() }
}

extension IgniteError {
    /// Whether the error means the connection broke (so another connection may succeed).
    var isConnectionFailure: Bool {
        code == .socket || code == .connectionClosed || code == .protocolViolation || code == .reconnect
    }
}

/// Sends heartbeats on idle connections (the Java client's rules).
///
/// A connection beats only if heartbeats are configured and the server negotiated the HEARTBEAT feature; its
/// interval was chosen at connect time from the server's idle timeout (``NodeConnection/heartbeatInterval``). A
/// heartbeat is sent only when the connection sent nothing else for a whole interval. Idleness is tracked by the
/// connection's request counter, sampled several times per interval, so the request path pays nothing for it.
final class HeartbeatThread: @unchecked Sendable {
    private let mutex = PThreadMutex()
    private let condition = PThreadCondition()
    @exclusivity(unchecked) private var stopped = false

    /// Samples per interval: idleness is detected within a quarter of the interval.
    private static let samplesPerInterval: Int64 = 4

    init(pool: ConnectionPool, configuredInterval: Duration) {
        let thread = Thread { [self] in
            // Per connection: the request count last seen, and when it last changed.
            var seen: [ObjectIdentifier: (count: UInt64, since: UInt64)] = [:]
            // A connection's interval is at least min(configured, 500 ms) (see NodeConnection.heartbeatInterval), so
            // sampling four times per that interval catches every connection's idleness in time.
            let tick = max(min(configuredInterval, .milliseconds(500)) / Int(HeartbeatThread.samplesPerInterval), .milliseconds(10))
            while true {
                let deadline = MonotonicClock.deadline(after: tick)
                let stop = mutex.withLock { () -> Bool in
                    while !stopped, condition.wait(mutex, until: deadline) {}
                    return stopped
                }
                if stop { return }
                let now = MonotonicClock.nanoseconds()
                var live = Set<ObjectIdentifier>()
                for connection in pool.openConnections {
                    guard let interval = connection.heartbeatInterval else { continue }
                    let key = ObjectIdentifier(connection)
                    live.insert(key)
                    let count = connection.requestsSent
                    guard let last = seen[key], last.count == count else {
                        seen[key] = (count, now)
                        continue
                    }
                    if now &- last.since >= HeartbeatThread.nanoseconds(interval) {
                        // Failures are left to the request path: a dead connection fails its next request.
                        _ = try? connection.roundTrip(HeartbeatRequest(), timeout: interval)
                        seen[key] = (connection.requestsSent, MonotonicClock.nanoseconds())
                    }
                }
                seen = seen.filter { live.contains($0.key) }
            }
        }
        thread.name = "ignite-heartbeat"
        thread.start()
    }

    private static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) &* 1_000_000_000 &+ UInt64(max(0, attoseconds / 1_000_000_000))
    }

    func stop() {
        mutex.withLock {
            stopped = true
            condition.broadcast()
        }
    }
}
