/// The flags byte of a cache request.
package struct CacheRequestFlags: OptionSet, Hashable, Sendable {
    /// The wire value.
    public let rawValue: UInt8
    /// Creates flags from the wire byte.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// 0x01: keep binary (the server always works in binary mode for thin clients).
    public static let keepBinary = CacheRequestFlags(rawValue: 0x01)
    /// 0x02: the operation runs in the transaction whose id follows (≥ 1.5.0).
    public static let transactional = CacheRequestFlags(rawValue: 0x02)
    /// 0x04: an expiry policy of three durations follows (≥ 1.6.0).
    public static let withExpiryPolicy = CacheRequestFlags(rawValue: 0x04)
}

/// The prefix of every cache request: `i32 cacheId, i8 flags, [i64 × 3 expiry policy], [i32 txId]`.
package struct CacheInfo: Hashable, Sendable {
    /// The cache id: the Java hash code of the cache name.
    public var cacheId: Int32
    /// Whether to set the KEEP_BINARY flag.
    public var keepBinary: Bool
    /// The per-operation expiry policy (≥ 1.6.0).
    public var expiryPolicy: ExpiryPolicy?
    /// The id of the transaction the operation belongs to (≥ 1.5.0).
    public var transactionId: Int32?

    /// Creates a cache prefix from a cache id.
    /// - Parameters:
    ///   - cacheId: The cache id (``JavaHash/cacheId(_:)`` of the name).
    ///   - keepBinary: Whether to set the KEEP_BINARY flag.
    ///   - expiryPolicy: A per-operation expiry policy.
    ///   - transactionId: The transaction the operation belongs to.
    public init(cacheId: Int32, keepBinary: Bool = false, expiryPolicy: ExpiryPolicy? = nil, transactionId: Int32? = nil) {
        self.cacheId = cacheId
        self.keepBinary = keepBinary
        self.expiryPolicy = expiryPolicy
        self.transactionId = transactionId
    }

    /// Creates a cache prefix from a cache name.
    /// - Parameters:
    ///   - cacheName: The cache name; its id is the Java hash code of the name (not lower-cased).
    ///   - keepBinary: Whether to set the KEEP_BINARY flag.
    ///   - expiryPolicy: A per-operation expiry policy.
    ///   - transactionId: The transaction the operation belongs to.
    public init(cacheName: String, keepBinary: Bool = false, expiryPolicy: ExpiryPolicy? = nil, transactionId: Int32? = nil) {
        self.init(cacheId: JavaHash.cacheId(cacheName), keepBinary: keepBinary, expiryPolicy: expiryPolicy, transactionId: transactionId)
    }

    /// The flags byte this prefix is written with.
    public var flags: CacheRequestFlags {
        var flags: CacheRequestFlags = []
        if keepBinary { flags.insert(.keepBinary) }
        if transactionId != nil { flags.insert(.transactional) }
        if expiryPolicy != nil { flags.insert(.withExpiryPolicy) }
        return flags
    }

    /// Writes the prefix.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` for a transaction below 1.5.0 or an expiry policy below 1.6.0;
    ///   ``IgniteError/Code/parameter`` for an invalid expiry duration.
    public func encode(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        if transactionId != nil, !context.supportsTransactions {
            throw IgniteError(.notSupportedByCluster, "transactions need protocol 1.5.0; the connection uses \(context.version)")
        }
        if expiryPolicy != nil, !context.supportsExpiryPolicy {
            throw IgniteError(.notSupportedByCluster, "per-operation expiry policies need protocol 1.6.0; the connection uses \(context.version)")
        }
        writer.writeInt32(cacheId)
        writer.writeUInt8(flags.rawValue)
        if let expiryPolicy { try expiryPolicy.encode(into: &writer) }
        if let transactionId { writer.writeInt32(transactionId) }
    }

    /// Reads the prefix (server direction).
    /// - Parameter hasTransactionId: Whether the request reads a transaction id when the flag is set
    ///   (data requests do; configuration requests do not).
    /// - Throws: ``IgniteError/Code/parse`` for a truncated prefix.
    public static func decode(from reader: inout BinaryReader, hasTransactionId: Bool = true) throws -> CacheInfo {
        let cacheId = try reader.readInt32()
        let flags = CacheRequestFlags(rawValue: try reader.readUInt8())
        var info = CacheInfo(cacheId: cacheId, keepBinary: flags.contains(.keepBinary))
        if flags.contains(.withExpiryPolicy) { info.expiryPolicy = try ExpiryPolicy.decode(from: &reader) }
        if hasTransactionId, flags.contains(.transactional) { info.transactionId = try reader.readInt32() }
        return info
    }

    /// Rejects a transaction id for requests that cannot run inside a transaction at this protocol level.
    func requireNoTransaction(_ opCode: OpCode) throws {
        if transactionId != nil {
            throw IgniteError(.notSupportedByCluster, "\(opCode) cannot run inside a transaction on this protocol (needs Apache's TX_AWARE_QUERIES)")
        }
    }
}

