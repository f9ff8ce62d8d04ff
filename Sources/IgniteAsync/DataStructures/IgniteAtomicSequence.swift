import IgniteProtocol

/// A distributed atomic sequence (GridGain 8 only, `ClientAtomicSequence`, OP 9030–9034): unique, increasing
/// `Int64` values handed out quickly.
///
/// The handle reserves a range of ``batchSize`` values from the cluster with one request and then hands values out of
/// it locally, the way GridGain's Java thin client does; a new range is reserved when one runs out. Values from
/// different handles and clients never collide, but they are not gap-free, and they increase per handle only.
/// ``get()`` is the handle's local value. Updates from several tasks are serialised on the handle (a task waiting
/// for a reservation suspends, it never blocks a thread); with partition awareness each request goes to the node that
/// owns the sequence.
///
/// On Apache Ignite (which has no thin-client atomic sequence) every call throws
/// ``IgniteError/Code/notSupportedByCluster`` before anything is sent. Arithmetic wraps on overflow, as Java's
/// `long` does.
///
/// ```swift
/// let ids = try await client.atomicSequence("order-ids", initialValue: 1000, batchSize: 100)
/// let id = try await ids.incrementAndGet()   // one request reserves 100 values; the next 99 calls are local
/// ```
public final class IgniteAtomicSequence: @unchecked Sendable {
    /// The client.
    public let client: IgniteClient
    /// The name.
    public let name: String
    /// The cache group it lives in (`nil`: the default group).
    public let groupName: String?

    /// Serialises updates (held across a reservation's round trip).
    private let updates = AsyncMutex()
    /// Guards `machine` for the instant reads and writes.
    private let lock = AsyncLock()
    private var machine: AtomicSequenceReservation

    private var identity: AtomicLongIdentity { AtomicLongIdentity(name: name, groupName: groupName) }

    private init(client: IgniteClient, name: String, groupName: String?, machine: AtomicSequenceReservation) {
        self.client = client
        self.name = name
        self.groupName = groupName
        self.machine = machine
    }

    /// Reads the sequence's value (OP_ATOMIC_SEQUENCE_VALUE_GET) and makes a handle starting there.
    static func open(client: IgniteClient, name: String, groupName: String?, batchSize: Int32) async throws -> IgniteAtomicSequence {
        let identity = AtomicLongIdentity(name: name, groupName: groupName)
        let current = try await run(.get, identity: identity, client: client).int64()
        return IgniteAtomicSequence(client: client, name: name, groupName: groupName,
                                    machine: try AtomicSequenceReservation(currentValue: current, batchSize: batchSize))
    }

    /// Sends one request to the owner of the sequence's key in its atomics cache (anywhere when unknown).
    private static func run(_ operation: AtomicSequenceOperation, identity: AtomicLongIdentity,
                            client: IgniteClient) async throws -> AtomicLongResult {
        let route = try await client.route(cacheId: identity.atomicsCacheId, expiryPolicy: nil, transaction: nil,
                                           key: identity.affinityKey)
        return try await client.execute(AtomicSequenceRequest(identity: identity, operation: operation), route: route)
    }

    private func update(_ delta: Int64, returnUpdated: Bool) async throws -> Int64 {
        await updates.lock()
        defer { updates.unlock() }
        let action = try lock.withLock { try machine.request(adding: delta, returnUpdated: returnUpdated) }
        switch action {
        case .value(let value):
            return value
        case .reserve(let amount):
            let serverValue: Int64
            do {
                serverValue = try await Self.run(.addAndGet(amount), identity: identity, client: client).int64()
            } catch {
                lock.withLock { machine.reservationFailed() }
                throw error
            }
            return try lock.withLock { try machine.reserved(serverValue: serverValue) }
        case .wait:
            // Updates are serialised by `updates`, so no reservation is ever outstanding here.
            throw IgniteError(.illegalState, "an atomic-sequence reservation is outstanding")
        }
    }

    /// The handle's current value: the last value it handed out, or the cluster's value when the handle was made.
    public func get() -> Int64 { lock.withLock { machine.localValue } }

    /// How many values one reservation takes from the cluster.
    public var batchSize: Int32 { lock.withLock { machine.batchSize } }

