import Foundation
import IgniteProtocol
import IgniteSockets
import IgniteTLS

/// A TLS server for tests: accepts TLS on a loopback port with the same engine in server mode (``SecureTransport``
/// over an accepted socket), then proxies the plaintext to a plain TCP endpoint (an `IgniteTestCluster` node),
/// echoes it, or holds the connection silently. It records each handshake's outcome for assertions.
final class TLSTestServer: @unchecked Sendable {
    /// What the server does with a connection after the handshake.
    enum Behaviour: Sendable {
        /// Forward the plaintext both ways to this plain TCP endpoint.
        case proxy(to: IgniteEndpoint)
        /// Send back every byte received.
        case echo
        /// Keep the connection open without sending anything.
        case hold
        /// Run this on the connection's thread, with the TLS transport and the raw socket under it.
        case custom(@Sendable (SecureTransport, AcceptedSocket) -> Void)
    }

    /// One accepted TLS session.
    struct Session: Sendable {
        var version: IgniteTLSVersion
        var cipher: String
        /// The SNI name the client sent, if any.
        var serverName: String?
        /// The client certificate's subject, if the client sent one.
        var clientSubject: String?
    }

    let endpoint: IgniteEndpoint
    private let listener: LoopbackListener
    private let context: TLSContext
    private let behaviour: Behaviour
    private let keyUpdateEvery: Int?
    /// Drop a connection whose handshake failed with an RST right after the alert, without reading what the client
    /// sent meanwhile (as OpenSSL's s_server and Java servers do).
    var resetOnHandshakeFailure: Bool {
        get { lock.withLock { reset } }
        set { lock.withLock { reset = newValue } }
    }
    private var reset = false
    private let lock = NSLock()
    private var recordedSessions: [Session] = []
    private var recordedFailures: [IgniteError] = []
    private var transports: [any IgniteTransport] = []
    private var keyUpdates = 0
    private let finished = DispatchSemaphore(value: 0)

    /// Starts a server.
    /// - Parameters:
    ///   - settings: Certificate, key and client-certificate policy.
    ///   - behaviour: What to do after the handshake.
    ///   - host: The loopback address to listen on.
    ///   - keyUpdateEvery: With TLS 1.3, request a key update from the client after every this many records sent.
    init(_ settings: TLSServerSettings, behaviour: Behaviour, host: String = "127.0.0.1", keyUpdateEvery: Int? = nil) throws {
        context = try TLSContext(server: settings)
        listener = try LoopbackListener(host: host)
        endpoint = listener.endpoint
        self.behaviour = behaviour
        self.keyUpdateEvery = keyUpdateEvery
        listener.start { [self] socket in
            Thread.detachNewThread { self.serve(socket) }
        }
    }

    /// The standard server: the `localhost` certificate, signed by the test CA.
    convenience init(certificate: String = "server", behaviour: Behaviour, requireClientCertificate: Bool = false,
                     minimumVersion: IgniteTLSVersion = .v1_2, maximumVersion: IgniteTLSVersion? = nil,
                     host: String = "127.0.0.1", keyUpdateEvery: Int? = nil) throws {
        let settings = TLSServerSettings(certificate: TestPKI.file("\(certificate).pem"), privateKey: TestPKI.file("\(certificate).key"),
                                         clientCACertificates: TestPKI.file("ca.pem"),
                                         requireClientCertificate: requireClientCertificate,
                                         minimumVersion: minimumVersion, maximumVersion: maximumVersion)
        try self.init(settings, behaviour: behaviour, host: host, keyUpdateEvery: keyUpdateEvery)
    }

    var sessions: [Session] { lock.withLock { recordedSessions } }
    var failures: [IgniteError] { lock.withLock { recordedFailures } }
    /// How many key updates the server asked for.
    var keyUpdatesRequested: Int { lock.withLock { keyUpdates } }

    /// Waits (as a hang guard, generously) until `count` handshakes have ended, successfully or not.
    func waitForHandshakes(_ count: Int) -> Bool {
        for _ in 0..<count {
            guard finished.wait(timeout: .now() + 60) == .success else { return false }
        }
        return true
    }

    /// Stops accepting and closes every connection.
    func shutdown() {
        listener.stop()
        let open = lock.withLock { () -> [any IgniteTransport] in
            defer { transports.removeAll() }
            return transports
        }
        for transport in open { transport.close() }
    }

    private func track(_ transport: any IgniteTransport) {
        lock.withLock { transports.append(transport) }
    }

    private func serve(_ socket: AcceptedSocket) {
        track(socket)
        if resetOnHandshakeFailure { socket.abortive = true }
        let tls: SecureTransport
        do {
            let engine = try TLSEngine(context: context, host: nil, peerDescription: socket.endpoint.description)
            tls = try SecureTransport.handshake(over: socket, session: engine, timeout: .seconds(60))
        } catch {
            lock.withLock { recordedFailures.append(error as? IgniteError ?? IgniteError(.tls, "\(error)")) }
            finished.signal()
            return
        }
        socket.abortive = false
        track(tls)
        lock.withLock {
            recordedSessions.append(Session(version: tls.negotiatedVersion ?? .v1_2, cipher: tls.cipherName ?? "unknown",
                                            serverName: tls.requestedServerName, clientSubject: tls.peerCertificateSubject))
        }
        finished.signal()
        switch behaviour {
        case .hold:
            break
        case .custom(let handler):
            handler(tls, socket)
        case .echo:
            pump(from: tls, to: tls, keyUpdates: nil)
        case .proxy(let target):
            guard let upstream = try? TCPTransport.connect(to: target, timeout: .seconds(10)) else {
                tls.close()
                return
            }
            track(upstream)
            Thread.detachNewThread { self.pump(from: tls, to: upstream, keyUpdates: nil) }
            pump(from: upstream, to: tls, keyUpdates: keyUpdateEvery.map { ($0, tls) })
        }
    }

    /// Copies bytes until either side ends, then closes both.
    private func pump(from source: any IgniteTransport, to target: any IgniteTransport, keyUpdates: (Int, SecureTransport)?) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var writes = 0
        while true {
            guard let n = try? source.read(into: buffer, timeout: nil), n > 0 else { break }
            do {
                try target.write(UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
                writes += 1
                if let (every, tls) = keyUpdates, writes % every == 0 {
                    try tls.requestKeyUpdate()
                    lock.withLock { self.keyUpdates += 1 }
                }
            } catch {
                break
            }
        }
        source.close()
        target.close()
    }
}
