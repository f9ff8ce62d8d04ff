import Foundation
import IgniteProtocol

extension RequestHandler {
    /// OP_QUERY_SCAN: `CacheInfo, filter Obj, [i8 platform], i32 pageSize, i32 partition, bool local`.
    func scan(_ reader: inout BinaryReader) throws -> OpResult {
        let info = try CacheInfo.read(&reader)
        let filter = try reader.readValue()
        if !filter.isNull { _ = try reader.readInt8() }
        let pageSize = Int(try reader.readInt32())
        let partition = Int(try reader.readInt32())
        let local = try reader.readBool()
        guard filter.isNull else {
            return .failure(ServerStatus.failed, "The test node cannot run scan query filters (a Java class is needed on the server)")
        }
        var rows: [[IgniteValue]] = []
        let result = withCache(info, isWrite: false) { scope in
            let nodeId = node.nodeId
            var entries = scope.data.liveEntries(scope.cacheId, now: scope.now)
            if partition >= 0 { entries = entries.filter { $0.partition == partition } }
            if local {
                entries = entries.filter { scope.data.owners(partition: $0.partition, cache: scope.cache).first?.nodeId == nodeId }
            }
            rows = entries.map { [$0.key, $0.value] }
            return .empty
        }
        guard case .success = result else { return result }
        return openCursor(.scan, rows: rows, pageSize: pageSize) { _ in }
    }

    /// OP_QUERY_SQL_FIELDS (2004), with the bit-7 partitions/batch size and GridGain's bit-16 label.
    func sqlFieldsQuery(_ reader: inout BinaryReader) throws -> OpResult {
        let info = try CacheInfo.read(&reader)
        let schema = try reader.readOptionalStringObject()
        let pageSize = Int(try reader.readInt32())
        _ = try reader.readInt32()                   // max rows: ignored by the server too
        let sql = try reader.readOptionalStringObject() ?? ""
        let argCount = try reader.readCount()
        var args: [IgniteValue] = []
        for _ in 0..<argCount { args.append(try reader.readValue()) }
        let statementType = try reader.readInt8()
        for _ in 0..<6 { _ = try reader.readBool() }  // distributedJoins, local, replicatedOnly, enforceJoinOrder, collocated, lazy
        _ = try reader.readInt64()                   // timeout
        let includeFieldNames = try reader.readBool()
        if context.has(.queryPartitionsBatchSize) {
            let parts = try reader.readInt32()
            if parts > 0 { try reader.skip(try reader.checkCount(parts, elementSize: 4) * 4) }
            _ = try reader.readInt32()
        }
        if configuration.isGridGain, context.has(FeatureBit(16)) { _ = try reader.readOptionalStringObject() }
        // ClientCacheSqlFieldsQueryRequest.process calls ctx.incrementCursors() before anything else.
        if let tooMany = cursorLimitFailure() { return tooMany }
        if info.cacheId != 0 {
            let missing = core.data.withLock { $0.caches[info.cacheId] == nil }
            if missing { return .failure(ServerStatus.cacheDoesNotExist, ServerMessages.cacheDoesNotExist(info.cacheId)) }
        }
        let lookup = core.data.withLock { data -> (SQLFixture?, TestClusterState, String?) in
            let key = SQLText.normalize(sql)
            let fixture = data.sql[key]
            if fixture != nil { data.sqlParameters[key, default: []].append(args) }
            let cacheSchema = info.cacheId == 0 ? nil : data.caches[info.cacheId].map { $0.configuration.configuration.sqlSchema ?? $0.name }
            return (fixture, data.state, cacheSchema)
        }
        if lookup.1 == .inactive { return .failure(ServerStatus.failed, ServerMessages.inactive) }
        guard let fixture = lookup.0 else {
            let request = SQLRequest(sql: sql, arguments: args, schema: lookup.2 ?? schema ?? "PUBLIC", statementType: statementType,
                                     h2Build: configuration.isGridGain ? 199 : 197, isGridGain: configuration.isGridGain)
            let outcome = core.data.withLock { data in Result { () throws(SQLFailure) in try data.sqlEngine.execute(request, data: &data) } }
            switch outcome {
            case .failure(let failure):
                return .failure(ServerStatus.failed, failure.message)
            case .success(.rows(let columns, let source)):
                return openCursor(.sqlFields, rows: [], source: source, pageSize: pageSize) { writer in
                    writer.writeInt32(Int32(columns.count))
                    if includeFieldNames { for column in columns { writer.writeStringObject(column) } }
                }
            case .success(.updateCount(let count)):
                return openCursor(.sqlFields, rows: [[.long(count)]], pageSize: pageSize) { writer in
                    writer.writeInt32(1)
                    if includeFieldNames { writer.writeStringObject("UPDATED") }
                }
            }
        }
        switch fixture.result {
        case .rows(let columns, let rows):
            if statementType == 2 { return .failure(ServerStatus.failed, SQLErrors.statementTypeMismatch) }
            return openCursor(.sqlFields, rows: rows, pageSize: pageSize) { writer in
                writer.writeInt32(Int32(columns.count))
                if includeFieldNames { for column in columns { writer.writeStringObject(column) } }
            }
        case .updateCount(let count):
            if statementType == 1 { return .failure(ServerStatus.failed, SQLErrors.statementTypeMismatch) }
            if lookup.1 == .activeReadOnly { return .failure(ServerStatus.failed, SQLErrors.readOnlyDML(sql, args)) }
            return openCursor(.sqlFields, rows: [[.long(count)]], pageSize: pageSize) { writer in
                writer.writeInt32(1)
                if includeFieldNames { writer.writeStringObject("UPDATED") }
            }
        }
    }

