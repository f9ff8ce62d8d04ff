import Foundation

// Cluster groups and discovery (OP 5100–5102, PROTOCOL-FACTS §5.8). 5100/5101 need feature bit 4, 5102 bit 3.

/// One filter of a cluster-group projection, applied in order.
package enum ClusterGroupProjectionItem: Hashable, Sendable {
    /// Nodes whose attribute `name` equals `value` (code 1: `String name, String value`).
    case attribute(name: String, value: String)
    /// Server nodes (`true`) or client nodes (`false`) only (code 2: `bool`).
    case serverNodes(Bool)
}

/// The node ids of a cluster group and the topology version they belong to.
package struct ClusterGroupNodeIds: Hashable, Sendable {
    /// The topology version.
    public var topologyVersion: Int64
    /// The ids of the nodes in the group.
    public var nodeIds: [UUID]

    /// Creates the value.
    public init(topologyVersion: Int64, nodeIds: [UUID]) {
        self.topologyVersion = topologyVersion
        self.nodeIds = nodeIds
    }
}

/// OP_CLUSTER_GROUP_GET_NODE_IDS (5100): the nodes of a cluster group, if the topology changed since a known version.
///
/// Body: `i64 knownTopologyVersion, i32 n, (i16 code, item) × n`. Response: `bool changed`, and if changed
/// `i64 topologyVersion, i32 n, raw UUID × n`.
package struct ClusterGroupGetNodeIdsRequest: IgniteServerCodableRequest, Hashable {
    /// The topology version the client already knows (0: none).
    public var knownTopologyVersion: Int64
    /// The projection filters, applied in order (empty: all nodes).
    public var projection: [ClusterGroupProjectionItem]

    /// Creates the request.
    public init(knownTopologyVersion: Int64 = 0, projection: [ClusterGroupProjectionItem] = []) {
        self.knownTopologyVersion = knownTopologyVersion
        self.projection = projection
    }

    /// ``OpCode/clusterGroupGetNodeIds``.
    public var opCode: OpCode { .clusterGroupGetNodeIds }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 4.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.clusterGroups, for: "OP_CLUSTER_GROUP_GET_NODE_IDS")
        writer.writeInt64(knownTopologyVersion)
        try writer.writeCount(projection.count, of: "projection items")
        for item in projection {
            switch item {
            case .attribute(let name, let value):
                writer.writeInt16(1)
                writer.writeStringObject(name)
                writer.writeStringObject(value)
            case .serverNodes(let servers):
                writer.writeInt16(2)
                writer.writeBool(servers)
            }
        }
    }

    /// - Returns: The group's nodes, or `nil` if the topology has not changed since ``knownTopologyVersion``.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterGroupNodeIds? {
        guard try reader.readBool() else { return nil }
        let version = try reader.readInt64()
        return ClusterGroupNodeIds(topologyVersion: version, nodeIds: try reader.readRawUUIDs())
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterGroupGetNodeIdsRequest {
        let version = try reader.readInt64()
        let count = try reader.readCount(elementSize: 3)
        var items: [ClusterGroupProjectionItem] = []
        items.reserveCapacity(count)
        for _ in 0..<count {
            let code = try reader.readInt16()
            switch code {
            case 1:
                let name = try reader.readStringObject()
                items.append(.attribute(name: name, value: try reader.readStringObject()))
            case 2:
                items.append(.serverNodes(try reader.readBool()))
            default:
                throw IgniteError.parse("unknown cluster-group projection code \(code)")
            }
        }
        return ClusterGroupGetNodeIdsRequest(knownTopologyVersion: version, projection: items)
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: ClusterGroupNodeIds?, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard let response else {
            writer.writeBool(false)
            return
        }
        writer.writeBool(true)
        writer.writeInt64(response.topologyVersion)
        try writer.writeRawUUIDs(response.nodeIds)
    }
}

