import Foundation
import IgniteProtocol

/// The async driver of the shared ``ClusterStateMachine``: it holds the machine under a short lock and executes its
/// actions (dials connections, waits for a partition map another task fetches, runs background dials and topology
/// probes in tasks of their own).
///
/// Every policy (which endpoint, when to redial, where a key goes, when a map is fetched) is the machine's, the same
/// one the blocking product executes; this class owns only how the async product waits: tasks suspend on
/// continuations, never on a thread.
final class ClusterDriver: @unchecked Sendable {
    typealias Machine = ClusterStateMachine<AsyncConnection>

    /// The endpoints: configured ones first, then those discovery added.
    var endpoints: [IgniteEndpoint] { lock.withLock { machine.endpoints } }
    private let settings: AsyncConnection.Settings
    /// The event loop every connection of the client is read by.
    let loop: EventLoop
    private let emit: @Sendable (ConnectionEvent) -> Void
    private let log: @Sendable (IgniteLogLevel, String) -> Void
    /// Set before ``connect()``.
    var observer = AsyncConnection.Observer()

    private let lock = AsyncLock()
    // Guarded by `lock` (so Swift's dynamic exclusivity checks, which cost more than the lookups they guard, are off).
    @exclusivity(unchecked) private var machine: Machine
    /// Tasks waiting for another task's partition-map fetch, by the machine's ticket.
    @exclusivity(unchecked) private var mapWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]

    /// One lock per endpoint serialises dialling it, so a dead node is dialled by one task at a time while the other
    /// endpoints stay reachable.
    /// Grows with discovered endpoints; guarded by `lock`.
    @exclusivity(unchecked) private var dialLocks: [AsyncMutex]

    /// Whether key operations are routed to their primary node.
    let enabled: Bool

    init(configuration: Machine.Configuration, settings: AsyncConnection.Settings, loop: EventLoop,
         emit: @escaping @Sendable (ConnectionEvent) -> Void, log: @escaping @Sendable (IgniteLogLevel, String) -> Void) {
        enabled = configuration.partitionAwareness
        self.settings = settings
        self.loop = loop
        self.emit = emit
        self.log = log
        machine = Machine(configuration: configuration)
        dialLocks = configuration.endpoints.map { _ in AsyncMutex() }
    }

    // MARK: Dialling

    /// Opens the client's first connections (every endpoint, or the first that answers, as the machine says).
    /// - Throws: ``IgniteError/Code/reconnect`` if no endpoint could be reached, or the authentication error.
    func connect() async throws {
        try await dial(lock.withLock { machine.startupOrder() }, purpose: .startup)
        await refreshDiscovery()
    }

    /// The dial lock of entry `index` (created for a discovered endpoint on first use).
    private func dialLock(_ index: Int) -> AsyncMutex {
        lock.withLock {
            while dialLocks.count <= index { dialLocks.append(AsyncMutex()) }
            return dialLocks[index]
        }
    }

    /// Asks a node for the cluster's endpoints when the machine says a list is due, and dials the nodes it adds
    /// (`ClusterStateMachine+Discovery.swift`). Failures are logged: discovery never fails an operation.
    func refreshDiscovery() async {
        guard let connection = openConnections.first else { return }
        guard let request = lock.withLock({ machine.discoveryRequest(context: connection.context) }) else { return }
        do {
            let changes = try await connection.roundTrip(request, timeout: settings.handshakeTimeout)
            let order = lock.withLock { machine.endpointsDiscovered(changes, now: LoopClock.now()) }
            log(.debug, "discovery: topology \(changes.topologyVersion), \(changes.added.count) node(s) added, \(changes.removed.count) removed")
            _ = try? await dial(order, purpose: .background)
        } catch {
            lock.withLock { machine.discoveryFailed() }
            log(.warning, "discovery: the endpoint request failed: \(error)")
        }
    }

    /// Dials `order` one by one until the machine says stop; returns the connection that stopped it, if any.
    @discardableResult
    private func dial(_ order: [Int], purpose: Machine.DialPurpose) async throws -> AsyncConnection? {
        var errors: [IgniteError] = []
        for index in order {
            let dialLock = dialLock(index)
            await dialLock.lock()
            let begin = lock.withLock { machine.beginDial(index, purpose: purpose, now: LoopClock.now()) }
            switch begin {
            case .fail(let error):
                dialLock.unlock()
                throw error
            case .use(let existing):
                dialLock.unlock()
                if existing.isBroken {
                    lost(existing)
                    continue
                }
                if purpose == .foreground { return existing }
                continue
            case .dial(let indices):
                if indices.isEmpty {  // throttled
                    dialLock.unlock()
                    continue
                }
            }
            let follow: Machine.DialFollowUp
            var opened: AsyncConnection?
            let endpoint = lock.withLock { machine.endpoint(at: index) }
            do {
                let emit = self.emit
                let connection = try await AsyncConnection.open(to: endpoint, settings: settings, loop: loop, observer: observer) { event in
                    if case .handshakeStarted(let version) = event { emit(.handshakeStarted(endpoint: endpoint, protocolVersion: version)) }
                }
                let action = lock.withLock {
                    machine.dialSucceeded(index, connection: connection, nodeId: connection.nodeId, purpose: purpose, now: LoopClock.now())
                }
                switch action {
                case .closeConnection(let error):
                    dialLock.unlock()
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
                    emit(.handshakeSucceeded(endpoint: endpoint, nodeId: connection.nodeId, protocolVersion: connection.context.version))
                    log(.info, "connected to \(endpoint) (node \(connection.nodeId?.uuidString ?? "unknown"), \(connection.context))")
                }
            } catch {
                let failure = (error as? IgniteError) ?? IgniteError(.socket, "connecting to \(endpoint) failed", underlying: error)
                follow = lock.withLock { machine.dialFailed(index, error: failure, purpose: purpose, now: LoopClock.now()) }
                if failure.code == .authentication {
                    emit(.authenticationFailed(endpoint: endpoint, error: failure))
                } else if failure.code != .illegalState {
                    emit(.handshakeFailed(endpoint: endpoint, error: failure))
                }
                log(.warning, "connecting to \(endpoint) failed: \(failure)")
                errors.append(failure)
                if failure.code == .cancelled {
                    dialLock.unlock()
                    throw failure
                }
            }
            dialLock.unlock()
            switch follow {
            case .next: continue
            case .stop: return opened
            case .fail(let error): throw error
            }
        }
        if purpose == .background { return nil }
        if let error = lock.withLock({ machine.dialsExhausted(errors, purpose: purpose) }) { throw error }
        return nil
    }

    // MARK: Connections

    /// A live connection for an operation that can go anywhere.
    /// - Throws: ``IgniteError/Code/reconnect`` when every endpoint is down; ``IgniteError/Code/illegalState`` when closed.
    func anyConnection() async throws -> AsyncConnection {
        while true {
            let action = lock.withLock { machine.anyConnection(now: LoopClock.now()) }
            switch action {
            case .use(let connection):
                if !connection.isBroken { return connection }
                lost(connection)
            case .fail(let error):
                throw error
            case .dial(let order):
                if let connection = try await dial(order, purpose: .foreground) { return connection }
            }
        }
    }

    /// The preferred live connection when one is at hand (no dial needed), else `nil` (then ``anyConnection()``
    /// dials): the request path's way to a connection without an extra async frame.
    func liveConnection() -> AsyncConnection? {
        guard case .use(let connection) = lock.withLock({ machine.anyConnection(now: LoopClock.now()) }),
              !connection.isBroken else { return nil }
        return connection
    }

    /// The live connection to a node, if there is one.
    func connection(toNode nodeId: UUID) -> AsyncConnection? {
        guard let found = lock.withLock({ machine.connectionInPlace(toNode: nodeId) }), !found.isBroken else { return nil }
        return found
    }

    /// Node ids with a live connection.
    var connectedNodes: [UUID] { lock.withLock { machine.connectedNodes } }

    /// All open connections.
    var openConnections: [AsyncConnection] { lock.withLock { machine.openConnections }.filter { !$0.isBroken } }

    /// Forgets a broken connection (its endpoint is redialled after its back-off).
    func lost(_ connection: AsyncConnection) {
        lock.withLock { machine.connectionLost(connection, now: LoopClock.now()) }
    }

    /// Schedules a background dial of endpoints without a connection; requests made while one is pending coalesce.
    /// Never inlined: the task it creates takes a `TaskPriority?` (a resilient standard-library type), which would
    /// cost an inlining caller (the request path's retry loop) task-memory allocations on every call.
    /// - Parameter force: Ignore the endpoints' back-off (the topology changed).
    @inline(never)
    func scheduleConnectMissing(force: Bool = false) {
        guard lock.withLock({ machine.requestBackgroundDial(force: force) }) else { return }
        Task { [self] in
            let order = lock.withLock { machine.backgroundDialStarts(now: LoopClock.now()) }
            _ = try? await dial(order, purpose: .background)
        }
    }

    /// A response header carried a topology version: on a change, probe every open connection (a node that left may
    /// have closed a connection nobody used since) in a task of its own, then dial missing endpoints.
    func observe(_ version: AffinityTopologyVersion, probeTimeout: Duration) {
        guard case .probeAndDial(let connections) = lock.withLock({ machine.observe(topologyVersion: version) }) else { return }
        Task { [self] in
            for connection in connections where !connection.isBroken {
                switch TopologyProbe.probe(for: connection.context) {
                case .heartbeat: _ = try? await connection.roundTrip(HeartbeatRequest(), timeout: probeTimeout)
                case .cacheNames: _ = try? await connection.roundTrip(CacheGetNamesRequest(), timeout: probeTimeout)
                }
            }
            await refreshDiscovery()
            let order = lock.withLock { machine.missingEndpoints(force: true, now: LoopClock.now()) }
            _ = try? await dial(order, purpose: .background)
        }
    }

    /// Closes every connection; later requests fail.
    func close() {
        let (all, waiters) = lock.withLock { () -> ([AsyncConnection], [CheckedContinuation<Void, Never>]) in
            let waiters = Array(mapWaiters.values)
            mapWaiters.removeAll()
            return (machine.close(), waiters)
        }
        for waiter in waiters { waiter.resume() }
        for connection in all {
            let wasOpen = !connection.isBroken
            connection.close()
            if wasOpen { emit(.connectionClosed(endpoint: connection.endpoint, nodeId: connection.nodeId)) }
        }
    }

    var isClosed: Bool { lock.withLock { machine.isClosed } }

    // MARK: Routing

    /// The connection for a key operation: the key's primary node when known and connected, else `nil` (any).
    /// Fetches the cache's partition map first when the machine says so (single flight: concurrent tasks wait for it,
    /// suspended, at most the machine's mapping wait).
    /// - Parameters:
    ///   - cacheId: The cache.
    ///   - key: The encoded key.
    ///   - schemas: Resolves compact-footer key schemas (no I/O).
    ///   - fetchMap: Sends OP_CACHE_PARTITIONS; a failure leaves the key to any node.
    func connection(forCache cacheId: Int32, key: EncodedValue, schemas: (any BinarySchemaResolver)?,
                    fetchMap: (CachePartitionsRequest) async throws -> CachePartitionsResponse) async -> AsyncConnection? {
        guard enabled else { return nil }
        switch routeNow(cacheId: cacheId, key: key, schemas: schemas) {
        case .routed(let connection): return connection
        case .pending(let action): return await finishRouting(action, cacheId: cacheId, key: key, schemas: schemas, fetchMap: fetchMap)
        }
    }

    /// What routing a key decided without waiting.
    enum KeyRoute {
        /// The key's owner's connection (not checked to be live), or `nil`: any connection.
        case routed(AsyncConnection?)
        /// A partition map must be fetched or waited for first: pass the action to ``finishRouting``.
        case pending(Machine.RouteAction)
    }

    /// The first, synchronous step of routing a key: most keys are routed here, with no suspension (the request path
    /// stays free of an extra async frame); a key whose cache's map is missing needs ``finishRouting``.
    func routeNow(cacheId: Int32, key: EncodedValue, schemas: (any BinarySchemaResolver)?) -> KeyRoute {
        guard enabled else { return .routed(nil) }
        let action = lock.withLock { machine.route(cacheId: cacheId, encodedKey: key, schemas: schemas, mayWait: true) }
        switch action {
        case .connection(let connection): return .routed(connection)
        case .anyConnection: return .routed(nil)
        case .fetchMap, .waitForMap: return .pending(action)
        }
    }

    /// Executes a routing action that needs a map (fetch it, or wait for another task's fetch) and routes again.
    /// Never inlined: its waiters' continuations (a resilient standard-library type) would cost every inlining caller
    /// task-memory allocations on each call, map or not.
    @inline(never)
    func finishRouting(_ first: Machine.RouteAction, cacheId: Int32, key: EncodedValue, schemas: (any BinarySchemaResolver)?,
                       fetchMap: (CachePartitionsRequest) async throws -> CachePartitionsResponse) async -> AsyncConnection? {
        var mayWait = true
        var next: Machine.RouteAction? = first
        while true {
            let action: Machine.RouteAction
            if let pending = next {
                action = pending
                next = nil
            } else {
                action = lock.withLock { machine.route(cacheId: cacheId, encodedKey: key, schemas: schemas, mayWait: mayWait) }
            }
            switch action {
            case .connection(let connection):
                return connection.isBroken ? nil : connection
            case .anyConnection:
                return nil
            case .waitForMap(_, let ticket):
                await waitForMap(ticket)
                mayWait = false
            case .fetchMap(let request):
                let response = try? await fetchMap(request)
                let waiters = lock.withLock { () -> [CheckedContinuation<Void, Never>] in
                    let tickets = response.map { machine.mapFetched($0, cacheId: cacheId).resume }
                        ?? machine.mapFetchFailed(cacheId: cacheId)
                    return tickets.compactMap { mapWaiters.removeValue(forKey: $0) }
                }
                for waiter in waiters { waiter.resume() }
            }
        }
    }

    /// Suspends until the fetch the machine's `ticket` waits for reports, the machine's mapping wait passes, or the
    /// task is cancelled (the key then goes to any node, and the request itself fails as cancelled).
    private func waitForMap(_ ticket: UInt64) async {
        await withTaskCancellationHandler {
            await suspendForMap(ticket)
        } onCancel: {
            endMapWait(ticket)
        }
    }

    /// Resumes a map waiter early, if it is still waiting.
    private func endMapWait(_ ticket: UInt64) {
        let waiter = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            guard machine.mapWaitEnded(ticket: ticket) else { return nil }
            return mapWaiters.removeValue(forKey: ticket)
        }
        waiter?.resume()
    }

    private func suspendForMap(_ ticket: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            guard !machine.isClosed, !Task.isCancelled else {
                _ = machine.mapWaitEnded(ticket: ticket)
                lock.unlock()
                continuation.resume()
                return
            }
            mapWaiters[ticket] = continuation
            let deadline = LoopClock.deadline(after: machine.configuration.mappingWait)
            lock.unlock()
            loop.execute { [self] in
                loop.scheduleTimer(at: deadline) { [self] in endMapWait(ticket) }
            }
        }
    }

    /// The primary node of one partition, if its map is known and the node connected.
    func node(forCache cacheId: Int32, partition: Int) -> UUID? {
        lock.withLock { machine.primaryNode(cacheId: cacheId, partition: partition) }
    }

    /// Forgets a destroyed cache's map.
    func forget(cacheId: Int32) {
        lock.withLock { machine.forgetCache(cacheId) }
    }
}
