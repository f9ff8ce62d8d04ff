/// One operation's life: where each attempt goes and whether a failure is retried, as a sans-IO state machine.
///
/// The driver asks ``nextAttempt()`` where to send, resolves that against the ``ClusterStateMachine`` (any
/// connection, the key's owner, or the pinned connection), sends, and reports a failure with
/// ``attemptFailed(_:phase:)``, which answers "retry" (possibly with a background dial of missing endpoints) or
/// "fail with this error". The retry rules are ``Failover``'s; the bookkeeping is ``RetryTracker``'s.
///
/// ```
/// start ──nextAttempt──▶ attempt ──success──▶ done
///                          │
///                   attemptFailed
///                   ├── retry ──▶ attempt (same placement, re-resolved: a dead owner falls back to any node)
///                   └── fail(E) ─▶ done
/// ```
package struct OperationStateMachine: Sendable {
    /// Where an operation is placed.
    package enum Placement: Sendable, Equatable {
        /// Any live connection.
        case any
        /// The connection to the node owning the key (routed with ``ClusterStateMachine/route(cacheId:encodedKey:schemas:mayWait:)``),
        /// any connection when unknown.
        case keyOwner
        /// A given connection (transactions, cursors): never moved, never retried elsewhere.
        case pinned
    }

    /// What the driver does after a failed attempt.
    package enum FailureAction: Sendable {
        /// Try again, re-resolving the placement; `dialMissing` asks for a background dial of endpoints without a
        /// connection (partition awareness keeps one per node).
        case retry(dialMissing: Bool)
        /// Give up with this error.
        case fail(IgniteError)
    }

    /// The placement of every attempt.
    package let placement: Placement
    private var tracker: RetryTracker
    private let partitionAwareness: Bool
    /// Attempts begun so far.
    package private(set) var attempts = 0

    /// Creates the machine for one operation.
    /// - Parameters:
    ///   - opCode: The operation's op code (decides how it may be retried).
    ///   - placement: Where it goes.
    ///   - policy: The retry policy for user operations that may have reached the server.
    ///   - attemptLimit: Total attempts (``attemptLimit(retryLimit:endpointCount:)``).
    ///   - partitionAwareness: Whether a retry should also dial missing endpoints in the background.
    package init(opCode: OpCode, placement: Placement, policy: (any RetryPolicy)?, attemptLimit: Int,
                 partitionAwareness: Bool) {
        self.placement = placement
        tracker = RetryTracker(opCode: opCode, inTransaction: placement == .pinned, policy: policy, attemptLimit: attemptLimit)
        self.partitionAwareness = partitionAwareness
    }

    /// The attempt limit the client uses: Java's (one attempt per endpoint, or the configured limit capped by the
    /// endpoints), but at least two when no limit is configured, so that with a single endpoint an operation that
    /// may be resent still gets one more attempt on a fresh connection after its connection broke (say, closed by
    /// the server while idle).
    /// - Parameters:
    ///   - retryLimit: The configured limit (0 or less: none).
    ///   - endpointCount: The configured endpoints.
    /// - Returns: The total attempts, first included.
    package static func attemptLimit(retryLimit: Int, endpointCount: Int) -> Int {
        let javaLimit = Failover.attemptLimit(retryLimit: retryLimit, endpointCount: endpointCount)
        return retryLimit > 0 ? javaLimit : max(2, javaLimit)
    }

    /// Begins an attempt.
    /// - Returns: Where to send it.
    package mutating func nextAttempt() -> Placement {
        attempts += 1
        return placement
    }

    /// An attempt failed.
    /// - Parameters:
    ///   - error: The failure.
    ///   - phase: Whether the request may have reached the server.
    /// - Returns: Retry, or fail with the error to surface (a ``IgniteError/Code/reconnect`` summary after several
    ///   connection failures).
    package mutating func attemptFailed(_ error: IgniteError, phase: FailurePhase) -> FailureAction {
        guard tracker.recordFailure(error, phase: phase) else { return .fail(tracker.finalError(error)) }
        return .retry(dialMissing: partitionAwareness)
    }
}
