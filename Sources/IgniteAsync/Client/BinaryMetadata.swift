import IgniteProtocol

// PROVISIONAL CLIENT POLICY: register-before-put and decode → fetch missing types → decode again live here until
// the shared engine's type-resolution machine is available.

/// Binary type metadata known to the client: types registered with the server and schemas fetched from it.
///
/// Decoding never performs I/O: a missing compact-footer schema surfaces as a ``IgniteError/Code/binaryType``
/// error, and ``decode(_:as:fetch:)`` then fetches the missing types (3002) in the calling task, after the response
/// was delivered, and decodes again.
final class BinaryMetadata: Sendable {
    let registry = BinaryTypeRegistry()

    /// Registers on the server every type of `collector` that the registry does not know yet.
    func ensureRegistered(_ collector: BinaryTypeCollector, put: (BinaryType) async throws -> Void) async throws {
        guard !collector.isEmpty else { return }
        for var type in registry.unregistered(in: collector) {
            if type.affinityKeyFieldName == nil, let known = registry.binaryType(typeId: type.typeId)?.affinityKeyFieldName {
                type.affinityKeyFieldName = known
            }
            try await put(type)
            _ = try registry.register(type)
        }
    }

    /// Decodes `value` as `T`, fetching missing schemas from the server when decoding needs them.
    func decode<T: IgniteBinaryDecodable>(_ value: IgniteValue, as type: T.Type,
                                          fetch: (Int32) async throws -> BinaryType?) async throws -> T {
        var attempts = 0
        while true {
            do {
                return try T(igniteValue: value, schemas: registry)
            } catch let error as IgniteError where error.code == .binaryType && attempts < 8 {
                attempts += 1
                var missing: Set<Int32> = []
                collectMissing(in: value, into: &missing, depth: 0)
                guard !missing.isEmpty else { throw error }
                var fetchedAny = false
                for typeId in missing.sorted() {
                    if let fetched = try await fetch(typeId) {
                        _ = try? registry.register(fetched)
                        fetchedAny = true
                    }
                }
                guard fetchedAny else { throw error }
            }
        }
    }

    /// Fetches any missing schema of the objects inside `value` (for callers that keep values as ``IgniteValue``).
    func resolveSchemas(in value: IgniteValue, fetch: (Int32) async throws -> BinaryType?) async throws {
        var missing: Set<Int32> = []
        collectMissing(in: value, into: &missing, depth: 0)
        for typeId in missing.sorted() {
            if let fetched = try await fetch(typeId) { _ = try? registry.register(fetched) }
        }
    }

    /// Type ids of compact-footer objects whose schema the registry lacks, searched through containers and fields.
    private func collectMissing(in value: IgniteValue, into missing: inout Set<Int32>, depth: Int) {
        guard depth < 32 else { return }
        switch value {
        case .object(let object):
            if object.hasCompactFooter, object.fieldCount > 0,
               registry.schema(typeId: object.typeId, schemaId: object.schemaId) == nil {
                missing.insert(object.typeId)
            }
            for index in 0..<object.fieldCount {
                if let field = try? object.value(atFieldIndex: index) {
                    collectMissing(in: field, into: &missing, depth: depth + 1)
                }
            }
        case .objectArray(let array):
            for element in array.elements { collectMissing(in: element, into: &missing, depth: depth + 1) }
        case .collection(let collection):
            for element in collection.elements { collectMissing(in: element, into: &missing, depth: depth + 1) }
        case .map(let map):
            for entry in map.entries {
                collectMissing(in: entry.key, into: &missing, depth: depth + 1)
                collectMissing(in: entry.value, into: &missing, depth: depth + 1)
            }
        default:
            break
        }
    }
}
