import Testing
@testable import IgniteProtocol

@Suite("TransactionStateMachine")
struct TransactionStateMachineTests {
    typealias Machine = TransactionStateMachine<Int>

    static let v15 = ProtocolContext(version: .v1_5_0)
    static let v17 = ProtocolContext(version: .v1_7_0)

    /// The state without the payload's equality problem (IgniteError is not Equatable).
    enum Seen: Equatable {
        case active, ending(Bool), committed, rolledBack, failed(IgniteError.Code, Int32?), lost(IgniteError.Code)
    }

    static func seen(_ state: Machine.State) -> Seen {
        switch state {
        case .active: .active
        case .ending(let commit): .ending(commit)
        case .committed: .committed
        case .rolledBack: .rolledBack
        case .failed(let e): .failed(e.code, e.serverStatus)
        case .lost(let e): .lost(e.code)
        }
    }

    static func sent(_ action: Machine.EndAction) -> TxEndRequest? {
        if case .send(let request) = action { return request }
        return nil
    }

    static func refused(_ action: Machine.EndAction) -> IgniteError.Code? {
        if case .fail(let error) = action { return error.code }
        return nil
    }

    static let broken = IgniteError(.socket, "connection reset")

    @Test("start: transactions and labels need 1.5.0; a negative timeout is refused; the timeout is rounded up to ms")
    func startGating() throws {
        let old = ProtocolContext(version: .v1_4_0)
        let unlabelled = #expect(throws: IgniteError.self) {
            try Machine.startRequest(concurrency: .pessimistic, isolation: .repeatableRead, timeout: nil, label: nil, context: old)
        }
        #expect(unlabelled?.code == .notSupportedByCluster)
        let labelled = #expect(throws: IgniteError.self) {
            try Machine.startRequest(concurrency: .optimistic, isolation: .serializable, timeout: nil, label: "x", context: old)
        }
        #expect(labelled?.code == .notSupportedByCluster)
        #expect(labelled?.message.contains("labelled") == true)
        let negative = #expect(throws: IgniteError.self) {
            try Machine.startRequest(concurrency: .pessimistic, isolation: .repeatableRead, timeout: .milliseconds(-1),
                                     label: nil, context: Self.v15)
        }
        #expect(negative?.code == .parameter)

        let request = try Machine.startRequest(concurrency: .optimistic, isolation: .readCommitted,
                                               timeout: .microseconds(1500), label: "swift", context: Self.v15)
        #expect(request == TxStartRequest(concurrency: .optimistic, isolation: .readCommitted, timeout: 2, label: "swift"))
        let none = try Machine.startRequest(concurrency: .pessimistic, isolation: .repeatableRead, timeout: nil, label: nil,
                                            context: Self.v15)
        #expect(none.timeout == 0)
    }

    @Test("operations carry the tx id while active; the expiry policy needs 1.6.0")
    func operations() throws {
        let machine = Machine(transactionId: 7, connection: 3, context: Self.v17)
        #expect(machine.connection == 3)
        let info = try machine.operation(cacheId: 42, expiryPolicy: nil)
        #expect(info == CacheInfo(cacheId: 42, transactionId: 7))
        let policy = ExpiryPolicy(create: .eternal, update: .unchanged, access: .unchanged)
        #expect(try machine.operation(cacheId: 42, expiryPolicy: policy).expiryPolicy == policy)

        let old = Machine(transactionId: 1, connection: 3, context: Self.v15)
        let refused = #expect(throws: IgniteError.self) { try old.operation(cacheId: 42, expiryPolicy: policy) }
        #expect(refused?.code == .notSupportedByCluster)
        #expect(try old.operation(cacheId: 42, expiryPolicy: nil).transactionId == 1)
    }

    @Test("commit: ending, then committed; no operation while ending or after; a second end is refused")
    func commit() throws {
        var machine = Machine(transactionId: 2, connection: 1, context: Self.v17)
        #expect(Self.sent(machine.end(commit: true)) == TxEndRequest(transactionId: 2, commit: true))
        #expect(Self.seen(machine.state) == .ending(true))
        #expect(!machine.isFinished)
        #expect(Self.refused(machine.end(commit: false)) == .illegalState)
        #expect((#expect(throws: IgniteError.self) { try machine.operation(cacheId: 1, expiryPolicy: nil) })?.code == .illegalState)
        machine.endSucceeded()
        #expect(Self.seen(machine.state) == .committed)
        #expect(machine.isFinished)
        #expect(Self.refused(machine.end(commit: true)) == .illegalState)
        #expect((#expect(throws: IgniteError.self) { try machine.operation(cacheId: 1, expiryPolicy: nil) })?.code == .illegalState)
        if case .none = machine.close() {} else { Issue.record("closing a committed transaction must send nothing") }
    }

    @Test("rollback and close: close rolls back an active transaction once, then does nothing")
    func rollbackAndClose() {
        var machine = Machine(transactionId: 4, connection: 1, context: Self.v17)
        #expect(Self.sent(machine.close()) == TxEndRequest(transactionId: 4, commit: false))
        machine.endSucceeded()
        #expect(Self.seen(machine.state) == .rolledBack)
        if case .none = machine.close() {} else { Issue.record("closing twice must send nothing") }
    }

    @Test("a server error on the end finishes the transaction with that error (1022 timed out)")
    func endFailsOnServer() {
        var machine = Machine(transactionId: 5, connection: 1, context: Self.v17)
        _ = machine.end(commit: true)
        let reported = machine.endFailed(IgniteError(.transaction, "Cache transaction timed out", serverStatus: 1022))
        #expect(reported.serverStatus == 1022)
        #expect(Self.seen(machine.state) == .failed(.transaction, 1022))
        #expect(machine.isFinished)
        if case .none = machine.close() {} else { Issue.record("closing a failed transaction must send nothing") }
    }

    @Test("a broken connection loses the transaction: later operations and the end fail, nothing is sent")
    func lostWithConnection() {
        var machine = Machine(transactionId: 6, connection: 1, context: Self.v17)
        // A server error or a timeout on an operation leaves it active.
        machine.operationFailed(IgniteError(.cache, "bad", serverStatus: 1))
        machine.operationFailed(IgniteError(.timeout, "late"))
        #expect(Self.seen(machine.state) == .active)
        machine.operationFailed(Self.broken)
        #expect(Self.seen(machine.state) == .lost(.socket))
        #expect(machine.isFinished)
        #expect((#expect(throws: IgniteError.self) { try machine.operation(cacheId: 1, expiryPolicy: nil) })?.code == .transaction)
        #expect(Self.refused(machine.end(commit: true)) == .transaction)
        if case .none = machine.close() {} else { Issue.record("closing a lost transaction must send nothing") }
        if case .none = machine.abandon() {} else { Issue.record("dropping a lost transaction must send nothing") }
    }

    @Test("the end's connection breaking reports a transaction error and loses it")
    func endLost() {
        var machine = Machine(transactionId: 8, connection: 1, context: Self.v17)
        _ = machine.end(commit: true)
        let reported = machine.endFailed(IgniteError(.connectionClosed, "closed"))
        #expect(reported.code == .transaction)
        #expect(Self.seen(machine.state) == .lost(.connectionClosed))
    }

    @Test("dropping an active handle rolls back detached, once; dropping a finished one sends nothing")
    func abandon() {
        var machine = Machine(transactionId: 9, connection: 1, context: Self.v17)
        guard case .rollbackDetached(let request) = machine.abandon() else {
            Issue.record("an active transaction must be rolled back when dropped")
            return
        }
        #expect(request == TxEndRequest(transactionId: 9, commit: false))
        #expect(machine.isFinished)
        if case .none = machine.abandon() {} else { Issue.record("the rollback must be sent once") }

        var committed = Machine(transactionId: 10, connection: 1, context: Self.v17)
        _ = committed.end(commit: true)
        committed.endSucceeded()
        if case .none = committed.abandon() {} else { Issue.record("a committed transaction needs nothing") }
    }
}
