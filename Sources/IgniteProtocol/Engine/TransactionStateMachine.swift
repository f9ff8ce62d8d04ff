/// One thin-client transaction as a pure state machine: what may be sent, on which connection, and what closing
/// or dropping the transaction requires. Both products drive it; it holds no socket, lock or clock.
///
/// Rules (PROTOCOL-FACTS §9, the Java client's `TcpClientTransactions`):
/// - Transactions need protocol 1.5.0 (the label travels in OP_TX_START at every version that has transactions);
///   a per-operation expiry policy inside one needs 1.6.0, like everywhere else.
/// - Every operation and the end go over the connection that started the transaction (``connection``): tx ids are
///   per connection, and the server silently runs an operation with an unknown id *outside* any transaction.
/// - An operation is allowed only while the transaction is active: not while its end is in flight, not after.
/// - If that connection breaks the transaction is lost (the server rolls back the transactions of a closed
///   connection); later operations and the end fail with ``IgniteError/Code/transaction`` and nothing is sent.
/// - Commit or rollback ends it whatever the answer: a server error (1021 not found, 1022 timed out) or a broken
///   connection both leave it finished.
/// - Closing an active transaction rolls it back; closing a finished one does nothing. Dropping an active one
///   (the handle's `deinit`) also rolls it back, but the driver must send that without blocking the dropping thread.
///
/// ```
/// active ──end(commit)──▶ ending ──endSucceeded──▶ committed / rolledBack
///   │                       └────endFailed───────▶ failed
///   └──operationFailed(connection failure)──▶ lost
/// ```
package struct TransactionStateMachine<ConnectionID: Hashable & Sendable>: Sendable {
    /// Where the transaction is.
    package enum State: Sendable {
        /// Started; operations may be sent.
        case active
        /// OP_TX_END was sent (commit or rollback) and its answer has not been fed yet.
        case ending(commit: Bool)
        /// Committed.
        case committed
        /// Rolled back.
        case rolledBack
        /// The end failed with this error (the server no longer holds the transaction).
        case failed(IgniteError)
        /// The connection broke; the server rolled the transaction back.
        case lost(IgniteError)
    }

    /// What ending the transaction requires.
    package enum EndAction: Sendable {
        /// Send this OP_TX_END on ``TransactionStateMachine/connection`` and feed the answer to
        /// ``TransactionStateMachine/endSucceeded()`` or ``TransactionStateMachine/endFailed(_:)``.
        case send(TxEndRequest)
        /// Nothing to send.
        case none
        /// Refuse: the transaction cannot be ended (already finished, ending, or lost).
        case fail(IgniteError)
    }

    /// What dropping the handle requires.
    package enum AbandonAction: Sendable {
        /// Send this rollback on ``TransactionStateMachine/connection`` without blocking the dropping thread;
        /// its answer does not matter.
        case rollbackDetached(TxEndRequest)
        /// Nothing to send.
        case none
    }

    /// The server's transaction id (per connection).
    package let transactionId: Int32
    /// The connection the transaction is pinned to.
    package let connection: ConnectionID
    /// The protocol of that connection.
    package let context: ProtocolContext
    /// Where the transaction is.
    package private(set) var state: State = .active

    /// The OP_TX_START to send on a connection of `context`, after validating the arguments.
    /// - Parameters:
    ///   - concurrency: The concurrency mode.
    ///   - isolation: The isolation level.
    ///   - timeout: The server-side timeout (`nil`: none); sent in whole milliseconds, rounded up.
    ///   - label: The label for the server's transaction views.
    ///   - context: The protocol of the connection it will start on.
    /// - Returns: The request.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below 1.5.0; ``IgniteError/Code/parameter`` for a
    ///   negative timeout.
    package static func startRequest(concurrency: TransactionConcurrency, isolation: TransactionIsolation,
                                     timeout: Duration?, label: String?, context: ProtocolContext) throws -> TxStartRequest {
        guard context.supportsTransactions else {
            throw IgniteError.notSupported(label == nil ? "transactions" : "labelled transactions", needs: "protocol 1.5.0",
                                           context: context)
        }
        if let timeout, timeout < .zero { throw IgniteError.parameter("transaction timeout must not be negative") }
        return TxStartRequest(concurrency: concurrency, isolation: isolation,
                              timeout: timeout?.roundedUp(to: .milliseconds) ?? 0, label: label)
    }

    /// A transaction the server started (the answer to ``startRequest(concurrency:isolation:timeout:label:context:)``).
    /// - Parameters:
    ///   - transactionId: The id the server returned.
    ///   - connection: The connection it started on.
    ///   - context: That connection's protocol.
    package init(transactionId: Int32, connection: ConnectionID, context: ProtocolContext) {
        self.transactionId = transactionId
        self.connection = connection
        self.context = context
    }

    /// Whether the transaction is over (committed, rolled back, failed or lost).
    package var isFinished: Bool {
        switch state {
        case .active, .ending: return false
        case .committed, .rolledBack, .failed, .lost: return true
        }
    }

    /// The cache prefix for an operation in the transaction, to be sent on ``connection``.
    /// - Parameters:
    ///   - cacheId: The cache.
    ///   - expiryPolicy: The operation's expiry policy, if any.
    /// - Returns: The prefix, carrying the transaction id.
    /// - Throws: ``IgniteError/Code/illegalState`` once the transaction is ending or finished,
    ///   ``IgniteError/Code/transaction`` once it is lost, ``IgniteError/Code/notSupportedByCluster`` for an expiry
    ///   policy below 1.6.0.
    package func operation(cacheId: Int32, expiryPolicy: ExpiryPolicy?) throws -> CacheInfo {
        switch state {
        case .active:
            break
        case .lost(let error):
            throw Self.lostError(transactionId, error)
        case .ending:
            throw IgniteError(.illegalState, "transaction \(transactionId) is ending")
        case .committed, .rolledBack, .failed:
            throw IgniteError(.illegalState, "transaction \(transactionId) is finished")
        }
        if expiryPolicy != nil, !context.supportsExpiryPolicy {
            throw IgniteError.notSupported("per-operation expiry policies", needs: "protocol 1.6.0", context: context)
        }
        return CacheInfo(cacheId: cacheId, expiryPolicy: expiryPolicy, transactionId: transactionId)
    }

    /// An operation of the transaction failed. A connection failure loses the transaction; other errors (a server
    /// status, a timeout that left the connection up) leave it active.
    /// - Parameter error: The failure.
    package mutating func operationFailed(_ error: IgniteError) {
        guard Self.isConnectionFailure(error) else { return }
        switch state {
        case .active, .ending: state = .lost(error)
        case .committed, .rolledBack, .failed, .lost: break
        }
    }

    /// The user commits (`commit` = `true`) or rolls back.
    /// - Parameter commit: Whether to commit.
    /// - Returns: The request to send, or why not.
    package mutating func end(commit: Bool) -> EndAction {
        switch state {
        case .active:
            state = .ending(commit: commit)
            return .send(TxEndRequest(transactionId: transactionId, commit: commit))
        case .ending:
            return .fail(IgniteError(.illegalState, "transaction \(transactionId) is already ending"))
        case .lost(let error):
            return .fail(Self.lostError(transactionId, error))
        case .committed, .rolledBack, .failed:
            return .fail(IgniteError(.illegalState, "transaction \(transactionId) is already finished"))
        }
    }

    /// The server confirmed the end.
    package mutating func endSucceeded() {
        guard case .ending(let commit) = state else { return }
        state = commit ? .committed : .rolledBack
    }

    /// The end failed: the transaction is over either way.
    /// - Parameter error: The failure.
    /// - Returns: The error to report: a connection failure becomes ``IgniteError/Code/transaction`` ("lost").
    package mutating func endFailed(_ error: IgniteError) -> IgniteError {
        guard case .ending = state else { return error }
        if Self.isConnectionFailure(error) {
            state = .lost(error)
            return Self.lostError(transactionId, error)
        }
        state = .failed(error)
        return error
    }

    /// The user closes the transaction: an active one is rolled back, anything else needs nothing.
    /// - Returns: The rollback to send, or ``EndAction/none``.
    package mutating func close() -> EndAction {
        guard case .active = state else { return .none }
        return end(commit: false)
    }

    /// The handle is being dropped: an active transaction is rolled back without waiting for the answer.
    /// - Returns: The rollback to send detached, or ``AbandonAction/none``.
    package mutating func abandon() -> AbandonAction {
        guard case .active = state else { return .none }
        state = .rolledBack
        return .rollbackDetached(TxEndRequest(transactionId: transactionId, commit: false))
    }

    private static func isConnectionFailure(_ error: IgniteError) -> Bool {
        error.code == .socket || error.code == .connectionClosed || error.code == .protocolViolation || error.code == .reconnect
    }

    private static func lostError(_ id: Int32, _ error: IgniteError) -> IgniteError {
        IgniteError(.transaction, "transaction \(id) was lost with its connection (the server rolled it back)", underlying: error)
    }
}
