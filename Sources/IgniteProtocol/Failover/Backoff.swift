/// Exponential backoff with a cap and jitter: attempt `n` waits
/// `min(maximum, initial × multiplierⁿ) × (1 − jitter × u)`, where `u ∈ [0, 1)` comes from the caller,
/// so that the delay is deterministic under test.
package struct Backoff: Hashable, Sendable {
    /// The delay before the first retry (attempt 0), before jitter.
    public var initial: Duration
    /// The growth factor per attempt (values below 1 are treated as 1).
    public var multiplier: Double
    /// The cap, before jitter.
    public var maximum: Duration
    /// The fraction of the delay that jitter may remove, clamped to `0...1` (0: no jitter).
    public var jitter: Double

    /// Creates a backoff.
    /// - Parameters:
    ///   - initial: The first delay.
    ///   - multiplier: The growth factor.
    ///   - maximum: The cap.
    ///   - jitter: The fraction jitter may remove.
    public init(initial: Duration = .milliseconds(100), multiplier: Double = 2, maximum: Duration = .seconds(10), jitter: Double = 0.2) {
        self.initial = initial
        self.multiplier = multiplier
        self.maximum = maximum
        self.jitter = jitter
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.roundedUp(to: .nanoseconds)) * 1e-9
    }

    /// The delay before retry `attempt`.
    /// - Parameters:
    ///   - attempt: 0 for the first retry, 1 for the second, ...
    ///   - unitRandom: A value in `[0, 1)` (clamped); 0 gives the full delay.
    /// - Returns: A delay in `[base × (1 − jitter), base]`, where base is the capped exponential delay; never negative.
    public func delay(attempt: Int, unitRandom: Double) -> Duration {
        let cap = Swift.max(0, Self.seconds(maximum))
        let first = Swift.min(Swift.max(0, Self.seconds(initial)), cap)
        let factor = multiplier.isFinite ? Swift.max(1, multiplier) : 1
        let grown = first * integerPower(factor, Double(Swift.max(0, attempt)))
        let base = grown.isFinite ? Swift.min(grown, cap) : cap
        let fraction = jitter.isFinite ? Swift.min(Swift.max(jitter, 0), 1) : 0
        let u = unitRandom.isFinite ? Swift.min(Swift.max(unitRandom, 0), 1) : 0
        let value = base * (1 - fraction * u)
        return .nanoseconds(Int64((value * 1e9).rounded()))
    }

    /// The delay before retry `attempt`, with jitter drawn from `generator`.
    /// - Parameters:
    ///   - attempt: 0 for the first retry.
    ///   - generator: The random source (a seeded generator makes the result reproducible).
    /// - Returns: The delay.
    public func delay<G: RandomNumberGenerator>(attempt: Int, using generator: inout G) -> Duration {
        delay(attempt: attempt, unitRandom: Double.random(in: 0..<1, using: &generator))
    }
}

/// `x` to the power `y` without Foundation: repeated squaring for the integral exponents the backoff uses.
private func integerPower(_ x: Double, _ y: Double) -> Double {
    var exponent = Int(Swift.min(y, 4096))
    var base = x
    var result = 1.0
    while exponent > 0 {
        if exponent & 1 == 1 { result *= base }
        base *= base
        exponent >>= 1
        if !result.isFinite { return .infinity }
    }
    return result
}
