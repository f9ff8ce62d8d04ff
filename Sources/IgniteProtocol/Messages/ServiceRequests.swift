import Foundation

// Services: OP_SERVICE_INVOKE (7000, feature bit 5), OP_SERVICE_GET_DESCRIPTORS / _DESCRIPTOR (7001/7002, bit 9).
// Layouts: the Apache server `pc/service/ClientServiceInvokeRequest`, `ClientServiceDescriptorsResponse.writeDescriptor`
// and the Java thin client `thin/ClientServicesImpl`.

/// Flags of a service invocation (`ClientServiceInvokeRequest`: FLAG_KEEP_BINARY_MASK 0x01,
/// FLAG_PARAMETER_TYPES_MASK 0x02).
package struct ServiceInvokeFlags: OptionSet, Hashable, Sendable {
    /// The wire value.
    public let rawValue: Int8
    /// Flags from the wire value.
    public init(rawValue: Int8) { self.rawValue = rawValue }
    /// Arguments stay binary objects on the server (a Java service then receives `BinaryObject`s).
    public static let keepBinary = ServiceInvokeFlags(rawValue: 0x01)
    /// Each argument is preceded by the type id of its Java parameter type, to pick among overloads.
    public static let parameterTypes = ServiceInvokeFlags(rawValue: 0x02)
}

/// One argument of a service call.
package struct ServiceArgument: Hashable, Sendable {
    /// The Java parameter type id, written only with ``ServiceInvokeFlags/parameterTypes``.
    public var parameterTypeId: Int32?
    /// The value.
    public var value: EncodedValue

    /// Creates an argument.
    public init(_ value: EncodedValue, parameterTypeId: Int32? = nil) {
        self.value = value
        self.parameterTypeId = parameterTypeId
    }
}

