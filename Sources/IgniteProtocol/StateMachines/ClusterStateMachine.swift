import Foundation

/// The client's view of the cluster as a sans-IO state machine: the configured endpoints and which to dial, the
/// live connections and the node id → connection index, the affinity topology version, and (in
/// `ClusterStateMachine+Routing.swift`) the partition maps with their single-flight fetches.
///
/// A plain value, generic over the driver's connection type, so the blocking driver (`IgniteSync`'s
/// `NodeConnection`) and the async driver share it. The driver holds it under its own lock (or inside its actor),
/// feeds it events and executes the actions it returns. There is no socket, thread, lock or clock inside: time
/// comes in as monotonic nanoseconds (`now`), and "wait until" answers go out as deadlines.
///
/// Endpoint life: `idle` → `dialing` → `connected(connection)` → (lost) `failed(at, failures)` → `dialing` ...
///
/// Rules:
/// * Startup dials every endpoint in order when ``Configuration/connectAll`` (partition awareness), else stops at the
///   first that answers. Rejected credentials (``IgniteError/Code/authentication``) end startup at once.
/// * An operation that can go anywhere uses the preferred connection, else any live one (no dialling while any node
///   answers), else dials the endpoints in order from the preferred one, skipping those that failed recently (their
///   ``Configuration/redialBackoff`` delay has not passed) unless every endpoint failed recently.
/// * Background dials (after a retried failure, or after a topology change) go to endpoints without a live
///   connection whose back-off delay passed and whose ``Configuration/throttle`` allows an attempt; a topology change
///   forces them (a node may have come back). Requests for background dials coalesce into one job.
/// * A newer affinity topology version (after a known one) makes partition maps stale and asks the driver to probe
///   every open connection (a node that left may have closed a connection nobody used since) and then dial.
package struct ClusterStateMachine<Connection: AnyObject & Sendable>: @unchecked Sendable {
    // @unchecked: `Connection` references are only stored and compared by identity, never used here.

    /// The cluster policy's settings.
    package struct Configuration: Sendable {
        /// The configured endpoints, in order (duplicates are kept apart: each has its own connection).
        package var endpoints: [IgniteEndpoint]
        /// Dial every endpoint at startup and keep a connection to each (partition awareness), rather than one
        /// connection at a time.
        package var connectAll: Bool
        /// Whether key operations are routed to their primary node.
        package var partitionAwareness: Bool
        /// How long an endpoint whose dial failed (or whose connection was lost) is skipped: attempt `n` of a run of
        /// consecutive failures waits `redialBackoff.delay(attempt: n - 1)` (jitter comes from ``randomUnit``).
        package var redialBackoff: Backoff
        /// Limits background dials per endpoint (foreground dials, made because no connection is left, are not
        /// throttled: the operation would fail otherwise).
        package var throttle: ReconnectThrottle
        /// How long an operation waits for a partition map another caller is fetching before it sends its key to
        /// any node.
        package var mappingWait: Duration
        /// OP_CACHE_PARTITIONS requests per cache and topology version.
        package var maximumMappingAttempts: Int
        /// Cluster discovery (see `ClusterStateMachine+Discovery.swift`); it runs only with ``partitionAwareness``.
        package var discovery: IgniteClusterDiscovery = .disabled

        /// Creates a configuration.
        /// - Parameters:
        ///   - endpoints: The endpoints.
        ///   - partitionAwareness: Route keys to their primary node and connect to every endpoint.
        ///   - redialBackoff: The delay before a failed endpoint is dialled again in the background (default: 1 s,
        ///     doubling per consecutive failure up to 8 s, no jitter).
        ///   - throttle: Background dial throttle (default: none).
        ///   - mappingWait: The longest wait for another caller's partition-map fetch (default 5 s).
        ///   - maximumMappingAttempts: Map requests per cache and topology version (default 3).
        package init(endpoints: [IgniteEndpoint], partitionAwareness: Bool,
                     redialBackoff: Backoff = Backoff(initial: .seconds(1), multiplier: 2, maximum: .seconds(8), jitter: 0),
                     throttle: ReconnectThrottle = .disabled, mappingWait: Duration = .seconds(5),
                     maximumMappingAttempts: Int = 3) {
            self.endpoints = endpoints
            self.connectAll = partitionAwareness
            self.partitionAwareness = partitionAwareness
            self.redialBackoff = redialBackoff
            self.throttle = throttle
            self.mappingWait = mappingWait
            self.maximumMappingAttempts = maximumMappingAttempts
        }
    }

    /// What is known about one endpoint.
    package enum EndpointStatus: Sendable {
        /// Never dialled.
        case idle
        /// A dial is under way.
        case dialing
        /// A connection is open.
        case connected(Connection)
        /// The last dial failed or the connection was lost, at `at`; `failures` in a row.
        case failed(at: UInt64, failures: Int)
    }

    /// One configured endpoint and what is known about it.
    struct Endpoint {
        var endpoint: IgniteEndpoint
        var status: EndpointStatus = .idle
        /// Background dial attempts inside the throttle window (monotonic nanoseconds), oldest first.
        var attempts: [UInt64] = []
        /// Consecutive failures, kept across a dial so that the back-off keeps growing.
        var failures = 0
        /// For an endpoint learnt by discovery: the node it belongs to (a dial reaching another node is rejected).
        var discoveredNode: UUID?
        /// For a discovered endpoint: the node's other addresses, tried in turn after a failed dial.
        var alternates: [IgniteEndpoint] = []
        /// A discovered endpoint whose node left the topology: never dialled again unless the node comes back.
        var retired = false
    }

    /// Why a dial is made: decides what follows its outcome.
    package enum DialPurpose: Sendable {
        /// Opening the client.
        case startup
        /// An operation needs a connection and none is live.
        case foreground
        /// Filling in missing connections off the operation path.
        case background
    }

    /// What the driver does after a dial's outcome.
    package enum DialFollowUp: Sendable {
        /// Dial the next endpoint of the list.
        case next
        /// Stop dialling: the purpose is served.
        case stop
        /// Stop and fail with this error (rejected credentials; a closed client).
        case fail(IgniteError)
    }

    /// What ``dialSucceeded(_:connection:nodeId:purpose:now:)`` asks of the driver.
    package enum RegisterAction: Sendable {
        /// The connection is registered; continue as the follow-up says.
        case registered(DialFollowUp)
        /// The connection reached another node than the discovered endpoint belongs to: close it and go on as after
        /// a failed dial (the error says why).
        case rejected(IgniteError, DialFollowUp)
        /// The client was closed meanwhile: close the new connection and fail.
        case closeConnection(IgniteError)
    }

    /// What an operation that can go anywhere does.
    package enum AnyConnectionAction: Sendable {
        /// Use this live connection (the driver checks it is not broken; if it is, it reports the loss and asks again).
        case use(Connection)
        /// No connection is live: dial these endpoint indices in order (``DialPurpose/foreground``).
        case dial([Int])
        /// The client is closed.
        case fail(IgniteError)
    }

    /// What the driver does after a topology version was observed.
    package enum TopologyAction: Sendable {
        /// Nothing changed (or the first version was seen).
        case none
        /// The topology changed: probe these connections (``TopologyProbe``), then dial missing endpoints with
        /// ``missingEndpoints(force:now:)`` forced.
        case probeAndDial([Connection])
    }

    /// The policy's settings.
    package let configuration: Configuration
    // The fields read by the inlinable hot paths (``anyConnection(now:)``, ``connection(toNode:)``) are
    // `@usableFromInline`, and of concrete types: those paths cost the same whether the driver's call is specialised
    // or not.
    var entries: [Endpoint] { didSet { refreshLiveConnections() } }
    /// `entries[i]`'s connection while it is connected, else `nil`; kept by `entries`' observer (entries change on
    /// dials and losses, never per operation). An array of a concrete type, so that ``anyConnection(now:)`` finds the
    /// preferred connection without the generic metadata lookups that indexing `entries` needs in unspecialised code.
    @usableFromInline var liveConnections: [AnyObject?] = []
    @usableFromInline var preferred = 0
    /// Whether the client was closed.
    package private(set) var isClosed = false
    /// Live connections with a known node id, for routing: `nodeIds[i]`'s connection is `nodeConnections[i]`. Short
    /// arrays: comparing two words per entry beats hashing a UUID for any realistic cluster size. Two arrays of
    /// concrete element types rather than one of `(UUID, Connection)` tuples, so that a lookup made from unspecialised
    /// generic code (``route(cacheId:encodedKey:schemas:mayWait:)``) needs no tuple or array type metadata.
    @usableFromInline var nodeIds: [UUID] = []
    /// The connections of ``nodeIds``, each a `Connection`.
    @usableFromInline var nodeConnections: [AnyObject] = []
    private var backgroundScheduled = false
    private var backgroundForced = false
    /// Partition maps and topology version (see `ClusterStateMachine+Routing.swift`).
    var partitions: PartitionAwarenessState
    var snapshots: [RoutingSnapshot] = []
    var mapFetchesInFlight: Set<Int32> = []
    /// What discovery knows (see `ClusterStateMachine+Discovery.swift`).
    var discovery = DiscoveryState()
    /// Callers waiting for another caller's map fetch, by ticket.
    var mapWaiters: [(cacheId: Int32, ticket: UInt64)] = []
    var nextMapTicket: UInt64 = 0

    /// Creates the machine; nothing is dialled until the driver asks ``startupOrder()``.
    /// - Parameter configuration: The settings.
    package init(configuration: Configuration) {
        self.configuration = configuration
        entries = configuration.endpoints.map { Endpoint(endpoint: $0) }
        partitions = PartitionAwarenessState(maximumMappingAttempts: configuration.maximumMappingAttempts)
        refreshLiveConnections()
    }

    private mutating func refreshLiveConnections() {
        liveConnections = entries.map { entry -> AnyObject? in
            if case .connected(let connection) = entry.status { return connection }
            return nil
        }
    }

    /// The configured endpoints.
    package var endpoints: [IgniteEndpoint] { entries.map(\.endpoint) }

    /// The status of endpoint `index`.
    package func status(ofEndpoint index: Int) -> EndpointStatus { entries[index].status }

    // MARK: Dialling

    /// The endpoints to dial when the client opens, in order (dial them one by one, reporting each outcome).
    package func startupOrder() -> [Int] { Array(entries.indices) }

    /// Whether endpoint `index` should be dialled now, called with the driver's per-endpoint dial lock held.
    /// - Parameters:
    ///   - index: The endpoint.
    ///   - purpose: Why.
    ///   - now: Monotonic nanoseconds.
    /// - Returns: `.use(connection)` if one is already open (another caller dialled it), `.dial([index])` to dial
    ///   (the endpoint is marked dialling), `.fail` if the client is closed, or `.dial([])` for a throttled
    ///   background dial (skip it).
    package mutating func beginDial(_ index: Int, purpose: DialPurpose, now: UInt64) -> AnyConnectionAction {
        guard !isClosed else { return .fail(Self.closedError) }
        if case .connected(let connection) = entries[index].status { return .use(connection) }
        if purpose == .background {
            guard allowsThrottledAttempt(index, now: now) else { return .dial([]) }
            let period = Self.nanoseconds(configuration.throttle.period)
            entries[index].attempts.removeAll { now &- $0 >= period }
            entries[index].attempts.append(now)
        }
        entries[index].status = .dialing
        return .dial([index])
    }

    private func allowsThrottledAttempt(_ index: Int, now: UInt64) -> Bool {
        let throttle = configuration.throttle
        guard throttle.maximumAttempts > 0 else { return true }
        let period = Self.nanoseconds(throttle.period)
        return entries[index].attempts.filter { now &- $0 < period }.count < throttle.maximumAttempts
    }

    /// A dial succeeded: registers the connection under its endpoint and node id.
    /// - Parameters:
    ///   - index: The endpoint.
    ///   - connection: The new, handshaken connection.
    ///   - nodeId: The node id from its handshake, if the protocol carries one.
    ///   - purpose: Why it was dialled.
    ///   - now: Monotonic nanoseconds.
    /// - Returns: What to do next.
    package mutating func dialSucceeded(_ index: Int, connection: Connection, nodeId: UUID?, purpose: DialPurpose,
                                        now: UInt64) -> RegisterAction {
        guard !isClosed else { return .closeConnection(Self.closedError) }
        if let expected = entries[index].discoveredNode, let nodeId, nodeId != expected {
            let error = IgniteError(.reconnect, "\(entries[index].endpoint) answered as node \(nodeId), not the discovered node \(expected)")
            return .rejected(error, dialFailed(index, error: error, purpose: purpose, now: now))
        }
        if case .connected(let old) = entries[index].status, old !== connection { forgetConnection(old) }
        entries[index].status = .connected(connection)
        entries[index].failures = 0
        if let nodeId {
            if let index = nodeIds.firstIndex(of: nodeId) {
                nodeIds.remove(at: index)
                nodeConnections.remove(at: index)
            }
            nodeIds.append(nodeId)
            nodeConnections.append(connection)
            partitions.nodeJoined(nodeId)
            snapshots.removeAll()
        }
        switch purpose {
        case .startup: return .registered(configuration.connectAll ? .next : .stop)
        case .foreground:
            preferred = index
            return .registered(.stop)
        case .background: return .registered(.next)
        }
    }

    /// A dial failed.
    /// - Parameters:
    ///   - index: The endpoint.
    ///   - error: Why.
    ///   - purpose: Why it was dialled.
    ///   - now: Monotonic nanoseconds.
    /// - Returns: `.fail` for rejected credentials (startup and foreground) and a closed client, else `.next`.
    package mutating func dialFailed(_ index: Int, error: IgniteError, purpose: DialPurpose, now: UInt64) -> DialFollowUp {
        if case .dialing = entries[index].status {
            entries[index].failures += 1
            entries[index].status = .failed(at: now, failures: entries[index].failures)
            rotateAddress(index)
        }
        if isClosed { return .fail(Self.closedError) }
        if purpose != .background, error.code == .authentication || error.code == .illegalState { return .fail(error) }
        return .next
    }

    /// The error when every dial of a startup or foreground list failed (or, for startup, `nil` if any connection
    /// is open).
    /// - Parameters:
    ///   - errors: The dial failures, in order.
    ///   - purpose: Startup or foreground.
    /// - Returns: ``IgniteError/Code/reconnect`` naming every endpoint and failure, or `nil`.
    package func dialsExhausted(_ errors: [IgniteError], purpose: DialPurpose) -> IgniteError? {
        if purpose == .startup, !openConnections.isEmpty { return nil }
        let detail = errors.map(\.description).joined(separator: "; ")
        return IgniteError(.reconnect, "could not connect to any of \(entries.map(\.endpoint.description).joined(separator: ", "))"
                           + (detail.isEmpty ? "" : ": \(detail)"), underlying: errors.last)
    }

    // MARK: Operations

    /// A connection for an operation that can go anywhere: the preferred one, else any live one, else endpoints to
    /// dial (in order from the preferred one; those whose back-off has not passed last).
    /// - Parameter now: Monotonic nanoseconds.
    /// - Returns: The action.
    @inlinable
    package mutating func anyConnection(now: UInt64) -> AnyConnectionAction {
        if !isClosed, preferred >= 0, preferred < liveConnections.count, let connection = liveConnections[preferred] {
            return .use(unsafeDowncast(connection, to: Connection.self))
        }
        return anyConnectionSearching(now: now)
    }

    /// ``anyConnection(now:)`` when the preferred endpoint has no live connection.
    @usableFromInline
    mutating func anyConnectionSearching(now: UInt64) -> AnyConnectionAction {
        guard !isClosed else { return .fail(Self.closedError) }
        let count = entries.count
        for step in 0..<count {
            let index = (preferred + step) % count
            if case .connected(let connection) = entries[index].status {
                preferred = index
                return .use(connection)
            }
        }
        let order = (0..<count).map { (preferred + $0) % count }.filter { !entries[$0].retired }
        let fresh = order.filter { isDue($0, now: now) }
        return .dial(fresh + order.filter { !fresh.contains($0) })
    }

    /// The live connection to a node, if there is one.
    /// - Parameter nodeId: The node id.
    /// - Returns: The connection.
    @inlinable
    package func connection(toNode nodeId: UUID) -> Connection? {
        for index in nodeIds.indices where nodeIds[index] == nodeId {
            return unsafeDowncast(nodeConnections[index], to: Connection.self)
        }
        return nil
    }

    /// ``connection(toNode:)`` for a driver that keeps the machine in a class property: `mutating` only so that the
    /// call reads the stored machine in place (a non-mutating call on a class's stored struct copies the whole machine
    /// first, retaining every field, on every operation).
    @inlinable
    package mutating func connectionInPlace(toNode nodeId: UUID) -> Connection? { connection(toNode: nodeId) }

    /// Node ids with a live connection.
    package var connectedNodes: [UUID] { nodeIds }

    /// All live connections, in endpoint order.
    package var openConnections: [Connection] {
        entries.compactMap { if case .connected(let c) = $0.status { return c } else { return nil } }
    }

    /// A connection broke (or was closed): it is forgotten, and its endpoint is redialled after its back-off.
    /// - Parameters:
    ///   - connection: The connection.
    ///   - now: Monotonic nanoseconds.
    package mutating func connectionLost(_ connection: Connection, now: UInt64) {
        for index in entries.indices {
            if case .connected(let c) = entries[index].status, c === connection {
                entries[index].failures = 1
                entries[index].status = .failed(at: now, failures: 1)
            }
        }
        forgetConnection(connection)
    }

    private mutating func forgetConnection(_ connection: Connection) {
        if let index = nodeConnections.firstIndex(where: { $0 === connection }) {
            partitions.nodeLeft(nodeIds[index])
            nodeIds.remove(at: index)
            nodeConnections.remove(at: index)
            snapshots.removeAll()
        }
    }

    /// Whether endpoint `index`'s back-off delay has passed (or it never failed).
    private func isDue(_ index: Int, now: UInt64) -> Bool {
        guard case .failed(let at, let failures) = entries[index].status else { return true }
        let delay = configuration.redialBackoff.delay(attempt: max(0, failures - 1), unitRandom: 0)
        return now &- at >= Self.nanoseconds(delay)
    }

    // MARK: Background dials

    /// Asks for a background dial job.
    /// - Parameter force: Dial even endpoints whose back-off has not passed (the topology changed).
    /// - Returns: `true` if the driver must schedule a job (none is pending); requests coalesce until it starts.
    package mutating func requestBackgroundDial(force: Bool) -> Bool {
        guard !isClosed else { return false }
        backgroundForced = backgroundForced || force
        if backgroundScheduled { return false }
        backgroundScheduled = true
        return true
    }

    /// The scheduled background job starts: the endpoints to dial (``DialPurpose/background``).
    /// - Parameter now: Monotonic nanoseconds.
    /// - Returns: Endpoint indices.
    package mutating func backgroundDialStarts(now: UInt64) -> [Int] {
        let force = backgroundForced
        backgroundScheduled = false
        backgroundForced = false
        return missingEndpoints(force: force, now: now)
    }

    /// Endpoints without a live connection (or dial under way) whose back-off passed, or all of them if `force`.
    /// Empty without ``Configuration/connectAll``: then one connection at a time is kept.
    /// - Parameters:
    ///   - force: Ignore the back-off.
    ///   - now: Monotonic nanoseconds.
    /// - Returns: Endpoint indices.
    package func missingEndpoints(force: Bool, now: UInt64) -> [Int] {
        guard !isClosed, configuration.connectAll else { return [] }
        return entries.indices.filter { index in
            if entries[index].retired { return false }
            switch entries[index].status {
            case .connected, .dialing: return false
            case .idle: return true
            case .failed: return force || isDue(index, now: now)
            }
        }
    }

    // MARK: Topology

    /// Records the affinity topology version of a response header.
    /// - Parameter version: The version.
    /// - Returns: `.probeAndDial` when it is newer than a version seen before and partition awareness is on.
    package mutating func observe(topologyVersion version: AffinityTopologyVersion) -> TopologyAction {
        let known = partitions.topologyVersion != nil
        guard partitions.observe(topologyVersion: version) else { return .none }
        snapshots.removeAll()
        guard known, configuration.partitionAwareness else { return .none }
        return .probeAndDial(openConnections)
    }

    /// The newest affinity topology version seen.
    package var topologyVersion: AffinityTopologyVersion? { partitions.topologyVersion }

    // MARK: Closing

    /// Closes the client: later operations fail.
    /// - Returns: The connections to close.
    package mutating func close() -> [Connection] {
        let all = openConnections
        isClosed = true
        for index in entries.indices { entries[index].status = .idle }
        nodeIds.removeAll()
        nodeConnections.removeAll()
        snapshots.removeAll()
        mapWaiters.removeAll()
        return all
    }

    /// The error of any operation on a closed client.
    static var closedError: IgniteError { IgniteError(.illegalState, "the client is closed") }

    /// A duration in nanoseconds, for comparisons with `now`: the one rounding rule
    /// (``Swift/Duration/roundedUp(to:)``: up to the unit, negative 0, saturating).
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        UInt64(duration.roundedUp(to: .nanoseconds))
    }
}

/// How the driver checks that an open connection still answers after a topology change.
package enum TopologyProbe: Sendable, Equatable {
    /// OP_HEARTBEAT (the server negotiated the HEARTBEAT feature).
    case heartbeat
    /// OP_CACHE_GET_NAMES (a cheap request every version has).
    case cacheNames

    /// The probe for a connection.
    /// - Parameter context: The connection's negotiated protocol.
    /// - Returns: The request kind to send.
    package static func probe(for context: ProtocolContext) -> TopologyProbe {
        context.has(.heartbeat) ? .heartbeat : .cacheNames
    }
}
