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
///   meanwhile go out in the same call, coalesced). When the socket buffer is full the writer role moves to the
///   loop, which resumes on writability. No task ever waits for the socket.
/// - **Reads.** Only the loop thread reads: it cuts frames, feeds them to the state machine and resumes each
///   request's continuation by request id. Bodies are decoded by the resumed task.
/// - **Deadlines.** A request's deadline (reads and writes) is enforced by one loop timer per connection, armed
///   for the earliest deadline; a request whose frame was not fully written when it timed out leaves the stream in
///   an unknown state, so that fails the connection (with ``IgniteError/Code/timeout``).
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

    /// One request awaiting its response. Its fields are guarded by the connection's lock.
    final class Waiter: @unchecked Sendable {
        var continuation: CheckedContinuation<ConnectionStateMachine.Response, any Error>?
        var id: Int64 = 0
        var deadline: UInt64 = .max
        /// The write-stream offset just past this request's frame.
        var endOffset = 0
        var cancelled = false
        /// The frame was queued: from now on the server may execute the request.
        var registered = false
    }

    /// The server.
    let endpoint: IgniteEndpoint
    /// The loop that reads this connection.
    let loop: EventLoop
    private let fd: Int32
    private let observer: Observer

    /// The negotiated protocol and the node id: set once by the handshake, before the connection is handed out.
    private(set) var context = ProtocolContext(version: .v1_0_0)
    private(set) var nodeId: UUID?

    private let lock = AsyncLock()
    // Guarded by `lock`.
    private var machine: ConnectionStateMachine
    private var pendingWrites = BinaryWriter(capacity: 16 * 1024)
    private var enqueuedTotal = 0
    private var flushedTotal = 0
    private var writerActive = false
    private var writerParked = false
    private var waiters: [Int64: Waiter] = [:]
    private var brokenError: IgniteError?
    private var closeRequested = false
    private var fdClosed = false
    private var armedDeadline: UInt64?
    private var handshakeContinuation: CheckedContinuation<ConnectionStateMachine.HandshakeAction, any Error>?
    private var sentCount: UInt64 = 0
    private var lossReported = false

    // Owned by whoever holds the writer role.
    private var outgoing = BinaryWriter(capacity: 16 * 1024)
    private var outgoingOffset = 0

    // Loop-confined.
    private var token: UInt64?
    private var decoder: FrameDecoder
    private let readBuffer: UnsafeMutableRawBufferPointer

    /// Wraps a connected non-blocking socket and registers it with the loop.
    init(fd: Int32, endpoint: IgniteEndpoint, loop: EventLoop, machine: ConnectionStateMachine, maximumFrameLength: Int,
         observer: Observer) {
        self.fd = fd
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
    func roundTrip<R: IgniteRequest>(_ request: R, timeout: Duration?, phase: inout FailurePhase) async throws -> R.Response {
        let waiter = Waiter()
        let response: ConnectionStateMachine.Response
        do {
            response = try await exchange(request, waiter: waiter, deadline: timeout.map { LoopClock.deadline(after: $0) })
        } catch {
            if lock.withLock({ waiter.registered }) { phase = .inFlight }
            throw error
        }
        phase = .inFlight
        if let error = response.error { throw error }
        var reader = response.bodyReader
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

    private func exchange<R: IgniteRequest>(_ request: R, waiter: Waiter, deadline: UInt64?) async throws -> ConnectionStateMachine.Response {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                submit(request, waiter: waiter, continuation: continuation, deadline: deadline)
            }
        } onCancel: {
            cancel(waiter)
        }
    }

    private func submit<R: IgniteRequest>(_ request: R, waiter: Waiter,
                                          continuation: CheckedContinuation<ConnectionStateMachine.Response, any Error>,
                                          deadline: UInt64?) {
        lock.lock()
        if waiter.cancelled {
            lock.unlock()
            continuation.resume(throwing: cancellationError(request.opCode))
            return
        }
        let before = pendingWrites.count
        switch machine.sendRequest(request, into: &pendingWrites) {
        case .fail(let error):
            lock.unlock()
            continuation.resume(throwing: error)
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
        let write = takeWriterRoleLocked()
        lock.unlock()
        if arm { loop.execute { [self] in armSweep(at: deadline ?? .max) } }
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
        var expired: [(CheckedContinuation<ConnectionStateMachine.Response, any Error>, IgniteError)] = []
        var next = UInt64.max
        var writeStalled = false
        lock.lock()
        for (id, waiter) in waiters {
            guard waiter.deadline <= now else {
                next = min(next, waiter.deadline)
                continue
            }
            guard let continuation = waiter.continuation else { continue }
            if waiter.endOffset > flushedTotal { writeStalled = true }
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

    // MARK: Writing

    /// Takes the writer role if it is free and there is something to write. Lock held.
    private func takeWriterRoleLocked() -> Bool {
        guard !writerActive, brokenError == nil, pendingWrites.count > 0 else { return false }
        writerActive = true
        swap(&outgoing, &pendingWrites)
        outgoingOffset = 0
        return true
    }

    /// Writes what is queued until nothing is left or the socket is full. Caller holds the writer role.
    private func drainWrites() {
        while true {
            var sentNow = 0
            while outgoingOffset < outgoing.count {
                let offset = outgoingOffset
                let n = outgoing.withUnsafeBytes { raw -> Int in
                    guard let base = raw.baseAddress else { return 0 }
                    return systemSend(fd, base + offset, raw.count - offset)
                }
                if n > 0 {
                    outgoingOffset += n
                    sentNow += n
                    continue
                }
                let code = errno
                if n < 0, code == EINTR { continue }
                if n < 0, code == EAGAIN || code == EWOULDBLOCK {
                    // The socket is full: park the writer role on the loop until it is writable.
                    lock.lock()
                    flushedTotal += sentNow
                    let broken = brokenError != nil
                    writerParked = !broken
                    if broken { writerActive = false }
                    let closeNow = broken && closeRequested
                    lock.unlock()
                    if closeNow { scheduleClose() }
                    if !broken {
                        if loop.inLoop { setWriteInterest(true) } else { loop.execute { [self] in setWriteInterest(true) } }
                    }
                    return
                }
                lock.lock()
                flushedTotal += sentNow
                writerActive = false
                lock.unlock()
                fail(IgniteError(.socket, "writing to \(endpoint) failed: \(describeErrno(n == 0 ? EPIPE : code))"))
                return
            }
            lock.lock()
            flushedTotal += sentNow
            outgoing.removeAll()
            outgoingOffset = 0
            if brokenError != nil || pendingWrites.count == 0 {
                writerActive = false
                let closeNow = brokenError != nil && closeRequested
                lock.unlock()
                if closeNow { scheduleClose() }
                return
            }
            swap(&outgoing, &pendingWrites)
            lock.unlock()
        }
    }

    private func setWriteInterest(_ write: Bool) {
        guard let token else { return }
        do {
            try loop.setInterest(fd, token: token, read: true, write: write)
        } catch let error as IgniteError {
            fail(error)
        } catch {
            fail(IgniteError(.socket, "cannot watch the connection to \(endpoint)", underlying: error))
        }
    }

    // MARK: Reading (loop thread)

    func loopEvent(readable: Bool, writable: Bool, hangup: Bool) {
        if writable {
            setWriteInterest(false)
            let resume = lock.withLock { () -> Bool in
                guard writerParked else { return false }
                writerParked = false
                return true
            }
            if resume { drainWrites() }
        }
        if readable || hangup { readAvailable() }
    }

    private func readAvailable() {
        var total = 0
        while true {
            let n = recv(fd, readBuffer.baseAddress, readBuffer.count, Int32(MSG_DONTWAIT))
            if n > 0 {
                decoder.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
                total += n
                if n < readBuffer.count || total >= 1 << 20 { break }
                continue
            }
            if n == 0 {
                processFrames()
                fail(IgniteError(.connectionClosed, "\(endpoint) closed the connection"))
                return
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { break }
            processFrames()
            fail(IgniteError(.socket, "reading from \(endpoint) failed: \(describeErrno(code))"))
            return
        }
        processFrames()
    }

    private func processFrames() {
        var resumes: [(CheckedContinuation<ConnectionStateMachine.Response, any Error>, ConnectionStateMachine.Response)] = []
        var handshake: (CheckedContinuation<ConnectionStateMachine.HandshakeAction, any Error>, ConnectionStateMachine.HandshakeAction)?
        var topologyChange: AffinityTopologyVersion?
        var notifications: [ConnectionStateMachine.Notification] = []
        var lost: IgniteError?
        lock.lock()
        frames: while true {
            let frame: [UInt8]
            do {
                guard let next = try decoder.nextFrame() else { break }
                frame = next
            } catch let error as IgniteError {
                lost = error
                break
            } catch {
                lost = IgniteError(.protocolViolation, "malformed frame from \(endpoint)", underlying: error)
                break
            }
            if case .handshaking = machine.state {
                let action = machine.handshakeFrameReceived(frame)
                if let continuation = handshakeContinuation {
                    handshakeContinuation = nil
                    handshake = (continuation, action)
                }
                continue
            }
            switch machine.frameReceived(frame) {
            case .deliver(let response, let topology):
                if let topology { topologyChange = topology }
                // No waiter: a fire-and-forget resource close.
                if let waiter = waiters.removeValue(forKey: response.requestId), let continuation = waiter.continuation {
                    waiter.continuation = nil
                    resumes.append((continuation, response))
                }
            case .notification(let notification, let topology):
                if let topology { topologyChange = topology }
                notifications.append(notification)
            case .discard(_, let topology):
                if let topology { topologyChange = topology }
            case .none:
                break
            case .closeConnection(let error, _):
                lost = error
                break frames
            }
        }
        lock.unlock()
        if let handshake { handshake.0.resume(returning: handshake.1) }
        for (continuation, response) in resumes { continuation.resume(returning: response) }
        if let topologyChange { observer.topologyChanged(topologyChange, self) }
        for notification in notifications { observer.notification(notification, self) }
        if let lost { fail(lost) }
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
        closeRequested = true
        let report = !lossReported
        lossReported = true
        lock.unlock()
        for continuation in failed { continuation.resume(throwing: error) }
        handshake?.resume(throwing: error)
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
        closeRequested = true
        lossReported = true
        lock.unlock()
        for continuation in failed { continuation.resume(throwing: error) }
        handshake?.resume(throwing: error)
        scheduleClose()
    }

    /// Closes without reporting a loss (failed handshakes, downgrades).
    private func closeQuietly() {
        lock.withLock { lossReported = true }
        close()
    }

    private func takeAllWaitersLocked() -> [CheckedContinuation<ConnectionStateMachine.Response, any Error>] {
        var all: [CheckedContinuation<ConnectionStateMachine.Response, any Error>] = []
        all.reserveCapacity(waiters.count)
        for waiter in waiters.values {
            if let continuation = waiter.continuation { all.append(continuation) }
            waiter.continuation = nil
        }
        waiters.removeAll()
        return all
    }

    private func scheduleClose() {
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
        closeDescriptor(fd)
    }
}

@inline(__always)
private func systemSend(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return send(fd, base, count, 0)
    #else
    return send(fd, base, count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
    #endif
}
