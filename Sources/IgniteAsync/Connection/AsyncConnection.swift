import Foundation
import IgniteProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One connection to one server node: the async driver of a ``ConnectionStateMachine``.
///
/// Many tasks share it, with many requests in flight, matched by request id:
/// - **Writes.** A task encodes its frame into the shared write buffer under a short lock and, if no one holds the
///   writer role, takes it and sends everything queued with non-blocking `send` calls (frames other tasks append
///   meanwhile go out in the same call, coalesced). With other requests in flight it leaves the send to one flush
///   per batch (see `submit`). When the socket buffer is full the writer role moves to the loop, which resumes on
///   writability. No task ever waits for the socket.
/// - **Reads.** Only the loop thread reads: it cuts frames, feeds them to the state machine and resumes each
///   request's continuation by request id. Bodies are decoded by the resumed task.
/// - **Deadlines.** A request's deadline (reads and writes) is enforced by one loop timer per connection, armed
///   for the earliest deadline, whatever is queued ahead of the request; a request whose frame was not fully written
///   when it timed out, with the writer parked on a full socket (the server stopped reading), leaves the stream in
///   an unknown state, so that fails the connection (with ``IgniteError/Code/timeout``): every request on it ends
///   then, none waits past its own deadline for a write.
/// - **Cancellation.** A cancelled task's request fails at once with ``IgniteError/Code/cancelled``; its id is
///   remembered so that the late reply is discarded, and the connection stays usable.
/// - **Loss.** End of stream, a socket error or a malformed frame fails every request in flight with the error.
final class AsyncConnection: LoopSelectable, @unchecked Sendable {
    /// Callbacks to the owner; called without the connection's lock held, often on the loop thread, so they must be
    /// quick and must not wait.
    struct Observer: Sendable {
        var topologyChanged: @Sendable (AffinityTopologyVersion, AsyncConnection) -> Void = { _, _ in }
        var lost: @Sendable (IgniteError, AsyncConnection) -> Void = { _, _ in }
        var notification: @Sendable (ConnectionStateMachine.Notification, AsyncConnection) -> Void = { _, _ in }
    }

    /// How a request's task waits for its response. It is resumed exactly once: whoever takes it out of its ``Waiter``
    /// under the lock resumes it.
    ///
    /// Release builds use an unchecked continuation (no allocation per request). Debug builds, which run the tests
    /// and ThreadSanitizer, use a checked one (`IGNITE_CHECKED_CONTINUATIONS`, set in `Package.swift`): it traps on
    /// a double resume, and ThreadSanitizer sees its hand-over (with an unchecked one it reports a race between the
    /// loop thread's resume and the resumed task, because the hand-over happens inside the uninstrumented
    /// concurrency runtime).
    #if IGNITE_CHECKED_CONTINUATIONS
    typealias ResponseContinuation = CheckedContinuation<ConnectionStateMachine.Response, any Error>
    #else
    typealias ResponseContinuation = UnsafeContinuation<ConnectionStateMachine.Response, any Error>
    #endif

    /// A response to hand to its task once the lock is released. (A struct, not a tuple: an array of tuples is
    /// copied through the runtime's generic tuple witnesses.)
    struct Delivery {
        var continuation: ResponseContinuation
        var response: ConnectionStateMachine.Response
    }

    /// One request awaiting its response. Its fields are guarded by the connection's lock, so the dynamic
    /// exclusivity checks Swift would make on each access of a class property are switched off, field by field
    /// (measured: about 80 instructions per request in `submit`, `swift_beginAccess` and its thread-local look-up).
    final class Waiter: @unchecked Sendable {
        @exclusivity(unchecked) var continuation: ResponseContinuation?
        @exclusivity(unchecked) var id: Int64 = 0
        @exclusivity(unchecked) var deadline: UInt64 = .max
        /// The write-stream offset just past this request's frame.
        @exclusivity(unchecked) var endOffset = 0
        @exclusivity(unchecked) var cancelled = false
        /// The frame was queued: from now on the server may execute the request.
        @exclusivity(unchecked) var registered = false
    }

    /// The server.
    let endpoint: IgniteEndpoint
    /// The loop that reads this connection.
    let loop: EventLoop
    let fd: Int32
    let observer: Observer

