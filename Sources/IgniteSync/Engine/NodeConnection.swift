import Foundation
import IgniteProtocol
import IgniteSockets

/// One connection to one server node: the blocking driver of a ``ConnectionStateMachine``.
///
/// Many threads share it. Requests are pipelined by request id: a caller encodes its frame into a shared
/// write buffer and whoever holds the write lock flushes everything queued (coalesced writes). Responses are
/// read with a leader/follower scheme: a caller whose response has not arrived becomes the reader if no one
/// else is reading, reads frames itself and hands each response to its waiter; when its own response arrives it
/// gives the reader role up. There is no reader thread and no thread hop on the common path.
///
/// Hand-over, so that many threads sharing the connection cost about one wake-up per request and few writes:
/// - Each waiter has its own lock and semaphore: the reader claims a response's waiter under the connection's
///   mutex, then marks it done under the waiter's lock and signals it after letting go of both, so a woken thread
///   takes no lock that the reader or the other threads hold.
/// - Responses the reader handed to woken threads and that these have not yet picked up are counted
///   (``unclaimed``). While that count is not zero, a new request's frame is left queued (``flushOwed``): the woken
///   threads typically send requests of their own in the meantime, and the last of them to pick up its response
///   writes every frame queued so far in one system call. Whoever brings the count to zero owes that write, so a
///   queued frame always has a thread responsible for it. While replies keep coming the count may stay above zero:
///   a reader that delivers more responses then hands that write to the last thread it wakes (``Waiter/flushDuty``).
///   (The reader itself never writes: blocked on a server that is not reading, it would stop reading too.)
/// - A reader whose own response arrived leaves the role free; while woken threads are still to pick up, the first
///   of them to come back with a request takes the role, and the last to pick up wakes a waiter to read if none did
///   (``readerOwed``). Otherwise it wakes one waiter at once.
final class NodeConnection: @unchecked Sendable {
    /// How connections are opened.
    struct Settings: Sendable {
        var machine: ConnectionStateMachine.Configuration
        var connectTimeout: Duration
        var handshakeTimeout: Duration
        var maximumFrameLength: Int
        var transportFactory: any IgniteTransportFactory
        /// The configured heartbeat interval; `nil` disables heartbeats.
        var heartbeatInterval: Duration? = nil
        /// The time limit of writes that have no request deadline of their own (queued resource closes): the request
        /// timeout, so that a server that stopped reading fails the connection instead of holding a writer forever.
        var writeTimeout: Duration? = nil
        /// The decoded-memory budget of one response (``IgniteClientConfiguration/maximumDecodedSize``); `nil` keeps
        /// the reader's default.
        var maximumDecodedSize: Int? = nil
    }

    /// Callbacks to the owner (the client). Called without any connection lock held.
    struct Observer: Sendable {
        var topologyChanged: @Sendable (AffinityTopologyVersion, NodeConnection) -> Void = { _, _ in }
        var lost: @Sendable (IgniteError, NodeConnection) -> Void = { _, _ in }
        var notification: @Sendable (ConnectionStateMachine.Notification, NodeConnection) -> Void = { _, _ in }
    }

    /// One caller waiting for its response (or a compute task's notification).
    final class Waiter {
        /// Guards ``done`` and ``kicked``.
        let lock = PThreadMutex()
        /// Where the waiting thread sleeps: posted once each time ``done`` or ``kicked`` is set. A post the thread did
        /// not need (it saw the flag before sleeping) only makes a later wait return early, to check its flags again.
        let wake = WakeSemaphore()
        // Written by the thread that claimed this waiter (took it out of the table under the connection's mutex)
        // before it sets `done`; read by the waiting thread once it has seen `done`.
        @exclusivity(unchecked) var response: ConnectionStateMachine.Response?
        @exclusivity(unchecked) var error: IgniteError?
        /// Delivered by a reader to a sleeping thread: counted in ``NodeConnection/unclaimed`` until picked up.
        @exclusivity(unchecked) var counted = false
        /// Handed the write of the frames left queued so far (``NodeConnection/flushOwed``) by the reader that
        /// delivered to it; with the earliest deadline of those frames.
        @exclusivity(unchecked) var flushDuty = false
        @exclusivity(unchecked) var flushDeadline: UInt64?
        // Guarded by the connection's mutex: whether the waiter is in the table (not yet claimed).
        @exclusivity(unchecked) var registered = false
        // Guarded by `lock`.
        @exclusivity(unchecked) var done = false
        /// Asked to take the reader role (set only while registered).
        @exclusivity(unchecked) var kicked = false

