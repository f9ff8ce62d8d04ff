import Foundation
import IgniteProtocol

/// A transaction (OP_TX_START … OP_TX_END): pyignite's `Transaction`, Java's `ClientTransaction`.
///
/// The usual way is the closure form, which commits when the closure returns and rolls back when it throws:
///
/// ```swift
/// try client.transaction(timeout: .seconds(5)) { tx in
///     let inTx = tx.cache(accounts)              // this handle's operations join the transaction
///     let balance = try inTx.get("alice", as: Int.self) ?? 0
///     try inTx.put("alice", balance - 10)
/// }
/// ```
///
/// Operations join a transaction explicitly, through a handle bound to it (``cache(_:)``), never through the calling
/// thread: a transaction can be used from any thread, and handles not bound to it never join it. Every operation of
/// a transaction goes over the connection it started on, and is never routed elsewhere or retried; if that
/// connection breaks the transaction is lost (the server rolls it back) and its later operations fail with
/// ``IgniteError/Code/transaction``. Scans and SQL queries cannot join a transaction.
///
/// The policy (what may be sent when, gating, what closing does) is ``TransactionStateMachine``'s, shared with the
/// async product.
public final class IgniteTransaction: @unchecked Sendable {
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
    /// The client the transaction belongs to.
    public let client: IgniteClient

    /// The connection the transaction is pinned to.
    let connection: NodeConnection
    private let mutex = PThreadMutex()
    @exclusivity(unchecked) private var machine: TransactionStateMachine<ObjectIdentifier>

    init(id: Int32, concurrency: TransactionConcurrency, isolation: TransactionIsolation, timeout: Duration?, label: String?,
         connection: NodeConnection, client: IgniteClient) {
        self.id = id
        self.concurrency = concurrency
        self.isolation = isolation
        self.timeout = timeout
        self.label = label
        self.connection = connection
        self.client = client
        machine = TransactionStateMachine(transactionId: id, connection: ObjectIdentifier(connection), context: connection.context)
    }

    deinit {
        // Dropped while active: roll back without blocking the dropping thread (the server would otherwise keep it
        // until its timeout or until the connection closes).
        if case .rollbackDetached(let request) = machine.abandon() {
            let connection = self.connection
            let timeout = client.configuration.requestTimeout ?? .seconds(30)
            DispatchQueue.global().async { _ = try? connection.roundTrip(request, timeout: timeout) }
        }
    }

    /// Whether the transaction was committed, rolled back, closed, or lost with its connection.
    public var isFinished: Bool { mutex.withLock { machine.isFinished } }

    /// A handle to a cache whose operations run in this transaction.
    /// - Parameter cache: The cache (its expiry policy is kept).
    /// - Returns: The handle bound to this transaction.
    public func cache(_ cache: IgniteCache) -> IgniteCache {
        IgniteCache(client: client, name: cache.name, expiryPolicy: cache.expiryPolicy, transaction: self)
    }

    /// A typed handle to a cache whose operations run in this transaction.
    /// - Parameter cache: The cache (its expiry policy is kept).
    /// - Returns: The handle bound to this transaction.
    public func cache<K, V>(_ cache: IgniteTypedCache<K, V>) -> IgniteTypedCache<K, V> {
        IgniteTypedCache(self.cache(cache.untyped))
    }

    /// A handle to a cache by name whose operations run in this transaction.
    /// - Parameter name: The cache name.
    /// - Returns: The handle bound to this transaction.
    public func cache(_ name: String) -> IgniteCache {
        IgniteCache(client: client, name: name, transaction: self)
    }

    /// Commits (OP_TX_END with commit). The transaction is finished afterwards, whatever the outcome.
    /// - Throws: ``IgniteError/Code/transaction`` (for example status 1022 when it timed out, or when its connection
    ///   was lost) or ``IgniteError/Code/illegalState`` if already finished.
    public func commit() throws { try end(commit: true) }

    /// Rolls back (OP_TX_END without commit). The transaction is finished afterwards, whatever the outcome.
    /// - Throws: ``IgniteError/Code/transaction`` or ``IgniteError/Code/illegalState`` if already finished.
    public func rollback() throws { try end(commit: false) }

    /// Rolls back unless already finished. Idempotent; errors are ignored (the server rolls back abandoned
    /// transactions when their connection closes).
    public func close() {
        let action = mutex.withLock { machine.close() }
        if case .send(let request) = action { _ = try? finish(request) }
    }

