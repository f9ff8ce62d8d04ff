import Foundation
import IgniteProtocol

/// The client's connections: at most one per endpoint, opened on demand, replaced when they break.
///
/// With partition awareness every configured endpoint is connected up front (and reconnected lazily); without
/// it one connection is used at a time and the next endpoint is tried when it fails, as pyignite does.
final class ConnectionPool: @unchecked Sendable {
    let endpoints: [IgniteEndpoint]
    private let settings: NodeConnection.Settings
    private let emit: @Sendable (ConnectionEvent) -> Void
    private let log: @Sendable (IgniteLogLevel, String) -> Void
    var observer = NodeConnection.Observer()
    /// Called after each new connection is registered (set before ``connect(all:)``).
    var opened: @Sendable (NodeConnection) -> Void = { _ in }

    private let mutex = PThreadMutex()
    // Guarded by `mutex`.
    @exclusivity(unchecked) private var live: [NodeConnection?]
    @exclusivity(unchecked) private var lastFailure: [UInt64]
    @exclusivity(unchecked) private var preferred = 0
    @exclusivity(unchecked) private var closed = false
    /// The live connections with a known node id, for routing. A short array: a linear scan comparing two words
    /// per entry beats hashing a UUID for any realistic cluster size.
    @exclusivity(unchecked) private var byNode: [(node: UUID, connection: NodeConnection)] = []
    @exclusivity(unchecked) private var dialScheduled = false
    @exclusivity(unchecked) private var dialForced = false

    /// One lock per endpoint serialises opening connections to it, so a dead node is dialled by one thread at a
    /// time while the other endpoints stay reachable.
    private let openMutexes: [PThreadMutex]

    /// Dials missing endpoints in the background, so an operation never waits for a node it does not need.
    private let dialer = DispatchQueue(label: "ignite-sync.dialer")

    /// How long a failed endpoint is skipped before it is dialled again (unless every endpoint failed).
    private let retryDelay: UInt64 = 1_000_000_000

    init(endpoints: [IgniteEndpoint], settings: NodeConnection.Settings,
         emit: @escaping @Sendable (ConnectionEvent) -> Void, log: @escaping @Sendable (IgniteLogLevel, String) -> Void) {
        self.endpoints = endpoints
        self.settings = settings
        self.emit = emit
        self.log = log
        live = Array(repeating: nil, count: endpoints.count)
        lastFailure = Array(repeating: 0, count: endpoints.count)
        openMutexes = endpoints.map { _ in PThreadMutex() }
    }

    /// Opens connections: to every endpoint (`all`), or to the first that answers.
    /// - Throws: ``IgniteError/Code/reconnect`` if no endpoint could be reached, or the authentication error
    ///   if the credentials were rejected.
    func connect(all: Bool) throws {
        var errors: [IgniteError] = []
        var any = false
        for index in endpoints.indices {
            do {
                _ = try open(index)
                any = true
                if !all { break }
            } catch let error as IgniteError {
                if error.code == .authentication { throw error }
                errors.append(error)
            }
        }
        guard any else { throw reconnectError(errors) }
    }

    private func reconnectError(_ errors: [IgniteError]) -> IgniteError {
        let detail = errors.map(\.description).joined(separator: "; ")
        return IgniteError(.reconnect, "could not connect to any of \(endpoints.map(\.description).joined(separator: ", "))"
                           + (detail.isEmpty ? "" : ": \(detail)"), underlying: errors.last)
    }

    /// Opens (or returns) the connection to endpoint `index`.
    private func open(_ index: Int) throws -> NodeConnection {
        let openMutex = openMutexes[index]
        openMutex.lock()
        defer { openMutex.unlock() }
        if let existing = mutex.withLock({ live[index] }), !existing.isBroken { return existing }
        if mutex.withLock({ closed }) { throw IgniteError(.illegalState, "the client is closed") }
        do {
            let connection = try NodeConnection.open(to: endpoints[index], settings: settings, observer: observer, events: emit)
            let stillOpen = mutex.withLock { () -> Bool in
                guard !closed else { return false }
                live[index] = connection
                lastFailure[index] = 0
                if let node = connection.nodeId {
                    byNode.removeAll { $0.node == node }
                    byNode.append((node, connection))
                }
                return true
            }
            guard stillOpen else {
                connection.close()
                throw IgniteError(.illegalState, "the client is closed")
            }
            opened(connection)
            log(.info, "connected to \(endpoints[index]) (node \(connection.nodeId?.uuidString ?? "unknown"), \(connection.context))")
            return connection
        } catch let error as IgniteError {
            mutex.withLock { lastFailure[index] = MonotonicClock.nanoseconds() }
            log(.warning, "connecting to \(endpoints[index]) failed: \(error)")
            throw error
        }
    }

