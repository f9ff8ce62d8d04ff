import Foundation
import IgniteProtocol

/// One node of an ``IgniteTestCluster``: a listener on its own port, with its own node id and request counters.
public final class IgniteTestNode: Sendable {
    struct State {
        var nodeId = UUID()
        var consistentId = ""
        var port = 0
        var isRunning = false
        var listenFd: Int32 = -1
        var listenerDone: Latch?
        var sessions: [ObjectIdentifier: ConnectionSession] = [:]
        var keyRequests = 0
        var misrouted = 0
        var streamed = 0
        var misroutedStreamed = 0
        var structureRequests = 0
        var misroutedStructures = 0
        var opCounts: [Int16: Int] = [:]
        var fault: TestNodeFault = .none
        var faultGeneration = 0
        var connectionsAccepted = 0
        /// Listener and connection threads of this node that have started and not yet finished.
        var liveThreads = 0
    }

    /// The node's index in ``IgniteTestCluster/nodes``.
    public let index: Int
    let core: ClusterCore
    let state = Locked(State())

    init(index: Int, core: ClusterCore) {
        self.index = index
        self.core = core
    }

    /// The address clients connect to.
    public var endpoint: IgniteEndpoint {
        IgniteEndpoint(host: core.configuration.host, port: state.withLock { $0.port })
    }

    /// The node id reported in handshakes and partition maps. A restart gives a new one.
    public var nodeId: UUID { state.withLock { $0.nodeId } }

    /// The consistent id, which decides the node's partitions (Rendezvous hashing of the consistent id and the
    /// partition). ``TestNodeConfiguration/consistentIds`` sets it; the default is `node-<port>`. A restart on the
    /// same port keeps it, so a restarted node owns the same partitions again, as a real node with a fixed consistent id does.
    public var consistentId: String { state.withLock { $0.consistentId } }

    /// Whether the node is running.
    public var isRunning: Bool { state.withLock { $0.isRunning } }

    /// Single-key cache requests this node received for a partition whose primary is another node.
    /// Partition-aware clients keep it at zero. Requests inside a transaction and OP_CACHE_LOCAL_PEEK are not counted.
    public var misroutedKeyRequests: Int { state.withLock { $0.misrouted } }

    /// Single-key cache requests this node received on PARTITIONED caches (the base of ``misroutedKeyRequests``).
    public var keyRequests: Int { state.withLock { $0.keyRequests } }

    /// Data-streamer entries this node received (OP_DATA_STREAMER_START and ADD_DATA), and those of them whose primary
    /// node is another one (a client with per-node buffers keeps the second at zero on partitioned caches).
    public var streamedEntries: (received: Int, misrouted: Int) { state.withLock { ($0.streamed, $0.misroutedStreamed) } }

    /// Requests on atomics (atomic longs 9001–9007, atomic sequences 9031–9034) this node received, and those of
    /// them whose key's primary node in the atomics cache is another one. A partition-aware client keeps the second
    /// at zero.
    public var dataStructureRequests: (received: Int, misrouted: Int) {
        state.withLock { ($0.structureRequests, $0.misroutedStructures) }
    }

    /// The misrouted part of ``dataStructureRequests``.
    public var misroutedDataStructureRequests: Int { state.withLock { $0.misroutedStructures } }

    func countDataStructureRequest(misrouted: Bool) {
        state.withLock {
            $0.structureRequests += 1
            if misrouted { $0.misroutedStructures += 1 }
        }
    }

    func countStreamed(_ received: Int, misrouted: Int) {
        state.withLock {
            $0.streamed += received
            $0.misroutedStreamed += misrouted
        }
    }

    /// The number of open client connections.
    public var openConnections: Int { state.withLock { $0.sessions.count } }

    /// The number of connections accepted since the node was created.
    public var connectionsAccepted: Int { state.withLock { $0.connectionsAccepted } }

    /// How many requests with an op code this node received (after the handshake).
    /// - Parameter opCode: The op code.
    /// - Returns: The count.
    public func requestCount(_ opCode: OpCode) -> Int { state.withLock { $0.opCounts[opCode.rawValue] ?? 0 } }

    /// Sets the request counters (``keyRequests``, ``misroutedKeyRequests``, ``requestCount(_:)``) back to zero.
    public func resetCounters() {
        state.withLock {
            $0.keyRequests = 0
            $0.misrouted = 0
            $0.streamed = 0
            $0.misroutedStreamed = 0
            $0.structureRequests = 0
            $0.misroutedStructures = 0
            $0.opCounts = [:]
        }
    }

    /// Injects a fault into this node's connections, current and future.
    /// - Parameter fault: The fault; ``TestNodeFault/none`` clears it (and releases stalled replies).
    public func inject(_ fault: TestNodeFault) {
        let sessions = state.withLock { state -> [ConnectionSession] in
            state.fault = fault
            state.faultGeneration += 1
            return Array(state.sessions.values)
        }
        if fault != .stallReplies {
            for session in sessions { session.releaseStalledReplies() }
        }
    }

    var currentFault: (fault: TestNodeFault, generation: Int) { state.withLock { ($0.fault, $0.faultGeneration) } }

