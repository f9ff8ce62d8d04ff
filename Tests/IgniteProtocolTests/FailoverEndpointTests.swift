import Testing
@testable import IgniteProtocol

/// SplitMix64: a tiny seeded generator so jitter is reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("EndpointSelector and Backoff")
struct FailoverEndpointTests {
    static let a = IgniteEndpoint(host: "10.0.0.1", port: 10800)
    static let b = IgniteEndpoint(host: "10.0.0.2", port: 10800)
    static let c = IgniteEndpoint(host: "10.0.0.3", port: 10800)
    static let t0 = ContinuousClock.now

    @Test("round robin over unconnected endpoints, then over connected ones")
    func roundRobin() {
        var selector = EndpointSelector(endpoints: [Self.a, Self.b, Self.c, Self.a], throttle: .disabled)
        #expect(selector.endpoints == [Self.a, Self.b, Self.c], "duplicates dropped")
        #expect(selector.status(of: Self.a) == .unknown)
        let pick1 = selector.nextConnected()
        #expect(pick1 == nil)
        let pick2 = selector.nextToConnect(now: Self.t0)
        #expect(pick2 == Self.a)
        let pick3 = selector.nextToConnect(now: Self.t0)
        #expect(pick3 == Self.b)
        selector.markConnected(Self.a)
        selector.markConnected(Self.c)
        let pick4 = selector.nextToConnect(now: Self.t0)
        #expect(pick4 == Self.b, "only b is unconnected")
        let pick5 = selector.nextConnected()
        #expect(pick5 == Self.a)
        let pick6 = selector.nextConnected()
        #expect(pick6 == Self.c)
        let pick7 = selector.nextConnected()
        #expect(pick7 == Self.a)
        selector.markFailed(Self.a)
        #expect(selector.status(of: Self.a) == .failed)
        let pick8 = selector.nextConnected()
        #expect(pick8 == Self.c)
        let pick9 = selector.nextConnected()
        #expect(pick9 == Self.c)
        #expect(selector.connectedEndpoints == [Self.c])
        selector.markConnected(Self.b)
        selector.markConnected(Self.a)
        let pick10 = selector.nextToConnect(now: Self.t0)
        #expect(pick10 == nil, "everything is connected")
        #expect(selector.status(of: IgniteEndpoint(host: "elsewhere")) == nil)
    }

    @Test("throttle: at most 3 attempts per 30 s per endpoint, on an injected clock")
    func throttle() {
        var selector = EndpointSelector(endpoints: [Self.a])
        #expect(selector.throttle == .default)
        for second in [0, 1, 2] {
            let pick11 = selector.recordConnectAttempt(to: Self.a, now: Self.t0 + .seconds(second))
            #expect(pick11)
        }
        #expect(selector.isThrottled(Self.a, now: Self.t0 + .seconds(3)))
        let pick12 = selector.recordConnectAttempt(to: Self.a, now: Self.t0 + .seconds(3))
        #expect(!pick12)
        let pick13 = selector.nextToConnect(now: Self.t0 + .seconds(29))
        #expect(pick13 == nil)
        #expect(selector.nextAttemptAllowed(for: Self.a, now: Self.t0 + .seconds(10)) == Self.t0 + .seconds(30))
        // The first attempt leaves the window after exactly one period.
        #expect(selector.isThrottled(Self.a, now: Self.t0 + .seconds(30)) == false)
        #expect(selector.nextAttemptAllowed(for: Self.a, now: Self.t0 + .seconds(30)) == Self.t0 + .seconds(30))
        let pick14 = selector.nextToConnect(now: Self.t0 + .seconds(30))
        #expect(pick14 == Self.a)
        #expect(selector.isThrottled(Self.a, now: Self.t0 + .seconds(30)))
        #expect(selector.nextAttemptAllowed(for: Self.a, now: Self.t0 + .seconds(30)) == Self.t0 + .seconds(31))
        let pick15 = selector.recordConnectAttempt(to: IgniteEndpoint(host: "unknown"), now: Self.t0)
        #expect(!pick15)
    }