/// One duration of an expiry policy, in milliseconds, with the protocol's special values.
public struct ExpiryDuration: Hashable, Sendable, CustomStringConvertible {
    /// The wire value: milliseconds, or −2 (unchanged), −1 (eternal).
    public let milliseconds: Int64

    /// Leave the entry's time to live as it is (wire value −2).
    public static let unchanged = ExpiryDuration(wireValue: -2)
    /// Never expire (wire value −1).
    public static let eternal = ExpiryDuration(wireValue: -1)
    /// Expire at once (wire value 0).
    public static let zero = ExpiryDuration(wireValue: 0)

    /// A duration of `milliseconds` ms. Negative values other than the special ones are rejected when encoded.
    public static func milliseconds(_ milliseconds: Int64) -> ExpiryDuration { ExpiryDuration(wireValue: milliseconds) }

    /// A duration from a Swift `Duration`, in whole milliseconds rounded up (a positive duration never becomes the
    /// special value 0, "expire at once"). A negative duration is rejected when encoded (it must not turn into a
    /// special value).
    public init(_ duration: Duration) {
        milliseconds = duration < .zero ? Int64.min : duration.roundedUp(to: .milliseconds)
    }

    /// A duration from its wire value, as read from the network.
    package init(wireValue: Int64) { milliseconds = wireValue }

    /// Whether the value is valid on the wire: ≥ 0, or one of the special values.
    public var isValid: Bool { milliseconds >= -2 }

    /// A readable description, for logs and messages.
    public var description: String {
        switch milliseconds {
        case -2: "unchanged"
        case -1: "eternal"
        default: "\(milliseconds) ms"
        }
    }
}

/// An expiry policy: how long an entry lives after it is created, updated or accessed.
public struct ExpiryPolicy: Hashable, Sendable {
    /// The time to live after creation.
    public var create: ExpiryDuration
    /// The time to live after an update.
    public var update: ExpiryDuration
    /// The time to live after an access.
    public var access: ExpiryDuration

    /// Creates a policy; each duration defaults to ``ExpiryDuration/unchanged``.
    public init(create: ExpiryDuration = .unchanged, update: ExpiryDuration = .unchanged, access: ExpiryDuration = .unchanged) {
        self.create = create
        self.update = update
        self.access = access
    }

    /// Writes the three durations (i64 create, update, access).
    /// - Throws: ``IgniteError/Code/parameter`` if a duration is negative and not a special value.
    package func encode(into writer: inout BinaryWriter) throws {
        guard create.isValid, update.isValid, access.isValid else {
            throw IgniteError.parameter("expiry durations must be ≥ 0 ms, unchanged or eternal: \(create), \(update), \(access)")
        }
        writer.writeInt64(create.milliseconds)
        writer.writeInt64(update.milliseconds)
        writer.writeInt64(access.milliseconds)
    }

    /// Reads the three durations.
    /// - Throws: ``IgniteError/Code/parse`` when truncated.
    package static func decode(from reader: inout BinaryReader) throws -> ExpiryPolicy {
        ExpiryPolicy(create: ExpiryDuration(wireValue: try reader.readInt64()),
                     update: ExpiryDuration(wireValue: try reader.readInt64()),
                     access: ExpiryDuration(wireValue: try reader.readInt64()))
    }

    /// Writes the cache-configuration form: `bool present, [i64 × 3]`.
    /// - Throws: ``IgniteError/Code/parameter`` for an invalid duration.
    package static func encodeOptional(_ policy: ExpiryPolicy?, into writer: inout BinaryWriter) throws {
        guard let policy else {
            writer.writeBool(false)
            return
        }
        writer.writeBool(true)
        try policy.encode(into: &writer)
    }

    /// Reads the cache-configuration form: `bool present, [i64 × 3]`.
    /// - Throws: ``IgniteError/Code/parse`` when truncated.
    package static func decodeOptional(from reader: inout BinaryReader) throws -> ExpiryPolicy? {
        try reader.readBool() ? try decode(from: &reader) : nil
    }
}

/// Which copies of entries a size or peek counts (`CachePeekMode` ordinals).
public enum PeekMode: Int8, Hashable, Sendable, CaseIterable {
    /// Every copy.
    case all = 0
    /// Near-cache copies.
    case near = 1
    /// Primary copies.
    case primary = 2
    /// Backup copies.
    case backup = 3
    /// Copies in on-heap memory.
    case onHeap = 4
    /// Copies in off-heap memory.
    case offHeap = 5
}
