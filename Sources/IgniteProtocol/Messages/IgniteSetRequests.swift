// Distributed sets, `IgniteSet` (OP 9010–9023). Layouts from the Apache server, `pc/datastructures/ClientIgniteSet*`,
// and the Java thin client `thin/ClientIgniteSetImpl`. Every request after get-or-create starts with the set's
// identity `String name, i32 cacheId, bool colocated` (ClientIgniteSetRequest: name and group are not enough, the
// cache id stands for every cache property); a set that does not exist answers status 1011 with
// "IgniteSet with name '…' does not exist." (notFoundResponse), except exists and close.

/// How a distributed set is stored (`CollectionConfiguration`): written by OP_SET_GET_OR_CREATE when creating.
///
/// Defaults are the server's (`CollectionConfiguration`): ATOMIC, PARTITIONED, no backups, not colocated, no group.
public struct CollectionConfiguration: Hashable, Sendable {
    /// ATOMIC or TRANSACTIONAL.
    public var atomicityMode: CacheAtomicityMode
    /// PARTITIONED or REPLICATED.
    public var cacheMode: CacheMode
    /// Backups of the set's cache.
    public var backups: Int32
    /// The cache group; `nil` for the default.
    public var groupName: String?
    /// Whether the whole set lives on one node (small sets) rather than spread over the cluster.
    public var colocated: Bool

    /// Creates a configuration.
    public init(atomicityMode: CacheAtomicityMode = .atomic, cacheMode: CacheMode = .partitioned, backups: Int32 = 0,
                groupName: String? = nil, colocated: Bool = false) {
        self.atomicityMode = atomicityMode
        self.cacheMode = cacheMode
        self.backups = backups
        self.groupName = groupName
        self.colocated = colocated
    }
}

/// A set's identity as the server returned it from OP_SET_GET_OR_CREATE.
public struct IgniteSetIdentity: Hashable, Sendable {
    /// The set's name.
    public var name: String
    /// The id of the cache holding the set.
    public var cacheId: Int32
    /// Whether the set is colocated.
    public var colocated: Bool

    /// Creates an identity.
    public init(name: String, cacheId: Int32, colocated: Bool) {
        self.name = name
        self.cacheId = cacheId
        self.colocated = colocated
    }

    func encode(into writer: inout BinaryWriter) {
        writer.writeStringObject(name)
        writer.writeInt32(cacheId)
        writer.writeBool(colocated)
    }

    /// Reads the identity prefix of a set request (server direction).
    package static func decode(from reader: inout BinaryReader) throws -> IgniteSetIdentity {
        IgniteSetIdentity(name: try reader.readOptionalStringObject() ?? "", cacheId: try reader.readInt32(),
                          colocated: try reader.readBool())
    }
}

/// OP_SET_GET_OR_CREATE (9010): a set by name, created with `configuration` if given and missing.
///
/// Body (`ClientIgniteSetGetOrCreateRequest`): `String name, bool create, [i8 atomicityMode, i8 cacheMode,
/// i32 backups, String groupName, bool colocated]`. Response: `bool exists, [bool colocated, i32 cacheId]`.
package struct SetGetOrCreateRequest: IgniteServerCodableRequest, Hashable {
    /// The name.
    public var name: String
    /// The configuration to create the set with; `nil` only looks it up.
    public var configuration: CollectionConfiguration?

    /// Creates the request.
    public init(name: String, configuration: CollectionConfiguration?) {
        self.name = name
        self.configuration = configuration
    }

    /// ``OpCode/setGetOrCreate``.
    public var opCode: OpCode { .setGetOrCreate }

    /// - Throws: ``IgniteError/Code/parameter`` for an empty name.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard !name.isEmpty else { throw IgniteError.parameter("a set needs a non-empty name") }
        writer.writeStringObject(name)
        guard let configuration else {
            writer.writeBool(false)
            return
        }
        writer.writeBool(true)
        writer.writeInt8(Int8(truncatingIfNeeded: configuration.atomicityMode.rawValue))
        writer.writeInt8(Int8(truncatingIfNeeded: configuration.cacheMode.rawValue))
        writer.writeInt32(configuration.backups)
        writer.writeOptionalStringObject(configuration.groupName)
        writer.writeBool(configuration.colocated)
    }

    /// - Returns: The set's identity, or `nil` if it does not exist (and no configuration was given).
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteSetIdentity? {
        guard try reader.readBool() else { return nil }
        let colocated = try reader.readBool()
        return IgniteSetIdentity(name: name, cacheId: try reader.readInt32(), colocated: colocated)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> SetGetOrCreateRequest {
        let name = try reader.readOptionalStringObject() ?? ""
        guard try reader.readBool() else { return SetGetOrCreateRequest(name: name, configuration: nil) }
        let atomicity = CacheAtomicityMode(rawValue: Int32(try reader.readInt8()))
        let mode = CacheMode(rawValue: Int32(try reader.readInt8()))
        let backups = try reader.readInt32()
        let group = try reader.readOptionalStringObject()
        let colocated = try reader.readBool()
        return SetGetOrCreateRequest(name: name, configuration: CollectionConfiguration(
            atomicityMode: atomicity, cacheMode: mode, backups: backups, groupName: group, colocated: colocated))
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: IgniteSetIdentity?, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard let response else {
            writer.writeBool(false)
            return
        }
        writer.writeBool(true)
        writer.writeBool(response.colocated)
        writer.writeInt32(response.cacheId)
    }
}

