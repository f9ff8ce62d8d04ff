import Foundation
@testable import IgniteAsync
import IgniteProtocol
import Testing

/// The loop's wake-up flag: the wake-up descriptor is written only when the loop sleeps in the poller, and no job is
/// ever left behind (a lost wake-up would hang a request). Every wait here is bounded (generous limits), so a lost
/// wake-up fails the test instead of hanging it.
@Suite("Event loop: wake-ups")
struct EventLoopWakeUpTests {
    /// Waits (at most `seconds`) until the loop sleeps in the poller with nothing queued.
    private func waitUntilSleeping(_ loop: EventLoop, seconds: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if loop.isSleeping { return true }
            usleep(1000)
        }
        return false
    }

    @Test func aJobSubmittedWhileTheLoopSleepsWakesItOnce() throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        #expect(waitUntilSleeping(loop))
        let before = loop.wakeUpCount
        let ran = DispatchSemaphore(value: 0)
        loop.execute { ran.signal() }
        #expect(ran.wait(timeout: .now() + 10) == .success, "the sleeping loop was woken and ran the job")
        #expect(loop.wakeUpCount == before + 1)
    }

    @Test func jobsSubmittedWhileTheLoopIsAwakeRunWithoutAWakeUp() throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let busy = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        loop.execute {
            busy.signal()
            _ = release.wait(timeout: .now() + 20)  // keeps the loop awake, in a job
        }
        #expect(busy.wait(timeout: .now() + 10) == .success)
        let before = loop.wakeUpCount
        let ran = DispatchSemaphore(value: 0)
        for _ in 0..<10 { loop.execute { ran.signal() } }
        #expect(loop.executeIfAwake { ran.signal() }, "the loop is awake: it takes the job")
        release.signal()
        for _ in 0..<11 { #expect(ran.wait(timeout: .now() + 10) == .success) }
        #expect(loop.wakeUpCount == before, "no wake-up was written for jobs queued while the loop was awake")
    }

    @Test func executeIfAwakeDeclinesWhileTheLoopSleepsAndAcceptsOnTheLoop() throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        #expect(waitUntilSleeping(loop))
        let before = loop.wakeUpCount
        let declined = DispatchSemaphore(value: 0)
        #expect(!loop.executeIfAwake { declined.signal() }, "a sleeping loop is not woken: the caller does the work")
        #expect(declined.wait(timeout: .now() + 0.2) == .timedOut, "a declined job is not queued")
        #expect(loop.wakeUpCount == before)
        // From the loop thread itself the loop is awake by definition.
        let ran = DispatchSemaphore(value: 0)
        let accepted = LockedFlag()
        loop.execute {
            accepted.set(loop.executeIfAwake { ran.signal() })
        }
        #expect(ran.wait(timeout: .now() + 10) == .success)
        #expect(accepted.value)
    }

    @Test func jobsFromManyThreadsAllRunWhileTheLoopSleepsAndWakes() async throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let threads = 4
        let perThread = 5_000
        let counter = LockedCounter()
        let done = DispatchSemaphore(value: 0)
        let total = threads * perThread
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                let job: @Sendable () -> Void = { if counter.increment() == total { done.signal() } }
                // Mix both entries, with pauses so that the loop goes back to sleep now and then.
                if i % 2 == 0 || !loop.executeIfAwake(job) { loop.execute(job) }
                if i % 500 == t { usleep(200) }
            }
        }
        #expect(done.wait(timeout: .now() + 30) == .success, "every job ran: \(counter.value) of \(total)")
    }
}

final class LockedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() -> Int { lock.withLock { count += 1; return count } }
    var value: Int { lock.withLock { count } }
}

final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set(_ value: Bool) { lock.withLock { flag = value } }
    var value: Bool { lock.withLock { flag } }
}
