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
    /// first rather than looking the node up again.
    var owner: NodeConnection? = nil
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
               key: EncodedValue? = nil, partition: Int? = nil) throws -> CacheRoute {
        if let transaction {
            let info = try transaction.operation(cacheId: cacheId, expiryPolicy: expiryPolicy)
            return CacheRoute(info: info, transaction: transaction, node: nil)
        }
        let info = CacheInfo(cacheId: cacheId, expiryPolicy: expiryPolicy)
        guard routing.enabled else { return CacheRoute(info: info, transaction: nil, node: nil) }
        var node: UUID?
        var owner: NodeConnection?
        if let key {
            owner = routing.connection(forCache: cacheId, key: key, schemas: binary.registry, checkLive: false) { mapRequest in
                try execute(mapRequest)
            }
            node = owner?.nodeId
            if node == nil { owner = nil }
        } else if let partition {
            node = routing.node(forCache: cacheId, partition: partition)
        }
        return CacheRoute(info: info, transaction: nil, node: node, owner: owner)
    }

    /// Sends a request addressed by `route` and returns its response (retried per the retry policy outside a
    /// transaction; never retried inside one).
    func execute<R: IgniteRequest>(_ request: R, route: CacheRoute) throws -> R.Response {
        if let transaction = route.transaction { return try transaction.send(request) }
        if let owner = route.owner { return try execute(request, target: .owner(owner)) }
        return try execute(request, target: route.node.map { .node($0) } ?? .any)
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
        makeCursor: (CursorCore<Row>, First.Response) -> Cursor) throws -> Cursor
    where First.Response: CursorOpening<Row> & Sendable, Page.Response == CursorPage<Row> {
        let request = first(route.info)
        let connection: NodeConnection
        let response: First.Response
        if let transaction = route.transaction {
            connection = transaction.connection
            response = try transaction.send(request)
        } else {
            connection = try self.connection(forNode: route.node)
            response = try send(request, on: connection)
        }
        let core = CursorCore<Row>(client: self, connection: connection, cursorId: response.cursorId,
                                   firstPage: response.firstPage) { client, connection, id in
            try client.send(page(id, response), on: connection)
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
    func encodeArguments(_ arguments: [any IgniteBinaryEncodable]) throws -> [EncodedValue] {
        var types = BinaryTypeCollector()
        var result: [EncodedValue] = []
        result.reserveCapacity(arguments.count)
        for argument in arguments {
            result.append(try EncodedValue(argument, types: &types))
        }
        if !types.isEmpty { try registerTypes(types) }
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