/// What a set request does after the identity.
package enum IgniteSetOperation: Hashable, Sendable {
    /// OP_SET_CLOSE (9011): removes the set. Empty response.
    case close
    /// OP_SET_EXISTS (9012): `bool`.
    case exists
    /// OP_SET_SIZE (9020): `i32`.
    case size
    /// OP_SET_CLEAR (9021): empty response.
    case clear
    /// OP_SET_VALUE_ADD (9013): `bool keepBinary, Obj` → `bool` (added).
    case add(EncodedValue)
    /// OP_SET_VALUE_REMOVE (9015): `bool keepBinary, Obj` → `bool` (removed).
    case remove(EncodedValue)
    /// OP_SET_VALUE_CONTAINS (9017): `bool keepBinary, Obj` → `bool`.
    case contains(EncodedValue)
    /// OP_SET_VALUE_ADD_ALL (9014): `bool keepBinary, i32 n, Obj × n` → `bool` (changed).
    case addAll([EncodedValue])
    /// OP_SET_VALUE_REMOVE_ALL (9016): as add-all → `bool` (changed).
    case removeAll([EncodedValue])
    /// OP_SET_VALUE_CONTAINS_ALL (9018): as add-all → `bool`.
    case containsAll([EncodedValue])
    /// OP_SET_VALUE_RETAIN_ALL (9019): as add-all → `bool` (changed). An empty list removes everything.
    case retainAll([EncodedValue])

    /// The op code.
    public var opCode: OpCode {
        switch self {
        case .close: .setClose
        case .exists: .setExists
        case .size: .setSize
        case .clear: .setClear
        case .add: .setValueAdd
        case .remove: .setValueRemove
        case .contains: .setValueContains
        case .addAll: .setValueAddAll
        case .removeAll: .setValueRemoveAll
        case .containsAll: .setValueContainsAll
        case .retainAll: .setValueRetainAll
        }
    }
}

/// The answer of an ``IgniteSetRequest``.
package enum IgniteSetResult: Hashable, Sendable {
    /// An empty response (close, clear).
    case none
    /// A `bool`.
    case bool(Bool)
    /// An `i32` (size).
    case count(Int32)

    /// The `bool`, or a parse error if the server answered something else.
    public func bool() throws -> Bool {
        guard case .bool(let value) = self else { throw IgniteError.parse("expected a bool set result, got \(self)") }
        return value
    }
}

