// pyignite's read_binary.py (manual 3.4.1, "Read"): what SQL tables look like to key-value calls. Each table is a
// cache, SQL_<schema>_<table>, whose configuration holds a query entity; its keys and values are complex objects
// of the types the entity names, read here as BinaryObjects with their fields.
import IgniteExampleSupport
import IgniteSync

enum ReadBinaryExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("read-binary")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }

        try SQLExample.createWorld(client)
        defer { try? SQLExample.dropWorld(client) }

        // A cache per table.
        let tableCaches = try client.cacheNames().filter { $0.hasPrefix("SQL_PUBLIC_") }.sorted()
        say("caches of the tables: \(tableCaches)")
        for name in ["SQL_PUBLIC_CITY", "SQL_PUBLIC_COUNTRY", "SQL_PUBLIC_COUNTRYLANGUAGE"] {
            try expect(tableCaches.contains(name), "a cache \(name)")
        }

        // The City cache's configuration: its query entity names the key and value types.
        let cityCache = client.cache("SQL_PUBLIC_CITY")
        let configuration = try cityCache.configuration()
        guard let entity = configuration.queryEntities?.first else { throw ExampleFailure("SQL_PUBLIC_CITY has no query entity") }
        say("name: \(configuration.name ?? "?")")
        say("table: \(entity.tableName ?? "?")")
        say("key type: \(entity.keyType ?? "?")")                  // SQL_PUBLIC_CITY_<uuid>_KEY
        say("value type: \(entity.valueType ?? "?")")              // SQL_PUBLIC_CITY_<uuid>
        say("query fields: \(entity.fields.map { "\($0.name) \($0.typeName)\($0.isKeyField ? " (key)" : "")" })")
        try expectEqual(entity.tableName, "CITY", "the table name")
        try expect(entity.keyType?.hasSuffix("_KEY") == true, "a key type of its own (composite primary key)")

        // Scan the cache: each entry is a key object (ID, COUNTRYCODE) and a value object (the other columns).
        let schemas = client.binarySchemas
        var rows = 0
        var shanghai: String?
        let cursor = try cityCache.scan(keyType: BinaryObject.self, valueType: BinaryObject.self)
        while let (key, value) = try cursor.next() {
            rows += 1
            guard try key.field("ID", as: Int32.self, schemas: schemas) == 1890 else { continue }
            let keyFields = try key.fields(schemas: schemas).map { "\($0.name ?? "?")=\($0.value.sqlText)" }
            let valueFields = try value.fields(schemas: schemas).map { "\($0.name ?? "?")=\($0.value.sqlText)" }
            shanghai = "\(key.typeName(schemas: schemas) ?? "?")(\(keyFields.joined(separator: ", "))), "
                + "\(value.typeName(schemas: schemas) ?? "?")(\(valueFields.joined(separator: ", ")))"
            try expectEqual(key.typeName(schemas: schemas), entity.keyType, "the key object's type")
            try expectEqual(value.typeName(schemas: schemas), entity.valueType, "the value object's type")
            try expectEqual(try value.field("NAME", as: String.self, schemas: schemas), "Shanghai", "NAME of city 1890")
            try expectEqual(try value.field("POPULATION", as: Int32.self, schemas: schemas), 9_696_300, "POPULATION of city 1890")
        }
        say("scanned \(rows) entries; city 1890 is:")
        say("  \(shanghai ?? "missing")")
        try expectEqual(rows, World.cities.count, "the entries of SQL_PUBLIC_CITY")
        try expect(shanghai != nil, "city 1890 among the entries")
    }
}
