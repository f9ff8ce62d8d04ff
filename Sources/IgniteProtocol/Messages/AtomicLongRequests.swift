// Distributed atomic long (OP 9000–9007). Layouts from the Apache server, `pc/datastructures/ClientAtomicLong*Request`:
// every request but create starts with `String name, String groupName` (ClientAtomicLongRequest); a missing atomic
// long answers status 1 with "AtomicLong with name '…' does not exist." (notFoundResponse). No feature bit gates
// these ops: a server without them answers status 2 (invalid op code), which becomes `notSupportedByCluster`.

/// How a distributed atomic long is stored (`AtomicConfiguration`): written by OP_ATOMIC_LONG_CREATE only.
///
/// Defaults are the server's (`AtomicConfiguration.DFLT_*`): reserve size 1000, PARTITIONED, 1 backup, no group.
public struct AtomicConfiguration: Hashable, Sendable {
    /// How many values an atomic sequence reserves at once (unused by atomic longs, sent for completeness).
    public var atomicSequenceReserveSize: Int32
    /// PARTITIONED or REPLICATED.
    public var cacheMode: CacheMode
    /// Backups of the structure's cache (PARTITIONED only).
    public var backups: Int32
    /// The cache group holding the structure; `nil` for the default group.
    public var groupName: String?

    /// Creates a configuration.
    public init(atomicSequenceReserveSize: Int32 = 1000, cacheMode: CacheMode = .partitioned, backups: Int32 = 1,
                groupName: String? = nil) {
        self.atomicSequenceReserveSize = atomicSequenceReserveSize
        self.cacheMode = cacheMode
        self.backups = backups
        self.groupName = groupName
    }
}

/// The identity every atomic-long request after create carries: `String name, String groupName`.
package struct AtomicLongIdentity: Hashable, Sendable {
    /// The atomic long's name.
    public var name: String
    /// Its cache group (`nil`: the default group).
    public var groupName: String?

    /// Creates an identity.
    public init(name: String, groupName: String? = nil) {
        self.name = name
        self.groupName = groupName
    }

    /// The id of the cache the structure lives in, `ignite-sys-atomic-cache@<group>` (`default-ds-group` without a
    /// group), as the Java thin client computes it (`ClientUtils.atomicsCacheId`) to route requests to its owner.
    package var atomicsCacheId: Int32 { Self.atomicsCacheId(groupName: groupName) }

    /// The affinity key inside the atomics cache: the name (`GridCacheInternalKeyImpl` maps its name as the
    /// affinity key, `AbstractClientAtomic.affinityKey`).
    package var affinityKey: EncodedValue { EncodedValue(.string(name)) }

    /// The atomics cache id of a group (`nil`: the default group).
    package static func atomicsCacheId(groupName: String?) -> Int32 {
        JavaHash.cacheId("ignite-sys-atomic-cache@" + (groupName ?? "default-ds-group"))
    }

    func encode(into writer: inout BinaryWriter) throws {
        guard !name.isEmpty else { throw IgniteError.parameter("an atomic long needs a non-empty name") }
        writer.writeStringObject(name)
        writer.writeOptionalStringObject(groupName)
    }

    static func decode(from reader: inout BinaryReader) throws -> AtomicLongIdentity {
        AtomicLongIdentity(name: try reader.readOptionalStringObject() ?? "", groupName: try reader.readOptionalStringObject())
    }
}

/// OP_ATOMIC_LONG_CREATE (9000): gets or creates an atomic long.
///
/// Body (`ClientAtomicLongCreateRequest`): `String name, i64 initialValue, bool hasConfiguration,
/// [i32 atomicSequenceReserveSize, i8 cacheMode, i32 backups, String groupName]`. Empty response. An existing atomic
/// long keeps its value (the server calls `atomicLong(name, cfg, initVal, create = true)`).
package struct AtomicLongCreateRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The name.
    public var name: String
    /// The value of a newly created atomic long.
    public var initialValue: Int64
    /// The storage configuration; `nil` uses the server's `AtomicConfiguration`.
    public var configuration: AtomicConfiguration?

    /// Creates the request.
    public init(name: String, initialValue: Int64, configuration: AtomicConfiguration? = nil) {
        self.name = name
        self.initialValue = initialValue
        self.configuration = configuration
    }

    /// ``OpCode/atomicLongCreate``.
    public var opCode: OpCode { .atomicLongCreate }

    /// - Throws: ``IgniteError/Code/parameter`` for an empty name.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard !name.isEmpty else { throw IgniteError.parameter("an atomic long needs a non-empty name") }
        writer.writeStringObject(name)
        writer.writeInt64(initialValue)
        guard let configuration else {
            writer.writeBool(false)
            return
        }
        writer.writeBool(true)
        writer.writeInt32(configuration.atomicSequenceReserveSize)
        writer.writeInt8(Int8(truncatingIfNeeded: configuration.cacheMode.rawValue))
        writer.writeInt32(configuration.backups)
        writer.writeOptionalStringObject(configuration.groupName)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> AtomicLongCreateRequest {
        let name = try reader.readOptionalStringObject() ?? ""
        let initial = try reader.readInt64()
        guard try reader.readBool() else { return AtomicLongCreateRequest(name: name, initialValue: initial) }
        let reserve = try reader.readInt32()
        let mode = CacheMode(rawValue: Int32(try reader.readInt8()))
        let backups = try reader.readInt32()
        let group = try reader.readOptionalStringObject()
        return AtomicLongCreateRequest(name: name, initialValue: initial,
                                       configuration: AtomicConfiguration(atomicSequenceReserveSize: reserve, cacheMode: mode,
                                                                          backups: backups, groupName: group))
    }
}

