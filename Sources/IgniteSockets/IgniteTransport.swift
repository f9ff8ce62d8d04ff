import IgniteProtocol

/// A connected, bidirectional byte stream to one server, with blocking calls: the transport under the blocking
/// client.
///
/// Plain TCP (``TCPTransport``), a secure session over it (``SecureTransport``) and test doubles implement it. A
/// transport moves bytes only; framing, request ids and everything else belong to the protocol engine.
/// Implementations must be safe to use from one reading thread and one writing thread at the same time, and
/// ``close()`` must wake a blocked reader.
///
/// Both directions take a time limit: a read waits at most that long for data, and a write fails once it could not
/// hand all its bytes to the network in that time (the peer stopped reading and the buffers are full). The blocking
/// client passes what is left of the request's deadline, so a server that stops reading cannot hold a request past
/// its timeout, whatever the transport.
package protocol IgniteTransport: AnyObject, Sendable {
    /// Writes all of `bytes`, handling partial writes and interrupts, within `timeout`.
    /// - Parameters:
    ///   - bytes: The bytes to send.
    ///   - timeout: The longest the whole write may take; `nil` waits as long as it takes.
    /// - Throws: ``IgniteError/Code/timeout`` when the time ran out (part of the bytes may have been sent: the stream
    ///   is then out of step and must be closed), ``IgniteError/Code/socket``, ``IgniteError/Code/connectionClosed``
    ///   or ``IgniteError/Code/tls``.
    func write(_ bytes: UnsafeRawBufferPointer, timeout: Duration?) throws

    /// Reads at least one byte into `buffer`, waiting at most `timeout` (forever if `nil`).
    /// - Returns: The number of bytes read; 0 means the peer closed the stream.
    /// - Throws: ``IgniteError/Code/timeout`` when nothing arrived in time; ``IgniteError/Code/socket`` on failure.
    func read(into buffer: UnsafeMutableRawBufferPointer, timeout: Duration?) throws -> Int

    /// Closes the stream. Idempotent; a blocked ``read(into:timeout:)`` returns or throws promptly.
    func close()

    /// The peer, for messages and events.
    var endpoint: IgniteEndpoint { get }
}

extension IgniteTransport {
    /// Writes all of `bytes`, waiting as long as it takes.
    /// - Parameter bytes: The bytes to send.
    /// - Throws: As ``IgniteTransport/write(_:timeout:)``.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        try write(bytes, timeout: nil)
    }
}

/// Opens blocking transports: plain TCP, TCP with a secure session, or a test double.
package protocol IgniteTransportFactory: Sendable {
    /// Connects to `endpoint` (and completes any security handshake) within `timeout`.
    /// - Throws: ``IgniteError/Code/socket``, ``IgniteError/Code/timeout`` or ``IgniteError/Code/tls``.
    func connect(to endpoint: IgniteEndpoint, timeout: Duration) throws -> any IgniteTransport
}
