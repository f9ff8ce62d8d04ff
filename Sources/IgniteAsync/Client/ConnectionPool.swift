import Foundation
import IgniteProtocol

// PROVISIONAL CLIENT POLICY. Endpoint order, the retry delay of failed endpoints, connect-all versus
// connect-first and the node → connection index are decided here until the shared engine's cluster machine
// (IgniteProtocol) is available; this file is then replaced by a driver that executes that machine's actions.

/// The async client's connections: at most one per endpoint, opened on demand (one open at a time per
/// endpoint, shared by every task asking for it), replaced when they break.
final class ConnectionPool: @unchecked Sendable {
    let endpoints: [IgniteEndpoint]
    private let settings: AsyncConnection.Settings
    private let loop: EventLoop
    private let emit: @Sendable (ConnectionEvent) -> Void
    private let log: @Sendable (IgniteLogLevel, String) -> Void
    /// Set before ``connect(all:)``.
    var observer = AsyncConnection.Observer()
    /// Called after each new connection is registered.
    var opened: @Sendable (AsyncConnection) -> Void = { _ in }

    private let lock = AsyncLock()
    // Guarded by `lock`.
    private var live: [AsyncConnection?]
    private var opening: [Task<AsyncConnection, any Error>?]
    private var lastFailure: [UInt64]
    private var preferred = 0
    private var closed = false
    private var byNode: [(node: UUID, connection: AsyncConnection)] = []
    private var dialScheduled = false

    /// How long a failed endpoint is skipped before it is dialled again (unless every endpoint failed).
    private let retryDelay: UInt64 = 1_000_000_000

    init(endpoints: [IgniteEndpoint], settings: AsyncConnection.Settings, loop: EventLoop,
         emit: @escaping @Sendable (ConnectionEvent) -> Void, log: @escaping @Sendable (IgniteLogLevel, String) -> Void) {
        self.endpoints = endpoints
        self.settings = settings
        self.loop = loop
        self.emit = emit
        self.log = log
        live = Array(repeating: nil, count: endpoints.count)
        opening = Array(repeating: nil, count: endpoints.count)
        lastFailure = Array(repeating: 0, count: endpoints.count)
    }

    /// Opens connections: to every endpoint at once (`all`), or to the first that answers, in order.
    /// - Throws: ``IgniteError/Code/reconnect`` if no endpoint could be reached, or the authentication error.
    func connect(all: Bool) async throws {
        var errors: [IgniteError] = []
        if all {
            let results = await withTaskGroup(of: IgniteError?.self) { group in
                for index in endpoints.indices {
                    group.addTask { [self] in
                        do {
                            _ = try await open(index)
                            return nil
                        } catch let error as IgniteError {
                            return error
                        } catch {
                            return IgniteError(.socket, "connecting failed", underlying: error)
                        }
                    }
                }
                var results: [IgniteError?] = []
                for await result in group { results.append(result) }
                return results
            }
            errors = results.compactMap { $0 }
            if let auth = errors.first(where: { $0.code == .authentication }) { throw auth }
            if errors.count < endpoints.count { return }
        } else {
            for index in endpoints.indices {
                do {
                    _ = try await open(index)
                    return
                } catch let error as IgniteError {
                    if error.code == .authentication || error.code == .cancelled { throw error }
                    errors.append(error)
                }
            }
        }
        throw reconnectError(errors)
    }

    private func reconnectError(_ errors: [IgniteError]) -> IgniteError {
        let detail = errors.map(\.description).joined(separator: "; ")
        return IgniteError(.reconnect, "could not connect to any of \(endpoints.map(\.description).joined(separator: ", "))"
                           + (detail.isEmpty ? "" : ": \(detail)"), underlying: errors.last)
    }

    /// Opens (or returns) the connection to endpoint `index`; concurrent callers share one attempt.
    private func open(_ index: Int) async throws -> AsyncConnection {
        let task: Task<AsyncConnection, any Error> = try lock.withLock {
            if closed { throw IgniteError(.illegalState, "the client is closed") }
            if let existing = live[index], !existing.isBroken { return Task { existing } }
            if let running = opening[index] { return running }
            let task = Task<AsyncConnection, any Error> { [self] in try await dial(index) }
            opening[index] = task
            return task
        }
        return try await task.value
    }

