import Dispatch
import IgniteProtocol

/// A secure connection over another transport (usually ``TCPTransport``): the blocking driver of an
/// ``IgniteSecureSession`` (for example `IgniteTLS`'s TLS engine), created by ``TCPTransportFactory`` when a
/// security layer is configured.
///
/// The session does the cryptographic work in memory; this class only moves its ciphertext through the inner
/// transport. One thread may read while another writes, as ``IgniteTransport`` requires:
/// - the session is guarded by a lock that is never held while blocking on the inner transport: a reader reads
///   ciphertext outside it and then feeds it in;
/// - writers are serialised by a write lock, held until their records are sent, so records leave in the order the
///   engine produced them;
/// - records the session produces while reading (an alert after a damaged record, the refusal of a TLS 1.2
///   renegotiation) are sent by the reader when no writer is busy, and otherwise by the writer before it lets go
///   of the write lock, so a reader never waits for a writer that may itself wait for the peer;
/// - TLS 1.3 session tickets and key updates are processed while reading; the answer to a key update goes out
///   ahead of the next data written;
/// - every write, including the records a reader sends, keeps to its caller's time limit, so a peer that stopped
///   reading cannot hold a request past its deadline.
///
/// ``close()`` sends the closing alert (close_notify) if no write is in progress, then closes the inner transport,
/// which wakes a blocked reader; it is idempotent.
package final class SecureTransport: IgniteTransport, @unchecked Sendable {
    /// The peer.
    public var endpoint: IgniteEndpoint { inner.endpoint }

    private let inner: any IgniteTransport
    private let engine: any IgniteSecureSession

    /// Guards `engine` and `closed`; never held during inner I/O.
    private let engineLock = SocketLock()
    /// Serialises writers and output flushing; guards `output`.
    private let writeLock = SocketLock()
    /// Serialises readers; guards `input`.
    private let readLock = SocketLock()
    private var closed = false
    /// A write failed part-way (guarded by the engine lock): the stream is out of step, so no close_notify follows.
    private var writeFailed = false

    private static let inputCapacity = 64 * 1024
    private static let outputCapacity = 80 * 1024
    /// Plaintext per engine call while writing: bounds the ciphertext held in memory for a large message.
    private static let writeChunk = 64 * 1024
    private let input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer

    private init(inner: any IgniteTransport, engine: any IgniteSecureSession,
                 input: UnsafeMutableRawBufferPointer, output: UnsafeMutableRawBufferPointer) {
        self.inner = inner
        self.engine = engine
        self.input = input
        self.output = output
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    /// Performs the session's handshake over `inner` and returns the connected transport. On failure `inner` is
    /// closed.
    /// - Parameters:
    ///   - inner: A connected byte stream (the transport takes it over).
    ///   - session: A fresh session (client or server side); the transport takes it over.
    ///   - timeout: The time limit for the handshake.
    /// - Returns: The secure transport.
    /// - Throws: ``IgniteError/Code/tls`` when the handshake fails (with the session's reason),
    ///   ``IgniteError/Code/timeout`` when it takes too long, or the inner transport's errors.
    public static func handshake(over inner: any IgniteTransport, session engine: any IgniteSecureSession,
                                 timeout: Duration) throws -> SecureTransport {
        let input = UnsafeMutableRawBufferPointer.allocate(byteCount: inputCapacity, alignment: 16)
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: outputCapacity, alignment: 16)
        var handedOver = false
        defer {
            if !handedOver {
                input.deallocate()
                output.deallocate()
                inner.close()
            }
        }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let progress: IgniteSecureHandshakeProgress
            do {
                progress = try engine.handshake()
            } catch {
                // The output may hold an alert telling the peer why; send it if we can.
                try? send(engine, over: inner, buffer: output, timeout: max(deadline - clock.now, .milliseconds(100)))
                throw error
            }
            try send(engine, over: inner, buffer: output, timeout: deadline - clock.now)
            if progress == .complete { break }
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                throw IgniteError(.timeout, "the secure handshake with \(inner.endpoint) did not finish within \(timeout)")
            }
            let n = try inner.read(into: input, timeout: remaining)
            if n == 0 {
                engine.feedEndOfStream()
            } else {
                try engine.feed(UnsafeRawBufferPointer(rebasing: input[0..<n]))
            }
        }
        handedOver = true
        return SecureTransport(inner: inner, engine: engine, input: input, output: output)
    }

    /// Sends everything pending in the session (callers serialise; used before the transport is shared).
    private static func send(_ engine: any IgniteSecureSession, over inner: any IgniteTransport,
                             buffer: UnsafeMutableRawBufferPointer, timeout: Duration) throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let n = engine.takeOutput(into: buffer)
            if n == 0 { return }
            try inner.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]), timeout: remaining(until: deadline, clock))
        }
    }

    /// The time left until `deadline`, or a timeout error when none is left.
    private static func remaining(until deadline: ContinuousClock.Instant, _ clock: ContinuousClock) throws -> Duration {
        let left = deadline - clock.now
        guard left > .zero else { throw IgniteError(.timeout, "the write did not finish in time") }
        return left
    }

    private var closedError: IgniteError {
        IgniteError(.connectionClosed, "the secure connection to \(endpoint) is closed")
    }

    // MARK: Writing

    /// Encrypts and sends all of `bytes` within `timeout`.
    /// - Parameters:
    ///   - bytes: The plaintext.
    ///   - timeout: The longest the whole write may take, counted from the call (time spent behind another writer
    ///     counts); `nil` waits as long as it takes.
    /// - Throws: ``IgniteError/Code/timeout`` when the time ran out (the stream is then out of step and must be
    ///   closed), ``IgniteError/Code/tls`` for a security failure, ``IgniteError/Code/socket`` from the inner
    ///   transport, ``IgniteError/Code/connectionClosed`` after ``close()``.
    public func write(_ bytes: UnsafeRawBufferPointer, timeout: Duration?) throws {
        guard !bytes.isEmpty else { return }
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now.advanced(by: $0) }
        writeLock.lock()
        var offset = 0
        do {
            while offset < bytes.count {
                let end = offset + min(Self.writeChunk, bytes.count - offset)
                try engineLock.withLock {
                    guard !closed else { throw closedError }
                    try engine.write(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                }
                offset = end
                try flushLocked(deadline: deadline, clock)
            }
        } catch {
            engineLock.withLock { writeFailed = true }
            releaseWriteLock(deadline: deadline, clock)
            if let alert = pendingAlert(after: error) { throw alert }
            throw mapClosed(error)
        }
        releaseWriteLock(deadline: deadline, clock)
    }

    /// After the inner stream failed under a write, the error the peer's alert explains, if one has arrived: a TLS
    /// 1.3 server that rejects the client (say, for a missing client certificate) does so after the client finished
    /// its handshake, sends an alert and drops the connection, so the client's next write meets a reset while the
    /// alert waits unread. Reads what was already received (without waiting) and lets the session interpret it.
    /// Skipped when another thread is reading: that reader meets the alert itself.
    private func pendingAlert(after error: any Error) -> IgniteError? {
        guard let failure = error as? IgniteError, failure.code == .socket || failure.code == .connectionClosed,
              readLock.tryLock() else { return nil }
        defer { readLock.unlock() }
        if engineLock.withLock({ closed }) { return nil }
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        for _ in 0..<64 {
            let n: Int
            do {
                n = try inner.read(into: input, timeout: .zero)
            } catch {
                return sessionError(readingInto: scratch)
            }
            let fed: Bool = engineLock.withLock {
                if n == 0 {
                    engine.feedEndOfStream()
                    return false
                }
                return (try? engine.feed(UnsafeRawBufferPointer(rebasing: input[0..<n]))) != nil
            }
            if let alert = sessionError(readingInto: scratch) { return alert }
            if !fed { return nil }
        }
        return nil
    }

    /// Lets the session process what was fed, discarding plaintext; the error it reports (a fatal alert), if any.
    private func sessionError(readingInto scratch: UnsafeMutableRawBufferPointer) -> IgniteError? {
        engineLock.withLock {
            while true {
                do {
                    guard case .bytes(let n) = try engine.read(into: scratch), n > 0 else { return nil }
                } catch let error as IgniteError {
                    return error.code == .tls ? error : nil
                } catch {
                    return nil
                }
            }
        }
    }

    /// Lets go of the write lock, then sends output a reader left while it was held (see the class comment).
    /// Every holder of the write lock releases it through here. A send failure surfaces on the next operation.
    private func releaseWriteLock(deadline: ContinuousClock.Instant?, _ clock: ContinuousClock) {
        writeLock.unlock()
        try? flushPending(deadline: deadline, clock)
    }

    /// Sends everything pending in the session by `deadline`. The write lock must be held.
    private func flushLocked(deadline: ContinuousClock.Instant?, _ clock: ContinuousClock) throws {
        while true {
            let n = engineLock.withLock { engine.takeOutput(into: output) }
            if n == 0 { return }
            let chunk = UnsafeRawBufferPointer(rebasing: output[0..<n])
            if let deadline {
                try inner.write(chunk, timeout: Self.remaining(until: deadline, clock))
            } else {
                try inner.write(chunk, timeout: nil)
            }
        }
    }

    /// Sends output produced outside a write, unless a writer holds the write lock: that writer then sends it
    /// before it lets go (it re-checks after releasing), so output is never stranded.
    private func flushPending(deadline: ContinuousClock.Instant?, _ clock: ContinuousClock) throws {
        while engineLock.withLock({ engine.pendingOutput > 0 }) {
            guard writeLock.tryLock() else { return }
            do {
                try flushLocked(deadline: deadline, clock)
            } catch {
                writeLock.unlock()
                throw error
            }
            writeLock.unlock()
        }
    }

    // MARK: Reading

    /// Reads and decrypts at least one byte.
    /// - Parameters:
    ///   - buffer: Where to put the plaintext.
    ///   - timeout: How long to wait for the first byte; `nil` waits until data, end of stream or ``close()``.
    /// - Returns: The number of bytes read; 0 when the peer closed the stream.
    /// - Throws: ``IgniteError/Code/timeout``, ``IgniteError/Code/tls`` (for example a fatal alert from the peer),
    ///   ``IgniteError/Code/socket``, or ``IgniteError/Code/connectionClosed`` after ``close()``.
    public func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws -> Int {
        guard !buffer.isEmpty else { throw IgniteError.parameter("read into an empty buffer") }
        readLock.lock()
        defer { readLock.unlock() }
        let clock = ContinuousClock()
        let deadline = timeout.map { clock.now.advanced(by: $0) }
        while true {
            let result: IgniteSecureReadResult
            let hasOutput: Bool
            do {
                (result, hasOutput) = try engineLock.withLock { () throws -> (IgniteSecureReadResult, Bool) in
                    guard !closed else { throw closedError }
                    let result = try engine.read(into: buffer)
                    return (result, engine.pendingOutput > 0)
                }
            } catch {
                // A fatal error leaves an alert telling the peer why: send it (best effort) before reporting.
                try? flushPending(deadline: clock.now.advanced(by: .milliseconds(500)), clock)
                throw error
            }
            if hasOutput {
                // With plaintext in hand a send failure can wait for the next operation to surface.
                if case .bytes = result {
                    try? flushPending(deadline: deadline, clock)
                } else {
                    try flushPending(deadline: deadline, clock)
                }
            }
            switch result {
            case .bytes(let n):
                return n
            case .closed:
                return 0
            case .needsInput:
                var remaining: Duration?
                if let deadline, let timeout {
                    remaining = deadline - clock.now
                    if let left = remaining, left <= .zero {
                        throw IgniteError(.timeout, "no reply from \(endpoint) within \(timeout)")
                    }
                }
                let n: Int
                do {
                    n = try inner.read(into: input, timeout: remaining)
                } catch {
                    throw mapClosed(error)
                }
                try engineLock.withLock {
                    guard !closed else { throw closedError }
                    if n == 0 {
                        engine.feedEndOfStream()
                    } else {
                        try engine.feed(UnsafeRawBufferPointer(rebasing: input[0..<n]))
                    }
                }
            }
        }
    }

    /// After ``close()``, the inner transport's errors read as "closed".
    private func mapClosed(_ error: any Error) -> any Error {
        engineLock.withLock { closed } ? closedError : error
    }

    // MARK: Closing

    /// Sends close_notify (best effort: skipped while a write is in progress or after one failed), then closes the
    /// inner transport, which wakes a blocked reader. Idempotent and safe from any thread. Returns promptly even when
    /// the peer has stopped reading: close_notify is sent from another thread and given at most half a second.
    public func close() {
        let first = engineLock.withLock { () -> Bool in
            guard !closed else { return false }
            closed = true
            return true
        }
        guard first else { return }
        if let alert = takeCloseNotify(), !alert.isEmpty {
            // No more records can follow (writes and reads now fail as closed), so sending it off-thread keeps order.
            let sent = DispatchSemaphore(value: 0)
            let inner = self.inner
            DispatchQueue.global().async {
                try? alert.withUnsafeBytes { try inner.write($0, timeout: .milliseconds(500)) }
                sent.signal()
            }
            _ = sent.wait(timeout: .now() + .milliseconds(500))
        }
        inner.close()
    }

    /// The close_notify record (with anything still pending before it), unless a write is in progress or one failed
    /// part-way (the peer could not make sense of it, and may not be reading at all).
    private func takeCloseNotify() -> [UInt8]? {
        guard writeLock.tryLock() else { return nil }
        defer { writeLock.unlock() }
        return engineLock.withLock {
            if writeFailed { return nil }
            engine.shutdown()
            var bytes: [UInt8] = []
            while true {
                let n = engine.takeOutput(into: output)
                if n == 0 { return bytes }
                bytes.append(contentsOf: output[0..<n])
            }
        }
    }

    // MARK: Package tools

    /// Runs `body` with the session, holding the locks that serialise it, then sends what it produced (tests start
    /// TLS 1.3 key updates and read the negotiated parameters this way).
    /// - Parameter body: Works with the session; must not block.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw, ``IgniteError/Code/connectionClosed`` after ``close()``, or the inner
    ///   transport's write errors.
    package func withSession<T>(_ body: (any IgniteSecureSession) throws -> T) throws -> T {
        let clock = ContinuousClock()
        writeLock.lock()
        defer { releaseWriteLock(deadline: nil, clock) }
        let result = try engineLock.withLock { () throws -> T in
            guard !closed else { throw closedError }
            return try body(engine)
        }
        try flushLocked(deadline: nil, clock)
        return result
    }

    /// Whether a thread is inside ``read(into:timeout:)`` (tests close the transport under a blocked reader).
    package var hasReader: Bool {
        guard readLock.tryLock() else { return true }
        readLock.unlock()
        return false
    }
}
