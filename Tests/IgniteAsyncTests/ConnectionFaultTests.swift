import Foundation
@testable import IgniteAsync
import IgniteProtocol
import IgniteTestNode
import Testing

/// Waits (bounded) until `condition` holds, yielding between checks; returns whether it held.
func eventually(_ condition: () -> Bool) async -> Bool {
    for _ in 0..<2000 {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return condition()
}

/// One test node and one loop for a connection-level test.
struct ConnectionFixture {
    let cluster: IgniteTestCluster
    let loop: EventLoop
    let cache = CacheInfo(cacheName: "async-faults")

    init() throws {
        cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1))
        loop = try EventLoop(name: "test-loop")
    }

    func open() async throws -> AsyncConnection {
        let connection = try await openConnection(cluster.endpoints[0], loop: loop)
        try await connection.roundTrip(CacheGetOrCreateWithNameRequest(name: "async-faults"), timeout: .seconds(30))
        return connection
    }

    func put(_ connection: AsyncConnection, _ key: Int32, _ value: Int32, timeout: Duration? = .seconds(30)) async throws {
        try await connection.roundTrip(CachePutRequest(cache: cache, key: EncodedValue(.int(key)), value: EncodedValue(.int(value))),
                                       timeout: timeout)
    }

    func get(_ connection: AsyncConnection, _ key: Int32, timeout: Duration? = .seconds(30)) async throws -> IgniteValue {
        try await connection.roundTrip(CacheGetRequest(cache: cache, key: EncodedValue(.int(key))), timeout: timeout)
    }

    func shutdown() {
        loop.shutdown()
        cluster.shutdown()
    }
}

@Suite("Async connection faults", .timeLimit(.minutes(10)))
struct AsyncConnectionFaultTests {
    @Test func cancellingARequestFailsItAtOnceAndTheLateReplyIsDiscarded() async throws {
        let fixture = try ConnectionFixture()
        defer { fixture.shutdown() }
        let connection = try await fixture.open()
        defer { connection.close() }
        try await fixture.put(connection, 1, 10)
        fixture.cluster.inject(.stallReplies)
        let task = Task { try await fixture.get(connection, 1, timeout: nil) }
        #expect(await eventually { connection.pendingCount == 1 })
        task.cancel()
        let error = await #expect(throws: IgniteError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        #expect(connection.pendingCount == 0)
        // The stalled reply now arrives and is dropped; the connection keeps serving.
        fixture.cluster.inject(.none)
        try await fixture.put(connection, 2, 20)
        #expect(try await fixture.get(connection, 2) == .int(20))
        #expect(try await fixture.get(connection, 1) == .int(10))
        #expect(!connection.isBroken)
        #expect(fixture.cluster.nodes[0].connectionsAccepted == 1)
    }

    @Test func aTaskCancelledBeforeSendingNeverSends() async throws {
        let fixture = try ConnectionFixture()
        defer { fixture.shutdown() }
        let connection = try await fixture.open()
        defer { connection.close() }
        let sent = connection.requestsSent
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await fixture.get(connection, 1)
        }
        let error = await #expect(throws: IgniteError.self) { try await task.value }
        #expect(error?.code == .cancelled)
        #expect(connection.requestsSent == sent)
    }

    @Test func aStalledReplyTimesOutAndTheConnectionStaysUsable() async throws {
        let fixture = try ConnectionFixture()
        defer { fixture.shutdown() }
        let connection = try await fixture.open()
        defer { connection.close() }
        fixture.cluster.inject(.stallReplies)
        let error = await #expect(throws: IgniteError.self) { try await fixture.put(connection, 1, 11, timeout: .milliseconds(200)) }
        #expect(error?.code == .timeout)
        fixture.cluster.inject(.none)
        try await fixture.put(connection, 3, 30)
        #expect(try await fixture.get(connection, 3) == .int(30))
        #expect(!connection.isBroken)
    }

    @Test func aGarbageFrameFailsEveryRequestWithAProtocolViolation() async throws {
        let fixture = try ConnectionFixture()
        defer { fixture.shutdown() }
        let connection = try await fixture.open()
        defer { connection.close() }
        fixture.cluster.inject(.garbageFrame)
        let error = await #expect(throws: IgniteError.self) { try await fixture.get(connection, 1) }
        #expect(error?.code == .protocolViolation)
        #expect(connection.isBroken)
        let after = await #expect(throws: IgniteError.self) { try await fixture.get(connection, 1) }
        #expect(after?.code == .connectionClosed)
    }

    @Test func aTruncatedFrameFailsWithConnectionClosed() async throws {
        let fixture = try ConnectionFixture()
        defer { fixture.shutdown() }
        let lost = LossRecorder()
        let connection = try await openConnection(fixture.cluster.endpoints[0], loop: fixture.loop, observer: lost.observer)
        defer { connection.close() }
        fixture.cluster.inject(.truncatedFrame)
        let error = await #expect(throws: IgniteError.self) { try await connection.roundTrip(CacheGetNamesRequest(), timeout: .seconds(30)) }
        #expect(error?.code == .connectionClosed)
        #expect(await eventually { lost.count == 1 })
    }

    @Test func losingTheNodeFailsEveryRequestInFlight() async throws {
        let fixture = try ConnectionFixture()
        defer { fixture.shutdown() }
        let connection = try await fixture.open()
        defer { connection.close() }
        fixture.cluster.inject(.stallReplies)
        let outcomes = try await withThrowingTaskGroup(of: IgniteError.Code?.self) { group in
            for i in 0..<50 {
                group.addTask {
                    do {
                        _ = try await fixture.get(connection, Int32(i), timeout: nil)
                        return nil
                    } catch let error as IgniteError {
                        return error.code
                    }
                }
            }
            #expect(await eventually { connection.pendingCount == 50 })
            fixture.cluster.stopNode(0)
            var codes: [IgniteError.Code?] = []
            for try await code in group { codes.append(code) }
            return codes
        }
        #expect(outcomes.count == 50)
        #expect(outcomes.allSatisfy { $0 == .connectionClosed || $0 == .socket })
        #expect(connection.isBroken)
    }
}

/// Counts connection losses reported to the observer.
final class LossRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var losses = 0
    var count: Int { lock.withLock { losses } }
    var observer: AsyncConnection.Observer {
        AsyncConnection.Observer(lost: { [self] _, _ in lock.withLock { losses += 1 } })
    }
}

@Suite("Async connection write deadline", .timeLimit(.minutes(10)))
struct AsyncWriteDeadlineTests {
    /// A server that completes the handshake and then never reads: the request's frame cannot be fully written, so
    /// the request fails with a timeout at its deadline and the connection (whose stream is now out of step) fails.
    @Test func aWriteToAServerThatStoppedReadingTimesOut() async throws {
        let release = DispatchSemaphore(value: 0)
        let server = try ScriptedServer { peer in
            _ = peer.acceptHandshake()
            release.wait()
        }
        defer {
            release.signal()
            server.stop()
        }
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let connection = try await openConnection(server.endpoint, loop: loop)
        defer { connection.close() }
        let big = EncodedValue(.byteArray([UInt8](repeating: 7, count: 32 * 1024 * 1024)))
        let request = CachePutRequest(cache: CacheInfo(cacheName: "c"), key: EncodedValue(.int(1)), value: big)
        let error = await #expect(throws: IgniteError.self) { try await connection.roundTrip(request, timeout: .milliseconds(300)) }
        #expect(error?.code == .timeout)
        #expect(await eventually { connection.isBroken })
        #expect(connection.failure?.code == .timeout)
    }
}
