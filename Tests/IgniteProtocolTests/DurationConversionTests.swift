import Testing
@testable import IgniteProtocol

@Suite("Duration conversion")
struct DurationConversionTests {
    @Test("whole units are exact; a positive remainder rounds up")
    func roundsUp() {
        #expect(Duration.seconds(2).roundedUp(to: .milliseconds) == 2000)
        #expect(Duration.milliseconds(1500).roundedUp(to: .milliseconds) == 1500)
        #expect(Duration.microseconds(1500).roundedUp(to: .milliseconds) == 2)
        #expect(Duration.nanoseconds(1).roundedUp(to: .milliseconds) == 1)
        #expect(Duration.nanoseconds(1_000_001).roundedUp(to: .milliseconds) == 2)
        #expect((Duration.seconds(1) + .nanoseconds(1)).roundedUp(to: .milliseconds) == 1001)
        #expect(Duration.nanoseconds(1500).roundedUp(to: .nanoseconds) == 1500)
        #expect(Duration(secondsComponent: 0, attosecondsComponent: 1).roundedUp(to: .nanoseconds) == 1)
        #expect(Duration.seconds(3).roundedUp(to: .nanoseconds) == 3_000_000_000)
    }

    @Test("zero and negative durations are 0")
    func nonPositive() {
        #expect(Duration.zero.roundedUp(to: .milliseconds) == 0)
        #expect(Duration.milliseconds(-5).roundedUp(to: .milliseconds) == 0)
        #expect(Duration.nanoseconds(-1).roundedUp(to: .nanoseconds) == 0)
        #expect((Duration.zero - .seconds(1) + .nanoseconds(1)).roundedUp(to: .milliseconds) == 0)
    }

    @Test("huge durations saturate at Int64.max")
    func saturates() {
        #expect(Duration.seconds(Int64.max).roundedUp(to: .milliseconds) == Int64.max)
        #expect(Duration.seconds(Int64.max / 1000).roundedUp(to: .nanoseconds) == Int64.max)
        let justFits = Duration.milliseconds(Int64.max - 1)
        #expect(justFits.roundedUp(to: .milliseconds) == Int64.max - 1)
    }

    @Test("expiry durations use the same rule; negatives stay invalid rather than becoming special values")
    func expiry() {
        #expect(ExpiryDuration(.microseconds(1)).milliseconds == 1)
        #expect(ExpiryDuration(.seconds(60)).milliseconds == 60_000)
        #expect(ExpiryDuration(.zero) == .zero)
        #expect(!ExpiryDuration(.milliseconds(-1)).isValid)
    }
}
