// Binary type names and the binary configuration (OP 3000, 3001, 3004; PROTOCOL-FACTS §5.6).

/// The platform a type-name registration belongs to (i8). JAVA and DOTNET names are kept apart by the server.
package enum BinaryPlatform: Int8, Hashable, Sendable {
    /// Java (0).
    case java = 0
    /// .NET (1).
    case dotNet = 1
}

/// OP_GET_BINARY_TYPE_NAME (3000): the class name registered for a type id on a platform.
/// Body: `i8 platform, i32 typeId`. Response: `String` name.
package struct GetBinaryTypeNameRequest: IgniteServerCodableRequest, Hashable {
    /// The platform.
    public var platform: BinaryPlatform
    /// The type id.
    public var typeId: Int32

    /// Creates the request.
    public init(platform: BinaryPlatform = .java, typeId: Int32) {
        self.platform = platform
        self.typeId = typeId
    }

    /// ``OpCode/getBinaryTypeName``.
    public var opCode: OpCode { .getBinaryTypeName }

    /// Writes the request body (layout in the type description).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt8(platform.rawValue)
        writer.writeInt32(typeId)
    }

    /// - Returns: The registered name (`nil` if the server answers null).
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> String? {
        try reader.readOptionalStringObject()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> GetBinaryTypeNameRequest {
        let raw = try reader.readInt8()
        guard let platform = BinaryPlatform(rawValue: raw) else { throw IgniteError.parse("unknown platform id \(raw)") }
        return GetBinaryTypeNameRequest(platform: platform, typeId: try reader.readInt32())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: String?, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeOptionalStringObject(response)
    }
}

/// OP_REGISTER_BINARY_TYPE_NAME (3001): registers the class name of a type id on a platform.
/// Body: `i8 platform, i32 typeId, String name`. Response: `bool` (registered).
package struct RegisterBinaryTypeNameRequest: IgniteServerCodableRequest, Hashable {
    /// The platform.
    public var platform: BinaryPlatform
    /// The type id.
    public var typeId: Int32
    /// The class name.
    public var typeName: String

    /// Creates the request.
    public init(platform: BinaryPlatform = .java, typeId: Int32, typeName: String) {
        self.platform = platform
        self.typeId = typeId
        self.typeName = typeName
    }

    /// ``OpCode/registerBinaryTypeName``.
    public var opCode: OpCode { .registerBinaryTypeName }

    /// Writes the request body (layout in the type description).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt8(platform.rawValue)
        writer.writeInt32(typeId)
        writer.writeStringObject(typeName)
    }

    /// - Returns: Whether the name was registered.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Bool {
        try reader.readBool()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> RegisterBinaryTypeNameRequest {
        let raw = try reader.readInt8()
        guard let platform = BinaryPlatform(rawValue: raw) else { throw IgniteError.parse("unknown platform id \(raw)") }
        let typeId = try reader.readInt32()
        return RegisterBinaryTypeNameRequest(platform: platform, typeId: typeId, typeName: try reader.readStringObject())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: Bool, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response)
    }
}

/// How the server maps type and field names to ids (i8).
package struct BinaryNameMapperMode: RawRepresentable, Hashable, Sendable {
    /// The wire value.
    public let rawValue: Int8
    /// Creates a mode from its wire value.
    public init(rawValue: Int8) { self.rawValue = rawValue }
    /// BASIC_FULL (0): full class names, lower-case hash ids (the default, what this client assumes).
    public static let basicFull = BinaryNameMapperMode(rawValue: 0)
    /// BASIC_SIMPLE (1): simple class names.
    public static let basicSimple = BinaryNameMapperMode(rawValue: 1)
    /// CUSTOM (2): a custom mapper the client cannot reproduce.
    public static let custom = BinaryNameMapperMode(rawValue: 2)
}

/// The server's binary configuration.
package struct BinaryConfiguration: Hashable, Sendable {
    /// Whether objects use compact footers.
    public var compactFooter: Bool
    /// The name mapper.
    public var nameMapperMode: BinaryNameMapperMode

    /// Creates the value.
    public init(compactFooter: Bool = true, nameMapperMode: BinaryNameMapperMode = .basicFull) {
        self.compactFooter = compactFooter
        self.nameMapperMode = nameMapperMode
    }
}

/// OP_BINARY_CONFIGURATION_GET (3004): the server's binary configuration. Empty body; needs feature bit 8.
/// Response: `bool compactFooter, i8 nameMapperMode`.
package struct BinaryConfigurationGetRequest: IgniteServerCodableRequest, Hashable {
    /// Creates the request.
    public init() {}

    /// ``OpCode/binaryConfigurationGet``.
    public var opCode: OpCode { .binaryConfigurationGet }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 8.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.binaryConfiguration, for: "OP_BINARY_CONFIGURATION_GET")
    }

    /// - Returns: The configuration.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> BinaryConfiguration {
        let compactFooter = try reader.readBool()
        return BinaryConfiguration(compactFooter: compactFooter, nameMapperMode: BinaryNameMapperMode(rawValue: try reader.readInt8()))
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> BinaryConfigurationGetRequest {
        BinaryConfigurationGetRequest()
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: BinaryConfiguration, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeBool(response.compactFooter)
        writer.writeInt8(response.nameMapperMode.rawValue)
    }
}
