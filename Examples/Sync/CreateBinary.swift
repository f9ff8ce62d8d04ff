// pyignite's create_binary.py (manual 3.4.2, "Create"): a SQL table made with key-value calls only — a cache with a
// query entity, and rows put as complex objects of the entity's value type — then read with SQL.
import IgniteExampleSupport
import IgniteSync

/// A row of the Student table: the value type of the cache's query entity (the key, SID, is the cache key).
struct Student: IgniteObjectCodable, Equatable {
    var name: String
    var login: String
    var age: Int32                                  // java.lang.Integer
    var gpa: Double

    static let igniteTypeName = "SQL_PUBLIC_STUDENT_TYPE"
    enum CodingKeys: String, CodingKey {            // SQL column names are upper case
        case name = "NAME", login = "LOGIN", age = "AGE", gpa = "GPA"
    }
}

enum CreateBinaryExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("create-binary")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }

        // 1. The table's cache: roughly CREATE TABLE Student (sid INT PRIMARY KEY, name VARCHAR, login CHAR(8),
        //    age INT, gpa DOUBLE).
        var configuration = CacheConfiguration(name: "SQL_PUBLIC_STUDENT")
        configuration.sqlSchema = "PUBLIC"
        configuration.queryEntities = [
            QueryEntity(keyType: "java.lang.Integer", valueType: Student.igniteTypeName, tableName: "STUDENT", keyFieldName: "SID",
                        fields: [
                            QueryField(name: "SID", typeName: "java.lang.Integer", isKeyField: true, isNotNull: true),
                            QueryField(name: "NAME", typeName: "java.lang.String"),
                            QueryField(name: "LOGIN", typeName: "java.lang.String"),
                            QueryField(name: "AGE", typeName: "java.lang.Integer"),
                            QueryField(name: "GPA", typeName: "java.lang.Double"),
                        ]),
        ]
        let studentCache = try client.createCache(configuration)
        defer { try? studentCache.destroy() }
        say("created cache \(studentCache.name) with the query entity of table STUDENT")

        // 2 and 3. Insert a row: the key is a Java Integer (Int32), the value a Student.
        try studentCache.put(Int32(1), Student(name: "John Doe", login: "jdoe", age: 17, gpa: 4.25))

        // The row is visible to SQL.
        let cursor = try client.sql("SELECT * FROM Student", includeFieldNames: true)
        let rows = try cursor.all()
        say("SELECT * FROM Student")
        say("  \(cursor.fieldNames ?? [])")                                  // ["SID", "NAME", "LOGIN", "AGE", "GPA"]
        for row in rows { say("  \(rowText(row))") }                         // [1, 'John Doe', 'jdoe', 17, 4.25]
        try expectEqual(cursor.fieldNames, ["SID", "NAME", "LOGIN", "AGE", "GPA"], "the field names")
        try expectEqual(rows, [[.int(1), .string("John Doe"), .string("jdoe"), .int(17), .double(4.25)]], "the rows")

        // A cache made this way is not a table made by CREATE TABLE: DROP TABLE refuses it, destroy() removes it.
        do {
            _ = try client.sql("DROP TABLE Student").all()
            throw ExampleFailure("DROP TABLE dropped a cache that CREATE TABLE did not make")
        } catch let error as IgniteError where error.code == .sql {
            say("DROP TABLE Student fails: \(error.message)")
        }
        try studentCache.destroy()
        let names = try client.cacheNames()
        say("destroyed; SQL_PUBLIC_STUDENT still exists: \(names.contains("SQL_PUBLIC_STUDENT"))")
        try expect(!names.contains("SQL_PUBLIC_STUDENT"), "the student cache is gone")
    }
}
