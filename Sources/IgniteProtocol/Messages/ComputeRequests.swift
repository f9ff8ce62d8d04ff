import Foundation

// Compute (OP_COMPUTE_TASK_EXECUTE 6000, notification OP_COMPUTE_TASK_FINISHED 6001), feature bit 1
// EXECUTE_TASK_BY_NAME. Layouts: the Java thin client `thin/ClientComputeImpl.writeExecuteTaskRequest` and the Apache
// server `pc/compute/ClientExecuteTaskRequest`, `ClientComputeTask`.

/// Flags of a compute task (`ClientComputeTask`: NO_FAILOVER_FLAG_MASK 0x01, NO_RESULT_CACHE_FLAG_MASK 0x02).
public struct ComputeTaskFlags: OptionSet, Hashable, Sendable {
    /// The wire value.
    public let rawValue: Int8
    /// Flags from the wire value.
    public init(rawValue: Int8) { self.rawValue = rawValue }
    /// Failed jobs are not failed over to other nodes.
    public static let noFailover = ComputeTaskFlags(rawValue: 0x01)
    /// Job results are not cached on the task's node (for tasks that do not need earlier results).
    public static let noResultCache = ComputeTaskFlags(rawValue: 0x02)
}

/// OP_COMPUTE_TASK_EXECUTE (6000): starts a task deployed on the cluster, by class name.
///
/// Body: `i32 nodeCount, UUID × nodeCount, i8 flags, i64 timeoutMs, String taskName, Obj argument`.
/// The node ids are TYPED UUIDs (type code 10, then msb and lsb): the server's `ClientExecuteTaskRequest` (Apache
/// and GridGain `processors/platform/client/compute/ClientExecuteTaskRequest.java`) reads each with
/// `reader.readUuid()`, and a raw id fails the parse ("Unexpected field type [pos=14, expected=UUID, actual=…]"), which
/// closes the connection. Unlike OP_SERVICE_INVOKE and OP_CLUSTER_GROUP_GET_NODE_INFO, whose node ids are raw. A
/// count of 0 runs the task on all server nodes. Response: the
/// task id (`i64`), a resource of this connection; the result comes later as notification 6001 for that id, sent
/// only after this response (`ClientComputeTask.onResponseSent`).
package struct ComputeTaskExecuteRequest: IgniteServerCodableRequest, Hashable {
    /// The nodes to run on; empty means all server nodes.
    public var nodeIds: [UUID]
    /// The flags.
    public var flags: ComputeTaskFlags
    /// The task timeout in milliseconds; 0 for none.
    public var timeoutMilliseconds: Int64
    /// The task's class name (or the name it was deployed under).
    public var taskName: String
    /// The argument.
    public var argument: EncodedValue

    /// Creates the request.
    public init(nodeIds: [UUID] = [], flags: ComputeTaskFlags = [], timeoutMilliseconds: Int64 = 0, taskName: String,
                argument: EncodedValue = .null) {
        self.nodeIds = nodeIds
        self.flags = flags
        self.timeoutMilliseconds = timeoutMilliseconds
        self.taskName = taskName
        self.argument = argument
    }

    /// ``OpCode/computeTaskExecute``.
    public var opCode: OpCode { .computeTaskExecute }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 1; ``IgniteError/Code/parameter``
    ///   for an empty task name or a negative timeout (`ClientComputeImpl`: "Task name can't be null or empty.").
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.executeTaskByName, for: "compute task execution (OP_COMPUTE_TASK_EXECUTE)")
        guard !taskName.isEmpty else { throw IgniteError.parameter("task name can't be empty") }
        guard timeoutMilliseconds >= 0 else { throw IgniteError.parameter("task timeout must not be negative") }
        try writer.writeTypedUUIDs(nodeIds)
        writer.writeInt8(flags.rawValue)
        writer.writeInt64(timeoutMilliseconds)
        writer.writeStringObject(taskName)
        writer.writeEncodedValue(argument)
    }

    /// - Returns: The task id.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Int64 {
        try reader.readInt64()
    }

    /// Reads a request body (server direction).
    /// - Throws: ``IgniteError/Code/parse`` for a node id that is not a typed UUID (as the server's `readUuid()`).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ComputeTaskExecuteRequest {
        let ids = try reader.readTypedUUIDs()
        let flags = ComputeTaskFlags(rawValue: try reader.readInt8())
        let timeout = try reader.readInt64()
        let name = try reader.readOptionalStringObject() ?? ""
        return ComputeTaskExecuteRequest(nodeIds: ids, flags: flags, timeoutMilliseconds: timeout, taskName: name,
                                         argument: try reader.readEncodedValue())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: Int64, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(response)
    }
}

