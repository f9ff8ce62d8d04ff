/// Releasing server resources without blocking: OP_RESOURCE_CLOSE requests queued by a cursor's `deinit` or
/// `close()`, and written with the next request on the connection (or by a background flush when no request comes).
/// Nobody waits for their responses: they are registered like any request, and the driver drops a response that has
/// no waiter.
extension ConnectionStateMachine {
    /// What the driver does after ``closeResourceLater(_:)``.
    package enum ResourceCloseAction: Sendable, Equatable {
        /// The close is queued and it is the first: schedule a background flush (``encodeDeferredResourceCloses(into:)``)
        /// in case no request carries it first.
        case scheduleFlush
        /// The close is queued behind others; a flush is already scheduled.
        case queued
        /// The connection is not ready (closed or failed): the server already released the resource with it.
        case dropped
    }

    /// Queues the release of a server resource.
    /// - Parameter resourceId: The resource (cursor) id.
    /// - Returns: The action.
    package mutating func closeResourceLater(_ resourceId: Int64) -> ResourceCloseAction {
        guard isReady else { return .dropped }
        deferredResourceCloses.append(resourceId)
        return deferredResourceCloses.count == 1 ? .scheduleFlush : .queued
    }

    /// Appends the queued OP_RESOURCE_CLOSE frames to the write buffer (call before appending a request, and from
    /// the background flush).
    /// - Parameter writer: The write buffer.
    /// - Returns: How many closes were written.
    @discardableResult
    package mutating func encodeDeferredResourceCloses(into writer: inout BinaryWriter) -> Int {
        guard !deferredResourceCloses.isEmpty else { return 0 }
        let ids = deferredResourceCloses
        deferredResourceCloses.removeAll(keepingCapacity: true)
        var written = 0
        for id in ids {
            if case .write = sendRequest(ResourceCloseRequest(resourceId: id), into: &writer) { written += 1 }
        }
        return written
    }

    /// How many resource closes are queued. (A driver holding the machine in a class property should not ask this on
    /// every request: the call copies the machine first; ``encodeDeferredResourceCloses(into:)``, mutating, does not.)
    package var deferredResourceCloseCount: Int { deferredResourceCloses.count }
}