    private func dial(_ index: Int) async throws -> AsyncConnection {
        let endpoint = endpoints[index]
        defer { lock.withLock { opening[index] = nil } }
        do {
            let emit = self.emit
            let connection = try await AsyncConnection.open(to: endpoint, settings: settings, loop: loop, observer: observer) { event in
                if case .handshakeStarted(let version) = event { emit(.handshakeStarted(endpoint: endpoint, protocolVersion: version)) }
            }
            let stillOpen = lock.withLock { () -> Bool in
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
            emit(.handshakeSucceeded(endpoint: endpoint, nodeId: connection.nodeId, protocolVersion: connection.context.version))
            opened(connection)
            log(.info, "connected to \(endpoint) (node \(connection.nodeId?.uuidString ?? "unknown"), \(connection.context))")
            return connection
        } catch let error as IgniteError {
            lock.withLock { lastFailure[index] = LoopClock.now() }
            if error.code == .authentication {
                emit(.authenticationFailed(endpoint: endpoint, error: error))
            } else if error.code != .illegalState {
                emit(.handshakeFailed(endpoint: endpoint, error: error))
            }
            log(.warning, "connecting to \(endpoint) failed: \(error)")
            throw error
        }
    }

    /// A live connection for an operation that can go anywhere: the preferred one, else the next endpoint that answers.
    /// - Throws: ``IgniteError/Code/reconnect`` when every endpoint is down.
    func anyConnection() async throws -> AsyncConnection {
        lock.lock()
        if closed {
            lock.unlock()
            throw IgniteError(.illegalState, "the client is closed")
        }
        if let connection = live[preferred], !connection.isBroken {
            lock.unlock()
            return connection
        }
        let start = preferred
        for step in 0..<endpoints.count {
            let index = (start + step) % endpoints.count
            if let connection = live[index], !connection.isBroken {
                preferred = index
                lock.unlock()
                return connection
            }
        }
        let now = LoopClock.now()
        var order = (0..<endpoints.count).map { (start + $0) % endpoints.count }
        let fresh = order.filter { lastFailure[$0] == 0 || now &- lastFailure[$0] > retryDelay }
        if !fresh.isEmpty { order = fresh + order.filter { !fresh.contains($0) } }
        lock.unlock()
        var errors: [IgniteError] = []
        for index in order {
            do {
                let connection = try await open(index)
                lock.withLock { preferred = index }
                return connection
            } catch let error as IgniteError {
                if error.code == .authentication || error.code == .illegalState || error.code == .cancelled { throw error }
                errors.append(error)
            }
        }
        throw reconnectError(errors)
    }

    /// The live connection to a node, if there is one.
    func connection(toNode nodeId: UUID) -> AsyncConnection? {
        lock.lock()
        var found: AsyncConnection?
        for entry in byNode where entry.node == nodeId {
            found = entry.connection
            break
        }
        lock.unlock()
        guard let found, !found.isBroken else { return nil }
        return found
    }

    /// Node ids with a live connection.
    var connectedNodes: [UUID] { lock.withLock { byNode.filter { !$0.connection.isBroken }.map(\.node) } }

    /// All open connections.
    var openConnections: [AsyncConnection] { lock.withLock { live.compactMap { $0 }.filter { !$0.isBroken } } }

    /// Dials the endpoints without a live connection in the background (skipping recently failed ones unless
    /// `force`); requests made while one dial round is pending coalesce.
    func scheduleConnectMissing(force: Bool = false) {
        let now = LoopClock.now()
        let missing: [Int] = lock.withLock {
            guard !closed, !dialScheduled else { return [] }
            let missing = endpoints.indices.filter { i in
                (live[i] == nil || live[i]?.isBroken == true) && opening[i] == nil
                    && (force || lastFailure[i] == 0 || now &- lastFailure[i] > retryDelay)
            }
            if !missing.isEmpty { dialScheduled = true }
            return missing
        }
        guard !missing.isEmpty else { return }
        Task { [self] in
            await withTaskGroup(of: Void.self) { group in
                for index in missing { group.addTask { [self] in _ = try? await open(index) } }
            }
            lock.withLock { dialScheduled = false }
        }
    }

    /// Forgets a broken connection.
    func remove(_ connection: AsyncConnection) {
        lock.withLock {
            for i in live.indices where live[i] === connection {
                live[i] = nil
                lastFailure[i] = LoopClock.now()
            }
            byNode.removeAll { $0.connection === connection }
        }
    }

    /// Closes every connection; later requests fail.
    func close() {
        let (all, pendingOpens) = lock.withLock { () -> ([AsyncConnection], [Task<AsyncConnection, any Error>]) in
            closed = true
            let all = live.compactMap { $0 }
            live = Array(repeating: nil, count: endpoints.count)
            byNode.removeAll()
            return (all, opening.compactMap { $0 })
        }
        for task in pendingOpens { task.cancel() }
        for connection in all {
            let wasOpen = !connection.isBroken
            connection.close()
            if wasOpen { emit(.connectionClosed(endpoint: connection.endpoint, nodeId: connection.nodeId)) }
        }
    }

    var isClosed: Bool { lock.withLock { closed } }
}
