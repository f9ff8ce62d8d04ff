import Foundation

/// A thread-safe, in-memory store of binary type metadata, merged by type id: the ``BinarySchemaResolver``
/// that decoding uses for compact-footer objects.
///
/// The registry never performs I/O. A client fills it with the types it fetched (OP_GET_BINARY_TYPE) or registered
/// (OP_PUT_BINARY_TYPE), and uses ``unregistered(in:)`` to find what an encoding needs registered first.
package final class BinaryTypeRegistry: BinarySchemaResolver, @unchecked Sendable {
    private struct SchemaKey: Hashable {
        var typeId: Int32
        var schemaId: Int32
    }

    // Guarded by `lock` (so no dynamic exclusivity checks on top).
    private let lock = NSLock()
    @exclusivity(unchecked) private var byId: [Int32: BinaryType] = [:]
    @exclusivity(unchecked) private var schemaIndex: [SchemaKey: [Int32]] = [:]
    /// A direct-mapped cache in front of `schemaIndex` that spares hashing on the read path.
    @exclusivity(unchecked) private var recent = [RecentSchema?](repeating: nil, count: 64)

    private struct RecentSchema {
        var typeId: Int32
        var schemaId: Int32
        var fieldIds: [Int32]
    }

    private static func slot(_ typeId: Int32, _ schemaId: Int32) -> Int {
        Int(UInt32(bitPattern: typeId &* 31 &+ schemaId) >> 3 & 63)
    }

    /// The decoded-memory budget of decodes that use this registry (``BinarySchemaResolver/decodedByteLimit``): a
    /// client sets its `maximumDecodedSize` here once, before the registry is shared (it is read without the lock).
    @exclusivity(unchecked) package var decodedByteLimit: Int?

    /// Creates an empty registry.
    public init() {}

    /// Adds a type, or merges it into the type with the same id (new fields, schemas and enum constants).
    /// - Parameter type: The type.
    /// - Returns: Whether anything was added.
    /// - Throws: ``IgniteError/Code/binaryType`` if the type conflicts with the stored one in a way the server rejects
    ///   (see ``BinaryType/mergeConflict(with:)``); the registry is then unchanged.
    @discardableResult
    public func register(_ type: BinaryType) throws -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard var stored = byId[type.typeId] else {
            byId[type.typeId] = type
            index(type)
            return true
        }
        if let conflict = stored.mergeConflict(with: type) {
            throw IgniteError(.binaryType, conflict)
        }
        let before = stored
        stored.merge(type)
        guard stored != before else { return false }
        byId[type.typeId] = stored
        index(stored)
        return true
    }

    /// Registers every type of a collector.
    /// - Throws: As ``register(_:)``; types before the conflicting one stay registered.
    public func register(contentsOf collector: BinaryTypeCollector) throws {
        for type in collector.types { try register(type) }
    }

    private func index(_ type: BinaryType) {
        for schema in type.schemas {
            schemaIndex[SchemaKey(typeId: type.typeId, schemaId: schema.schemaId)] = schema.fieldIds
            recent[BinaryTypeRegistry.slot(type.typeId, schema.schemaId)] = nil
        }
    }

    /// The ordered field ids of schema `schemaId` of type `typeId`, or `nil` if unknown.
    public func schema(typeId: Int32, schemaId: Int32) -> [Int32]? {
        lock.lock()
        defer { lock.unlock() }
        let slot = BinaryTypeRegistry.slot(typeId, schemaId)
        if let hit = recent[slot], hit.typeId == typeId, hit.schemaId == schemaId { return hit.fieldIds }
        guard let ids = schemaIndex[SchemaKey(typeId: typeId, schemaId: schemaId)] else { return nil }
        recent[slot] = RecentSchema(typeId: typeId, schemaId: schemaId, fieldIds: ids)
        return ids
    }

    /// The metadata of type `typeId`, or `nil` if unknown.
    public func binaryType(typeId: Int32) -> BinaryType? {
        lock.lock()
        defer { lock.unlock() }
        return byId[typeId]
    }

    /// The types of `collector` that add something to this registry (an unknown type, schema, field or enum constant):
    /// what must be registered on the server before data using them are sent.
    public func unregistered(in collector: BinaryTypeCollector) -> [BinaryType] {
        guard !collector.isEmpty else { return [] }
        lock.lock()
        defer { lock.unlock() }
        return collector.types.filter { type in
            guard var stored = byId[type.typeId] else { return true }
            let before = stored
            stored.merge(type)
            return stored != before
        }
    }

    /// Every stored type, in no particular order.
    public var types: [BinaryType] {
        lock.lock()
        defer { lock.unlock() }
        return Array(byId.values)
    }

    /// Forgets a type (for example after the server removed it).
    public func remove(typeId: Int32) {
        lock.lock()
        defer { lock.unlock() }
        byId[typeId] = nil
        schemaIndex = schemaIndex.filter { $0.key.typeId != typeId }
        for i in recent.indices where recent[i]?.typeId == typeId { recent[i] = nil }
    }

    /// Forgets everything (for example after reconnecting to another cluster).
    public func removeAll() {
        lock.lock()
        defer { lock.unlock() }
        byId.removeAll()
        schemaIndex.removeAll()
        for i in recent.indices { recent[i] = nil }
    }
}