    /// A live connection for an operation that can go anywhere: the preferred one, else the next endpoint that answers.
    /// - Throws: ``IgniteError/Code/reconnect`` when every endpoint is down.
    func anyConnection() throws -> NodeConnection {
        let snapshot = mutex.withLock { () -> (NodeConnection?, Int, Bool) in
            (live[preferred], preferred, closed)
        }
        if snapshot.2 { throw IgniteError(.illegalState, "the client is closed") }
        if let connection = snapshot.0, !connection.isBroken { return connection }
        return try reconnect(startingAt: snapshot.1)
    }

    /// The live connection to a node, if there is one.
    func connection(toNode nodeId: UUID) -> NodeConnection? {
        mutex.lock()
        var found: NodeConnection?
        for entry in byNode where entry.node == nodeId {
            found = entry.connection
            break
        }
        mutex.unlock()
        guard let found, !found.isBroken else { return nil }
        return found
    }

    /// Node ids with a live connection.
    var connectedNodes: [UUID] {
        mutex.withLock { byNode.filter { !$0.connection.isBroken }.map(\.node) }
    }

    /// A live connection, trying the endpoints in order from `start`: one already open if there is one (no dialling
    /// while any node answers), else dialling them, recently failed ones last.
    private func reconnect(startingAt start: Int) throws -> NodeConnection {
        let count = endpoints.count
        let (openIndex, openConnection) = mutex.withLock { () -> (Int?, NodeConnection?) in
            for step in 0..<count {
                let index = (start + step) % count
                if let connection = live[index], !connection.isBroken { return (index, connection) }
            }
            return (nil, nil)
        }
        if let openIndex, let openConnection {
            mutex.withLock { preferred = openIndex }
            return openConnection
        }
        var errors: [IgniteError] = []
        let now = MonotonicClock.nanoseconds()
        let failures = mutex.withLock { lastFailure }
        var order = (0..<count).map { (start + $0) % count }
        let fresh = order.filter { failures[$0] == 0 || now &- failures[$0] > retryDelay }
        if !fresh.isEmpty { order = fresh + order.filter { !fresh.contains($0) } }
        for index in order {
            do {
                let connection = try open(index)
                mutex.withLock { preferred = index }
                return connection
            } catch let error as IgniteError {
                if error.code == .authentication || error.code == .illegalState { throw error }
                errors.append(error)
            }
        }
        throw reconnectError(errors)
    }

    /// Opens connections to endpoints that have none (partition-aware mode), skipping recently failed ones
    /// unless `force` is set (the topology changed: a node may have come back).
    func connectMissing(force: Bool = false) {
        let now = MonotonicClock.nanoseconds()
        let missing = mutex.withLock { () -> [Int] in
            guard !closed else { return [] }
            return endpoints.indices.filter { i in
                (live[i] == nil || live[i]?.isBroken == true)
                    && (force || lastFailure[i] == 0 || now &- lastFailure[i] > retryDelay)
            }
        }
        for index in missing { _ = try? open(index) }
    }

    /// Schedules ``connectMissing(force:)`` on the background dialer; requests made while one is pending coalesce.
    func scheduleConnectMissing(force: Bool = false) {
        let schedule = mutex.withLock { () -> Bool in
            guard !closed else { return false }
            dialForced = dialForced || force
            if dialScheduled { return false }
            dialScheduled = true
            return true
        }
        guard schedule else { return }
        dialer.async { [self] in
            let force = mutex.withLock { () -> Bool in
                dialScheduled = false
                defer { dialForced = false }
                return dialForced
            }
            connectMissing(force: force)
        }
    }

    /// After a topology change: probes every open connection (a node that left may have closed its side of a
    /// connection nobody has used since), then dials the endpoints without a live connection.
    func refreshAfterTopologyChange(probeTimeout: Duration) {
        for connection in openConnections {
            if connection.context.has(.heartbeat) {
                _ = try? connection.roundTrip(HeartbeatRequest(), timeout: probeTimeout)
            } else {
                _ = try? connection.roundTrip(CacheGetNamesRequest(), timeout: probeTimeout)
            }
        }
        connectMissing(force: true)
    }

    /// Forgets a broken connection.
    func remove(_ connection: NodeConnection) {
        mutex.withLock {
            for i in live.indices where live[i] === connection {
                live[i] = nil
                lastFailure[i] = MonotonicClock.nanoseconds()
            }
            byNode.removeAll { $0.connection === connection }
        }
    }

    /// All open connections.
    var openConnections: [NodeConnection] {
        mutex.withLock { live.compactMap { $0 }.filter { !$0.isBroken } }
    }

    /// Closes every connection; later requests fail.
    func close() {
        let all = mutex.withLock { () -> [NodeConnection] in
            closed = true
            let all = live.compactMap { $0 }
            live = Array(repeating: nil, count: endpoints.count)
            byNode.removeAll()
            return all
        }
        for connection in all {
            let wasOpen = !connection.isBroken
            connection.close()
            if wasOpen { emit(.connectionClosed(endpoint: connection.endpoint, nodeId: connection.nodeId)) }
        }
    }

    var isClosed: Bool { mutex.withLock { closed } }
}
