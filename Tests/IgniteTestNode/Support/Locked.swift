import Foundation

/// A value guarded by an `NSLock`. Every access goes through ``withLock(_:)``, which is what makes the
/// `@unchecked Sendable` conformance sound: the lock is the only path to the value.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value.
    var snapshot: Value { withLock { $0 } }
}

/// A one-shot latch a thread opens when it finishes, so that others can wait for it with a hang guard.
final class Latch: @unchecked Sendable {
    private let condition = NSCondition()
    private var isOpen = false   // guarded by `condition`

    /// Opens the latch and wakes every waiter.
    func open() {
        condition.lock()
        isOpen = true
        condition.broadcast()
        condition.unlock()
    }

    /// Waits until the latch is open or `timeout` passes.
    /// - Returns: whether the latch opened.
    @discardableResult
    func wait(timeout: TimeInterval) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout)
        condition.lock()
        defer { condition.unlock() }
        while !isOpen {
            if !condition.wait(until: deadline) { return isOpen }
        }
        return true
    }
}

/// Monotonic time in nanoseconds, for expiry and timeouts (no Foundation `Date` on the hot path).
enum MonotonicClock {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// `now` plus `milliseconds`, saturating.
    static func deadline(afterMilliseconds milliseconds: Int64) -> UInt64 {
        let (ns, overflow) = UInt64(max(0, milliseconds)).multipliedReportingOverflow(by: 1_000_000)
        if overflow { return .max }
        let (sum, overflow2) = now().addingReportingOverflow(ns)
        return overflow2 ? .max : sum
    }
}

extension Duration {
    /// The duration in whole milliseconds (saturating at zero for negative values).
    var wholeMilliseconds: Int64 {
        let parts = components
        return max(0, parts.seconds &* 1000 &+ parts.attoseconds / 1_000_000_000_000_000)
    }

    /// The duration in seconds as a `TimeInterval`.
    var timeInterval: TimeInterval {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

/// Names of the test node's threads. Linux keeps at most 15 bytes of a thread name (a longer one is refused, and the
/// thread keeps the process's name), so the names are short; they carry the node's port, which tells the threads of
/// different nodes apart in a thread dump (`/proc/<pid>/task/*/comm`, gdb) and lets tests count a node's threads.
package enum TestNodeThreadName {
    /// The listener thread of the node on `port`: `tnode<port>-lsn`.
    package static func listener(port: Int) -> String { "tnode\(port)-lsn" }
    /// A connection thread of the node on `port`: `tnode<port>-con`.
    package static func connection(port: Int) -> String { "tnode\(port)-con" }
}
