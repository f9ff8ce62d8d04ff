#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain mutex over `pthread_mutex_t`, heap-allocated so its address never moves.
/// Shared within the package by the transports (TCP here, TLS in IgniteTLS).
package final class SocketLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    package init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Takes the lock.
    @inline(__always) package func lock() { pthread_mutex_lock(mutex) }
    /// Releases the lock.
    @inline(__always) package func unlock() { pthread_mutex_unlock(mutex) }
    /// Takes the lock if it is free. - Returns: whether the lock is now held.
    @inline(__always) package func tryLock() -> Bool { pthread_mutex_trylock(mutex) == 0 }

    /// Runs `body` holding the lock.
    @inline(__always)
    package func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}

/// The C `errno` text for messages.
func errnoDescription(_ code: Int32) -> String {
    if let text = strerror(code) { return "\(String(cString: text)) (errno \(code))" }
    return "errno \(code)"
}