/// OP_SERVICE_INVOKE (7000): calls a method of a deployed service.
///
/// Body: `String name, i8 flags, i64 timeoutMs, i32 nodeCount, (i64, i64) × nodeCount, String method, i32 argCount,
/// ([i32 paramTypeId] Obj) × argCount, [Map callContext]`. The caller-context map is present exactly when feature
/// SERVICE_INVOKE_CALLCTX was negotiated (Apache bit 10, GridGain bit 34): the server reads it by that feature
/// alone. The node ids are raw (two i64, no type code): `ClientServiceInvokeRequest` reads
/// `new UUID(reader.readLong(), reader.readLong())` (Apache and GridGain alike; OP_COMPUTE_TASK_EXECUTE, by contrast,
/// reads typed UUIDs). No node ids means all server nodes (`grp.forServers()`). Response: the method's result `Obj`.
///
/// Not written: Apache's SERVICE_TOPOLOGY bit 16 adds a `bool` after the timeout; this client does not request
/// bit 16 (GridGain uses it for QRY_LABEL).
package struct ServiceInvokeRequest: IgniteServerCodableRequest, Hashable {
    /// The service name.
    public var serviceName: String
    /// The flags.
    public var flags: ServiceInvokeFlags
    /// The call timeout in milliseconds; 0 for none.
    public var timeoutMilliseconds: Int64
    /// The nodes to call on; empty means any server node with the service.
    public var nodeIds: [UUID]
    /// The method name.
    public var methodName: String
    /// The arguments.
    public var arguments: [ServiceArgument]
    /// The caller context attributes (`ServiceCallContext`); sent only where negotiated.
    public var callContext: [String: String]?

    /// Creates the request.
    public init(serviceName: String, methodName: String, arguments: [ServiceArgument] = [], flags: ServiceInvokeFlags = [],
                timeoutMilliseconds: Int64 = 0, nodeIds: [UUID] = [], callContext: [String: String]? = nil) {
        self.serviceName = serviceName
        self.methodName = methodName
        self.arguments = arguments
        self.flags = flags
        self.timeoutMilliseconds = timeoutMilliseconds
        self.nodeIds = nodeIds
        self.callContext = callContext
    }

    /// ``OpCode/serviceInvoke``.
    public var opCode: OpCode { .serviceInvoke }

    /// Whether the connection carries a caller-context map.
    static func hasCallContext(_ context: ProtocolContext) -> Bool {
        context.has(.serviceInvokeCallContext) || context.has(.serviceInvokeCallContextGridGain)
    }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 5, or with a caller context the
    ///   connection did not negotiate; ``IgniteError/Code/parameter`` for empty names, a negative timeout, or
    ///   ``ServiceInvokeFlags/parameterTypes`` with an argument lacking its type id.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.serviceInvoke, for: "service invocation (OP_SERVICE_INVOKE)")
        guard !serviceName.isEmpty else { throw IgniteError.parameter("service name can't be empty") }
        guard !methodName.isEmpty else { throw IgniteError.parameter("method name can't be empty") }
        guard timeoutMilliseconds >= 0 else { throw IgniteError.parameter("service timeout must not be negative") }
        let withContext = Self.hasCallContext(context)
        if let callContext, !callContext.isEmpty, !withContext {
            throw IgniteError.notSupported("a service caller context", needs: "feature SERVICE_INVOKE_CALLCTX (Apache bit 10, GridGain bit 34)",
                                           context: context)
        }
        let typed = flags.contains(.parameterTypes)
        if typed, arguments.contains(where: { $0.parameterTypeId == nil }) {
            throw IgniteError.parameter("every argument needs a parameter type id when parameterTypes is set")
        }
        writer.writeStringObject(serviceName)
        writer.writeInt8(flags.rawValue)
        writer.writeInt64(timeoutMilliseconds)
        try writer.writeRawUUIDs(nodeIds)
        writer.writeStringObject(methodName)
        try writer.writeCount(arguments.count, of: "service arguments")
        for argument in arguments {
            if typed { writer.writeInt32(argument.parameterTypeId ?? 0) }
            writer.writeEncodedValue(argument.value)
        }
        if withContext {
            if let callContext {
                let entries = callContext.sorted { $0.key < $1.key }.map { IgniteMapEntry(.string($0.key), .string($0.value)) }
                writer.writeValue(.map(IgniteMap(entries)))
            } else {
                writer.writeValue(.null)
            }
        }
    }

    /// - Returns: The method's result.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteValue {
        try reader.readValue()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ServiceInvokeRequest {
        let name = try reader.readOptionalStringObject() ?? ""
        let flags = ServiceInvokeFlags(rawValue: try reader.readInt8())
        let timeout = try reader.readInt64()
        let ids = try reader.readRawUUIDs()
        let method = try reader.readOptionalStringObject() ?? ""
        let count = try reader.readCount(elementSize: 1)
        var arguments: [ServiceArgument] = []
        for _ in 0..<count {
            let typeId = flags.contains(.parameterTypes) ? try reader.readInt32() : nil
            arguments.append(ServiceArgument(try reader.readEncodedValue(), parameterTypeId: typeId))
        }
        var callContext: [String: String]?
        if hasCallContext(context), case .map(let map) = try reader.readValue() {
            var attributes: [String: String] = [:]
            for entry in map.entries {
                if case .string(let key) = entry.key, case .string(let value) = entry.value { attributes[key] = value }
            }
            callContext = attributes
        }
        return ServiceInvokeRequest(serviceName: name, methodName: method, arguments: arguments, flags: flags,
                                    timeoutMilliseconds: timeout, nodeIds: ids, callContext: callContext)
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: IgniteValue, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeValue(response)
    }
}

/// A deployed service as the server describes it (`ServiceDescriptor`).
public struct ServiceDescriptor: Hashable, Sendable {
    /// The platform a service is written for (`PlatformServices.PLATFORM_JAVA` 0, `PLATFORM_DOTNET` 1).
    public struct Platform: RawRepresentable, Hashable, Sendable {
        /// The wire value.
        public let rawValue: Int8
        /// A platform from its wire value.
        public init(rawValue: Int8) { self.rawValue = rawValue }
        /// Java (0).
        public static let java = Platform(rawValue: 0)
        /// .NET (1).
        public static let dotNet = Platform(rawValue: 1)
    }

    /// The service name.
    public var name: String
    /// The service's class name.
    public var serviceClassName: String
    /// The total number of instances in the cluster (0: no limit).
    public var totalCount: Int32
    /// The maximum number of instances per node (0: no limit).
    public var maxPerNodeCount: Int32
    /// The cache of an affinity-bound service.
    public var cacheName: String?
    /// The node that deployed the service.
    public var originNodeId: UUID?
    /// The platform.
    public var platform: Platform

