import Foundation
import IgniteProtocol

/// CREATE TABLE, DROP TABLE, CREATE INDEX, DROP INDEX, as Ignite runs them: a table is a cache with a query entity
/// (`DdlStatementsProcessor`, `QueryUtils`), an index is an index of that query entity.
extension SQLEngine {
    func runDDL(_ tokens: [SQLToken], _ request: SQLRequest, data: inout ClusterData) throws -> Int64 {
        var stream = SQLTokenStream(tokens)
        _ = stream.next()
        let create = tokens[0].isKeyword("CREATE")
        if !create, !tokens[0].isKeyword("DROP") {
            guard stream.accept("TABLE") else { throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw)) }
            return try alterTable(&stream, request, data: &data)
        }
        if stream.accept("TABLE") {
            return create ? try createTable(&stream, request, data: &data) : try dropTable(&stream, request, data: &data)
        }
        _ = stream.accept("UNIQUE") || stream.accept("SPATIAL") || stream.accept("HASH")
        if stream.accept("INDEX") {
            try synchronize(&data)
            return create ? try createIndex(&stream, request, data: &data) : try dropIndex(&stream, request, data: &data)
        }
        throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw))
    }

    // MARK: tables

    private func createTable(_ stream: inout SQLTokenStream, _ request: SQLRequest, data: inout ClusterData) throws -> Int64 {
        let ifNotExists = stream.accept(words: "IF", "NOT", "EXISTS")
        guard let (schemaToken, nameToken) = stream.qualifiedName(), stream.acceptSymbol("("), let items = stream.parenthesizedList() else {
            throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw))
        }
        let schema = schemaToken?.name ?? request.schema
        let tableName = nameToken.name
        // Columns and the primary key (GridSqlQueryParser checks them before the table's existence is known).
        var fields: [QueryField] = []
        var primaryKey: [String] = []
        for item in items {
            var s = SQLTokenStream(item)
            if s.accept("CONSTRAINT") { _ = s.next() }
            if s.accept(words: "PRIMARY", "KEY") {
                guard s.acceptSymbol("("), let names = s.parenthesizedList() else { throw SQLFailure(message: SQLMessages.syntax(request, near: item.first?.raw)) }
                primaryKey = names.compactMap { $0.first?.name }
                continue
            }
            guard let name = s.next(), name.isIdentifier, let typeToken = s.next() else {
                throw SQLFailure(message: SQLMessages.syntax(request, near: item.first?.raw))
            }
            var typeName = typeToken.text
            if typeName.uppercased() == "DOUBLE", s.accept("PRECISION") { typeName = "DOUBLE" }
            if typeName.uppercased() == "CHARACTER", s.accept("VARYING") { typeName = "VARCHAR" }
            var precision: Int32?
            var scale: Int32?
            if s.acceptSymbol("("), let arguments = s.parenthesizedList() {
                precision = arguments.first?.first.flatMap { Int32($0.text) }
                scale = arguments.count > 1 ? arguments[1].first.flatMap { Int32($0.text) } : nil
            }
            guard let type = SQLColumnType(ddlName: typeName, scale: scale.map(Int.init)) else {
                throw SQLFailure(message: "42000: Failed to parse query. Unknown data type: \"\(typeName.uppercased())\"; SQL statement:\n\(request.sql) [50004-\(request.h2Build)]")
            }
            var field = QueryField(name: name.name, typeName: type.javaName)
            switch type {
            case .varchar, .binary: field.precision = precision
            case .decimal: field.precision = precision; field.scale = scale
            default: break
            }
            while let token = s.next() {
                if token.isKeyword("NOT"), s.accept("NULL") { field.isNotNull = true }
                else if token.isKeyword("PRIMARY"), s.accept("KEY") { primaryKey = [name.name] }
                else if token.isKeyword("DEFAULT"), let literal = s.next() {
                    var index = 0
                    let raw = try? literalValue(literal, &index)
                    field.defaultValue = (try? type.convert(raw ?? .null)) ?? .null
                }
            }
            fields.append(field)
        }
        guard !primaryKey.isEmpty else { throw SQLFailure(message: "42000: No PRIMARY KEY defined for CREATE TABLE") }
        for key in primaryKey where !fields.contains(where: { $0.name == key }) {
            throw SQLFailure(message: "42000: PRIMARY KEY column is not defined: \(key)")
        }
        // GridSqlQueryParser.parseCreateTable, observed on GridGain 8.10 (also for IF NOT EXISTS on an existing table).
        guard fields.contains(where: { !primaryKey.contains($0.name) }) else {
            throw SQLFailure(message: "0A000: Table must have at least one non PRIMARY KEY column.")
        }
        // WITH "key=value,…"
        var parameters: [String: String] = [:]
        if stream.accept("WITH") {
            guard let text = stream.next() else { throw SQLFailure(message: SQLMessages.syntax(request, near: nil)) }
            for pair in text.text.split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard parts.count == 2 else { throw SQLFailure(message: "42000: Invalid parameter (key[=value] expected): \(pair)") }
                var key = parts[0].uppercased()
                if key == "AFFINITYKEY" { key = "AFFINITY_KEY" }
                let known = ["TEMPLATE", "BACKUPS", "ATOMICITY", "CACHE_GROUP", "AFFINITY_KEY", "CACHE_NAME", "DATA_REGION", "KEY_TYPE",
                             "VALUE_TYPE", "WRAP_KEY", "WRAP_VALUE", "WRITE_SYNCHRONIZATION_MODE", "ENCRYPTED", "PK_INLINE_SIZE",
                             "AFFINITY_INDEX_INLINE_SIZE", "PARALLELISM"]
                guard known.contains(key) else { throw SQLFailure(message: "42000: Unsupported parameter: \(parts[0])") }
                parameters[key] = parts[1]
            }
        }
        try synchronize(&data)
        if table(schema: schema, name: tableName) != nil {
            if ifNotExists { return 0 }
            throw SQLFailure(message: "42000: Table already exists: \(tableName)")
        }
        let suffix = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "_")
        let wrapKey = parameters["WRAP_KEY"].map { $0.lowercased() == "true" } ?? (primaryKey.count > 1)
        // The entity the server builds (observed on GridGain 8.10): the key columns are the entity's key fields only
        // when the key is an object (a key column of its own is `keyFieldName`), and a PRIMARY KEY adds no NOT NULL
        // constraint to the fields (the server refuses a null key by itself).
        let keyIsColumn = !wrapKey && primaryKey.count == 1
        for index in fields.indices where primaryKey.contains(fields[index].name) && !keyIsColumn {
            fields[index].isKeyField = true
        }
        let wrapValue = parameters["WRAP_VALUE"].map { $0.lowercased() == "true" } ?? true
        var entity = QueryEntity(tableName: tableName, fields: fields)
        entity.valueType = parameters["VALUE_TYPE"] ?? "SQL_\(schema)_\(tableName)_\(suffix)"
        if !wrapKey, primaryKey.count == 1, let keyField = fields.first(where: { $0.name == primaryKey[0] }) {
            entity.keyFieldName = keyField.name
            entity.keyType = keyField.typeName
        } else {
            entity.keyType = parameters["KEY_TYPE"] ?? "SQL_\(schema)_\(tableName)_\(suffix)_KEY"
        }
        let valueFields = fields.filter { !primaryKey.contains($0.name) }
        if !wrapValue, valueFields.count == 1 {
            entity.valueFieldName = valueFields[0].name
            entity.valueType = valueFields[0].typeName
        }
        var configuration = CacheConfiguration(name: parameters["CACHE_NAME"] ?? "SQL_\(schema)_\(tableName)")
        configuration.sqlSchema = schema
        configuration.queryEntities = [entity]
        configuration.cacheMode = parameters["TEMPLATE"]?.lowercased() == "replicated" ? .replicated : .partitioned
        configuration.backups = parameters["BACKUPS"].flatMap { Int32($0) } ?? 0
        if parameters["ATOMICITY"]?.uppercased() == "TRANSACTIONAL" { configuration.atomicityMode = .transactional }
        configuration.groupName = parameters["CACHE_GROUP"]
        configuration.dataRegionName = parameters["DATA_REGION"]
        if let affinity = parameters["AFFINITY_KEY"] {
            let column = affinity.uppercased()
            guard primaryKey.contains(column) else { throw SQLFailure(message: "42000: Affinity key column must be one of key columns: \(column)") }
            if let keyType = entity.keyType, entity.keyFieldName == nil {
                configuration.keyConfigurations = [CacheKeyConfiguration(typeName: keyType, affinityKeyFieldName: column)]
            }
        }
        let record = CacheConfigurationRecord(requested: configuration, isGridGain: request.isGridGain, partitions: data.configuration.partitions)
        let cacheId = JavaHash.cacheId(record.name)
        guard data.caches[cacheId] == nil else {
            throw SQLFailure(message: "50000: " + ServerMessages.cacheExists(record.name))
        }
        data.caches[cacheId] = CacheRecord(id: cacheId, configuration: record)
        data.cacheOrder.append(cacheId)
        data.bumpMinor()
        ddlCaches.insert(cacheId)
        try synchronize(&data)
        return 0
    }

    private func dropTable(_ stream: inout SQLTokenStream, _ request: SQLRequest, data: inout ClusterData) throws -> Int64 {
        var ifExists = stream.accept(words: "IF", "EXISTS")
        guard let (schemaToken, nameToken) = stream.qualifiedName() else { throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw)) }
        if stream.accept(words: "IF", "EXISTS") { ifExists = true }
        try synchronize(&data)
        guard let table = resolveTable(schemaToken, nameToken, request) else {
            if ifExists { return 0 }
            throw SQLFailure(message: "42000: Table doesn't exist: \(nameToken.name)")
        }
        guard ddlCaches.contains(table.cacheId) else {
            throw SQLFailure(message: "42000: Only cache created with CREATE TABLE may be removed with DROP TABLE [cacheName=\(table.cacheName)]")
        }
        data.caches[table.cacheId] = nil
        data.cacheOrder.removeAll { $0 == table.cacheId }
        data.bumpMinor()
        ddlCaches.remove(table.cacheId)
        try synchronize(&data)
        return 0
    }

    /// `ALTER TABLE [IF EXISTS] t ADD [COLUMN] [IF NOT EXISTS] (c type, …) | c type` and `DROP [COLUMN] [IF EXISTS] c, …`:
    /// the query entity's fields change; rows keep their objects (a new column reads NULL until written).
    private func alterTable(_ stream: inout SQLTokenStream, _ request: SQLRequest, data: inout ClusterData) throws -> Int64 {
        let ifTableExists = stream.accept(words: "IF", "EXISTS")
        guard let (schemaToken, nameToken) = stream.qualifiedName() else { throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw)) }
        try synchronize(&data)
        guard let table = resolveTable(schemaToken, nameToken, request) else {
            if ifTableExists { return 0 }
            throw SQLFailure(message: "42000: Table doesn't exist: \(nameToken.name)")
        }
        guard var cache = data.caches[table.cacheId], var entities = cache.configuration.configuration.queryEntities,
              let position = entities.firstIndex(where: { $0.valueType == table.valueType }) else {
            throw SQLFailure(message: "42000: Table doesn't exist: \(nameToken.name)")
        }
        var entity = entities[position]
        if stream.accept("ADD") {
            _ = stream.accept("COLUMN")
            let ifNotExists = stream.accept(words: "IF", "NOT", "EXISTS")
            var definitions: [[SQLToken]] = []
            if stream.acceptSymbol("(") {
                definitions = stream.parenthesizedList() ?? []
            } else {
                definitions = [Array(stream.tokens[stream.index...])]
            }
            for definition in definitions {
                var s = SQLTokenStream(definition)
                guard let name = s.next(), name.isIdentifier, let typeToken = s.next() else { throw SQLFailure(message: SQLMessages.syntax(request, near: definition.first?.raw)) }
                var precision: Int32?
                var scale: Int32?
                if s.acceptSymbol("("), let arguments = s.parenthesizedList() {
                    precision = arguments.first?.first.flatMap { Int32($0.text) }
                    scale = arguments.count > 1 ? arguments[1].first.flatMap { Int32($0.text) } : nil
                }
                guard let type = SQLColumnType(ddlName: typeToken.text, scale: scale.map(Int.init)) else {
                    throw SQLFailure(message: "42000: Failed to parse query. Unknown data type: \"\(typeToken.text.uppercased())\"; SQL statement:\n\(request.sql) [50004-\(request.h2Build)]")
                }
                if table.column(named: name.name) != nil {
                    if ifNotExists { continue }
                    throw SQLFailure(message: "42000: Column already exists: \(name.name)")
                }
                var field = QueryField(name: name.name, typeName: type.javaName)
                if case .decimal = type { field.precision = precision; field.scale = scale }
                if type == .varchar || type == .binary { field.precision = precision }
                field.isNotNull = s.accept(words: "NOT", "NULL")
                entity.fields.append(field)
                entity.aliases.append(QueryFieldAlias(fieldName: field.name, alias: field.name))
            }
        } else if stream.accept("DROP") {
            _ = stream.accept("COLUMN")
            let ifExists = stream.accept(words: "IF", "EXISTS")
            var names: [SQLToken] = []
            repeat {
                guard let name = stream.next(), name.isIdentifier else { throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw)) }
                names.append(name)
            } while stream.acceptSymbol(",")
            for name in names {
                guard let index = table.column(named: name.name) else {
                    if ifExists { continue }
                    throw SQLFailure(message: "42000: Column doesn't exist: \(name.name)")
                }
                let column = table.columns[index]
                if column.isKey { throw SQLFailure(message: "42000: Cannot drop column \"\(column.name)\" because it is a part of a cache key") }
                entity.fields.removeAll { $0.name == column.field }
                entity.aliases.removeAll { $0.fieldName == column.field }
            }
        } else {
            throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw))
        }
        entities[position] = entity
        cache.configuration.replaceQueryEntities(entities)
        data.caches[table.cacheId] = cache
        try synchronize(&data)   // the table's shape changed: SQLite rebuilds it from the cache
        return 0
    }

    // MARK: indexes

    private func createIndex(_ stream: inout SQLTokenStream, _ request: SQLRequest, data: inout ClusterData) throws -> Int64 {
        let ifNotExists = stream.accept(words: "IF", "NOT", "EXISTS")
        guard let (_, indexToken) = stream.qualifiedName(), stream.accept("ON"), let (schemaToken, nameToken) = stream.qualifiedName(),
              stream.acceptSymbol("("), let items = stream.parenthesizedList() else {
            throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw))
        }
        guard let table = resolveTable(schemaToken, nameToken, request) else {
            throw SQLFailure(message: "42000: Table doesn't exist: \(nameToken.name)")
        }
        let indexName = indexToken.name
        if allTables.contains(where: { $0.schema == table.schema && $0.indexes.contains { $0.name == indexName } }) {
            if ifNotExists { return 0 }
            throw SQLFailure(message: "42000: Index already exists: \(indexName)")
        }
        var fields: [QueryIndex.Field] = []
        for item in items {
            guard let columnToken = item.first, let column = table.column(named: columnToken.name) else {
                throw SQLFailure(message: "42000: Column doesn't exist: \(item.first?.name ?? "")")
            }
            fields.append(QueryIndex.Field(name: table.columns[column].field, descending: item.dropFirst().first?.isKeyword("DESC") == true))
        }
        let index = QueryIndex(name: indexName, fields: fields)
        try changeIndexes(table, data: &data) { $0.append(index) }
        try createIndex(index, on: table)
        return 0
    }

    private func dropIndex(_ stream: inout SQLTokenStream, _ request: SQLRequest, data: inout ClusterData) throws -> Int64 {
        let ifExists = stream.accept(words: "IF", "EXISTS")
        guard let (schemaToken, indexToken) = stream.qualifiedName() else { throw SQLFailure(message: SQLMessages.syntax(request, near: stream.peek?.raw)) }
        let schema = schemaToken?.name ?? request.schema
        guard let table = allTables.first(where: { $0.schema == schema && $0.indexes.contains { $0.name == indexToken.name } }) else {
            if ifExists { return 0 }
            throw SQLFailure(message: "42000: Index doesn't exist: \(indexToken.name)")
        }
        try changeIndexes(table, data: &data) { $0.removeAll { $0.name == indexToken.name } }
        try dropIndex(indexToken.name, on: table)
        return 0
    }

    /// Changes the indexes of a table's query entity in its cache configuration (as OP_CACHE_GET_CONFIGURATION shows).
    private func changeIndexes(_ table: SQLTable, data: inout ClusterData, _ change: (inout [QueryIndex]) -> Void) throws {
        guard var cache = data.caches[table.cacheId] else { return }
        var indexes = table.indexes
        change(&indexes)
        cache.configuration.setIndexes(indexes, ofTable: table.name)
        data.caches[table.cacheId] = cache
        updateIndexes(table, indexes)
    }

    /// A literal token's value (DEFAULT clauses).
    func literalValue(_ token: SQLToken, _ index: inout Int) throws -> IgniteValue {
        switch token.kind {
        case .string: return .string(token.text)
        case .number:
            if let v = Int64(token.text) { return .long(v) }
            return (try? IgniteDecimal(string: token.text)).map { .decimal($0) } ?? .null
        default:
            if token.isKeyword("TRUE") { return .bool(true) }
            if token.isKeyword("FALSE") { return .bool(false) }
            return .null
        }
    }
}

extension CacheConfigurationRecord {
    /// Replaces the indexes of the query entity of `table` (CREATE/DROP INDEX).
    mutating func setIndexes(_ indexes: [QueryIndex], ofTable table: String) {
        guard var entities = configuration.queryEntities else { return }
        for index in entities.indices where (entities[index].tableName ?? "").uppercased() == table
            || (entities[index].valueType?.split(separator: ".").last.map { String($0).uppercased() } == table && entities[index].tableName == nil) {
            entities[index].indexes = indexes
        }
        replaceQueryEntities(entities)
    }
}
