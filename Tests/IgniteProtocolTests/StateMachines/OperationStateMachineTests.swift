import Testing
@testable import IgniteProtocol

@Suite("OperationStateMachine")
struct OperationStateMachineTests {
    static let socket = IgniteError(.socket, "reset")
    static let closed = IgniteError(.connectionClosed, "closed")

    static func isRetry(_ action: OperationStateMachine.FailureAction, dialMissing: Bool = true) -> Bool {
        if case .retry(let dial) = action { return dial == dialMissing }
        return false
    }

    static func failure(_ action: OperationStateMachine.FailureAction) -> IgniteError? {
        if case .fail(let error) = action { return error }
        return nil
    }

    @Test("attempt limit: Java's, but at least two when no retry limit is configured")
    func attemptLimit() {
        #expect(OperationStateMachine.attemptLimit(retryLimit: 0, endpointCount: 1) == 2)
        #expect(OperationStateMachine.attemptLimit(retryLimit: 0, endpointCount: 3) == 3)
        #expect(OperationStateMachine.attemptLimit(retryLimit: 1, endpointCount: 3) == 1)
        #expect(OperationStateMachine.attemptLimit(retryLimit: 5, endpointCount: 3) == 3)
    }

    @Test("a failure before sending is retried, with a background dial under partition awareness")
    func connectingFailureRetried() {
        var op = OperationStateMachine(opCode: .cachePut, placement: .keyOwner, policy: nil, attemptLimit: 3, partitionAwareness: true)
        #expect(op.nextAttempt() == .keyOwner)
        #expect(Self.isRetry(op.attemptFailed(Self.socket, phase: .connecting)))
        #expect(op.nextAttempt() == .keyOwner)
        #expect(op.attempts == 2)
        var plain = OperationStateMachine(opCode: .cachePut, placement: .any, policy: nil, attemptLimit: 3, partitionAwareness: false)
        _ = plain.nextAttempt()
        #expect(Self.isRetry(plain.attemptFailed(Self.socket, phase: .connecting), dialMissing: false))
    }

    @Test("a user operation that may have reached the server is retried only if the policy agrees")
    func inFlightFollowsPolicy() {
        var none = OperationStateMachine(opCode: .cachePut, placement: .any, policy: nil, attemptLimit: 3, partitionAwareness: true)
        _ = none.nextAttempt()
        #expect(Self.failure(none.attemptFailed(Self.closed, phase: .inFlight))?.code == .connectionClosed)

        var readOnly = OperationStateMachine(opCode: .cacheGet, placement: .any, policy: RetryReadOnlyPolicy(), attemptLimit: 3,
                                             partitionAwareness: true)
        _ = readOnly.nextAttempt()
        #expect(Self.isRetry(readOnly.attemptFailed(Self.closed, phase: .inFlight)))
        var write = OperationStateMachine(opCode: .cachePut, placement: .any, policy: RetryReadOnlyPolicy(), attemptLimit: 3,
                                          partitionAwareness: true)
        _ = write.nextAttempt()
        #expect(Self.failure(write.attemptFailed(Self.closed, phase: .inFlight)) != nil)
    }

    @Test("pinned operations (transactions, cursors) and server errors are never retried")
    func neverRetried() {
        var pinned = OperationStateMachine(opCode: .cacheGet, placement: .pinned, policy: RetryAllPolicy(), attemptLimit: 3,
                                           partitionAwareness: true)
        _ = pinned.nextAttempt()
        #expect(Self.failure(pinned.attemptFailed(Self.socket, phase: .connecting)) != nil)
        var server = OperationStateMachine(opCode: .cacheGet, placement: .any, policy: RetryAllPolicy(), attemptLimit: 3,
                                           partitionAwareness: true)
        _ = server.nextAttempt()
        let status = IgniteError.server(status: 1000, message: "no cache", opCode: .cacheGet)
        #expect(Self.failure(server.attemptFailed(status, phase: .inFlight))?.serverStatus == 1000)
    }

    @Test("the attempt limit ends retries with a reconnect error summarising every failure")
    func limitSummary() throws {
        var op = OperationStateMachine(opCode: .cacheGet, placement: .any, policy: RetryAllPolicy(), attemptLimit: 2,
                                       partitionAwareness: true)
        _ = op.nextAttempt()
        #expect(Self.isRetry(op.attemptFailed(Self.socket, phase: .inFlight)))
        _ = op.nextAttempt()
        let final = try #require(Self.failure(op.attemptFailed(Self.closed, phase: .inFlight)))
        #expect(final.code == .reconnect)
        #expect(final.message.contains("2 attempts"))
    }
}
