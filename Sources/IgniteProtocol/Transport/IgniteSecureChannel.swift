/// Secures connections: makes one ``IgniteSecureSession`` per connection. `IgniteTLS`'s `IgniteTLSConfiguration`
/// is one; set it as ``IgniteClientConfiguration/tls``.
///
/// A provider holds settings only; it never touches a socket. Each product runs the sessions over its own I/O: the
/// blocking client over a socket with blocking calls, an event-loop client over non-blocking sockets. So one
/// implementation serves both.
public protocol IgniteSecureChannelProvider: Sendable {
    /// Loads what every session shares (certificates, keys, trust store) and reports mistakes in the settings.
    /// A client calls it once, when it is created, and makes its sessions with the result. The default returns
    /// `self`.
    /// - Returns: A provider ready to make sessions.
    /// - Throws: ``IgniteError/Code/tls`` or ``IgniteError/Code/parameter`` for settings that cannot work.
    func prepare() throws -> any IgniteSecureChannelProvider

    /// A new client-side session for a connection to `endpoint`.
    /// - Parameter endpoint: The server; its host is what the session verifies (unless the settings say otherwise).
    /// - Returns: A session that has not started its handshake.
    /// - Throws: ``IgniteError/Code/tls`` or ``IgniteError/Code/parameter``.
    func makeSession(for endpoint: IgniteEndpoint) throws -> any IgniteSecureSession
}

extension IgniteSecureChannelProvider {
    /// Returns `self`: nothing to load ahead of the sessions.
    public func prepare() throws -> any IgniteSecureChannelProvider { self }
}

/// What a secure session's handshake needs next.
public enum IgniteSecureHandshakeProgress: Sendable, Hashable {
    /// The handshake is done; application data may flow.
    case complete
    /// Send ``IgniteSecureSession/pendingOutput``, then feed more ciphertext from the peer.
    case needsInput
}

/// What reading plaintext from a secure session produced.
public enum IgniteSecureReadResult: Sendable, Hashable {
    /// This many plaintext bytes were copied into the buffer.
    case bytes(Int)
    /// No complete record yet: feed more ciphertext.
    case needsInput
    /// The peer closed the secure stream.
    case closed
}

/// One connection's security layer as a pure byte transformer (sans I/O): ciphertext from the network is fed in and
/// plaintext comes out; plaintext is written in and ciphertext to send comes out. It never owns a socket, a thread
/// or a clock, so any driver can run it: the blocking one moves bytes with blocking socket calls, an event loop
/// with readiness events.
///
/// A session is not thread-safe: its driver serialises every call. After every call the driver sends
/// ``pendingOutput`` (handshake messages, alerts, key-update replies) in the order it was produced, also after a
/// failure, since the output may hold an alert telling the peer why.
public protocol IgniteSecureSession: AnyObject {
    /// Advances the handshake with the ciphertext fed so far.
    /// - Returns: ``IgniteSecureHandshakeProgress/complete`` or ``IgniteSecureHandshakeProgress/needsInput``.
    /// - Throws: ``IgniteError/Code/tls`` naming the reason (certificate verification, an alert from the peer).
    func handshake() throws -> IgniteSecureHandshakeProgress

    /// Hands ciphertext received from the peer to the session (copied; nothing is decrypted yet).
    /// - Parameter ciphertext: The bytes received.
    /// - Throws: ``IgniteError/Code/tls`` if they cannot be buffered.
    func feed(_ ciphertext: UnsafeRawBufferPointer) throws

    /// Records that the peer's byte stream ended: once the fed ciphertext is consumed, reads report
    /// ``IgniteSecureReadResult/closed`` (or the alert the peer sent before it left).
    func feedEndOfStream()

    /// The number of ciphertext bytes waiting to be sent.
    var pendingOutput: Int { get }

    /// Moves up to `buffer.count` bytes of ciphertext to send into `buffer`, oldest first.
    /// - Parameter buffer: Where to put them.
    /// - Returns: The number of bytes moved (0 when nothing is pending).
    func takeOutput(into buffer: UnsafeMutableRawBufferPointer) -> Int

    /// Decrypts into `buffer`, processing post-handshake messages on the way (session tickets, key updates).
    /// - Parameter buffer: Where to put the plaintext.
    /// - Returns: Plaintext bytes, ``IgniteSecureReadResult/needsInput`` or ``IgniteSecureReadResult/closed``.
    /// - Throws: ``IgniteError/Code/tls`` for a fatal alert from the peer (named) or a damaged record.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> IgniteSecureReadResult

    /// Encrypts all of `plaintext` into ``pendingOutput``.
    /// - Parameter plaintext: The bytes to protect.
    /// - Throws: ``IgniteError/Code/tls`` after a fatal error or before the handshake completed.
    func write(_ plaintext: UnsafeRawBufferPointer) throws

    /// Queues the closing alert (TLS close_notify) in ``pendingOutput``; best effort, never throws.
    func shutdown()
}
