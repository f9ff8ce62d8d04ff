import Foundation
import IgniteProtocol

/// Runs compute tasks deployed on the cluster (OP_COMPUTE_TASK_EXECUTE, feature EXECUTE_TASK_BY_NAME), as the Java
/// thin client's `ClientCompute` does: by task class name, with one argument, on all server nodes or a set of nodes.
///
/// The server starts the task and answers with its id at once; the result arrives later as a notification on the same
/// connection (OP_COMPUTE_TASK_FINISHED). ``execute(_:argument:as:)`` blocks until then, while other requests on the
/// connection keep flowing. Thin-client compute is disabled on servers by default: see ``IgniteError/computeDisabledHint``.
///
/// ```swift
/// let length = try client.compute.withTimeout(.seconds(10))
///     .execute("com.example.WordLengthTask", argument: "hello", as: Int32.self)
/// ```
public struct IgniteCompute: Sendable {
    /// The client.
    public let client: IgniteClient
    /// The nodes tasks run on; `nil` for all server nodes.
    public private(set) var nodeIds: [UUID]?
    /// The task timeout (the server fails a task that runs longer); `nil` for none.
    public private(set) var timeout: Duration?
    /// The task flags.
    public private(set) var flags: ComputeTaskFlags = []

    init(client: IgniteClient) { self.client = client }

    /// The same compute facade over the given nodes (a cluster group).
    /// - Parameter nodeIds: Node ids (for example from ``IgniteClient/connectedNodeIds``). An empty list makes
    ///   every execution fail with ``IgniteError/Code/parameter``, as the Java client's "Cluster group is empty.".
    public func forNodes(_ nodeIds: [UUID]) -> IgniteCompute {
        var copy = self
        copy.nodeIds = nodeIds
        return copy
    }

    /// The same compute facade with a task timeout (rounded up to whole milliseconds).
    public func withTimeout(_ timeout: Duration?) -> IgniteCompute {
        var copy = self
        copy.timeout = timeout
        return copy
    }

    /// The same compute facade with failover of failed jobs switched off.
    public func withNoFailover() -> IgniteCompute {
        var copy = self
        copy.flags.insert(.noFailover)
        return copy
    }

    /// The same compute facade with job-result caching switched off.
    ///
    /// The server then keeps no job results for the task: its `reduce` receives an EMPTY result list
    /// (`ComputeTaskNoResultCache`). Use it only with tasks whose `reduce` does not read the results (for example
    /// ones that collect them in `result()`); a task that returns `results.get(0).getData()` fails with
    /// "Failed to reduce job results due to undeclared user exception [… IndexOutOfBoundsException …]".
    public func withNoResultCache() -> IgniteCompute {
        var copy = self
        copy.flags.insert(.noResultCache)
        return copy
    }

    /// Runs a task and waits for its result.
    /// - Parameters:
    ///   - taskName: The task's class name (`ComputeTask` implementation deployed on the server nodes).
    ///   - argument: The task argument.
    ///   - type: The result type.
    /// - Returns: The task's result; `nil` for a null result.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature EXECUTE_TASK_BY_NAME or when thin-client
    ///   compute is disabled on the server (the message says how to enable it); ``IgniteError/Code/server`` with the
    ///   server's message when the task fails, times out or is cancelled; ``IgniteError/Code/timeout`` when no result
    ///   arrives within the task timeout plus the client's request timeout (the task is then cancelled on the server).
    public func execute<A: IgniteBinaryEncodable, R: IgniteBinaryDecodable>(_ taskName: String, argument: A,
                                                                           as type: R.Type = R.self) throws -> R? {
        let value = try executeValue(taskName, argument: try encode(argument))
        if case .null = value { return nil }
        return try client.decode(value, as: R.self)
    }

    /// Runs a task without an argument (a null argument) and waits for its result.
    public func execute<R: IgniteBinaryDecodable>(_ taskName: String, as type: R.Type = R.self) throws -> R? {
        let value = try executeValue(taskName, argument: .null)
        if case .null = value { return nil }
        return try client.decode(value, as: R.self)
    }

    private func encode<A: IgniteBinaryEncodable>(_ argument: A) throws -> EncodedValue {
        var types = BinaryTypeCollector()
        let encoded = try EncodedValue(argument, types: &types)
        // The server deserializes the argument (`ClientExecuteTaskRequest`: no keep-binary flag is sent), so object
        // types need their Java class names registered too, as for service arguments.
        try client.registerTypes(types, classNames: types)
        return encoded
    }

    private func executeValue(_ taskName: String, argument: EncodedValue) throws -> IgniteValue {
        if let nodeIds, nodeIds.isEmpty { throw IgniteError.parameter("cluster group is empty") }
        let milliseconds = try ComputeTiming.milliseconds(timeout)
        let request = ComputeTaskExecuteRequest(nodeIds: nodeIds ?? [], flags: flags, timeoutMilliseconds: milliseconds,
                                                taskName: taskName, argument: argument)
        // The task belongs to the connection that started it: the result comes back there, so the start is not
        // retried elsewhere once sent (a retry could run the task twice).
        let connection = try client.engine.anyConnection()
        let taskId: Int64
        do {
            taskId = try client.send(request, on: connection)
        } catch let error as IgniteError {
            throw IgniteError.computeExecuteFailed(error)
        }
        let wait = ComputeTiming.resultWait(taskTimeout: timeout, requestTimeout: client.configuration.requestTimeout)
        let response: ConnectionStateMachine.Response
        do {
            response = try connection.awaitNotification(resourceId: taskId, opCode: .computeTaskFinished, timeout: wait)
        } catch let error as IgniteError {
            if error.code == .timeout { connection.closeResourceLater(taskId) }   // cancel it on the server
            throw error
        }
        return try ComputeTaskFinished.result(of: response, decodedByteLimit: client.binary.registry.decodedByteLimit)
    }
}

/// How long a client waits for a task.
enum ComputeTiming {
    /// The task timeout in milliseconds (0: none).
    static func milliseconds(_ timeout: Duration?) throws -> Int64 {
        guard let timeout else { return 0 }
        guard timeout >= .zero else { throw IgniteError.parameter("task timeout must not be negative") }
        return timeout.roundedUp(to: .milliseconds)
    }

    /// The client's wait for a result: the task timeout plus the request timeout when both are set (the server
    /// reports a timed-out task itself), else no limit.
    static func resultWait(taskTimeout: Duration?, requestTimeout: Duration?) -> Duration? {
        guard let taskTimeout, let requestTimeout else { return nil }
        return taskTimeout + requestTimeout
    }
}

extension IgniteClient {
    /// Compute over all server nodes (the Java client's `compute()`).
    public var compute: IgniteCompute { IgniteCompute(client: self) }
}