    @Test("a throttled endpoint is skipped in favour of the next one")
    func throttledSkipped() {
        var selector = EndpointSelector(endpoints: [Self.a, Self.b], throttle: ReconnectThrottle(maximumAttempts: 1, period: .seconds(5)))
        let pick16 = selector.nextToConnect(now: Self.t0)
        #expect(pick16 == Self.a)
        selector.markFailed(Self.a)
        let pick17 = selector.nextToConnect(now: Self.t0)
        #expect(pick17 == Self.b)
        selector.markFailed(Self.b)
        let pick18 = selector.nextToConnect(now: Self.t0 + .seconds(1))
        #expect(pick18 == nil)
        let pick19 = selector.nextToConnect(now: Self.t0 + .seconds(5))
        #expect(pick19 == Self.a)
        let pick20 = selector.nextToConnect(now: Self.t0 + .seconds(5))
        #expect(pick20 == Self.b)
    }

    @Test("updating endpoints keeps state of the endpoints that stay")
    func update() {
        var selector = EndpointSelector(endpoints: [Self.a, Self.b], throttle: ReconnectThrottle(maximumAttempts: 1, period: .seconds(60)))
        let pick21 = selector.recordConnectAttempt(to: Self.b, now: Self.t0)
        #expect(pick21)
        selector.markConnected(Self.b)
        let removed = selector.updateEndpoints([Self.b, Self.c, Self.c])
        #expect(removed == [Self.a])
        #expect(selector.endpoints == [Self.b, Self.c])
        #expect(selector.status(of: Self.b) == .connected)
        #expect(selector.status(of: Self.c) == .unknown)
        #expect(selector.isThrottled(Self.b, now: Self.t0 + .seconds(1)))
        let pick22 = selector.nextToConnect(now: Self.t0)
        #expect(pick22 == Self.c)
        let pick23 = selector.updateEndpoints([])
        #expect(pick23 == [Self.b, Self.c])
        let pick24 = selector.nextToConnect(now: Self.t0)
        #expect(pick24 == nil)
        let pick25 = selector.nextConnected()
        #expect(pick25 == nil)
    }

    @Test("backoff grows exponentially up to the cap")
    func backoffGrowth() {
        let backoff = Backoff(initial: .milliseconds(100), multiplier: 2, maximum: .seconds(1), jitter: 0.5)
        #expect(backoff.delay(attempt: 0, unitRandom: 0) == .milliseconds(100))
        #expect(backoff.delay(attempt: 1, unitRandom: 0) == .milliseconds(200))
        #expect(backoff.delay(attempt: 3, unitRandom: 0) == .milliseconds(800))
        #expect(backoff.delay(attempt: 4, unitRandom: 0) == .seconds(1))
        #expect(backoff.delay(attempt: 10_000, unitRandom: 0) == .seconds(1))
        #expect(backoff.delay(attempt: Int.max, unitRandom: 0) == .seconds(1))
        #expect(backoff.delay(attempt: -5, unitRandom: 0) == .milliseconds(100))
        // Jitter removes up to half.
        #expect(backoff.delay(attempt: 1, unitRandom: 0.5) == .milliseconds(150))
        #expect(backoff.delay(attempt: 4, unitRandom: 1) == .milliseconds(500))
    }

    @Test("backoff jitter is deterministic with a seeded generator and stays in range")
    func backoffJitter() {
        let backoff = Backoff(initial: .milliseconds(50), multiplier: 3, maximum: .seconds(2), jitter: 0.25)
        var g1 = SplitMix64(state: 42)
        var g2 = SplitMix64(state: 42)
        for attempt in 0..<20 {
            let d1 = backoff.delay(attempt: attempt, using: &g1)
            let d2 = backoff.delay(attempt: attempt, using: &g2)
            #expect(d1 == d2)
            let full = backoff.delay(attempt: attempt, unitRandom: 0)
            #expect(d1 <= full)
            #expect(d1 >= full * 0.75 - .nanoseconds(1))
        }
    }

    @Test("degenerate backoff parameters never trap or go negative")
    func backoffDegenerate() {
        let weird = Backoff(initial: .seconds(-1), multiplier: .nan, maximum: .seconds(-5), jitter: 7)
        #expect(weird.delay(attempt: 3, unitRandom: .infinity) == .zero)
        let shrink = Backoff(initial: .milliseconds(10), multiplier: 0.1, maximum: .seconds(1), jitter: -1)
        #expect(shrink.delay(attempt: 5, unitRandom: 0.9) == .milliseconds(10))
        let huge = Backoff(initial: .seconds(1), multiplier: 1e300, maximum: .seconds(60), jitter: 0)
        #expect(huge.delay(attempt: 50, unitRandom: 0) == .seconds(60))
    }
}
