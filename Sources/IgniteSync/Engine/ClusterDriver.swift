import Foundation
import IgniteProtocol

/// The blocking driver of the ``ClusterStateMachine``: it holds the machine under a mutex and executes its actions
/// (dials connections, waits for a partition map another thread fetches, runs background dials on a queue).
///
/// Every policy (which endpoint, when to redial, where a key goes, when a map is fetched) is the machine's; this
/// class owns only what blocks: the locks, the condition variable, the dialling threads.
final class ClusterDriver: @unchecked Sendable {
    /// The endpoints: configured ones first, then those discovery added.
    var endpoints: [IgniteEndpoint] { mutex.withLock { machine.endpoints } }
    private let settings: NodeConnection.Settings
    private let emit: @Sendable (ConnectionEvent) -> Void
    private let log: @Sendable (IgniteLogLevel, String) -> Void
    var observer = NodeConnection.Observer()

    private let mutex = PThreadMutex()
    /// Signalled when a partition-map fetch finishes.
    private let mapped = PThreadCondition()
    // Guarded by `mutex`.
    @exclusivity(unchecked) private var machine: ClusterStateMachine<NodeConnection>

    /// One lock per endpoint serialises dialling it, so a dead node is dialled by one thread at a time while the
    /// other endpoints stay reachable.
    /// Grows with discovered endpoints; guarded by `mutex`.
    private var dialMutexes: [PThreadMutex]

    /// Runs background dials, so an operation never waits for a node it does not need.
    private let dialer = DispatchQueue(label: "ignite-sync.dialer")

    /// Whether key operations are routed to their primary node.
    let enabled: Bool

    init(configuration: ClusterStateMachine<NodeConnection>.Configuration, settings: NodeConnection.Settings,
         emit: @escaping @Sendable (ConnectionEvent) -> Void, log: @escaping @Sendable (IgniteLogLevel, String) -> Void) {
        enabled = configuration.partitionAwareness
        self.settings = settings
        self.emit = emit
        self.log = log
        machine = ClusterStateMachine(configuration: configuration)
        dialMutexes = configuration.endpoints.map { _ in PThreadMutex() }
    }

    // MARK: Dialling

    /// Opens the client's first connections (every endpoint, or the first that answers, as the machine says).
    /// - Throws: ``IgniteError/Code/reconnect`` if no endpoint could be reached, or the authentication error.
    func connect() throws {
        try dial(mutex.withLock { machine.startupOrder() }, purpose: .startup)
        refreshDiscovery()
    }

    /// The dial lock of entry `index` (created for a discovered endpoint on first use).
    private func dialMutex(_ index: Int) -> PThreadMutex {
        mutex.withLock {
            while dialMutexes.count <= index { dialMutexes.append(PThreadMutex()) }
            return dialMutexes[index]
        }
    }

    /// Asks a node for the cluster's endpoints when the machine says a list is due, and dials the nodes it adds
    /// (`ClusterStateMachine+Discovery.swift`). Failures are logged: discovery never fails an operation.
    func refreshDiscovery() {
        guard let connection = openConnections.first else { return }
        guard let request = mutex.withLock({ machine.discoveryRequest(context: connection.context) }) else { return }
        do {
            let changes = try connection.roundTrip(request, timeout: settings.handshakeTimeout)
            let order = mutex.withLock { machine.endpointsDiscovered(changes, now: MonotonicClock.nanoseconds()) }
            log(.debug, "discovery: topology \(changes.topologyVersion), \(changes.added.count) node(s) added, \(changes.removed.count) removed")
            _ = try? dial(order, purpose: .background)
        } catch {
            mutex.withLock { machine.discoveryFailed() }
            log(.warning, "discovery: the endpoint request failed: \(error)")
        }
    }

