import Foundation
import IgniteProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The byte-moving half of ``AsyncConnection``: the writer role (tasks or the loop), the loop's reader, and the
// secure session between them and the socket when one is configured.
extension AsyncConnection {
    // MARK: Writing

    /// Takes the writer role if it is free and there is something to write (or `force`: the secure session has
    /// records to send). Lock held.
    func takeWriterRoleLocked(force: Bool = false) -> Bool {
        guard !writerActive, brokenError == nil, pendingWrites.count > 0 || force else { return false }
        writerActive = true
        swap(&outgoing, &pendingWrites)
        wirePrepared = false
        return true
    }

    /// Writes what is queued until nothing is left or the socket is full. Caller holds the writer role. With a
    /// secure session each batch is encrypted first, and every record the session produced so far (including
    /// those produced while reading) goes out in order.
    func drainWrites() {
        while true {
            if !wirePrepared {
                if let session {
                    do {
                        try sessionLock.withLock {
                            if outgoing.count > 0 { try outgoing.withUnsafeBytes { try session.write($0) } }
                            takeSessionOutputLocked(session)
                        }
                    } catch {
                        releaseWriterRole()
                        fail(error as? IgniteError ?? IgniteError(.tls, "cannot protect data for \(endpoint)", underlying: error))
                        return
                    }
                }
                wirePrepared = true
                wireOffset = 0
            }
            var sentNow = 0
            let total = session == nil ? outgoing.count : wire.count
            while wireOffset < total {
                let offset = wireOffset
                let send = { (raw: UnsafeRawBufferPointer) -> Int in
                    guard let base = raw.baseAddress else { return 0 }
                    return systemSend(self.fd, base + offset, raw.count - offset)
                }
                let n = session == nil ? outgoing.withUnsafeBytes(send) : wire.withUnsafeBytes(send)
                if n > 0 {
                    wireOffset += n
                    sentNow += n
                    continue
                }
                let code = errno
                if n < 0, code == EINTR { continue }
                if n < 0, code == EAGAIN || code == EWOULDBLOCK {
                    // The socket is full: park the writer role on the loop until it is writable.
                    lock.lock()
                    if session == nil { flushedTotal += sentNow }
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
                releaseWriterRole()
                failWrite(IgniteError(.socket, "writing to \(endpoint) failed: \(describeErrno(n == 0 ? EPIPE : code))"))
                return
            }
            lock.lock()
            // With a secure session, a batch counts as written once all of its records are sent.
            flushedTotal += session == nil ? sentNow : outgoing.count
            outgoing.removeAll()
            wire.removeAll()
            wirePrepared = false
            if brokenError != nil || (pendingWrites.count == 0 && !outputRequested) {
                writerActive = false
                let closeNow = brokenError != nil && closeRequested
                lock.unlock()
                if closeNow { scheduleClose() }
                return
            }
            outputRequested = false
            swap(&outgoing, &pendingWrites)
            lock.unlock()
        }
    }

    /// A write failed: the peer reset or closed the connection. With a secure session the reason may be waiting unread:
    /// a TLS 1.3 server that rejects the client (say, for a missing client certificate) does so after the client
    /// finished its handshake, sends an alert and drops the connection, so the client's next write meets a reset while
    /// the alert waits in the socket. The loop reads what arrived first, so that the alert is the error reported
    /// (``IgniteError/Code/tls`` naming it); `error` otherwise.
    private func failWrite(_ error: IgniteError) {
        guard session != nil else {
            fail(error)
            return
        }
        loop.execute { [self] in
            if lock.withLock({ brokenError == nil && !fdClosed }) { readAvailable() }
            fail(error)
        }
    }

    private func releaseWriterRole() {
        lock.withLock {
            writerActive = false
            writerParked = false
        }
    }

    /// Moves every record the session produced into `wire`. `sessionLock` held.
    private func takeSessionOutputLocked(_ session: any IgniteSecureSession) {
        while session.pendingOutput > 0 {
            let moved = session.takeOutput(into: cipherScratch)
            if moved == 0 { break }
            wire.writeBytes(UnsafeRawBufferPointer(rebasing: cipherScratch[0..<moved]))
        }
    }

    /// Gets the session's records onto the wire: joins the active writer's next round, or takes the writer role.
    func kickWriter() {
        lock.lock()
        if writerActive {
            outputRequested = true
            lock.unlock()
            return
        }
        let write = takeWriterRoleLocked(force: true)
        lock.unlock()
        if write { drainWrites() }
    }

    func setWriteInterest(_ write: Bool) {
        guard let token else { return }
        do {
            try loop.setInterest(fd, token: token, read: true, write: write)
        } catch let error as IgniteError {
            fail(error)
        } catch {
            fail(IgniteError(.socket, "cannot watch the connection to \(endpoint)", underlying: error))
        }
    }

    /// Sends the session's closing alert if the socket takes it at once (best effort). Loop thread, at close.
    func sendClosingAlert() {
        guard let session, sessionEstablished else { return }
        var alert = [UInt8](repeating: 0, count: 512)
        let moved = sessionLock.withLock { () -> Int in
            session.shutdown()
            return alert.withUnsafeMutableBytes { session.takeOutput(into: $0) }
        }
        guard moved > 0 else { return }
        alert.withUnsafeBytes { raw in
            if let base = raw.baseAddress { _ = systemSend(fd, base, moved) }
        }
    }

    // MARK: The secure session's handshake

    /// Runs the secure session's handshake on the loop.
    /// - Parameter deadline: When to give up (``LoopClock`` nanoseconds).
    /// - Throws: ``IgniteError/Code/tls`` with the session's reason, ``IgniteError/Code/timeout``, connection errors.
    func secureHandshake(deadline: UInt64) async throws {
        guard session != nil else { return }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                lock.lock()
                if let brokenError {
                    lock.unlock()
                    continuation.resume(throwing: brokenError)
                    return
                }
                secureContinuation = continuation
                lock.unlock()
                loop.execute { [self] in
                    stepSecureHandshake()
                    loop.scheduleTimer(at: deadline) { [self] in
                        let waiting = lock.withLock { secureContinuation != nil }
                        if waiting { fail(IgniteError(.timeout, "the TLS handshake with \(endpoint) did not finish in time")) }
                    }
                }
            }
        } onCancel: {
            fail(IgniteError(.cancelled, "the TLS handshake with \(endpoint) was cancelled", underlying: CancellationError()))
        }
    }

    /// Advances the session's handshake with what was fed. Loop thread.
    private func stepSecureHandshake() {
        guard let session, !sessionEstablished else { return }
        let progress: IgniteSecureHandshakeProgress
        do {
            progress = try sessionLock.withLock { try session.handshake() }
        } catch {
            kickWriter()  // the alert telling the peer why
            fail(error as? IgniteError ?? IgniteError(.tls, "the TLS handshake with \(endpoint) failed", underlying: error))
            return
        }
        kickWriter()
        guard progress == .complete else { return }
        sessionEstablished = true
        let continuation = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
            defer { secureContinuation = nil }
            return secureContinuation
        }
        continuation?.resume()
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
                let chunk = UnsafeRawBufferPointer(rebasing: readBuffer[0..<n])
                if session != nil {
                    guard unprotect(chunk, endOfStream: false) else { return }
                } else {
                    decoder.append(chunk)
                }
                total += n
                if n < readBuffer.count || total >= 1 << 20 { break }
                continue
            }
            if n == 0 {
                if session != nil { _ = unprotect(UnsafeRawBufferPointer(start: nil, count: 0), endOfStream: true) }
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

    /// Feeds ciphertext to the session and moves the plaintext to the frame decoder.
    /// - Returns: `false` when the connection failed (the session rejected the data).
    private func unprotect(_ ciphertext: UnsafeRawBufferPointer, endOfStream: Bool) -> Bool {
        guard let session else { return true }
        do {
            try sessionLock.withLock {
                if endOfStream { session.feedEndOfStream() } else { try session.feed(ciphertext) }
            }
            if !sessionEstablished {
                stepSecureHandshake()
                guard sessionEstablished else { return true }
            }
            var output = false
            try sessionLock.withLock {
                reading: while true {
                    switch try session.read(into: plainBuffer) {
                    case .bytes(let count):
                        decoder.append(UnsafeRawBufferPointer(rebasing: plainBuffer[0..<count]))
                    case .needsInput, .closed:
                        break reading
                    }
                }
                output = session.pendingOutput > 0
            }
            if output { kickWriter() }
            return true
        } catch {
            kickWriter()
            processFrames()
            fail(error as? IgniteError ?? IgniteError(.tls, "TLS error reading from \(endpoint)", underlying: error))
            return false
        }
    }

    func processFrames() {
        var resumes = spareDeliveries  // loop thread: the buffer of the previous call, without allocating
        spareDeliveries = []
        var handshake: (CheckedContinuation<ConnectionStateMachine.HandshakeAction, any Error>, ConnectionStateMachine.HandshakeAction)?
        var topologyChange: AffinityTopologyVersion?
        var notifications: [ConnectionStateMachine.Notification] = []
        var lost: IgniteError?
        lock.lock()
        frames: while true {
            var frame: [UInt8] = []
            var received = ConnectionStateMachine.FrameAction.none
            do {
                if case .handshaking = machine.state {
                    guard let next = try decoder.nextFrame() else { break }
                    frame = next
                } else {
                    // In place: the common reply is decoded without copying its frame.
                    guard let action = try decoder.nextFrameAction(for: &machine) else { break }
                    received = action
                }
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
            switch received {
            case .deliver(let response, let topology):
                if let topology { topologyChange = topology }
                // No waiter: a fire-and-forget resource close.
                if let waiter = waiters.removeValue(forKey: response.requestId), let continuation = waiter.continuation {
                    waiter.continuation = nil
                    resumes.append(Delivery(continuation: continuation, response: response))
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
        for delivery in resumes { delivery.continuation.resume(returning: delivery.response) }
        resumes.removeAll(keepingCapacity: true)
        spareDeliveries = resumes
        if let topologyChange { observer.topologyChanged(topologyChange, self) }
        for notification in notifications { observer.notification(notification, self) }
        if let lost { fail(lost) }
    }
}

@inline(__always)
func systemSend(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
    return send(fd, base, count, 0)
    #else
    return send(fd, base, count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT))
    #endif
}
