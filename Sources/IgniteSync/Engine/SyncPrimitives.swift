#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A `pthread_mutex_t` at a stable heap address.
final class PThreadMutex: @unchecked Sendable {
    let raw: UnsafeMutablePointer<pthread_mutex_t>

    init() {
        raw = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        raw.initialize(to: pthread_mutex_t())
        pthread_mutex_init(raw, nil)
    }

    deinit {
        pthread_mutex_destroy(raw)
        raw.deinitialize(count: 1)
        raw.deallocate()
    }

    @inline(__always) func lock() { pthread_mutex_lock(raw) }
    @inline(__always) func unlock() { pthread_mutex_unlock(raw) }
    /// Takes the lock if it is free. - Returns: whether the lock is now held.
    @inline(__always) func tryLock() -> Bool { pthread_mutex_trylock(raw) == 0 }

    @inline(__always)
    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(raw)
        defer { pthread_mutex_unlock(raw) }
        return try body()
    }
}

/// A condition variable on the monotonic clock.
final class PThreadCondition: @unchecked Sendable {
    private let raw: UnsafeMutablePointer<pthread_cond_t>

    init() {
        raw = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
        raw.initialize(to: pthread_cond_t())
        #if canImport(Darwin)
        pthread_cond_init(raw, nil)
        #else
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(raw, &attributes)
        pthread_condattr_destroy(&attributes)
        #endif
    }

    deinit {
        pthread_cond_destroy(raw)
        raw.deinitialize(count: 1)
        raw.deallocate()
    }

    /// Waits; the mutex must be held.
    @inline(__always) func wait(_ mutex: PThreadMutex) { pthread_cond_wait(raw, mutex.raw) }

    /// Waits until `deadline` (monotonic nanoseconds); the mutex must be held.
    /// - Returns: `false` when the deadline passed.
    func wait(_ mutex: PThreadMutex, until deadline: UInt64) -> Bool {
        #if canImport(Darwin)
        let now = MonotonicClock.nanoseconds()
        guard deadline > now else { return false }
        let delta = deadline - now
        var ts = timespec(tv_sec: Int(delta / 1_000_000_000), tv_nsec: Int(delta % 1_000_000_000))
        return pthread_cond_timedwait_relative_np(raw, mutex.raw, &ts) != ETIMEDOUT
        #else
        var ts = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        return pthread_cond_timedwait(raw, mutex.raw, &ts) != ETIMEDOUT
        #endif
    }

    @inline(__always) func signal() { pthread_cond_signal(raw) }
    @inline(__always) func broadcast() { pthread_cond_broadcast(raw) }
}

#if canImport(Glibc) || canImport(Musl)
/// A counting semaphore that one thread sleeps on and any thread posts to: the per-waiter wake-up of
/// ``NodeConnection``. Unlike a condition variable it has no mutex to take back on waking (glibc's condition variable
/// marks that mutex contended, so its unlock after every wake-up is one more system call), and a post to a thread that
/// is not asleep costs no system call.
final class WakeSemaphore: WakeUp, @unchecked Sendable {
    private let raw: UnsafeMutablePointer<sem_t>

    init() {
        raw = UnsafeMutablePointer<sem_t>.allocate(capacity: 1)
        raw.initialize(to: sem_t())
        sem_init(raw, 0, 0)
    }

    deinit {
        sem_destroy(raw)
        raw.deinitialize(count: 1)
        raw.deallocate()
    }

    /// Adds one wake-up.
    @inline(__always) func post() { sem_post(raw) }

    /// Takes a wake-up if one is there, without waiting. - Returns: whether one was taken.
    @inline(__always) func tryWait() -> Bool { sem_trywait(raw) == 0 }

    /// Waits for a wake-up.
    func wait() {
        while sem_wait(raw) != 0, errno == EINTR {}
    }

    /// Waits for a wake-up until `deadline` (monotonic nanoseconds).
    /// - Returns: `false` when the deadline passed.
    func wait(until deadline: UInt64) -> Bool {
        // sem_timedwait measures on the real-time clock: waits go in slices of at most a second, and the monotonic
        // deadline is checked after each, so a step of the wall clock neither ends a wait early nor holds it long.
        while true {
            if sem_trywait(raw) == 0 { return true }
            let now = MonotonicClock.nanoseconds()
            guard deadline > now else { return false }
            let slice = min(deadline - now, 1_000_000_000)
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            let nanoseconds = UInt64(ts.tv_nsec) + slice
            ts.tv_sec += Int(nanoseconds / 1_000_000_000)
            ts.tv_nsec = Int(nanoseconds % 1_000_000_000)
            if sem_timedwait(raw, &ts) == 0 { return true }
        }
    }
}
#else
typealias WakeSemaphore = PortableWakeSemaphore
#endif

/// What a waiter of ``NodeConnection`` sleeps on: a counting wake-up that one thread waits for and any thread posts.
protocol WakeUp: AnyObject, Sendable {
    init()
    /// Adds one wake-up.
    func post()
    /// Takes a wake-up if one is there, without waiting. - Returns: whether one was taken.
    func tryWait() -> Bool
    /// Waits for a wake-up.
    func wait()
    /// Waits for a wake-up until `deadline` (monotonic nanoseconds). - Returns: `false` when the deadline passed.
    func wait(until deadline: UInt64) -> Bool
}

/// ``WakeSemaphore`` where there are no POSIX unnamed semaphores (Darwin): a count under a mutex and a condition.
/// Compiled and tested on every platform, so the branch macOS uses is never left unbuilt.
final class PortableWakeSemaphore: WakeUp, @unchecked Sendable {
    private let mutex = PThreadMutex()
    private let condition = PThreadCondition()
    private var count = 0

    init() {}

    /// Adds one wake-up.
    func post() {
        mutex.lock()
        count += 1
        mutex.unlock()
        condition.signal()
    }

    /// Takes a wake-up if one is there, without waiting. - Returns: whether one was taken.
    func tryWait() -> Bool {
        mutex.withLock {
            guard count > 0 else { return false }
            count -= 1
            return true
        }
    }

    /// Waits for a wake-up.
    func wait() {
        mutex.lock()
        while count == 0 { condition.wait(mutex) }
        count -= 1
        mutex.unlock()
    }

    /// Waits for a wake-up until `deadline` (monotonic nanoseconds).
    /// - Returns: `false` when the deadline passed.
    func wait(until deadline: UInt64) -> Bool {
        mutex.lock()
        defer { mutex.unlock() }
        while count == 0 {
            if !condition.wait(mutex, until: deadline), count == 0 { return false }
        }
        count -= 1
        return true
    }
}

/// Monotonic time in nanoseconds, cheap enough for every request that has a deadline.
enum MonotonicClock {
    @inline(__always)
    static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }

    /// A deadline `duration` from now, in monotonic nanoseconds (saturating).
    static func deadline(after duration: Duration) -> UInt64 {
        let result = nanoseconds().addingReportingOverflow(UInt64(duration.roundedUp(to: .nanoseconds)))
        return result.overflow ? UInt64.max : result.partialValue
    }

    /// The time left until `deadline`, or zero.
    static func remaining(until deadline: UInt64) -> Duration {
        let now = nanoseconds()
        guard deadline > now else { return .zero }
        let left = deadline - now
        return .nanoseconds(Int64(clamping: left))
    }
}
