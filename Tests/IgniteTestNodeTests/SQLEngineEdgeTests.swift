import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// The SQL engine's corners: every column type, query features, schemas, hidden columns, transactions, cursors that
/// outlive a change of the data, the errors of DDL and DML, and malformed statements (which must fail, not crash).
@Suite("Test node SQL: types, queries, schemas, cursors, errors")
struct SQLEngineEdgeTests {
    let cluster: IgniteTestCluster
    let client: IgniteClient

    init() throws {
        cluster = try IgniteTestCluster()
        client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
    }

    func rows(_ sql: String, _ arguments: [IgniteValue] = [], schema: String = "PUBLIC") throws -> [[IgniteValue]] {
        try client.sql(sql, arguments: arguments, schema: schema).all()
    }

    func failure(_ sql: String, _ arguments: [IgniteValue] = []) -> String? {
        do {
            _ = try client.sql(sql, arguments: arguments).all()
            return nil
        } catch let error as IgniteError {
            return error.message
        } catch {
            return "\(error)"
        }
    }

    @Test("every H2 column type comes back with its Ignite type code; literals and arguments convert")
    func columnTypes() throws {
        defer { cluster.shutdown(); client.close() }
        _ = try rows("CREATE TABLE T (ID INT PRIMARY KEY, TI TINYINT, SI SMALLINT, R REAL, TM TIME, B BINARY(4), C CHAR(2), D DATE, BIG BIGINT, DC DECIMAL(6,3))")
        let time = IgniteTime(milliseconds: 45_296_789)   // 12:34:56.789
        let date = IgniteDate(millisecondsSinceEpoch: 1_577_836_800_000)   // 2020-01-01
        #expect(try rows("INSERT INTO T VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         [.long(1), .long(7), .int(300), .double(1.5), .time(time), .byteArray([1, 2, 3, 4]), .string("ab"), .date(date), .int(5), .string("1.25")])
                == [[.long(1)]])
        #expect(try rows("INSERT INTO T (ID, TI, SI, R, D, BIG, DC) VALUES (2, 8, 301, 2.5, '2021-06-30', 6, 9.5)") == [[.long(1)]])
        #expect(try rows("SELECT TI, SI, R, TM, B, C, D, BIG, DC FROM T WHERE ID = 1")
                == [[.byte(7), .short(300), .float(1.5), .time(time), .byteArray([1, 2, 3, 4]), .string("ab"), .date(date), .long(5),
                     .decimal(IgniteDecimal(unscaled: 1250, scale: 3))]])
        #expect(try rows("SELECT ID FROM T WHERE D >= '2021-01-01'") == [[.int(2)]])
        #expect(try rows("SELECT ID FROM T WHERE D < ? ORDER BY ID", [.date(IgniteDate(millisecondsSinceEpoch: 1_600_000_000_000))]) == [[.int(1)]])
        #expect(try rows("SELECT AVG(SI), SUM(SI), MIN(DC), COUNT(TM), 1 + 1, 2.50, 'a' || C, CAST(ID AS VARCHAR) FROM T WHERE ID = 1")
                == [[.short(300), .long(300), .decimal(IgniteDecimal(unscaled: 1250, scale: 3)), .long(1), .int(2), .decimal(IgniteDecimal(unscaled: 250, scale: 2)),
                     .string("aab"), .string("1")]])
        #expect(try rows("SELECT AVG(ID) FROM T") == [[.int(1)]])
        // H2 spellings: typed literals, binary literals, CONCAT, UCASE, NOW().
        #expect(try rows("SELECT ID FROM T WHERE D = DATE '2021-06-30' AND TM IS NULL") == [[.int(2)]])
        #expect(try rows("SELECT ID FROM T WHERE B = X'01020304'") == [[.int(1)]])
        #expect(try rows("SELECT CONCAT(C, NULL, '-', ID), UCASE(C), NOW() IS NOT NULL FROM T WHERE ID = 1") == [[.string("ab-1"), .string("AB"), .bool(true)]])   // H2 truncates AVG of INT: (1 + 2) / 2 = 1
        let invalid = failure("INSERT INTO T (ID, TI) VALUES (3, ?)", [.string("not a number")])
        #expect(invalid?.hasPrefix("0700B: Value conversion failed") == true)
        #expect(failure("INSERT INTO T (ID, D) VALUES (4, '99999999999999999-99-99')")?.hasPrefix("0700B") == true)
        #expect(try rows("INSERT INTO T (ID, D) VALUES (5, ?)", [.date(IgniteDate(millisecondsSinceEpoch: .min))]) == [[.long(1)]])
    }

    @Test("joins, grouping, paging arguments, sub-queries, DISTINCT, CASE, INSERT … SELECT, MERGE, DELETE")
    func queries() throws {
        defer { cluster.shutdown(); client.close() }
        _ = try rows("CREATE TABLE A (ID INT PRIMARY KEY, GRP VARCHAR, V INT)")
        _ = try rows("CREATE TABLE B (ID INT PRIMARY KEY, A_ID INT, NOTE VARCHAR)")
        #expect(try rows("INSERT INTO A (ID, GRP, V) VALUES (1, 'x', 10), (2, 'x', 20), (3, 'y', 5), (4, 'z', 1)") == [[.long(4)]])
        #expect(try rows("INSERT INTO B (ID, A_ID, NOTE) VALUES (1, 1, 'one'), (2, 3, 'three')") == [[.long(2)]])
        #expect(try rows("SELECT GRP, SUM(V) FROM A GROUP BY GRP HAVING SUM(V) > ? ORDER BY GRP", [.int(4)])
                == [[.string("x"), .long(30)], [.string("y"), .long(5)]])
        #expect(try rows("SELECT ID FROM A ORDER BY ID LIMIT ? OFFSET ?", [.int(2), .int(1)]) == [[.int(2)], [.int(3)]])
        #expect(try rows("SELECT A.ID, B.NOTE FROM A LEFT JOIN B ON B.A_ID = A.ID ORDER BY A.ID")
                == [[.int(1), .string("one")], [.int(2), .null], [.int(3), .string("three")], [.int(4), .null]])
        #expect(try rows("SELECT ID FROM A WHERE ID IN (SELECT A_ID FROM B) ORDER BY ID") == [[.int(1)], [.int(3)]])
        #expect(try rows("SELECT DISTINCT GRP FROM A ORDER BY GRP") == [[.string("x")], [.string("y")], [.string("z")]])
        #expect(try rows("SELECT CASE WHEN V > 10 THEN 'big' ELSE 'small' END FROM A WHERE ID = 2") == [[.string("big")]])
        #expect(try rows("INSERT INTO B (ID, A_ID, NOTE) SELECT ID + 10, ID, GRP FROM A WHERE V < 10") == [[.long(2)]])
        #expect(try rows("SELECT COUNT(*) FROM B") == [[.long(4)]])
        #expect(try rows("MERGE INTO A (ID, GRP, V) VALUES (4, 'z', 2), (5, 'w', 3)") == [[.long(2)]])
        #expect(try rows("SELECT V FROM A WHERE ID >= 4 ORDER BY ID") == [[.int(2)], [.int(3)]])
        #expect(try rows("DELETE FROM B") == [[.long(4)]])
        #expect(try rows("SELECT COUNT(*) FROM B;") == [[.long(0)]])
    }

    @Test("_KEY and _VAL are hidden from *, named on request; schemas from the request and the cache")
    func hiddenColumnsAndSchemas() throws {
        defer { cluster.shutdown(); client.close() }
        _ = try rows("CREATE TABLE K (ID INT PRIMARY KEY, NAME VARCHAR) WITH \"VALUE_TYPE=KRow\"")
        _ = try rows("INSERT INTO K (ID, NAME) VALUES (1, 'one')")
        let star = try client.sql("SELECT * FROM K", includeFieldNames: true)
        #expect(star.fieldNames == ["ID", "NAME"])
        let explicit = try client.sql("SELECT _KEY, _VAL, * FROM K", includeFieldNames: true)
        #expect(explicit.fieldNames == ["_KEY", "_VAL", "ID", "NAME"])
        let row = try #require(try explicit.all().first)
        #expect(row[0] == .int(1))
        guard case .object(let value) = row[1] else { Issue.record("_VAL is the value object"); return }
        #expect(value.typeName(schemas: client.binarySchemas) == "KRow")
        #expect(try rows("SELECT NAME FROM PUBLIC.K WHERE _KEY = 1") == [[.string("one")]])

        var configuration = CacheConfiguration(name: "shop")
        configuration.queryEntities = [QueryEntity(keyType: "java.lang.Integer", valueType: "Item", tableName: "ITEM",
                                                   fields: [QueryField(name: "TITLE", typeName: "java.lang.String")])]
        let shop = try client.createCache(configuration)
        var item = BinaryObjectBuilder(typeName: "Item")
        item.setField("TITLE", .string("lamp"))
        try shop.put(Int32(1), item)
        #expect(try rows("SELECT TITLE FROM ITEM", schema: "shop") == [[.string("lamp")]])
        #expect(try rows("SELECT i.TITLE, k.NAME FROM ITEM i, PUBLIC.K k WHERE k.ID = i._KEY", schema: "shop") == [[.string("lamp"), .string("one")]])
        #expect(try rows("SELECT TITLE FROM \"shop\".ITEM") == [[.string("lamp")]])
        #expect(failure("DROP TABLE \"shop\".ITEM") == "42000: Only cache created with CREATE TABLE may be removed with DROP TABLE [cacheName=shop]")
    }

    @Test("SQL reads committed data: a transaction's writes show after the commit")
    func transactions() throws {
        defer { cluster.shutdown(); client.close() }
        _ = try rows("CREATE TABLE ACCOUNTS (ID INT PRIMARY KEY, BALANCE BIGINT) WITH \"ATOMICITY=TRANSACTIONAL,VALUE_TYPE=Account\"")
        var account = BinaryObjectBuilder(typeName: "Account", compactFooter: false)   // field ids in the object: no metadata needed
        account.setField("BALANCE", .long(100))
        // The transaction through the raw protocol: start (4000), a put with the tx flag, commit (4001).
        let raw = try RawClient.connected(cluster.endpoints[0])
        var started = try raw.request(.txStart) { w in
            w.writeInt8(1)         // PESSIMISTIC
            w.writeInt8(1)         // REPEATABLE_READ
            w.writeInt64(0)
            w.writeValue(.null)    // label
        }
        let txId = try started.body.readInt32()
        #expect(try raw.put("SQL_PUBLIC_ACCOUNTS", .int(1), .object(try account.build()), tx: txId).isSuccess)
        #expect(try client.sql("SELECT COUNT(*) FROM ACCOUNTS").all() == [[.long(0)]])
        #expect(try raw.request(.txEnd) { w in
            w.writeInt32(txId)
            w.writeBool(true)
        }.isSuccess)
        #expect(try client.sql("SELECT BALANCE FROM ACCOUNTS").all() == [[.long(100)]])
    }

    @Test("a cursor opened before the data change keeps its rows; streaming otherwise")
    func cursorAcrossChanges() throws {
        defer { cluster.shutdown(); client.close() }
        _ = try rows("CREATE TABLE C (ID INT PRIMARY KEY, V INT)")
        _ = try rows("INSERT INTO C VALUES (1, 0), (2, 0), (3, 0), (4, 0), (5, 0)")
        let cursor = try client.sql("SELECT ID FROM C ORDER BY ID", pageSize: 2)   // the first page (1, 2) is read
        #expect(cluster.sqlStatistics.openStreamingCursors == 1)
        _ = try rows("DELETE FROM C WHERE ID > 2")
        #expect(cluster.sqlStatistics.peakBufferedRows == 0)
        // The next statement brings the index up to date: the open cursor first reads its remaining rows (3, 4, 5;
        // rows 1 and 2 are already in the client's first page).
        #expect(try rows("SELECT COUNT(*) FROM C") == [[.long(2)]])
        #expect(cluster.sqlStatistics.peakBufferedRows == 3)
        #expect(cluster.sqlStatistics.openStreamingCursors == 0)
        #expect(try cursor.all() == [[.int(1)], [.int(2)], [.int(3)], [.int(4)], [.int(5)]])
        let early = try client.sql("SELECT ID FROM C", pageSize: 1)
        try early.close()
        _ = try rows("DROP TABLE C")
        #expect(cluster.sqlStatistics.tables == 0)
    }

    @Test("DDL and DML errors carry the server's texts")
    func errors() throws {
        defer { cluster.shutdown(); client.close() }
        _ = try rows("CREATE TABLE P (A INT, B VARCHAR, V VARCHAR NOT NULL, PRIMARY KEY (A, B)) WITH \"KEY_TYPE=PKey,VALUE_TYPE=PVal\"")
        #expect(try rows("INSERT INTO P (A, B, V) VALUES (1, 'x', 'v')") == [[.long(1)]])
        #expect(failure("INSERT INTO P (A, B, V) VALUES (1, 'x', 'w')") == "23000: Duplicate key during INSERT [key=PKey [A=1, B=x], table=PUBLIC.P]")
        #expect(failure("INSERT INTO P (A, B, V) VALUES (1, 'x', 'w'), (2, 'y', 'w')") == "23000: Failed to INSERT some keys because they are already in cache [keys=[PKey [A=1, B=x]]]")
        #expect(try rows("SELECT COUNT(*) FROM P") == [[.long(2)]])   // the other row went in, as on the server
        #expect(failure("INSERT INTO P (A, B) VALUES (3, 'z')") == "23502: Null value is not allowed for column 'V'")
        #expect(failure("UPDATE P SET A = 5")?.hasPrefix("50000: SQL UPDATE can't modify key or its fields") == true)
        #expect(failure("INSERT INTO P (A, NOPE) VALUES (1, 2)")?.contains("Column \"NOPE\" not found") == true)
        #expect(failure("CREATE INDEX I1 ON NOPE (A)") == "42000: Table doesn't exist: NOPE")
        #expect(try rows("CREATE INDEX I1 ON P (V DESC)") == [[.long(0)]])
        #expect(failure("CREATE INDEX I1 ON P (V)") == "42000: Index already exists: I1")
        // The configuration is the one the cache started with (GridGain 8.10): no CREATE INDEX in it.
        #expect(try client.cache("SQL_PUBLIC_P").configuration().queryEntities?.first?.indexes.map(\.name) == [])
        #expect(try rows("DROP INDEX I1") == [[.long(0)]])
        #expect(failure("DROP INDEX I1") == "42000: Index doesn't exist: I1")
        #expect(failure("CREATE TABLE Q (ID INT)") == "42000: No PRIMARY KEY defined for CREATE TABLE")
        #expect(failure("CREATE TABLE Q (ID INT PRIMARY KEY, V INT) WITH \"COLOR=blue\"") == "42000: Unsupported parameter: COLOR")
        // GridSqlQueryParser checks the columns first, also of an existing table (observed on GridGain 8.10).
        let noValueColumn = "0A000: Table must have at least one non PRIMARY KEY column."
        #expect(failure("CREATE TABLE Q (ID INT PRIMARY KEY) WITH \"COLOR=blue\"") == noValueColumn)
        #expect(failure("CREATE TABLE IF NOT EXISTS P (A INT PRIMARY KEY)") == noValueColumn)
        #expect(failure("CREATE TABLE Q (A INT, B INT, PRIMARY KEY (A, B))") == noValueColumn)
        #expect(failure("CREATE TABLE Q (ID INT, PRIMARY KEY (NOPE))") == "42000: PRIMARY KEY column is not defined: NOPE")
        #expect(failure("CREATE TABLE Q (ID WIDGET PRIMARY KEY)")?.contains("Unknown data type: \"WIDGET\"") == true)
        #expect(try rows("CREATE TABLE IF NOT EXISTS P (A INT PRIMARY KEY, X INT)") == [[.long(0)]])
        #expect(failure("SELECT 1; SELECT 2") == "0A000: Multiple statements queries are not supported")
        // Lengths, precisions and scales are checked on the value as H2 made it (QueryTypeDescriptorImpl.validateProps;
        // the texts as GridGain 8.10 answered): a double's digits are those of Double.toString, nothing is rounded.
        _ = try rows("CREATE TABLE LIM (ID INT PRIMARY KEY, S VARCHAR(3), P DECIMAL(4,1))")
        #expect(failure("INSERT INTO LIM (ID, S) VALUES (1, 'abcde')") == "23000: Value for a column 'S' is too long. Maximum length: 3, actual length: 5")
        #expect(failure("INSERT INTO LIM (ID, P) VALUES (1, 0.25)") == "23000: Value for a column 'P' is out of range. Maximum scale : 1, actual scale: 2")
        #expect(failure("INSERT INTO LIM (ID, P) VALUES (1, ?)", [.double(1000.0)]) == "23000: Value for a column 'P' is out of range. Maximum precision: 4, actual precision: 5")
        #expect(failure("INSERT INTO LIM (ID, P) VALUES (1, ?)", [.decimal(IgniteDecimal(unscaled: 1_234_567, scale: 2))]) == "23000: Value for a column 'P' is out of range. Maximum precision: 4, actual precision: 7")
        #expect(try rows("INSERT INTO LIM (ID, S, P) VALUES (1, 'abc', ?)", [.double(92.0)]) == [[.long(1)]])
        #expect(failure("UPDATE LIM SET P = ? WHERE ID = 1", [.double(0.25)]) == "23000: Value for a column 'P' is out of range. Maximum scale : 1, actual scale: 2")
        #expect(failure("INSERT INTO LIM (ID, P) VALUES (2, ?)", [.double(1e-7)]) == "23000: Value for a column 'P' is out of range. Maximum scale : 1, actual scale: 8")
        #expect(failure("INSERT INTO LIM (ID, P) VALUES (2, ?)", [.double(12_345_678)]) == "23000: Value for a column 'P' is out of range. Maximum precision: 4, actual precision: 8")
        #expect(try rows("INSERT INTO LIM (ID, P) VALUES (2, ?)", [.double(1e10)]) == [[.long(1)]])   // 1.0E10: precision 2, scale -9
        _ = try rows("DROP TABLE LIM")
        // GridGain's fast DELETE removes `WHERE <key> = ?` by the argument as given (observed on GridGain 8.10): a Long
        // argument does not find an INT key; a literal, an Integer argument or any other form converts as usual.
        _ = try rows("CREATE TABLE FD (ID INT PRIMARY KEY, V INT)")
        #expect(try rows("INSERT INTO FD (ID, V) VALUES (1, 0), (2, 0), (3, 0), (4, 0)") == [[.long(4)]])
        #expect(try rows("DELETE FROM FD WHERE ID = ?", [.long(1)]) == [[.long(0)]])
        #expect(try rows("DELETE FROM FD WHERE _KEY = ?", [.long(1)]) == [[.long(0)]])
        #expect(try rows("DELETE FROM FD WHERE ID = ?", [.int(1)]) == [[.long(1)]])
        #expect(try rows("DELETE FROM FD WHERE ID = 2") == [[.long(1)]])
        #expect(try rows("DELETE FROM FD WHERE ID = ? AND V = ?", [.long(3), .long(0)]) == [[.long(1)]])
        #expect(try rows("DELETE FROM FD WHERE FD.ID = ?", [.long(4)]) == [[.long(0)]])
        #expect(try rows("SELECT ID FROM FD") == [[.int(4)]])
        _ = try rows("DROP TABLE FD")
        // ALTER TABLE: the entity's fields change; existing rows read NULL in a new column.
        #expect(try rows("ALTER TABLE P ADD COLUMN NOTE VARCHAR") == [[.long(0)]])
        #expect(failure("ALTER TABLE P ADD COLUMN NOTE INT") == "42000: Column already exists: NOTE")
        #expect(try rows("UPDATE P SET NOTE = 'n' WHERE A = 1") == [[.long(1)]])
        #expect(try rows("SELECT A, NOTE FROM P ORDER BY A") == [[.int(1), .string("n")], [.int(2), .null]])
        #expect(try client.cache("SQL_PUBLIC_P").configuration().queryEntities?.first?.fields.map(\.name) == ["A", "B", "V"])   // as started
        #expect(try rows("ALTER TABLE P DROP COLUMN NOTE") == [[.long(0)]])
        #expect(failure("SELECT NOTE FROM P")?.contains("Column \"NOTE\" not found") == true)
        #expect(failure("ALTER TABLE P DROP COLUMN A") == "42000: Cannot drop column \"A\" because it is a part of a cache key")
        #expect(failure("ALTER TABLE NOPE ADD X INT") == "42000: Table doesn't exist: NOPE")
        #expect(try rows("SELECT ';' FROM P WHERE A = 1;") == [[.string(";")]])
    }

    @Test("malformed statements fail with a status, never crash the node")
    func malformed() throws {
        defer { cluster.shutdown(); client.close() }
        _ = try rows("CREATE TABLE M (ID INT PRIMARY KEY, N VARCHAR)")
        let statements = ["", ";", "INSERT", "INSERT INTO", "INSERT INTO M", "INSERT INTO M (", "INSERT INTO M (ID) VALUES", "INSERT INTO M (ID) VALUES (",
                          "INSERT INTO M (ID) VALUES (1, 2)", "INSERT INTO M VALUES ((((1))", "UPDATE", "UPDATE M", "UPDATE M SET", "UPDATE M SET N",
                          "UPDATE M SET N =", "UPDATE M SET . = 1", "DELETE", "DELETE FROM", "DELETE FROM M WHERE", "CREATE", "CREATE TABLE",
                          "CREATE TABLE X (", "CREATE TABLE X (ID INT PRIMARY KEY) WITH", "CREATE TABLE X (ID INT PRIMARY KEY) WITH \"a\"",
                          "CREATE TABLE X (PRIMARY KEY (", "CREATE INDEX", "CREATE INDEX I ON", "DROP", "DROP TABLE", "DROP INDEX", "ALTER", "ALTER TABLE", "ALTER TABLE M ADD", "ALTER TABLE M DROP COLUMN ID",
                          "SELECT '", "SELECT \"", "SELECT (((", "SELECT * FROM M WHERE", "MERGE INTO M KEY", "/*", "--",
                          String(repeating: "(", count: 5000), "SELECT " + String(repeating: "-", count: 3000) + "1"]
        for sql in statements {
            #expect(failure(sql) != nil, "\(sql.prefix(40)) should fail")
        }
        #expect(try rows("SELECT COUNT(*) FROM M") == [[.long(0)]])
    }
}