/// The product version of a node.
package struct ClusterNodeVersion: Hashable, Sendable, CustomStringConvertible {
    /// The major version.
    public var major: Int8
    /// The minor version.
    public var minor: Int8
    /// The maintenance version.
    public var maintenance: Int8
    /// The stage, for example `SNAPSHOT`.
    public var stage: String?
    /// The revision timestamp.
    public var revisionTimestamp: Int64
    /// The revision hash.
    public var revisionHash: [UInt8]

    /// Creates a version.
    public init(major: Int8, minor: Int8, maintenance: Int8, stage: String? = nil, revisionTimestamp: Int64 = 0, revisionHash: [UInt8] = []) {
        self.major = major
        self.minor = minor
        self.maintenance = maintenance
        self.stage = stage
        self.revisionTimestamp = revisionTimestamp
        self.revisionHash = revisionHash
    }

    /// A readable description, for logs and messages.
    public var description: String { "\(major).\(minor).\(maintenance)" + (stage.map { "-\($0)" } ?? "") }
}

/// One attribute of a node.
package struct ClusterNodeAttribute: Hashable, Sendable {
    /// The attribute name.
    public var name: String
    /// The attribute value, or `nil` if the server sent a Java-only object (OptimizedMarshaller, type −2) that a thin
    /// client cannot read. Such values are skipped, not fatal: real nodes have a few of them.
    public var value: IgniteValue?

    /// Creates an attribute.
    public init(name: String, value: IgniteValue?) {
        self.name = name
        self.value = value
    }
}

/// A cluster node as OP_CLUSTER_GROUP_GET_NODE_INFO describes it.
package struct ClusterNode: Hashable, Sendable {
    /// The node id.
    public var id: UUID
    /// The node attributes, in the server's order.
    public var attributes: [ClusterNodeAttribute]
    /// The node's addresses.
    public var addresses: [String]
    /// The node's host names.
    public var hostNames: [String]
    /// The order in which the node joined.
    public var order: Int64
    /// Whether this is the node the connection goes to.
    public var isLocal: Bool
    /// Whether the node is a daemon.
    public var isDaemon: Bool
    /// Whether the node is a client node.
    public var isClient: Bool
    /// The consistent id.
    public var consistentId: IgniteValue
    /// The product version.
    public var version: ClusterNodeVersion

    /// Creates a node description.
    public init(id: UUID, attributes: [ClusterNodeAttribute] = [], addresses: [String] = [], hostNames: [String] = [], order: Int64 = 0,
                isLocal: Bool = false, isDaemon: Bool = false, isClient: Bool = false, consistentId: IgniteValue = .null,
                version: ClusterNodeVersion) {
        self.id = id
        self.attributes = attributes
        self.addresses = addresses
        self.hostNames = hostNames
        self.order = order
        self.isLocal = isLocal
        self.isDaemon = isDaemon
        self.isClient = isClient
        self.consistentId = consistentId
        self.version = version
    }

    /// The value of attribute `name`, if the node has it and it is readable.
    public func attribute(_ name: String) -> IgniteValue? {
        attributes.first { $0.name == name }?.value ?? nil
    }
}

/// OP_CLUSTER_GROUP_GET_NODE_INFO (5101): descriptions of nodes by id.
/// Body: `i32 n, raw UUID × n`. Response: `i32 n, node × n`. The ids are raw (two i64, no type code): the server's
/// `ClientClusterGroupGetNodesDetailsRequest` reads `new UUID(reader.readLong(), reader.readLong())` (Apache and
/// GridGain alike; OP_COMPUTE_TASK_EXECUTE, by contrast, reads typed UUIDs).
package struct ClusterGroupGetNodeInfoRequest: IgniteServerCodableRequest, Hashable {
    /// The node ids.
    public var nodeIds: [UUID]

    /// Creates the request.
    public init(nodeIds: [UUID]) { self.nodeIds = nodeIds }

    /// ``OpCode/clusterGroupGetNodeInfo``.
    public var opCode: OpCode { .clusterGroupGetNodeInfo }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 4.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.clusterGroups, for: "OP_CLUSTER_GROUP_GET_NODE_INFO")
        try writer.writeRawUUIDs(nodeIds)
    }

    /// - Returns: The nodes the server knows, in its order.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> [ClusterNode] {
        let count = try reader.readCount(elementSize: 17, of: ClusterNode.self)
        var nodes: [ClusterNode] = []
        nodes.reserveCapacity(count)
        for _ in 0..<count { nodes.append(try reader.readClusterNode()) }
        return nodes
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterGroupGetNodeInfoRequest {
        ClusterGroupGetNodeInfoRequest(nodeIds: try reader.readRawUUIDs())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: [ClusterNode], into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCount(response.count, of: "nodes")
        for node in response { try writer.writeClusterNode(node) }
    }
}

