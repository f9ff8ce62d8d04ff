import Foundation
import IgniteProtocol

/// OP_QUERY_INDEX (2008), as apache/ignite's `ClientCacheIndexQueryRequest` reads it and the server's
/// `IndexQueryProcessor` answers it (a GridGain 8 node instead follows `gridGainPlan`: GridGain runs the query as SQL):
///
/// * The value type names a query entity of the cache, resolved as the node's flavour does (see
///   `QueryIndexRequest.wireValueType`): GridGain 8 by the descriptor name, the SIMPLE name of the entity's value type
///   (`GridQueryProcessor.typeName`, exact match), otherwise status 1 "Failed to find SQL table for type: X" (the text
///   a real GridGain 8.10 cluster answers); Apache Ignite by the binary type id of the name (the full name, any case),
///   otherwise status 1 "No table found for type: X" (`IndexQueryProcessor.findSortedIndex`). A table name is
///   neither.
/// * Apache: a named index must exist on that entity (names compared case-insensitively, as `QueryUtils.normalizeObjectName`
///   upper-cases unquoted names); otherwise "No index found for name: X". Without a name, the first index whose
///   leading fields are exactly the criteria's fields is used (no criteria: the primary key order).
/// * Criteria fields must be a prefix of the index's fields ("Index doesn't match criteria").
/// * Without KEEP_BINARY, a user-type value fails the query ("BinaryInvalidTypeException: Failed to resolve class
///   name"), as the real server deserializes values then.
/// * Rows come in index order (each field ascending unless the index says descending, SQL NULL lowest), ties in key
///   order; `limit` > 0 cuts the list; a partition keeps only its entries. Only entries whose value is of the type
///   are indexed.
extension RequestHandler {
    func indexQuery(_ reader: inout BinaryReader) throws -> OpResult {
        let request = try QueryIndexRequest.decodeBody(from: &reader, context: context)
        if let tooMany = cursorLimitFailure() { return tooMany }
        var rows: [[IgniteValue]] = []
        var failure: OpResult?
        let result = withCache(request.cache, isWrite: false) { scope in
            let entities = scope.cache.queryEntities
            let gridGain = configuration.isGridGain
            let wanted = request.valueType
            guard let entity = entities.first(where: { entity in
                guard let valueType = entity.valueType else { return false }
                return gridGain ? QueryIndexRequest.simpleTypeName(valueType) == wanted
                    : JavaHash.typeId(valueType) == JavaHash.typeId(wanted)
            }), let valueType = entity.valueType else {
                failure = .failure(ServerStatus.failed, gridGain ? "Failed to find SQL table for type: \(wanted)"
                                   : "No table found for type: \(wanted)")
                return .empty
            }
            let criteria = request.criteria ?? []
            let fields = criteria.map { $0.field.lowercased() }
            var index: QueryIndex?
            var alwaysEmpty = false
            if gridGain {
                switch Self.gridGainPlan(request, entity: entity) {
                case .failure(let message):
                    failure = .failure(ServerStatus.failed, message)
                    return .empty
                case .plan(let planned, let empty):
                    index = planned
                    alwaysEmpty = empty
                }
            } else if let name = request.indexName {
                index = entity.indexes.first { $0.name?.lowercased() == name.lowercased() }
                if index == nil {
                    failure = .failure(ServerStatus.failed, "No index found for name: \(name)")
                    return .empty
                }
            } else if !fields.isEmpty {
                index = entity.indexes.first { index in
                    index.fields.count >= fields.count && Array(index.fields.prefix(fields.count).map { $0.name.lowercased() }) == fields
                }
            }
            if !gridGain, let index, Array(index.fields.prefix(fields.count).map { $0.name.lowercased() }) != fields {
                failure = .failure(ServerStatus.failed, "Failed to parse IndexQuery. Index doesn't match criteria.")
                return .empty
            }
            if !gridGain, index == nil, !fields.isEmpty {
                failure = .failure(ServerStatus.failed, "No index found for criteria")
                return .empty
            }
            let typeId = JavaHash.typeId(valueType)
            let simpleTypeId = JavaHash.typeId(Self.simpleName(valueType))
            var matches: [(key: IgniteValue, value: IgniteValue, sortKey: [IgniteValue?])] = []
            for entry in scope.data.liveEntries(scope.cacheId, now: scope.now) {
                if let partition = request.partition, entry.partition != Int(partition) { continue }
                guard case .object(let object) = entry.value, object.typeId == typeId || object.typeId == simpleTypeId else { continue }
                let schema = scope.data.binaryTypes[object.typeId]?.schema(id: object.schemaId)
                func field(_ name: String) -> IgniteValue? {
                    let value = try? object.value(forFieldId: JavaHash.fieldId(name), schema: schema)
                    return (value ?? nil).flatMap { $0.isNull ? nil : $0 }
                }
                guard !alwaysEmpty else { continue }
                guard criteria.allSatisfy({ criterion in
                    let value = field(criterion.field) ?? (gridGain ? Self.fieldIgnoringCase(criterion.field, entity, field) : nil)
                    return gridGain ? Self.sqlMatches(criterion, value) : Self.matches(criterion, value)
                }) else { continue }
                matches.append((entry.key, entry.value, (index?.fields ?? []).map { field($0.name) }))
            }
            let descending = (index?.fields ?? []).map(\.descending)
            matches.sort { a, b in
                for (i, pair) in zip(a.sortKey, b.sortKey).enumerated() {
                    let order = Self.compare(pair.0, pair.1)
                    if order != 0 { return descending[i] ? order > 0 : order < 0 }
                }
                return Self.compare(a.key, b.key) < 0
            }
            if request.limit > 0 { matches = Array(matches.prefix(Int(request.limit))) }
            // Without KEEP_BINARY the server queries the raw cache and deserializes each value into its Java class;
            // the test node has none, like a real server given a type only a thin client knows (observed on GridGain
            // 8.10, `ClientCacheIndexQueryRequest.process` → `rawCache(ctx)`).
            if !request.cache.keepBinary, let first = matches.first, case .object(let object) = first.value {
                failure = .failure(ServerStatus.failed, "class org.apache.ignite.binary.BinaryInvalidTypeException: Failed to resolve "
                                   + "class name [platformId=0, platform=Java, typeId=\(object.typeId)]")
                return .empty
            }
            rows = matches.map { [$0.key, $0.value] }
            return .empty
        }
        if let failure { return failure }
        guard case .success = result else { return result }
        return openCursor(.scan, rows: rows, pageSize: Int(request.pageSize)) { _ in }
    }

