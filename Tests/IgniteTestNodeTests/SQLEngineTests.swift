import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// The test node's SQL engine through `IgniteClient`, against what a real server answered: the statements of the
/// *scan-sql* capture session (GridGain 8.10, ../shared/reference/captures/scan-sql.jsonl, SERVER-BEHAVIOUR §3, §6,
/// §8) run in the same order with the same arguments, and the results, type codes and error texts compared with the
/// recorded ones; then key-value ↔ SQL interoperation both ways, and 100,000 rows paged in bounded memory.
@Suite("Test node SQL: differential script, KV ↔ SQL, many rows")
struct SQLEngineTests {
    let cluster: IgniteTestCluster
    let client: IgniteClient

    init() throws {
        cluster = try IgniteTestCluster()
        client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
    }

    /// The SQL failure text of running `sql`.
    func failure(_ sql: String, _ arguments: [IgniteValue] = [], type: SQLStatementType = .any) -> String? {
        do {
            _ = try client.sql(sql, arguments: arguments, statementType: type).all()
            return nil
        } catch let error as IgniteError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    static let createCapCity = "CREATE TABLE CAP_CITY (ID INT PRIMARY KEY, NAME VARCHAR, POPULATION BIGINT, AREA DECIMAL(10,2), FOUNDED DATE, "
        + "UPDATED TIMESTAMP, UID UUID, CAPITAL BOOLEAN, RATING DOUBLE) WITH \"template=partitioned,backups=0,CACHE_NAME=CapCityCache,VALUE_TYPE=CapCity\""
    static let insertCapCity = "INSERT INTO CAP_CITY (ID, NAME, POPULATION, AREA, FOUNDED, UPDATED, UID, CAPITAL, RATING) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    static let names = ["Amsterdam", "Berlin", "Cairo", "Delhi", "Edinburgh"]
    static let uuid = UUID(uuidString: "12345678-1234-5678-9abc-123456789abc") ?? UUID()

    func capCityRow(_ id: Int32) -> [IgniteValue] {
        [.int(id), .string(Self.names[Int(id) - 1]), .long(Int64(id) * 1_000_000), .decimal(IgniteDecimal(unscaled: Int64(id) * 10_025, scale: 2)),
         .date(IgniteDate(millisecondsSinceEpoch: 86_400_000 * Int64(id))), .timestamp(IgniteTimestamp(millisecondsSinceEpoch: 1_700_000_000_123 + Int64(id))),
         .uuid(Self.uuid), .bool(id % 2 == 1), .double(Double(id) + 0.5)]
    }

    @Test("the scan-sql capture session: DDL, DML, queries, type codes and error texts as GridGain answered")
    func captureSession() throws {
        defer { cluster.shutdown(); client.close() }
        #expect(try client.sql("DROP TABLE IF EXISTS CAP_CITY").all() == [[.long(0)]])               // sql-ddl-drop-if-exists
        #expect(try client.sql(Self.createCapCity).all() == [[.long(0)]])                            // sql-ddl-create-table
        #expect(try client.sql("CREATE INDEX CAP_CITY_NAME ON CAP_CITY (NAME)").all() == [[.long(0)]])  // sql-ddl-create-index
        // The capture's statement (sql-ddl-create-existing-table) has a value column: one without fails first with 0A000.
        #expect(failure("CREATE TABLE CAP_CITY (ID INT PRIMARY KEY, X INT)") == "42000: Table already exists: CAP_CITY")
        for id in Int32(1)...5 {                                                                      // sql-insert-parameterised
            #expect(try client.sql(Self.insertCapCity, arguments: capCityRow(id)).all() == [[.long(1)]])
        }
        // sql-select-page2-no-names / -with-names: pages of 2, 2, 1; field names only when asked for.
        let page2 = try client.sql("SELECT ID, NAME FROM CAP_CITY ORDER BY ID", pageSize: 2)
        #expect(page2.fieldNames == nil)
        #expect(try page2.all() == (1...5).map { [.int(Int32($0)), .string(Self.names[$0 - 1])] })
        #expect(try client.sql("SELECT ID, NAME FROM CAP_CITY ORDER BY ID", pageSize: 2, includeFieldNames: true).fieldNames == ["ID", "NAME"])
        // sql-select-all-types: every column comes back with the server's type code.
        let all = try client.sql("SELECT * FROM CAP_CITY WHERE ID = ?", arguments: [Int32(1)], includeFieldNames: true)
        #expect(all.fieldNames == ["ID", "NAME", "POPULATION", "AREA", "FOUNDED", "UPDATED", "UID", "CAPITAL", "RATING"])
        #expect(try all.all() == [capCityRow(1)])
        // sql-select-expressions: COUNT → Long, SUM(BIGINT) → Decimal, AVG(DOUBLE) → Double, MAX(DECIMAL) → Decimal, NULL, 'x'.
        let expressions = try client.sql("SELECT COUNT(*), SUM(POPULATION), AVG(RATING), MAX(AREA), CURRENT_DATE IS NOT NULL, NULL, 'x' FROM CAP_CITY").all()
        #expect(expressions == [[.long(5), .decimal(IgniteDecimal(15_000_000)), .double(3.5), .decimal(IgniteDecimal(unscaled: 50_125, scale: 2)),
                                 .bool(true), .null, .string("x")]])
        // sql-select-with-cache-id: the cache's schema.
        let cache = client.cache("CapCityCache")
        #expect(try client.sql("SELECT NAME FROM CAP_CITY WHERE ID > ?", arguments: [Int32(3)], cache: cache).all()
                .map { $0.first } == [.string("Delhi"), .string("Edinburgh")])
        // sql-update-count → 2.
        #expect(try client.sql("UPDATE CAP_CITY SET POPULATION = POPULATION + 1 WHERE ID < ?", arguments: [Int32(3)]).all() == [[.long(2)]])
        #expect(try client.sql("SELECT POPULATION FROM CAP_CITY WHERE ID <= 3 ORDER BY ID").all() == [[.long(1_000_001)], [.long(2_000_001)], [.long(3_000_000)]])
        // Errors, with the real texts.
        #expect(failure("SELEKT * FROM CAP_CITY") == "42000: Failed to parse query. Syntax error in SQL statement \"SELEKT[*] * FROM CAP_CITY\"; "
                + "expected \"SET, SAVEPOINT, SCRIPT, SHUTDOWN, SHOW\"; SQL statement:\nSELEKT * FROM CAP_CITY [42001-199]")
        #expect(failure("SELECT * FROM NO_SUCH_TABLE") == "42000: Failed to parse query. Table \"NO_SUCH_TABLE\" not found; SQL statement:\nSELECT * FROM NO_SUCH_TABLE [42102-199]")
        #expect(failure("SELECT NOPE FROM CAP_CITY") == "42000: Failed to parse query. Column \"NOPE\" not found; SQL statement:\nSELECT NOPE FROM CAP_CITY [42122-199]")
        #expect(failure("SELECT ID FROM CAP_CITY", type: .update) == "42000: Given statement type does not match that declared by JDBC driver")
        #expect(failure("DELETE FROM CAP_CITY", type: .select) == "42000: Given statement type does not match that declared by JDBC driver")
        #expect(failure("SELECT * FROM CAP_CITY WHERE ID = ?")?.hasPrefix("50000: Invalid number of query parameters [expected=1, actual=0, newQryParams=") == true)
        #expect(failure("INSERT INTO CAP_CITY (ID, NAME) VALUES (1, 'dup')") == "23000: Duplicate key during INSERT [key=1, table=PUBLIC.CAP_CITY]")
        // scan-sql-table-cache: keys Int, values CapCity objects with the columns in order. The DATE column is a
        // java.sql.Date, which the server writes with the OptimizedMarshaller: a thin client cannot decode that field.
        let type = try #require(try client.binaryType(named: "CapCity"))
        var scanned: [Int32: [String]] = [:]
        for (key, value) in try cache.scan().all() {
            guard case .int(let id) = key, case .object(let object) = value else { continue }
            #expect(object.typeName(schemas: client.binarySchemas) == "CapCity")
            #expect(object.hasCompactFooter)
            scanned[id] = try object.fieldIds(schemas: client.binarySchemas).compactMap { fieldId in type.fields.first { $0.fieldId == fieldId }?.name }
            #expect(try object.field("NAME", schemas: client.binarySchemas) == .string(Self.names[Int(id) - 1]))
            #expect(throws: IgniteError.self) { try object.field("FOUNDED", schemas: client.binarySchemas) }
        }
        #expect(scanned.count == 5)
        #expect(scanned[1] == ["NAME", "POPULATION", "AREA", "FOUNDED", "UPDATED", "UID", "CAPITAL", "RATING"])
        // binary-type-of-sql-table: the server registered the type.
        #expect(try client.binaryType(named: "CapCity")?.fields.map(\.name) == ["NAME", "POPULATION", "AREA", "FOUNDED", "UPDATED", "UID", "CAPITAL", "RATING"])
        // sql-query-entities-row-query: OP_QUERY_SQL, key/value rows.
        let rows = try cache.selectRow("ID > ?", typeName: "CapCity", arguments: [Int32(3)], pageSize: 1)
        #expect(try rows.all().map(\.0).sorted { ($0.intValue ?? 0) < ($1.intValue ?? 0) } == [.int(4), .int(5)])
        #expect(throws: IgniteError.self) { try cache.selectRow("ID > 0", typeName: "NoSuchType").all() }
        // sql-delete-count, then a read-only cluster refuses DML with the real text.
        #expect(try client.sql("DELETE FROM CAP_CITY WHERE ID = ?", arguments: [Int32(5)]).all() == [[.long(1)]])
        try client.cluster.setState(.activeReadOnly)
        #expect(failure("INSERT INTO CAP_CITY (ID, NAME) VALUES (9, 'ro')")
                == "90097: Failed to execute DML statement. Cluster in read-only mode [stmt=INSERT INTO CAP_CITY (ID, NAME) VALUES (9, 'ro'), params=null]")
        #expect(try client.sql("SELECT COUNT(*) FROM CAP_CITY").all() == [[.long(4)]])
        try client.cluster.setState(.active)
        #expect(failure("DROP TABLE NO_SUCH_TABLE") == "42000: Table doesn't exist: NO_SUCH_TABLE")
        #expect(try client.sql("DROP TABLE CAP_CITY").all() == [[.long(0)]])
        #expect(try !client.cacheNames().contains("CapCityCache"))
    }

    @Test("key-value ↔ SQL: puts show up in SELECT, SQL writes show up in get and scan, both ways")
    func keyValueInterop() throws {
        defer { cluster.shutdown(); client.close() }
        // A table declared through the protocol (a cache configuration with a query entity): schema = the cache name.
        var configuration = CacheConfiguration(name: "people")
        configuration.queryEntities = [QueryEntity(keyType: "java.lang.Long", valueType: "org.example.Person", tableName: "PERSON",
                                                   fields: [QueryField(name: "name", typeName: "java.lang.String"),
                                                            QueryField(name: "age", typeName: "java.lang.Integer")],
                                                   aliases: [QueryFieldAlias(fieldName: "name", alias: "FULL_NAME")])]
        let people = try client.createCache(configuration)
        func person(_ name: String, _ age: Int32, note: String? = nil) throws -> BinaryObjectBuilder {
            var builder = BinaryObjectBuilder(typeName: "org.example.Person")
            builder.setField("name", .string(name))
            builder.setField("age", .int(age))
            if let note { builder.setField("note", .string(note)) }   // a field that is not a column
            return builder
        }
        try people.put(Int64(1), try person("Ada", 36, note: "kept"))
        try people.put(Int64(2), try person("Alan", 41))
        let select = "SELECT _KEY, FULL_NAME, AGE FROM \"people\".PERSON ORDER BY _KEY"
        #expect(try client.sql(select).all() == [[.long(1), .string("Ada"), .int(36)], [.long(2), .string("Alan"), .int(41)]])
        #expect(try client.sql("SELECT FULL_NAME FROM PERSON WHERE AGE > ?", arguments: [Int32(40)], cache: people).all() == [[.string("Alan")]])
        // SQL → KV: UPDATE keeps the fields that are not columns; INSERT builds the value object; DELETE removes the entry.
        #expect(try client.sql("UPDATE \"people\".PERSON SET AGE = AGE + 1 WHERE FULL_NAME = ?", arguments: ["Ada"]).all() == [[.long(1)]])
        guard case .object(let ada)? = try people.get(Int64(1), as: IgniteValue.self) else { Issue.record("Ada is an object"); return }
        #expect(try ada.field("age", schemas: client.binarySchemas) == .int(37))
        #expect(try ada.field("note", schemas: client.binarySchemas) == .string("kept"))
        #expect(try client.sql("INSERT INTO \"people\".PERSON (_KEY, FULL_NAME, AGE) VALUES (?, ?, ?)", arguments: [Int64(3), "Grace", Int32(85)]).all() == [[.long(1)]])
        guard case .object(let grace)? = try people.get(Int64(3), as: IgniteValue.self) else { Issue.record("Grace is an object"); return }
        #expect(grace.typeName(schemas: client.binarySchemas) == "org.example.Person")
        #expect(try grace.field("name", schemas: client.binarySchemas) == .string("Grace"))
        #expect(try client.sql("DELETE FROM \"people\".PERSON WHERE AGE > 80").all() == [[.long(1)]])
        #expect(try !people.containsKey(Int64(3)))
        // KV → SQL: remove and replace are seen at once; _VAL is the stored object.
        _ = try people.getAndRemove(Int64(2), as: IgniteValue.self)
        try people.put(Int64(1), try person("Ada Lovelace", 36))
        #expect(try client.sql(select).all() == [[.long(1), .string("Ada Lovelace"), .int(36)]])
        let value = try client.sql("SELECT _VAL FROM \"people\".PERSON WHERE _KEY = 1").all()
        #expect(value == [[try people.get(Int64(1), as: IgniteValue.self) ?? .null]])

        // A DDL table: an INSERT is a BinaryObject in get and scan; a put of such an object is a row.
        _ = try client.sql("CREATE TABLE CITY (ID INT PRIMARY KEY, NAME VARCHAR, POP BIGINT) WITH \"VALUE_TYPE=CityRow\"").all()
        _ = try client.sql("INSERT INTO CITY (ID, NAME, POP) VALUES (1, 'Oslo', 700000), (2, 'Bergen', 285000)").all()
        let city = client.cache("SQL_PUBLIC_CITY")
        guard case .object(let oslo)? = try city.get(Int32(1), as: IgniteValue.self) else { Issue.record("Oslo is an object"); return }
        #expect(oslo.typeName(schemas: client.binarySchemas) == "CityRow")
        #expect(try oslo.field("POP", schemas: client.binarySchemas) == .long(700_000))
        #expect(try city.scan().all().count == 2)
        var row = BinaryObjectBuilder(typeName: "CityRow")
        row.setField("NAME", .string("Trondheim"))
        row.setField("POP", .long(212_000))
        try city.put(Int32(3), row)
        #expect(try client.sql("SELECT ID, NAME FROM CITY WHERE POP < ? ORDER BY ID", arguments: [Int64(300_000)]).all()
                == [[.int(2), .string("Bergen")], [.int(3), .string("Trondheim")]])
        #expect(try client.sql("MERGE INTO CITY (ID, NAME, POP) VALUES (3, 'Trondheim', 213000)").all() == [[.long(1)]])
        #expect(try client.sql("SELECT SUM(POP) FROM CITY").all() == [[.decimal(IgniteDecimal(1_198_000))]])
        try city.clear()
        #expect(try client.sql("SELECT COUNT(*) FROM CITY").all() == [[.long(0)]])
        // Destroying the cache drops the table.
        try people.destroy()
        #expect(failure("SELECT * FROM \"people\".PERSON")?.contains("not found") == true)
    }

    @Test("100,000 rows inserted and paged through in bounded memory")
    func manyRows() throws {
        defer { cluster.shutdown(); client.close() }
        _ = try client.sql("CREATE TABLE BIG (ID BIGINT PRIMARY KEY, LABEL VARCHAR, N INT)").all()
        let batch = 1000
        let insert = "INSERT INTO BIG (ID, LABEL, N) VALUES " + Array(repeating: "(?, ?, ?)", count: batch).joined(separator: ", ")
        for start in stride(from: 0, to: 100_000, by: batch) {
            var arguments: [IgniteValue] = []
            for id in start..<(start + batch) { arguments += [.long(Int64(id)), .string("row \(id)"), .int(Int32(id % 7))] }
            #expect(try client.sql(insert, arguments: arguments).all() == [[.long(Int64(batch))]])
        }
        #expect(try client.cache("SQL_PUBLIC_BIG").size() == 100_000)
        #expect(try client.sql("SELECT COUNT(*), SUM(N) FROM BIG").all() == [[.long(100_000), .long(299_995)]])
        let cursor = try client.sql("SELECT ID, N FROM BIG ORDER BY ID", pageSize: 1000)
        let streamingWhilePaging = cluster.sqlStatistics.openStreamingCursors   // after the first page of 1,000
        var count = 0
        var inOrder = true
        for row in try cursor.all() {
            if row.first != .long(Int64(count)) { inOrder = false }
            count += 1
        }
        #expect(count == 100_000)
        #expect(inOrder)
        // The cursor streamed from SQLite: no cursor ever held more than its page in memory.
        #expect(streamingWhilePaging == 1)
        let statistics = cluster.sqlStatistics
        #expect(statistics.peakBufferedRows == 0)
        #expect(statistics.openStreamingCursors == 0)
        #expect(statistics.rowsIndexed == 100_000)
    }
}

private extension IgniteValue {
    var intValue: Int32? {
        if case .int(let v) = self { return v }
        return nil
    }
}