    /// The negotiated protocol and the node id: set once by the handshake, before the connection is handed out.
    private(set) var context = ProtocolContext(version: .v1_0_0)
    private(set) var nodeId: UUID?
    /// How often this connection sends a heartbeat when idle; `nil` when heartbeats are off (not configured, or not
    /// negotiated). Set once while opening, before the connection is handed out.
    var heartbeatInterval: Duration?
    /// The decoded-memory budget of one response (``Settings/maximumDecodedSize``); `nil` keeps the reader's default.
    /// Set once while opening, before the connection is handed out.
    var maximumDecodedSize: Int?

    let lock = AsyncLock()
    // Guarded by `lock`.
    @exclusivity(unchecked) var machine: ConnectionStateMachine
    @exclusivity(unchecked) var pendingWrites = BinaryWriter(capacity: 16 * 1024)
    @exclusivity(unchecked) var enqueuedTotal = 0
    @exclusivity(unchecked) var flushedTotal = 0
    @exclusivity(unchecked) var writerActive = false
    @exclusivity(unchecked) var writerParked = false
    @exclusivity(unchecked) var waiters = PendingObjects<Waiter>()
    @exclusivity(unchecked) var brokenError: IgniteError?
    @exclusivity(unchecked) var closeRequested = false
    @exclusivity(unchecked) var fdClosed = false
    @exclusivity(unchecked) var armedDeadline: UInt64?
    @exclusivity(unchecked) var handshakeContinuation: CheckedContinuation<ConnectionStateMachine.HandshakeAction, any Error>?
    @exclusivity(unchecked) var sentCount: UInt64 = 0
    @exclusivity(unchecked) var lossReported = false

    /// The reader asked the writer for another round: the secure session produced records while reading.
    @exclusivity(unchecked) var outputRequested = false
    /// A loop job will write what is queued.
    @exclusivity(unchecked) var flushScheduled = false
    /// Waits for the secure session's handshake.
    @exclusivity(unchecked) var secureContinuation: CheckedContinuation<Void, any Error>?

    // Owned by whoever holds the writer role.
    /// The plaintext batch being written.
    @exclusivity(unchecked) var outgoing = BinaryWriter(capacity: 16 * 1024)
    /// What goes on the wire for the batch: `outgoing` itself in plain TCP, its records with a secure session.
    @exclusivity(unchecked) var wire = BinaryWriter(capacity: 16 * 1024)
    @exclusivity(unchecked) var wirePrepared = false
    @exclusivity(unchecked) var wireOffset = 0

    /// The security layer, if any; every call is made under `sessionLock`.
    let session: (any IgniteSecureSession)?
    let sessionLock = AsyncLock()
    /// Records taken from the session, for the writer (`sessionLock`).
    let cipherScratch: UnsafeMutableRawBufferPointer
    /// Decrypted bytes, for the reader (loop thread).
    let plainBuffer: UnsafeMutableRawBufferPointer
    /// Whether the secure session's handshake finished (loop thread).
    @exclusivity(unchecked) var sessionEstablished = false

    // Loop-confined.
    /// ``processFrames()``'s hand-over buffer, kept between calls.
    @exclusivity(unchecked) var spareDeliveries: [Delivery] = []
    @exclusivity(unchecked) var token: UInt64?
    @exclusivity(unchecked) var decoder: FrameDecoder
    let readBuffer: UnsafeMutableRawBufferPointer

