import Foundation
import IgniteProtocol

/// Where compute-task results (notification 6001) wait for the task that awaits them: one ``NotificationMailbox``
/// per connection, fed by the connections' notification hook on the event loop and drained by awaiting tasks.
/// Never blocks the loop: a notification is handed over or kept, nothing else.
final class TaskNotifications: @unchecked Sendable {
    typealias Waiter = CheckedContinuation<ConnectionStateMachine.Response, any Error>

    /// The process-wide router (connections are told apart by identity; a connection's entry goes when it is lost
    /// or its client closes).
    static let shared = TaskNotifications()

    private let lock = NSLock()
    private var mailboxes: [ObjectIdentifier: NotificationMailbox<Waiter>] = [:]   // guarded by `lock`

    /// A connection's notification (loop thread). Unclaimed kinds are left to other routes.
    func received(_ notification: ConnectionStateMachine.Notification, on connection: AsyncConnection) {
        let key = ObjectIdentifier(connection)
        let arrival: NotificationMailbox<Waiter>.Arrival = lock.withLock {
            var mailbox = mailboxes.removeValue(forKey: key) ?? NotificationMailbox()
            defer { mailboxes[key] = mailbox }
            return mailbox.received(notification)
        }
        if case .deliver(let waiter, let claimed) = arrival {
            waiter.resume(returning: claimed.asResponse(opCode: .computeTaskFinished))
        }
    }

    /// A connection is gone: its waiters fail with `error`.
    func connectionEnded(_ connection: AsyncConnection, error: IgniteError) {
        let waiters: [Waiter] = lock.withLock {
            guard var mailbox = mailboxes.removeValue(forKey: ObjectIdentifier(connection)) else { return [] }
            return mailbox.removeAll()
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    /// Waits for the notification of a task of `connection`. Cancelling the waiting task stops the wait with
    /// ``IgniteError/Code/cancelled`` and cancels the task on the server (OP_RESOURCE_CLOSE on the task id, as the
    /// Java client's `ClientComputeImpl` does).
    func result(of taskId: Int64, on connection: AsyncConnection) async throws -> ConnectionStateMachine.Response {
        let key = ObjectIdentifier(connection)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: Waiter) in
                if Task.isCancelled {
                    // Cancelled before waiting: forget a kept result (it may be the server's "Task was cancelled").
                    _ = lock.withLock { mailboxes[key]?.unsubscribe(taskId) }
                    waiter.resume(throwing: IgniteError(.cancelled, "compute task \(taskId) was cancelled"))
                    connection.sendAndForget(ResourceCloseRequest(resourceId: taskId))
                    return
                }
                let early: ConnectionStateMachine.Notification? = lock.withLock {
                    var mailbox = mailboxes.removeValue(forKey: key) ?? NotificationMailbox()
                    defer { mailboxes[key] = mailbox }
                    return mailbox.subscribe(taskId, waiter)
                }
                if let early {
                    waiter.resume(returning: early.asResponse(opCode: .computeTaskFinished))
                } else if connection.isBroken || Task.isCancelled {
                    // Lost or cancelled before the subscription: whoever unsubscribes first resumes.
                    let cancelled = Task.isCancelled
                    if let mine = lock.withLock({ mailboxes[key]?.unsubscribe(taskId) }) {
                        mine.resume(throwing: cancelled
                            ? IgniteError(.cancelled, "compute task \(taskId) was cancelled")
                            : IgniteError(.connectionClosed, "the connection of compute task \(taskId) was closed"))
                    }
                    if cancelled { connection.sendAndForget(ResourceCloseRequest(resourceId: taskId)) }
                }
            }
        } onCancel: {
            let waiter = lock.withLock { mailboxes[key]?.unsubscribe(taskId) }
            waiter?.resume(throwing: IgniteError(.cancelled, "compute task \(taskId) was cancelled"))
            connection.sendAndForget(ResourceCloseRequest(resourceId: taskId))
        }
    }
}