    /// Dials `order` one by one until the machine says stop; returns the connection that stopped it, if any.
    @discardableResult
    private func dial(_ order: [Int], purpose: ClusterStateMachine<NodeConnection>.DialPurpose) throws -> NodeConnection? {
        var errors: [IgniteError] = []
        for index in order {
            let dialMutex = dialMutex(index)
            dialMutex.lock()
            let begin = mutex.withLock { machine.beginDial(index, purpose: purpose, now: MonotonicClock.nanoseconds()) }
            switch begin {
            case .fail(let error):
                dialMutex.unlock()
                throw error
            case .use(let existing):
                dialMutex.unlock()
                if existing.isBroken {
                    lost(existing)
                    continue
                }
                if purpose == .foreground { return existing }
                continue
            case .dial(let indices):
                if indices.isEmpty {  // throttled
                    dialMutex.unlock()
                    continue
                }
            }
            let follow: ClusterStateMachine<NodeConnection>.DialFollowUp
            var opened: NodeConnection?
            let outcome: Result<NodeConnection, IgniteError>
            let endpoint = mutex.withLock { machine.endpoint(at: index) }
            do {
                outcome = .success(try NodeConnection.open(to: endpoint, settings: settings, observer: observer, events: emit))
            } catch {
                outcome = .failure((error as? IgniteError) ?? IgniteError(.socket, "connecting to \(endpoint) failed", underlying: error))
            }
            switch outcome {
            case .success(let connection):
                let action = mutex.withLock {
                    machine.dialSucceeded(index, connection: connection, nodeId: connection.nodeId, purpose: purpose,
                                          now: MonotonicClock.nanoseconds())
                }
                switch action {
                case .closeConnection(let error):
                    dialMutex.unlock()
                    connection.close()
                    throw error
                case .rejected(let error, let next):
                    connection.close()
                    follow = next
                    log(.warning, error.description)
                    errors.append(error)
                case .registered(let next):
                    follow = next
                    opened = connection
                    log(.info, "connected to \(endpoint) (node \(connection.nodeId?.uuidString ?? "unknown"), \(connection.context))")
                }
            case .failure(let error):
                follow = mutex.withLock { machine.dialFailed(index, error: error, purpose: purpose, now: MonotonicClock.nanoseconds()) }
                log(.warning, "connecting to \(endpoint) failed: \(error)")
                errors.append(error)
            }
            dialMutex.unlock()
            switch follow {
            case .next: continue
            case .stop: return opened
            case .fail(let error): throw error
            }
        }
        if purpose == .background { return nil }
        if let error = mutex.withLock({ machine.dialsExhausted(errors, purpose: purpose) }) { throw error }
        return nil
    }

    // MARK: Connections

    /// A live connection for an operation that can go anywhere.
    /// - Throws: ``IgniteError/Code/reconnect`` when every endpoint is down; ``IgniteError/Code/illegalState`` when closed.
    func anyConnection() throws -> NodeConnection {
        while true {
            let action = mutex.withLock { machine.anyConnection(now: MonotonicClock.nanoseconds()) }
            switch action {
            case .use(let connection):
                if !connection.isBroken { return connection }
                lost(connection)
            case .fail(let error):
                throw error
            case .dial(let order):
                if let connection = try dial(order, purpose: .foreground) { return connection }
            }
        }
    }

    /// The live connection to a node, if there is one.
    func connection(toNode nodeId: UUID) -> NodeConnection? {
        guard let found = mutex.withLock({ machine.connectionInPlace(toNode: nodeId) }), !found.isBroken else { return nil }
        return found
    }

    /// Node ids with a live connection.
    var connectedNodes: [UUID] {
        mutex.withLock { machine.connectedNodes }
    }

    /// All open connections.
    var openConnections: [NodeConnection] {
        mutex.withLock { machine.openConnections }.filter { !$0.isBroken }
    }

    /// Forgets a broken connection (its endpoint is redialled after its back-off).
    func lost(_ connection: NodeConnection) {
        mutex.withLock { machine.connectionLost(connection, now: MonotonicClock.nanoseconds()) }
    }

    /// Schedules a background dial of endpoints without a connection; requests made while one is pending coalesce.
    /// - Parameter force: Ignore the endpoints' back-off (the topology changed).
    func scheduleConnectMissing(force: Bool = false) {
        guard mutex.withLock({ machine.requestBackgroundDial(force: force) }) else { return }
        dialer.async { [self] in
            let order = mutex.withLock { machine.backgroundDialStarts(now: MonotonicClock.nanoseconds()) }
            _ = try? dial(order, purpose: .background)
        }
    }

