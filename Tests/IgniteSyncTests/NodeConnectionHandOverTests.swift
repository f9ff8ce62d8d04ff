import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import IgniteSync
import IgniteProtocol
import IgniteSockets
import Testing

/// A request with a body of `size` bytes after an i64 token; the scripted servers answer with the token.
private struct BlobRequest: IgniteRequest {
    var opCode: OpCode = .cachePut
    var token: Int64
    var size: Int

    func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(token)
        writer.writeBytes([UInt8](repeating: 7, count: size))
    }

    func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Int64 { try reader.readInt64() }
}

/// The hand-over between the threads sharing one ``NodeConnection``: frames left queued for another thread to write,
/// the reader role passed on without a wake-up, per-waiter wake-ups. Every request must end (no frame is left
/// queued with nobody to write it, the reader role is never left unclaimed) with its own value or its own error.
@Suite("NodeConnection hand-over")
struct NodeConnectionHandOverTests {
    /// 64 threads × 150 requests on one connection: each gets its own value, and nothing is left unsent (requests
    /// without a deadline would hang).
    @Test func sixtyFourThreadsEachGetTheirOwnValues() throws {
        let server = try NodeConnectionTests.reorderingServer(batch: 16)
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: NodeConnectionTests.settings(), observer: .init())
        defer { connection.close() }
        let outcomes = Counter()
        let group = startThreads(64) { thread in
            for i in 0..<150 {
                let token = Int64(thread * 1_000_000 + i)
                do {
                    // Half the threads wait without a deadline: a frame left unsent would hang them.
                    let timeout: Duration? = thread % 2 == 0 ? nil : .seconds(120)
                    let echoed = try connection.roundTrip(EchoRequest(token: token), timeout: timeout)
                    outcomes.add(echoed == token ? "ok" : "WRONG")
                } catch {
                    outcomes.add("error \(error)")
                }
            }
        }
        #expect(group.wait(timeout: .now() + 180) == .success)
        #expect(outcomes["ok"] == 64 * 150)
        #expect(outcomes["WRONG"] == 0)
        #expect(!connection.isBroken)
        #expect(server.acceptedCount == 1)
    }

    /// Threads that make a few requests and stop, while others go on: a frame left queued because woken threads had
    /// yet to pick up their responses is written by the last of them even when none of them sends again.
    @Test func threadsThatStopEarlyStillLeaveNoFrameUnsent() throws {
        let server = try NodeConnectionTests.reorderingServer(batch: 8)
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: NodeConnectionTests.settings(), observer: .init())
        defer { connection.close() }
        let outcomes = Counter()
        let count: @Sendable (Int) -> Int = { thread in 1 + (thread * 7) % 23 }  // 1 to 23 requests, then the thread ends
        let expected = (0..<48).map(count).reduce(0, +)
        let group = startThreads(48) { thread in
            for i in 0..<count(thread) {
                let token = Int64(thread * 1_000_000 + i)
                do {
                    let echoed = try connection.roundTrip(EchoRequest(token: token), timeout: nil)
                    outcomes.add(echoed == token ? "ok" : "WRONG")
                } catch {
                    outcomes.add("error \(error)")
                }
            }
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(outcomes["ok"] == expected)
        // And the connection still serves a lone request afterwards.
        #expect(try connection.roundTrip(EchoRequest(token: 77), timeout: .seconds(30)) == 77)
    }

    /// The reader's own request times out while another thread still waits (with a longer deadline) for a reply that
    /// comes later: the reader role passes on, and the other thread gets its reply.
    @Test func theReaderRolePassesOnWhenTheReadersRequestTimesOut() throws {
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            guard let first = peer.readRequest(), let second = peer.readRequest() else { return }
            _ = first  // never answered
            usleep(600_000)  // well after the first request's deadline
            peer.respond(id: second.id, body: second.body)
            while let request = peer.readRequest() { peer.respond(id: request.id, body: request.body) }
        }
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: NodeConnectionTests.settings(), observer: .init())
        defer { connection.close() }
        let outcomes = Counter()
        let group = DispatchGroup()
        group.enter()
        Thread {
            do {
                _ = try connection.roundTrip(EchoRequest(token: 1), timeout: .milliseconds(150))
                outcomes.add("first answered")
            } catch let error as IgniteError {
                outcomes.add("first \(error.code)")
            } catch {
                outcomes.add("first other")
            }
            group.leave()
        }.start()
        // The first request is in flight (its thread is the reader) before the second is sent.
        for _ in 0..<500 where connection.requestsSent < 1 { Thread.sleep(forTimeInterval: 0.002) }
        group.enter()
        Thread {
            do {
                let echoed = try connection.roundTrip(EchoRequest(token: 2), timeout: .seconds(60))
                outcomes.add(echoed == 2 ? "second ok" : "second WRONG")
            } catch {
                outcomes.add("second error \(error)")
            }
            group.leave()
        }.start()
        #expect(group.wait(timeout: .now() + 90) == .success)
        #expect(outcomes["first timeout"] == 1)
        #expect(outcomes["second ok"] == 1)
        #expect(!connection.isBroken)
    }

    /// Many threads whose replies are withheld all time out with `.timeout` (each at its own deadline, whichever
    /// thread reads); the late replies are dropped when they come, and the connection goes on serving many threads.
    @Test func withheldRepliesTimeOutForEveryThreadAndTheConnectionRecovers() throws {
        let threads = 24
        let release = DispatchSemaphore(value: 0)
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            var withheld: [(Int64, [UInt8])] = []
            while withheld.count < threads, let request = peer.readRequest() { withheld.append((request.id, request.body)) }
            guard release.wait(timeout: .now() + 120) == .success else { return }
            for (id, body) in withheld { peer.respond(id: id, body: body) }  // late
            while let request = peer.readRequest() { peer.respond(id: request.id, body: request.body) }
        }
        defer { server.stop() }
        let connection = try NodeConnection.open(to: server.endpoint, settings: NodeConnectionTests.settings(), observer: .init())
        defer { connection.close() }
        let outcomes = Counter()
        let group = startThreads(threads) { thread in
            let started = ContinuousClock.now
            do {
                _ = try connection.roundTrip(EchoRequest(token: Int64(thread)), timeout: .milliseconds(200 + 10 * thread))
                outcomes.add("answered")
            } catch let error as IgniteError {
                outcomes.add("\(error.code)")
                // Not held up by another thread's wait: well within a generous bound of its own deadline.
                if ContinuousClock.now - started > .seconds(20) { outcomes.add("late") }
            } catch {
                outcomes.add("other")
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(outcomes["timeout"] == threads)
        #expect(outcomes["late"] == 0)
        #expect(!connection.isBroken)
        release.signal()
        let after = Counter()
        let second = startThreads(16) { thread in
            for i in 0..<40 {
                let token = Int64(1_000 + thread * 100 + i)
                let echoed = try? connection.roundTrip(EchoRequest(token: token), timeout: .seconds(60))
                after.add(echoed == token ? "ok" : "WRONG")
            }
        }
        #expect(second.wait(timeout: .now() + 120) == .success)
        #expect(after["ok"] == 16 * 40)
        #expect(!connection.isBroken)
    }

    /// A server that answers a few requests and then stops reading: with many threads writing large frames, the
    /// requests end with `.timeout` or, once a write stuck past its deadline failed the connection, a connection
    /// error; none hangs, none gets another's value, and the connection is failed.
    @Test func aServerThatStopsReadingFailsRequestsAndTheConnectionWithManyThreads() throws {
        let release = DispatchSemaphore(value: 0)
        let server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            for _ in 0..<8 {
                guard let request = peer.readRequest() else { return }
                peer.respond(id: request.id, body: Array(request.body.prefix(8)))
            }
            _ = release.wait(timeout: .now() + 120)  // reads nothing more
        }
        defer {
            release.signal()
            server.stop()
        }
        let lost = Counter()
        let connection = try NodeConnection.open(to: server.endpoint, settings: NodeConnectionTests.settings(),
                                                 observer: .init(lost: { _, _ in lost.add("lost") }))
        defer { connection.close() }
        let outcomes = Counter()
        let group = startThreads(16) { thread in
            for i in 0..<6 {
                let token = Int64(thread * 100 + i)
                do {
                    let echoed = try connection.roundTrip(BlobRequest(token: token, size: 1 << 20), timeout: .milliseconds(500))
                    outcomes.add(echoed == token ? "ok" : "WRONG")
                } catch let error as IgniteError {
                    outcomes.add(error.code == .timeout ? "timeout" : error.isConnectionFailure ? "connection" : "\(error.code)")
                } catch {
                    outcomes.add("other")
                }
            }
        }
        #expect(group.wait(timeout: .now() + 120) == .success)
        #expect(outcomes["WRONG"] == 0)
        #expect(outcomes["ok"] + outcomes["timeout"] + outcomes["connection"] == 16 * 6)
        #expect(outcomes["timeout"] >= 1)
        #expect(connection.isBroken)
        // Reported once (as the stuck write's timeout, or as the closed stream the reader saw first).
        #expect(lost["lost"] == 1)
    }
}

