import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

/// OP_COMPUTE_TASK_EXECUTE (6000) byte by byte. The server's `ClientExecuteTaskRequest` (Apache and GridGain
/// `processors/platform/client/compute/ClientExecuteTaskRequest.java`) reads each node id with `reader.readUuid()`:
/// a TYPED UUID (code 10, msb, lsb). A real GridGain 8.10 server given a raw id (two bare i64) logs "Failed to parse
/// client request … Unexpected field type [pos=14, expected=UUID, actual=…]" and closes the connection.
@Suite("Test node: compute requests")
struct ComputeNodeTests {
    let cluster: IgniteTestCluster

    init() throws {
        var configuration = TestNodeConfiguration()
        configuration.maxActiveComputeTasksPerConnection = 8
        cluster = try IgniteTestCluster(configuration)
    }

    private func execute(_ client: RawClient, flags: Int8 = 0, nodeId: (inout BinaryWriter) -> Void) -> [UInt8] {
        client.frame(.computeTaskExecute) { w in
            w.writeInt32(1)
            nodeId(&w)
            w.writeInt8(flags)
            w.writeInt64(0)
            w.writeStringObject(TestNodeTasks.echo)
            w.writeValue(.string("hi"))
        }.bytes
    }

    /// Reads the 6001 notification after the reply with the task id.
    private func finished(_ client: RawClient) throws -> RawClient.Response {
        let started = try client.readResponse()
        #expect(started.isSuccess)
        let notification = try client.readResponse()
        #expect(notification.header.notificationOpCode == .computeTaskFinished)
        return notification
    }

    @Test("a typed node id runs the task; a raw one closes the connection without a reply")
    func nodeIdsAreTypedUUIDs() throws {
        let node = try #require(cluster.nodes.first).nodeId
        let typed = try RawClient.connected(cluster.endpoints[0])
        typed.write(execute(typed) { $0.writeUUIDObject(node) })
        var result = try finished(typed)
        #expect(result.isSuccess)
        #expect(try result.body.readValue() == .string("hi"))

        let raw = try RawClient.connected(cluster.endpoints[0])
        raw.write(execute(raw) { $0.writeUUIDPayload(node) })
        #expect(raw.drainUntilClose().isEmpty)
    }

    @Test("NO_RESULT_CACHE (0x02): the echo task's reduce sees no results and the task fails like the Java one")
    func noResultCacheFailsTheEchoTask() throws {
        let node = try #require(cluster.nodes.first).nodeId
        let client = try RawClient.connected(cluster.endpoints[0])
        client.write(execute(client, flags: ComputeTaskFlags.noResultCache.rawValue) { $0.writeUUIDObject(node) })
        let result = try finished(client)
        #expect(result.header.status == ServerStatus.failed)
        let message = try #require(result.header.errorMessage)
        #expect(message.hasPrefix("Failed to reduce job results due to undeclared user exception [task=\(TestNodeTasks.echo)@"))
        #expect(message.hasSuffix("err=java.lang.IndexOutOfBoundsException: Index: 0]"))
        // NO_FAILOVER (0x01) alone changes nothing for the echo task.
        client.write(execute(client, flags: ComputeTaskFlags.noFailover.rawValue) { $0.writeUUIDObject(node) })
        var echoed = try finished(client)
        #expect(try echoed.body.readValue() == .string("hi"))
    }
}
