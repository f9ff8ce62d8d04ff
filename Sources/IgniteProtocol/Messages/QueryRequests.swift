// Scan and SQL (row) queries with their get-page requests (OP 2000–2003, PROTOCOL-FACTS §5.5).

/// A scan-query filter: a serialized predicate object run on the server, and the platform that runs it.
package struct ScanQueryFilter: Hashable, Sendable {
    /// The platform of the filter object.
    public enum Platform: Int8, Hashable, Sendable {
        /// A Java predicate.
        case java = 1
        /// A .NET predicate.
        case dotNet = 2
        /// A C++ predicate.
        case cpp = 3
    }

    /// The filter object.
    public var object: EncodedValue
    /// The platform that runs it.
    public var platform: Platform

    /// Creates a filter.
    public init(object: EncodedValue, platform: Platform = .java) {
        self.object = object
        self.platform = platform
    }
}

/// OP_QUERY_SCAN (2000): iterates over the entries of a cache.
///
/// Body: `CacheInfo, Obj filter (101 = none), [i8 platform if a filter], i32 pageSize, i32 partition (−1 = all), bool local`.
/// Response: `i64 cursorId` and the first page of (key, value) rows.
package struct QueryScanRequest: IgniteServerCodableRequest, Hashable {
    /// The cache (a transaction id is not allowed).
    public var cache: CacheInfo
    /// A server-side filter, or `nil` for all entries.
    public var filter: ScanQueryFilter?
    /// The number of entries per page (positive).
    public var pageSize: Int32
    /// One partition to scan, or `nil` for all.
    public var partition: Int32?
    /// Whether to scan only the entries held by the connected node.
    public var local: Bool

    /// Creates the request.
    public init(cache: CacheInfo, filter: ScanQueryFilter? = nil, pageSize: Int32 = 1024, partition: Int32? = nil, local: Bool = false) {
        self.cache = cache
        self.filter = filter
        self.pageSize = pageSize
        self.partition = partition
        self.local = local
    }

    /// ``OpCode/queryScan``.
    public var opCode: OpCode { .queryScan }

    /// - Throws: ``IgniteError/Code/parameter`` for a page size ≤ 0 or a negative partition;
    ///   ``IgniteError/Code/notSupportedByCluster`` inside a transaction.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.requireNoTransaction(opCode)
        let pageSize = try pageSize.validatedPageSize()
        if let partition, partition < 0 { throw IgniteError.parameter("partition must be ≥ 0, got \(partition)") }
        try cache.encode(into: &writer, context: context)
        if let filter {
            writer.writeEncodedValue(filter.object)
            writer.writeInt8(filter.platform.rawValue)
        } else {
            writer.writeValue(.null)
        }
        writer.writeInt32(pageSize)
        writer.writeInt32(partition ?? -1)
        writer.writeBool(local)
    }

    /// - Returns: The cursor id and the first page.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> QueryFirstPage<CacheEntry> {
        try QueryFirstPage.decodeEntries(from: &reader)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> QueryScanRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let object = try reader.readEncodedValue()
        var filter: ScanQueryFilter?
        if !object.isNull {
            let raw = try reader.readInt8()
            guard let platform = ScanQueryFilter.Platform(rawValue: raw) else { throw IgniteError.parse("unknown filter platform \(raw)") }
            filter = ScanQueryFilter(object: object, platform: platform)
        }
        let pageSize = try reader.readInt32()
        let partition = try reader.readInt32()
        return QueryScanRequest(cache: cache, filter: filter, pageSize: pageSize, partition: partition < 0 ? nil : partition,
                                local: try reader.readBool())
    }

    /// Writes the response (server direction).
    public func encodeResponse(_ response: QueryFirstPage<CacheEntry>, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try response.encodeEntries(into: &writer)
    }
}

