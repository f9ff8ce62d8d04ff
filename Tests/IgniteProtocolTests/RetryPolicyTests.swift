import Testing
@testable import IgniteProtocol

@Suite("Retry policies and failover rules")
struct RetryPolicyTests {
    static let socket = IgniteError(.socket, "connection reset by peer")
    static let closed = IgniteError(.connectionClosed, "server closed the connection")
    static let timeout = IgniteError(.timeout, "timed out")
    static let serverError = IgniteError.server(status: ServerStatus.cacheDoesNotExist, message: "Cache does not exist", opCode: .cacheGet)

    static func context(_ op: IgniteOperationType, _ iteration: Int = 0) -> RetryContext {
        RetryContext(operation: op, iteration: iteration, error: socket)
    }

    @Test("built-in policies")
    func builtIns() {
        #expect(RetryAllPolicy().shouldRetry(Self.context(.put)))
        #expect(!RetryNonePolicy().shouldRetry(Self.context(.get)))
        let readOnly = RetryReadOnlyPolicy()
        for op in IgniteOperationType.allCases {
            #expect(readOnly.shouldRetry(Self.context(op)) == op.isReadOnly, "\(op)")
        }
        #expect(readOnly.shouldRetry(Self.context(.get)))
        #expect(readOnly.shouldRetry(Self.context(.scan)))
        #expect(!readOnly.shouldRetry(Self.context(.put)))
        #expect(!readOnly.shouldRetry(Self.context(.sql)), "SQL may be DML")
        #expect(!readOnly.shouldRetry(Self.context(.txStart)))
        #expect(!readOnly.shouldRetry(Self.context(.getAndRemove)))
    }

    @Test("limit policy: retries while iteration < maximum and the base agrees")
    func limit() {
        let limited = RetryLimitPolicy(maximumRetries: 2)
        #expect(limited.shouldRetry(Self.context(.put, 0)))
        #expect(limited.shouldRetry(Self.context(.put, 1)))
        #expect(!limited.shouldRetry(Self.context(.put, 2)))
        let readOnly = RetryLimitPolicy(maximumRetries: 5, base: RetryReadOnlyPolicy())
        #expect(readOnly.shouldRetry(Self.context(.get, 4)))
        #expect(!readOnly.shouldRetry(Self.context(.put, 0)))
        #expect(!RetryLimitPolicy(maximumRetries: 0).shouldRetry(Self.context(.get, 0)))
    }

    @Test("op code → operation kind")
    func mapping() {
        #expect(OpCode.cacheGet.operationType == .get)
        #expect(OpCode.cacheReplaceIfEquals.operationType == .replace)
        #expect(OpCode.cacheRemoveIfEquals.operationType == .removeOne)
        #expect(OpCode.cacheClear.operationType == .clearEverything)
        #expect(OpCode.querySQLFields.operationType == .sql)
        #expect(OpCode.querySQL.operationType == .sql)
        #expect(OpCode.queryScan.operationType == .scan)
        #expect(OpCode.txStart.operationType == .txStart)
        #expect(OpCode.cacheCreateWithConfiguration.operationType == .cacheCreate)
        #expect(OpCode.cacheGetOrCreateWithName.operationType == .cacheGetOrCreate)
        #expect(OpCode.clusterGroupGetNodeInfo.operationType == .clusterGroupGetNodes)
        for internalIdempotent: OpCode in [.cachePartitions, .cacheNodePartitions, .getBinaryType, .putBinaryType, .clusterGroupGetNodeEndpoints] {
            #expect(internalIdempotent.operationKind == .internalIdempotent, "\(internalIdempotent)")
        }
        for bound: OpCode in [.resourceClose, .heartbeat, .getIdleTimeout, .queryScanCursorGetPage, .querySQLCursorGetPage,
                              .querySQLFieldsCursorGetPage, .txEnd, .computeTaskFinished, OpCode(2009), OpCode(12345), OpCode(-1)] {
            #expect(bound.operationKind == .internalConnectionBound, "\(bound)")
            #expect(bound.operationType == nil)
        }
        // Every user-visible type is reachable from some op code.
        let reachable = Set((Int16(0)...Int16(7000)).compactMap { OpCode($0).operationType })
        #expect(reachable == Set(IgniteOperationType.allCases))
    }

    @Test("connection-level errors: socket and closed always, timeout only while connecting, server statuses never")
    func connectionLevel() {
        #expect(Failover.isConnectionLevel(Self.socket, phase: .inFlight))
        #expect(Failover.isConnectionLevel(Self.closed, phase: .inFlight))
        #expect(Failover.isConnectionLevel(Self.timeout, phase: .connecting))
        #expect(!Failover.isConnectionLevel(Self.timeout, phase: .inFlight))
        #expect(!Failover.isConnectionLevel(Self.serverError, phase: .inFlight))
        #expect(!Failover.isConnectionLevel(IgniteError(.handshake, "version"), phase: .connecting))
        #expect(!Failover.isConnectionLevel(IgniteError(.authentication, "bad password", serverStatus: 2000), phase: .connecting))
        #expect(!Failover.isConnectionLevel(IgniteError.parse("garbage"), phase: .inFlight))
    }

