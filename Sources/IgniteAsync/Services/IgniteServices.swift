import Foundation
import IgniteProtocol

/// Calls services deployed on the cluster (OP_SERVICE_INVOKE, feature SERVICE_INVOKE) and lists them
/// (OP_SERVICE_GET_DESCRIPTORS / _DESCRIPTOR, feature GET_SERVICE_DESCRIPTORS), as the Java thin client's
/// `ClientServices` does, without a Java proxy: a call names the method and passes the arguments.
///
/// ```swift
/// let echoed = try await client.services.invoke("echoService", method: "echo", arguments: ["hi"], as: String.self)
/// ```
public struct IgniteServices: Sendable {
    /// The client.
    public let client: IgniteClient
    /// The nodes a call may run on; `nil` for any server node.
    public private(set) var nodeIds: [UUID]?
    /// The call timeout; `nil` for none.
    public private(set) var timeout: Duration?
    /// The caller context attributes, sent where the server negotiated them.
    public private(set) var callContext: [String: String]?
    /// Whether arguments stay binary objects on the server.
    public private(set) var keepBinary = false

    init(client: IgniteClient) { self.client = client }

    /// The same facade over the given nodes. An empty list fails every call with ``IgniteError/Code/parameter``.
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

    /// The same facade with a caller context (needs feature SERVICE_INVOKE_CALLCTX: Apache bit 10, GridGain bit 34;
    /// the client requests GridGain's bit 34 by default, Apache's bit 10 only when configured).
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
    /// - Returns: The method's result; `nil` for null.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without the feature (or with an un-negotiated caller
    ///   context); ``IgniteError/Code/server`` with the server's message. Without ``withKeepBinary(_:)`` the server
    ///   deserializes object arguments into their Java classes: the client registers their class names first (once
    ///   per type id), and a class the servers lack fails with status 1 and the class name as the message.
    public func invoke<R: IgniteBinaryDecodable>(_ serviceName: String, method: String,
                                                 arguments: [any IgniteBinaryEncodable & Sendable] = [],
                                                 as type: R.Type = R.self) async throws -> R? {
        if let nodeIds, nodeIds.isEmpty { throw IgniteError.parameter("cluster group is empty") }
        var milliseconds: Int64 = 0
        if let timeout {
            guard timeout >= .zero else { throw IgniteError.parameter("service timeout must not be negative") }
            milliseconds = timeout.roundedUp(to: .milliseconds)
        }
        var types = BinaryTypeCollector()
        var encoded: [ServiceArgument] = []
        for argument in arguments { encoded.append(ServiceArgument(try EncodedValue(argument, types: &types))) }
        // Without keepBinary a Java service's arguments are deserialized into classes: their class names are registered
        // first (OP_REGISTER_BINARY_TYPE_NAME), as Java's thin client does.
        try await client.registerTypes(types, classNames: keepBinary ? BinaryTypeCollector() : types)
        let request = ServiceInvokeRequest(serviceName: serviceName, methodName: method, arguments: encoded,
                                           flags: keepBinary ? .keepBinary : [], timeoutMilliseconds: milliseconds,
                                           nodeIds: nodeIds ?? [], callContext: callContext)
        let value = try await client.execute(request)
        if case .null = value { return nil }
        return try await client.decode(value, as: R.self)
    }

    /// Every deployed service (OP_SERVICE_GET_DESCRIPTORS).
    public func descriptors() async throws -> [ServiceDescriptor] {
        try await client.execute(ServiceGetDescriptorsRequest())
    }

    /// One deployed service by name (OP_SERVICE_GET_DESCRIPTOR).
    public func descriptor(_ name: String) async throws -> ServiceDescriptor {
        try await client.execute(ServiceGetDescriptorRequest(name: name))
    }
}

extension IgniteClient {
    /// Services over all server nodes (the Java client's `services()`).
    public var services: IgniteServices { IgniteServices(client: self) }
}
