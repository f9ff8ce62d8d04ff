import Foundation
import IgniteProtocol

// Compute (6000, notification 6001). The test node cannot run Java classes: it offers built-in tasks of its own,
// named below and documented in README.md. Request rules from the Apache server, `pc/compute/ClientExecuteTaskRequest`
// and `ClientComputeTask`: the result goes out as notification 6001 only after the reply with the task id, the task
// is a resource of the connection until it finishes, and closing that resource cancels it ("Task was cancelled").

/// The test node's built-in compute tasks.
public enum TestNodeTasks {
    /// Returns its argument, like a Java task whose `reduce` returns `results.get(0).getData()`: with the
    /// NO_RESULT_CACHE flag (0x02) the real server hands `reduce` an empty list, so such a task fails with
    /// "Failed to reduce job results due to undeclared user exception [task=…, err=java.lang.IndexOutOfBoundsException:
    /// Index: 0]" (`GridTaskWorker.reduce`), and so does this one.
    public static let echo = "org.apache.ignite.testnode.EchoTask"
    /// Returns the number of nodes it ran on (an `Int32`): the given node ids that are members, or all nodes.
    public static let nodeCount = "org.apache.ignite.testnode.NodeCountTask"
    /// Sleeps for its argument (milliseconds, `Int32` or `Int64`), then returns it; honours the task timeout.
    public static let sleep = "org.apache.ignite.testnode.SleepTask"
    /// Fails with its argument (a `String`) as the message.
    public static let fail = "org.apache.ignite.testnode.FailTask"
}

/// A running task of one connection.
final class ComputeTaskHandle: Sendable {
    private let session: ConnectionSession
    let taskId: Int64
    private let finished = Locked(false)

    init(session: ConnectionSession, taskId: Int64) {
        self.session = session
        self.taskId = taskId
    }

    /// Finishes the task once: releases the resource and sends the notification.
    func finish(_ result: OpResult) {
        let first = finished.withLock { done -> Bool in
            defer { done = true }
            return !done
        }
        guard first else { return }
        session.state.withLock { _ = $0.extraResources.removeValue(forKey: taskId) }
        session.sendNotification(resourceId: taskId, opCode: .computeTaskFinished, result: result)
    }

    /// OP_RESOURCE_CLOSE on the task: `ClientComputeTask.close` cancels the future, whose listener then notifies.
    func cancel() { finish(.failure(ServerStatus.failed, "Task was cancelled")) }
}

extension RequestHandler {
    /// OP_COMPUTE_TASK_EXECUTE (6000). Node ids must be typed UUIDs (as the server's `readUuid()`): a raw id is a parse
    /// error, which closes the connection without a reply, as on a real server.
    func computeExecute(_ reader: inout BinaryReader) throws -> OpResult {
        let request = try ComputeTaskExecuteRequest.decodeBody(from: &reader, context: context)
        let limit = configuration.maxActiveComputeTasksPerConnection
        guard limit > 0 else {
            // `ClientConnectionContext.incrementActiveTasksCount` with the server default of 0 tasks.
            return .failure(ServerStatus.functionalityDisabled,
                            "Compute grid functionality is disabled for thin clients on server node. To enable it set up the "
                            + "ThinClientConfiguration.MaxActiveComputeTasksPerConnection property.")
        }
        let active = session.state.withLock { state in
            state.extraResources.values.filter { if case .computeTask = $0 { true } else { false } }.count
        }
        guard active < limit else {
            return .failure(ServerStatus.tooManyComputeTasks, "Active compute tasks per connection limit (\(limit)) exceeded.")
        }
        let members = core.data.withLock { $0.members.map(\.nodeId) }
        let targets = request.nodeIds.isEmpty ? members : request.nodeIds.filter(members.contains)
        let argument = ServerValues.canonical(try request.argument.decoded())
        // Without keep-binary the argument is deserialized before the task starts (`ClientExecuteTaskRequest.process`):
        // an object needs its class-name mapping (else `MarshallerContextImpl`'s text), and then its class, which the
        // test node never has (the message is the class name; observed on GridGain 8.10).
        if request.flags.rawValue & 0x04 == 0, case .object(let object) = argument {  // KEEP_BINARY_FLAG_MASK
            return .failure(ServerStatus.failed, core.data.withLock { BinaryTypeRules.deserializationFailure(object.typeId, typeNames: $0.typeNames) })
        }

        enum Plan {
            case now(OpResult)
            case after(milliseconds: Int64, OpResult)
        }
        let plan: Plan
        switch request.taskName {
        case TestNodeTasks.echo where request.flags.contains(.noResultCache):
            // `GridTaskWorker.reduce` wraps the task's IndexOutOfBoundsException in ComputeUserUndeclaredException;
            // `ClientComputeTask` sends its message in an error notification (status 1).
            plan = .now(.failure(ServerStatus.failed,
                                 "Failed to reduce job results due to undeclared user exception [task=\(request.taskName)@1b2c3d4e, "
                                 + "err=java.lang.IndexOutOfBoundsException: Index: 0]"))
        case TestNodeTasks.echo:
            plan = .now(.value(argument))
        case TestNodeTasks.nodeCount:
            plan = .now(.value(.int(Int32(targets.count))))
        case TestNodeTasks.sleep:
            let milliseconds: Int64
            switch argument {
            case .int(let v): milliseconds = Int64(v)
            case .long(let v): milliseconds = v
            default: milliseconds = 0
            }
            plan = .after(milliseconds: max(0, milliseconds), .value(argument))
        case TestNodeTasks.fail:
            if case .string(let message) = argument {
                plan = .now(.failure(ServerStatus.failed, message))
            } else {
                plan = .now(.failure(ServerStatus.failed, "task failed"))
            }
        default:
            // Fail fast (`ClientComputeTask.execute`): the task future is already done with an error.
            return .failure(ServerStatus.failed,
                            "Unknown task name or failed to auto-deploy task (was task (re|un)deployed?): \(request.taskName)")
        }
        guard !targets.isEmpty else {
            return .failure(ServerStatus.failed, "Failed to map task jobs to nodes (topology projection is empty).")
        }
        let session = self.session
        let handle = session.state.withLock { state -> ComputeTaskHandle in
            let id = state.nextCursorId
            state.nextCursorId += 1
            let handle = ComputeTaskHandle(session: session, taskId: id)
            state.extraResources[id] = .computeTask(handle)
            return handle
        }
        let timeout = request.timeoutMilliseconds
        let name = request.taskName
        let start: @Sendable () -> Void = {
            switch plan {
            case .now(let result):
                handle.finish(result)
            case .after(let milliseconds, let result):
                DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(clamping: milliseconds))) { handle.finish(result) }
                if timeout > 0, timeout < milliseconds {
                    DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(Int(clamping: timeout))) {
                        handle.finish(.failure(ServerStatus.failed, "Task timed out (check logs for error messages): \(name)"))
                    }
                }
            }
        }
        session.state.withLock { $0.afterResponse[requestId] = start }
        return .body { $0.writeInt64(handle.taskId) }
    }
}
