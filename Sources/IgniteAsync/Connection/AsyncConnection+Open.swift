import Foundation
import IgniteProtocol

extension AsyncConnection {
    /// How connections are opened.
    struct Settings: Sendable {
        /// What the handshake proposes.
        var machine: ConnectionStateMachine.Configuration
        /// The time limit for the TCP connect.
        var connectTimeout: Duration
        /// The time limit for the handshake reply.
        var handshakeTimeout: Duration
        /// The largest frame accepted.
        var maximumFrameLength: Int
        /// Socket options.
        var tcp = IgniteTCPOptions()
        /// The prepared security layer, if any (``IgniteSecureChannelProvider/prepare()`` already called).
        var secure: (any IgniteSecureChannelProvider)?
        /// The configured heartbeat interval; `nil` disables heartbeats.
        var heartbeatInterval: Duration?
        /// The decoded-memory budget of one response (``IgniteClientConfiguration/maximumDecodedSize``); `nil` keeps
        /// the reader's default.
        var maximumDecodedSize: Int?
    }

    /// What happened during an open, for the owner's events.
    enum OpenEvent: Sendable {
        /// A handshake proposing this version is being sent.
        case handshakeStarted(ProtocolVersion)
    }

    /// Connects and performs the handshake, reconnecting to downgrade the version when the server asks for it.
    /// - Throws: ``IgniteError`` with code `socket`, `timeout`, `handshake`, `authentication` or `cancelled`.
    static func open(to endpoint: IgniteEndpoint, settings: Settings, loop: EventLoop, observer: Observer,
                     events: (@Sendable (OpenEvent) -> Void)? = nil) async throws -> AsyncConnection {
        var machine = ConnectionStateMachine(configuration: settings.machine)
        while true {
            let fd = try await SocketConnect.connect(to: endpoint, timeout: settings.connectTimeout,
                                                     options: settings.tcp, loop: loop)
            let session: (any IgniteSecureSession)?
            do {
                session = try settings.secure?.makeSession(for: endpoint)
            } catch {
                closeDescriptor(fd)
                throw error
            }
            let connection = AsyncConnection(fd: fd, endpoint: endpoint, loop: loop, machine: machine,
                                             maximumFrameLength: settings.maximumFrameLength, observer: observer, session: session)
            if session != nil {
                do {
                    try await connection.secureHandshake(deadline: LoopClock.deadline(after: settings.handshakeTimeout))
                } catch {
                    connection.close()
                    throw error
                }
            }
            let proposed: ProtocolVersion
            if case .awaitingReconnect(let version) = machine.state {
                proposed = version
            } else {
                proposed = settings.machine.initialVersion
            }
            events?(.handshakeStarted(proposed))
            let action: ConnectionStateMachine.HandshakeAction
            do {
                action = try await connection.handshake(deadline: LoopClock.deadline(after: settings.handshakeTimeout))
            } catch let error as IgniteError {
                connection.close()
                if error.code == .timeout {
                    throw IgniteError(.handshake, "no handshake reply from \(endpoint) within \(settings.handshakeTimeout)",
                                      underlying: error)
                }
                throw error
            }
            switch action {
            case .ready(let context, let nodeId):
                connection.setReady(context: context, nodeId: nodeId)
                connection.maximumDecodedSize = settings.maximumDecodedSize
                if let configured = settings.heartbeatInterval,
                   HeartbeatSchedule<AsyncConnection>.needsIdleTimeoutQuery(configured: configured, context: context) {
                    // The interval follows the server's idle timeout (the shared schedule's rule).
                    let idle = try? await connection.roundTrip(GetIdleTimeoutRequest(), timeout: settings.handshakeTimeout)
                    connection.heartbeatInterval = HeartbeatSchedule<AsyncConnection>.interval(configured: configured,
                                                                                               serverIdleTimeoutMilliseconds: idle ?? 0)
                }
                return connection
            case .reconnectAndHandshake:
                machine = connection.takeMachineForReconnect()
            case .closeConnection(let error):
                connection.close()
                throw error
            case .writeHandshake:
                connection.close()
                throw IgniteError(.illegalState, "handshake with \(endpoint) asked to write twice")
            }
        }
    }
}