    /// Wraps a connected non-blocking socket and registers it with the loop.
    init(fd: Int32, endpoint: IgniteEndpoint, loop: EventLoop, machine: ConnectionStateMachine, maximumFrameLength: Int,
         observer: Observer, session: (any IgniteSecureSession)? = nil) {
        self.fd = fd
        self.session = session
        plainBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: session == nil ? 0 : 64 * 1024, alignment: 8)
        cipherScratch = UnsafeMutableRawBufferPointer.allocate(byteCount: session == nil ? 0 : 80 * 1024, alignment: 8)
        self.endpoint = endpoint
        self.loop = loop
        self.machine = machine
        self.observer = observer
        decoder = FrameDecoder(maximumFrameLength: maximumFrameLength)
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        loop.execute { [self] in
            do {
                let closed = lock.withLock { fdClosed || closeRequested }
                guard !closed else { return }
                token = try loop.register(fd, handler: self, read: true, write: false)
            } catch let error as IgniteError {
                fail(error)
            } catch {
                fail(IgniteError(.socket, "cannot watch the connection to \(endpoint)", underlying: error))
            }
        }
    }

    deinit {
        if !fdClosed { closeDescriptor(fd) }
        readBuffer.deallocate()
        plainBuffer.deallocate()
        cipherScratch.deallocate()
    }

    // MARK: State

    /// Whether the connection failed or was closed.
    var isBroken: Bool { lock.withLock { brokenError != nil } }

    /// The error that ended the connection, if any.
    var failure: IgniteError? { lock.withLock { brokenError } }

    /// How many requests were sent so far (for idle detection).
    var requestsSent: UInt64 { lock.withLock { sentCount } }

    /// How many requests await their responses.
    var pendingCount: Int { lock.withLock { waiters.count } }

    // MARK: Handshake

    /// Writes the handshake the machine proposes and waits for the machine's verdict on the reply.
    /// - Parameter deadline: When to give up (``LoopClock`` nanoseconds).
    /// - Returns: The machine's action: ready, downgrade (reconnect) or close.
    func handshake(deadline: UInt64) async throws -> ConnectionStateMachine.HandshakeAction {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<ConnectionStateMachine.HandshakeAction, any Error>) in
                lock.lock()
                if let brokenError {
                    lock.unlock()
                    continuation.resume(throwing: brokenError)
                    return
                }
                let action = machine.start()
                guard case .writeHandshake(let frame) = action else {
                    lock.unlock()
                    continuation.resume(returning: action)
                    return
                }
                handshakeContinuation = continuation
                pendingWrites.writeBytes(frame)
                enqueuedTotal += frame.count
                let write = takeWriterRoleLocked()
                lock.unlock()
                if write { drainWrites() }
                loop.execute { [self] in
                    loop.scheduleTimer(at: deadline) { [self] in
                        abortHandshake(IgniteError(.timeout, "no handshake reply from \(endpoint) in time"))
                    }
                }
            }
        } onCancel: {
            abortHandshake(IgniteError(.cancelled, "the handshake with \(endpoint) was cancelled", underlying: CancellationError()))
        }
    }

    /// Records the negotiated context (before the connection is published).
    func setReady(context: ProtocolContext, nodeId: UUID?) {
        self.context = context
        self.nodeId = nodeId
    }

    /// The state machine, to carry into a new connection after a downgrade (this one is then closed).
    func takeMachineForReconnect() -> ConnectionStateMachine {
        let machine = lock.withLock { self.machine }
        closeQuietly()
        return machine
    }

    private func abortHandshake(_ error: IgniteError) {
        lock.lock()
        let continuation = handshakeContinuation
        handshakeContinuation = nil
        lock.unlock()
        guard let continuation else { return }
        continuation.resume(throwing: error)
        closeQuietly()
    }

    // MARK: Requests

    /// Sends a request and waits for its response.
    /// - Parameters:
    ///   - request: The request.
    ///   - timeout: The longest wait for the response (and for the frame to be written); `nil` waits forever.
    ///   - phase: Set to ``FailurePhase/inFlight`` once the request was queued (the server may then execute it).
    /// - Returns: The decoded response.
    /// - Throws: The server's error, ``IgniteError/Code/timeout``, ``IgniteError/Code/cancelled`` or a
    ///   connection error.
    nonisolated(nonsending) func roundTrip<R: IgniteRequest>(_ request: R, timeout: Duration?, phase: inout FailurePhase) async throws -> R.Response {
        let waiter = Waiter()
        let deadline = timeout.map { LoopClock.deadline(after: $0) }
        let response: ConnectionStateMachine.Response
        do {
            response = try await withTaskCancellationHandler {
                #if IGNITE_CHECKED_CONTINUATIONS
                try await withCheckedThrowingContinuation { continuation in
                    submit(request, waiter: waiter, continuation: continuation, deadline: deadline)
                }
                #else
                try await withUnsafeThrowingContinuation { continuation in
                    submit(request, waiter: waiter, continuation: continuation, deadline: deadline)
                }
                #endif
            } onCancel: {
                cancel(waiter)
            }
        } catch {
            if lock.withLock({ waiter.registered }) { phase = .inFlight }
            throw error
        }
        phase = .inFlight
        if let error = response.error { throw error }
        var reader = response.bodyReader
        if let maximumDecodedSize { reader.decodedByteLimit = maximumDecodedSize }
        return try request.decodeResponse(from: &reader, context: context)
    }

    /// Sends a request and waits for its response.
    func roundTrip<R: IgniteRequest>(_ request: R, timeout: Duration?) async throws -> R.Response {
        var phase = FailurePhase.connecting
        return try await roundTrip(request, timeout: timeout, phase: &phase)
    }

    /// Sends a request without waiting for (or keeping) its response: for releasing server resources.
    func sendAndForget<R: IgniteRequest>(_ request: R) {
        lock.lock()
        guard brokenError == nil else {
            lock.unlock()
            return
        }
        let before = pendingWrites.count
        _ = machine.sendRequest(request, into: &pendingWrites)
        enqueuedTotal += pendingWrites.count - before
        let write = takeWriterRoleLocked()
        lock.unlock()
        if write { drainWrites() }
    }

    /// Releases a server resource (a cursor) without waiting: the shared machine queues OP_RESOURCE_CLOSE, which goes
    /// out with the next request on this connection, or from a loop job if none comes first. Its answer is dropped.
    func closeResourceLater(_ resourceId: Int64) {
        let action = lock.withLock { machine.closeResourceLater(resourceId) }
        guard action == .scheduleFlush else { return }
        loop.execute { [self] in flushDeferredResourceCloses() }
    }

    /// Writes the queued resource closes now (a loop job).
    private func flushDeferredResourceCloses() {
        lock.lock()
        guard brokenError == nil else {
            lock.unlock()
            return
        }
        let before = pendingWrites.count
        machine.encodeDeferredResourceCloses(into: &pendingWrites)
        enqueuedTotal += pendingWrites.count - before
        let write = takeWriterRoleLocked()
        lock.unlock()
        if write { drainWrites() }
    }

    private func submit<R: IgniteRequest>(_ request: R, waiter: Waiter,
                                          continuation: ResponseContinuation,
                                          deadline: UInt64?) {
        lock.lock()
        if waiter.cancelled {
            lock.unlock()
            continuation.resume(throwing: cancellationError(request.opCode))
            return
        }
        let closes = pendingWrites.count
        if machine.encodeDeferredResourceCloses(into: &pendingWrites) > 0 {  // mutating: no copy of the machine
            enqueuedTotal += pendingWrites.count - closes
        }
        let before = pendingWrites.count
        switch machine.sendRequest(request, into: &pendingWrites) {
        case .fail(let error):
            let write = takeWriterRoleLocked()
            lock.unlock()
            continuation.resume(throwing: error)
            if write { drainWrites() }
            return
        case .write(let id):
            enqueuedTotal += pendingWrites.count - before
            waiter.id = id
            waiter.continuation = continuation
            waiter.registered = true
            waiter.endOffset = enqueuedTotal
            waiters[id] = waiter
            sentCount &+= 1
        }
        var arm = false
        if let deadline {
            waiter.deadline = deadline
            if armedDeadline.map({ deadline < $0 }) ?? true {
                armedDeadline = deadline
                arm = true
            }
        }
        // Alone in flight: write at once from this task (no thread hop). With others in flight, one flush per batch:
        // the loop writes everything queued meanwhile after its current batch of reads if it is awake; if it sleeps
        // in the poller, one task on the global executor does, queued behind the tasks the last replies resumed, so
        // that the frames they queue meanwhile share its `send` (waking the loop would cost more than the send).
        var write = false
        var scheduleFlush = false
        if waiters.count > 1 {
            if !writerActive, !flushScheduled {
                flushScheduled = true
                scheduleFlush = true
            }
        } else {
            write = takeWriterRoleLocked()
        }
        lock.unlock()
        if scheduleFlush, !loop.executeIfAwake({ [self] in flushFromLoop() }) {
            Task.detached(priority: Task.currentPriority) { [self] in flushFromLoop() }
        }
        if arm { loop.execute { [self] in armSweep(at: deadline ?? .max) } }
        if write { drainWrites() }
    }

    /// Writes what tasks queued while other requests were in flight (a loop job, or a task on the global executor
    /// when the loop slept).
    private func flushFromLoop() {
        lock.lock()
        flushScheduled = false
        let write = takeWriterRoleLocked()
        lock.unlock()
        if write { drainWrites() }
    }

    private func cancellationError(_ opCode: OpCode) -> IgniteError {
        IgniteError(.cancelled, "request \(opCode) to \(endpoint) was cancelled", underlying: CancellationError())
    }

    private func cancel(_ waiter: Waiter) {
        lock.lock()
        waiter.cancelled = true
        guard let continuation = waiter.continuation else {
            lock.unlock()
            return
        }
        waiter.continuation = nil
        waiters.removeValue(forKey: waiter.id)
        // Remembered like a timed-out id: the late reply is discarded when it comes.
        _ = machine.requestTimedOut(waiter.id)
        lock.unlock()
        continuation.resume(throwing: IgniteError(.cancelled, "request \(waiter.id) to \(endpoint) was cancelled",
                                                  underlying: CancellationError()))
    }

    // MARK: Deadlines (loop thread)

    private func armSweep(at deadline: UInt64) {
        loop.scheduleTimer(at: deadline) { [weak self] in self?.sweep() }
    }

    /// Fails every request whose deadline passed, and re-arms for the next one.
    private func sweep() {
        let now = LoopClock.now()
        var expired: [(ResponseContinuation, IgniteError)] = []
        var next = UInt64.max
        var writeStalled = false
        lock.lock()
        for (id, waiter) in waiters {
            guard waiter.deadline <= now else {
                next = min(next, waiter.deadline)
                continue
            }
            guard let continuation = waiter.continuation else { continue }
            // A stalled write, not merely a late one: the frame is not fully written and the writer is parked on a
            // full socket (the server stopped reading). A frame still queued behind an active writer goes out later;
            // its reply is then a late reply, discarded.
            if waiter.endOffset > flushedTotal, writerParked { writeStalled = true }
            waiter.continuation = nil
            waiters.removeValue(forKey: id)
            if case .failRequest(_, let message) = machine.requestTimedOut(id) {
                expired.append((continuation, IgniteError(.timeout, "\(message) on \(endpoint)")))
            } else {
                expired.append((continuation, IgniteError(.timeout, "request \(id) to \(endpoint) timed out")))
            }
        }
        armedDeadline = next == .max ? nil : next
        lock.unlock()
        for (continuation, error) in expired { continuation.resume(throwing: error) }
        if writeStalled {
            // The frame of a timed-out request is not fully written: the server stopped reading, and the stream
            // can no longer be resynchronised.
            fail(IgniteError(.timeout, "writing to \(endpoint) made no progress before the request timeout: the server is not reading"))
            return
        }
        if next != .max { armSweep(at: next) }
    }

    // MARK: Failing and closing

    /// The connection broke: fail everything, close the socket, tell the owner.
    func fail(_ error: IgniteError) {
        lock.lock()
        guard brokenError == nil else {
            lock.unlock()
            return
        }
        brokenError = error
        _ = machine.connectionLost(error)
        let failed = takeAllWaitersLocked()
        let handshake = handshakeContinuation
        handshakeContinuation = nil
        let secure = secureContinuation
        secureContinuation = nil
        closeRequested = true
        let report = !lossReported
        lossReported = true
        lock.unlock()
        for continuation in failed { continuation.resume(throwing: error) }
        handshake?.resume(throwing: error)
        secure?.resume(throwing: error)
        scheduleClose()
        if report { observer.lost(error, self) }
    }

    /// Closes the connection; requests in flight fail with ``IgniteError/Code/connectionClosed``. Idempotent.
    func close() {
        lock.lock()
        let action = machine.close()
        var error = IgniteError(.connectionClosed, "the connection to \(endpoint) was closed")
        if case .closeConnection(let closing, _) = action { error = closing }
        if brokenError == nil { brokenError = error }
        let failed = takeAllWaitersLocked()
        let handshake = handshakeContinuation
        handshakeContinuation = nil
        let secure = secureContinuation
        secureContinuation = nil
        closeRequested = true
        lossReported = true
        lock.unlock()
        for continuation in failed { continuation.resume(throwing: error) }
        handshake?.resume(throwing: error)
        secure?.resume(throwing: error)
        scheduleClose()
    }

    /// Closes without reporting a loss (failed handshakes, downgrades).
    private func closeQuietly() {
        lock.withLock { lossReported = true }
        close()
    }

    func takeAllWaitersLocked() -> [ResponseContinuation] {
        var all: [ResponseContinuation] = []
        all.reserveCapacity(waiters.count)
        for waiter in waiters.values {
            if let continuation = waiter.continuation { all.append(continuation) }
            waiter.continuation = nil
        }
        waiters.removeAll()
        return all
    }

    func scheduleClose() {
        if loop.inLoop {
            finishClose()
        } else {
            loop.execute { [self] in finishClose() }
        }
    }

    /// Deregisters and closes the socket once no writer uses it. Loop thread.
    private func finishClose() {
        lock.lock()
        guard closeRequested, !fdClosed, !writerActive || writerParked else {
            lock.unlock()
            return
        }
        fdClosed = true
        writerActive = false
        writerParked = false
        machine.transportClosed()
        lock.unlock()
        if let token { loop.deregister(fd, token: token) }
        token = nil
        sendClosingAlert()
        closeDescriptor(fd)
    }
}
