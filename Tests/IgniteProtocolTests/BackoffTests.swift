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

@Suite("Backoff")
struct BackoffTests {
    static let a = IgniteEndpoint(host: "10.0.0.1", port: 10800)
    static let b = IgniteEndpoint(host: "10.0.0.2", port: 10800)
    static let c = IgniteEndpoint(host: "10.0.0.3", port: 10800)
    static let t0 = ContinuousClock.now

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
