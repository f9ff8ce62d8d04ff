/// Routes server notifications that a waiting operation claims (a compute task's result, OP 6001) to their
/// subscriber, by resource id. Sans-IO: a driver holds one per connection under its lock and acts on the answers.
///
/// The server sends a task's result only after the reply carrying the task id (`ClientComputeTask.onResponseSent`),
/// but a driver may read both in one batch and hand the reply to its caller after the notification was routed. So a
/// claimed notification nobody waits for yet is kept (at most ``capacity`` of them, the oldest dropped first) until
/// its subscriber arrives, as the Java client's `pendingNotifications` does. Notifications of op codes the mailbox
/// does not claim (continuous-query events) pass through untouched.
package struct NotificationMailbox<Subscriber>: Sendable where Subscriber: Sendable {
    /// What the driver does with a notification.
    public enum Arrival: Sendable {
        /// Hand the notification to this subscriber (now unsubscribed).
        case deliver(Subscriber, ConnectionStateMachine.Notification)
        /// Kept until its subscriber arrives.
        case kept
        /// Not claimed: pass it on (to the owner's other notification routes).
        case unclaimed(ConnectionStateMachine.Notification)
    }

    /// The notification op codes routed here.
    public let claimedOpCodes: Set<OpCode>
    /// How many unclaimed-yet notifications are kept.
    public let capacity: Int
    private var subscribers: [Int64: Subscriber] = [:]
    private var early: [Int64: ConnectionStateMachine.Notification] = [:]
    private var earlyOrder: [Int64] = []

    /// Creates a mailbox.
    /// - Parameters:
    ///   - claimedOpCodes: The notification op codes to route (default: compute-task results).
    ///   - capacity: How many notifications without a subscriber are kept.
    public init(claimedOpCodes: Set<OpCode> = [.computeTaskFinished], capacity: Int = 1024) {
        self.claimedOpCodes = claimedOpCodes
        self.capacity = Swift.max(capacity, 1)
    }

    /// A notification arrived.
    public mutating func received(_ notification: ConnectionStateMachine.Notification) -> Arrival {
        guard let op = notification.header.notificationOpCode, claimedOpCodes.contains(op) else {
            return .unclaimed(notification)
        }
        let id = notification.header.requestId
        if let subscriber = subscribers.removeValue(forKey: id) { return .deliver(subscriber, notification) }
        if early[id] == nil { earlyOrder.append(id) }
        early[id] = notification
        while early.count > capacity, !earlyOrder.isEmpty {
            early.removeValue(forKey: earlyOrder.removeFirst())
        }
        if earlyOrder.count > capacity * 2 { earlyOrder.removeAll { early[$0] == nil } }
        return .kept
    }

    /// Waits for the notification of a resource.
    /// - Returns: The notification if it arrived already (the subscriber is then not registered), else `nil`.
    public mutating func subscribe(_ resourceId: Int64, _ subscriber: Subscriber) -> ConnectionStateMachine.Notification? {
        if let notification = early.removeValue(forKey: resourceId) { return notification }
        subscribers[resourceId] = subscriber
        return nil
    }

    /// Stops waiting for a resource's notification (a timeout, a cancellation) and forgets one that arrived unclaimed.
    /// - Returns: The subscriber that was waiting, if any.
    @discardableResult
    public mutating func unsubscribe(_ resourceId: Int64) -> Subscriber? {
        early.removeValue(forKey: resourceId)
        return subscribers.removeValue(forKey: resourceId)
    }

    /// The connection ended: every subscriber, to be failed; kept notifications are dropped.
    public mutating func removeAll() -> [Subscriber] {
        let all = Array(subscribers.values)
        subscribers.removeAll()
        early.removeAll()
        earlyOrder.removeAll()
        return all
    }

    /// How many notifications are kept without a subscriber.
    public var keptCount: Int { early.count }
    /// How many subscribers wait.
    public var subscriberCount: Int { subscribers.count }
}

extension ConnectionStateMachine.Notification {
    /// The notification as a response to the request it answers, so a driver can hand it to a request's waiter.
    /// - Parameter opCode: The op code reported by the response's ``ConnectionStateMachine/Response/error``.
    package func asResponse(opCode: OpCode) -> ConnectionStateMachine.Response {
        ConnectionStateMachine.Response(requestId: header.requestId, opCode: opCode, header: header, payload: payload,
                                        bodyOffset: bodyOffset)
    }
}
