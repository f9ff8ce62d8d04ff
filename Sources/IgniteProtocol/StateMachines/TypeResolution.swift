import Foundation

/// Binary-type resolution as pure steps: decoding never performs I/O, and encoding never sends data before the
/// types it uses are registered.
///
/// * Encode: ``typesToRegister(_:registry:)`` returns the types a value's encoding used that the registry does not
///   know: the driver registers each with the server (OP_PUT_BINARY_TYPE) and records it with
///   ``registered(_:registry:)`` before it sends the data.
/// * Decode: a ``Decoding`` answers ``Decoding/Step/value(_:)`` or ``Decoding/Step/needsTypes(_:)``: the driver fetches
///   those types (OP_GET_BINARY_TYPE), off the read path (after the response was read), reports them with
///   ``Decoding/typesFetched(_:registry:)``, and steps again. Bounded: after ``Decoding/maximumRounds`` rounds, or
///   when a round fetched nothing, the decode error surfaces.
/// * Class names: an object the server deserializes into a Java class (an entry processor and its arguments, compute
///   arguments, service arguments without keepBinary) needs the server's marshaller mapping type id → class name
///   for platform Java. ``classNamesToRegister(_:registry:)``
///   returns the mappings a client has not registered yet: the driver sends each (OP_REGISTER_BINARY_TYPE_NAME,
///   platform Java, as Java's thin client does before it first marshals a class) and records an accepted one with
///   ``classNameRegistered(_:accepted:registry:)``.
package enum TypeResolution {
    /// Whether the client must ask the server's binary configuration (OP_BINARY_CONFIGURATION_GET) to choose the
    /// compact-footer setting: only when none is configured and the server negotiated the feature.
    /// - Parameters:
    ///   - configured: The configured setting, if any.
    ///   - context: A connection's negotiated protocol.
    /// - Returns: `true` to ask.
    package static func needsServerCompactFooter(configured: Bool?, context: ProtocolContext) -> Bool {
        configured == nil && context.has(.binaryConfiguration)
    }

    /// The compact-footer setting: the configured value, else the server's binary configuration, else `true` (the
    /// servers' default).
    /// - Parameters:
    ///   - configured: The configured setting, if any.
    ///   - server: The server's answer, if it was asked and answered.
    /// - Returns: Whether complex objects the client writes use a compact footer.
    package static func compactFooter(configured: Bool?, server: Bool?) -> Bool {
        configured ?? server ?? true
    }

    /// The types of `collector` that must be registered with the server before data using them are sent.
    ///
    /// An affinity key field registered ahead of time (for example by `registerBinaryType`) is kept on the type.
    /// - Parameters:
    ///   - collector: The types an encoding used.
    ///   - registry: The types known to be registered.
    /// - Returns: The types to register, in the collector's order.
    package static func typesToRegister(_ collector: BinaryTypeCollector, registry: BinaryTypeRegistry) -> [BinaryType] {
        guard !collector.isEmpty else { return [] }
        return registry.unregistered(in: collector).map { type in
            var type = type
            if type.affinityKeyFieldName == nil, let known = registry.binaryType(typeId: type.typeId)?.affinityKeyFieldName {
                type.affinityKeyFieldName = known
            }
            return type
        }
    }

    /// Records a type the server accepted.
    /// - Parameters:
    ///   - type: The type.
    ///   - registry: The registry.
    /// - Throws: ``IgniteError/Code/binaryType`` if it conflicts with a known type.
    package static func registered(_ type: BinaryType, registry: BinaryTypeRegistry) throws {
        _ = try registry.register(type)
    }

    /// The class-name mappings of `collector`'s types that the client has not registered with the server yet, one per
    /// type id (platform Java; the type name is the class name).
    /// - Parameters:
    ///   - collector: The types of objects the server deserializes into classes.
    ///   - registry: The mappings this client registered.
    /// - Returns: The OP_REGISTER_BINARY_TYPE_NAME requests to send, in the collector's order.
    package static func classNamesToRegister(_ collector: BinaryTypeCollector, registry: ClassNameRegistry) -> [RegisterBinaryTypeNameRequest] {
        guard !collector.isEmpty else { return [] }
        return collector.types.compactMap { type in
            guard !type.typeName.isEmpty, !registry.isRegistered(typeId: type.typeId, name: type.typeName) else { return nil }
            return RegisterBinaryTypeNameRequest(platform: .java, typeId: type.typeId, typeName: type.typeName)
        }
    }

    /// Records the server's answer to a class-name registration. An accepted mapping is not sent again; a refused one
    /// (`false`: the cluster could not exchange it, for example while stopping) is tried again next time, as Java's
    /// thin client does.
    /// - Parameters:
    ///   - request: The registration sent.
    ///   - accepted: The server's answer.
    ///   - registry: The mappings this client registered.
    package static func classNameRegistered(_ request: RegisterBinaryTypeNameRequest, accepted: Bool, registry: ClassNameRegistry) {
        if accepted { registry.record(typeId: request.typeId, name: request.typeName) }
    }

    /// Type ids of compact-footer objects inside `value` whose schema the registry lacks (through containers,
    /// fields and handles), sorted: a linear search of the value's bytes that visits each object once
    /// (``IgniteValue/typeIdsMissingSchemas(in:)``).
    /// - Parameters:
    ///   - value: A decoded value.
    ///   - registry: The known types.
    /// - Returns: The type ids to fetch.
    package static func missingTypes(in value: IgniteValue, registry: BinaryTypeRegistry) -> [Int32] {
        value.typeIdsMissingSchemas(in: registry).sorted()
    }

    /// Decoding one value as `T`, resolving missing schemas in rounds.
    package struct Decoding<T: IgniteBinaryDecodable>: Sendable {
        /// One step's outcome.
        package enum Step {
            /// Decoded.
            case value(T)
            /// Fetch these types, report them with ``typesFetched(_:registry:)``, and step again.
            case needsTypes([Int32])
        }

        /// The most fetch rounds before the decode error surfaces.
        package static var maximumRounds: Int { 8 }

        /// The value being decoded.
        package let value: IgniteValue
        private var rounds = 0
        private var lastError: IgniteError?

        /// Starts decoding a value.
        /// - Parameter value: The value read from a response.
        package init(_ value: IgniteValue) {
            self.value = value
        }

        /// Tries to decode with the types known now.
        /// - Parameter registry: The known types.
        /// - Returns: The value, or the types to fetch first.
        /// - Throws: The decode error when it is not about missing types, when no type is missing, or when the rounds
        ///   are used up.
        package mutating func step(registry: BinaryTypeRegistry) throws -> Step {
            do {
                return .value(try T(igniteValue: value, schemas: registry))
            } catch let error as IgniteError where error.code == .binaryType && rounds < Self.maximumRounds {
                let missing = TypeResolution.missingTypes(in: value, registry: registry)
                guard !missing.isEmpty else { throw error }
                rounds += 1
                lastError = error
                return .needsTypes(missing)
            }
        }

        /// Reports the fetched types (`nil` for a type the server does not know).
        /// - Parameters:
        ///   - types: What the server returned, one per requested id.
        ///   - registry: The registry to record them in.
        /// - Throws: The last decode error if nothing was fetched (stepping again could not succeed).
        package mutating func typesFetched(_ types: [BinaryType?], registry: BinaryTypeRegistry) throws {
            var any = false
            for case let type? in types {
                _ = try? registry.register(type)
                any = true
            }
            if !any, let lastError { throw lastError }
        }
    }
}

/// The class-name mappings (platform Java, type id → class name) one client registered with the server
/// (OP_REGISTER_BINARY_TYPE_NAME), so that each is sent once per client. Thread-safe.
package final class ClassNameRegistry: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [Int32: String] = [:]

    /// Creates an empty registry.
    package init() {}

    /// Whether `name` was registered for `typeId`.
    package func isRegistered(typeId: Int32, name: String) -> Bool {
        lock.withLock { names[typeId] == name }
    }

    /// Records an accepted registration.
    package func record(typeId: Int32, name: String) {
        lock.withLock { names[typeId] = name }
    }
}
