import Foundation
import IgniteProtocol

/// Runs compute tasks deployed on the cluster (OP_COMPUTE_TASK_EXECUTE, feature EXECUTE_TASK_BY_NAME), as the Java
/// thin client's `ClientCompute` does: by task class name, with one argument, on all server nodes or a set of nodes.
///
/// The server answers with the task id at once; the result arrives later as a notification on the same connection
/// (OP_COMPUTE_TASK_FINISHED), which resumes the awaiting task from the event loop. Cancelling the awaiting task
/// cancels the compute task on the server. Thin-client compute is disabled on servers by default: see
/// ``IgniteError/computeDisabledHint``.
///
/// ```swift
/// let length = try await client.compute.execute("com.example.WordLengthTask", argument: "hello", as: Int32.self)
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

    /// The same facade over the given nodes (a cluster group). An empty list fails every execution with
    /// ``IgniteError/Code/parameter``.
    public func forNodes(_ nodeIds: [UUID]) -> IgniteCompute {
        var copy = self
        copy.nodeIds = nodeIds
        return copy
    }

    /// The same facade with a task timeout (rounded up to whole milliseconds).
    public func withTimeout(_ timeout: Duration?) -> IgniteCompute {
        var copy = self
        copy.timeout = timeout
        return copy
    }

    /// The same facade with failover of failed jobs switched off.
    public func withNoFailover() -> IgniteCompute {
        var copy = self
        copy.flags.insert(.noFailover)
        return copy
    }

    /// The same facade with job-result caching switched off.
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

    /// Runs a task and awaits its result.
    /// - Parameters:
    ///   - taskName: The task's class name.
    ///   - argument: The task argument.
    ///   - type: The result type.
    /// - Returns: The result; `nil` for null.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without the feature or with compute disabled on the
    ///   server (the message says how to enable it); ``IgniteError/Code/server`` when the task fails or times out;
    ///   ``IgniteError/Code/cancelled`` when the awaiting task is cancelled (the compute task is cancelled too).
    public func execute<A: IgniteBinaryEncodable, R: IgniteBinaryDecodable>(_ taskName: String, argument: A,
                                                                           as type: R.Type = R.self) async throws -> R? {
        var types = BinaryTypeCollector()
        let encoded = try EncodedValue(argument, types: &types)
        // The server deserializes the argument (`ClientExecuteTaskRequest`: no keep-binary flag is sent), so object
        // types need their Java class names registered too, as for service arguments.
        try await client.registerTypes(types, classNames: types)
        let value = try await executeValue(taskName, argument: encoded)
        if case .null = value { return nil }
        return try await client.decode(value, as: R.self)
    }

    /// Runs a task with a null argument and awaits its result.
    public func execute<R: IgniteBinaryDecodable>(_ taskName: String, as type: R.Type = R.self) async throws -> R? {
        let value = try await executeValue(taskName, argument: .null)
        if case .null = value { return nil }
        return try await client.decode(value, as: R.self)
    }

    private func executeValue(_ taskName: String, argument: EncodedValue) async throws -> IgniteValue {
        if let nodeIds, nodeIds.isEmpty { throw IgniteError.parameter("cluster group is empty") }
        var milliseconds: Int64 = 0
        if let timeout {
            guard timeout >= .zero else { throw IgniteError.parameter("task timeout must not be negative") }
            milliseconds = timeout.roundedUp(to: .milliseconds)
        }
        let request = ComputeTaskExecuteRequest(nodeIds: nodeIds ?? [], flags: flags, timeoutMilliseconds: milliseconds,
                                                taskName: taskName, argument: argument)
        // The result comes back on the connection that started the task, so the start is never retried elsewhere.
        let connection = try await client.engine.anyConnection()
        // The start runs to its end even if the awaiting task is cancelled meanwhile: a task started on the server
        // whose id never reached the client could not be cancelled. The cancellation then takes effect at once below.
        let client = self.client
        let start = Task { try await client.send(request, on: connection) }
        let taskId: Int64
        do {
            taskId = try await start.value
        } catch let error as IgniteError {
            throw IgniteError.computeExecuteFailed(error)
        }
        let response = try await TaskNotifications.shared.result(of: taskId, on: connection)
        if Task.isCancelled, !response.header.isSuccess {
            // The cancellation raced with the result: the failure is the server's answer to it.
            throw IgniteError(.cancelled, "compute task \(taskId) was cancelled")
        }
        return try ComputeTaskFinished.result(of: response, decodedByteLimit: client.binary.registry.decodedByteLimit)
    }
}

extension IgniteClient {
    /// Compute over all server nodes (the Java client's `compute()`).
    public var compute: IgniteCompute { IgniteCompute(client: self) }
}
