import Foundation
import IgniteProtocol

extension IgniteClient {
    /// The binary type metadata the server holds for a type (OP_GET_BINARY_TYPE).
    /// - Parameter typeId: The type id.
    /// - Returns: The type, or `nil` if the server does not know it.
    /// - Throws: ``IgniteError/Code/binaryType``.
    public func binaryType(id typeId: Int32) async throws -> BinaryType? {
        let type = try await execute(GetBinaryTypeRequest(typeId: typeId))
        if let type { _ = try? binary.registry.register(type) }
        return type
    }

    /// The binary type metadata the server holds for a type name.
    /// - Parameter typeName: The type name (its id is the lower-case Java hash of the name).
    /// - Returns: The type, or `nil`.
    /// - Throws: ``IgniteError/Code/binaryType``.
    public func binaryType(named typeName: String) async throws -> BinaryType? {
        try await binaryType(id: JavaHash.typeId(typeName))
    }

    /// Registers binary type metadata on the server (OP_PUT_BINARY_TYPE) and in the client's registry.
    /// - Parameter type: The type, with its fields and schemas.
    /// - Throws: ``IgniteError/Code/binaryType`` if the server rejects it (for example a field changing type).
    public func putBinaryType(_ type: BinaryType) async throws {
        try await execute(PutBinaryTypeRequest(binaryType: type))
        _ = try binary.registry.register(type)
    }

    /// The type known locally, else fetched from the server (pyignite's `query_binary_type`).
    /// - Parameters:
    ///   - typeId: The type id.
    ///   - schemaId: When given, a locally known type lacking this schema is fetched again.
    /// - Returns: The type, or `nil` if neither side knows it.
    /// - Throws: ``IgniteError/Code/binaryType``.
    public func queryBinaryType(id typeId: Int32, schemaId: Int32? = nil) async throws -> BinaryType? {
        if let local = binary.registry.binaryType(typeId: typeId) {
            if let schemaId, local.schema(id: schemaId) == nil { return try await binaryType(id: typeId) }
            return local
        }
        return try await binaryType(id: typeId)
    }

    /// The type known locally, else fetched from the server, by type name (pyignite's `query_binary_type` with a name).
    /// - Parameters:
    ///   - typeName: The type name (its id is the lower-case Java hash of the name).
    ///   - schemaId: When given, a locally known type lacking this schema is fetched again.
    /// - Returns: The type, or `nil` if neither side knows it.
    /// - Throws: ``IgniteError/Code/binaryType``.
    public func queryBinaryType(named typeName: String, schemaId: Int32? = nil) async throws -> BinaryType? {
        try await queryBinaryType(id: JavaHash.typeId(typeName), schemaId: schemaId)
    }

    /// Registers the binary type of a value on the server before any data of it are sent (pyignite's
    /// `register_binary_type`). Puts do this by themselves; call it to register ahead of time, or to set an
    /// affinity key field.
    /// - Parameters:
    ///   - sample: A value of the type (its fields decide the schema).
    ///   - affinityKeyField: The field that decides the partition when such objects are keys.
    /// - Throws: ``IgniteError/Code/binaryType``.
    public func registerBinaryType<T: IgniteBinaryEncodable>(of sample: T, affinityKeyField: String? = nil) async throws {
        var collector = BinaryTypeCollector()
        var writer = BinaryWriter()
        try sample.encodeIgnite(into: &writer, types: &collector)
        for var type in collector.types {
            if let affinityKeyField { type.affinityKeyFieldName = affinityKeyField }
            if affinityKeyField != nil || binary.registry.unregistered(in: single(type)).isEmpty == false {
                try await putBinaryType(type)
            }
        }
    }

    /// Registers a `Codable` object type on the server ahead of its first put (pyignite's `register_binary_type`
    /// for a class), optionally naming its affinity key field. Fields and schemas follow with the first put of a value.
    /// - Parameters:
    ///   - type: The type.
    ///   - affinityKeyField: The field that decides the partition when such objects are keys (default: the type's
    ///     ``IgniteObjectCodable/igniteAffinityKeyField``).
    /// - Throws: ``IgniteError/Code/binaryType`` if the server rejects the metadata.
    public func registerBinaryType<T: IgniteObjectCodable>(_ type: T.Type, affinityKeyField: String? = nil) async throws {
        var stub = T.igniteBinaryTypeStub
        if let affinityKeyField { stub.affinityKeyFieldName = affinityKeyField }
        try await putBinaryType(stub)
    }

