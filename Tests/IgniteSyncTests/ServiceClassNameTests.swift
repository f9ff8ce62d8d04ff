import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// Object arguments of a Java service call: without keepBinary the server deserializes them into their classes, so
/// the client registers their class names (OP_REGISTER_BINARY_TYPE_NAME) first, once per type id. Neither the test
/// node nor the real cluster has a class for the made-up type, so the call fails with status 1 and the class name as
/// the message (GridGain 8.10; an unregistered name would fail with "Failed to resolve class name [...]" instead).
/// With keepBinary the object travels back unchanged.
@Suite("Service arguments: class names")
struct ServiceClassNameTests {
    @Test(.enabled(if: BeyondEnvironment.echoService != nil, "\(BeyondEnvironment.serviceSkipReason)"))
    func objectArgumentsHaveTheirClassNameRegistered() throws {
        let service = try #require(BeyondEnvironment.echoService)
        try TestEnvironment.withClient { client, cluster in
            let (className, argument) = BeyondEnvironment.unknownClassArgument("ServiceArgument")
            for _ in 0..<2 {
                let error = try #require(throws: IgniteError.self) {
                    try client.services.invoke(service, method: "echo", arguments: [argument], as: IgniteValue.self)
                }
                #expect(error.serverStatus == 1)
                #expect(error.message == className)
            }
            if let nodes = cluster.testCluster?.nodes {
                #expect(nodes.map { $0.requestCount(OpCode(3001)) }.reduce(0, +) == 1, "once per client and type id")
            }
            let echoed = try client.services.withKeepBinary().invoke(service, method: "echo", arguments: [argument], as: BinaryObject.self)
            #expect(echoed?.typeId == JavaHash.typeId(className))
        }
    }
}