        /// Marks the waiter done (its response or error already set) and wakes its thread. Called with no lock held
        /// but possibly the connection's mutex (failures).
        func finish() {
            lock.lock()
            done = true
            lock.unlock()
            wake.post()
        }

        /// Asks the waiter's thread to take the reader role; the caller posts ``wake`` once it let go of the
        /// connection's mutex.
        func kick() {
            lock.lock()
            kicked = true
            lock.unlock()
        }
    }

    let endpoint: IgniteEndpoint
    let context: ProtocolContext
    let nodeId: UUID?
    private let transport: any IgniteTransport
    private let observer: Observer
    /// See ``Settings/writeTimeout``.
    private let writeTimeout: Duration?
    /// See ``Settings/maximumDecodedSize``.
    private let maximumDecodedSize: Int?

    /// How often an idle connection sends a heartbeat: `nil` when heartbeats are off (not configured, or the
    /// server did not negotiate the HEARTBEAT feature). Set once by ``open(to:settings:observer:events:)``.
    private(set) var heartbeatInterval: Duration?

    // Every mutable property below is guarded by a lock (named per group), so the dynamic exclusivity checks
    // Swift would otherwise make on each access of a class property are switched off: they cost more than the
    // rest of a request's bookkeeping.
    private let mutex = PThreadMutex()
    // Guarded by `mutex`.
    @exclusivity(unchecked) private var machine: ConnectionStateMachine
    @exclusivity(unchecked) private var pendingWrites = BinaryWriter(capacity: 16 * 1024)
    @exclusivity(unchecked) private var waiters = WaiterTable()
    @exclusivity(unchecked) private var readerActive = false
    @exclusivity(unchecked) private var brokenError: IgniteError?
    @exclusivity(unchecked) private var sentCount: UInt64 = 0
    @exclusivity(unchecked) private var lossReported = false
    /// Claimed notifications (compute-task results) by resource id; see ``awaitNotification(resourceId:timeout:)``.
    @exclusivity(unchecked) private var mailbox = NotificationMailbox<Int64>()

    /// Guards the hand-over state below: short sections only, never held while taking another lock. Taken inside
    /// `mutex` where both are needed.
    private let handoff = PThreadMutex()
    // Guarded by `handoff`.
    /// Responses delivered to sleeping threads and not yet picked up by them.
    @exclusivity(unchecked) private var unclaimed = 0
    /// Frames were left queued while ``unclaimed`` was not zero: whoever brings it to zero flushes them.
    @exclusivity(unchecked) private var flushOwed = false
    /// The earliest deadline of the requests whose frames were left queued (``flushOwed``); `nil` when none had one.
    @exclusivity(unchecked) private var owedDeadline: UInt64?
    /// The reader role was given up while ``unclaimed`` was not zero: whoever brings it to zero makes sure that
    /// someone reads, unless a thread took the role meanwhile.
    @exclusivity(unchecked) private var readerOwed = false
    @exclusivity(unchecked) private var waiterPool: [Waiter] = []

    /// Held by the one thread writing; others only ever try it (see ``flush(deadline:)``).
    private let writeMutex = PThreadMutex()
    // Guarded by `writeMutex`.
    @exclusivity(unchecked) private var outgoing = BinaryWriter(capacity: 16 * 1024)

    // Owned by the thread holding the reader role.
    @exclusivity(unchecked) private var decoder: FrameDecoder
    private let readBuffer: UnsafeMutableBufferPointer<UInt8>

