import Foundation
import IgniteProtocol

/// Calls services deployed on the cluster (OP_SERVICE_INVOKE, feature SERVICE_INVOKE) and lists them
/// (OP_SERVICE_GET_DESCRIPTORS / _DESCRIPTOR, feature GET_SERVICE_DESCRIPTORS), as the Java thin client's
/// `ClientServices` does, without a Java proxy: a call names the method and passes the arguments.
///
/// ```swift
/// let echoed = try client.services.invoke("echoService", method: "echo", arguments: ["hi"], as: String.self)
/// ```
public struct IgniteServices: Sendable {
    /// The client.
    public let client: IgniteClient
    /// The nodes a call may run on; `nil` for any server node.
    public private(set) var nodeIds: [UUID]?
    /// The call timeout; `nil` for none.
    public private(set) var timeout: Duration?
    /// The caller context attributes (`ServiceCallContext`), sent where the server negotiated them.
    public private(set) var callContext: [String: String]?
    /// Whether arguments stay binary objects on the server (the service then gets `BinaryObject`s).
    public private(set) var keepBinary = false

    init(client: IgniteClient) { self.client = client }

    /// The same facade over the given nodes (a cluster group). An empty list fails every call with
    /// ``IgniteError/Code/parameter``.
    public func forNodes(_ nodeIds: [UUID]) -> IgniteServices {
        var copy = self
        copy.nodeIds = nodeIds
        return copy
    }

    /// The same facade with a call timeout (rounded up to whole milliseconds).
    public func withTimeout(_ timeout: Duration?) -> IgniteServices {
        var copy = self
        copy.timeout = timeout
        return copy
    }

    /// The same facade with a caller context: attributes the service reads through `ServiceContext.currentCallContext()`.
    /// Needs feature SERVICE_INVOKE_CALLCTX (Apache bit 10, GridGain bit 34). The client requests GridGain's bit 34 by
    /// default; for Apache Ignite add bit 10 to ``IgniteClientConfiguration/features``.
    public func withCallContext(_ attributes: [String: String]?) -> IgniteServices {
        var copy = self
        copy.callContext = attributes
        return copy
    }

    /// The same facade with arguments kept binary on the server.
    public func withKeepBinary(_ keepBinary: Bool = true) -> IgniteServices {
        var copy = self
        copy.keepBinary = keepBinary
        return copy
    }

    /// Calls a method of a service.
    /// - Parameters:
    ///   - serviceName: The service name.
    ///   - method: The method name (the server picks the overload by the argument count and types).
    ///   - arguments: The arguments.
    ///   - type: The result type.
    /// - Returns: The method's result; `nil` for null (and for `void` methods).
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature SERVICE_INVOKE, or with a caller context
    ///   the connection did not negotiate; ``IgniteError/Code/server`` with the server's message ("Service not
    ///   found: …", a failed method). Without ``withKeepBinary(_:)`` the server deserializes object arguments into
    ///   their Java classes: the client registers their class names first (once per type id), and a class the
    ///   servers lack fails with status 1 and the class name as the message.
    public func invoke<R: IgniteBinaryDecodable>(_ serviceName: String, method: String,
                                                 arguments: [any IgniteBinaryEncodable] = [], as type: R.Type = R.self) throws -> R? {
        if let nodeIds, nodeIds.isEmpty { throw IgniteError.parameter("cluster group is empty") }
        var types = BinaryTypeCollector()
        var encoded: [ServiceArgument] = []
        for argument in arguments { encoded.append(ServiceArgument(try EncodedValue(argument, types: &types))) }
        // Without keepBinary a Java service's arguments are deserialized into classes: their class names are registered
        // first (OP_REGISTER_BINARY_TYPE_NAME), as Java's thin client does.
        try client.registerTypes(types, classNames: keepBinary ? BinaryTypeCollector() : types)
        let request = ServiceInvokeRequest(serviceName: serviceName, methodName: method, arguments: encoded,
                                           flags: keepBinary ? .keepBinary : [],
                                           timeoutMilliseconds: try ComputeTiming.milliseconds(timeout),
                                           nodeIds: nodeIds ?? [], callContext: callContext)
        let value = try client.execute(request)
        if case .null = value { return nil }
        return try client.decode(value, as: R.self)
    }

    /// Every deployed service (OP_SERVICE_GET_DESCRIPTORS).
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature GET_SERVICE_DESCRIPTORS.
    public func descriptors() throws -> [ServiceDescriptor] {
        try client.execute(ServiceGetDescriptorsRequest())
    }

    /// One deployed service by name (OP_SERVICE_GET_DESCRIPTOR).
    /// - Throws: ``IgniteError/Code/server`` ("Service not found: …") for an unknown name.
    public func descriptor(_ name: String) throws -> ServiceDescriptor {
        try client.execute(ServiceGetDescriptorRequest(name: name))
    }
}

extension IgniteClient {
    /// Services over all server nodes (the Java client's `services()`).
    public var services: IgniteServices { IgniteServices(client: self) }
}
