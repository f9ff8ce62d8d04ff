#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain mutex over `pthread_mutex_t`, heap-allocated so its address never moves.
///
/// Held only for bookkeeping (never across a system call that can block), so taking it from a task of the
/// cooperative pool is fine.
final class AsyncLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    @inline(__always) func lock() { pthread_mutex_lock(mutex) }
    @inline(__always) func unlock() { pthread_mutex_unlock(mutex) }

    @inline(__always)
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// Monotonic time in nanoseconds (CLOCK_MONOTONIC), for deadlines.
enum LoopClock {
    /// Now, in nanoseconds since an arbitrary origin.
    @inline(__always)
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }

    /// The deadline `duration` from now (saturating; negative durations are now).
    static func deadline(after duration: Duration) -> UInt64 {
        now().addingSaturating(nanoseconds(duration))
    }

    /// A duration in whole nanoseconds, clamped to `0...UInt64.max`.
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 || seconds > 0 else { return 0 }
        let whole = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if whole.overflow { return UInt64.max }
        return whole.partialValue.addingSaturating(UInt64(max(0, attoseconds / 1_000_000_000)))
    }
}

extension UInt64 {
    @inline(__always)
    func addingSaturating(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}

/// The C `errno` text for messages.
func describeErrno(_ code: Int32) -> String {
    if let text = strerror(code) { return "\(String(cString: text)) (errno \(code))" }
    return "errno \(code)"
}

@inline(__always)
func closeDescriptor(_ fd: Int32) {
    #if canImport(Darwin)
    _ = Darwin.close(fd)
    #elseif canImport(Musl)
    _ = Musl.close(fd)
    #else
    _ = Glibc.close(fd)
    #endif
}
