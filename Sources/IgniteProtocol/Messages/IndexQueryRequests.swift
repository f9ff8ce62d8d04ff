// Index queries (OP_QUERY_INDEX 2008, OP_QUERY_INDEX_CURSOR_GET_PAGE 2009; feature bits 14 INDEX_QUERY and
// 15 INDEX_QUERY_LIMIT). Layout from apache/ignite: client `internal/client/thin/TcpClientCache.indexQuery` (writer) and
// server `processors/platform/client/cache/ClientCacheIndexQueryRequest` (reader).

extension OpCode {
    /// OP_QUERY_INDEX (2008).
    public static let queryIndex: OpCode = 2008
    /// OP_QUERY_INDEX_CURSOR_GET_PAGE (2009).
    public static let queryIndexCursorGetPage: OpCode = 2009
}

/// One condition of an index query on one indexed field, as Java's `IndexQueryCriteriaBuilder` builds them.
///
/// Range criteria carry a lower and an upper bound. A `nil` bound with its `…IsNull` flag off means "unbounded"; with
/// the flag on it means "the SQL NULL value" (so ``equal(_:_:)`` with `.null` finds entries whose field is null).
public enum IndexQueryCriterion: Hashable, Sendable {
    /// `field` between `lower` and `upper` (wire type 0: `RangeIndexQueryCriterion`).
    case range(field: String, lower: IgniteValue?, upper: IgniteValue?, lowerInclusive: Bool, upperInclusive: Bool,
               lowerIsNull: Bool, upperIsNull: Bool)
    /// `field` equal to one of `values` (wire type 1: `InIndexQueryCriterion`).
    case oneOf(field: String, values: [IgniteValue])

    /// `field == value` (Java `eq`: `between(field, value, value)`); `.null` finds null fields.
    public static func equal(_ field: String, _ value: IgniteValue) -> IndexQueryCriterion { between(field, value, value) }

    /// `field < value` (Java `lt`).
    public static func less(_ field: String, _ value: IgniteValue) -> IndexQueryCriterion {
        .range(field: field, lower: nil, upper: value, lowerInclusive: true, upperInclusive: false,
               lowerIsNull: false, upperIsNull: value == .null)
    }

    /// `field <= value` (Java `lte`).
    public static func lessOrEqual(_ field: String, _ value: IgniteValue) -> IndexQueryCriterion {
        .range(field: field, lower: nil, upper: value, lowerInclusive: true, upperInclusive: true,
               lowerIsNull: false, upperIsNull: value == .null)
    }

    /// `field > value` (Java `gt`).
    public static func greater(_ field: String, _ value: IgniteValue) -> IndexQueryCriterion {
        .range(field: field, lower: value, upper: nil, lowerInclusive: false, upperInclusive: true,
               lowerIsNull: value == .null, upperIsNull: false)
    }

    /// `field >= value` (Java `gte`).
    public static func greaterOrEqual(_ field: String, _ value: IgniteValue) -> IndexQueryCriterion {
        .range(field: field, lower: value, upper: nil, lowerInclusive: true, upperInclusive: true,
               lowerIsNull: value == .null, upperIsNull: false)
    }

    /// `lower <= field <= upper` (Java `between`).
    public static func between(_ field: String, _ lower: IgniteValue, _ upper: IgniteValue) -> IndexQueryCriterion {
        .range(field: field, lower: lower, upper: upper, lowerInclusive: true, upperInclusive: true,
               lowerIsNull: lower == .null, upperIsNull: upper == .null)
    }

    /// `field` is one of `values` (Java `in`; at least one value).
    public static func isIn(_ field: String, _ values: [IgniteValue]) -> IndexQueryCriterion {
        .oneOf(field: field, values: values)
    }

    /// `field` is null (Java `eq(field, null)`).
    public static func isNull(_ field: String) -> IndexQueryCriterion { equal(field, .null) }

    /// The indexed field the criterion applies to.
    public var field: String {
        switch self {
        case .range(let field, _, _, _, _, _, _), .oneOf(let field, _): field
        }
    }

    func encode(into writer: inout BinaryWriter) throws {
        switch self {
        case .range(let field, let lower, let upper, let lowerInclusive, let upperInclusive, let lowerIsNull, let upperIsNull):
            guard !field.isEmpty else { throw IgniteError.parameter("an index query criterion needs a field name") }
            writer.writeInt8(0)
            writer.writeStringObject(field)
            writer.writeBool(lowerInclusive)
            writer.writeBool(upperInclusive)
            writer.writeBool(lowerIsNull)
            writer.writeBool(upperIsNull)
            writer.writeValue(lower ?? .null)
            writer.writeValue(upper ?? .null)
        case .oneOf(let field, let values):
            guard !field.isEmpty else { throw IgniteError.parameter("an index query criterion needs a field name") }
            guard !values.isEmpty else { throw IgniteError.parameter("an IN criterion on \(field) needs at least one value") }
            writer.writeInt8(1)
            writer.writeStringObject(field)
            try writer.writeCount(values.count, of: "IN values")
            for value in values { writer.writeValue(value) }
        }
    }