/// The endpoints of one node, for client-side discovery.
package struct ClusterNodeEndpoints: Hashable, Sendable {
    /// The node id.
    public var nodeId: UUID
    /// The thin-client port.
    public var port: Int32
    /// The addresses and host names.
    public var addresses: [String]

    /// Creates the value.
    public init(nodeId: UUID, port: Int32, addresses: [String]) {
        self.nodeId = nodeId
        self.port = port
        self.addresses = addresses
    }
}

/// The topology changes between two versions.
package struct ClusterTopologyChanges: Hashable, Sendable {
    /// The current topology version.
    public var topologyVersion: Int64
    /// Nodes that joined, with their endpoints.
    public var added: [ClusterNodeEndpoints]
    /// Ids of nodes that left.
    public var removed: [UUID]

    /// Creates the value.
    public init(topologyVersion: Int64, added: [ClusterNodeEndpoints], removed: [UUID]) {
        self.topologyVersion = topologyVersion
        self.added = added
        self.removed = removed
    }
}

/// OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS (5102): the endpoints of nodes that joined or left between two topology versions.
///
/// Body: `i64 startTopologyVersion, i64 endTopologyVersion` (−1: unknown / current). Response: `i64 topologyVersion,
/// i32 n, (raw UUID, i32 port, i32 m, String × m) × n, i32 k, raw UUID × k`.
package struct ClusterGroupGetNodeEndpointsRequest: IgniteServerCodableRequest, Hashable {
    /// The version the client knows (−1: none, so every node is reported as added).
    public var startTopologyVersion: Int64
    /// The version to report up to (−1: the current one).
    public var endTopologyVersion: Int64

    /// Creates the request.
    public init(startTopologyVersion: Int64 = -1, endTopologyVersion: Int64 = -1) {
        self.startTopologyVersion = startTopologyVersion
        self.endTopologyVersion = endTopologyVersion
    }

    /// ``OpCode/clusterGroupGetNodeEndpoints``.
    public var opCode: OpCode { .clusterGroupGetNodeEndpoints }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 3.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.clusterGroupGetNodesEndpoints, for: "OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS")
        writer.writeInt64(startTopologyVersion)
        writer.writeInt64(endTopologyVersion)
    }

    /// - Returns: The topology version and the nodes added and removed.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterTopologyChanges {
        let version = try reader.readInt64()
        let count = try reader.readCount(elementSize: 24, of: ClusterNodeEndpoints.self)
        var added: [ClusterNodeEndpoints] = []
        added.reserveCapacity(count)
        for _ in 0..<count {
            let id = try reader.readUUIDPayload()
            let port = try reader.readInt32()
            added.append(ClusterNodeEndpoints(nodeId: id, port: port, addresses: try reader.readStrings()))
        }
        return ClusterTopologyChanges(topologyVersion: version, added: added, removed: try reader.readRawUUIDs())
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> ClusterGroupGetNodeEndpointsRequest {
        let start = try reader.readInt64()
        return ClusterGroupGetNodeEndpointsRequest(startTopologyVersion: start, endTopologyVersion: try reader.readInt64())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: ClusterTopologyChanges, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(response.topologyVersion)
        try writer.writeCount(response.added.count, of: "nodes")
        for node in response.added {
            writer.writeUUIDPayload(node.nodeId)
            writer.writeInt32(node.port)
            try writer.writeCount(node.addresses.count, of: "addresses")
            for address in node.addresses { writer.writeStringObject(address) }
        }
        try writer.writeRawUUIDs(response.removed)
    }
}

