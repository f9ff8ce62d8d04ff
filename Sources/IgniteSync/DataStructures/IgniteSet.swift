import IgniteProtocol

/// A distributed set (`IgniteSet`, OP 9010–9023): unique values held by the cluster, shared by every client.
///
/// The handle is stateless apart from its identity (name, cache id, colocation), so it can be shared by threads.
/// Values are compared by their binary form on the server: `Int32(1)` and `Int64(1)` are different values.
///
/// ```swift
/// let tags = try client.set("tags", of: String.self)
/// try tags.add("swift")
/// let iterator = try tags.makeIterator()
/// while let tag = try iterator.next() { print(tag) }
/// ```
public struct IgniteSet<Element: IgniteBinaryCodable>: Sendable {
    /// The client.
    public let client: IgniteClient
    /// The set's identity as the server reported it.
    public let identity: IgniteSetIdentity
    /// Values per page when iterating (the Java client's default, 1024).
    public var pageSize: Int32 = 1024
    /// Whether the server keeps values binary (`true`, default) or deserializes them into Java objects (only needed
    /// when thick clients read the same set with their own classes).
    public var serverKeepBinary = true

    init(client: IgniteClient, identity: IgniteSetIdentity) {
        self.client = client
        self.identity = identity
    }

    /// The set's name.
    public var name: String { identity.name }
    /// Whether the set lives on one node.
    public var isColocated: Bool { identity.colocated }

    private func run(_ operation: IgniteSetOperation) throws -> IgniteSetResult {
        let request = IgniteSetRequest(identity: identity, operation: operation, serverKeepBinary: serverKeepBinary)
        guard let key = identity.affinityKey(of: operation) else { return try client.execute(request) }
        let client = self.client
        let owner = client.engine.node(forCache: identity.cacheId, key: key, schemas: client.binary.registry) { mapRequest in
            try client.execute(mapRequest)
        }
        return try client.execute(request, target: .node(owner))
    }

    private func encode(_ value: Element) throws -> EncodedValue {
        var types = BinaryTypeCollector()
        let encoded = try EncodedValue(value, types: &types)
        if !types.isEmpty { try client.registerTypes(types) }
        return encoded
    }

    private func encode<S: Sequence>(_ values: S) throws -> [EncodedValue] where S.Element == Element {
        var types = BinaryTypeCollector()
        let encoded = try values.map { try EncodedValue($0, types: &types) }
        if !types.isEmpty { try client.registerTypes(types) }
        return encoded
    }

    /// Adds a value (OP_SET_VALUE_ADD).
    /// - Returns: `true` if the set did not hold it.
    /// - Throws: ``IgniteError`` (status 1011 once the set was closed).
    @discardableResult
    public func add(_ value: Element) throws -> Bool { try run(.add(try encode(value))).bool() }

    /// Adds values (OP_SET_VALUE_ADD_ALL).
    /// - Returns: `true` if the set changed; `false` for no values (nothing is sent).
    @discardableResult
    public func add<S: Sequence>(contentsOf values: S) throws -> Bool where S.Element == Element {
        let encoded = try encode(values)
        return encoded.isEmpty ? false : try run(.addAll(encoded)).bool()
    }

    /// Removes a value (OP_SET_VALUE_REMOVE).
    /// - Returns: `true` if the set held it.
    @discardableResult
    public func remove(_ value: Element) throws -> Bool { try run(.remove(try encode(value))).bool() }

    /// Removes values (OP_SET_VALUE_REMOVE_ALL).
    /// - Returns: `true` if the set changed; `false` for no values.
    @discardableResult
    public func remove<S: Sequence>(contentsOf values: S) throws -> Bool where S.Element == Element {
        let encoded = try encode(values)
        return encoded.isEmpty ? false : try run(.removeAll(encoded)).bool()
    }

    /// Whether the set holds a value (OP_SET_VALUE_CONTAINS).
    public func contains(_ value: Element) throws -> Bool { try run(.contains(try encode(value))).bool() }

    /// Whether the set holds every value (OP_SET_VALUE_CONTAINS_ALL); `false` for no values, as the Java client answers.
    public func contains<S: Sequence>(allOf values: S) throws -> Bool where S.Element == Element {
        let encoded = try encode(values)
        return encoded.isEmpty ? false : try run(.containsAll(encoded)).bool()
    }

    /// Keeps only the given values (OP_SET_VALUE_RETAIN_ALL); no values empties the set.
    /// - Returns: `true` if the set changed.
    @discardableResult
    public func retain<S: Sequence>(onlyThese values: S) throws -> Bool where S.Element == Element {
        try run(.retainAll(try encode(values))).bool()
    }

    /// The number of values (OP_SET_SIZE).
    public func count() throws -> Int {
        guard case .count(let n) = try run(.size) else { throw IgniteError.parse("expected an i32 set size") }
        return Int(n)
    }

    /// Whether the set is empty.
    public func isEmpty() throws -> Bool { try count() == 0 }

    /// Removes every value (OP_SET_CLEAR).
    public func clear() throws { _ = try run(.clear) }

