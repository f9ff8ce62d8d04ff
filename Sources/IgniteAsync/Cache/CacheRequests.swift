import Foundation
import IgniteProtocol

/// Where one cache request goes and the prefix it carries. Every cache operation, scan and query is addressed
/// here, once: in a transaction it carries the transaction id and goes over the transaction's connection; outside,
/// it goes to the owner of its key or partition when partition awareness knows it, else anywhere.
struct CacheRoute {
    /// The cache prefix (cache id, expiry policy, transaction id).
    let info: CacheInfo
    /// The transaction the request belongs to, if any.
    let transaction: IgniteTransaction?
    /// The node that owns the key or partition, when known.
    let node: UUID?
    /// The connection to the key's owner that routing found (`node`'s), not checked to be live: the request tries it
    /// first, without looking the node up again.
    var owner: AsyncConnection? = nil
}

extension IgniteClient {
    /// Addresses a request to a cache.
    /// - Parameters:
    ///   - cacheId: The cache (0 for a SQL query outside any cache).
    ///   - expiryPolicy: The handle's expiry policy.
    ///   - transaction: The transaction the request belongs to.
    ///   - key: The encoded key, for routing a key operation.
    ///   - partition: The partition, for routing a partition scan.
    /// - Throws: What the transaction refuses (finished, lost, expiry policy below 1.6.0).
    func route(cacheId: Int32, expiryPolicy: ExpiryPolicy?, transaction: IgniteTransaction?,
               key: EncodedValue? = nil, partition: Int? = nil) async throws -> CacheRoute {
        if let transaction {
            let info = try transaction.operation(cacheId: cacheId, expiryPolicy: expiryPolicy)
            return CacheRoute(info: info, transaction: transaction, node: nil)
        }
        let info = CacheInfo(cacheId: cacheId, expiryPolicy: expiryPolicy)
        guard routing.enabled else { return CacheRoute(info: info, transaction: nil, node: nil) }
        var owner: AsyncConnection?
        if let key {
            owner = await routing.connection(forCache: cacheId, key: key, schemas: binary.registry) { mapRequest in
                try await execute(mapRequest)
            }
        } else if let partition {
            return CacheRoute(info: info, transaction: nil, node: routing.node(forCache: cacheId, partition: partition))
        }
        let node = owner?.nodeId
        return CacheRoute(info: info, transaction: nil, node: node, owner: node == nil ? nil : owner)
    }

    /// Runs a key operation: routes it (in this handle's transaction if any, else to the key's owner when known) and
    /// sends it. The common case (outside a transaction, the owner's connection, or any, at hand) goes from the
    /// caller to the connection's round trip without an async frame of its own in between; routing that must fetch a
    /// partition map first, a dial, a retry and query listeners take the general path.
    @inline(__always)
    nonisolated(nonsending) func runKeyOperation<R: IgniteRequest>(cacheId: Int32, expiryPolicy: ExpiryPolicy?, transaction: IgniteTransaction?,
                                           key: EncodedValue, _ build: (CacheInfo) -> R) async throws -> R.Response {
        guard let transaction else {
            let owner: AsyncConnection?
            switch routing.routeNow(cacheId: cacheId, key: key, schemas: binary.registry) {
            case .routed(let found):
                owner = found
            case .pending(let action):
                owner = await routing.finishRouting(action, cacheId: cacheId, key: key, schemas: binary.registry) { mapRequest in
                    try await execute(mapRequest)
                }
            }
            let request = build(CacheInfo(cacheId: cacheId, expiryPolicy: expiryPolicy))
            if let owner, owner.nodeId != nil { return try await execute(request, target: .owner(owner)) }
            return try await execute(request, target: .any)
        }
        return try await transaction.send(build(try transaction.operation(cacheId: cacheId, expiryPolicy: expiryPolicy)))
    }

    /// Sends a request addressed by `route` and returns its response (retried per the retry policy outside a
    /// transaction; never retried inside one).
    func execute<R: IgniteRequest>(_ request: R, route: CacheRoute) async throws -> R.Response {
        if let transaction = route.transaction { return try await transaction.send(request) }
        if let owner = route.owner { return try await execute(request, target: .owner(owner)) }
        return try await execute(request, target: route.node.map { .node($0) } ?? .any)
    }

    /// Opens a cursor: sends its first request on one connection (the transaction's, or the route's node's, or any)
    /// and pins the cursor there, since cursor ids are per connection.
    /// - Parameters:
    ///   - route: The route of the query.
    ///   - first: The query, given the cache prefix.
    ///   - page: The get-page request of the cursor, given its id.
    ///   - makeCursor: Builds the cursor from its core and the first answer.
    func openCursor<First: IgniteRequest, Page: IgniteRequest, Row: Sendable, Cursor>(
        route: CacheRoute, first: (CacheInfo) -> First,
        page: @escaping @Sendable (_ cursorId: Int64, _ first: First.Response) -> Page,
        makeCursor: (CursorCore<Row>, First.Response) -> Cursor) async throws -> Cursor
    where First.Response: CursorOpening<Row> & Sendable, Page.Response == CursorPage<Row> {
        let request = first(route.info)
        let connection: AsyncConnection
        let response: First.Response
        if let transaction = route.transaction {
            connection = transaction.connection
            response = try await transaction.send(request)
        } else {
            connection = try await self.connection(forNode: route.node)
            response = try await send(request, on: connection)
        }
        let core = CursorCore<Row>(connection: connection, cursorId: response.cursorId,
                                   firstPage: response.firstPage) { [self] id in
            try await send(page(id, response), on: connection)
        }
        return makeCursor(core, response)
    }

    /// A page size as sent: positive and within `Int32`.
    static func pageSize(_ pageSize: Int) throws -> Int32 {
        guard pageSize > 0, let value = Int32(exactly: pageSize) else {
            throw IgniteError.parameter("page size \(pageSize) must be in 1...\(Int32.max)")
        }
        return value
    }

    /// A server-side timeout as sent: whole milliseconds rounded up, 0 for none.
    static func timeoutMilliseconds(_ timeout: Duration?) throws -> Int64 {
        guard let timeout else { return 0 }
        guard timeout >= .zero else { throw IgniteError.parameter("timeout must not be negative") }
        return timeout.roundedUp(to: .milliseconds)
    }

    /// Encodes values once, registering any binary types they use first.
    func encodeArguments(_ arguments: [any IgniteBinaryEncodable]) async throws -> [EncodedValue] {
        var types = BinaryTypeCollector()
        var result: [EncodedValue] = []
        result.reserveCapacity(arguments.count)
        for argument in arguments {
            result.append(try EncodedValue(argument, types: &types))
        }
        if !types.isEmpty { try await registerTypes(types) }
        return result
    }
}

/// The first answer of a query: the cursor id and the first page.
protocol CursorOpening<Row> {
    associatedtype Row
    /// The server's cursor id.
    var cursorId: Int64 { get }
    /// The first page.
    var firstPage: CursorPage<Row> { get }
}

extension QueryFirstPage: CursorOpening {
    var firstPage: CursorPage<Row> { page }
}

extension SQLFieldsFirstPage: CursorOpening {
    typealias Row = [IgniteValue]
    var firstPage: CursorPage<[IgniteValue]> { page }
}
