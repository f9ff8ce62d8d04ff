/// OP_CACHE_NODE_PARTITIONS (1100): the deprecated (since 1.3.0) partition map keyed by node address.
///
/// Request body: `i32 cacheId, i8 flags` (the cache-info prefix; the server closes the connection when the flags
/// byte is missing). Still answered by GridGain 8. Use ``CachePartitionsRequest`` (1101) for partition awareness:
/// 1100 names nodes by address and port, not by node id.
package struct CacheNodePartitionsRequest: IgniteRequest, Hashable {
    /// The decoded response.
    public typealias Response = CacheNodePartitionsResponse

    /// The cache id.
    public var cacheId: Int32
    /// The cache-info flags byte (0: no flags).
    public var flags: UInt8

    /// Creates a request.
    /// - Parameters:
    ///   - cacheId: The cache id.
    ///   - flags: The cache-info flags byte.
    public init(cacheId: Int32, flags: UInt8 = 0) {
        self.cacheId = cacheId
        self.flags = flags
    }

    /// ``OpCode/cacheNodePartitions``.
    public var opCode: OpCode { .cacheNodePartitions }

    /// Writes `i32 cacheId, i8 flags`.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt32(cacheId)
        writer.writeUInt8(flags)
    }

    /// Reads the response body; see ``CacheNodePartitionsResponse/decode(from:)``.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheNodePartitionsResponse {
        try CacheNodePartitionsResponse.decode(from: &reader)
    }

    /// Reads a request body (server direction, used by the test node).
    /// - Parameter reader: Positioned at the body.
    /// - Returns: The request.
    /// - Throws: ``IgniteError/Code/parse`` if the body is shorter than 5 bytes.
    public static func decode(from reader: inout BinaryReader) throws -> CacheNodePartitionsRequest {
        let cacheId = try reader.readInt32()
        return CacheNodePartitionsRequest(cacheId: cacheId, flags: try reader.readUInt8())
    }
}

/// The body of an OP_CACHE_NODE_PARTITIONS (1100) response.
///
/// Layout: `i32 nodeCount`, then per node `i32 clientPort, i32 addressCount, String address × addressCount,
/// i32 partitionCount, i32 partition × partitionCount`. The partitions are not sorted.
package struct CacheNodePartitionsResponse: Hashable, Sendable {
    /// One server node: where to reach it and its primary partitions.
    public struct Node: Hashable, Sendable {
        /// The node's thin-client port.
        public var port: Int32
        /// The node's addresses (host names or IP literals).
        public var addresses: [String]
        /// The node's primary partitions, in the server's order.
        public var partitions: [Int32]

        /// Creates a node entry.
        /// - Parameters:
        ///   - port: The thin-client port.
        ///   - addresses: The addresses.
        ///   - partitions: The primary partitions.
        public init(port: Int32, addresses: [String], partitions: [Int32]) {
            self.port = port
            self.addresses = addresses
            self.partitions = partitions
        }
    }

    /// The nodes.
    public var nodes: [Node]

    /// Creates a response.
    /// - Parameter nodes: The nodes.
    public init(nodes: [Node]) {
        self.nodes = nodes
    }

    /// The number of partitions counted the Java way: the largest partition id + 1 (0 if none).
    public var partitionCount: Int {
        var maxPart: Int32 = -1
        for node in nodes {
            for part in node.partitions where part > maxPart { maxPart = part }
        }
        return Int(maxPart) + 1
    }

    /// Reads a response body.
    /// - Parameter reader: Positioned at the body.
    /// - Returns: The decoded response.
    /// - Throws: ``IgniteError/Code/parse`` for truncated bodies, hostile counts or a null/non-string address.
    public static func decode(from reader: inout BinaryReader) throws -> CacheNodePartitionsResponse {
        // A node takes at least 12 bytes: port, address count, partition count.
        let rawNodeCount = try reader.readInt32()
        let nodeCount = try reader.checkCount(rawNodeCount, elementSize: 12)
        var nodes: [Node] = []
        nodes.reserveCapacity(nodeCount)
        for _ in 0..<nodeCount {
            let port = try reader.readInt32()
            // An address takes at least 5 bytes: type code + length.
            let rawAddressCount = try reader.readInt32()
            let addressCount = try reader.checkCount(rawAddressCount, elementSize: 5)
            var addresses: [String] = []
            addresses.reserveCapacity(addressCount)
            for _ in 0..<addressCount { addresses.append(try reader.readStringObject()) }
            let rawPartCount = try reader.readInt32()
            let partCount = try reader.checkCount(rawPartCount, elementSize: 4)
            var parts: [Int32] = []
            parts.reserveCapacity(partCount)
            for _ in 0..<partCount { parts.append(try reader.readInt32()) }
            nodes.append(Node(port: port, addresses: addresses, partitions: parts))
        }
        return CacheNodePartitionsResponse(nodes: nodes)
    }

    /// Writes the response body (server direction, used by the test node).
    /// - Parameter writer: The writer to append to.
    public func encode(into writer: inout BinaryWriter) {
        writer.writeInt32(Int32(truncatingIfNeeded: nodes.count))
        for node in nodes {
            writer.writeInt32(node.port)
            writer.writeInt32(Int32(truncatingIfNeeded: node.addresses.count))
            for address in node.addresses { writer.writeStringObject(address) }
            writer.writeInt32(Int32(truncatingIfNeeded: node.partitions.count))
            for part in node.partitions { writer.writeInt32(part) }
        }
    }
}
