import IgniteProtocol

/// Binary type metadata known to the client, and the async driver of the shared ``TypeResolution``.
///
/// The rules (what to register before a put, which types a decode still needs, when to give up) are
/// ``TypeResolution``'s; this class only performs the round trips it asks for, in the calling task, after the
/// response was delivered (decoding itself never performs I/O, and never runs on the loop thread).
final class BinaryMetadata: Sendable {
    let registry = BinaryTypeRegistry()
    /// The class-name mappings this client registered (OP_REGISTER_BINARY_TYPE_NAME).
    let classNames = ClassNameRegistry()

    /// Registers on the server every type of `collector` that the registry does not know yet.
    func ensureRegistered(_ collector: BinaryTypeCollector, put: (BinaryType) async throws -> Void) async throws {
        for type in TypeResolution.typesToRegister(collector, registry: registry) {
            try await put(type)
            try TypeResolution.registered(type, registry: registry)
        }
    }

    /// Registers on the server the class-name mapping (platform Java) of every type of `collector` that this client
    /// has not registered yet: the types of objects the server deserializes into classes (an entry processor and
    /// its arguments, compute arguments, service arguments without keepBinary).
    /// - Parameters:
    ///   - collector: The types.
    ///   - register: Sends OP_REGISTER_BINARY_TYPE_NAME and returns the server's answer.
    func ensureClassNamesRegistered(_ collector: BinaryTypeCollector,
                                    register: (RegisterBinaryTypeNameRequest) async throws -> Bool) async throws {
        for request in TypeResolution.classNamesToRegister(collector, registry: classNames) {
            TypeResolution.classNameRegistered(request, accepted: try await register(request), registry: classNames)
        }
    }

    /// Decodes `value` as `T`, fetching the types the decode step asks for.
    func decode<T: IgniteBinaryDecodable>(_ value: IgniteValue, as type: T.Type,
                                          fetch: (Int32) async throws -> BinaryType?) async throws -> T {
        // The common case first, without the machine (its generic type's metadata costs more than a small value's
        // decode): the decode needs no type it lacks. Otherwise the machine's first step tries it again and asks.
        do {
            return try T(igniteValue: value, schemas: registry)
        } catch let error as IgniteError where error.code == .binaryType {}
        return try await decodeFetchingTypes(value, as: type, fetch: fetch)
    }

    /// Decodes with the types the registry has; ``IgniteError/Code/binaryType`` when one is missing.
    func decodeWithKnownTypes<T: IgniteBinaryDecodable>(_ value: IgniteValue, as type: T.Type) throws -> T {
        try T(igniteValue: value, schemas: registry)
    }

    /// ``decode(_:as:fetch:)`` when the value uses a binary type the registry lacks: the machine asks for it.
    /// A function of its own, so that the common case carries no local of the machine's generic type (its metadata
    /// was looked up on every call, about 330 instructions per get, even when the machine did not run).
    @inline(never)
    private func decodeFetchingTypes<T: IgniteBinaryDecodable>(_ value: IgniteValue, as type: T.Type,
                                                               fetch: (Int32) async throws -> BinaryType?) async throws -> T {
        var decoding = TypeResolution.Decoding<T>(value)
        while true {
            switch try decoding.step(registry: registry) {
            case .value(let decoded): return decoded
            case .needsTypes(let ids):
                var fetched: [BinaryType?] = []
                for id in ids { fetched.append(try await fetch(id)) }
                try decoding.typesFetched(fetched, registry: registry)
            }
        }
    }

    /// Fetches any missing schema of the objects inside `value` (for callers that keep values as ``IgniteValue``).
    func resolveSchemas(in value: IgniteValue, fetch: (Int32) async throws -> BinaryType?) async throws {
        for typeId in TypeResolution.missingTypes(in: value, registry: registry) {
            if let fetched = try await fetch(typeId) { _ = try? registry.register(fetched) }
        }
    }
}