    /// Removes the set from the cluster (OP_SET_CLOSE); later calls on any handle fail with status 1011.
    public func close() throws { _ = try run(.close) }

    /// Whether the set was removed (OP_SET_EXISTS is false).
    public func isRemoved() throws -> Bool { try !run(.exists).bool() }

    /// Starts an iteration (OP_SET_ITERATOR_START): the first page comes now, later ones as they are needed from
    /// the same connection (OP_SET_ITERATOR_GET_PAGE).
    /// - Returns: A throwing iterator; close it (or let it go) to release the server's iterator early.
    public func makeIterator() throws -> IgniteSetIterator<Element> {
        let connection = try client.engine.anyConnection()
        let first = try client.send(SetIteratorStartRequest(identity: identity, pageSize: pageSize), on: connection)
        return IgniteSetIterator(client: client, connection: connection, pageSize: pageSize, first: first)
    }

    /// Every value, read page by page.
    public func all() throws -> [Element] {
        let iterator = try makeIterator()
        var result: [Element] = []
        while let value = try iterator.next() { result.append(value) }
        return result
    }

    /// Calls `body` with every value, page by page; the iteration is released if `body` throws.
    public func forEach(_ body: (Element) throws -> Void) throws {
        let iterator = try makeIterator()
        defer { iterator.close() }
        while let value = try iterator.next() { try body(value) }
    }
}

/// The values of an ``IgniteSet``, page by page, on the connection that started the iteration.
///
/// Not a Swift `Sequence`: fetching a page can fail, so ``next()`` throws. Iterators are not meant to be shared
/// between threads.
public final class IgniteSetIterator<Element: IgniteBinaryCodable>: @unchecked Sendable {
    private let client: IgniteClient
    private let connection: NodeConnection
    private let pageSize: Int32
    private var page: [IgniteValue]
    private var position = 0
    private var resourceId: Int64?

    init(client: IgniteClient, connection: NodeConnection, pageSize: Int32, first: IgniteSetPage) {
        self.client = client
        self.connection = connection
        self.pageSize = pageSize
        page = first.values
        resourceId = first.hasMore ? first.resourceId : nil
    }

    deinit { close() }

    /// The next value; `nil` at the end.
    /// - Throws: ``IgniteError`` when a page cannot be fetched or a value is not an `Element`.
    public func next() throws -> Element? {
        while position >= page.count {
            guard let id = resourceId else { return nil }
            let next = try client.send(SetIteratorGetPageRequest(resourceId: id, pageSize: pageSize), on: connection)
            page = next.values
            position = 0
            if !next.hasMore { resourceId = nil }  // the server released the iterator after its last page
        }
        let value = page[position]
        position += 1
        return try client.decode(value, as: Element.self)
    }

    /// Whether the server still holds pages.
    public var hasMorePages: Bool { resourceId != nil }

    /// Releases the server's iterator (OP_RESOURCE_CLOSE, queued without waiting) if pages remain. Idempotent.
    public func close() {
        guard let id = resourceId else { return }
        resourceId = nil
        page = []
        connection.closeResourceLater(id)
    }
}

extension IgniteClient {
    /// A distributed set, created with `configuration` if it does not exist (OP_SET_GET_OR_CREATE).
    ///
    /// The set's cache joins a cache group (`default-ds-group` unless `configuration.groupName` names one), whose caches
    /// must agree on cache mode and backups: the defaults (0 backups) do not fit a group whose atomics cache has the
    /// atomics' default of 1 backup, and the server refuses with status 1 "Backups mismatch for caches related to the
    /// same group […]". Give sets the group's backups or a group of their own (DATA-STRUCTURES.md).
    /// - Parameters:
    ///   - name: The name.
    ///   - type: The element type.
    ///   - configuration: How a new set is stored (default: the server's `CollectionConfiguration`).
    /// - Returns: The set.
    /// - Throws: ``IgniteError/Code/parameter`` for an empty name; ``IgniteError/Code/notSupportedByCluster`` when the
    ///   server has no thin-client sets (status 2).
    public func set<E: IgniteBinaryCodable>(_ name: String, of type: E.Type,
                                            configuration: CollectionConfiguration = CollectionConfiguration()) throws -> IgniteSet<E> {
        guard let identity = try execute(SetGetOrCreateRequest(name: name, configuration: configuration)) else {
            throw IgniteError(.illegalState, "the server did not create set '\(name)'")
        }
        return IgniteSet(client: self, identity: identity)
    }

    /// An existing distributed set, without creating it.
    ///
    /// Searches the default group (`default-ds-group`) only, as Java's `ignite.set(name, null)`: a set of another group
    /// is reached with ``set(_:of:configuration:)`` and its configuration.
    /// - Returns: The set, or `nil` if it does not exist.
    public func existingSet<E: IgniteBinaryCodable>(_ name: String, of type: E.Type) throws -> IgniteSet<E>? {
        try execute(SetGetOrCreateRequest(name: name, configuration: nil)).map { IgniteSet(client: self, identity: $0) }
    }
}