/// OP 9011–9021: one operation on a set. Body: identity, then (value operations) `bool serverKeepBinary` and the
/// values (`ClientIgniteSetKeyRequest`, `ClientIgniteSetKeysRequest`).
package struct IgniteSetRequest: IgniteRequest, Hashable {
    /// Which set.
    public var identity: IgniteSetIdentity
    /// What to do.
    public var operation: IgniteSetOperation
    /// Whether the server keeps values in binary form (`true`, the Java client's default) rather than
    /// deserializing them into Java objects (needed only when thick clients share the set with user classes).
    public var serverKeepBinary: Bool

    /// Creates the request.
    public init(identity: IgniteSetIdentity, operation: IgniteSetOperation, serverKeepBinary: Bool = true) {
        self.identity = identity
        self.operation = operation
        self.serverKeepBinary = serverKeepBinary
    }

    /// The operation's op code.
    public var opCode: OpCode { operation.opCode }

    /// - Throws: ``IgniteError/Code/parameter`` for a null value (the Java client's `A.notNull`).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        identity.encode(into: &writer)
        switch operation {
        case .close, .exists, .size, .clear: break
        case .add(let value), .remove(let value), .contains(let value):
            guard !value.isNull else { throw IgniteError.parameter("a set value must not be null") }
            writer.writeBool(serverKeepBinary)
            writer.writeEncodedValue(value)
        case .addAll(let values), .removeAll(let values), .containsAll(let values), .retainAll(let values):
            guard !values.contains(where: \.isNull) else { throw IgniteError.parameter("a set value must not be null") }
            writer.writeBool(serverKeepBinary)
            try writer.writeEncodedValues(values, of: "set values")
        }
    }

    /// Reads the operation's result.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteSetResult {
        switch operation {
        case .close, .clear: return .none
        case .size: return .count(try reader.readInt32())
        default: return .bool(try reader.readBool())
        }
    }

    /// Reads a request body (server direction).
    public static func decodeBody(opCode: OpCode, from reader: inout BinaryReader) throws -> IgniteSetRequest {
        let identity = try IgniteSetIdentity.decode(from: &reader)
        func single() throws -> (Bool, EncodedValue) { (try reader.readBool(), try reader.readEncodedValue()) }
        func many() throws -> (Bool, [EncodedValue]) { (try reader.readBool(), try reader.readEncodedValues()) }
        switch opCode {
        case .setClose: return IgniteSetRequest(identity: identity, operation: .close)
        case .setExists: return IgniteSetRequest(identity: identity, operation: .exists)
        case .setSize: return IgniteSetRequest(identity: identity, operation: .size)
        case .setClear: return IgniteSetRequest(identity: identity, operation: .clear)
        case .setValueAdd, .setValueRemove, .setValueContains:
            let (keep, value) = try single()
            let operation: IgniteSetOperation = opCode == .setValueAdd ? .add(value) : opCode == .setValueRemove ? .remove(value) : .contains(value)
            return IgniteSetRequest(identity: identity, operation: operation, serverKeepBinary: keep)
        case .setValueAddAll, .setValueRemoveAll, .setValueContainsAll, .setValueRetainAll:
            let (keep, values) = try many()
            let operation: IgniteSetOperation
            switch opCode {
            case .setValueAddAll: operation = .addAll(values)
            case .setValueRemoveAll: operation = .removeAll(values)
            case .setValueContainsAll: operation = .containsAll(values)
            default: operation = .retainAll(values)
            }
            return IgniteSetRequest(identity: identity, operation: operation, serverKeepBinary: keep)
        default:
            throw IgniteError.parse("\(opCode) is not a set operation")
        }
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: IgniteSetResult, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        switch response {
        case .none: break
        case .bool(let value): writer.writeBool(value)
        case .count(let value): writer.writeInt32(value)
        }
    }
}

/// One page of a set iteration: `i32 n, Obj × n, bool hasMore` (`ClientIgniteSetIteratorStartRequest.writePage`).
package struct IgniteSetPage: Hashable, Sendable {
    /// The values.
    public var values: [IgniteValue]
    /// Whether the server holds more values.
    public var hasMore: Bool
    /// The iterator's resource id: on the first page when ``hasMore`` (the start response writes `i64 resId`
    /// after the page); later pages keep the id they were fetched with.
    public var resourceId: Int64?

    /// Creates a page.
    public init(values: [IgniteValue], hasMore: Bool, resourceId: Int64? = nil) {
        self.values = values
        self.hasMore = hasMore
        self.resourceId = resourceId
    }

    static func decode(from reader: inout BinaryReader) throws -> IgniteSetPage {
        let values = try reader.readValues()
        return IgniteSetPage(values: values, hasMore: try reader.readBool())
    }

    func encode(into writer: inout BinaryWriter) throws {
        try writer.writeValues(values, of: "set values")
        writer.writeBool(hasMore)
    }
}