    @Test("decisions: server errors never, transactions never, connection-bound internals never, idempotent internals always")
    func decisions() {
        func retry(_ op: OpCode, _ error: IgniteError, _ phase: FailurePhase = .inFlight, tx: Bool = false,
                   policy: (any RetryPolicy)? = RetryAllPolicy()) -> Bool {
            Failover.shouldRetry(opCode: op, error: error, phase: phase, iteration: 0, inTransaction: tx, policy: policy)
        }
        #expect(retry(.cachePut, Self.socket))
        #expect(!retry(.cachePut, Self.serverError))
        #expect(!retry(.cacheGet, Self.timeout), "a request timeout may still execute on the server")
        #expect(!retry(.cachePut, Self.socket, tx: true))
        #expect(!retry(.cachePut, Self.socket, .connecting, tx: true), "the transaction's connection is gone")
        #expect(!retry(.txEnd, Self.socket))
        #expect(!retry(.resourceClose, Self.socket))
        #expect(!retry(.queryScanCursorGetPage, Self.closed), "cursor ids are per connection")
        #expect(!retry(.heartbeat, Self.socket))
        #expect(retry(.cachePartitions, Self.socket, policy: RetryNonePolicy()))
        #expect(retry(.getBinaryType, Self.closed, policy: nil))
        #expect(!retry(.cachePartitions, Self.serverError))
        // Policies decide for user operations that were sent...
        #expect(!retry(.cachePut, Self.socket, policy: RetryNonePolicy()))
        #expect(!retry(.cachePut, Self.socket, policy: nil))
        #expect(!retry(.cachePut, Self.socket, policy: RetryReadOnlyPolicy()))
        #expect(retry(.cacheGet, Self.socket, policy: RetryReadOnlyPolicy()))
        // ...but a request that was never sent is always tried on the next endpoint.
        #expect(retry(.cachePut, Self.socket, .connecting, policy: RetryNonePolicy()))
        #expect(retry(.cachePut, Self.timeout, .connecting, policy: nil))
    }

    @Test("attempt limit: Java's min(retryLimit, endpoints), endpoints when 0, at least 1")
    func attemptLimit() {
        #expect(Failover.attemptLimit(retryLimit: 0, endpointCount: 3) == 3)
        #expect(Failover.attemptLimit(retryLimit: 2, endpointCount: 3) == 2)
        #expect(Failover.attemptLimit(retryLimit: 10, endpointCount: 3) == 3)
        #expect(Failover.attemptLimit(retryLimit: -1, endpointCount: 0) == 1)
    }

    @Test("tracker: bounded by the attempt limit, iteration counts retries, final error summarizes")
    func tracker() {
        var tracker = RetryTracker(opCode: .cacheGet, inTransaction: false, policy: RetryLimitPolicy(maximumRetries: 10), attemptLimit: 3)
        let first = tracker.recordFailure(Self.socket, phase: .inFlight)
        let second = tracker.recordFailure(Self.closed, phase: .inFlight)
        let third = tracker.recordFailure(Self.socket, phase: .inFlight)
        #expect(first && second && !third)
        #expect(tracker.failures.count == 3)
        let final = tracker.finalError(Self.socket)
        #expect(final.code == .reconnect)
        #expect(final.message.contains("3 attempts"))

        var policyLimited = RetryTracker(opCode: .cachePut, inTransaction: false, policy: RetryLimitPolicy(maximumRetries: 1), attemptLimit: 5)
        let p1 = policyLimited.recordFailure(Self.socket, phase: .inFlight)
        let p2 = policyLimited.recordFailure(Self.socket, phase: .inFlight)
        #expect(p1 && !p2, "iteration 0 allowed, iteration 1 refused")

        var server = RetryTracker(opCode: .cachePut, inTransaction: false, policy: RetryAllPolicy(), attemptLimit: 5)
        let s1 = server.recordFailure(Self.serverError, phase: .inFlight)
        #expect(!s1)
        #expect(server.finalError(Self.serverError).serverStatus == ServerStatus.cacheDoesNotExist)

        var single = RetryTracker(opCode: .cacheGet, inTransaction: false, policy: RetryAllPolicy(), attemptLimit: 1)
        let only = single.recordFailure(Self.socket, phase: .inFlight)
        #expect(!only)
        #expect(single.finalError(Self.socket).code == .socket)
    }
}
