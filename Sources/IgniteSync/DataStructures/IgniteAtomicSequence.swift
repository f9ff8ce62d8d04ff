import Foundation
import IgniteProtocol

/// A distributed atomic sequence (GridGain 8 only, `ClientAtomicSequence`, OP 9030–9034): unique, increasing
/// `Int64` values handed out quickly.
///
/// The handle reserves a range of ``batchSize`` values from the cluster with one request and then hands values out of
/// it locally, the way GridGain's Java thin client does; a new range is reserved when one runs out. Values from
/// different handles and clients never collide, but they are not gap-free, and they increase per handle only.
/// ``get()`` is the handle's local value. Calls from several threads are serialised on the handle; with partition
/// awareness each request goes to the node that owns the sequence.
///
/// On Apache Ignite (which has no thin-client atomic sequence) every call throws
/// ``IgniteError/Code/notSupportedByCluster`` before anything is sent. Arithmetic wraps on overflow, as Java's
/// `long` does.
///
/// ```swift
/// let ids = try client.atomicSequence("order-ids", initialValue: 1000, batchSize: 100)
/// let id = try ids.incrementAndGet()   // one request reserves 100 values; the next 99 calls are local
/// ```
public final class IgniteAtomicSequence: @unchecked Sendable {
    /// The client.
    public let client: IgniteClient
    /// The name.
    public let name: String
    /// The cache group it lives in (`nil`: the default group).
    public let groupName: String?

    private let lock = NSLock()
    private var machine: AtomicSequenceReservation   // guarded by `lock`

    private var identity: AtomicLongIdentity { AtomicLongIdentity(name: name, groupName: groupName) }

    init(client: IgniteClient, name: String, groupName: String?, batchSize: Int32) throws {
        self.client = client
        self.name = name
        self.groupName = groupName
        // Placeholder until the server's value is read; replaced below.
        machine = try AtomicSequenceReservation(currentValue: 0, batchSize: batchSize)
        let current = try run(.get).int64()
        machine = try AtomicSequenceReservation(currentValue: current, batchSize: batchSize)
    }

    /// Sends one request to the owner of the sequence's key in its atomics cache (anywhere when unknown).
    private func run(_ operation: AtomicSequenceOperation) throws -> AtomicLongResult {
        let identity = self.identity
        let client = self.client
        let owner = client.engine.node(forCache: identity.atomicsCacheId, key: identity.affinityKey,
                                       schemas: client.binary.registry) { mapRequest in
            try client.execute(mapRequest)
        }
        return try client.execute(AtomicSequenceRequest(identity: identity, operation: operation), target: .node(owner))
    }

    private func update(_ delta: Int64, returnUpdated: Bool) throws -> Int64 {
        lock.lock()
        defer { lock.unlock() }
        switch try machine.request(adding: delta, returnUpdated: returnUpdated) {
        case .value(let value):
            return value
        case .reserve(let amount):
            let serverValue: Int64
            do {
                serverValue = try run(.addAndGet(amount)).int64()
            } catch {
                machine.reservationFailed()
                throw error
            }
            return try machine.reserved(serverValue: serverValue)
        case .wait:
            // Updates are serialised by `lock`, so no reservation is ever outstanding here.
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
    public func incrementAndGet() throws -> Int64 { try update(1, returnUpdated: true) }

    /// Adds one and returns the value before.
    @discardableResult
    public func getAndIncrement() throws -> Int64 { try update(1, returnUpdated: false) }

    /// Adds `delta` and returns the new value.
    /// - Throws: ``IgniteError/Code/parameter`` for a delta below 1 (a sequence only moves forward).
    @discardableResult
    public func addAndGet(_ delta: Int64) throws -> Int64 { try update(delta, returnUpdated: true) }

    /// Adds `delta` and returns the value before.
    /// - Throws: ``IgniteError/Code/parameter`` for a delta below 1.
    @discardableResult
    public func getAndAdd(_ delta: Int64) throws -> Int64 { try update(delta, returnUpdated: false) }

    /// Whether the sequence was removed from the cluster (OP_ATOMIC_SEQUENCE_EXISTS is false).
    public func isRemoved() throws -> Bool { try !run(.exists).bool() }

    /// Removes the sequence from the cluster (OP_ATOMIC_SEQUENCE_REMOVE); nothing happens if it does not exist.
    public func remove() throws { _ = try run(.remove) }
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
                               configuration: AtomicConfiguration? = nil) throws -> IgniteAtomicSequence {
        let batch = batchSize ?? configuration?.atomicSequenceReserveSize ?? AtomicConfiguration().atomicSequenceReserveSize
        guard batch > 0 else { throw IgniteError.parameter("an atomic sequence's batch size must be positive, not \(batch)") }
        try execute(AtomicSequenceCreateRequest(name: name, initialValue: initialValue, configuration: configuration))
        return try IgniteAtomicSequence(client: self, name: name, groupName: configuration?.groupName, batchSize: batch)
    }

    /// An existing atomic sequence (GridGain only), without creating it.
    /// - Parameters:
    ///   - name: The name.
    ///   - groupName: Its cache group (`nil`: the default).
    ///   - batchSize: How many values the handle reserves at a time.
    /// - Returns: The handle, or `nil` if it does not exist (status 1011).
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` unless the server is GridGain 8.
    public func existingAtomicSequence(_ name: String, groupName: String? = nil, batchSize: Int32 = 1000) throws -> IgniteAtomicSequence? {
        do {
            return try IgniteAtomicSequence(client: self, name: name, groupName: groupName, batchSize: batchSize)
        } catch let error as IgniteError where error.serverStatus == ServerStatus.resourceDoesNotExist {
            return nil
        }
    }
}
