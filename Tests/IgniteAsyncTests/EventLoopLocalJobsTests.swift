import Foundation
@testable import IgniteAsync
import IgniteProtocol
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Jobs the loop thread submits to itself (a reply's callback, a task on the loop's executor): they skip the lock
/// and the wake-up, and still run in order without starving the sockets.
@Suite("Event loop: jobs from the loop thread")
struct EventLoopLocalJobsTests {
    @Test func jobsSubmittedOnTheLoopRunOnItInOrder() async throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let probe = LoopProbe()
        loop.execute {
            probe.record("outer")
            for i in 0..<50 {
                loop.execute { probe.record(loop.inLoop ? "inner \(i)" : "off-loop \(i)") }
            }
            probe.record("outer done")
        }
        await probe.wait(for: 52)
        #expect(probe.entries == ["outer", "outer done"] + (0..<50).map { "inner \($0)" })
    }

    @Test func jobsFromBothSidesAllRun() async throws {
        let loop = try EventLoop(name: "test-loop")
        defer { loop.shutdown() }
        let probe = LoopProbe()
        for i in 0..<200 {
            // Off the loop; each job submits a second one from the loop.
            loop.execute { loop.execute { probe.record("from loop \(i)") } }
        }
        await probe.wait(for: 200)
        #expect(Set(probe.entries) == Set((0..<200).map { "from loop \($0)" }))
    }

    @Test func aJobThatKeepsResubmittingItselfDoesNotStarveTheSockets() async throws {
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
        let spinner = Spinner(loop: loop, probe: probe, handler: handler)
        let b = fds[1]
        loop.execute {
            do {
                handler.token = try loop.register(handler.fd, handler: handler, read: true, write: false)
                spinner.spin()
                var byte: UInt8 = 7
                _ = write(b, &byte, 1)
            } catch {
                probe.record("error \(error)")
            }
        }
        await probe.wait(for: 3)
        let entries = probe.entries
        #expect(entries.first == "event r=true w=false", "the socket event came through while the job kept resubmitting itself: \(entries)")
        #expect(entries.contains("spinner stopped"))
        #expect(!entries.contains("starved"))
    }
}

/// Resubmits itself from the loop until the handler saw its event (or gives up: the loop starved the socket).
final class Spinner: @unchecked Sendable {
    let loop: EventLoop
    let probe: LoopProbe
    let handler: OneShotHandler
    private var rounds = 0

    init(loop: EventLoop, probe: LoopProbe, handler: OneShotHandler) {
        self.loop = loop
        self.probe = probe
        self.handler = handler
    }

    /// Loop thread.
    func spin() {
        if !probe.entries.isEmpty {
            probe.record("spinner stopped")
            return
        }
        rounds += 1
        if rounds > 2_000_000 {
            probe.record("starved")
            return
        }
        loop.execute { [self] in spin() }
    }
}
