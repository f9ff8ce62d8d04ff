// SQL-fields queries (OP 2004/2005, PROTOCOL-FACTS §5.5).

/// The statement type a SQL-fields request declares (JDBC statement-type ordinals).
public enum SQLStatementType: Int8, Hashable, Sendable {
    /// Any statement.
    case any = 0
    /// A SELECT; other statements are rejected.
    case select = 1
    /// An update (DML/DDL); a SELECT is rejected.
    case update = 2
}

/// OP_QUERY_SQL_FIELDS (2004): a SQL statement returning rows of columns (SELECT, DML or DDL).
///
/// Body: `CacheInfo, String schema, i32 pageSize, i32 maxRows, String sql, i32 n, Obj arg × n, i8 statementType,
/// bool distributedJoins, bool local, bool replicatedOnly, bool enforceJoinOrder, bool collocated, bool lazy,
/// i64 timeoutMs, bool includeFieldNames, [feature bit 7: i32 partCount (−1 = none), i32 × n, i32 updateBatchSize]`.
/// The GridGain-only query label (bit 16) is never sent.
package struct QuerySQLFieldsRequest: IgniteServerCodableRequest, Hashable {
    /// The cache whose schema applies (cache id 0 to use ``schema``); a transaction id is not allowed.
    public var cache: CacheInfo
    /// The SQL schema (`nil`: PUBLIC). The server ignores it when the cache id is not 0.
    public var schema: String?
    /// The number of rows per page (positive).
    public var pageSize: Int32
    /// The maximum number of rows (−1: no limit). GridGain ignores it.
    public var maxRows: Int32
    /// The SQL statement.
    public var sql: String
    /// The statement arguments.
    public var arguments: [EncodedValue]
    /// The declared statement type.
    public var statementType: SQLStatementType
    /// Whether joins may span nodes.
    public var distributedJoins: Bool
    /// Whether to query only the connected node.
    public var local: Bool
    /// Whether the query touches only replicated caches.
    public var replicatedOnly: Bool
    /// Whether joins run in the written order.
    public var enforceJoinOrder: Bool
    /// Whether the data is collocated on the grouping keys.
    public var collocated: Bool
    /// Whether results are streamed lazily (deprecated by the server).
    public var lazy: Bool
    /// The timeout in milliseconds. Without feature bit 6, 0 means the server's default timeout.
    public var timeout: Int64
    /// Whether the first response carries the column names.
    public var includeFieldNames: Bool
    /// Partitions to restrict the query to (feature bit 7).
    public var partitions: [Int32]?
    /// The batch size of DML updates (feature bit 7; the server default is 1).
    public var updateBatchSize: Int32?

    /// Creates the request; the defaults are pyignite's.
    public init(cache: CacheInfo = CacheInfo(cacheId: 0), schema: String? = "PUBLIC", sql: String, arguments: [EncodedValue] = [],
                pageSize: Int32 = 1024, maxRows: Int32 = -1, statementType: SQLStatementType = .any, distributedJoins: Bool = false,
                local: Bool = false, replicatedOnly: Bool = false, enforceJoinOrder: Bool = false, collocated: Bool = false,
                lazy: Bool = false, timeout: Int64 = 0, includeFieldNames: Bool = false, partitions: [Int32]? = nil,
                updateBatchSize: Int32? = nil) {
        self.cache = cache
        self.schema = schema
        self.pageSize = pageSize
        self.maxRows = maxRows
        self.sql = sql
        self.arguments = arguments
        self.statementType = statementType
        self.distributedJoins = distributedJoins
        self.local = local
        self.replicatedOnly = replicatedOnly
        self.enforceJoinOrder = enforceJoinOrder
        self.collocated = collocated
        self.lazy = lazy
        self.timeout = timeout
        self.includeFieldNames = includeFieldNames
        self.partitions = partitions
        self.updateBatchSize = updateBatchSize
    }

    /// ``OpCode/querySQLFields``.
    public var opCode: OpCode { .querySQLFields }

    /// - Throws: ``IgniteError/Code/parameter`` for a page size ≤ 0, a negative timeout or partition, or an update batch
    ///   size ≤ 0; ``IgniteError/Code/notSupportedByCluster`` for partitions or a batch size without feature bit 7, or
    ///   inside a transaction.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.requireNoTransaction(opCode)
        let pageSize = try pageSize.validatedPageSize()
        guard timeout >= 0 else { throw IgniteError.parameter("timeout must be ≥ 0 ms, got \(timeout)") }
        let hasBit7 = context.has(.queryPartitionsBatchSize)
        if !hasBit7, partitions != nil || updateBatchSize != nil {
            throw IgniteError.notSupported("SQL partitions and update batch size", needs: "feature \(FeatureBit.queryPartitionsBatchSize)", context: context)
        }
        if let partitions, let bad = partitions.first(where: { $0 < 0 }) {
            throw IgniteError.parameter("partition must be ≥ 0, got \(bad)")
        }
        if let updateBatchSize, updateBatchSize <= 0 {
            throw IgniteError.parameter("update batch size must be positive, got \(updateBatchSize)")
        }
        try cache.encode(into: &writer, context: context)
        writer.writeOptionalStringObject(schema)
        writer.writeInt32(pageSize)
        writer.writeInt32(maxRows)
        writer.writeStringObject(sql)
        try writer.writeEncodedValues(arguments, of: "query arguments")
        writer.writeInt8(statementType.rawValue)
        writer.writeBool(distributedJoins)
        writer.writeBool(local)
        writer.writeBool(replicatedOnly)
        writer.writeBool(enforceJoinOrder)
        writer.writeBool(collocated)
        writer.writeBool(lazy)
        writer.writeInt64(timeout)
        writer.writeBool(includeFieldNames)
        if hasBit7 {
            if let partitions {
                try writer.writeCount(partitions.count, of: "partitions")
                for partition in partitions { writer.writeInt32(partition) }
            } else {
                writer.writeInt32(-1)
            }
            writer.writeInt32(updateBatchSize ?? 1)
        }
    }

    /// - Returns: The cursor id, the column count, the column names if requested, and the first page.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> SQLFieldsFirstPage {
        let cursorId = try reader.readInt64()
        let rawCount = try reader.readInt32()
        guard rawCount >= 0 else { throw IgniteError.parse("negative SQL column count \(rawCount)") }
        let columnCount = Int(rawCount)
        var names: [String]?
        if includeFieldNames {
            _ = try reader.checkCount(rawCount, elementSize: 5)
            var list: [String] = []
            list.reserveCapacity(columnCount)
            for _ in 0..<columnCount { list.append(try reader.readStringObject()) }
            names = list
        }
        let page = try reader.readFieldsPage(columnCount: columnCount)
        return SQLFieldsFirstPage(cursorId: cursorId, columnCount: columnCount, fieldNames: names, page: page)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> QuerySQLFieldsRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let schema = try reader.readOptionalStringObject()
        let pageSize = try reader.readInt32()
        let maxRows = try reader.readInt32()
        let sql = try reader.readOptionalStringObject() ?? ""
        var request = QuerySQLFieldsRequest(cache: cache, schema: schema, sql: sql, arguments: try reader.readEncodedValues(),
                                            pageSize: pageSize, maxRows: maxRows)
        let rawType = try reader.readInt8()
        guard let statementType = SQLStatementType(rawValue: rawType) else { throw IgniteError.parse("unknown statement type \(rawType)") }
        request.statementType = statementType
        request.distributedJoins = try reader.readBool()
        request.local = try reader.readBool()
        request.replicatedOnly = try reader.readBool()
        request.enforceJoinOrder = try reader.readBool()
        request.collocated = try reader.readBool()
        request.lazy = try reader.readBool()
        request.timeout = try reader.readInt64()
        request.includeFieldNames = try reader.readBool()
        if context.has(.queryPartitionsBatchSize) {
            let count = try reader.readInt32()
            if count >= 0 {
                let n = try reader.checkCount(count, elementSize: 4)
                var partitions: [Int32] = []
                partitions.reserveCapacity(n)
                for _ in 0..<n { partitions.append(try reader.readInt32()) }
                request.partitions = partitions
            }
            request.updateBatchSize = try reader.readInt32()
        }
        return request
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: SQLFieldsFirstPage, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(response.cursorId)
        try writer.writeCount(response.columnCount, of: "columns")
        if includeFieldNames {
            guard let names = response.fieldNames, names.count == response.columnCount else {
                throw IgniteError.parameter("the response needs \(response.columnCount) field names")
            }
            for name in names { writer.writeStringObject(name) }
        }
        try writer.writeFieldsPage(response.page, columnCount: response.columnCount)
    }
}

/// OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE (2005): the next page of a SQL-fields cursor. Response: the page only,
/// whose rows the client reads with the column count of the first response.
package struct QuerySQLFieldsCursorGetPageRequest: IgniteServerCodableRequest, Hashable {
    /// The cursor id.
    public var cursorId: Int64
    /// The column count from the cursor's ``SQLFieldsFirstPage`` (not sent; needed to read the rows).
    public var columnCount: Int

    /// Creates the request.
    public init(cursorId: Int64, columnCount: Int) {
        self.cursorId = cursorId
        self.columnCount = columnCount
    }

    /// ``OpCode/querySQLFieldsCursorGetPage``.
    public var opCode: OpCode { .querySQLFieldsCursorGetPage }

    /// Writes the request body (layout in the type description).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(cursorId)
    }

    /// - Returns: The page; each row holds ``columnCount`` values.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> CursorPage<[IgniteValue]> {
        try reader.readFieldsPage(columnCount: columnCount)
    }

    /// Reads the body. The column count is not on the wire: it is 0 here, and the server knows it from the cursor.
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> QuerySQLFieldsCursorGetPageRequest {
        QuerySQLFieldsCursorGetPageRequest(cursorId: try reader.readInt64(), columnCount: 0)
    }

    /// Writes the page; every row must have the same number of values.
    public func encodeResponse(_ response: CursorPage<[IgniteValue]>, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try writer.writeFieldsPage(response, columnCount: response.rows.first?.count ?? 0)
    }
}
