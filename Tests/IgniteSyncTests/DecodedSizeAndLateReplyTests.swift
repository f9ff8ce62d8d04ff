import Foundation
import IgniteSync
import Testing

/// Issue 10 on the sync product, through the public API: the per-response decoded-memory budget
/// (`maximumDecodedSize`) and late replies after more timeouts than the connection once remembered (item 9).
@Suite("Hardening: decoded-size budget, late replies")
struct DecodedSizeAndLateReplyTests {
    /// `maximumDecodedSize` bounds each response: a 1 MiB byte array fails with `.parse` under a 512 KiB budget and
    /// decodes under a 4 MiB one; a non-positive budget is a parameter error.
    @Test func theDecodedSizeBudgetIsConfigurable() throws {
        let body = HostileReplies.byteArray(count: 1 << 20)
        let server = try HostileServer { op, _ in
            OpCode(op) == .cacheGet ? .body(body) : .failure(status: 1, message: "not scripted")
        }
        defer { server.stop() }
        var tight = server.configuration()
        tight.maximumDecodedSize = 512 * 1024
        let small = try IgniteClient(configuration: tight)
        defer { small.close() }
        let error = #expect(throws: IgniteError.self) { _ = try small.cache("c").get(Int32(1), as: [UInt8].self) }
        #expect(error?.code == .parse)
        #expect(error?.message.contains("decoded-size budget") == true, "\(String(describing: error))")

        var roomy = server.configuration()
        roomy.maximumDecodedSize = 4 << 20
        let large = try IgniteClient(configuration: roomy)
        defer { large.close() }
        #expect(try large.cache("c").get(Int32(1), as: [UInt8].self)?.count == 1 << 20)

        for budget in [0, -1] {
            var invalid = server.configuration()
            invalid.maximumDecodedSize = budget
            let rejected = #expect(throws: IgniteError.self) { try IgniteClient(configuration: invalid) }
            #expect(rejected?.code == .parameter)
        }
    }

    /// More than 4,096 requests time out on one connection, then their late replies arrive: every one is discarded,
    /// the connection stays up (one accepted connection) and the next request gets its own answer.
    @Test func lateRepliesAfterThousandsOfTimeoutsAreDiscarded() throws {
        let withheldCount = 4_500
        let release = DispatchSemaphore(value: 0)
        let server = try ScriptedServer.withholdingReplies(withheldCount, until: release)
        defer {
            release.signal()
            server.stop()
        }
        var configuration = IgniteClientConfiguration(endpoints: [server.endpoint])
        configuration.partitionAwareness = false
        configuration.retryPolicy = nil
        configuration.requestTimeout = .milliseconds(100)
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        let cache = client.cache("late")
        // 90 threads, 50 requests each, one after the other: each waits its 100 ms timeout (about 5 s in all).
        let threads = 90
        let perThread = withheldCount / threads
        let timeouts = LateReplyCounter()
        let others = LateReplyCounter()
        let group = DispatchGroup()
        for thread in 0..<threads {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for i in 0..<perThread {
                    do {
                        _ = try cache.get(Int32(thread * perThread + i), as: Int32.self)
                        others.add()
                    } catch let error as IgniteError where error.code == .timeout {
                        timeouts.add()
                    } catch {
                        others.add()
                    }
                }
            }
        }
        #expect(group.wait(timeout: .now() + 300) == .success)
        #expect(timeouts.value == withheldCount)
        #expect(others.value == 0)
        release.signal()
        // The late replies arrive before the next request's answer (one stream, in order); under load they may take
        // longer than the 100 ms timeout to come through, so a few attempts are allowed (each a timeout, not a loss).
        var value: Int32?
        var lastError: IgniteError?
        for _ in 0..<50 where value == nil {
            do {
                value = try cache.get(Int32(1), as: Int32.self)
            } catch let error as IgniteError where error.code == .timeout {
                lastError = error
            }
        }
        #expect(value == 42, "\(String(describing: lastError))")
        #expect(server.acceptedCount == 1)
    }
}

/// A thread-safe counter.
private final class LateReplyCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