/// The result of a compute task, from notification OP_COMPUTE_TASK_FINISHED (6001).
///
/// The server sends `ClientObjectNotification(6001, taskId, result)` on success and
/// `ClientNotification(6001, taskId, message)` (the ERROR flag, status 1) when the task failed or was cancelled
/// ("Task was cancelled"): `ClientComputeTask.onResponseSent`.
package enum ComputeTaskFinished {
    /// Reads the task's result from a 6001 notification.
    /// - Returns: The result object.
    /// - Throws: The task's error (``IgniteError/Code/server`` with the server's message), or
    ///   ``IgniteError/Code/parse`` for a malformed body or a notification of another kind.
    public static func result(of notification: ConnectionStateMachine.Notification) throws -> IgniteValue {
        try result(header: notification.header, payload: notification.payload, bodyOffset: notification.bodyOffset)
    }

    /// Reads the task's result from a 6001 notification a driver handed over as a response
    /// (``ConnectionStateMachine/Notification/asResponse(opCode:)``).
    /// - Parameter decodedByteLimit: The decoded-memory budget of the result (the client's `maximumDecodedSize`);
    ///   `nil` for the default (``DecodingLimits/decodedByteBudget(forInputOf:)``).
    public static func result(of response: ConnectionStateMachine.Response, decodedByteLimit: Int? = nil) throws -> IgniteValue {
        try result(header: response.header, payload: response.payload, bodyOffset: response.bodyOffset, decodedByteLimit: decodedByteLimit)
    }

    static func result(header: ResponseHeader, payload: [UInt8], bodyOffset: Int, decodedByteLimit: Int? = nil) throws -> IgniteValue {
        guard header.notificationOpCode == .computeTaskFinished else {
            throw IgniteError.parse("expected OP_COMPUTE_TASK_FINISHED, got \(header.notificationOpCode.map { "\($0)" } ?? "no op code")")
        }
        guard header.isSuccess else {
            throw IgniteError(.server, "compute task \(header.requestId) failed: \(header.errorMessage ?? "")", serverStatus: header.status)
        }
        var reader = BinaryReader(payload, position: bodyOffset)
        if let decodedByteLimit { reader.decodedByteLimit = decodedByteLimit }
        return try reader.readValue()
    }
}

extension IgniteError {
    /// The hint added to the server's answer when thin-client compute is disabled (the server default:
    /// `ThinClientConfiguration.DFLT_MAX_ACTIVE_COMPUTE_TASKS_PER_CONNECTION = 0`).
    package static let computeDisabledHint = "Thin-client compute is disabled on the server by default: enable it with "
        + "ClientConnectorConfiguration.thinClientConfiguration.maxActiveComputeTasksPerConnection > 0 on every server node "
        + "(XML: <property name=\"thinClientConfiguration\"><bean class=\"org.apache.ignite.configuration.ThinClientConfiguration\">"
        + "<property name=\"maxActiveComputeTasksPerConnection\" value=\"100\"/></bean></property>)."

    /// The error for a failed OP_COMPUTE_TASK_EXECUTE: status 100 (functionality disabled) keeps its
    /// ``IgniteError/Code/notSupportedByCluster`` code and gains ``computeDisabledHint``; others are returned as they are.
    package static func computeExecuteFailed(_ error: IgniteError) -> IgniteError {
        guard error.serverStatus == ServerStatus.functionalityDisabled else { return error }
        return IgniteError(.notSupportedByCluster, "\(error.message) — \(computeDisabledHint)", serverStatus: error.serverStatus)
    }
}
