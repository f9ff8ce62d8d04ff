import Foundation
import IgniteProtocol

/// Something watched by an ``EventLoop``: it is told, on the loop thread, what its descriptor is ready for.
protocol LoopSelectable: AnyObject {
    /// The descriptor is ready. Called on the loop thread only.
    func loopEvent(readable: Bool, writable: Bool, hangup: Bool)
}

/// The async product's own event loop: one thread waiting in epoll (kqueue on Apple platforms) for every
/// connection's socket, running timers and jobs handed over from other threads.
///
/// Tasks never block on a socket: they append to a connection's buffers under a short lock and, if the data
/// cannot be written at once, leave the rest to the loop. The loop reads every readable socket, cuts frames and
/// resumes the waiting tasks' continuations. Registration, interest changes and timers are loop-confined: call
/// them on the loop thread (inside a job or an event callback); ``execute(_:)`` is the only cross-thread entry.
final class EventLoop: @unchecked Sendable {
    /// A handle to cancel a timer.
    struct TimerHandle: Hashable, Sendable {
        fileprivate let id: UInt64
    }

    private let poller: Poller
    private let name: String

    // Guarded by `lock`: the job queue and the sleeping flag. (Every mutable property of the loop is either guarded
    // by `lock` or confined to the loop thread, so Swift's dynamic exclusivity checks, which cost more than the
    // bookkeeping they guard on this path, are switched off property by property.)
    private let lock = AsyncLock()
    @exclusivity(unchecked) private var jobs: [@Sendable () -> Void] = []
    @exclusivity(unchecked) private var sleeping = false
    @exclusivity(unchecked) private var wakePending = false
    @exclusivity(unchecked) private var stopRequested = false
    @exclusivity(unchecked) private var wakeUps: UInt64 = 0
    /// Tasks' jobs (the loop as a task executor), queued as they are: no closure to allocate per job.
    @exclusivity(unchecked) private var taskJobs: [UnownedJob] = []

    /// Set by the loop thread before ``init(name:)`` returns, never changed after.
    @exclusivity(unchecked) private var loopThread: pthread_t?

    // Loop-confined.
    /// Jobs submitted from the loop thread itself: they need neither the lock nor a wake-up.
    @exclusivity(unchecked) private var localJobs: [@Sendable () -> Void] = []
    @exclusivity(unchecked) private var localRunning: [@Sendable () -> Void] = []
    /// The batch being run; swapped with the queue (no copy, no reallocation once both have grown).
    @exclusivity(unchecked) private var running: [@Sendable () -> Void] = []
    /// Tasks' jobs submitted from the loop thread, and the batches of both task-job queues being run.
    @exclusivity(unchecked) private var localTaskJobs: [UnownedJob] = []
    @exclusivity(unchecked) private var runningTaskJobs: [UnownedJob] = []
    @exclusivity(unchecked) private var localRunningTaskJobs: [UnownedJob] = []
    @exclusivity(unchecked) private var registrations: [UInt64: any LoopSelectable] = [:]
    /// The registration looked up last: most events are for the one busy connection, found without hashing.
    @exclusivity(unchecked) private var lastToken: UInt64 = 0
    @exclusivity(unchecked) private var lastHandler: (any LoopSelectable)?
    @exclusivity(unchecked) private var nextToken: UInt64 = 1
    @exclusivity(unchecked) private var timerHeap: [(deadline: UInt64, id: UInt64)] = []
    @exclusivity(unchecked) private var timerBodies: [UInt64: () -> Void] = [:]
    @exclusivity(unchecked) private var nextTimerId: UInt64 = 1
    @exclusivity(unchecked) private var events: [PollerEvent] = []
    private let finished = DispatchSemaphore(value: 0)
    private let started = DispatchSemaphore(value: 0)

    /// The process-wide loop the clients share, started on first use and never stopped.
    static func shared() throws -> EventLoop {
        try sharedLock.withLock {
            if let loop = sharedLoop { return loop }
            let loop = try EventLoop(name: "ignite-async-loop")
            sharedLoop = loop
            return loop
        }
    }
    private static let sharedLock = AsyncLock()
    nonisolated(unsafe) private static var sharedLoop: EventLoop?