    /// A response header carried a topology version: on a change, probe every open connection (a node that left
    /// may have closed a connection nobody used since) off the reading thread, then dial missing endpoints.
    func observe(_ version: AffinityTopologyVersion, probeTimeout: Duration) {
        guard case .probeAndDial(let connections) = mutex.withLock({ machine.observe(topologyVersion: version) }) else { return }
        DispatchQueue.global().async { [self] in
            for connection in connections where !connection.isBroken {
                switch TopologyProbe.probe(for: connection.context) {
                case .heartbeat: _ = try? connection.roundTrip(HeartbeatRequest(), timeout: probeTimeout)
                case .cacheNames: _ = try? connection.roundTrip(CacheGetNamesRequest(), timeout: probeTimeout)
                }
            }
            refreshDiscovery()
            let order = mutex.withLock { machine.missingEndpoints(force: true, now: MonotonicClock.nanoseconds()) }
            _ = try? dial(order, purpose: .background)
        }
    }

    /// Closes every connection; later requests fail.
    func close() {
        let all = mutex.withLock { machine.close() }
        for connection in all {
            let wasOpen = !connection.isBroken
            connection.close()
            if wasOpen { emit(.connectionClosed(endpoint: connection.endpoint, nodeId: connection.nodeId)) }
        }
    }

    var isClosed: Bool { mutex.withLock { machine.isClosed } }

    // MARK: Routing

    /// The connection for a key operation: the key's primary node when known and connected, else `nil` (any).
    /// Fetches the cache's partition map first when the machine says so (single flight: concurrent callers wait
    /// for it, bounded by the machine's mapping wait).
    /// - Parameters:
    ///   - cacheId: The cache.
    ///   - key: The encoded key.
    ///   - schemas: Resolves compact-footer key schemas.
    ///   - fetchMap: Sends OP_CACHE_PARTITIONS; a failure leaves the key to any node.
    ///   - checkLive: Return `nil` for a connection already known to be broken (callers that check it themselves
    ///     later skip the extra lock).
    func connection(forCache cacheId: Int32, key: EncodedValue, schemas: (any BinarySchemaResolver)?, checkLive: Bool = true,
                    fetchMap: (CachePartitionsRequest) throws -> CachePartitionsResponse) -> NodeConnection? {
        guard enabled else { return nil }
        var mayWait = true
        while true {
            mutex.lock()
            let action = machine.route(cacheId: cacheId, encodedKey: key, schemas: schemas, mayWait: mayWait)
            switch action {
            case .connection(let connection):
                mutex.unlock()
                return checkLive && connection.isBroken ? nil : connection
            case .anyConnection:
                mutex.unlock()
                return nil
            case .waitForMap(let id, let ticket):
                // One condition for every waiter: the tickets the machine returns need no per-waiter wake-up here.
                let deadline = MonotonicClock.deadline(after: machine.configuration.mappingWait)
                while machine.isFetchingMap(cacheId: id), mapped.wait(mutex, until: deadline) {}
                machine.mapWaitEnded(ticket: ticket)
                mutex.unlock()
                mayWait = false
            case .fetchMap(let request):
                mutex.unlock()
                let response = try? fetchMap(request)
                mutex.withLock {
                    if let response {
                        machine.mapFetched(response, cacheId: cacheId)
                    } else {
                        machine.mapFetchFailed(cacheId: cacheId)
                    }
                    mapped.broadcast()
                }
            }
        }
    }

    /// The primary node of a key (compatibility entry point; see ``connection(forCache:key:schemas:fetchMap:)``).
    func node(forCache cacheId: Int32, key: EncodedValue, schemas: (any BinarySchemaResolver)?,
              fetchMap: (CachePartitionsRequest) throws -> CachePartitionsResponse) -> UUID? {
        // The caller looks the node up again (``connection(toNode:)``), which checks the connection is live.
        connection(forCache: cacheId, key: key, schemas: schemas, checkLive: false, fetchMap: fetchMap)?.nodeId
    }

    /// The primary node of one partition, if its map is known and the node connected.
    func node(forCache cacheId: Int32, partition: Int) -> UUID? {
        mutex.withLock { machine.primaryNode(cacheId: cacheId, partition: partition) }
    }

    /// Forgets a destroyed cache's map.
    func forget(cacheId: Int32) {
        mutex.withLock { machine.forgetCache(cacheId) }
    }

    // MARK: Heartbeats

    /// One heartbeat tick: the connections idle for a whole interval, per the schedule.
    func heartbeatsDue(_ schedule: inout HeartbeatSchedule<NodeConnection>) -> [NodeConnection] {
        let samples = openConnections.map {
            HeartbeatSchedule<NodeConnection>.Sample(connection: $0, requestsSent: $0.requestsSent, interval: $0.heartbeatInterval)
        }
        return schedule.tick(now: MonotonicClock.nanoseconds(), samples: samples)
    }
}
