/// A mutual-exclusion lock for tasks: a task that cannot take it suspends (no thread waits), and is resumed in
/// arrival order when the holder unlocks. Used to serialise dialling one endpoint.
final class AsyncMutex: @unchecked Sendable {
    private let lock = AsyncLock()
    private var held = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Takes the lock, suspending until it is free.
    func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            lock.lock()
            if held {
                waiters.append(continuation)
                lock.unlock()
            } else {
                held = true
                lock.unlock()
                continuation.resume()
            }
        }
    }

    /// Releases the lock, handing it to the longest waiter.
    func unlock() {
        lock.lock()
        if waiters.isEmpty {
            held = false
            lock.unlock()
        } else {
            let next = waiters.removeFirst()
            lock.unlock()
            next.resume()
        }
    }
}
