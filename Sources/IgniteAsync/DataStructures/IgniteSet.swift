import Foundation
import IgniteProtocol

/// A distributed set (`IgniteSet`, OP 9010–9023): unique values held by the cluster, shared by every client.
///
/// An `AsyncSequence` of its values, read page by page from one connection:
///
/// ```swift
/// let tags = try await client.set("tags", of: String.self)
/// try await tags.add("swift")
/// for try await tag in tags { print(tag) }
/// ```
///
/// Leaving the loop early (or cancelling the task) releases the server's iterator.
public struct IgniteSet<Element: IgniteBinaryCodable & Sendable>: AsyncSequence, Sendable {
    /// The client.
    public let client: IgniteClient
    /// The set's identity as the server reported it.
    public let identity: IgniteSetIdentity
    /// Values per page when iterating (the Java client's default, 1024).
    public var pageSize: Int32 = 1024
    /// Whether the server keeps values binary (`true`, default) or deserializes them into Java objects.
    public var serverKeepBinary = true

    init(client: IgniteClient, identity: IgniteSetIdentity) {
        self.client = client
        self.identity = identity
    }

    /// The set's name.
    public var name: String { identity.name }
    /// Whether the set lives on one node.
    public var isColocated: Bool { identity.colocated }

    /// Sends one operation; with partition awareness a value operation goes to the node owning its affinity key in the
    /// set's cache (``IgniteSetIdentity/affinityKey(of:)``), as the Java client routes it.
    private func run(_ operation: IgniteSetOperation) async throws -> IgniteSetResult {
        let request = IgniteSetRequest(identity: identity, operation: operation, serverKeepBinary: serverKeepBinary)
        guard let key = identity.affinityKey(of: operation) else { return try await client.execute(request) }
        let route = try await client.route(cacheId: identity.cacheId, expiryPolicy: nil, transaction: nil, key: key)
        return try await client.execute(request, route: route)
    }

    private func encode<S: Sequence>(_ values: S) async throws -> [EncodedValue] where S.Element == Element {
        var types = BinaryTypeCollector()
        let encoded = try values.map { try EncodedValue($0, types: &types) }
        if !types.isEmpty { try await client.registerTypes(types) }
        return encoded
    }

    private func encode(_ value: Element) async throws -> EncodedValue { try await encode([value])[0] }

    /// Adds a value (OP_SET_VALUE_ADD). - Returns: `true` if the set did not hold it.
    @discardableResult
    public func add(_ value: Element) async throws -> Bool { try await run(.add(try await encode(value))).bool() }

    /// Adds values (OP_SET_VALUE_ADD_ALL). - Returns: `true` if the set changed; `false` for no values.
    @discardableResult
    public func add<S: Sequence>(contentsOf values: S) async throws -> Bool where S.Element == Element {
        let encoded = try await encode(values)
        return encoded.isEmpty ? false : try await run(.addAll(encoded)).bool()
    }

    /// Removes a value (OP_SET_VALUE_REMOVE). - Returns: `true` if the set held it.
    @discardableResult
    public func remove(_ value: Element) async throws -> Bool { try await run(.remove(try await encode(value))).bool() }

    /// Removes values (OP_SET_VALUE_REMOVE_ALL). - Returns: `true` if the set changed.
    @discardableResult
    public func remove<S: Sequence>(contentsOf values: S) async throws -> Bool where S.Element == Element {
        let encoded = try await encode(values)
        return encoded.isEmpty ? false : try await run(.removeAll(encoded)).bool()
    }

    /// Whether the set holds a value (OP_SET_VALUE_CONTAINS).
    public func contains(_ value: Element) async throws -> Bool { try await run(.contains(try await encode(value))).bool() }

    /// Whether the set holds every value (OP_SET_VALUE_CONTAINS_ALL); `false` for no values.
    public func contains<S: Sequence>(allOf values: S) async throws -> Bool where S.Element == Element {
        let encoded = try await encode(values)
        return encoded.isEmpty ? false : try await run(.containsAll(encoded)).bool()
    }

    /// Keeps only the given values (OP_SET_VALUE_RETAIN_ALL); no values empties the set.
    @discardableResult
    public func retain<S: Sequence>(onlyThese values: S) async throws -> Bool where S.Element == Element {
        try await run(.retainAll(try await encode(values))).bool()
    }

    /// The number of values (OP_SET_SIZE).
    public func count() async throws -> Int {
        guard case .count(let n) = try await run(.size) else { throw IgniteError.parse("expected an i32 set size") }
        return Int(n)
    }

    /// Whether the set is empty.
    public func isEmpty() async throws -> Bool { try await count() == 0 }

    /// Removes every value (OP_SET_CLEAR).
    public func clear() async throws { _ = try await run(.clear) }