    /// Creates a descriptor.
    public init(name: String, serviceClassName: String, totalCount: Int32 = 0, maxPerNodeCount: Int32 = 0,
                cacheName: String? = nil, originNodeId: UUID? = nil, platform: Platform = .java) {
        self.name = name
        self.serviceClassName = serviceClassName
        self.totalCount = totalCount
        self.maxPerNodeCount = maxPerNodeCount
        self.cacheName = cacheName
        self.originNodeId = originNodeId
        self.platform = platform
    }

    /// Reads `String name, String class, i32 totalCount, i32 maxPerNodeCount, String cacheName, UUID originNodeId
    /// (typed, nullable), i8 platform` (`ClientServiceDescriptorsResponse.writeDescriptor`).
    static func decode(from reader: inout BinaryReader) throws -> ServiceDescriptor {
        let name = try reader.readOptionalStringObject() ?? ""
        let className = try reader.readOptionalStringObject() ?? ""
        let total = try reader.readInt32()
        let perNode = try reader.readInt32()
        let cache = try reader.readOptionalStringObject()
        let origin: UUID?
        switch try reader.readValue() {
        case .null: origin = nil
        case .uuid(let id): origin = id
        case let other: throw IgniteError.parse("expected a UUID for the service's origin node, got \(other)")
        }
        return ServiceDescriptor(name: name, serviceClassName: className, totalCount: total, maxPerNodeCount: perNode,
                                 cacheName: cache, originNodeId: origin, platform: Platform(rawValue: try reader.readInt8()))
    }

    func encode(into writer: inout BinaryWriter) {
        writer.writeStringObject(name)
        writer.writeStringObject(serviceClassName)
        writer.writeInt32(totalCount)
        writer.writeInt32(maxPerNodeCount)
        writer.writeOptionalStringObject(cacheName)
        if let originNodeId { writer.writeUUIDObject(originNodeId) } else { writer.writeValue(.null) }
        writer.writeInt8(platform.rawValue)
    }
}

/// OP_SERVICE_GET_DESCRIPTORS (7001): every deployed service. Empty body; response `i32 n, descriptor × n`.
package struct ServiceGetDescriptorsRequest: IgniteServerCodableRequest, Hashable {
    /// Creates the request.
    public init() {}

    /// ``OpCode/serviceGetDescriptors``.
    public var opCode: OpCode { .serviceGetDescriptors }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 9.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.getServiceDescriptors, for: "service descriptors (OP_SERVICE_GET_DESCRIPTORS)")
    }

    /// - Returns: The descriptors.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> [ServiceDescriptor] {
        let count = try reader.readCount(elementSize: 12)
        var result: [ServiceDescriptor] = []
        for _ in 0..<count { result.append(try ServiceDescriptor.decode(from: &reader)) }
        return result
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ServiceGetDescriptorsRequest {
        ServiceGetDescriptorsRequest()
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: [ServiceDescriptor], into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCount(response.count, of: "service descriptors")
        for descriptor in response { descriptor.encode(into: &writer) }
    }
}

/// OP_SERVICE_GET_DESCRIPTOR (7002): one service by name. Body `String name`; response one descriptor. An unknown
/// name fails with status 1, "Service not found: …" (`ClientServiceInvokeRequest.findServiceDescriptor`).
package struct ServiceGetDescriptorRequest: IgniteServerCodableRequest, Hashable {
    /// The service name.
    public var name: String

    /// Creates the request.
    public init(name: String) { self.name = name }

    /// ``OpCode/serviceGetDescriptor``.
    public var opCode: OpCode { .serviceGetDescriptor }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 9.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.getServiceDescriptors, for: "service descriptors (OP_SERVICE_GET_DESCRIPTOR)")
        writer.writeStringObject(name)
    }

    /// - Returns: The descriptor.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> ServiceDescriptor {
        try ServiceDescriptor.decode(from: &reader)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ServiceGetDescriptorRequest {
        ServiceGetDescriptorRequest(name: try reader.readOptionalStringObject() ?? "")
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: ServiceDescriptor, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        response.encode(into: &writer)
    }
}