    /// Creates a loop and starts its thread.
    /// - Parameter name: The thread's name.
    /// - Throws: ``IgniteError/Code/socket`` when the poller cannot be created.
    init(name: String) throws {
        poller = try Poller()
        self.name = name
        let thread = Thread { [self] in run() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
        started.wait()
    }

    /// Whether the caller runs on the loop thread.
    var inLoop: Bool {
        guard let loopThread else { return false }
        return pthread_equal(loopThread, pthread_self()) != 0
    }

    /// Runs `job` on the loop thread, soon. Safe from any thread.
    ///
    /// The eventfd (kqueue event) that wakes the loop is written only when the loop sleeps in the poller and no
    /// wake-up is pending: a job submitted while the loop is awake (reading replies, running jobs) is picked up before
    /// it next waits, and a job submitted from the loop thread itself (a reply's callback, a task on the loop's
    /// executor) goes to a loop-local queue without the lock.
    func execute(_ job: @escaping @Sendable () -> Void) {
        if inLoop {
            localJobs.append(job)
            return
        }
        lock.lock()
        jobs.append(job)
        let wake = claimWakeUpLocked()
        lock.unlock()
        if wake { poller.wake() }
    }

    /// Whether the caller, having just queued a job, must wake the loop: it sleeps in the poller and no wake-up is
    /// pending yet (then one is claimed). Lock held.
    private func claimWakeUpLocked() -> Bool {
        guard sleeping && !wakePending else { return false }
        wakePending = true
        wakeUps &+= 1
        return true
    }

    /// Runs a task's job on the loop thread (the loop as a task executor), like ``execute(_:)`` without a closure.
    func enqueueTaskJob(_ job: UnownedJob) {
        if inLoop {
            localTaskJobs.append(job)
            return
        }
        lock.lock()
        taskJobs.append(job)
        let wake = claimWakeUpLocked()
        lock.unlock()
        if wake { poller.wake() }
    }

    /// Runs the tasks' jobs of one batch. Loop thread.
    private func runTaskJobs(_ batch: inout [UnownedJob]) {
        guard !batch.isEmpty else { return }
        if #available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *) {
            let executor = asUnownedTaskExecutor()
            for job in batch { job.runSynchronously(on: executor) }
        }
        batch.removeAll(keepingCapacity: true)
    }

    /// Runs `job` on the loop thread before it next waits, if the loop is awake; does nothing and returns `false` if it
    /// sleeps in the poller (then the caller does the work itself rather than wake the loop for it). Safe from any
    /// thread; never writes the wake-up descriptor.
    ///
    /// A connection uses it to hand its queued frames to the loop when the loop is busy reading replies (they go out
    /// together after the current batch) and to send them itself when the loop only waits: a wake-up (an eventfd
    /// write, a poll that returns at once, an eventfd read and a context switch) costs more than the send.
    func executeIfAwake(_ job: @escaping @Sendable () -> Void) -> Bool {
        if inLoop {
            localJobs.append(job)
            return true
        }
        lock.lock()
        guard !sleeping else {
            lock.unlock()
            return false
        }
        jobs.append(job)
        lock.unlock()
        return true
    }

    /// How many times ``execute(_:)`` wrote the wake-up descriptor (for tests and measurements).
    var wakeUpCount: UInt64 { lock.withLock { wakeUps } }

    /// Whether the loop waits in the poller with nothing queued (for tests).
    var isSleeping: Bool { lock.withLock { sleeping } }

    /// Stops the loop thread after the jobs queued so far, and waits for it (not for the shared loop).
    func shutdown() {
        lock.withLock { stopRequested = true }
        poller.wake()
        if !inLoop { finished.wait() }
    }

    // MARK: Registration (loop thread)

    /// Watches `fd` for `handler`. Loop thread only.
    /// - Returns: The registration token, for ``setInterest(_:token:read:write:)`` and ``deregister(_:token:)``.
    func register(_ fd: Int32, handler: any LoopSelectable, read: Bool, write: Bool) throws -> UInt64 {
        assert(inLoop)
        let token = nextToken
        nextToken += 1
        try poller.add(fd, token: token, read: read, write: write)
        registrations[token] = handler
        return token
    }

    /// Changes what `fd` is watched for. Loop thread only.
    func setInterest(_ fd: Int32, token: UInt64, read: Bool, write: Bool) throws {
        assert(inLoop)
        guard registrations[token] != nil else { return }
        try poller.modify(fd, token: token, read: read, write: write)
    }

    /// Stops watching `fd`; events still queued for the token are dropped. Loop thread only. Call before closing `fd`.
    func deregister(_ fd: Int32, token: UInt64) {
        assert(inLoop)
        guard registrations.removeValue(forKey: token) != nil else { return }
        if lastToken == token {
            lastToken = 0
            lastHandler = nil
        }
        poller.remove(fd)
    }

    // MARK: Timers (loop thread)