    // MARK: lifecycle

    func start(port: Int) throws {
        let (fd, bound) = try Socket.openListener(host: core.configuration.host, port: port)
        let latch = Latch()
        let nodeId = UUID()
        let configured = core.configuration.consistentIds
        let consistentId = index < configured.count && !configured[index].isEmpty ? configured[index] : "node-\(bound)"
        state.withLock {
            $0.nodeId = nodeId
            $0.consistentId = consistentId
            $0.port = bound
            $0.isRunning = true
            $0.listenFd = fd
            $0.listenerDone = latch
        }
        core.data.withLock { $0.join(index: index, nodeId: nodeId, consistentId: consistentId, host: core.configuration.host, port: bound) }
        threadStarted()
        let name = TestNodeThreadName.listener(port: bound)
        let thread = Thread { [self] in
            Socket.nameCurrentThread(name)
            acceptLoop(fd)
            threadFinished()
            latch.open()
        }
        thread.name = name
        thread.start()
    }

    /// Listener and connection threads of this node that are running (started, not yet finished). Zero once
    /// ``IgniteTestCluster/shutdown()`` or ``IgniteTestCluster/stopNode(_:)`` returned, unless a thread failed to stop
    /// in time (which `stop` reports on standard error).
    package var liveThreads: Int { state.withLock { $0.liveThreads } }

    func threadStarted() { state.withLock { $0.liveThreads += 1 } }
    func threadFinished() { state.withLock { $0.liveThreads -= 1 } }

    private func acceptLoop(_ listener: Int32) {
        while state.withLock({ $0.isRunning && $0.listenFd == listener }) {
            guard Socket.waitReadable(listener, milliseconds: 250) else { continue }
            guard state.withLock({ $0.isRunning && $0.listenFd == listener }) else { return }
            guard let fd = Socket.acceptConnection(listener) else { return }
            let session = ConnectionSession(fd: fd, node: self)
            let accepted = state.withLock { state -> Bool in
                guard state.isRunning else { return false }
                state.sessions[ObjectIdentifier(session)] = session
                state.connectionsAccepted += 1
                return true
            }
            guard accepted else {
                Socket.closeDescriptor(fd)
                return
            }
            session.start()
        }
    }

    func sessionEnded(_ session: ConnectionSession) {
        state.withLock { _ = $0.sessions.removeValue(forKey: ObjectIdentifier(session)) }
    }

    /// Stops the listener and every connection and waits for their threads to finish.
    ///
    /// Every thread is woken by `shutdown(2)` on its descriptor (closing a descriptor does not wake a thread blocked
    /// in `accept` or `recv` on Linux); the listener also re-checks `isRunning` at least every 250 ms. A thread that
    /// still has not finished after the grace period is reported on standard error, loudly, instead of being waited
    /// for forever; it cannot keep the process alive (the test runner's `exit` ends every thread).
    func stop() {
        let taken = state.withLock { state -> (Int32, Latch?, [ConnectionSession], UUID, Int)? in
            guard state.isRunning else { return nil }
            state.isRunning = false
            let fd = state.listenFd
            state.listenFd = -1
            return (fd, state.listenerDone, Array(state.sessions.values), state.nodeId, state.port)
        }
        guard let (fd, latch, sessions, nodeId, port) = taken else { return }
        Socket.shutdownBoth(fd)
        let listenerStopped = latch?.wait(timeout: IgniteTestNode.stopGracePeriod) ?? true
        // The descriptor is closed only after the listener thread is done with it (or, if it is stuck, anyway: a
        // leaked descriptor is worse than a reused number, and the thread re-checks `listenFd` before accepting).
        Socket.closeDescriptor(fd)
        for session in sessions { session.terminate() }
        // One grace period for all connections, not one each.
        let deadline = Date(timeIntervalSinceNow: IgniteTestNode.stopGracePeriod)
        var stuck = 0
        for session in sessions where !session.waitUntilFinished(timeout: max(0, deadline.timeIntervalSinceNow)) { stuck += 1 }
        core.data.withLock { $0.leave(nodeId: nodeId) }
        if !listenerStopped || stuck > 0 {
            let message = "IgniteTestNode: node \(index) (port \(port)) stopped with \(listenerStopped ? "its listener finished" : "its listener thread still running")"
                + " and \(stuck) of \(sessions.count) connection threads still running after \(Int(IgniteTestNode.stopGracePeriod)) s\n"
            FileHandle.standardError.write(Data(message.utf8))
        }
    }

    /// How long ``stop()`` waits for each thread.
    static let stopGracePeriod: TimeInterval = 10

    // MARK: counters

    /// Counts a request and returns the fault in force, under one acquisition of the node's lock.
    func beginRequest(_ opCode: Int16) -> (fault: TestNodeFault, generation: Int) {
        state.withLock { state in
            state.opCounts[opCode, default: 0] += 1
            return (state.fault, state.faultGeneration)
        }
    }

    func countKeyRequest(misrouted: Bool) {
        state.withLock {
            $0.keyRequests += 1
            if misrouted { $0.misrouted += 1 }
        }
    }
}
