import Foundation

/// Something that happened to a connection (pyignite's `ConnectionEventListener` events).
public enum ConnectionEvent: Sendable, CustomStringConvertible {
    /// A handshake proposing `protocolVersion` was sent.
    case handshakeStarted(endpoint: IgniteEndpoint, protocolVersion: ProtocolVersion)
    /// The handshake succeeded.
    case handshakeSucceeded(endpoint: IgniteEndpoint, nodeId: UUID?, protocolVersion: ProtocolVersion)
    /// The handshake failed for a reason other than credentials.
    case handshakeFailed(endpoint: IgniteEndpoint, error: IgniteError)
    /// The server rejected the credentials.
    case authenticationFailed(endpoint: IgniteEndpoint, error: IgniteError)
    /// The client closed the connection.
    case connectionClosed(endpoint: IgniteEndpoint, nodeId: UUID?)
    /// The connection broke.
    case connectionLost(endpoint: IgniteEndpoint, nodeId: UUID?, error: IgniteError)

    /// The endpoint the event is about.
    public var endpoint: IgniteEndpoint {
        switch self {
        case .handshakeStarted(let e, _), .handshakeSucceeded(let e, _, _), .handshakeFailed(let e, _),
             .authenticationFailed(let e, _), .connectionClosed(let e, _), .connectionLost(let e, _, _):
            return e
        }
    }

    public var description: String {
        switch self {
        case .handshakeStarted(let e, let v): return "handshake with \(e) started (protocol \(v))"
        case .handshakeSucceeded(let e, let node, let v):
            return "handshake with \(e) succeeded (protocol \(v), node \(node?.uuidString ?? "unknown"))"
        case .handshakeFailed(let e, let error): return "handshake with \(e) failed: \(error)"
        case .authenticationFailed(let e, let error): return "authentication with \(e) failed: \(error)"
        case .connectionClosed(let e, _): return "connection to \(e) closed"
        case .connectionLost(let e, _, let error): return "connection to \(e) lost: \(error)"
        }
    }
}

/// One operation sent to the cluster (pyignite's `QueryEventListener` events).
public struct QueryEventInfo: Sendable {
    /// The op code.
    public var opCode: OpCode
    /// The server the request went to.
    public var endpoint: IgniteEndpoint
    /// The server node's id, when known.
    public var nodeId: UUID?

    /// Creates the description of one operation.
    /// - Parameters:
    ///   - opCode: The op code.
    ///   - endpoint: The server the request goes to.
    ///   - nodeId: The server node's id, when known.
    public init(opCode: OpCode, endpoint: IgniteEndpoint, nodeId: UUID?) {
        self.opCode = opCode
        self.endpoint = endpoint
        self.nodeId = nodeId
    }
}

/// Something that happened to an operation.
public enum QueryEvent: Sendable {
    /// The request is about to be sent.
    case started(QueryEventInfo)
    /// The response arrived; the duration is measured on the monotonic clock.
    case succeeded(QueryEventInfo, duration: Duration)
    /// The operation failed.
    case failed(QueryEventInfo, duration: Duration, error: IgniteError)
}

/// Receives client events. Both methods have empty defaults; implement what you need.
///
/// Listeners are called on the thread that caused the event, so they must be quick and must not call the client.
public protocol IgniteEventListener: Sendable {
    /// A connection event.
    /// - Parameter event: What happened.
    func connectionEvent(_ event: ConnectionEvent)
    /// An operation event. Delivered only when ``wantsQueryEvents`` is `true`.
    /// - Parameter event: What happened.
    func queryEvent(_ event: QueryEvent)
    /// Whether this listener wants ``queryEvent(_:)`` calls (which cost a clock read per operation).
    var wantsQueryEvents: Bool { get }
}

extension IgniteEventListener {
    /// Ignores connection events.
    public func connectionEvent(_ event: ConnectionEvent) {}
    /// Ignores query events.
    public func queryEvent(_ event: QueryEvent) {}
    /// `false` unless overridden.
    public var wantsQueryEvents: Bool { false }
}

/// The level of a log message.
public enum IgniteLogLevel: Int, Sendable, Comparable, CustomStringConvertible {
    /// Every connection event.
    case debug
    /// Connections opened, retries.
    case info
    /// Failed connects, lost connections.
    case warning
    /// Failures the client cannot recover from.
    case error

    public static func < (lhs: IgniteLogLevel, rhs: IgniteLogLevel) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .debug: return "debug"
        case .info: return "info"
        case .warning: return "warning"
        case .error: return "error"
        }
    }
}

/// The logging hook: receives the level and the message. Messages never contain passwords.
public typealias IgniteLogHandler = @Sendable (IgniteLogLevel, String) -> Void
