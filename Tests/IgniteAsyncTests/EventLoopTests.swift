import Foundation
@testable import IgniteAsync
import IgniteProtocol
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Collects what a test observes on the loop thread.
final class LoopProbe: LoopSelectable, @unchecked Sendable {
    private let lock = NSLock()
    private var log: [String] = []
    private var continuation: CheckedContinuation<Void, Never>?
    private var wanted = Int.max

    func record(_ entry: String) {
        lock.lock()
        log.append(entry)
        var ready: CheckedContinuation<Void, Never>?
        if log.count >= wanted { ready = continuation; continuation = nil }
        lock.unlock()
        ready?.resume()
    }

    var entries: [String] { lock.withLock { log } }

    /// Waits until `count` entries were recorded.
    func wait(for count: Int) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if log.count >= count {
                lock.unlock()
                continuation.resume()
                return
            }
            wanted = count
            self.continuation = continuation
            lock.unlock()
        }
    }

    func loopEvent(readable: Bool, writable: Bool, hangup: Bool) {
        record("event r=\(readable) w=\(writable)")
    }
}

@Suite("Event loop", .timeLimit(.minutes(10)))
struct EventLoopTests {
    @Test func jobsRunOnTheLoopThreadInOrder() async throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let probe = LoopProbe()
        for i in 0..<100 {
            loop.execute { probe.record(loop.inLoop ? "job \(i)" : "off-loop \(i)") }
        }
        await probe.wait(for: 100)
        #expect(probe.entries == (0..<100).map { "job \($0)" })
        #expect(!loop.inLoop)
    }

    @Test func timersFireInDeadlineOrderAndCancelledOnesDoNot() async throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let probe = LoopProbe()
        loop.execute {
            let now = LoopClock.now()
            loop.scheduleTimer(at: now + 30_000_000) { probe.record("c") }
            let cancelled = loop.scheduleTimer(at: now + 10_000_000) { probe.record("cancelled") }
            loop.scheduleTimer(at: now + 20_000_000) { probe.record("b") }
            loop.scheduleTimer(at: now) { probe.record("a") }
            loop.cancelTimer(cancelled)
        }
        await probe.wait(for: 3)
        // A fourth timer after the others proves the cancelled one had its chance to fire.
        loop.execute { loop.scheduleTimer(at: LoopClock.now()) { probe.record("d") } }
        await probe.wait(for: 4)
        #expect(probe.entries == ["a", "b", "c", "d"])
    }

    @Test func socketReadinessIsReportedAndDeregistrationStopsIt() async throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        var fds: [Int32] = [0, 0]
        #if canImport(Darwin)
        #expect(socketpair(AF_UNIX, SOCK_STREAM, 0, &fds) == 0)
        #else
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        #endif
        defer { close(fds[0]); close(fds[1]) }
        let probe = LoopProbe()
        let handler = OneShotHandler(loop: loop, fd: fds[0], probe: probe)
        let b = fds[1]
        loop.execute {
            do {
                handler.token = try loop.register(handler.fd, handler: handler, read: true, write: false)
                var byte: UInt8 = 7
                _ = write(b, &byte, 1)
            } catch {
                probe.record("error \(error)")
            }
        }
        await probe.wait(for: 2)
        // Level-triggered: the unread byte would be reported again and again, had the handler not deregistered.
        #expect(probe.entries == ["event r=true w=false", "later"])
    }
}

/// Deregisters itself at its first event, then records a timer that fires after any further (wrong) event.
final class OneShotHandler: LoopSelectable, @unchecked Sendable {
    let loop: EventLoop
    let fd: Int32
    let probe: LoopProbe
    var token: UInt64 = 0

    init(loop: EventLoop, fd: Int32, probe: LoopProbe) {
        self.loop = loop
        self.fd = fd
        self.probe = probe
    }

    func loopEvent(readable: Bool, writable: Bool, hangup: Bool) {
        probe.record("event r=\(readable) w=\(writable)")
        loop.deregister(fd, token: token)
        loop.scheduleTimer(at: LoopClock.now() + 5_000_000) { [probe] in probe.record("later") }
    }
}
