import Foundation
import IgniteProtocol

// Services (7000–7002). The test node cannot deploy Java services: it offers one of its own, documented in
// README.md. Texts from the Apache server, `pc/service/ClientServiceInvokeRequest` ("Service not found: …").

/// The test node's built-in service.
public enum TestNodeServices {
    /// The service name.
    public static let echo = "testNodeEchoService"
    /// Its (made-up) class name, reported in its descriptor.
    public static let echoClassName = "org.apache.ignite.testnode.EchoService"
    // Methods: echo(Object) returns its argument; add(int, int) returns the sum; callContext(String) returns the
    // caller-context attribute of that name (or null); nodeCount() returns the number of nodes the call may run on.
}

extension RequestHandler {
    /// Service invocation and descriptors.
    func service(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        let members = core.data.withLock { $0.members.map(\.nodeId) }
        let descriptor = ServiceDescriptor(name: TestNodeServices.echo, serviceClassName: TestNodeServices.echoClassName,
                                           totalCount: 0, maxPerNodeCount: 1, originNodeId: members.first)
        switch op {
        case .serviceGetDescriptors:
            var writer = BinaryWriter(capacity: 128)
            try ServiceGetDescriptorsRequest().encodeResponse([descriptor], into: &writer, context: context)
            return .success(writer.bytes)
        case .serviceGetDescriptor:
            let request = try ServiceGetDescriptorRequest.decodeBody(from: &reader, context: context)
            guard request.name == TestNodeServices.echo else { return .failure(ServerStatus.failed, "Service not found: \(request.name)") }
            var writer = BinaryWriter(capacity: 128)
            try request.encodeResponse(descriptor, into: &writer, context: context)
            return .success(writer.bytes)
        default:
            let request = try ServiceInvokeRequest.decodeBody(from: &reader, context: context)
            guard !request.serviceName.isEmpty else { return .failure(ServerStatus.failed, "Service name can't be empty") }
            guard !request.methodName.isEmpty else { return .failure(ServerStatus.failed, "Method name can't be empty") }
            guard request.serviceName == TestNodeServices.echo else {
                return .failure(ServerStatus.failed, "Service not found: \(request.serviceName)")
            }
            let targets = request.nodeIds.isEmpty ? members : request.nodeIds.filter(members.contains)
            guard !targets.isEmpty else {
                return .failure(ServerStatus.failed, "class org.apache.ignite.IgniteException: Failed to find deployed service: \(request.serviceName)")
            }
            let arguments = try request.arguments.map { ServerValues.canonical(try $0.value.decoded()) }
            // Without keepBinary a Java service's arguments are deserialized (`ClientServiceInvokeRequest.process`,
            // `reader.readObject()`): an object needs its class-name mapping (else `MarshallerContextImpl`'s text), and
            // then its class, which the test node never has (the message is the class name; observed on GridGain 8.10).
            if !request.flags.contains(.keepBinary) {
                for case .object(let object) in arguments {
                    return .failure(ServerStatus.failed, core.data.withLock { BinaryTypeRules.deserializationFailure(object.typeId, typeNames: $0.typeNames) })
                }
            }
            let noMethod = OpResult.failure(ServerStatus.failed,
                                            "class org.apache.ignite.IgniteException: Could not find proxy method '\(request.methodName)' in class \(TestNodeServices.echoClassName)")
            switch (request.methodName, arguments.count) {
            case ("echo", 1):
                return .value(arguments[0])
            case ("add", 2):
                guard case .int(let a) = arguments[0], case .int(let b) = arguments[1] else { return noMethod }
                return .value(.int(a &+ b))
            case ("callContext", 1):
                guard case .string(let key) = arguments[0] else { return noMethod }
                return .value(request.callContext?[key].map { .string($0) } ?? .null)
            case ("nodeCount", 0):
                return .value(.int(Int32(targets.count)))
            default:
                return noMethod
            }
        }
    }
}