extension BinaryReader {
    fileprivate mutating func readClusterNode() throws -> ClusterNode {
        let id = try readUUIDObject()
        let attributeCount = try readCount(elementSize: 6, of: ClusterNodeAttribute.self)
        var attributes: [ClusterNodeAttribute] = []
        attributes.reserveCapacity(attributeCount)
        for _ in 0..<attributeCount {
            let name = try readStringObject()
            attributes.append(ClusterNodeAttribute(name: name, value: try readValueSkippingJavaOnly()))
        }
        let addresses = try readStringCollection("addresses")
        let hostNames = try readStringCollection("host names")
        let order = try readInt64()
        let isLocal = try readBool()
        let isDaemon = try readBool()
        let isClient = try readBool()
        let consistentId = try readValueSkippingJavaOnly() ?? .null
        let major = try readInt8()
        let minor = try readInt8()
        let maintenance = try readInt8()
        let stage = try readOptionalStringObject()
        let timestamp = try readInt64()
        let hash: [UInt8]
        switch try readValue() {
        case .byteArray(let bytes): hash = bytes
        case .null: hash = []
        case let other: throw IgniteError.parse("node revision hash is \(other.typeCode), not a byte array")
        }
        let version = ClusterNodeVersion(major: major, minor: minor, maintenance: maintenance, stage: stage,
                                         revisionTimestamp: timestamp, revisionHash: hash)
        return ClusterNode(id: id, attributes: attributes, addresses: addresses, hostNames: hostNames, order: order, isLocal: isLocal,
                           isDaemon: isDaemon, isClient: isClient, consistentId: consistentId, version: version)
    }

    /// Reads one data object, or skips an OptimizedMarshaller object (`i8 −2, i32 length, bytes`) and returns `nil`.
    fileprivate mutating func readValueSkippingJavaOnly() throws -> IgniteValue? {
        guard try peekUInt8(at: position) == UInt8(bitPattern: TypeCode.optimizedMarshaller.rawValue) else { return try readValue() }
        try skip(1)
        let length = try readCount(elementSize: 1)
        try skip(length)
        return nil
    }

    /// Reads a collection (or array) data object of strings; null reads as empty.
    fileprivate mutating func readStringCollection(_ what: String) throws -> [String] {
        let elements: [IgniteValue]
        switch try readValue() {
        case .null: return []
        case .collection(let collection): elements = collection.elements
        case .objectArray(let array): elements = array.elements
        case .stringArray(let strings): return strings.compactMap { $0 }
        case let other: throw IgniteError.parse("node \(what) is \(other.typeCode), not a collection")
        }
        return try elements.map { element in
            guard case .string(let string) = element else { throw IgniteError.parse("node \(what) hold a \(element.typeCode)") }
            return string
        }
    }
}

extension BinaryWriter {
    fileprivate mutating func writeClusterNode(_ node: ClusterNode) throws {
        writeUUIDObject(node.id)
        try writeCount(node.attributes.count, of: "attributes")
        for attribute in node.attributes {
            writeStringObject(attribute.name)
            writeValue(attribute.value ?? .null)
        }
        writeValue(.collection(IgniteCollection(node.addresses.map { .string($0) }, kind: .arrayList)))
        writeValue(.collection(IgniteCollection(node.hostNames.map { .string($0) }, kind: .arrayList)))
        writeInt64(node.order)
        writeBool(node.isLocal)
        writeBool(node.isDaemon)
        writeBool(node.isClient)
        writeValue(node.consistentId)
        writeInt8(node.version.major)
        writeInt8(node.version.minor)
        writeInt8(node.version.maintenance)
        writeOptionalStringObject(node.version.stage)
        writeInt64(node.version.revisionTimestamp)
        writeValue(.byteArray(node.version.revisionHash))
    }
}
