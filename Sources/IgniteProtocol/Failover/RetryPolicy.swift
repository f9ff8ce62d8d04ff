/// What a ``RetryPolicy`` is asked about: an operation that failed because its connection failed.
public struct RetryContext: Sendable {
    /// The operation.
    public var operation: IgniteOperationType
    /// How many retries were already made for this operation (0 on the first decision), like Java's `iteration()`.
    public var iteration: Int
    /// The connection-level error that made the attempt fail.
    public var error: IgniteError

    /// Creates a context.
    /// - Parameters:
    ///   - operation: The operation.
    ///   - iteration: Retries made so far.
    ///   - error: The failure.
    public init(operation: IgniteOperationType, iteration: Int, error: IgniteError) {
        self.operation = operation
        self.iteration = iteration
        self.error = error
    }
}

/// Decides whether a user operation whose request may have reached the server is sent again over another
/// connection after a connection failure (the Java client's `ClientRetryPolicy`).
///
/// Policies are asked only about connection-level failures of non-transactional operations; server error
/// statuses are never retried (see ``Failover``).
public protocol RetryPolicy: Sendable {
    /// Whether to retry.
    /// - Parameter context: The operation, the retry count so far and the error.
    /// - Returns: `true` to send the operation again over another connection.
    func shouldRetry(_ context: RetryContext) -> Bool
}

/// Retries every operation (the Java client's default). A write whose response was lost may be applied twice.
public struct RetryAllPolicy: RetryPolicy, Hashable {
    /// Creates the policy.
    public init() {}

    /// Always `true`.
    public func shouldRetry(_ context: RetryContext) -> Bool { true }
}

/// Never retries an operation whose request may have reached the server.
public struct RetryNonePolicy: RetryPolicy, Hashable {
    /// Creates the policy.
    public init() {}

    /// Always `false`.
    public func shouldRetry(_ context: RetryContext) -> Bool { false }
}

/// Retries only operations that do not change data (``IgniteOperationType/isReadOnly``): retrying them is always safe.
public struct RetryReadOnlyPolicy: RetryPolicy, Hashable {
    /// Creates the policy.
    public init() {}

    /// `true` for read-only operations.
    public func shouldRetry(_ context: RetryContext) -> Bool { context.operation.isReadOnly }
}

/// Caps another policy at a number of retries per operation.
public struct RetryLimitPolicy: RetryPolicy {
    /// The most retries per operation (0: none).
    public var maximumRetries: Int
    /// The policy consulted within the limit.
    public var base: any RetryPolicy

    /// Creates the policy.
    /// - Parameters:
    ///   - maximumRetries: The most retries per operation.
    ///   - base: The policy consulted while under the limit.
    public init(maximumRetries: Int, base: any RetryPolicy = RetryAllPolicy()) {
        self.maximumRetries = maximumRetries
        self.base = base
    }

    /// `true` while fewer than ``maximumRetries`` retries were made and the base policy agrees.
    public func shouldRetry(_ context: RetryContext) -> Bool {
        context.iteration < maximumRetries && base.shouldRetry(context)
    }
}
