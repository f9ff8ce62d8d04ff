import Foundation
import IgniteProtocol

/// Figures about the SQL engine, for tests (see ``IgniteTestCluster/sqlStatistics``).
public struct TestNodeSQLStatistics: Sendable, Equatable {
    /// The SQL tables (caches with query entities) currently indexed in SQLite.
    public var tables: Int
    /// Rows written to the SQLite index since the cluster started (one per changed cache entry).
    public var rowsIndexed: Int
    /// Full loads of a table from its cache (when the engine first sees a table).
    public var tableLoads: Int
    /// SELECT cursors that still step their SQLite statement page by page.
    public var openStreamingCursors: Int
    /// The largest number of result rows any cursor held in memory at once. Cursors stream their rows from SQLite, so
    /// this stays 0 unless a cursor had to be materialized because the data changed under it (or a fixture answered).
    public var peakBufferedRows: Int
}

/// The SQL engine of one cluster: SQLite as an index over the caches that have query entities.
///
/// The caches stay the only store. Every write to such a cache marks its key dirty (``CacheRecord/sqlDirty``); before a
/// statement runs, ``synchronize(_:)`` creates or drops SQLite tables for caches that appeared or went away, and
/// rewrites the rows of the dirty keys. A statement therefore always sees the caches as they are, whether they were
/// written by SQL or by key-value operations, at the cost of the writes since the last statement.
///
/// Used only under the cluster lock (``SharedClusterData``); cursors step their statements under their own locks.
final class SQLEngine: @unchecked Sendable {
    let database: SQLiteDatabase?
    let openFailure: String?
    /// The tables indexed, by cache id.
    private(set) var tables: [Int32: [SQLTable]] = [:]
    /// Caches created by CREATE TABLE (only those may be dropped with DROP TABLE).
    var ddlCaches: Set<Int32> = []
    private var upserts: [String: SQLiteStatement] = [:]
    private var deletes: [String: SQLiteStatement] = [:]
    private var cursors: [WeakRowSource] = []
    private let counters = Locked(TestNodeSQLStatistics(tables: 0, rowsIndexed: 0, tableLoads: 0, openStreamingCursors: 0, peakBufferedRows: 0))

    init() {
        do {
            database = try SQLiteDatabase()
            openFailure = nil
        } catch {
            database = nil
            openFailure = (error as? SQLiteError)?.message ?? "\(error)"
        }
    }

    var statistics: TestNodeSQLStatistics {
        var copy = counters.withLock { $0 }
        copy.tables = tables.values.reduce(0) { $0 + $1.count }
        copy.openStreamingCursors = cursors.filter { $0.source?.isStreaming == true }.count
        return copy
    }

    func noteBuffered(_ rows: Int) {
        counters.withLock { $0.peakBufferedRows = max($0.peakBufferedRows, rows) }
    }

    // MARK: catalog

    /// Every indexed table.
    var allTables: [SQLTable] { tables.values.flatMap { $0 } }