/// What an atomic-long value request does after its identity.
package enum AtomicLongOperation: Hashable, Sendable {
    /// OP_ATOMIC_LONG_REMOVE (9001): removes it (nothing happens if it does not exist). Empty response.
    case remove
    /// OP_ATOMIC_LONG_EXISTS (9002): `bool`.
    case exists
    /// OP_ATOMIC_LONG_VALUE_GET (9003): `i64`.
    case get
    /// OP_ATOMIC_LONG_VALUE_ADD_AND_GET (9004): `i64 delta` → `i64` new value.
    case addAndGet(Int64)
    /// OP_ATOMIC_LONG_VALUE_GET_AND_SET (9005): `i64 value` → `i64` previous value.
    case getAndSet(Int64)
    /// OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET (9006): `i64 expected, i64 value` → `bool` whether it was set.
    case compareAndSet(expected: Int64, value: Int64)
    /// OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET_AND_GET (9007): `i64 expected, i64 value` → `i64` the value before.
    case compareAndSetAndGet(expected: Int64, value: Int64)

    /// The op code.
    public var opCode: OpCode {
        switch self {
        case .remove: .atomicLongRemove
        case .exists: .atomicLongExists
        case .get: .atomicLongValueGet
        case .addAndGet: .atomicLongValueAddAndGet
        case .getAndSet: .atomicLongValueGetAndSet
        case .compareAndSet: .atomicLongValueCompareAndSet
        case .compareAndSetAndGet: .atomicLongValueCompareAndSetAndGet
        }
    }
}

/// The answer of an ``AtomicLongRequest``.
package enum AtomicLongResult: Hashable, Sendable {
    /// An empty response (remove).
    case none
    /// A `bool` (exists, compare-and-set).
    case bool(Bool)
    /// An `i64` (get, add-and-get, get-and-set, compare-and-set-and-get).
    case value(Int64)

    /// The `i64`, or a parse error if the server answered something else.
    public func int64() throws -> Int64 {
        guard case .value(let value) = self else { throw IgniteError.parse("expected an i64 atomic-long result, got \(self)") }
        return value
    }

    /// The `bool`, or a parse error.
    public func bool() throws -> Bool {
        guard case .bool(let value) = self else { throw IgniteError.parse("expected a bool atomic-long result, got \(self)") }
        return value
    }
}

/// OP 9001–9007: one operation on an existing atomic long. Body: `String name, String groupName`, then the
/// operation's operands (``AtomicLongOperation``).
package struct AtomicLongRequest: IgniteRequest, Hashable {
    /// Which atomic long.
    public var identity: AtomicLongIdentity
    /// What to do.
    public var operation: AtomicLongOperation

    /// Creates the request.
    public init(identity: AtomicLongIdentity, operation: AtomicLongOperation) {
        self.identity = identity
        self.operation = operation
    }

    /// The operation's op code.
    public var opCode: OpCode { operation.opCode }

    /// - Throws: ``IgniteError/Code/parameter`` for an empty name.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try identity.encode(into: &writer)
        switch operation {
        case .remove, .exists, .get: break
        case .addAndGet(let value), .getAndSet(let value): writer.writeInt64(value)
        case .compareAndSet(let expected, let value), .compareAndSetAndGet(let expected, let value):
            writer.writeInt64(expected)
            writer.writeInt64(value)
        }
    }

    /// Reads the operation's result.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> AtomicLongResult {
        switch operation {
        case .remove: return .none
        case .exists, .compareAndSet: return .bool(try reader.readBool())
        default: return .value(try reader.readInt64())
        }
    }

    /// Reads a request body (server direction).
    public static func decodeBody(opCode: OpCode, from reader: inout BinaryReader) throws -> AtomicLongRequest {
        let identity = try AtomicLongIdentity.decode(from: &reader)
        let operation: AtomicLongOperation
        switch opCode {
        case .atomicLongRemove: operation = .remove
        case .atomicLongExists: operation = .exists
        case .atomicLongValueGet: operation = .get
        case .atomicLongValueAddAndGet: operation = .addAndGet(try reader.readInt64())
        case .atomicLongValueGetAndSet: operation = .getAndSet(try reader.readInt64())
        case .atomicLongValueCompareAndSet:
            operation = .compareAndSet(expected: try reader.readInt64(), value: try reader.readInt64())
        case .atomicLongValueCompareAndSetAndGet:
            operation = .compareAndSetAndGet(expected: try reader.readInt64(), value: try reader.readInt64())
        default: throw IgniteError.parse("\(opCode) is not an atomic-long value operation")
        }
        return AtomicLongRequest(identity: identity, operation: operation)
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: AtomicLongResult, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        switch response {
        case .none: break
        case .bool(let value): writer.writeBool(value)
        case .value(let value): writer.writeInt64(value)
        }
    }
}