/// OP_SET_ITERATOR_START (9022): the first page of the set's values. Body: identity, `i32 pageSize`. Response: a
/// page, then `i64 resourceId` if more pages follow (the iterator is then a resource of this connection).
package struct SetIteratorStartRequest: IgniteServerCodableRequest, Hashable {
    /// Which set.
    public var identity: IgniteSetIdentity
    /// Values per page (the Java client's default is 1024).
    public var pageSize: Int32

    /// Creates the request.
    public init(identity: IgniteSetIdentity, pageSize: Int32 = 1024) {
        self.identity = identity
        self.pageSize = pageSize
    }

    /// ``OpCode/setIteratorStart``.
    public var opCode: OpCode { .setIteratorStart }

    /// - Throws: ``IgniteError/Code/parameter`` for a page size below 1 (`ClientIgniteSetImpl.pageSize`).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard pageSize > 0 else { throw IgniteError.parameter("page size must be greater than 0") }
        identity.encode(into: &writer)
        writer.writeInt32(pageSize)
    }

    /// Reads the first page and the resource id.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteSetPage {
        var page = try IgniteSetPage.decode(from: &reader)
        if page.hasMore { page.resourceId = try reader.readInt64() }
        return page
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> SetIteratorStartRequest {
        SetIteratorStartRequest(identity: try IgniteSetIdentity.decode(from: &reader), pageSize: try reader.readInt32())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: IgniteSetPage, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try response.encode(into: &writer)
        if response.hasMore { writer.writeInt64(response.resourceId ?? 0) }
    }
}

/// OP_SET_ITERATOR_GET_PAGE (9023): the next page. Body: `i64 resourceId, i32 pageSize`. Response: a page; after
/// the last one the server has released the iterator (`ClientIgniteSetIteratorGetPageRequest`).
package struct SetIteratorGetPageRequest: IgniteServerCodableRequest, Hashable {
    /// The iterator's resource id.
    public var resourceId: Int64
    /// Values per page.
    public var pageSize: Int32

    /// Creates the request.
    public init(resourceId: Int64, pageSize: Int32) {
        self.resourceId = resourceId
        self.pageSize = pageSize
    }

    /// ``OpCode/setIteratorGetPage``.
    public var opCode: OpCode { .setIteratorGetPage }

    /// Writes `i64 resourceId, i32 pageSize`.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard pageSize > 0 else { throw IgniteError.parameter("page size must be greater than 0") }
        writer.writeInt64(resourceId)
        writer.writeInt32(pageSize)
    }

    /// Reads the page (its ``IgniteSetPage/resourceId`` is this request's).
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteSetPage {
        var page = try IgniteSetPage.decode(from: &reader)
        page.resourceId = resourceId
        return page
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> SetIteratorGetPageRequest {
        SetIteratorGetPageRequest(resourceId: try reader.readInt64(), pageSize: try reader.readInt32())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: IgniteSetPage, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try response.encode(into: &writer)
    }
}

extension IgniteSetIdentity {
    /// Where a value operation goes (`ClientIgniteSetImpl.affinityKey`): a colocated set lives with its name's hash
    /// (an `Integer`, `CollocatedSetItemKey.setNameHash`) in the set's cache; in a non-colocated set the value itself
    /// is the affinity key. Multi-value operations go where their first value goes, and the server maps the rest.
    /// `nil`: the operation of a non-colocated set has no key (close, exists, size, clear) and goes anywhere.
    package func affinityKey(of operation: IgniteSetOperation) -> EncodedValue? {
        if colocated { return EncodedValue(.int(JavaHash.cacheId(name))) }
        switch operation {
        case .add(let value), .remove(let value), .contains(let value): return value
        case .addAll(let values), .removeAll(let values), .containsAll(let values), .retainAll(let values): return values.first
        case .close, .exists, .size, .clear: return nil
        }
    }
}
