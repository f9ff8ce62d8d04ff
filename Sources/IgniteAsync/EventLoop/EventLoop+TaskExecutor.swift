/// The loop as a task executor: tasks that prefer it run on the loop thread, so a reply resumes its task without
/// waking another thread, and the task's next request is written from the loop too. The lowest latency for a task
/// that makes one request after another, at the price of sharing the loop thread: such a task must not block.
@available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
extension EventLoop: TaskExecutor {
    func enqueue(_ job: consuming ExecutorJob) {
        enqueueTaskJob(UnownedJob(job))
    }
}

@available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, visionOS 2.0, *)
extension IgniteClient {
    /// The client's event loop as a task executor, for tasks that make one request after another and want the
    /// lowest latency:
    ///
    /// ```swift
    /// try await withTaskExecutorPreference(client.executor) {
    ///     for key in keys { try await cache.put(key, value) }   // runs on the loop thread: no thread hop per reply
    /// }
    /// ```
    ///
    /// Code running there shares the thread that reads every connection: it must not block or compute for long.
    /// Without it, tasks run on Swift's cooperative pool and a reply resumes them from the loop.
    public var executor: any TaskExecutor { engine.loop }
}
