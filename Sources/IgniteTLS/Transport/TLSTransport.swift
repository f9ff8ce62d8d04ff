import IgniteSockets
import Dispatch
import IgniteProtocol

/// A TLS connection over another transport (usually ``TCPTransport``): the blocking TLS transport of
/// `IgniteSync`, created by ``TLSTransportFactory``.
///
/// One ``TLSEngine`` does the TLS work in memory; this class only moves its ciphertext through the inner
/// transport. One thread may read while another writes, as ``IgniteTransport`` requires:
/// - the engine is guarded by a lock that is never held while blocking on the inner transport: a reader reads
///   ciphertext outside it and then feeds it in;
/// - writers are serialised by a write lock, held until their records are sent, so records leave in the order the
///   engine produced them;
/// - records the engine produces while reading (an alert after a damaged record, the refusal of a TLS 1.2
///   renegotiation) are sent by the reader when no writer is busy, and otherwise by the writer before it lets go
///   of the write lock, so a reader never waits for a writer that may itself wait for the peer;
/// - TLS 1.3 session tickets and key updates are processed while reading; OpenSSL sends the answer to a key update
///   ahead of the next data written.
///
/// ``close()`` sends close_notify if no write is in progress, then closes the inner transport, which wakes a
/// blocked reader; it is idempotent.
public final class TLSTransport: IgniteTransport, @unchecked Sendable {
    /// The peer.
    public var endpoint: IgniteEndpoint { inner.endpoint }

    private let inner: any IgniteTransport
    private let engine: TLSEngine

    /// Guards `engine` and `closed`; never held during inner I/O.
    private let engineLock = SocketLock()
    /// Serialises writers and output flushing; guards `output`.
    private let writeLock = SocketLock()
    /// Serialises readers; guards `input`.
    private let readLock = SocketLock()
    private var closed = false

    private static let inputCapacity = 64 * 1024
    private static let outputCapacity = 80 * 1024
    /// Plaintext per engine call while writing: bounds the ciphertext held in memory for a large message.
    private static let writeChunk = 64 * 1024
    private let input: UnsafeMutableRawBufferPointer
    private let output: UnsafeMutableRawBufferPointer

    /// The negotiated protocol version.
    public let negotiatedVersion: IgniteTLSVersion
    /// The negotiated cipher's OpenSSL name, for example `"TLS_AES_256_GCM_SHA384"`.
    public let cipherName: String
    /// The peer certificate's subject in OpenSSL's one-line form (for example `"/CN=localhost"`), if it sent one.
    public let peerCertificateSubject: String?

    private init(inner: any IgniteTransport, engine: TLSEngine,
                 input: UnsafeMutableRawBufferPointer, output: UnsafeMutableRawBufferPointer) {
        self.inner = inner
        self.engine = engine
        self.input = input
        self.output = output
        negotiatedVersion = engine.negotiatedVersion ?? .v1_2
        cipherName = engine.cipherName ?? "unknown"
        peerCertificateSubject = engine.peerCertificateSubject
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    /// Performs the TLS handshake over `inner` and returns the connected transport. On failure `inner` is closed.
    /// - Parameters:
    ///   - inner: A connected byte stream (the transport takes it over).
    ///   - context: The TLS context; its role decides whether this side connects or accepts.
    ///   - host: The host name or IP being connected to (clients), for verification and SNI.
    ///   - timeout: The time limit for the handshake.
    /// - Returns: The TLS transport.
    /// - Throws: ``IgniteError/Code/tls`` when the handshake fails (with OpenSSL's reason),
    ///   ``IgniteError/Code/timeout`` when it takes too long, or the inner transport's errors.
    package static func handshake(over inner: any IgniteTransport, context: TLSContext, host: String?,
                                  timeout: Duration) throws -> TLSTransport {
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
        let engine = try TLSEngine(context: context, host: host, peerDescription: inner.endpoint.description)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let progress: TLSEngine.HandshakeProgress
            do {
                progress = try engine.handshake()
            } catch {
                // The output may hold an alert telling the peer why; send it if we can.
                try? send(engine, over: inner, buffer: output)
                throw error
            }
            try send(engine, over: inner, buffer: output)
            if progress == .complete { break }
            let remaining = deadline - clock.now
            guard remaining > .zero else {
                throw IgniteError(.timeout, "the TLS handshake with \(inner.endpoint) did not finish within \(timeout)")
            }
            let n = try inner.read(into: input, timeout: remaining)
            if n == 0 {
                engine.feedEndOfStream()
            } else {
                try engine.feed(UnsafeRawBufferPointer(rebasing: input[0..<n]))
            }
        }
        handedOver = true
        return TLSTransport(inner: inner, engine: engine, input: input, output: output)
    }

