import IgniteProtocol

/// A transaction: cache operations made inside it (in its task and that task's child tasks) join it until it is
/// committed or rolled back.
///
/// It is pinned to the connection it started on; its operations are never routed elsewhere or retried on
/// another connection. Start one with the closure form ``IgniteClient/transaction(concurrency:isolation:timeout:label:_:)``,
/// or take an explicit handle with ``IgniteClient/startTransaction(concurrency:isolation:timeout:label:)`` and run the
/// operations that join it inside ``perform(_:)``.
public final class IgniteTransaction: Sendable {
    /// The server's transaction id (per connection).
    public let id: Int32
    /// The concurrency mode.
    public let concurrency: TransactionConcurrency
    /// The isolation level.
    public let isolation: TransactionIsolation
    /// The timeout the server applies; `nil` for none.
    public let timeout: Duration?
    /// The label shown in the server's transaction views.
    public let label: String?

    let connection: AsyncConnection
    let client: IgniteClient
    private let state = TransactionFlag()

    /// The transaction the current task runs in, if any.
    @TaskLocal static var bound: IgniteTransaction?

    init(id: Int32, concurrency: TransactionConcurrency, isolation: TransactionIsolation, timeout: Duration?, label: String?,
         connection: AsyncConnection, client: IgniteClient) {
        self.id = id
        self.concurrency = concurrency
        self.isolation = isolation
        self.timeout = timeout
        self.label = label
        self.connection = connection
        self.client = client
    }

    /// The current task's unfinished transaction on `client`, if any.
    static func current(of client: IgniteClient) -> IgniteTransaction? {
        guard let transaction = bound, transaction.client === client, !transaction.isFinished else { return nil }
        return transaction
    }

    /// Whether the transaction was committed, rolled back or closed.
    public var isFinished: Bool { state.isSet }

    /// Runs `body` with the transaction bound to the task: cache operations in it (and in its child tasks) join it.
    /// - Parameter body: The work.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw.
    public func perform<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        try await IgniteTransaction.$bound.withValue(self) { try await body() }
    }

    /// Commits (OP_TX_END with commit).
    /// - Throws: ``IgniteError/Code/transaction`` (for example status 1022 when it timed out),
    ///   ``IgniteError/Code/illegalState`` if already finished, ``IgniteError/Code/cancelled`` when the task was
    ///   cancelled (the transaction is then rolled back).
    public func commit() async throws {
        guard state.set() else { throw IgniteError(.illegalState, "transaction \(id) is already finished") }
        do {
            try await client.send(TxEndRequest(transactionId: id, commit: true), on: connection)
        } catch let error as IgniteError where error.code == .cancelled {
            connection.sendAndForget(TxEndRequest(transactionId: id, commit: false))
            throw error
        }
    }

    /// Rolls back (OP_TX_END without commit).
    /// - Throws: ``IgniteError/Code/transaction`` or ``IgniteError/Code/illegalState`` if already finished.
    public func rollback() async throws {
        guard state.set() else { throw IgniteError(.illegalState, "transaction \(id) is already finished") }
        if Task.isCancelled {
            connection.sendAndForget(TxEndRequest(transactionId: id, commit: false))
            return
        }
        try await client.send(TxEndRequest(transactionId: id, commit: false), on: connection)
    }

    /// Rolls back unless already finished, without waiting for the answer (the request is queued on the
    /// transaction's connection). Idempotent, never suspends: usable from `defer`.
    public func close() {
        guard state.set() else { return }
        connection.sendAndForget(TxEndRequest(transactionId: id, commit: false))
    }
}

/// A set-once flag.
final class TransactionFlag: @unchecked Sendable {
    private let lock = AsyncLock()
    private var value = false

    var isSet: Bool { lock.withLock { value } }

    /// Sets the flag. - Returns: whether it was clear before.
    func set() -> Bool {
        lock.withLock {
            defer { value = true }
            return !value
        }
    }
}

extension IgniteClient {
    /// Starts a transaction (OP_TX_START): pyignite's `tx_start`. Operations join it inside
    /// ``IgniteTransaction/perform(_:)``; prefer the closure form ``transaction(concurrency:isolation:timeout:label:_:)``.
    /// - Parameters:
    ///   - concurrency: Pessimistic (default) or optimistic.
    ///   - isolation: Repeatable read (default), read committed or serializable.
    ///   - timeout: The server-side timeout; `nil` for none.
    ///   - label: A label for the server's transaction views.
    /// - Returns: The transaction.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below protocol 1.5.0, ``IgniteError/Code/transaction``
    ///   if the task is already in a transaction on this client or the server refuses (status 1020: too many).
    public func startTransaction(concurrency: TransactionConcurrency = .pessimistic,
                                 isolation: TransactionIsolation = .repeatableRead,
                                 timeout: Duration? = nil, label: String? = nil) async throws -> IgniteTransaction {
        if let existing = IgniteTransaction.current(of: self) {
            throw IgniteError(.transaction, "this task is already in transaction \(existing.id)")
        }
        if let timeout, timeout < .zero { throw IgniteError.parameter("transaction timeout must not be negative") }
        let connection = try await pool.anyConnection()
        guard connection.context.supportsTransactions else {
            throw IgniteError(.notSupportedByCluster, "transactions need protocol 1.5.0; the server speaks \(connection.context.version)")
        }
        let request = TxStartRequest(concurrency: concurrency, isolation: isolation,
                                     timeout: timeout.map(IgniteClient.milliseconds) ?? 0, label: label)
        let id = try await send(request, on: connection)
        return IgniteTransaction(id: id, concurrency: concurrency, isolation: isolation, timeout: timeout, label: label,
                                 connection: connection, client: self)
    }

    /// Runs `body` in a transaction: commits when it returns (unless it already finished the transaction), rolls
    /// back when it throws or the task is cancelled. Cache operations in `body` (and its child tasks) join it.
    /// - Parameters:
    ///   - concurrency: Pessimistic (default) or optimistic.
    ///   - isolation: Repeatable read (default), read committed or serializable.
    ///   - timeout: The server-side timeout; `nil` for none.
    ///   - label: A label for the server's transaction views.
    ///   - body: The work.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw (after the rollback), or the commit's error.
    public func transaction<T: Sendable>(concurrency: TransactionConcurrency = .pessimistic,
                                         isolation: TransactionIsolation = .repeatableRead,
                                         timeout: Duration? = nil, label: String? = nil,
                                         _ body: (IgniteTransaction) async throws -> T) async throws -> T {
        let transaction = try await startTransaction(concurrency: concurrency, isolation: isolation, timeout: timeout, label: label)
        let result: T
        do {
            result = try await transaction.perform { try await body(transaction) }
        } catch {
            transaction.close()
            throw error
        }
        if !transaction.isFinished { try await transaction.commit() }
        return result
    }

    /// A duration in whole milliseconds (rounded up, clamped to `Int64`).
    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let ms = seconds.multipliedReportingOverflow(by: 1000)
        if ms.overflow { return seconds < 0 ? 0 : Int64.max }
        return max(0, ms.partialValue + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
    }
}