/// OP_QUERY_SQL (2002): a SQL query returning whole entries of one value type (pyignite's `select_row`).
///
/// Body: `CacheInfo, String typeName, String sql, i32 n, Obj arg × n, bool distributedJoins, bool local,
/// bool replicatedOnly, i32 pageSize, i64 timeoutMs`. Response: `i64 cursorId` and the first page of (key, value) rows.
package struct QuerySQLRequest: IgniteServerCodableRequest, Hashable {
    /// The cache (a transaction id is not allowed).
    public var cache: CacheInfo
    /// The value type name (table) to query.
    public var typeName: String
    /// The SQL condition, for example `age > ?`.
    public var sql: String
    /// The query arguments.
    public var arguments: [EncodedValue]
    /// Whether joins may span nodes.
    public var distributedJoins: Bool
    /// Whether to query only the connected node.
    public var local: Bool
    /// Whether the query touches only replicated caches.
    public var replicatedOnly: Bool
    /// The number of rows per page (positive).
    public var pageSize: Int32
    /// The query timeout in milliseconds (0: none).
    public var timeout: Int64

    /// Creates the request.
    public init(cache: CacheInfo, typeName: String, sql: String, arguments: [EncodedValue] = [], distributedJoins: Bool = false,
                local: Bool = false, replicatedOnly: Bool = false, pageSize: Int32 = 1024, timeout: Int64 = 0) {
        self.cache = cache
        self.typeName = typeName
        self.sql = sql
        self.arguments = arguments
        self.distributedJoins = distributedJoins
        self.local = local
        self.replicatedOnly = replicatedOnly
        self.pageSize = pageSize
        self.timeout = timeout
    }

    /// ``OpCode/querySQL``.
    public var opCode: OpCode { .querySQL }

    /// - Throws: ``IgniteError/Code/parameter`` for a page size ≤ 0 or a negative timeout.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.requireNoTransaction(opCode)
        let pageSize = try pageSize.validatedPageSize()
        guard timeout >= 0 else { throw IgniteError.parameter("timeout must be ≥ 0 ms, got \(timeout)") }
        try cache.encode(into: &writer, context: context)
        writer.writeStringObject(typeName)
        writer.writeStringObject(sql)
        try writer.writeEncodedValues(arguments, of: "query arguments")
        writer.writeBool(distributedJoins)
        writer.writeBool(local)
        writer.writeBool(replicatedOnly)
        writer.writeInt32(pageSize)
        writer.writeInt64(timeout)
    }

    /// - Returns: The cursor id and the first page.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> QueryFirstPage<CacheEntry> {
        try QueryFirstPage.decodeEntries(from: &reader)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> QuerySQLRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let typeName = try reader.readOptionalStringObject() ?? ""
        let sql = try reader.readOptionalStringObject() ?? ""
        var request = QuerySQLRequest(cache: cache, typeName: typeName, sql: sql, arguments: try reader.readEncodedValues())
        request.distributedJoins = try reader.readBool()
        request.local = try reader.readBool()
        request.replicatedOnly = try reader.readBool()
        request.pageSize = try reader.readInt32()
        request.timeout = try reader.readInt64()
        return request
    }

    /// Writes the response (server direction).
    public func encodeResponse(_ response: QueryFirstPage<CacheEntry>, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try response.encodeEntries(into: &writer)
    }
}


/// A request whose body is a cursor id (`i64`) and whose response is the cursor's next page:
/// OP_QUERY_SCAN_CURSOR_GET_PAGE and OP_QUERY_SQL_CURSOR_GET_PAGE. The response holds the page only (no cursor id).
package struct CursorGetPageRequest<Op: IgniteOperationMarker>: IgniteServerCodableRequest, Hashable {
    /// The cursor id.
    public var cursorId: Int64

    /// Creates the request.
    /// - Parameter cursorId: The cursor id from the query's first response.
    public init(cursorId: Int64) { self.cursorId = cursorId }

    /// The operation's op code.
    public var opCode: OpCode { Op.opCode }

    /// Writes `i64 cursorId`.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(cursorId)
    }

    /// Reads the page.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Op.Response {
        try Op.decodeResponse(from: &reader)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> CursorGetPageRequest {
        CursorGetPageRequest(cursorId: try reader.readInt64())
    }

    /// Writes the page (server direction).
    public func encodeResponse(_ response: Op.Response, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try Op.encodeResponse(response, into: &writer)
    }
}

/// OP_QUERY_SCAN_CURSOR_GET_PAGE (2001): the next page of a scan cursor. Response: the page only.
package typealias QueryScanCursorGetPageRequest = CursorGetPageRequest<IgniteOps.QueryScanCursorGetPage>

/// OP_QUERY_SQL_CURSOR_GET_PAGE (2003): the next page of a SQL (row) cursor. Response: the page only.
package typealias QuerySQLCursorGetPageRequest = CursorGetPageRequest<IgniteOps.QuerySQLCursorGetPage>
