import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// Object arguments of a compute task: the server deserializes the argument before it starts the task
/// (`ClientExecuteTaskRequest.process`, no keep-binary flag is sent), so the client registers their class names
/// (OP_REGISTER_BINARY_TYPE_NAME) first, once per type id. Neither the test node nor the real cluster has a class for
/// the made-up type, so the start fails with status 1 and the class name as the message (observed on GridGain 8.10;
/// an unregistered name would fail with "Failed to resolve class name [...]" instead).
@Suite("Compute arguments: class names")
struct ComputeClassNameTests {
    @Test(.enabled(if: BeyondEnvironment.echoTask != nil, "\(BeyondEnvironment.computeSkipReason)"))
    func objectArgumentsHaveTheirClassNameRegistered() throws {
        let task = try #require(BeyondEnvironment.echoTask)
        try BeyondEnvironment.withClient { client, cluster in
            let (className, argument) = BeyondEnvironment.unknownClassArgument("TaskArgument")
            for _ in 0..<2 {
                let error = try #require(throws: IgniteError.self) {
                    try client.compute.execute(task, argument: argument, as: IgniteValue.self)
                }
                print("compute with an object argument of an unknown class: \(error)")
                #expect(error.serverStatus == 1)
                #expect(error.message.contains(className))
                #expect(!error.message.contains("Failed to resolve class name"))
            }
            if let nodes = cluster?.nodes {
                #expect(nodes.map { $0.requestCount(OpCode(3001)) }.reduce(0, +) == 1, "once per client and type id")
            }
            // The connection still serves.
            #expect(try client.compute.execute(task, argument: "after", as: String.self) == "after")
        }
    }
}