@Suite("WakeSemaphore")
struct WakeSemaphoreTests {
    /// The platform's semaphore (sem_t on Linux) and the portable one macOS uses, which is built and run here too.
    static let kinds: [String] = ["platform", "portable"]

    private func make(_ kind: String) -> any WakeUp {
        kind == "portable" ? PortableWakeSemaphore() : WakeSemaphore()
    }

    @Test(arguments: kinds) func aPostBeforeTheWaitIsKept(kind: String) {
        let semaphore = make(kind)
        semaphore.post()
        #expect(semaphore.wait(until: MonotonicClock.deadline(after: .seconds(5))))
        #expect(!semaphore.tryWait())
        semaphore.post()
        semaphore.post()
        #expect(semaphore.tryWait())
        #expect(semaphore.tryWait())
        #expect(!semaphore.tryWait())
    }

    @Test(arguments: kinds) func aWaitEndsAtItsDeadline(kind: String) {
        let semaphore = make(kind)
        let started = ContinuousClock.now
        #expect(!semaphore.wait(until: MonotonicClock.deadline(after: .milliseconds(50))))
        #expect(ContinuousClock.now - started >= .milliseconds(45))
        #expect(!semaphore.wait(until: 0))
    }

    @Test(arguments: kinds) func aPostFromAnotherThreadWakesTheWaiter(kind: String) {
        let semaphore = make(kind)
        let done = DispatchSemaphore(value: 0)
        let woken = Counter()
        Thread {
            if semaphore.wait(until: MonotonicClock.deadline(after: .seconds(60))) { woken.add("yes") }
            semaphore.wait()
            woken.add("twice")
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.05)
        semaphore.post()
        semaphore.post()
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(woken["yes"] == 1)
        #expect(woken["twice"] == 1)
    }

    /// Many posters, one waiter: every post is one wake-up, none lost, none invented.
    @Test(arguments: kinds) func everyPostIsOneWakeUp(kind: String) {
        let semaphore = make(kind)
        let posters = 8, postsEach = 500
        let group = DispatchGroup()
        for _ in 0..<posters {
            group.enter()
            Thread {
                for _ in 0..<postsEach { semaphore.post() }
                group.leave()
            }.start()
        }
        var taken = 0
        while taken < posters * postsEach, semaphore.wait(until: MonotonicClock.deadline(after: .seconds(60))) { taken += 1 }
        #expect(group.wait(timeout: .now() + 60) == .success)
        #expect(taken == posters * postsEach)
        #expect(!semaphore.tryWait())
    }
}
