import Foundation
import IgniteProtocol

/// An open cursor of one connection.
struct QueryCursor: Sendable {
    enum Kind: Sendable { case scan, sql, sqlFields }
    var kind: Kind
    var rows: [[IgniteValue]]
    var position = 0
    var pageSize: Int
    /// The SQL engine's streaming rows (then `rows` is empty).
    var source: SQLRowSource?
}

/// One buffered write of a transaction (`value == nil` removes the key).
struct TransactionWrite: Sendable {
    var key: IgniteValue
    var value: IgniteValue?
    var policy: ExpiryPolicy?
}

/// A transaction of one connection. Writes are buffered per cache and applied at commit.
struct TransactionState: Sendable {
    var id: Int32
    var concurrency: Int8
    var isolation: Int8
    var timeoutMilliseconds: Int64
    var label: String?
    var startedAt: UInt64
    var xid = UUID()
    var writes: [Int32: [[UInt8]: TransactionWrite]] = [:]
    var timedOut = false

    /// Whether the timeout has passed.
    func hasTimedOut(at now: UInt64) -> Bool {
        guard timeoutMilliseconds > 0 else { return false }
        return now >= startedAt &+ UInt64(timeoutMilliseconds) &* 1_000_000
    }
}

/// What one connection keeps: the negotiated context, cursors and transactions, and fault bookkeeping.
struct SessionState: Sendable {
    var context: ProtocolContext?
    var closed = false
    var lastTopology: AffinityTopologyVersion?
    var cursors: [Int64: QueryCursor] = [:]
    /// Open data streamers (OP_DATA_STREAMER_START without CLOSE): cache id and flags; ids share `nextCursorId`.
    var streamers: [Int64: (cacheId: Int32, flags: DataStreamerFlags)] = [:]
    var nextCursorId: Int64 = 1
    var transactions: [Int32: TransactionState] = [:]
    var nextTransactionId: Int32 = 1
    var stalled: [[UInt8]] = []
    var faultGeneration = -1
    var framesSinceFault = 0
    /// Set iterators and compute tasks (Ops/DataStructureOps.swift, Ops/ComputeOps.swift), ids from ``nextCursorId``.
    var extraResources: [Int64: SessionResource] = [:]
    /// Work to run once the response to a request id was written (a compute task's result notification).
    var afterResponse: [Int64: @Sendable () -> Void] = [:]
}

/// One client connection: a reader thread, a writer lock, and the connection's state.
final class ConnectionSession: @unchecked Sendable {
    // `fd` is immutable; the descriptor is closed only by the reader thread after it stops using it, and other
    // threads only `shutdown` it while `state.closed` is false (checked under the lock).
    let fd: Int32
    let node: IgniteTestNode
    let state = Locked(SessionState())
    let writeLock = NSLock()
    private let finished = Latch()
    private static let maximumFrame = 256 << 20

    init(fd: Int32, node: IgniteTestNode) {
        self.fd = fd
        self.node = node
    }

    var core: ClusterCore { node.core }
    var configuration: TestNodeConfiguration { node.core.configuration }

    func start() {
        node.threadStarted()
        let name = TestNodeThreadName.connection(port: node.endpoint.port)
        let thread = Thread { [self] in
            Socket.nameCurrentThread(name)
            run()
            node.threadFinished()
            finished.open()
        }
        thread.name = name
        thread.stackSize = 4 << 20
        thread.start()
    }

    /// Closes the connection from another thread (node stop, faults). The reader thread finishes the cleanup.
    func terminate() {
        state.withLock { state in
            if !state.closed {
                state.closed = true
                Socket.shutdownBoth(fd)
            }
        }
    }

    /// Waits until the reader thread finished; returns whether it did within `timeout`.
    @discardableResult
    func waitUntilFinished(timeout: TimeInterval) -> Bool {
        finished.wait(timeout: timeout)
    }

    // MARK: reading