    // MARK: Internal

    /// The cache prefix for an operation of the transaction.
    func operation(cacheId: Int32, expiryPolicy: ExpiryPolicy?) throws -> CacheInfo {
        try mutex.withLock { try machine.operation(cacheId: cacheId, expiryPolicy: expiryPolicy) }
    }

    /// Sends an operation of the transaction on its connection; a broken connection loses the transaction.
    func send<R: IgniteRequest>(_ request: R) throws -> R.Response {
        do {
            return try client.execute(request, target: .pinned(connection))
        } catch let error as IgniteError {
            mutex.withLock { machine.operationFailed(error) }
            throw error
        }
    }

    private func end(commit: Bool) throws {
        let action = mutex.withLock { machine.end(commit: commit) }
        switch action {
        case .send(let request): try finish(request)
        case .fail(let error): throw error
        case .none: return
        }
    }

    private func finish(_ request: TxEndRequest) throws {
        do {
            try client.execute(request, target: .pinned(connection))
            mutex.withLock { machine.endSucceeded() }
        } catch let error as IgniteError {
            throw mutex.withLock { machine.endFailed(error) }
        }
    }
}

extension IgniteClient {
    /// Runs `body` in a transaction: commits when it returns (unless `body` already committed or rolled back),
    /// rolls back when it throws. The primary way to use transactions (pyignite's `with client.tx_start(): …`).
    ///
    /// Operations join the transaction through handles bound to it: `tx.cache(someCache)`.
    ///
    /// A transaction that is open while a cache is created or destroyed, or a node joins or leaves, can end by its
    /// timeout: the server's partition-map exchange waits for open transactions, and their next operation waits for
    /// the exchange (seen on GridGain 8.10 as "Cache transaction timed out"). The transaction was rolled back, so run
    /// it again; give transactions a timeout so that this cannot block for ever.
    /// - Parameters:
    ///   - concurrency: Pessimistic (default) or optimistic.
    ///   - isolation: Repeatable read (default), read committed or serializable.
    ///   - timeout: The server-side timeout, sent in whole milliseconds rounded up; `nil` for none.
    ///   - label: A label for the server's transaction views.
    ///   - body: The work, given the transaction.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw (after the rollback), or the start's or the commit's error.
    public func transaction<T>(concurrency: TransactionConcurrency = .pessimistic,
                               isolation: TransactionIsolation = .repeatableRead,
                               timeout: Duration? = nil, label: String? = nil,
                               _ body: (IgniteTransaction) throws -> T) throws -> T {
        let transaction = try startTransaction(concurrency: concurrency, isolation: isolation, timeout: timeout, label: label)
        let result: T
        do {
            result = try body(transaction)
        } catch {
            transaction.close()
            throw error
        }
        if !transaction.isFinished { try transaction.commit() }
        return result
    }

    /// Starts a transaction and returns its handle (OP_TX_START): pyignite's `tx_start`, Java's `txStart`.
    ///
    /// Prefer ``transaction(concurrency:isolation:timeout:label:_:)``. With the handle, end it with
    /// ``IgniteTransaction/commit()``, ``IgniteTransaction/rollback()`` or ``IgniteTransaction/close()``
    /// (`defer { tx.close() }`); a handle dropped while active is rolled back in the background.
    /// - Parameters:
    ///   - concurrency: Pessimistic (default) or optimistic.
    ///   - isolation: Repeatable read (default), read committed or serializable.
    ///   - timeout: The server-side timeout, sent in whole milliseconds rounded up; `nil` for none.
    ///   - label: A label for the server's transaction views.
    /// - Returns: The transaction.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below protocol 1.5.0, ``IgniteError/Code/parameter`` for
    ///   a negative timeout, ``IgniteError/Code/transaction`` if the server refuses (status 1020: too many).
    public func startTransaction(concurrency: TransactionConcurrency = .pessimistic,
                                 isolation: TransactionIsolation = .repeatableRead,
                                 timeout: Duration? = nil, label: String? = nil) throws -> IgniteTransaction {
        let connection = try pinnedConnection()
        let request = try TransactionStateMachine<ObjectIdentifier>.startRequest(
            concurrency: concurrency, isolation: isolation, timeout: timeout, label: label, context: connection.context)
        let id = try execute(request, target: .pinned(connection))
        return IgniteTransaction(id: id, concurrency: concurrency, isolation: isolation, timeout: timeout,
                                 label: label, connection: connection, client: self)
    }
}
