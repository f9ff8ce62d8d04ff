#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import IgniteProtocol

/// A transaction: cache operations made on the starting thread join it until it is committed or rolled back.
///
/// It is pinned to the connection it started on; its operations are never routed elsewhere or retried on
/// another connection. Start one with ``IgniteClient/startTransaction(concurrency:isolation:timeout:label:)`` or,
/// preferably, the closure form ``IgniteClient/transaction(concurrency:isolation:timeout:label:_:)``.
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

    let connection: NodeConnection
    private let client: IgniteClient
    private let thread: ThreadKey
    private let mutex = PThreadMutex()
    private var finished = false

    init(id: Int32, concurrency: TransactionConcurrency, isolation: TransactionIsolation, timeout: Duration?, label: String?,
         connection: NodeConnection, client: IgniteClient, thread: ThreadKey) {
        self.id = id
        self.concurrency = concurrency
        self.isolation = isolation
        self.timeout = timeout
        self.label = label
        self.connection = connection
        self.client = client
        self.thread = thread
    }

    /// Whether the transaction was committed, rolled back or closed.
    public var isFinished: Bool { mutex.withLock { finished } }

    /// Commits (OP_TX_END with commit).
    /// - Throws: ``IgniteError/Code/transaction`` (for example status 1022 when it timed out) or
    ///   ``IgniteError/Code/illegalState`` if already finished.
    public func commit() throws { try end(commit: true) }

    /// Rolls back (OP_TX_END without commit).
    /// - Throws: ``IgniteError/Code/transaction`` or ``IgniteError/Code/illegalState`` if already finished.
    public func rollback() throws { try end(commit: false) }

    /// Rolls back unless already finished. Idempotent; errors are ignored (the server rolls back abandoned
    /// transactions when their connection closes).
    public func close() {
        if !isFinished { try? end(commit: false) }
    }

    private func end(commit: Bool) throws {
        let already = mutex.withLock { () -> Bool in
            let was = finished
            finished = true
            return was
        }
        guard !already else { throw IgniteError(.illegalState, "transaction \(id) is already finished") }
        client.transactions.unbind(self, thread: thread)
        try client.send(TxEndRequest(transactionId: id, commit: commit), on: connection)
    }
}

/// An opaque identity of the calling thread.
struct ThreadKey: Hashable, Sendable {
    let raw: UInt

    static var current: ThreadKey {
        #if canImport(Darwin)
        return ThreadKey(raw: UInt(bitPattern: pthread_self()))
        #else
        return ThreadKey(raw: UInt(pthread_self()))
        #endif
    }
}

/// Which transaction each thread is in: a thread-local slot per client, so the check every cache operation makes
/// ("is this thread in a transaction?") takes no lock.
///
/// The slot holds a retained reference. A transaction finished on another thread than the one that started it
/// cannot clear that thread's slot; its finished flag makes it inert, and the slot is cleared the next time the
/// owning thread looks.
final class TransactionRegistry: @unchecked Sendable {
    private var key = pthread_key_t()

    init() {
        pthread_key_create(&key, transactionSlotDestructor)
    }

    deinit {
        pthread_key_delete(key)
    }

    /// The calling thread's unfinished transaction, if any.
    @inline(__always)
    func current() -> IgniteTransaction? {
        guard let raw = pthread_getspecific(key) else { return nil }
        let transaction = Unmanaged<IgniteTransaction>.fromOpaque(raw).takeUnretainedValue()
        if transaction.isFinished {
            clearSlot(raw)
            return nil
        }
        return transaction
    }

    /// Binds a transaction to the calling thread.
    func bind(_ transaction: IgniteTransaction, thread: ThreadKey) throws {
        if let existing = current() {
            throw IgniteError(.transaction, "this thread is already in transaction \(existing.id)")
        }
        if let stale = pthread_getspecific(key) { clearSlot(stale) }
        pthread_setspecific(key, Unmanaged.passRetained(transaction).toOpaque())
    }

    /// Unbinds a transaction from the calling thread, if it is bound there (from other threads its finished flag
    /// unbinds it lazily).
    func unbind(_ transaction: IgniteTransaction, thread: ThreadKey) {
        guard let raw = pthread_getspecific(key),
              Unmanaged<IgniteTransaction>.fromOpaque(raw).takeUnretainedValue() === transaction else { return }
        clearSlot(raw)
    }

    private func clearSlot(_ raw: UnsafeMutableRawPointer) {
        pthread_setspecific(key, nil)
        Unmanaged<IgniteTransaction>.fromOpaque(raw).release()
    }
}

/// Releases a thread's transaction slot when the thread exits.
#if canImport(Darwin)
private func transactionSlotDestructor(_ raw: UnsafeMutableRawPointer) {
    Unmanaged<IgniteTransaction>.fromOpaque(raw).release()
}
#else
private func transactionSlotDestructor(_ raw: UnsafeMutableRawPointer?) {
    guard let raw else { return }
    Unmanaged<IgniteTransaction>.fromOpaque(raw).release()
}
#endif

extension IgniteClient {
    /// Starts a transaction bound to the calling thread (OP_TX_START): pyignite's `tx_start`.
    ///
    /// Cache operations on this thread join it until ``IgniteTransaction/commit()`` or
    /// ``IgniteTransaction/rollback()``. Only one transaction per thread.
    /// - Parameters:
    ///   - concurrency: Pessimistic (default) or optimistic.
    ///   - isolation: Repeatable read (default), read committed or serializable.
    ///   - timeout: The server-side timeout; `nil` for none.
    ///   - label: A label for the server's transaction views.
    /// - Returns: The transaction.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below protocol 1.5.0, ``IgniteError/Code/transaction``
    ///   if the thread is already in a transaction or the server refuses (status 1020: too many).
    public func startTransaction(concurrency: TransactionConcurrency = .pessimistic,
                                 isolation: TransactionIsolation = .repeatableRead,
                                 timeout: Duration? = nil, label: String? = nil) throws -> IgniteTransaction {
        let thread = ThreadKey.current
        if let existing = transactions.current(), !existing.isFinished {
            throw IgniteError(.transaction, "this thread is already in transaction \(existing.id)")
        }
        if let timeout, timeout < .zero { throw IgniteError.parameter("transaction timeout must not be negative") }
        let connection = try pool.anyConnection()
        guard connection.context.supportsTransactions else {
            throw IgniteError(.notSupportedByCluster, "transactions need protocol 1.5.0; the server speaks \(connection.context.version)")
        }
        let request = TxStartRequest(concurrency: concurrency, isolation: isolation,
                                     timeout: timeout.map(IgniteClient.milliseconds) ?? 0, label: label)
        let id = try send(request, on: connection)
        let transaction = IgniteTransaction(id: id, concurrency: concurrency, isolation: isolation, timeout: timeout,
                                            label: label, connection: connection, client: self, thread: thread)
        do {
            try transactions.bind(transaction, thread: thread)
        } catch {
            transaction.close()
            throw error
        }
        return transaction
    }

    /// Runs `body` in a transaction: commits when it returns (unless it already finished the transaction),
    /// rolls back when it throws.
    /// - Parameters:
    ///   - concurrency: Pessimistic (default) or optimistic.
    ///   - isolation: Repeatable read (default), read committed or serializable.
    ///   - timeout: The server-side timeout; `nil` for none.
    ///   - label: A label for the server's transaction views.
    ///   - body: The work; cache operations on this thread join the transaction.
    /// - Returns: What `body` returned.
    /// - Throws: What `body` threw (after the rollback), or the commit's error.
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
}
