import Foundation

/// The life of one connection to one server node, as a sans-IO state machine.
///
/// A plain value: every event is a `mutating func` that returns an action for the driver (the blocking
/// or the async connection) to execute. There is no socket inside, so every path is tested by feeding
/// events. States: idle → handshaking(version) → ready(context, node id) → closing → closed(error?).
///
/// Request ids are allocated here, in increasing order; every request in flight is registered by id, and each
/// response is matched by id, in any order. A response is never handed to the wrong request: a reply to an id
/// that was issued but is no longer pending (its request timed out) is late and dropped, however many requests
/// timed out before; a reply to an id never issued fails the whole connection.
package struct ConnectionStateMachine: Sendable {
    /// What the handshake proposes.
    public struct Configuration: Sendable {
        /// The first version proposed.
        public var initialVersion: ProtocolVersion
        /// The versions the client accepts when the server proposes a downgrade.
        public var supportedVersions: [ProtocolVersion]
        /// The feature bits requested (at ≥ 1.7.0).
        public var features: ProtocolFeatures
        /// The user name, if the server requires authentication.
        public var username: String?
        /// The password. Never logged.
        public var password: String?
        /// User attributes sent where the version calls for the map.
        public var userAttributes: [String: String]?

        /// Creates a configuration.
        /// - Parameters:
        ///   - initialVersion: The first version proposed (default ``ProtocolVersion/preferred``).
        ///   - supportedVersions: The versions accepted in a downgrade (default ``ProtocolVersion/supported``).
        ///   - features: The feature bits requested.
        ///   - username: The user name, if any.
        ///   - password: The password, if any.
        ///   - userAttributes: User attributes, if any.
        public init(initialVersion: ProtocolVersion = .preferred, supportedVersions: [ProtocolVersion] = ProtocolVersion.supported,
                    features: ProtocolFeatures = .defaultRequested, username: String? = nil, password: String? = nil,
                    userAttributes: [String: String]? = nil) {
            self.initialVersion = initialVersion
            self.supportedVersions = supportedVersions
            self.features = features
            self.username = username
            self.password = password
            self.userAttributes = userAttributes
        }
    }

    /// Where the connection is.
    public enum State: Sendable {
        /// Not started.
        case idle
        /// The handshake proposing this version was written; the reply is awaited.
        case handshaking(ProtocolVersion)
        /// The server asked for another version; the driver must open a new stream and call ``start()``.
        case awaitingReconnect(ProtocolVersion)
        /// Requests may be sent.
        case ready(ProtocolContext, nodeId: UUID?)
        /// ``close()`` was called; the transport is being closed.
        case closing
        /// Finished, cleanly (`nil`) or with the error that ended the connection.
        case closed(IgniteError?)
    }

    /// What the driver does after a handshake event.
    public enum HandshakeAction: Sendable {
        /// Write this frame (length included) to the transport.
        case writeHandshake([UInt8])
        /// The connection is ready.
        case ready(ProtocolContext, nodeId: UUID?)
        /// Close the transport, open a new one to the same endpoint, and call ``start()``, which proposes `version`.
        case reconnectAndHandshake(ProtocolVersion)
        /// Close the transport: the handshake failed.
        case closeConnection(IgniteError)
    }

    /// What the driver does after ``sendRequest(_:into:)``.
    public enum SendAction: Sendable {
        /// The frame was appended to the writer and registered under this id: write it.
        case write(requestId: Int64)
        /// Nothing was appended; the request fails with this error (the connection is not ready,
        /// or the request could not be encoded). The connection itself is unaffected.
        case fail(IgniteError)
    }

    /// One response, matched to its request.
    public struct Response: Sendable {
        /// The request id.
        public var requestId: Int64
        /// The request's op code.
        public var opCode: OpCode
        /// The decoded header.
        public var header: ResponseHeader
        /// The whole frame payload (after the length prefix).
        public var payload: [UInt8]
        /// Where the body starts in ``payload``.
        public var bodyOffset: Int

        /// The server's error for a failed request, classified by status and op code; `nil` on success.
        public var error: IgniteError? {
            header.isSuccess ? nil : IgniteError.server(status: header.status, message: header.errorMessage ?? "", opCode: opCode)
        }

        /// A reader positioned at the body.
        public var bodyReader: BinaryReader { BinaryReader(payload, position: bodyOffset) }
    }

    /// A server-initiated notification (continuous-query event, compute-task result).
    public struct Notification: Sendable {
        /// The decoded header; ``ResponseHeader/requestId`` is the resource id.
        public var header: ResponseHeader
        /// The whole frame payload.
        public var payload: [UInt8]
        /// Where the body starts in ``payload``.
        public var bodyOffset: Int
    }

    /// What the driver does after a frame arrived on a ready connection.
    public enum FrameAction: Sendable {
        /// Hand this response to the request waiting for ``Response/requestId``. When the server reported a new
        /// affinity topology version, `topologyVersion` carries it.
        case deliver(Response, topologyVersion: AffinityTopologyVersion?)
        /// A notification for the resource in its header.
        case notification(Notification, topologyVersion: AffinityTopologyVersion?)
        /// A late response to a request that already timed out: drop it.
        case discard(requestId: Int64, topologyVersion: AffinityTopologyVersion?)
        /// Nothing to do (the connection is closing or closed).
        case none
        /// The connection is broken: close the transport and fail these requests with the error.
        case closeConnection(IgniteError, failedRequests: [Int64])
    }

    /// What the driver does after a request timed out.
    public enum TimeoutAction: Sendable, Equatable {
        /// Fail the request with this ``IgniteError/Code/timeout`` error.
        case failRequest(Int64, message: String)
        /// The request is no longer pending (answered or failed already).
        case none
    }

    /// What the driver does after ``close()`` or ``connectionLost(_:)``.
    public enum CloseAction: Sendable {
        /// Close the transport (if still open) and fail these requests with the error.
        case closeConnection(IgniteError, failedRequests: [Int64])
        /// Already closed: nothing to do.
        case none
    }

    /// The current state.
    public private(set) var state: State = .idle
    /// The configuration.
    public let configuration: Configuration
    /// The last affinity topology version the server reported on this connection.
    public private(set) var topologyVersion: AffinityTopologyVersion?

    private var attemptedVersions: [ProtocolVersion] = []
    private var nextRequestId: Int64 = 1
    private var pending = PendingRequests<OpCode>()
    /// Server resources (cursors) to release with OP_RESOURCE_CLOSE when the driver next writes
    /// (see `ConnectionStateMachine+ResourceClose.swift`). Emptied when the connection ends: the server releases
    /// a connection's resources with it.
    var deferredResourceCloses: [Int64] = []

    /// Creates a machine in the idle state.
    /// - Parameter configuration: What the handshake proposes.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The negotiated context, once ready.
    public var protocolContext: ProtocolContext? {
        if case .ready(let context, _) = state { return context }
        return nil
    }

    /// The server node's id, once ready (≥ 1.4.0).
    public var nodeId: UUID? {
        if case .ready(_, let nodeId) = state { return nodeId }
        return nil
    }

    /// Whether requests may be sent.
    public var isReady: Bool {
        if case .ready = state { return true }
        return false
    }

    /// How many requests await a response.
    public var pendingRequestCount: Int { pending.count }

    /// Whether a request id is awaiting its response.
    public func isPending(_ requestId: Int64) -> Bool { pending.contains(requestId) }

    // MARK: Handshake

    /// The transport is connected: write the handshake. Also called after ``HandshakeAction/reconnectAndHandshake(_:)``.
    /// - Returns: ``HandshakeAction/writeHandshake(_:)``, or ``HandshakeAction/closeConnection(_:)`` when called in the wrong state.
    public mutating func start() -> HandshakeAction {
        let version: ProtocolVersion
        switch state {
        case .idle: version = configuration.initialVersion
        case .awaitingReconnect(let proposed): version = proposed
        default:
            return .closeConnection(IgniteError(.illegalState, "handshake started twice on one connection"))
        }
        attemptedVersions.append(version)
        state = .handshaking(version)
        let request = HandshakeRequest(version: version, features: configuration.features, username: configuration.username,
                                       password: configuration.password, userAttributes: configuration.userAttributes)
        return .writeHandshake(request.frame())
    }

    /// A frame arrived while handshaking.
    /// - Parameter payload: The frame payload (after the length prefix).
    /// - Returns: ``HandshakeAction/ready(_:nodeId:)`` on success, ``HandshakeAction/reconnectAndHandshake(_:)``
    ///   to downgrade, or ``HandshakeAction/closeConnection(_:)`` with an ``IgniteError/Code/authentication`` or
    ///   ``IgniteError/Code/handshake`` error.
    public mutating func handshakeFrameReceived(_ payload: [UInt8]) -> HandshakeAction {
        guard case .handshaking(let proposed) = state else {
            return fail(IgniteError(.protocolViolation, "unexpected handshake frame in state \(state)"))
        }
        let response: HandshakeResponse
        do {
            response = try HandshakeResponse.decode(payload: payload, proposed: proposed)
        } catch {
            return fail(IgniteError(.handshake, "malformed handshake reply at \(proposed)", underlying: error))
        }
        switch response {
        case .success(let features, let nodeId):
            let context = ProtocolContext(version: proposed, features: features)
            state = .ready(context, nodeId: nodeId)
            return .ready(context, nodeId: nodeId)
        case .failure(let serverVersion, let message, let status):
            if status == ServerStatus.authFailed || status == ServerStatus.securityViolation {
                return fail(IgniteError(.authentication, message, serverStatus: status))
            }
            let zero = ProtocolVersion(0, 0, 0)
            if serverVersion == zero {
                if message.contains("Unauthenticated") || message.contains("user name or password") {
                    return fail(IgniteError(.authentication, message, serverStatus: status))
                }
                return fail(IgniteError(.handshake, "handshake at \(proposed) rejected: \(message)", serverStatus: status))
            }
            let hasUser = !(configuration.username ?? "").isEmpty
            guard serverVersion != proposed,
                  configuration.supportedVersions.contains(serverVersion),
                  !attemptedVersions.contains(serverVersion),
                  !(hasUser && serverVersion < .v1_1_0) else {
                return fail(IgniteError(.handshake,
                                        "protocol version mismatch: proposed \(proposed), server offers \(serverVersion): \(message)",
                                        serverStatus: status))
            }
            state = .awaitingReconnect(serverVersion)
            return .reconnectAndHandshake(serverVersion)
        }
    }

    private mutating func fail(_ error: IgniteError) -> HandshakeAction {
        state = .closed(error)
        return .closeConnection(error)
    }

    // MARK: Requests

    /// Allocates the next request id, appends the request's frame to `writer` and registers it as pending.
    /// - Parameters:
    ///   - request: The request.
    ///   - writer: The write buffer; on failure it is left as it was.
    /// - Returns: ``SendAction/write(requestId:)``, or ``SendAction/fail(_:)`` if the connection is not ready or
    ///   the request could not be encoded.
    public mutating func sendRequest<R: IgniteRequest>(_ request: R, into writer: inout BinaryWriter) -> SendAction {
        guard case .ready(let context, _) = state else {
            return .fail(notReadyError())
        }
        let id = nextRequestId
        do {
            try RequestFraming.encode(request, requestId: id, context: context, into: &writer)
        } catch let error as IgniteError {
            return .fail(error)
        } catch {
            return .fail(IgniteError(.parameter, "request \(request.opCode) could not be encoded", underlying: error))
        }
        nextRequestId &+= 1
        pending.insert(id, request.opCode)
        return .write(requestId: id)
    }

    private func notReadyError() -> IgniteError {
        switch state {
        case .closed(let error?): return IgniteError(.connectionClosed, "the connection is closed", underlying: error)
        case .closed, .closing: return IgniteError(.connectionClosed, "the connection is closed")
        default: return IgniteError(.illegalState, "the connection is not ready (handshake not finished)")
        }
    }

    /// A frame arrived on a ready connection.
    /// - Parameter payload: The frame payload (after the length prefix).
    /// - Returns: The action: deliver, notification, discard, none, or close the connection.
    public mutating func frameReceived(_ payload: [UInt8]) -> FrameAction {
        guard case .ready(let context, _) = state else {
            if case .handshaking = state {
                return closeAll(IgniteError(.protocolViolation, "a response frame arrived before the handshake finished"))
            }
            return .none
        }
        var reader = BinaryReader(payload)
        let header: ResponseHeader
        do {
            header = try ResponseHeader.decode(from: &reader, context: context)
        } catch {
            return closeAll(IgniteError(.protocolViolation, "malformed response header", underlying: error))
        }
        if let version = header.topologyVersion, topologyVersion.map({ version > $0 }) ?? true {
            topologyVersion = version
        }
        let change = header.topologyVersion
        if header.isNotification {
            return .notification(Notification(header: header, payload: payload, bodyOffset: reader.position), topologyVersion: change)
        }
        let id = header.requestId
        if let opCode = pending.remove(id) {
            let response = Response(requestId: id, opCode: opCode, header: header, payload: payload, bodyOffset: reader.position)
            return .deliver(response, topologyVersion: change)
        }
        if id > 0, id < nextRequestId {
            // Ids only increase: an issued id that is not pending belongs to a request that timed out.
            return .discard(requestId: id, topologyVersion: change)
        }
        return closeAll(IgniteError(.protocolViolation, "response to unknown request id \(id)"))
    }

    /// A frame arrived on a ready connection, read in place from the driver's buffer (``FrameDecoder/withNextFrame(_:)``).
    ///
    /// The common reply (a response with no flag set: success, no topology change, not a notification) is decoded
    /// here without copying the frame: only its body is copied into the ``Response`` (``Response/payload`` is then
    /// the body alone, ``Response/bodyOffset`` 0), and an empty body (a put's reply) allocates nothing. Every
    /// other frame takes ``frameReceived(_:)``.
    /// - Parameter frame: The frame payload (after the length prefix).
    /// - Returns: The action, as ``frameReceived(_:)`` returns it.
    package mutating func frameReceived(in frame: UnsafeRawBufferPointer) -> FrameAction {
        if frame.count >= 10, case .ready(let context, _) = state, context.usesStatusFlags,
           frame.loadUnaligned(fromByteOffset: 8, as: Int16.self) == 0 {
            let id = Int64(littleEndian: frame.loadUnaligned(as: Int64.self))
            if let opCode = pending.remove(id) {
                let body = Array(UnsafeRawBufferPointer(rebasing: frame[10...]))
                let response = Response(requestId: id, opCode: opCode, header: ResponseHeader(requestId: id), payload: body, bodyOffset: 0)
                return .deliver(response, topologyVersion: nil)
            }
        }
        return frameReceived(Array(frame))
    }

    /// A body the driver could not decode for a delivered response means the stream can't be trusted:
    /// call this to fail the connection.
    /// - Parameter error: What went wrong.
    /// - Returns: The close action for every pending request.
    public mutating func responseBodyMalformed(_ error: IgniteError) -> CloseAction {
        guard case .ready = state else { return .none }
        guard case .closeConnection(let failure, let ids) = closeAll(error) else { return .none }
        return .closeConnection(failure, failedRequests: ids)
    }

    /// The request's deadline passed: it fails with a timeout, and its late response will be discarded.
    /// - Parameter requestId: The request.
    /// - Returns: ``TimeoutAction/failRequest(_:message:)`` if it was pending, ``TimeoutAction/none`` otherwise.
    public mutating func requestTimedOut(_ requestId: Int64) -> TimeoutAction {
        guard let opCode = pending.remove(requestId) else { return .none }
        return .failRequest(requestId, message: "request \(requestId) (op \(opCode)) timed out")
    }

    private mutating func closeAll(_ error: IgniteError) -> FrameAction {
        deferredResourceCloses.removeAll()
        let ids = pending.removeAll().map(\.id)
        state = .closed(error)
        return .closeConnection(error, failedRequests: ids)
    }

    // MARK: Closing

    /// The user closes the connection: pending requests fail with ``IgniteError/Code/connectionClosed``.
    /// - Returns: ``CloseAction/closeConnection(_:failedRequests:)``, or ``CloseAction/none`` if already closed.
    public mutating func close() -> CloseAction {
        switch state {
        case .closed, .closing: return .none
        default:
            deferredResourceCloses.removeAll()
            let ids = pending.removeAll().map(\.id)
            state = .closing
            return .closeConnection(IgniteError(.connectionClosed, "the connection was closed by the client"), failedRequests: ids)
        }
    }

    /// The transport finished closing after ``close()``.
    public mutating func transportClosed() {
        if case .closing = state { state = .closed(nil) }
    }

    /// The transport failed or the peer closed the stream: every pending request fails with the error.
    /// - Parameter error: What happened (``IgniteError/Code/socket`` or ``IgniteError/Code/connectionClosed``).
    /// - Returns: ``CloseAction/closeConnection(_:failedRequests:)``, or ``CloseAction/none`` if already closed.
    public mutating func connectionLost(_ error: IgniteError) -> CloseAction {
        switch state {
        case .closed: return .none
        case .closing:
            state = .closed(nil)
            return .none
        default:
            deferredResourceCloses.removeAll()
            let ids = pending.removeAll().map(\.id)
            state = .closed(error)
            return .closeConnection(error, failedRequests: ids)
        }
    }
}