    /// Changes how many values later reservations take.
    /// - Throws: ``IgniteError/Code/parameter`` for a size below 1.
    public func setBatchSize(_ size: Int32) throws {
        try lock.withLock { try machine.setBatchSize(size) }
    }

    /// Adds one and returns the new value.
    /// - Throws: ``IgniteError`` (status 1011 once the sequence was removed, when a new range is needed).
    @discardableResult
    public func incrementAndGet() async throws -> Int64 { try await update(1, returnUpdated: true) }

    /// Adds one and returns the value before.
    @discardableResult
    public func getAndIncrement() async throws -> Int64 { try await update(1, returnUpdated: false) }

    /// Adds `delta` and returns the new value.
    /// - Throws: ``IgniteError/Code/parameter`` for a delta below 1 (a sequence only moves forward).
    @discardableResult
    public func addAndGet(_ delta: Int64) async throws -> Int64 { try await update(delta, returnUpdated: true) }

    /// Adds `delta` and returns the value before.
    /// - Throws: ``IgniteError/Code/parameter`` for a delta below 1.
    @discardableResult
    public func getAndAdd(_ delta: Int64) async throws -> Int64 { try await update(delta, returnUpdated: false) }

    /// Whether the sequence was removed from the cluster (OP_ATOMIC_SEQUENCE_EXISTS is false).
    public func isRemoved() async throws -> Bool { try await !Self.run(.exists, identity: identity, client: client).bool() }

    /// Removes the sequence from the cluster (OP_ATOMIC_SEQUENCE_REMOVE); nothing happens if it does not exist.
    public func remove() async throws { _ = try await Self.run(.remove, identity: identity, client: client) }
}

extension IgniteClient {
    /// A distributed atomic sequence (GridGain only), created with `initialValue` if it does not exist
    /// (OP_ATOMIC_SEQUENCE_CREATE); an existing sequence keeps its value. The handle then reads the sequence's value
    /// (OP_ATOMIC_SEQUENCE_VALUE_GET).
    /// - Parameters:
    ///   - name: The name.
    ///   - initialValue: The value of a new sequence.
    ///   - batchSize: How many values the handle reserves at a time (`nil`: the configuration's
    ///     ``AtomicConfiguration/atomicSequenceReserveSize``, 1000 by default).
    ///   - configuration: Where it is stored; `nil` uses the server's `AtomicConfiguration`. Its
    ///     ``AtomicConfiguration/groupName`` is part of the sequence's identity.
    /// - Returns: The handle.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` unless the server is GridGain 8;
    ///   ``IgniteError/Code/parameter`` for an empty name or a batch size below 1.
    public func atomicSequence(_ name: String, initialValue: Int64 = 0, batchSize: Int32? = nil,
                               configuration: AtomicConfiguration? = nil) async throws -> IgniteAtomicSequence {
        let batch = batchSize ?? configuration?.atomicSequenceReserveSize ?? AtomicConfiguration().atomicSequenceReserveSize
        guard batch > 0 else { throw IgniteError.parameter("an atomic sequence's batch size must be positive, not \(batch)") }
        try await execute(AtomicSequenceCreateRequest(name: name, initialValue: initialValue, configuration: configuration))
        return try await IgniteAtomicSequence.open(client: self, name: name, groupName: configuration?.groupName, batchSize: batch)
    }

    /// An existing atomic sequence (GridGain only), without creating it.
    /// - Parameters:
    ///   - name: The name.
    ///   - groupName: Its cache group (`nil`: the default).
    ///   - batchSize: How many values the handle reserves at a time.
    /// - Returns: The handle, or `nil` if it does not exist (status 1011).
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` unless the server is GridGain 8.
    public func existingAtomicSequence(_ name: String, groupName: String? = nil,
                                       batchSize: Int32 = 1000) async throws -> IgniteAtomicSequence? {
        do {
            return try await IgniteAtomicSequence.open(client: self, name: name, groupName: groupName, batchSize: batchSize)
        } catch let error as IgniteError where error.serverStatus == ServerStatus.resourceDoesNotExist {
            return nil
        }
    }
}