    /// Removes the set from the cluster (OP_SET_CLOSE).
    public func close() async throws { _ = try await run(.close) }

    /// Whether the set was removed (OP_SET_EXISTS is false).
    public func isRemoved() async throws -> Bool { try await !run(.exists).bool() }

    /// Every value, read page by page.
    public func all() async throws -> [Element] {
        var result: [Element] = []
        for try await value in self { result.append(value) }
        return result
    }

    /// An iterator over the values: the first page is fetched by the first ``AsyncIterator/next()``.
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(cursor: SetCursor(set: self))
    }

    /// The iterator of an ``IgniteSet``; releasing it before the end releases the server's iterator.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let cursor: SetCursor<Element>

        /// The next value, or `nil` at the end.
        /// - Throws: ``IgniteError`` when a page cannot be fetched or a value is not an `Element`.
        public mutating func next() async throws -> Element? { try await cursor.next() }
    }
}

/// The state of one iteration of an ``IgniteSet``: the page in hand and the server's iterator, released when the
/// cursor goes away early.
final class SetCursor<Element: IgniteBinaryCodable & Sendable>: @unchecked Sendable {
    private let set: IgniteSet<Element>
    private let lock = NSLock()
    // Guarded by `lock`.
    private var page: [IgniteValue] = []
    private var position = 0
    private var started = false
    private var resourceId: Int64?
    private var connection: AsyncConnection?

    init(set: IgniteSet<Element>) { self.set = set }

    deinit { closeRemote() }

    func next() async throws -> Element? {
        while true {
            if let value: IgniteValue = lock.withLock({
                guard position < page.count else { return nil }
                defer { position += 1 }
                return page[position]
            }) {
                return try await set.client.decode(value, as: Element.self)
            }
            let (isStarted, id, on) = lock.withLock { (started, resourceId, connection) }
            if !isStarted {
                let target = try await set.client.engine.anyConnection()
                let first = try await set.client.send(SetIteratorStartRequest(identity: set.identity, pageSize: set.pageSize), on: target)
                lock.withLock {
                    started = true
                    page = first.values
                    position = 0
                    resourceId = first.hasMore ? first.resourceId : nil
                    connection = target
                }
                continue
            }
            guard let id, let on else { return nil }
            do {
                let next = try await set.client.send(SetIteratorGetPageRequest(resourceId: id, pageSize: set.pageSize), on: on)
                lock.withLock {
                    page = next.values
                    position = 0
                    if !next.hasMore { resourceId = nil }   // released by the server after its last page
                }
            } catch {
                closeRemote()
                throw error
            }
        }
    }

    private func closeRemote() {
        let pending: (Int64, AsyncConnection)? = lock.withLock {
            defer { resourceId = nil }
            guard let resourceId, let connection else { return nil }
            return (resourceId, connection)
        }
        if let (id, connection) = pending { connection.sendAndForget(ResourceCloseRequest(resourceId: id)) }
    }
}

extension IgniteClient {
    /// A distributed set, created with `configuration` if it does not exist (OP_SET_GET_OR_CREATE).
    ///
    /// The set's cache joins a cache group (`default-ds-group` unless `configuration.groupName` names one), whose caches
    /// must agree on cache mode and backups: the defaults (0 backups) do not fit a group whose atomics cache has the
    /// atomics' default of 1 backup, and the server refuses with status 1 "Backups mismatch for caches related to the
    /// same group […]". Give sets the group's backups or a group of their own (DATA-STRUCTURES.md).
    /// - Throws: ``IgniteError/Code/parameter`` for an empty name; ``IgniteError/Code/notSupportedByCluster`` when the
    ///   server has no thin-client sets (status 2).
    public func set<E: IgniteBinaryCodable & Sendable>(_ name: String, of type: E.Type,
                                                       configuration: CollectionConfiguration = CollectionConfiguration()) async throws -> IgniteSet<E> {
        guard let identity = try await execute(SetGetOrCreateRequest(name: name, configuration: configuration)) else {
            throw IgniteError(.illegalState, "the server did not create set '\(name)'")
        }
        return IgniteSet(client: self, identity: identity)
    }

    /// An existing distributed set, without creating it.
    ///
    /// Searches the default group (`default-ds-group`) only, as Java's `ignite.set(name, null)`: a set of another group
    /// is reached with ``set(_:of:configuration:)`` and its configuration.
    /// - Returns: The set, or `nil` if it does not exist.
    public func existingSet<E: IgniteBinaryCodable & Sendable>(_ name: String, of type: E.Type) async throws -> IgniteSet<E>? {
        try await execute(SetGetOrCreateRequest(name: name, configuration: nil)).map { IgniteSet(client: self, identity: $0) }
    }
}