    /// The binary schemas the client knows, for reading fields of ``BinaryObject``s by name:
    /// `object.field("name", as: String.self, schemas: client.binarySchemas)`.
    ///
    /// It never talks to the server. Objects the client returns (cache values, scan entries, SQL rows) come with
    /// their schemas already fetched; for an object obtained otherwise (decoded from bytes, nested in a value read as
    /// a Swift type), call ``resolveSchemas(of:)`` first.
    public var binarySchemas: any BinarySchemaResolver { binary.registry }

    /// Fetches from the cluster the schemas the client lacks for the compact-footer objects in a value, searching
    /// fields, arrays, collections and maps (OP_GET_BINARY_TYPE, once per missing type). Afterwards
    /// ``binarySchemas`` reads their fields by name. Does nothing when every schema is known.
    /// - Parameter value: The value.
    /// - Throws: ``IgniteError/Code/binaryType`` if the cluster does not answer.
    public func resolveSchemas(of value: IgniteValue) async throws {
        switch value {
        case .object, .objectArray, .collection, .map:
            try await binary.resolveSchemas(in: value) { typeId in try await execute(GetBinaryTypeRequest(typeId: typeId)) }
        default:
            return
        }
    }

    /// Fetches from the cluster the schemas the client lacks for an object and the objects in its fields
    /// (see ``resolveSchemas(of:)``).
    /// - Parameter object: The object.
    /// - Throws: ``IgniteError/Code/binaryType`` if the cluster does not answer.
    public func resolveSchemas(of object: BinaryObject) async throws {
        try await resolveSchemas(of: .object(object))
    }

    private func single(_ type: BinaryType) -> BinaryTypeCollector {
        var collector = BinaryTypeCollector()
        collector.record(type)
        return collector
    }

    // MARK: Internal

    /// Registers every type of an encoding that the registry does not know yet (3003), before the data go out.
    func registerTypes(_ collector: BinaryTypeCollector) async throws {
        try await binary.ensureRegistered(collector) { type in
            try await execute(PutBinaryTypeRequest(binaryType: type))
        }
    }

    /// Registers the types of an encoding that the registry does not know yet (3003), then the class names of the
    /// objects the server deserializes into Java classes (3001, once per type id), before the data go out.
    func registerTypes(_ collector: BinaryTypeCollector, classNames: BinaryTypeCollector) async throws {
        if !collector.isEmpty { try await registerTypes(collector) }
        try await binary.ensureClassNamesRegistered(classNames) { request in try await execute(request) }
    }

    /// Decodes a value as `T` with the binary types known now; ``IgniteError/Code/binaryType`` when one is missing.
    func decodeWithKnownTypes<T: IgniteBinaryDecodable>(_ value: IgniteValue, as type: T.Type) throws -> T {
        try binary.decodeWithKnownTypes(value, as: type)
    }

    /// Decodes a value as `T`, fetching missing compact-footer schemas (3002) off the read path. A value kept as
    /// ``BinaryObject`` or ``IgniteValue`` gets its schemas fetched too, so that its fields can be read by name.
    func decode<T: IgniteBinaryDecodable>(_ value: IgniteValue, as type: T.Type) async throws -> T {
        if T.self == BinaryObject.self || T.self == IgniteValue.self { try await resolveSchemas(of: value) }
        return try await binary.decode(value, as: type) { typeId in try await execute(GetBinaryTypeRequest(typeId: typeId)) }
    }

    /// Decodes one of several values of one response as `T`, all within one decoded-size budget (`budget`, created
    /// at the first value that holds complex objects): the objects stay lazy in the response, and a reply whose
    /// entries are handles to one large object must not get a fresh budget for each copy its decodes build.
    func decode<T: IgniteBinaryDecodable>(_ value: IgniteValue, as type: T.Type,
                                          sharing budget: inout SharedDecodingBudget?) async throws -> T {
        switch value {
        case .object, .objectArray, .collection, .map:
            guard T.self != BinaryObject.self, T.self != IgniteValue.self else { return try await decode(value, as: type) }
        default:
            return try await decode(value, as: type)
        }
        let shared: SharedDecodingBudget
        if let budget {
            shared = budget
        } else {
            guard let limit = binary.registry.decodedByteLimit ?? SharedDecodingBudget.defaultLimit(for: value) else {
                return try await decode(value, as: type)  // no complex object where one would be: nothing lazy to share
            }
            shared = SharedDecodingBudget(schemas: binary.registry, decodedByteLimit: limit)
            budget = shared
        }
        do {
            return try T(igniteValue: value, schemas: shared)
        } catch let error as IgniteError where error.code == .binaryType {
            try await resolveSchemas(of: value)  // fetch the missing schemas, then decode within the shared budget again
        }
        do {
            return try T(igniteValue: value, schemas: shared)
        } catch let error as IgniteError where error.code == .binaryType {
            return try await decode(value, as: type)  // types only found after fetching: the usual rounds
        }
    }
}