    private func run() {
        defer {
            state.withLock { state in
                state.closed = true
                state.transactions.removeAll()   // a closed connection rolls its transactions back
                state.cursors.removeAll()
            }
            Socket.closeDescriptor(fd)
            node.sessionEnded(self)
        }
        let handshakeDeadline = MonotonicClock.deadline(afterMilliseconds: configuration.handshakeTimeout.wholeMilliseconds)
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while !state.withLock({ $0.closed }) {
            let handshaken = state.withLock { $0.context != nil }
            var wait = -1
            if !handshaken {
                let now = MonotonicClock.now()
                guard now < handshakeDeadline else { return }
                wait = Int((handshakeDeadline - now) / 1_000_000) + 1
            } else if let idle = configuration.idleTimeout {
                wait = Int(max(1, idle.wholeMilliseconds))
            }
            // Without a deadline a blocking recv is enough (terminate() wakes it with shutdown): one syscall less per request.
            if wait >= 0 {
                guard Socket.waitReadable(fd, milliseconds: wait) else {
                    if handshaken { return }   // idle timeout
                    continue                   // re-check the handshake deadline
                }
            }
            let n = chunk.withUnsafeMutableBytes { Socket.readSome(fd, into: $0) }
            guard n > 0 else { return }
            buffer.append(contentsOf: chunk[0..<n])
            var frames: [[UInt8]] = []
            var offset = 0
            while buffer.count - offset >= 4 {
                let length = Int(Int32(littleEndian: buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) }))
                guard length > 0, length <= ConnectionSession.maximumFrame else { return }   // closed without a reply (§4)
                guard buffer.count - offset - 4 >= length else { break }
                frames.append(Array(buffer[(offset + 4)..<(offset + 4 + length)]))
                offset += 4 + length
            }
            if offset > 0 { buffer.removeFirst(offset) }
            guard process(frames) else { return }
        }
    }

    /// Handles the frames of one read. Returns `false` when the connection must close.
    private func process(_ frames: [[UInt8]]) -> Bool {
        var pending = frames[...]
        while let first = pending.first, state.withLock({ $0.context == nil }) {
            pending = pending.dropFirst()
            switch HandshakeHandler.handle(payload: first, configuration: configuration, nodeId: node.nodeId) {
            case .closeNow:
                return false
            case .ignore:
                // A malformed handshake gets no reply; the handshake timer closes the socket.
                pending = []
            case .reply(let frame, let context):
                writeLock.lock()
                let sent = Socket.writeAll(fd, frame)
                writeLock.unlock()
                guard sent else { return false }
                if let context { state.withLock { $0.context = context } }
            }
        }
        guard !pending.isEmpty else { return true }
        switch configuration.requestProcessing {
        case .sequential:
            for frame in pending where !handleRequest(frame) { return false }
        case .reverseBatches:
            for frame in pending.reversed() where !handleRequest(frame) { return false }
        case .concurrent:
            let keepOpen = Locked(true)
            let batch = Array(pending)
            DispatchQueue.concurrentPerform(iterations: batch.count) { index in
                if !handleRequest(batch[index]) { keepOpen.withLock { $0 = false } }
            }
            return keepOpen.snapshot
        }
        return true
    }

    /// Handles one request frame. Returns `false` when the connection must close.
    private func handleRequest(_ payload: [UInt8]) -> Bool {
        guard let context = state.withLock({ $0.context }) else { return false }
        var reader = BinaryReader(payload)
        guard let op = try? reader.readInt16(), let requestId = try? reader.readInt64() else { return false }
        let (fault, generation) = node.beginRequest(op)
        if case .dropConnectionAfterFrames(let limit) = fault {
            let drop = state.withLock { state -> Bool in
                if state.faultGeneration != generation {
                    state.faultGeneration = generation
                    state.framesSinceFault = 0
                }
                if state.framesSinceFault >= limit { return true }
                state.framesSinceFault += 1
                return false
            }
            if drop {
                terminate()
                return false
            }
        }
        let result: OpResult
        do {
            result = try RequestHandler(session: self, context: context, requestId: requestId).handle(OpCode(op), &reader)
        } catch {
            return false   // malformed request: the server closes without a reply (SERVER-BEHAVIOUR §4)
        }
        let sent = send(requestId: requestId, result: result, context: context)
        if let after = state.withLock({ $0.afterResponse.removeValue(forKey: requestId) }) { after() }
        ContinuousQueryDispatch.dispatch(core)
        return sent
    }

    // MARK: writing

    /// Sends one response, applying the current fault. Returns `false` when the connection must close.
    private func send(requestId: Int64, result: OpResult, context: ProtocolContext) -> Bool {
        let fault = node.currentFault.fault
        if case .delayReplies(let delay) = fault { pause(delay) }
        writeLock.lock()
        defer { writeLock.unlock() }
        let current = core.data.topology
        let frame: [UInt8] = state.withLock { state in
            var header = ResponseHeader(requestId: requestId)
            if context.usesStatusFlags, state.lastTopology != current {
                header.topologyVersion = current
                state.lastTopology = current
            }
            var writer = BinaryWriter(capacity: 64)
            writer.writeInt32(0)
            switch result {
            case .success(let body):
                header.encode(into: &writer, context: context)
                writer.writeBytes(body)
            case .failure(let status, let message):
                header.status = status
                header.errorMessage = message
                header.encode(into: &writer, context: context)
            }
            writer.setInt32(Int32(truncatingIfNeeded: writer.count - 4), at: 0)
            return writer.bytes
        }
        switch fault {
        case .stallReplies:
            state.withLock { $0.stalled.append(frame) }
            return true
        case .garbageFrame:
            var garbage = BinaryWriter()
            garbage.writeInt32(16)
            garbage.writeBytes(repeatElement(UInt8(0xEE), count: 16))
            return Socket.writeAll(fd, garbage.bytes)
        case .truncatedFrame:
            Socket.writeAll(fd, Array(frame.prefix(4 + (frame.count - 4) / 2)))
            terminate()
            return false
        default:
            return Socket.writeAll(fd, frame)
        }
    }

    /// Sends the replies held back by ``TestNodeFault/stallReplies``.
    func releaseStalledReplies() {
        writeLock.lock()
        defer { writeLock.unlock() }
        let frames = state.withLock { state -> [[UInt8]] in
            defer { state.stalled.removeAll() }
            return state.closed ? [] : state.stalled
        }
        for frame in frames where !Socket.writeAll(fd, frame) { break }
    }

    private func pause(_ delay: Duration) {
        let deadline = MonotonicClock.deadline(afterMilliseconds: delay.wholeMilliseconds)
        while MonotonicClock.now() < deadline, !state.withLock({ $0.closed }) {
            usleep(useconds_t(min(10_000, max(1, (deadline - MonotonicClock.now()) / 1000))))
        }
    }
}
