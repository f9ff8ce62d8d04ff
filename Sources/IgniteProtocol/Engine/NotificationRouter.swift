import Foundation

/// Routes server notifications (continuous-query events, and any other op that answers through notifications) to
/// their subscribers by connection and resource id, for both products' drivers.
///
/// The reader of a connection calls ``deliver(_:on:)`` and returns at once: a handler must not block (subscribers
/// queue the work elsewhere). A notification may arrive before its subscriber registered (the response carrying the
/// resource id and the first notifications can be read in one pass): such notifications are kept, at most
/// ``pendingLimit`` per connection (older ones dropped, with a count), and replayed on ``register(_:resourceId:opCode:handler:)``.
/// ``connectionLost(_:error:)`` fails every subscriber of the connection: Ignite does not move a resource to
/// another node by itself.
package final class NotificationRouter<Connection: AnyObject & Sendable>: @unchecked Sendable {
    /// What a subscriber receives.
    package typealias Handler = @Sendable (Result<ConnectionStateMachine.Notification, IgniteError>) -> Void

    private struct Key: Hashable {
        let connection: ObjectIdentifier
        let resourceId: Int64
    }

    private let lock = NSLock()
    // Guarded by `lock`.
    private var handlers: [Key: Handler] = [:]
    private var pending: [ObjectIdentifier: [ConnectionStateMachine.Notification]] = [:]
    private var droppedPending = 0

    /// The most notifications kept per connection for subscribers that have not registered yet.
    package let pendingLimit: Int

    /// Creates a router.
    /// - Parameter pendingLimit: Notifications kept per connection for late subscribers (default 1024).
    package init(pendingLimit: Int = 1024) { self.pendingLimit = max(0, pendingLimit) }

    /// Registers a subscriber and replays what arrived for it before.
    /// - Parameters:
    ///   - connection: The connection the resource lives on.
    ///   - resourceId: The resource id (the notification header's id).
    ///   - opCode: The notification op code the subscriber takes (others for the same id are ignored).
    ///   - handler: Called on the reader; must not block.
    package func register(_ connection: Connection, resourceId: Int64, opCode: OpCode, handler: @escaping Handler) {
        let key = Key(connection: ObjectIdentifier(connection), resourceId: resourceId)
        let filtered: Handler = { result in
            if case .success(let notification) = result, notification.header.notificationOpCode != opCode { return }
            handler(result)
        }
        let replay = lock.withLock { () -> [ConnectionStateMachine.Notification] in
            handlers[key] = filtered
            guard var list = pending[key.connection] else { return [] }
            let mine = list.filter { $0.header.requestId == resourceId }
            list.removeAll { $0.header.requestId == resourceId }
            pending[key.connection] = list.isEmpty ? nil : list
            return mine
        }
        for notification in replay { filtered(.success(notification)) }
    }

    /// Removes a subscriber (its resource was closed).
    package func unregister(_ connection: Connection, resourceId: Int64) {
        lock.withLock { _ = handlers.removeValue(forKey: Key(connection: ObjectIdentifier(connection), resourceId: resourceId)) }
    }

    /// Hands a notification to its subscriber, or keeps it for one that has not registered yet.
    package func deliver(_ notification: ConnectionStateMachine.Notification, on connection: Connection) {
        let key = Key(connection: ObjectIdentifier(connection), resourceId: notification.header.requestId)
        let handler = lock.withLock { () -> Handler? in
            if let handler = handlers[key] { return handler }
            guard pendingLimit > 0 else { return nil }
            var list = pending[key.connection, default: []]
            if list.count >= pendingLimit {
                list.removeFirst()
                droppedPending += 1
            }
            list.append(notification)
            pending[key.connection] = list
            return nil
        }
        handler?(.success(notification))
    }

    /// Fails and removes every subscriber of a lost connection.
    package func connectionLost(_ connection: Connection, error: IgniteError) {
        let id = ObjectIdentifier(connection)
        let lost = lock.withLock { () -> [Handler] in
            pending[id] = nil
            let keys = handlers.keys.filter { $0.connection == id }
            return keys.compactMap { handlers.removeValue(forKey: $0) }
        }
        for handler in lost { handler(.failure(error)) }
    }

    /// Subscribers registered.
    package var subscriberCount: Int { lock.withLock { handlers.count } }

    /// Notifications dropped because no subscriber registered in time (beyond ``pendingLimit`` per connection).
    package var droppedBeforeRegistration: Int { lock.withLock { droppedPending } }
}
