import Foundation
import IgniteProtocol

/// OP_QUERY_INDEX (2008), as apache/ignite's `ClientCacheIndexQueryRequest` reads it and the server's
/// `IndexQueryProcessor` answers it:
///
/// * The value type names a query entity of the cache (its value type, the type's simple name, or its table;
///   case-insensitive); otherwise status 1 "No table found for type: X".
/// * A named index must exist on that entity (names compared case-insensitively, as `QueryUtils.normalizeObjectName`
///   upper-cases unquoted names); otherwise "No index found for name: X". Without a name, the first index whose
///   leading fields are exactly the criteria's fields is used (no criteria: the primary key order).
/// * Criteria fields must be a prefix of the index's fields ("Index doesn't match criteria").
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
            let wanted = request.valueType.lowercased()
            guard let entity = entities.first(where: { entity in
                [entity.valueType, entity.valueType.map(Self.simpleName), entity.tableName].contains { $0?.lowercased() == wanted }
            }), let valueType = entity.valueType else {
                failure = .failure(ServerStatus.failed, "No table found for type: \(request.valueType)")
                return .empty
            }
            let criteria = request.criteria ?? []
            let fields = criteria.map { $0.field.lowercased() }
            var index: QueryIndex?
            if let name = request.indexName {
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
            if let index, Array(index.fields.prefix(fields.count).map { $0.name.lowercased() }) != fields {
                failure = .failure(ServerStatus.failed, "Failed to parse IndexQuery. Index doesn't match criteria.")
                return .empty
            }
            if index == nil, !fields.isEmpty {
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
                guard criteria.allSatisfy({ Self.matches($0, field($0.field)) }) else { continue }
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
            rows = matches.map { [$0.key, $0.value] }
            return .empty
        }
        if let failure { return failure }
        guard case .success = result else { return result }
        return openCursor(.scan, rows: rows, pageSize: Int(request.pageSize)) { _ in }
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