    private init(endpoint: IgniteEndpoint, settings: Settings, transport: any IgniteTransport, machine: ConnectionStateMachine,
                 decoder: FrameDecoder, context: ProtocolContext, nodeId: UUID?, observer: Observer) {
        self.endpoint = endpoint
        self.transport = transport
        self.machine = machine
        self.decoder = decoder
        self.context = context
        self.nodeId = nodeId
        self.observer = observer
        writeTimeout = settings.writeTimeout
        maximumDecodedSize = settings.maximumDecodedSize
        readBuffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 64 * 1024)
    }

    deinit {
        transport.close()
        readBuffer.deallocate()
    }

    // MARK: Opening

    /// Connects and performs the handshake, downgrading the version when the server asks for it; then, when
    /// heartbeats are configured and the server negotiated them, asks the server's idle timeout (OP_GET_IDLE_TIMEOUT)
    /// to choose the heartbeat interval.
    /// - Throws: ``IgniteError`` with code `socket`, `timeout`, `handshake` or `authentication`.
    static func open(to endpoint: IgniteEndpoint, settings: Settings, observer: Observer,
                     events: ((ConnectionEvent) -> Void)? = nil) throws -> NodeConnection {
        var machine = ConnectionStateMachine(configuration: settings.machine)
        var transport = try settings.transportFactory.connect(to: endpoint, timeout: settings.connectTimeout)
        var decoder = FrameDecoder(maximumFrameLength: settings.maximumFrameLength)
        var action = machine.start()
        while true {
            switch action {
            case .writeHandshake(let frame):
                if case .handshaking(let version) = machine.state {
                    events?(.handshakeStarted(endpoint: endpoint, protocolVersion: version))
                }
                let payload: [UInt8]
                do {
                    try frame.withUnsafeBytes { try transport.write($0, timeout: settings.handshakeTimeout) }
                    payload = try readHandshakeFrame(transport, &decoder, timeout: settings.handshakeTimeout)
                } catch let error as IgniteError {
                    transport.close()
                    let failure = error.code == .timeout
                        ? IgniteError(.handshake, "no handshake reply from \(endpoint) within \(settings.handshakeTimeout)", underlying: error)
                        : error
                    events?(.handshakeFailed(endpoint: endpoint, error: failure))
                    throw failure
                }
                action = machine.handshakeFrameReceived(payload)
            case .reconnectAndHandshake:
                transport.close()
                transport = try settings.transportFactory.connect(to: endpoint, timeout: settings.connectTimeout)
                decoder = FrameDecoder(maximumFrameLength: settings.maximumFrameLength)
                action = machine.start()
            case .ready(let context, let nodeId):
                let connection = NodeConnection(endpoint: endpoint, settings: settings, transport: transport, machine: machine,
                                                decoder: decoder, context: context, nodeId: nodeId, observer: observer)
                if let configured = settings.heartbeatInterval,
                   HeartbeatSchedule<NodeConnection>.needsIdleTimeoutQuery(configured: configured, context: context) {
                    let idle = try? connection.roundTrip(GetIdleTimeoutRequest(), timeout: settings.handshakeTimeout)
                    connection.heartbeatInterval = HeartbeatSchedule<NodeConnection>.interval(configured: configured,
                                                                                              serverIdleTimeoutMilliseconds: idle ?? 0)
                }
                events?(.handshakeSucceeded(endpoint: endpoint, nodeId: nodeId, protocolVersion: context.version))
                return connection
            case .closeConnection(let error):
                transport.close()
                if error.code == .authentication {
                    events?(.authenticationFailed(endpoint: endpoint, error: error))
                } else {
                    events?(.handshakeFailed(endpoint: endpoint, error: error))
                }
                throw error
            }
        }
    }

    private static func readHandshakeFrame(_ transport: any IgniteTransport, _ decoder: inout FrameDecoder,
                                           timeout: Duration) throws -> [UInt8] {
        let deadline = MonotonicClock.deadline(after: timeout)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            if let frame = try decoder.nextFrame() { return frame }
            let remaining = MonotonicClock.remaining(until: deadline)
            guard remaining > .zero else { throw IgniteError(.timeout, "handshake timed out") }
            let n = try chunk.withUnsafeMutableBytes { try transport.read(into: $0, timeout: remaining) }
            guard n > 0 else {
                throw IgniteError(.connectionClosed, "the server closed the connection during the handshake")
            }
            decoder.append(contentsOf: chunk[0..<n])
        }
    }

    // MARK: State

    /// Whether the connection failed or was closed.
    var isBroken: Bool { mutex.withLock { brokenError != nil } }

    /// How many requests were sent so far (for idle detection).
    var requestsSent: UInt64 { mutex.withLock { sentCount } }

    /// Closes the connection; requests in flight fail with ``IgniteError/Code/connectionClosed``.
    func close() {
        mutex.lock()
        lossReported = true
        let action = machine.close()
        if brokenError == nil { brokenError = IgniteError(.connectionClosed, "the connection to \(endpoint) was closed") }
        if case .closeConnection(let error, let ids) = action { failLocked(ids, error) }
        mutex.unlock()
        transport.close()
        mutex.withLock { machine.transportClosed() }
    }

    // MARK: Requests

    /// Sends a request and waits for its response.
    /// - Parameters:
    ///   - request: The request.
    ///   - timeout: The longest wait for the response; `nil` waits forever.
    /// - Returns: The decoded response.
    /// - Throws: The server's error, ``IgniteError/Code/timeout``, or a connection error.
    func roundTrip<R: IgniteRequest>(_ request: R, timeout: Duration?) throws -> R.Response {
        var phase = FailurePhase.connecting
        return try roundTrip(request, timeout: timeout, phase: &phase)
    }

    /// Sends a request and waits for its response; `phase` becomes ``FailurePhase/inFlight`` once the request is queued
    /// for writing (from then on the server may execute it).
    ///
    /// A timeout fails only this request: the connection stays usable, and the late response is discarded when it
    /// arrives. A response body that does not decode fails only this request too: frames are delimited by their
    /// length, so the stream stays in step.
    func roundTrip<R: IgniteRequest>(_ request: R, timeout: Duration?, phase: inout FailurePhase) throws -> R.Response {
        let deadline = timeout.map { MonotonicClock.deadline(after: $0) }
        mutex.lock()
        let before = pendingWrites.count
        machine.encodeDeferredResourceCloses(into: &pendingWrites)
        let id: Int64
        switch machine.sendRequest(request, into: &pendingWrites) {
        case .fail(let error):
            let queued = pendingWrites.count - before
            mutex.unlock()
            if queued > 0 { flush(deadline: deadline) }
            throw error
        case .write(let requestId):
            id = requestId
        }
        phase = .inFlight
        sentCount &+= 1
        let reading = !readerActive
        readerActive = true
        handoff.lock()
        let waiter = waiterPool.popLast() ?? Waiter()
        // Woken threads are still to pick up their responses: the last of them writes this frame with theirs.
        let deferred = unclaimed > 0
        if deferred {
            if let deadline { owedDeadline = min(owedDeadline ?? .max, deadline) }
            flushOwed = true
        }
        if reading { readerOwed = false }
        handoff.unlock()
        waiters.insert(id, waiter)
        waiter.registered = true
        mutex.unlock()

        if !deferred { flush(deadline: deadline) }
        let response = try awaitResponse(waiter, id: id, deadline: deadline, reading: reading)
        if let error = response.error { throw error }
        var reader = response.bodyReader
        if let maximumDecodedSize { reader.decodedByteLimit = maximumDecodedSize }
        return try request.decodeResponse(from: &reader, context: context)
    }

    /// Releases a server resource (a cursor) without blocking: the OP_RESOURCE_CLOSE request is queued and goes
    /// out with the next request on this connection, or from a background thread if none comes first. Its response
    /// is discarded. Safe to call from `deinit`.
    /// - Parameter resourceId: The resource id.
    func closeResourceLater(_ resourceId: Int64) {
        let action = mutex.withLock { brokenError == nil ? machine.closeResourceLater(resourceId) : .dropped }
        if action == .scheduleFlush {
            NodeConnection.reaper.async { [self] in flushDeferredCloses() }
        }
    }

    /// The background queue that sends queued resource closes when no request carried them.
    private static let reaper = DispatchQueue(label: "ignite-sync.resource-close")

    /// Sends any queued resource closes now, without waiting for their responses.
    func flushDeferredCloses() {
        mutex.lock()
        guard brokenError == nil else {
            mutex.unlock()
            return
        }
        guard machine.encodeDeferredResourceCloses(into: &pendingWrites) > 0 else {
            mutex.unlock()
            return
        }
        mutex.unlock()
        flush(deadline: nil)
    }

    /// How many resource closes are queued (for tests).
    var deferredCloseCount: Int { mutex.withLock { machine.deferredResourceCloseCount } }

    /// Writes everything queued, unless another thread is writing: that thread then sends these bytes too (it checks
    /// again after letting go of the write lock), and this one goes on to wait for its response. So a write blocked by
    /// a server that stopped reading never holds up another request past its own deadline: that request times out
    /// while waiting for its response, like one whose reply is late. A write still unfinished at `deadline` fails
    /// the connection with ``IgniteError/Code/timeout``: part of a frame may have gone out, so the stream is out of
    /// step. Without a deadline (queued resource closes) ``Settings/writeTimeout`` bounds the write.
    private func flush(deadline: UInt64?) {
        while writeMutex.tryLock() {
            mutex.lock()
            if pendingWrites.count == 0 || brokenError != nil {
                mutex.unlock()
                writeMutex.unlock()
            } else {
                swap(&pendingWrites, &outgoing)
                mutex.unlock()
                do {
                    let timeout = deadline.map { max(MonotonicClock.remaining(until: $0), .zero) } ?? writeTimeout
                    try outgoing.withUnsafeBytes { try transport.write($0, timeout: timeout) }
                    outgoing.removeAll()
                } catch let error as IgniteError {
                    outgoing.removeAll()
                    fail(error)
                } catch {
                    outgoing.removeAll()
                    fail(IgniteError(.socket, "write to \(endpoint) failed", underlying: error))
                }
                writeMutex.unlock()
            }
            // Bytes queued while the lock was held, by threads that left them to this one.
            let more = mutex.withLock { pendingWrites.count > 0 && brokenError == nil }
            if !more { return }
        }
    }

    /// Waits for the waiter's response, reading frames itself while no other thread reads; then picks it up.
    private func awaitResponse(_ waiter: Waiter, id: Int64, deadline: UInt64?,
                               reading: Bool) throws -> ConnectionStateMachine.Response {
        let readItself = wait(for: waiter, id: id, deadline: deadline, reading: reading)
        // Moved out, not copied (a copy of a response and the release of the waiter's cost about 250
        // instructions per request); the waiter is left reset. No other thread touches it now: it left the table.
        let response = waiter.response.take()
        let error = waiter.error.take()
        pickedUp(waiter, pool: true, posted: !readItself)
        if let error { throw error }
        guard let response else { throw IgniteError(.illegalState, "request \(id) finished without a response") }
        return response
    }

    /// Returns once `waiter` is done (its response, its timeout, or a failure of the connection), taking the reader
    /// role whenever it is free while the waiter is still registered. `reading`: the caller already took the role.
    /// - Returns: `true` when this thread read its own response as the reader (then nothing posted to the waiter).
    @discardableResult @inline(__always)
    private func wait(for waiter: Waiter, id: Int64, deadline: UInt64?, reading: Bool) -> Bool {
        var reading = reading
        var timedOut = false
        while true {
            if reading {
                // Its own response read: nothing to wait for, and no flag was set.
                if read(until: waiter, id: id, deadline: deadline) { return true }
                reading = false
            }
            // Sleep on the waiter's own semaphore until it is done, asked to read, or out of time.
            var kicked = false
            while true {
                waiter.lock.lock()
                let done = waiter.done
                kicked = waiter.kicked
                waiter.kicked = false
                waiter.lock.unlock()
                if done { return false }
                if kicked { break }
                if timedOut {
                    // Claimed while its deadline passed: the claimer is about to mark it done.
                    waiter.wake.wait()
                } else if let deadline {
                    if !waiter.wake.wait(until: deadline) {
                        timedOut = true
                        // Done or asked to read at the last moment: those win over the timeout.
                        waiter.lock.lock()
                        let late = waiter.done || waiter.kicked
                        waiter.lock.unlock()
                        if !late { break }
                    }
                } else {
                    waiter.wake.wait()
                }
            }
            var wake: Waiter?
            mutex.lock()
            if timedOut {
                // Still registered: no response came; fail it with a timeout. Otherwise it was claimed meanwhile.
                if waiter.registered {
                    timeOutLocked(id, waiter)
                    // It may have been asked to read just now: the role must not stay unclaimed.
                    wake = ensureReaderLocked()
                }
            } else if kicked, !readerActive, waiter.registered {
                takeReaderRoleLocked()
                reading = true
            }
            mutex.unlock()
            wake?.wake.post()
        }
    }

    /// A woken thread has taken its response out of `waiter`: the waiter is reset (and pooled), and if this was the
    /// last delivered response not yet picked up, the frames and the reader role left to this moment are seen to.
    /// `posted`: the waiter may have been posted to (not when its thread read its own response as the reader).
    @inline(__always)
    private func pickedUp(_ waiter: Waiter, pool: Bool, posted: Bool) {
        let counted = waiter.counted
        var flushNow = false
        var writeDeadline: UInt64?
        if posted {
            waiter.counted = false
            waiter.done = false
            waiter.kicked = false
            if waiter.flushDuty {
                flushNow = true
                writeDeadline = waiter.flushDeadline
                waiter.flushDuty = false
                waiter.flushDeadline = nil
            }
            while waiter.wake.tryWait() {}  // posts it did not sleep for
        }
        var checkReader = false
        handoff.lock()
        if counted {
            unclaimed -= 1
            if unclaimed == 0 {
                if flushOwed {
                    if let owed = owedDeadline { writeDeadline = min(writeDeadline ?? .max, owed) }
                    flushNow = true
                }
                flushOwed = false
                owedDeadline = nil
                checkReader = readerOwed
                readerOwed = false
            }
        }
        if pool, waiterPool.count < 64 { waiterPool.append(waiter) }
        handoff.unlock()
        // Bounded by the earliest deadline of the frames left queued (or, if none had one, the write timeout), as
        // their own threads' writes would have been.
        if flushNow { flush(deadline: writeDeadline) }
        if checkReader {
            mutex.lock()
            let wake = ensureReaderLocked()
            mutex.unlock()
            wake?.wake.post()
        }
    }

    /// The reader role: read and dispatch frames until `waiter` is done, then hand the role over.
    /// - Returns: `true` when the reader read its own response (then in `waiter`, whose `done` is not set); `false`
    ///   when the waiter was marked done otherwise (a timeout, a failure of the connection).
    private func read(until waiter: Waiter, id: Int64, deadline: UInt64?) -> Bool {
        // Waiters whose responses arrived in one chunk: marked done and signalled after the mutex is released, so a
        // woken thread does not block on a lock the reader still holds. (Local: the reader role may pass on meanwhile.)
        var delivered: [Waiter] = []
        while true {
            var timeout: Duration?
            if let deadline {
                let left = MonotonicClock.remaining(until: deadline)
                if left <= .zero {
                    readerTimedOut(id, waiter)
                    return false
                }
                timeout = left
            }
            let count: Int
            do {
                count = try transport.read(into: UnsafeMutableRawBufferPointer(readBuffer), timeout: timeout)
                if count == 0 { throw IgniteError(.connectionClosed, "\(endpoint) closed the connection") }
            } catch let error as IgniteError where error.code == .timeout {
                readerTimedOut(id, waiter)
                return false
            } catch let error as IgniteError {
                fail(error, relinquishing: true)
                return false
            } catch {
                fail(IgniteError(.socket, "read from \(endpoint) failed", underlying: error), relinquishing: true)
                return false
            }
            decoder.append(UnsafeRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(readBuffer)[0..<count]))

            var topologyChange: AffinityTopologyVersion?
            var notifications: [ConnectionStateMachine.Notification] = []
            var lostError: IgniteError?
            var finished = false
            var counted = 0
            mutex.lock()
            frames: while true {
                let received: ConnectionStateMachine.FrameAction
                do {
                    // In place: the common reply is decoded without copying its frame.
                    guard let action = try decoder.nextFrameAction(for: &machine) else { break }
                    received = action
                } catch let error as IgniteError {
                    lostError = error
                    if case .closeConnection(let e, let ids) = machine.connectionLost(error) { failLocked(ids, e) }
                    failLocked([], error)
                    break
                } catch {
                    break
                }
                // Consumed: the response moves into its waiter rather than being copied (and the action released).
                switch consume received {
                case .deliver(let response, let topology):
                    if let topology { topologyChange = topology }
                    // No waiter: a fire-and-forget resource close, or a request that already failed.
                    if let target = waiters.remove(response.requestId) {
                        target.registered = false
                        target.response = consume response
                        if target === waiter {
                            finished = true
                        } else {
                            target.counted = true
                            counted += 1
                            delivered.append(target)
                        }
                    }
                case .notification(let notification, let topology):
                    if let topology { topologyChange = topology }
                    switch routeNotificationLocked(notification) {
                    case .unclaimed(let unclaimedNotification):
                        notifications.append(unclaimedNotification)
                    case .delivered(let target):
                        if target === waiter { finished = true } else { delivered.append(target) }
                    case .none:
                        break
                    }
                case .discard(_, let topology):
                    if let topology { topologyChange = topology }
                case .none:
                    break
                case .closeConnection(let error, let ids):
                    lostError = error
                    failLocked(ids, error)
                    break frames
                }
            }
            if counted > 0 {
                handoff.lock()
                unclaimed += counted
                // Frames left queued while earlier responses were still to be picked up: while replies keep coming,
                // the count might not drop to zero for long, so the last thread woken now writes them (after the
                // others woken with it queued theirs).
                if flushOwed, let last = delivered.last(where: { $0.counted }) {
                    last.flushDuty = true
                    last.flushDeadline = owedDeadline
                    flushOwed = false
                    owedDeadline = nil
                }
                handoff.unlock()
            }
            var wake: Waiter?
            if finished || lostError != nil { wake = relinquishReaderLocked() }
            mutex.unlock()
            for target in delivered { target.finish() }
            delivered.removeAll(keepingCapacity: true)
            wake?.wake.post()

            if let topologyChange { observer.topologyChanged(topologyChange, self) }
            for notification in notifications { observer.notification(notification, self) }
            if let lostError {
                transport.close()
                reportLoss(lostError)
                return finished
            }
            if finished { return true }
        }
    }

    /// The reader's own deadline passed: its request fails with a timeout and the role passes on.
    private func readerTimedOut(_ id: Int64, _ waiter: Waiter) {
        mutex.lock()
        timeOutLocked(id, waiter)
        let wake = relinquishReaderLocked()
        mutex.unlock()
        wake?.wake.post()
    }

    // MARK: Notifications

    /// Waits for the server notification of a resource of this connection (a compute task's result, OP 6001),
    /// taking the reader role while no other thread reads, so pipelined replies keep flowing to their waiters.
    /// The notification may have arrived already (read with the reply that named the resource): it is kept for
    /// this call by the ``NotificationMailbox``.
    /// - Parameters:
    ///   - resourceId: The resource id (the task id).
    ///   - timeout: The longest wait; `nil` waits until the notification arrives or the connection fails.
    /// - Returns: The notification as a response (its ``ConnectionStateMachine/Response/error`` is the task's failure).
    /// - Throws: ``IgniteError/Code/timeout`` (the wait ends; a late notification is dropped), or a connection error.
    func awaitNotification(resourceId: Int64, opCode: OpCode, timeout: Duration?) throws -> ConnectionStateMachine.Response {
        let deadline = timeout.map { MonotonicClock.deadline(after: $0) }
        let id = ~resourceId  // request ids are positive: the complement never collides with one
        mutex.lock()
        if let error = brokenError {
            mutex.unlock()
            throw error
        }
        if let early = mailbox.subscribe(resourceId, id) {
            mutex.unlock()
            return early.asResponse(opCode: opCode)
        }
        let waiter = Waiter()
        waiters.insert(id, waiter)
        waiter.registered = true
        let reading = !readerActive
        if reading { takeReaderRoleLocked() }
        mutex.unlock()
        wait(for: waiter, id: id, deadline: deadline, reading: reading)
        let response = waiter.response.take()
        let error = waiter.error.take()
        pickedUp(waiter, pool: false, posted: true)
        mutex.withLock { _ = mailbox.unsubscribe(resourceId) }
        if let error { throw error }
        guard let response else { throw IgniteError(.illegalState, "resource \(resourceId) finished without a notification") }
        return response
    }

    private enum Routed {
        case none
        case delivered(Waiter)
        case unclaimed(ConnectionStateMachine.Notification)
    }

    /// Hands a claimed notification to its waiter (registered under the complement of the resource id; the caller
    /// marks it done), or returns the notification when the mailbox does not claim it.
    private func routeNotificationLocked(_ notification: ConnectionStateMachine.Notification) -> Routed {
        switch mailbox.received(notification) {
        case .deliver(let id, let claimed):
            guard let target = waiters.remove(id) else { return .none }
            target.registered = false
            target.response = claimed.asResponse(opCode: claimed.header.notificationOpCode ?? .computeTaskFinished)
            return .delivered(target)
        case .kept:
            return .none
        case .unclaimed(let other):
            return .unclaimed(other)
        }
    }

    /// Fails a still registered waiter with a timeout (a request: the state machine drops its late reply).
    private func timeOutLocked(_ id: Int64, _ waiter: Waiter) {
        guard waiter.registered else { return }
        _ = waiters.remove(id)
        waiter.registered = false
        if id > 0, case .failRequest(_, let message) = machine.requestTimedOut(id) {
            waiter.error = IgniteError(.timeout, "\(message) on \(endpoint)")
        } else if id > 0 {
            waiter.error = IgniteError(.timeout, "request \(id) timed out on \(endpoint)")
        } else {
            waiter.error = IgniteError(.timeout, "no notification for resource \(~id) from \(endpoint) in time")
        }
        waiter.lock.lock()
        waiter.done = true
        waiter.lock.unlock()
    }

    /// Gives the reader role up. - Returns: a waiter asked to take it, to be signalled once the mutex is released.
    private func relinquishReaderLocked() -> Waiter? {
        readerActive = false
        return ensureReaderLocked()
    }

    /// The calling thread becomes the reader: a reader owed by the last thread to pick up is no longer needed.
    /// `mutex` held.
    private func takeReaderRoleLocked() {
        readerActive = true
        handoff.lock()
        readerOwed = false
        handoff.unlock()
    }

    /// While nobody reads and waiters remain, someone must take the reader role: the thread that brings
    /// ``unclaimed`` to zero if responses are still to be picked up (one of those threads usually takes the role
    /// with its next request, at no wake-up), else one waiter, asked now.
    /// - Returns: the waiter asked, to be signalled once the mutex is released.
    private func ensureReaderLocked() -> Waiter? {
        guard !readerActive, !waiters.isEmpty else { return nil }
        handoff.lock()
        let later = unclaimed > 0
        if later { readerOwed = true }
        handoff.unlock()
        guard !later, let target = waiters.anyWaiter() else { return nil }
        target.kick()
        return target
    }

    /// Fails every waiter (those of `ids` and any other still registered) with `error`.
    private func failLocked(_ ids: [Int64], _ error: IgniteError) {
        if brokenError == nil { brokenError = error }
        for waiter in waiters.removeAll() {
            waiter.registered = false
            waiter.error = error
            waiter.finish()
        }
    }

    /// The connection broke: fail everything, close the transport, tell the owner.
    private func fail(_ error: IgniteError, relinquishing: Bool = false) {
        mutex.lock()
        if case .closeConnection(let e, let ids) = machine.connectionLost(error) { failLocked(ids, e) }
        failLocked([], error)
        if relinquishing { readerActive = false }
        mutex.unlock()
        transport.close()
        reportLoss(error)
    }

    private func reportLoss(_ error: IgniteError) {
        let first = mutex.withLock {
            let first = !lossReported
            lossReported = true
            return first
        }
        if first { observer.lost(error, self) }
    }
}