    /// Sends everything pending in the engine (callers serialise; used before the transport is shared).
    private static func send(_ engine: TLSEngine, over inner: any IgniteTransport, buffer: UnsafeMutableRawBufferPointer) throws {
        while true {
            let n = engine.takeOutput(into: buffer)
            if n == 0 { return }
            try inner.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    private var closedError: IgniteError {
        IgniteError(.connectionClosed, "the TLS connection to \(endpoint) is closed")
    }

    // MARK: Writing

    /// Encrypts and sends all of `bytes`.
    /// - Parameter bytes: The plaintext.
    /// - Throws: ``IgniteError/Code/tls`` for a TLS failure, ``IgniteError/Code/socket`` from the inner transport,
    ///   ``IgniteError/Code/connectionClosed`` after ``close()``.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
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
                try flushLocked()
            }
        } catch {
            releaseWriteLock()
            throw mapClosed(error)
        }
        releaseWriteLock()
    }

    /// Lets go of the write lock, then sends output a reader left while it was held (see the class comment).
    /// Every holder of the write lock releases it through here. A send failure surfaces on the next operation.
    private func releaseWriteLock() {
        writeLock.unlock()
        try? flushPending()
    }

    /// Sends everything pending in the engine. The write lock must be held.
    private func flushLocked() throws {
        while true {
            let n = engineLock.withLock { engine.takeOutput(into: output) }
            if n == 0 { return }
            try inner.write(UnsafeRawBufferPointer(rebasing: output[0..<n]))
        }
    }

    /// Sends output produced outside a write, unless a writer holds the write lock: that writer then sends it
    /// before it lets go (it re-checks after releasing), so output is never stranded.
    private func flushPending() throws {
        while engineLock.withLock({ engine.pendingOutput > 0 }) {
            guard writeLock.tryLock() else { return }
            do {
                try flushLocked()
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
            let result: TLSEngine.ReadResult
            let hasOutput: Bool
            do {
                (result, hasOutput) = try engineLock.withLock { () throws -> (TLSEngine.ReadResult, Bool) in
                    guard !closed else { throw closedError }
                    let result = try engine.read(into: buffer)
                    return (result, engine.pendingOutput > 0)
                }
            } catch {
                // A fatal TLS error leaves an alert telling the peer why: send it (best effort) before reporting.
                try? flushPending()
                throw error
            }
            if hasOutput {
                // With plaintext in hand a send failure can wait for the next operation to surface.
                if case .bytes = result { try? flushPending() } else { try flushPending() }
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

    /// Sends close_notify (best effort: skipped while a write is in progress), then closes the inner transport,
    /// which wakes a blocked reader. Idempotent and safe from any thread. Returns promptly even when the peer has
    /// stopped reading: close_notify is sent from another thread and given at most half a second.
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
                try? alert.withUnsafeBytes { try inner.write($0) }
                sent.signal()
            }
            _ = sent.wait(timeout: .now() + .milliseconds(500))
        }
        inner.close()
    }

    /// The close_notify record (with anything still pending before it), unless a write is in progress.
    private func takeCloseNotify() -> [UInt8]? {
        guard writeLock.tryLock() else { return nil }
        defer { writeLock.unlock() }
        return engineLock.withLock {
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

    /// Starts a TLS 1.3 key update that asks the peer to update its keys too (tests use it on the server side).
    /// - Throws: ``IgniteError/Code/tls`` when the session is not TLS 1.3, or the inner transport's write errors.
    package func requestKeyUpdate() throws {
        writeLock.lock()
        defer { releaseWriteLock() }
        try engineLock.withLock {
            guard !closed else { throw closedError }
            try engine.requestKeyUpdate()
        }
        try flushLocked()
    }

    /// Whether a thread is inside ``read(into:timeout:)`` (tests close the transport under a blocked reader).
    package var hasReader: Bool {
        guard readLock.tryLock() else { return true }
        readLock.unlock()
        return false
    }

    /// The SNI name the client sent (server side).
    package var requestedServerName: String? { engineLock.withLock { engine.requestedServerName } }
}
