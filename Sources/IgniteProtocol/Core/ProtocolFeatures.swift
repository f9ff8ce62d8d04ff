/// The feature bitmask exchanged in the handshake at protocol 1.7.0 and later.
///
/// Bits use Apache Ignite's numbering. GridGain 8 numbers some bits from 10 up differently
/// (see ``FeatureBit``), so the client requests by default only ``ProtocolFeatures/defaultRequested``,
/// the bits that mean the same on both. The server's reply is the negotiated set.
public struct ProtocolFeatures: Hashable, Sendable, CustomStringConvertible {
    /// The bits, least significant first: bit n is byte n/8, bit n%8.
    public private(set) var bytes: [UInt8]

    /// An empty set.
    public init() { bytes = [] }

    /// A set from the wire bytes (trailing zero bytes are dropped).
    public init(bytes: [UInt8]) {
        var trimmed = bytes
        while trimmed.last == 0 { trimmed.removeLast() }
        self.bytes = trimmed
    }

    /// A set holding the given bits.
    public init(_ bits: [FeatureBit]) {
        self.init()
        for bit in bits { insert(bit) }
    }

    /// Whether a bit is set.
    public func contains(_ bit: FeatureBit) -> Bool {
        let index = bit.rawValue / 8
        guard bit.rawValue >= 0, index < bytes.count else { return false }
        return bytes[index] & (1 << UInt8(bit.rawValue % 8)) != 0
    }

    /// The highest bit number a set holds: Apache and GridGain use bits below 64, and a higher number would only
    /// make the handshake carry a long run of zero bytes.
    static let highestBit = 1023

    /// Sets a bit. Negative bit numbers and numbers above 1023 are ignored.
    public mutating func insert(_ bit: FeatureBit) {
        guard bit.rawValue >= 0, bit.rawValue <= Self.highestBit else { return }
        let index = bit.rawValue / 8
        while bytes.count <= index { bytes.append(0) }
        bytes[index] |= 1 << UInt8(bit.rawValue % 8)
    }

    /// The bits of both sets.
    public func intersection(_ other: ProtocolFeatures) -> ProtocolFeatures {
        ProtocolFeatures(bytes: zip(bytes, other.bytes).map { $0 & $1 })
    }

    /// The numbers of the set bits.
    public var setBits: [Int] {
        var result: [Int] = []
        for (i, byte) in bytes.enumerated() {
            for b in 0..<8 where byte & (1 << UInt8(b)) != 0 { result.append(i * 8 + b) }
        }
        return result
    }

    /// A readable description, for logs and messages.
    public var description: String { "features\(setBits)" }

    /// What the client asks for unless configured otherwise: bits whose meaning is the same on
    /// Apache Ignite and GridGain and whose layouts this client implements, and GridGain's bit 34, which Apache does not
    /// assign and which identifies a GridGain server (``ProtocolContext/isGridGain``).
    public static let defaultRequested = ProtocolFeatures([
        .clusterStates, .clusterGroupGetNodesEndpoints, .clusterGroups, .defaultQueryTimeout,
        .binaryConfiguration, .heartbeat, .indexQuery, .indexQueryLimit,
        // Compute, service invocation and service descriptors: same bits on both lines, no layout changes elsewhere.
        .executeTaskByName, .serviceInvoke, .getServiceDescriptors,
        // GridGain's SERVICE_INVOKE_CALLCTX: a number Apache Ignite does not assign, so a server answering it is
        // GridGain (``ProtocolContext/isGridGain`` gates its atomic sequences). Its one layout change, a trailing
        // caller-context map in OP_SERVICE_INVOKE, is implemented (``ServiceInvokeRequest``).
        FeatureBit(34),
    ])
}

/// One bit of the handshake feature bitmask (Apache Ignite numbering).
public struct FeatureBit: Hashable, Sendable, CustomStringConvertible {
    /// The bit number.
    public let rawValue: Int
    /// A bit by number.
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// 0: the handshake carries a user-attributes map (Apache: at 1.7.0; GridGain reads it only at 1.7.1).
    public static let userAttributes = FeatureBit(0)
    /// 1: compute task execution by name.
    public static let executeTaskByName = FeatureBit(1)
    /// 2: cluster states beyond ACTIVE/INACTIVE (GridGain and pyignite: CLUSTER_API).
    public static let clusterStates = FeatureBit(2)
    /// 3: OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS.
    public static let clusterGroupGetNodesEndpoints = FeatureBit(3)
    /// 4: cluster groups (5100, 5101).
    public static let clusterGroups = FeatureBit(4)
    /// 5: service invocation.
    public static let serviceInvoke = FeatureBit(5)
    /// 6: a SQL timeout of 0 means no timeout rather than the server default.
    public static let defaultQueryTimeout = FeatureBit(6)
    /// 7: SQL-fields requests carry partitions and an update batch size.
    public static let queryPartitionsBatchSize = FeatureBit(7)
    /// 8: OP_BINARY_CONFIGURATION_GET.
    public static let binaryConfiguration = FeatureBit(8)
    /// 9: service descriptors.
    public static let getServiceDescriptors = FeatureBit(9)
    /// 10 (Apache only): service invocation with a caller context. GridGain reserves 10 (its bit is 34). Not requested.
    public static let serviceInvokeCallContext = FeatureBit(10)
    /// 11: heartbeats and the idle-timeout query.
    public static let heartbeat = FeatureBit(11)
    /// 12 (Apache only): data-replication operations OP_CACHE_PUT_ALL_CONFLICT (1022) and OP_CACHE_REMOVE_ALL_CONFLICT
    /// (1023). GridGain reserves 12 ("used in Ignite") and answers those ops with status 2. Not requested by default:
    /// ask for it explicitly to use ``CachePutAllConflictRequest`` and ``CacheRemoveAllConflictRequest``.
    public static let dataReplicationOperations = FeatureBit(12)
    /// 13 (Apache only): all affinity mappings; changes the 1101 layout. Not requested.
    public static let allAffinityMappings = FeatureBit(13)
    /// 14: index queries.
    public static let indexQuery = FeatureBit(14)
    /// 15: index query limit.
    public static let indexQueryLimit = FeatureBit(15)
    /// 18 (Apache only): SQL and scan queries inside the client's transaction. Not requested.
    public static let txAwareQueries = FeatureBit(18)

    /// A readable description, for logs and messages.
    public var description: String { "bit \(rawValue)" }
}