/// The requests awaiting a response on one connection, by request id: the shared ``PendingObjects`` table (ids only
/// increase; no hashing), plus a dictionary for the waiters of server notifications, registered under the complement
/// of their resource id (never a request id).
struct WaiterTable {
    private var requests = PendingObjects<NodeConnection.Waiter>()
    private var notifications: [Int64: NodeConnection.Waiter] = [:]
    /// How many waiters are registered (kept here: asking the two tables costs a few hundred instructions).
    private(set) var count = 0

    /// Registers a waiter.
    mutating func insert(_ id: Int64, _ waiter: NodeConnection.Waiter) {
        count += 1
        if id > 0, requests.insert(id, waiter) { return }
        notifications[id] = waiter
    }

    /// Removes and returns the waiter of a request id.
    mutating func remove(_ id: Int64) -> NodeConnection.Waiter? {
        if let waiter = requests.remove(id) {
            count -= 1
            return waiter
        }
        if notifications.isEmpty { return nil }
        guard let waiter = notifications.removeValue(forKey: id) else { return nil }
        count -= 1
        return waiter
    }

    /// Some registered waiter, if any. (`mutating` only so that the call works on the stored table in place: a
    /// non-mutating call on a class's stored struct copies it first.)
    mutating func anyWaiter() -> NodeConnection.Waiter? {
        if count == 0 { return nil }
        if requests.isEmpty { return notifications.first?.value }
        return requests.first
    }

    /// Whether no waiter is registered.
    var isEmpty: Bool { count == 0 }

    /// Removes and returns every waiter.
    mutating func removeAll() -> [NodeConnection.Waiter] {
        var all = requests.removeAll().map(\.value)
        all.append(contentsOf: notifications.values)
        notifications.removeAll()
        count = 0
        return all
    }
}
