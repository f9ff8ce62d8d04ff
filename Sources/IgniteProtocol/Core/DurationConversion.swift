// The one conversion of a Swift `Duration` to a whole count of a unit, used wherever a duration leaves Swift: a
// timeout or TTL on the wire (milliseconds), poll(2)'s timeout, a monotonic deadline (nanoseconds).

/// The units a ``Swift/Duration`` is converted to.
package enum DurationUnit: Sendable {
    /// Nanoseconds (deadlines on a monotonic clock).
    case nanoseconds
    /// Milliseconds (timeouts and expiry durations on the wire, poll(2)).
    case milliseconds

    /// Attoseconds per unit.
    var attoseconds: Int64 {
        switch self {
        case .nanoseconds: return 1_000_000_000
        case .milliseconds: return 1_000_000_000_000_000
        }
    }

    /// Units per second.
    var perSecond: Int64 {
        switch self {
        case .nanoseconds: return 1_000_000_000
        case .milliseconds: return 1000
        }
    }
}

extension Duration {
    /// The duration as a whole number of `unit`s.
    ///
    /// The rule, the same everywhere:
    /// - a positive remainder **rounds up** (1.2 ms is 2 ms): a time limit is never shortened, and a positive
    ///   duration never becomes 0, which on the wire often means "none" or "at once";
    /// - negative durations become **0** (callers that must reject them check `duration < .zero` first);
    /// - values past `Int64.max` units **saturate** at `Int64.max`.
    /// - Parameter unit: The unit.
    /// - Returns: A count in `0...Int64.max`.
    package func roundedUp(to unit: DurationUnit) -> Int64 {
        let (seconds, attoseconds) = components
        // `components` keeps both parts with the sign of the whole; a negative whole rounds to 0.
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return 0 }
        let whole = seconds.multipliedReportingOverflow(by: unit.perSecond)
        guard !whole.overflow else { return Int64.max }
        // attoseconds is in 0..<10^18 here, so the rounded-up fraction is at most one second's worth of units.
        let fraction = (attoseconds + unit.attoseconds - 1) / unit.attoseconds
        let total = whole.partialValue.addingReportingOverflow(fraction)
        return total.overflow ? Int64.max : total.partialValue
    }
}
