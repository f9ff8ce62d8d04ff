import IgniteProtocol

/// A distributed atomic long (`IgniteAtomicLong`, OP 9000–9007): a 64-bit counter every client and node of the
/// cluster sees, changed atomically on the server.
///
/// The handle is stateless: every call names the atomic long, so it stays valid across reconnects and can be shared
/// by tasks. With partition awareness, each call goes to the node that owns the atomic long. Arithmetic wraps on overflow, as Java's `long` does.
///
/// ```swift
/// let counter = try await client.atomicLong("visits")
/// let now = try await counter.incrementAndGet()
/// ```
public struct IgniteAtomicLong: Sendable {
    /// The client.
    public let client: IgniteClient
    /// The name.
    public let name: String
    /// The cache group it lives in (`nil`: the default group).
    public let groupName: String?

    /// Sends one operation to the primary node of the atomic long's key in its atomics cache, as the Java thin client
    /// does (`ClientAtomicLongImpl` → `ReliableChannel.affinityService`); anywhere when the map is not known.
    private func run(_ operation: AtomicLongOperation) async throws -> AtomicLongResult {
        let identity = AtomicLongIdentity(name: name, groupName: groupName)
        let route = try await client.route(cacheId: identity.atomicsCacheId, expiryPolicy: nil, transaction: nil,
                                           key: identity.affinityKey)
        return try await client.execute(AtomicLongRequest(identity: identity, operation: operation), route: route)
    }

    /// The current value (OP_ATOMIC_LONG_VALUE_GET).
    /// - Throws: ``IgniteError`` (status 1, "AtomicLong with name '…' does not exist." after removal).
    public func get() async throws -> Int64 { try await run(.get).int64() }

    /// Adds `delta` and returns the new value (OP_ATOMIC_LONG_VALUE_ADD_AND_GET).
    @discardableResult
    public func addAndGet(_ delta: Int64) async throws -> Int64 { try await run(.addAndGet(delta)).int64() }

    /// Adds `delta` and returns the previous value.
    @discardableResult
    public func getAndAdd(_ delta: Int64) async throws -> Int64 { try await addAndGet(delta) &- delta }

    /// Adds one and returns the new value.
    @discardableResult
    public func incrementAndGet() async throws -> Int64 { try await addAndGet(1) }

    /// Adds one and returns the previous value.
    @discardableResult
    public func getAndIncrement() async throws -> Int64 { try await getAndAdd(1) }

    /// Subtracts one and returns the new value.
    @discardableResult
    public func decrementAndGet() async throws -> Int64 { try await addAndGet(-1) }

    /// Subtracts one and returns the previous value.
    @discardableResult
    public func getAndDecrement() async throws -> Int64 { try await getAndAdd(-1) }

    /// Sets a value and returns the previous one (OP_ATOMIC_LONG_VALUE_GET_AND_SET).
    @discardableResult
    public func getAndSet(_ value: Int64) async throws -> Int64 { try await run(.getAndSet(value)).int64() }

    /// Sets `value` if the current value is `expected` (OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET).
    /// - Returns: Whether the value was set.
    @discardableResult
    public func compareAndSet(expected: Int64, value: Int64) async throws -> Bool {
        try await run(.compareAndSet(expected: expected, value: value)).bool()
    }

    /// Sets `value` if the current value is `expected` (OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET_AND_GET).
    /// - Returns: The value before the call.
    @discardableResult
    public func compareAndSetAndGet(expected: Int64, value: Int64) async throws -> Int64 {
        try await run(.compareAndSetAndGet(expected: expected, value: value)).int64()
    }

    /// Whether the atomic long was removed (OP_ATOMIC_LONG_EXISTS is false).
    public func isRemoved() async throws -> Bool { try await !run(.exists).bool() }

    /// Removes the atomic long from the cluster (OP_ATOMIC_LONG_REMOVE); nothing happens if it does not exist.
    public func remove() async throws { _ = try await run(.remove) }
}

extension IgniteClient {
    /// A distributed atomic long, created with `initialValue` if it does not exist (OP_ATOMIC_LONG_CREATE).
    /// - Parameters:
    ///   - name: The name.
    ///   - initialValue: The value of a new atomic long.
    ///   - configuration: Where it is stored; `nil` uses the server's `AtomicConfiguration`.
    /// - Returns: The handle.
    /// - Throws: ``IgniteError/Code/parameter`` for an empty name; ``IgniteError/Code/notSupportedByCluster`` when the
    ///   server has no thin-client data structures (status 2).
    public func atomicLong(_ name: String, initialValue: Int64 = 0, configuration: AtomicConfiguration? = nil) async throws -> IgniteAtomicLong {
        try await execute(AtomicLongCreateRequest(name: name, initialValue: initialValue, configuration: configuration))
        return IgniteAtomicLong(client: self, name: name, groupName: configuration?.groupName)
    }

    /// An existing distributed atomic long, without creating it.
    /// - Returns: The handle, or `nil` if it does not exist.
    public func existingAtomicLong(_ name: String, groupName: String? = nil) async throws -> IgniteAtomicLong? {
        let handle = IgniteAtomicLong(client: self, name: name, groupName: groupName)
        return try await handle.isRemoved() ? nil : handle
    }
}
