import Testing
@testable import IgniteProtocol

@Suite("HeartbeatSchedule")
struct HeartbeatScheduleTests {
    typealias Schedule = HeartbeatSchedule<FakeConnection>
    static let ms: UInt64 = 1_000_000

    @Test("interval: the configured one, shortened to a third of a positive server idle timeout, never below 500 ms")
    func intervalRule() {
        #expect(Schedule.interval(configured: .seconds(30), serverIdleTimeoutMilliseconds: 0) == .seconds(30))
        #expect(Schedule.interval(configured: .seconds(30), serverIdleTimeoutMilliseconds: -1) == .seconds(30))
        #expect(Schedule.interval(configured: .seconds(30), serverIdleTimeoutMilliseconds: 9_000) == .seconds(3))
        #expect(Schedule.interval(configured: .seconds(1), serverIdleTimeoutMilliseconds: 9_000) == .seconds(1))
        #expect(Schedule.interval(configured: .seconds(30), serverIdleTimeoutMilliseconds: 600) == .milliseconds(500))
    }

    @Test("the idle timeout is asked only when heartbeats are configured and negotiated")
    func idleTimeoutQuery() {
        let with = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.heartbeat]))
        let without = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures())
        #expect(Schedule.needsIdleTimeoutQuery(configured: .seconds(1), context: with))
        #expect(!Schedule.needsIdleTimeoutQuery(configured: nil, context: with))
        #expect(!Schedule.needsIdleTimeoutQuery(configured: .seconds(1), context: without))
    }

    @Test("ticks: a quarter of min(configured, 500 ms), at least 10 ms")
    func tickInterval() {
        #expect(Schedule.tickInterval(configured: .seconds(30)) == .milliseconds(125))
        #expect(Schedule.tickInterval(configured: .milliseconds(200)) == .milliseconds(50))
        #expect(Schedule.tickInterval(configured: .milliseconds(20)) == .milliseconds(10))
    }

    @Test("a connection idle for a whole interval is due; any request restarts its idle time; a heartbeat too")
    func idlePolicy() {
        var schedule = Schedule()
        let c = FakeConnection("c"), quiet = FakeConnection("off")
        func samples(_ count: UInt64) -> [Schedule.Sample] {
            [.init(connection: c, requestsSent: count, interval: .milliseconds(100)),
             .init(connection: quiet, requestsSent: 0, interval: nil)]
        }
        #expect(schedule.tick(now: 0, samples: samples(5)).isEmpty, "the first sample only records")
        #expect(schedule.tick(now: 99 * Self.ms, samples: samples(5)).isEmpty)
        #expect(schedule.tick(now: 100 * Self.ms, samples: samples(5)).map(\.name) == ["c"])
        #expect(schedule.tick(now: 150 * Self.ms, samples: samples(6)).isEmpty, "a request was sent")
        #expect(schedule.tick(now: 249 * Self.ms, samples: samples(6)).isEmpty)
        #expect(schedule.tick(now: 250 * Self.ms, samples: samples(6)).map(\.name) == ["c"])
        schedule.heartbeatSent(c, requestsSent: 7, now: 260 * Self.ms)
        #expect(schedule.tick(now: 300 * Self.ms, samples: samples(7)).isEmpty)
        #expect(schedule.tick(now: 360 * Self.ms, samples: samples(7)).map(\.name) == ["c"])
    }

    @Test("a connection that disappears is forgotten: when it returns it starts over")
    func forgetsClosedConnections() {
        var schedule = Schedule()
        let c = FakeConnection("c")
        let sample = [Schedule.Sample(connection: c, requestsSent: 1, interval: .milliseconds(100))]
        _ = schedule.tick(now: 0, samples: sample)
        _ = schedule.tick(now: 50 * Self.ms, samples: [])
        #expect(schedule.tick(now: 200 * Self.ms, samples: sample).isEmpty, "recorded afresh")
        #expect(schedule.tick(now: 300 * Self.ms, samples: sample).count == 1)
    }
}
