import IgniteProtocol

/// A distributed atomic long (`IgniteAtomicLong`, OP 9000–9007): a 64-bit counter every client and node of the
/// cluster sees, changed atomically on the server.
///
/// The handle is stateless: every call names the atomic long, so a handle stays valid across reconnects and can be
/// shared by threads. With partition awareness, each call goes to the node that owns the atomic long. Arithmetic wraps on overflow, as Java's `long` does.
///
/// ```swift
/// let counter = try client.atomicLong("visits", initialValue: 0)
/// let now = try counter.incrementAndGet()
/// ```
public struct IgniteAtomicLong: Sendable {
    /// The client.
    public let client: IgniteClient
    /// The name.
    public let name: String
    /// The cache group it lives in (`nil`: the default group).
    public let groupName: String?

    private var identity: AtomicLongIdentity { AtomicLongIdentity(name: name, groupName: groupName) }

    /// Sends one operation to the primary node of the atomic long's key in its atomics cache, as the Java thin client
    /// does (`ClientAtomicLongImpl` → `ReliableChannel.affinityService`); anywhere when the map is not known.
    private func run(_ operation: AtomicLongOperation) throws -> AtomicLongResult {
        let identity = self.identity
        let client = self.client
        let owner = client.engine.node(forCache: identity.atomicsCacheId, key: identity.affinityKey,
                                       schemas: client.binary.registry) { mapRequest in
            try client.execute(mapRequest)
        }
        return try client.execute(AtomicLongRequest(identity: identity, operation: operation), target: .node(owner))
    }

    /// The current value (OP_ATOMIC_LONG_VALUE_GET).
    /// - Throws: ``IgniteError`` (status 1, "AtomicLong with name '…' does not exist." after removal).
    public func get() throws -> Int64 { try run(.get).int64() }

    /// Adds `delta` and returns the new value (OP_ATOMIC_LONG_VALUE_ADD_AND_GET).
    @discardableResult
    public func addAndGet(_ delta: Int64) throws -> Int64 { try run(.addAndGet(delta)).int64() }

    /// Adds `delta` and returns the previous value (add-and-get minus `delta`, as the Java client computes it).
    @discardableResult
    public func getAndAdd(_ delta: Int64) throws -> Int64 { try addAndGet(delta) &- delta }

    /// Adds one and returns the new value.
    @discardableResult
    public func incrementAndGet() throws -> Int64 { try addAndGet(1) }

    /// Adds one and returns the previous value.
    @discardableResult
    public func getAndIncrement() throws -> Int64 { try getAndAdd(1) }

    /// Subtracts one and returns the new value.
    @discardableResult
    public func decrementAndGet() throws -> Int64 { try addAndGet(-1) }

    /// Subtracts one and returns the previous value.
    @discardableResult
    public func getAndDecrement() throws -> Int64 { try getAndAdd(-1) }

    /// Sets a value and returns the previous one (OP_ATOMIC_LONG_VALUE_GET_AND_SET).
    @discardableResult
    public func getAndSet(_ value: Int64) throws -> Int64 { try run(.getAndSet(value)).int64() }

    /// Sets `value` if the current value is `expected` (OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET).
    /// - Returns: Whether the value was set.
    @discardableResult
    public func compareAndSet(expected: Int64, value: Int64) throws -> Bool {
        try run(.compareAndSet(expected: expected, value: value)).bool()
    }

    /// Sets `value` if the current value is `expected` (OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET_AND_GET).
    /// - Returns: The value before the call (equal to `expected` when the value was set).
    @discardableResult
    public func compareAndSetAndGet(expected: Int64, value: Int64) throws -> Int64 {
        try run(.compareAndSetAndGet(expected: expected, value: value)).int64()
    }

    /// Whether the atomic long was removed (OP_ATOMIC_LONG_EXISTS is false).
    public func isRemoved() throws -> Bool { try !run(.exists).bool() }

    /// Removes the atomic long from the cluster (OP_ATOMIC_LONG_REMOVE); nothing happens if it does not exist.
    public func remove() throws { _ = try run(.remove) }
}

extension IgniteClient {
    /// A distributed atomic long, created with `initialValue` if it does not exist (OP_ATOMIC_LONG_CREATE).
    /// An existing atomic long keeps its value.
    /// - Parameters:
    ///   - name: The name.
    ///   - initialValue: The value of a new atomic long.
    ///   - configuration: Where it is stored; `nil` uses the server's `AtomicConfiguration`. Its ``AtomicConfiguration/groupName``
    ///     is part of the atomic long's identity.
    /// - Returns: The handle.
    /// - Throws: ``IgniteError/Code/parameter`` for an empty name; ``IgniteError/Code/notSupportedByCluster`` when
    ///   the server has no thin-client data structures (status 2).
    public func atomicLong(_ name: String, initialValue: Int64 = 0, configuration: AtomicConfiguration? = nil) throws -> IgniteAtomicLong {
        try execute(AtomicLongCreateRequest(name: name, initialValue: initialValue, configuration: configuration))
        return IgniteAtomicLong(client: self, name: name, groupName: configuration?.groupName)
    }

    /// An existing distributed atomic long, without creating it (OP_ATOMIC_LONG_EXISTS).
    /// - Parameters:
    ///   - name: The name.
    ///   - groupName: Its cache group (`nil`: the default).
    /// - Returns: The handle, or `nil` if it does not exist.
    /// - Throws: ``IgniteError``.
    public func existingAtomicLong(_ name: String, groupName: String? = nil) throws -> IgniteAtomicLong? {
        let handle = IgniteAtomicLong(client: self, name: name, groupName: groupName)
        return try handle.isRemoved() ? nil : handle
    }
}