    /// OP_QUERY_SQL (2002): `CacheInfo, String type, String sql, i32 argc, args, bool ×3, i32 pageSize, i64 timeout`.
    /// Answers a registered two-column (key, value) result.
    func sqlQuery(_ reader: inout BinaryReader) throws -> OpResult {
        let info = try CacheInfo.read(&reader)
        let typeName = try reader.readOptionalStringObject() ?? ""
        let sql = try reader.readOptionalStringObject() ?? ""
        let argCount = try reader.readCount()
        var args: [IgniteValue] = []
        for _ in 0..<argCount { args.append(try reader.readValue()) }
        for _ in 0..<3 { _ = try reader.readBool() }
        let pageSize = Int(try reader.readInt32())
        _ = try reader.readInt64()
        if let tooMany = cursorLimitFailure() { return tooMany }
        let lookup = core.data.withLock { data -> (SQLFixture?, Bool, Bool) in
            let key = SQLText.normalize(sql)
            let fixture = data.sql[key]
            if fixture != nil { data.sqlParameters[key, default: []].append(args) }
            return (fixture, false, data.caches[info.cacheId] != nil)
        }
        guard lookup.2 else { return .failure(ServerStatus.cacheDoesNotExist, ServerMessages.cacheDoesNotExist(info.cacheId)) }
        if let fixture = lookup.0, case .rows(_, let rows) = fixture.result {
            return openCursor(.sql, rows: rows.map { Array($0.prefix(2)) }, pageSize: pageSize) { _ in }
        }
        // SqlQuery: `SELECT _KEY, _VAL FROM <the type's table> WHERE <sql>` (or the query as given if it is one).
        let h2Build = configuration.isGridGain ? 199 : 197
        let isGridGain = configuration.isGridGain
        let outcome = core.data.withLock { data -> Result<SQLOutcome, SQLFailure> in
            do throws(SQLFailure) {
                do {
                    try data.sqlEngine.synchronize(&data)
                } catch {
                    throw SQLFailure(message: "50000: \(error)")
                }
                let tables = data.sqlEngine.tables[info.cacheId] ?? []
                let simple = typeName.split(whereSeparator: { $0 == "." || $0 == "$" }).last.map(String.init) ?? typeName
                guard let table = tables.first(where: { $0.valueType == typeName || $0.name.caseInsensitiveCompare(typeName) == .orderedSame
                    || $0.valueType.split(whereSeparator: { $0 == "." || $0 == "$" }).last.map(String.init) == simple }) else {
                    throw SQLFailure(message: "50000: Failed to find SQL table for type: \(typeName)")
                }
                let trimmed = sql.trimmingCharacters(in: .whitespacesAndNewlines)
                let from = "SELECT \(SQLTable.keyColumn), \(SQLTable.valueColumn) FROM \(SQLLexer.quote(table.schema)).\(SQLLexer.quote(table.name))"
                let query: String
                if trimmed.uppercased().hasPrefix("SELECT ") { query = trimmed }
                else if trimmed.uppercased().hasPrefix("FROM ") { query = "SELECT \(SQLTable.keyColumn), \(SQLTable.valueColumn) " + trimmed }
                else { query = from + (trimmed.isEmpty ? "" : " WHERE " + trimmed) }
                let request = SQLRequest(sql: query, arguments: args, schema: table.schema, statementType: 1, h2Build: h2Build, isGridGain: isGridGain)
                return .success(try data.sqlEngine.execute(request, data: &data))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .failure(let failure): return .failure(ServerStatus.failed, failure.message)
        case .success(.rows(_, let source)): return openCursor(.sql, rows: [], source: source, pageSize: pageSize) { _ in }
        case .success(.updateCount): return .failure(ServerStatus.failed, "50000: SqlQuery must be a SELECT")
        }
    }

    /// The get-page ops 2001, 2003, 2005: `i64 cursorId` → a page. Errors carry the `50000:` prefix.
    func nextPage(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        let id = try reader.readInt64()
        return session.state.withLock { state in
            guard var cursor = state.cursors[id] else {
                return .failure(ServerStatus.resourceDoesNotExist, "50000: " + ServerMessages.resourceNotFound(id))
            }
            var writer = BinaryWriter(capacity: 256)
            let more = writePage(&cursor, into: &writer)
            state.cursors[id] = more ? cursor : nil
            return .success(writer.bytes)
        }
    }

    /// The 1010 failure if the connection already has its maximum of open cursors.
    private func cursorLimitFailure() -> OpResult? {
        let limit = configuration.maxOpenCursorsPerConnection
        let open = session.state.withLock { $0.cursors.count }
        return open >= limit ? .failure(ServerStatus.tooManyCursors, ServerMessages.tooManyCursors(limit)) : nil
    }

    /// Registers a cursor (or fails with 1010 at the limit) and writes `i64 id, header, first page`.
    /// A cursor whose first page is its last is released at once.
    private func openCursor(_ kind: QueryCursor.Kind, rows: [[IgniteValue]], source: SQLRowSource? = nil, pageSize: Int,
                            header: (inout BinaryWriter) -> Void) -> OpResult {
        let limit = configuration.maxOpenCursorsPerConnection
        return session.state.withLock { state in
            guard state.cursors.count < limit else {
                return .failure(ServerStatus.tooManyCursors, ServerMessages.tooManyCursors(limit))
            }
            let id = state.nextCursorId
            state.nextCursorId += 1
            var cursor = QueryCursor(kind: kind, rows: rows, pageSize: pageSize > 0 ? pageSize : 1024, source: source)
            var writer = BinaryWriter(capacity: 256)
            writer.writeInt64(id)
            header(&writer)
            if writePage(&cursor, into: &writer) { state.cursors[id] = cursor }
            return .success(writer.bytes)
        }
    }

    /// Writes `i32 rows, rows, bool hasMore` and advances the cursor. Returns `hasMore`.
    private func writePage(_ cursor: inout QueryCursor, into writer: inout BinaryWriter) -> Bool {
        if let source = cursor.source {
            let page = source.next(cursor.pageSize)
            writer.writeInt32(Int32(page.rows.count))
            for row in page.rows {
                for value in row { ServerValueWriter.write(value, into: &writer) }
            }
            writer.writeBool(page.more)
            return page.more
        }
        let end = min(cursor.rows.count, cursor.position + cursor.pageSize)
        writer.writeInt32(Int32(end - cursor.position))
        for row in cursor.rows[cursor.position..<end] {
            for value in row { ServerValueWriter.write(value, into: &writer) }
        }
        cursor.position = end
        let more = end < cursor.rows.count
        writer.writeBool(more)
        return more
    }
}
