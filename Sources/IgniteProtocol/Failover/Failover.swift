/// When a failure happened, relative to sending the request.
package enum FailurePhase: Hashable, Sendable {
    /// Before the request was written: connecting, the handshake, or a connection already known to be dead.
    /// The server cannot have seen the request.
    case connecting
    /// After the request was (or may have been) written: the server may have executed it.
    case inFlight
}

/// The failover rules, as pure decisions.
///
/// * Only connection-level failures are retried: ``IgniteError/Code/socket`` and
///   ``IgniteError/Code/connectionClosed`` in either phase, and ``IgniteError/Code/timeout`` while connecting.
///   A server error status never is, and neither is a request timeout (the server may still execute it).
/// * Operations inside a transaction are pinned to the transaction's connection and never retried elsewhere.
/// * ``OperationKind/internalConnectionBound`` operations (resource close, cursor pages, transaction end,
///   heartbeats) are never retried: their ids mean something only on the connection that failed, and that
///   connection's resources are already gone.
/// * ``OperationKind/internalIdempotent`` operations are always retried (Java's "system operations").
/// * A user operation that failed while ``FailurePhase/connecting`` was never sent, so it is always tried on the
///   next endpoint; one that failed ``FailurePhase/inFlight`` is retried only if the ``RetryPolicy`` agrees.
/// * Every retry is bounded by the attempt limit (``attemptLimit(retryLimit:endpointCount:)``).
package enum Failover {
    /// Whether an error is a failure of the connection rather than of the operation.
    /// - Parameters:
    ///   - error: The error.
    ///   - phase: When it happened.
    /// - Returns: `true` for socket errors and closed connections, and for timeouts while connecting.
    public static func isConnectionLevel(_ error: IgniteError, phase: FailurePhase) -> Bool {
        guard error.serverStatus == nil else { return false }
        if error.code == .socket || error.code == .connectionClosed { return true }
        return error.code == .timeout && phase == .connecting
    }

    /// The total number of attempts an operation gets, first included: the configured retry limit capped by the
    /// number of endpoints, or the number of endpoints when the limit is 0 (Java's `getRetryLimit`). At least 1.
    /// - Parameters:
    ///   - retryLimit: The configured limit; 0 or less means "one attempt per endpoint".
    ///   - endpointCount: How many endpoints are configured.
    /// - Returns: The attempt limit.
    public static func attemptLimit(retryLimit: Int, endpointCount: Int) -> Int {
        let endpoints = Swift.max(1, endpointCount)
        return retryLimit > 0 ? Swift.min(retryLimit, endpoints) : endpoints
    }

    /// Whether an operation that failed should be tried again on another connection (ignoring the attempt limit).
    /// - Parameters:
    ///   - opCode: The operation's op code.
    ///   - error: The failure.
    ///   - phase: When it happened.
    ///   - iteration: Retries already made for this operation.
    ///   - inTransaction: Whether the operation belongs to a transaction (or ends one).
    ///   - policy: The configured policy; `nil` means no user operation is retried once sent.
    /// - Returns: `true` to retry.
    public static func shouldRetry(opCode: OpCode, error: IgniteError, phase: FailurePhase, iteration: Int,
                                   inTransaction: Bool, policy: (any RetryPolicy)?) -> Bool {
        guard isConnectionLevel(error, phase: phase), !inTransaction else { return false }
        switch opCode.operationKind {
        case .internalConnectionBound:
            return false
        case .internalIdempotent:
            return true
        case .user(let type):
            if phase == .connecting { return true }
            guard let policy else { return false }
            return policy.shouldRetry(RetryContext(operation: type, iteration: iteration, error: error))
        }
    }
}

/// The retry bookkeeping of one operation, fed with its failures.
///
/// ```swift
/// var tracker = RetryTracker(opCode: .cacheGet, inTransaction: false, policy: policy, attemptLimit: limit)
/// while true {
///     do { return try attempt() }
///     catch let error as IgniteError {
///         guard tracker.recordFailure(error, phase: phase) else { throw tracker.finalError(error) }
///     }
/// }
/// ```
package struct RetryTracker: Sendable {
    /// The operation's op code.
    public let opCode: OpCode
    /// Whether the operation belongs to a transaction.
    public let inTransaction: Bool
    /// The retry policy for user operations.
    public let policy: (any RetryPolicy)?
    /// The total number of attempts allowed, first included.
    public let attemptLimit: Int
    /// The failures so far, oldest first.
    public private(set) var failures: [IgniteError] = []

    /// Creates a tracker for one operation.
    /// - Parameters:
    ///   - opCode: The operation's op code.
    ///   - inTransaction: Whether the operation belongs to a transaction.
    ///   - policy: The retry policy.
    ///   - attemptLimit: The total attempts allowed (at least 1; see ``Failover/attemptLimit(retryLimit:endpointCount:)``).
    public init(opCode: OpCode, inTransaction: Bool, policy: (any RetryPolicy)?, attemptLimit: Int) {
        self.opCode = opCode
        self.inTransaction = inTransaction
        self.policy = policy
        self.attemptLimit = Swift.max(1, attemptLimit)
    }

    /// Records a failed attempt.
    /// - Parameters:
    ///   - error: The failure.
    ///   - phase: When it happened.
    /// - Returns: `true` if the operation should be attempted again (on another connection).
    public mutating func recordFailure(_ error: IgniteError, phase: FailurePhase) -> Bool {
        let iteration = failures.count
        failures.append(error)
        guard failures.count < attemptLimit else { return false }
        return Failover.shouldRetry(opCode: opCode, error: error, phase: phase, iteration: iteration,
                                    inTransaction: inTransaction, policy: policy)
    }

    /// The error to surface when giving up: the last error itself after a single failure, otherwise a
    /// ``IgniteError/Code/reconnect`` error naming every failure (the last one as the underlying error) when all
    /// failures were connection-level, or the last error unchanged.
    /// - Parameter last: The failure that ended the attempts.
    /// - Returns: The error to throw.
    public func finalError(_ last: IgniteError) -> IgniteError {
        guard failures.count > 1, failures.allSatisfy({ $0.serverStatus == nil && ($0.code == .socket || $0.code == .connectionClosed || $0.code == .timeout) }) else {
            return last
        }
        let summary = failures.map(\.description).joined(separator: "; ")
        return IgniteError(.reconnect, "\(opCode) failed after \(failures.count) attempts: \(summary)", underlying: last)
    }
}