    /// Runs `body` on the loop thread once the monotonic clock reaches `deadline` (nanoseconds, ``LoopClock``).
    /// Loop thread only.
    @discardableResult
    func scheduleTimer(at deadline: UInt64, _ body: @escaping () -> Void) -> TimerHandle {
        assert(inLoop)
        let id = nextTimerId
        nextTimerId += 1
        timerBodies[id] = body
        timerHeap.append((deadline, id))
        siftUp(timerHeap.count - 1)
        return TimerHandle(id: id)
    }

    /// Cancels a timer that has not fired. Loop thread only.
    func cancelTimer(_ handle: TimerHandle) {
        assert(inLoop)
        timerBodies[handle.id] = nil
    }

    private func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard timerHeap[child].deadline < timerHeap[parent].deadline else { return }
            timerHeap.swapAt(child, parent)
            child = parent
        }
    }

    private func popTimer() -> (deadline: UInt64, id: UInt64)? {
        guard let last = timerHeap.popLast() else { return nil }
        guard !timerHeap.isEmpty else { return last }
        let top = timerHeap[0]
        timerHeap[0] = last
        var parent = 0
        while true {
            let left = parent * 2 + 1
            let right = left + 1
            var smallest = parent
            if left < timerHeap.count, timerHeap[left].deadline < timerHeap[smallest].deadline { smallest = left }
            if right < timerHeap.count, timerHeap[right].deadline < timerHeap[smallest].deadline { smallest = right }
            if smallest == parent { break }
            timerHeap.swapAt(parent, smallest)
            parent = smallest
        }
        return top
    }

    /// Fires due timers; returns the wait until the next one in milliseconds (-1: none).
    private func runTimers() -> Int32 {
        while let top = timerHeap.first {
            if timerBodies[top.id] == nil {
                _ = popTimer()
                continue
            }
            let now = LoopClock.now()
            if top.deadline > now {
                let wait = (top.deadline - now + 999_999) / 1_000_000
                return Int32(clamping: wait)
            }
            _ = popTimer()
            if let body = timerBodies.removeValue(forKey: top.id) { body() }
        }
        return -1
    }

    // MARK: The loop

    /// The handler registered under `token`, if it is still registered. Loop thread.
    private func handler(for token: UInt64) -> (any LoopSelectable)? {
        if token == lastToken, token != 0, let lastHandler { return lastHandler }
        guard let handler = registrations[token] else { return nil }
        lastToken = token
        lastHandler = handler
        return handler
    }

    /// Runs the jobs the loop thread gave itself so far; those they add wait for the next round (after a poll with no
    /// wait), so a task that keeps yielding on the loop's executor cannot starve the sockets. Loop thread.
    private func runLocalJobs() {
        if !localTaskJobs.isEmpty {
            swap(&localTaskJobs, &localRunningTaskJobs)
            runTaskJobs(&localRunningTaskJobs)
        }
        guard !localJobs.isEmpty else { return }
        swap(&localJobs, &localRunning)
        for job in localRunning { job() }
        localRunning.removeAll(keepingCapacity: true)
    }

    private func run() {
        loopThread = pthread_self()
        started.signal()
        while true {
            lock.lock()
            swap(&jobs, &running)
            swap(&taskJobs, &runningTaskJobs)
            let stop = stopRequested
            lock.unlock()
            if stop && running.isEmpty && runningTaskJobs.isEmpty && localJobs.isEmpty && localTaskJobs.isEmpty { break }
            runTaskJobs(&runningTaskJobs)
            for job in running { job() }
            running.removeAll(keepingCapacity: true)
            runLocalJobs()
            let timeout = runTimers()
            // Idle is decided after the jobs ran, under the lock that `execute` takes: a job queued before this point
            // is seen here (no wait: the next round runs it), one queued after it finds `sleeping` set and writes
            // the wake-up. (Deciding before the jobs ran made every round that ran a job poll once more, with no
            // wait, for nothing.)
            lock.lock()
            let idle = jobs.isEmpty && taskJobs.isEmpty && localJobs.isEmpty && localTaskJobs.isEmpty && !stopRequested
            if idle { sleeping = true }
            lock.unlock()
            events.removeAll(keepingCapacity: true)
            poller.wait(timeoutMilliseconds: idle ? timeout : 0, into: &events)
            lock.lock()
            sleeping = false
            wakePending = false
            lock.unlock()
            for event in events {
                guard let handler = handler(for: event.token) else { continue }
                handler.loopEvent(readable: event.readable, writable: event.writable, hangup: event.hangup)
            }
            runLocalJobs()
        }
        registrations.removeAll()
        lastHandler = nil
        timerBodies.removeAll()
        finished.signal()
    }
}