    static func decode(from reader: inout BinaryReader) throws -> IndexQueryCriterion {
        let type = try reader.readInt8()
        switch type {
        case 0:
            let field = try reader.readOptionalStringObject() ?? ""
            let lowerInclusive = try reader.readBool()
            let upperInclusive = try reader.readBool()
            let lowerIsNull = try reader.readBool()
            let upperIsNull = try reader.readBool()
            let lower = try reader.readValue()
            let upper = try reader.readValue()
            return .range(field: field, lower: lower == .null ? nil : lower, upper: upper == .null ? nil : upper,
                          lowerInclusive: lowerInclusive, upperInclusive: upperInclusive,
                          lowerIsNull: lowerIsNull, upperIsNull: upperIsNull)
        case 1:
            let field = try reader.readOptionalStringObject() ?? ""
            let count = try reader.readCount(elementSize: 1)
            var values: [IgniteValue] = []
            for _ in 0..<count { values.append(try reader.readValue()) }
            return .oneOf(field: field, values: values)
        default:
            throw IgniteError.parse("unknown IndexQuery criterion type \(type)")
        }
    }
}

/// OP_QUERY_INDEX (2008): the entries of one value type found through one of its indexes.
///
/// Body: `CacheInfo (always KEEP_BINARY), i32 pageSize, bool local, i32 partition (−1 = all), [i32 limit if bit 15], String valueType,
/// String indexName (null: the server picks an index matching the criteria), (i8 1 = ARR_LIST, i32 n, criterion × n |
/// i8 101 = no criteria), Obj filter (101 = none)`. Response as OP_QUERY_SCAN: `i64 cursorId` and the first page.
package struct QueryIndexRequest: IgniteServerCodableRequest, Hashable {
    /// The cache (a transaction id is not allowed).
    public var cache: CacheInfo
    /// The entries per page (positive).
    public var pageSize: Int32
    /// Whether to query only the connected node's data.
    public var local: Bool
    /// One partition, or `nil` for all.
    public var partition: Int32?
    /// The most entries returned (0: no limit; needs feature bit 15 when positive).
    public var limit: Int32
    /// The value type: its query entity's value type name, as the user gave it. On the wire it becomes
    /// ``wireValueType(_:context:)``.
    public var valueType: String
    /// The index name, or `nil` to let the server choose one by the criteria's fields.
    public var indexName: String?
    /// The criteria (all must hold), or `nil` for every entry in index order.
    public var criteria: [IndexQueryCriterion]?

    /// Creates the request.
    public init(cache: CacheInfo, valueType: String, indexName: String? = nil, criteria: [IndexQueryCriterion]? = nil,
                pageSize: Int32 = 1024, partition: Int32? = nil, limit: Int32 = 0, local: Bool = false) {
        self.cache = cache
        self.pageSize = pageSize
        self.local = local
        self.partition = partition
        self.limit = limit
        self.valueType = valueType
        self.indexName = indexName
        self.criteria = criteria
    }

    /// ``OpCode/queryIndex``.
    public var opCode: OpCode { .queryIndex }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature bit 14 (or bit 15 for a limit), inside a
    ///   transaction; ``IgniteError/Code/parameter`` for a bad page size, partition, limit or criterion.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.require(.indexQuery, for: "OP_QUERY_INDEX")
        try cache.requireNoTransaction(opCode)
        let pageSize = try pageSize.validatedPageSize()
        if let partition, partition < 0 { throw IgniteError.parameter("partition must be ≥ 0, got \(partition)") }
        guard limit >= 0 else { throw IgniteError.parameter("limit must be ≥ 0, got \(limit)") }
        if limit > 0 { try context.require(.indexQueryLimit, for: "an index query limit") }
        guard !valueType.isEmpty else { throw IgniteError.parameter("an index query needs a value type") }
        // Always KEEP_BINARY (0x01): without it the server's `ClientCacheIndexQueryRequest.process` queries the raw
        // cache, which deserializes each value into its Java class, and a type with no class on the server (any Swift
        // type) fails with "BinaryInvalidTypeException: Failed to resolve class name [… typeId=…]" (observed on
        // GridGain 8.10; Apache's request class does the same).
        var cache = self.cache
        cache.keepBinary = true
        try cache.encode(into: &writer, context: context)
        writer.writeInt32(pageSize)
        writer.writeBool(local)
        writer.writeInt32(partition ?? -1)
        if context.has(.indexQueryLimit) { writer.writeInt32(limit) }
        writer.writeStringObject(Self.wireValueType(valueType, context: context))
        writer.writeOptionalStringObject(indexName)
        if let criteria {
            writer.writeInt8(1)  // GridBinaryMarshaller.ARR_LIST
            try writer.writeCount(criteria.count, of: "criteria")
            for criterion in criteria { try criterion.encode(into: &writer) }
        } else {
            writer.writeValue(.null)
        }
        writer.writeValue(.null)  // no filter: a Java predicate cannot come from Swift
    }

    /// - Returns: The cursor id and the first page.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> QueryFirstPage<CacheEntry> {
        try QueryFirstPage.decodeEntries(from: &reader)
    }

    /// The value type name the server can resolve.
    ///
    /// * GridGain 8 (``ProtocolContext/isGridGain``): `GridQueryProcessor.queryIndex` resolves the name through
    ///   `typeName(cacheName, type)`, a lookup in `typesByName` keyed by the type descriptor's name, which is the SIMPLE
    ///   name of the query entity's value type (``simpleTypeName(_:)``); an unknown name fails with status 1 "Failed
    ///   to find SQL table for type: X". GridGain's own `IndexQuery(Class)` sends `getSimpleName()`.
    /// * Apache Ignite 2.x: `IndexQueryProcessor.findSortedIndex` calls `GridQueryProcessor.tableName(cacheName,
    ///   valType)`, which compares the binary type id of the name (`typeId(valType)`, the lower-cased FULL name's hash)
    ///   with the entities' value type ids: the full name works, the simple one does not ("No table found for type:
    ///   X"). Apache's `IndexQuery(Class)` sends `getName()`.
    package static func wireValueType(_ name: String, context: ProtocolContext) -> String {
        context.isGridGain ? simpleTypeName(name) : name
    }

    /// GridGain's `QueryUtils.typeName(String)`: drops a .NET generic suffix (from the first `` ` ``), the package
    /// (up to the last `.`, unless it ends the name), turns a trailing `[]` into `_array`, then drops outer classes
    /// (up to the last `$`, then the last `+`).
    package static func simpleTypeName(_ name: String) -> String {
        var s = Substring(name)
        if let tick = s.firstIndex(of: "`") { s = s[..<tick] }
        if let dot = s.lastIndex(of: "."), s.index(after: dot) < s.endIndex { s = s[s.index(after: dot)...] }
        var result = String(s)
        if result.hasSuffix("[]") { result = String(result.dropLast(2)) + "_array" }
        if let dollar = result.lastIndex(of: "$") { result = String(result[result.index(after: dollar)...]) }
        if let plus = result.lastIndex(of: "+") { result = String(result[result.index(after: plus)...]) }
        return result
    }

    /// Reads a request body (server direction). ``valueType`` is the name as sent (``wireValueType(_:context:)``).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> QueryIndexRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let pageSize = try reader.readInt32()
        let local = try reader.readBool()
        let partition = try reader.readInt32()
        let limit = context.has(.indexQueryLimit) ? try reader.readInt32() : 0
        let valueType = try reader.readOptionalStringObject() ?? ""
        let indexName = try reader.readOptionalStringObject()
        var criteria: [IndexQueryCriterion]?
        if try reader.readInt8() == 1 {
            let count = try reader.readCount(elementSize: 1)
            var list: [IndexQueryCriterion] = []
            for _ in 0..<count { list.append(try IndexQueryCriterion.decode(from: &reader)) }
            criteria = list
        }
        _ = try reader.readEncodedValue()  // filter
        return QueryIndexRequest(cache: cache, valueType: valueType, indexName: indexName, criteria: criteria,
                                 pageSize: pageSize, partition: partition < 0 ? nil : partition, limit: limit, local: local)
    }

    /// Writes the response (server direction).
    public func encodeResponse(_ response: QueryFirstPage<CacheEntry>, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try response.encodeEntries(into: &writer)
    }
}

extension IgniteOps {
    /// OP_QUERY_INDEX_CURSOR_GET_PAGE (2009): answers a page of entries.
    public enum QueryIndexCursorGetPage: IgniteOperationMarker {
        /// The page.
        public typealias Response = CursorPage<CacheEntry>
        /// ``OpCode/queryIndexCursorGetPage``.
        public static var opCode: OpCode { .queryIndexCursorGetPage }
    }
}

/// OP_QUERY_INDEX_CURSOR_GET_PAGE (2009).
package typealias QueryIndexCursorGetPageRequest = CursorGetPageRequest<IgniteOps.QueryIndexCursorGetPage>
