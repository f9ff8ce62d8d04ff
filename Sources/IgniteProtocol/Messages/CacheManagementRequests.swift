// Creating, listing, configuring and destroying caches (OP 1050–1056, PROTOCOL-FACTS §5.3).

/// OP_CACHE_GET_NAMES (1050): the names of all caches. Response: `i32 n, String × n`.
package struct CacheGetNamesRequest: IgniteServerCodableRequest, Hashable {
    /// Creates the request.
    public init() {}

    /// ``OpCode/cacheGetNames``.
    public var opCode: OpCode { .cacheGetNames }

    /// Writes the request body (layout in the type description).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {}

    /// - Returns: The cache names.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> [String] {
        try reader.readStrings()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetNamesRequest {
        CacheGetNamesRequest()
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: [String], into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeCount(response.count, of: "cache names")
        for name in response { writer.writeStringObject(name) }
    }
}

/// A request whose body is one cache name (`String`): OP_CACHE_CREATE_WITH_NAME and OP_CACHE_GET_OR_CREATE_WITH_NAME.
package struct CacheNameRequest<Op: IgniteOperationMarker>: IgniteServerCodableRequest, Hashable {
    /// The cache name (a name containing `*` selects a template).
    public var name: String

    /// Creates the request.
    /// - Parameter name: The cache name.
    public init(name: String) { self.name = name }

    /// The operation's op code.
    public var opCode: OpCode { Op.opCode }

    /// Writes `String name`.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeStringObject(name)
    }

    /// Reads the operation's response.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Op.Response {
        try Op.decodeResponse(from: &reader)
    }

    /// Reads the body (server direction); a null name decodes as the empty name (the server rejects both alike).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheNameRequest {
        CacheNameRequest(name: try reader.readOptionalStringObject() ?? "")
    }

    /// Writes the operation's response (server direction).
    public func encodeResponse(_ response: Op.Response, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try Op.encodeResponse(response, into: &writer)
    }
}

extension CacheNameRequest: IgniteEmptyResponseRequest where Op.Response == Void {}

/// A request whose body is a cache configuration as a property list: OP_CACHE_CREATE_WITH_CONFIGURATION and
/// OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION. Body: `i32 byteLen, i16 n, (i16 code, value) × n`.
package struct CacheConfigurationCreateRequest<Op: IgniteOperationMarker>: IgniteServerCodableRequest, Hashable {
    /// The configuration; ``CacheConfiguration/name`` is required.
    public var configuration: CacheConfiguration

    /// Creates the request.
    /// - Parameter configuration: The configuration (with a name).
    public init(configuration: CacheConfiguration) { self.configuration = configuration }

    /// The operation's op code.
    public var opCode: OpCode { Op.opCode }

    /// Writes the property list.
    /// - Throws: ``IgniteError/Code/parameter`` without a name; see ``CacheConfiguration/encodeProperties(into:context:)``.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try configuration.requireName()
        try configuration.encodeProperties(into: &writer, context: context)
    }

    /// Reads the operation's response.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Op.Response {
        try Op.decodeResponse(from: &reader)
    }

    /// Reads the body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheConfigurationCreateRequest {
        CacheConfigurationCreateRequest(configuration: try CacheConfiguration.decodeProperties(from: &reader, context: context))
    }

    /// Writes the operation's response (server direction).
    public func encodeResponse(_ response: Op.Response, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try Op.encodeResponse(response, into: &writer)
    }
}

extension CacheConfigurationCreateRequest: IgniteEmptyResponseRequest where Op.Response == Void {}

/// OP_CACHE_CREATE_WITH_NAME (1051): creates a cache from the server's template for the name.
/// Fails with status 1001 if the cache exists. Response: empty.
package typealias CacheCreateWithNameRequest = CacheNameRequest<IgniteOps.CacheCreateWithName>

/// OP_CACHE_GET_OR_CREATE_WITH_NAME (1052): creates a cache unless it exists. Response: empty.
package typealias CacheGetOrCreateWithNameRequest = CacheNameRequest<IgniteOps.CacheGetOrCreateWithName>

/// OP_CACHE_CREATE_WITH_CONFIGURATION (1053): creates a cache with a configuration (property list).
/// Fails with status 1001 if the cache exists. Response: empty.
package typealias CacheCreateWithConfigurationRequest = CacheConfigurationCreateRequest<IgniteOps.CacheCreateWithConfiguration>

/// OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION (1054): creates a cache with a configuration unless it exists
/// (an existing cache keeps its configuration). Response: empty.
package typealias CacheGetOrCreateWithConfigurationRequest = CacheConfigurationCreateRequest<IgniteOps.CacheGetOrCreateWithConfiguration>

/// OP_CACHE_GET_CONFIGURATION (1055): the configuration of a cache.
/// Body: `i32 cacheId, i8 flags` (no transaction id). Response: the fixed-order record.
package struct CacheGetConfigurationRequest: IgniteServerCodableRequest, Hashable {
    /// The cache id.
    public var cacheId: Int32
    /// Whether to set the KEEP_BINARY flag.
    public var keepBinary: Bool

    /// Creates the request.
    public init(cacheId: Int32, keepBinary: Bool = false) {
        self.cacheId = cacheId
        self.keepBinary = keepBinary
    }

    /// ``OpCode/cacheGetConfiguration``.
    public var opCode: OpCode { .cacheGetConfiguration }

    /// Writes `i32 cacheId, i8 flags`.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try CacheInfo(cacheId: cacheId, keepBinary: keepBinary).encode(into: &writer, context: context)
    }

    /// - Returns: The configuration with every property the negotiated version reports.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheConfiguration {
        try CacheConfiguration.decodeRecord(from: &reader, context: context)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheGetConfigurationRequest {
        let info = try CacheInfo.decode(from: &reader, hasTransactionId: false)
        return CacheGetConfigurationRequest(cacheId: info.cacheId, keepBinary: info.keepBinary)
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: CacheConfiguration, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try response.encodeRecord(into: &writer, context: context)
    }
}

/// OP_CACHE_DESTROY (1056): destroys a cache. Body: `i32 cacheId` only (no flags). Response: empty.
package struct CacheDestroyRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The cache id.
    public var cacheId: Int32

    /// Creates the request.
    public init(cacheId: Int32) { self.cacheId = cacheId }

    /// ``OpCode/cacheDestroy``.
    public var opCode: OpCode { .cacheDestroy }

    /// Writes the request body (layout in the type description).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt32(cacheId)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheDestroyRequest {
        CacheDestroyRequest(cacheId: try reader.readInt32())
    }
}

extension CacheConfiguration {
    func requireName() throws {
        guard let name, !name.isEmpty else {
            throw IgniteError.parameter("a cache configuration needs a non-empty name")
        }
    }
}