    /// What GridGain 8 makes of an index query before running it as SQL (`IndexQuerySqlGenerator.generate`).
    enum GridGainPlan {
        /// The index to order by (only a named one: `ORDER BY` its columns), and whether the WHERE clause is `FALSE`.
        case plan(QueryIndex?, alwaysEmpty: Bool)
        /// The error text (status 1).
        case failure(String)
    }

    /// GridGain 8 runs an index query as SQL (`IndexQuerySqlGenerator`, `RangeIndexQueryCriterion.toSql`,
    /// `InIndexQueryCriterion.toSql`, `IndexQuerySqlBuilderContext`):
    ///
    /// * a named index is looked up as given, then upper-cased ("Index \"X\" not found."); the rows are then ordered by
    ///   its columns (`ORDER BY`); without a name the order is the SQL engine's (here: key order), and criteria need
    ///   not match any index;
    /// * each criterion's field is a column (as given, then upper-cased: "Column \"X\" not found.");
    /// * range criteria become `>=`, `>`, `<=`, `<` or `BETWEEN`-like comparisons, which never match NULL; a bound of
    ///   NULL (`eq(f, null)`, `lt(f, null)`…) is "Unsupported criterion [criterion=f[null; null]]", except
    ///   `between(lower, null)`, which matches nothing (`FALSE`); `in` matches NULL only when listed.
    static func gridGainPlan(_ request: QueryIndexRequest, entity: QueryEntity) -> GridGainPlan {
        var index: QueryIndex?
        if let name = request.indexName {
            let named = entity.indexes.first { $0.name == name } ?? entity.indexes.first { $0.name == name.uppercased() }
            guard let named else { return .failure("Index \"\(name.uppercased())\" not found.") }
            index = named
        }
        var alwaysEmpty = false
        for criterion in request.criteria ?? [] {
            if case .oneOf(let field, let values) = criterion, values.isEmpty {
                return .failure("Unsupported criterion [criterion=\(field) IN []]")
            }
            let field = criterion.field
            guard entity.fields.contains(where: { $0.name == field || $0.name.uppercased() == field.uppercased() }) else {
                return .failure("Column \"\(field.uppercased())\" not found.")
            }
            guard case .range(_, let lower, let upper, let lowerIncl, let upperIncl, let lowerNull, let upperNull) = criterion else { continue }
            let unsupported = GridGainPlan.failure("Unsupported criterion [criterion=\(field)\(lowerIncl ? "[" : "(")"
                + "\(javaString(lower)); \(javaString(upper))\(upperIncl ? "]" : ")")]")
            switch (lower, upper) {
            case (.some, .some):
                guard lowerIncl, upperIncl, !lowerNull, !upperNull else { return unsupported }
            case (.some, nil):
                guard !lowerNull, upperIncl else { return unsupported }
                if upperNull {
                    guard lowerIncl else { return unsupported }
                    alwaysEmpty = true
                }
            case (nil, .some):
                guard !upperNull, lowerIncl, !(lowerNull && !upperIncl) else { return unsupported }
            case (nil, nil):
                return unsupported
            }
        }
        return .plan(index, alwaysEmpty: alwaysEmpty)
    }