    /// The table `name` of `schema` (H2 names: exact, then case-insensitive).
    func table(schema: String, name: String) -> SQLTable? {
        let inSchema = allTables.filter { $0.schema == schema || $0.schema.caseInsensitiveCompare(schema) == .orderedSame }
        return inSchema.first { $0.name == name } ?? inSchema.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// The table whose SQLite name is `name`.
    func table(sqliteName name: String) -> SQLTable? {
        allTables.first { $0.sqliteName.caseInsensitiveCompare(name) == .orderedSame }
    }

    /// Whether `name` is a schema that holds tables.
    func isSchema(_ name: String) -> Bool {
        allTables.contains { $0.schema == name || $0.schema.caseInsensitiveCompare(name) == .orderedSame }
    }

    // MARK: synchronization

    /// Brings the SQLite index up to date with the caches: tables for new caches (loaded in full), dropped tables for
    /// destroyed ones, and the rows of every key written since the last call.
    func synchronize(_ data: inout ClusterData) throws {
        guard let database else { throw SQLiteError(code: 1, message: openFailure ?? "SQLite is not available") }
        let now = MonotonicClock.now()
        // Tables whose cache went away or changed shape.
        for (cacheId, indexed) in tables {
            let current = data.caches[cacheId].map(SQLTable.tables(of:)) ?? []
            if current.map(\.shape) != indexed.map(\.shape) {
                detachCursors()
                for table in indexed { try drop(table, in: database) }
                tables[cacheId] = nil
            }
        }
        // New tables: created and loaded from the cache.
        for cacheId in data.cacheOrder where tables[cacheId] == nil {
            guard let cache = data.caches[cacheId], cache.tracksSQL else { continue }
            var created: [SQLTable] = []
            for table in SQLTable.tables(of: cache) where self.table(schema: table.schema, name: table.name) == nil
                && !created.contains(where: { $0.schema == table.schema && $0.name == table.name }) {
                detachCursors()
                try database.execute(table.sqliteDefinition)
                try database.execute(table.sqliteKeyIndex)
                for index in table.indexes { try createIndex(index, on: table) }
                created.append(table)
            }
            tables[cacheId] = created
            data.purgeExpired(cacheId, now: now)
            data.caches[cacheId]?.sqlDirty = []
            guard let entries = data.caches[cacheId]?.entries, !entries.isEmpty, !created.isEmpty else { continue }
            try write(entries.map { ($0.key, $0.value as StoredEntry?) }, tables: created, data: data, database: database)
            counters.withLock { $0.tableLoads += created.count }
        }
        // Dirty keys.
        for (cacheId, indexed) in tables where !indexed.isEmpty {
            data.purgeExpired(cacheId, now: now)
            guard let cache = data.caches[cacheId], !cache.sqlDirty.isEmpty else { continue }
            data.caches[cacheId]?.sqlDirty = []
            let changes = cache.sqlDirty.map { keyId in (keyId, cache.entries[keyId].flatMap { $0.isLive(at: now) ? $0 : nil }) }
            try write(changes, tables: indexed, data: data, database: database)
        }
    }

    /// Upserts or deletes rows in one SQLite transaction.
    private func write(_ changes: [([UInt8], StoredEntry?)], tables: [SQLTable], data: ClusterData, database: SQLiteDatabase) throws {
        detachCursors()
        try database.execute("BEGIN")
        do {
            for table in tables {
                let upsert = try statement(&upserts, table) {
                    let names = table.columns.map { SQLLexer.quote($0.name) }
                        + [SQLTable.keyStorage, SQLTable.valueStorage, SQLTable.identityColumn, SQLTable.partitionColumn, SQLTable.sequenceColumn].map(SQLLexer.quote)
                    return "INSERT OR REPLACE INTO \(SQLLexer.quote(table.sqliteName)) (\(names.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: names.count).joined(separator: ", ")))"
                }
                let delete = try statement(&deletes, table) {
                    "DELETE FROM \(SQLLexer.quote(table.sqliteName)) WHERE \(SQLLexer.quote(SQLTable.identityColumn)) = ?"
                }
                for (keyId, entry) in changes {
                    if let entry {
                        try upsert.run(table.row(entry, keyId: keyId, types: data.binaryTypes))
                    } else {
                        try delete.run([.blob(keyId)])
                    }
                }
            }
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
        counters.withLock { $0.rowsIndexed += changes.count * tables.count }
    }

    private func statement(_ cache: inout [String: SQLiteStatement], _ table: SQLTable, _ sql: () -> String) throws -> SQLiteStatement {
        if let existing = cache[table.sqliteName] { return existing }
        guard let database else { throw SQLiteError(code: 1, message: "SQLite is not available") }
        let prepared = try database.prepare(sql())
        cache[table.sqliteName] = prepared
        return prepared
    }

    private func drop(_ table: SQLTable, in database: SQLiteDatabase) throws {
        upserts[table.sqliteName] = nil
        deletes[table.sqliteName] = nil
        try database.execute("DROP TABLE IF EXISTS \(SQLLexer.quote(table.sqliteName))")
    }

    /// Creates a SQLite index for an index of the table (speeds up joins and lookups; H2's own indexes are not modelled).
    func createIndex(_ index: QueryIndex, on table: SQLTable) throws {
        guard let database, let name = index.name else { return }
        let columns = index.fields.compactMap { field -> String? in
            guard let column = table.columns.first(where: { $0.field == field.name || $0.name == field.name.uppercased() }) else { return nil }
            return SQLLexer.quote(column.name) + (field.descending ? " DESC" : "")
        }
        guard !columns.isEmpty else { return }
        detachCursors()
        try database.execute("CREATE INDEX IF NOT EXISTS \(SQLLexer.quote(table.sqliteIndexName(name))) ON \(SQLLexer.quote(table.sqliteName)) (\(columns.joined(separator: ", ")))")
    }

    func dropIndex(_ name: String, on table: SQLTable) throws {
        detachCursors()
        try database?.execute("DROP INDEX IF EXISTS \(SQLLexer.quote(table.sqliteIndexName(name)))")
    }

    /// Remembers the new indexes of a table after CREATE/DROP INDEX changed its cache's configuration.
    func updateIndexes(_ table: SQLTable, _ indexes: [QueryIndex]) {
        guard var list = tables[table.cacheId], let position = list.firstIndex(where: { $0.name == table.name }) else { return }
        list[position].indexes = indexes
        tables[table.cacheId] = list
    }

    // MARK: cursors

    /// Registers a streaming cursor, so that it can be materialized before the index changes.
    func register(_ source: SQLRowSource) {
        cursors.removeAll { $0.source == nil || $0.source?.isStreaming != true }
        cursors.append(WeakRowSource(source: source))
    }

    /// Materializes every streaming cursor (their statements must not read tables that are about to change).
    func detachCursors() {
        for cursor in cursors { cursor.source?.detach() }
        cursors.removeAll()
    }
}

private struct WeakRowSource {
    weak var source: SQLRowSource?
}

extension SQLTable {
    /// What makes two versions of a table the same SQLite table (indexes aside).
    var shape: String {
        "\(schema)|\(name)|\(keyType)|\(valueType)|\(keyFieldName ?? "")|\(valueFieldName ?? "")|"
            + columns.map { "\($0.name):\($0.field):\($0.type.name):\($0.isKey)" }.joined(separator: ",")
    }
}
