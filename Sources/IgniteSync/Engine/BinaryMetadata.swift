import IgniteProtocol

/// Binary type metadata known to the client: types registered with the server and schemas fetched from it.
///
/// Encoding collects the types a value uses; ``ensureRegistered(_:put:)`` registers the unknown ones (3003)
/// before the data are sent. Decoding never performs I/O: a missing compact-footer schema surfaces as a
/// ``IgniteError/Code/binaryType`` error, and ``decode(_:as:fetch:)`` then fetches the missing types (3002) on the
/// caller's thread, after the response was read, and decodes again.
final class BinaryMetadata: @unchecked Sendable {
    let compactFooterSetting: Bool?
    let registry = BinaryTypeRegistry()
    private let mutex = PThreadMutex()

    init(compactFooter: Bool?) {
        compactFooterSetting = compactFooter
    }

    /// Registers on the server every type of `collector` that the registry does not know yet.
    func ensureRegistered(_ collector: BinaryTypeCollector, put: (BinaryType) throws -> Void) throws {
        guard !collector.isEmpty else { return }
        for var type in registry.unregistered(in: collector) {
            // An affinity key field registered ahead of time (IgniteClient.registerBinaryType) stays.
            if type.affinityKeyFieldName == nil, let known = registry.binaryType(typeId: type.typeId)?.affinityKeyFieldName {
                type.affinityKeyFieldName = known
            }
            try put(type)
            _ = try registry.register(type)
        }
    }

    /// Decodes `value` as `T`, fetching missing schemas from the server when decoding needs them.
    func decode<T: IgniteBinaryDecodable>(_ value: IgniteValue, as type: T.Type,
                                          fetch: (Int32) throws -> BinaryType?) throws -> T {
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
                    if let fetched = try fetch(typeId) {
                        _ = try? registry.register(fetched)
                        fetchedAny = true
                    }
                }
                guard fetchedAny else { throw error }
            }
        }
    }

    /// Fetches any missing schema of the objects inside `value` (for callers that keep values as ``IgniteValue``).
    func resolveSchemas(in value: IgniteValue, fetch: (Int32) throws -> BinaryType?) throws {
        var missing: Set<Int32> = []
        collectMissing(in: value, into: &missing, depth: 0)
        for typeId in missing.sorted() {
            if let fetched = try fetch(typeId) { _ = try? registry.register(fetched) }
        }
    }

    /// Type ids of compact-footer objects whose schema the registry lacks, searched through containers, fields and
    /// handles in time linear in the value's bytes (see ``IgniteValue/typeIdsMissingSchemas(in:)``).
    private func collectMissing(in value: IgniteValue, into missing: inout Set<Int32>, depth: Int) {
        missing.formUnion(value.typeIdsMissingSchemas(in: registry))
    }
}