    /// A bound as Java's `toString` writes it.
    private static func javaString(_ value: IgniteValue?) -> String {
        switch value {
        case nil, .null?: "null"
        case .string(let s)?: s
        case .bool(let b)?: b ? "true" : "false"
        case let v?: number(v).map { n in n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n) } ?? String(describing: v)
        }
    }

    /// The value of an entity field named in another case (SQL columns are upper-cased).
    static func fieldIgnoringCase(_ name: String, _ entity: QueryEntity, _ field: (String) -> IgniteValue?) -> IgniteValue? {
        entity.fields.first { $0.name.uppercased() == name.uppercased() }.flatMap { field($0.name) }
    }

    /// The SQL meaning of a criterion (GridGain): comparisons never match NULL; `IN` matches NULL only when listed.
    static func sqlMatches(_ criterion: IndexQueryCriterion, _ value: IgniteValue?) -> Bool {
        switch criterion {
        case .oneOf(_, let values):
            guard let value else { return values.contains { $0.isNull } }
            return values.contains { !$0.isNull && compare(value, $0) == 0 }
        case .range(_, let lower, let upper, let lowerInclusive, let upperInclusive, _, _):
            guard let value else { return false }
            if let lower {
                let order = compare(value, lower)
                if order < 0 || (order == 0 && !lowerInclusive) { return false }
            }
            if let upper {
                let order = compare(value, upper)
                if order > 0 || (order == 0 && !upperInclusive) { return false }
            }
            return true
        }
    }

    static func simpleName(_ name: String) -> String {
        String(name.split(whereSeparator: { $0 == "." || $0 == "$" }).last ?? Substring(name))
    }

    /// `RangeIndexQueryCriterion`: a `nil` bound without its null flag is open; with it, the bound is SQL NULL (the
    /// lowest value). `InIndexQueryCriterion`: equal to one of the values.
    static func matches(_ criterion: IndexQueryCriterion, _ value: IgniteValue?) -> Bool {
        switch criterion {
        case .oneOf(_, let values):
            return values.contains { compare(value, $0.isNull ? nil : $0) == 0 }
        case .range(_, let lower, let upper, let lowerInclusive, let upperInclusive, let lowerIsNull, let upperIsNull):
            if lower != nil || lowerIsNull {
                let order = compare(value, lowerIsNull ? nil : lower)
                if order < 0 || (order == 0 && !lowerInclusive) { return false }
            }
            if upper != nil || upperIsNull {
                let order = compare(value, upperIsNull ? nil : upper)
                if order > 0 || (order == 0 && !upperInclusive) { return false }
            }
            return true
        }
    }

    /// Index order: NULL lowest, numbers by value, strings, booleans and UUIDs naturally; other kinds by description.
    static func compare(_ a: IgniteValue?, _ b: IgniteValue?) -> Int {
        switch (a, b) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case (let a?, let b?):
            if let x = number(a), let y = number(b) { return x < y ? -1 : (x > y ? 1 : 0) }
            switch (a, b) {
            case (.string(let x), .string(let y)): return x < y ? -1 : (x > y ? 1 : 0)
            case (.bool(let x), .bool(let y)): return x == y ? 0 : (x ? 1 : -1)
            default:
                let x = String(describing: a), y = String(describing: b)
                return x < y ? -1 : (x > y ? 1 : 0)
            }
        }
    }

    private static func number(_ value: IgniteValue) -> Double? {
        switch value {
        case .byte(let v): Double(v)
        case .short(let v): Double(v)
        case .int(let v): Double(v)
        case .long(let v): Double(v)
        case .float(let v): Double(v)
        case .double(let v): v
        default: nil
        }
    }
}
