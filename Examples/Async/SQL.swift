// pyignite's async_sql.py (manual 4.2, "SQL"): the World walk-through with the async client. The rows of each
// table are inserted concurrently (pyignite: asyncio.gather), and result cursors are AsyncSequences.
import IgniteAsync
import IgniteExampleSupport

enum AsyncSQLExample {
    /// Runs every statement of `rows` concurrently and returns the sum of their update counts.
    static func insertConcurrently(_ client: IgniteClient, _ statement: String, _ rows: [[any IgniteBinaryEncodable]]) async throws -> Int {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for row in rows {
                group.addTask {
                    let result = try await client.sql(statement, arguments: row).all()
                    guard case .long(let count)? = result.first?.first else { return 0 }
                    return Int(count)
                }
            }
            return try await group.reduce(0, +)
        }
    }

    static func run() async throws {
        let environment = try ExampleEnvironment.start("sql (async)")
        defer { environment.shutdown() }
        let client = try await IgniteClient(configuration: environment.configuration)
        defer { client.close() }

        // Create tables and indices, one after the other.
        for statement in World.createTables + World.createIndexes {
            _ = try await client.sql(statement).all()
        }
        do {
            // Fill the tables, the rows of each table concurrently.
            var inserted = try await insertConcurrently(client, World.insertCountry, try World.countries())
            inserted += try await insertConcurrently(client, World.insertCity, World.cities.map(\.arguments))
            inserted += try await insertConcurrently(client, World.insertLanguage, try World.languages())
            say("inserted \(inserted) rows concurrently")
            try expectEqual(inserted, 3 + World.cities.count + 9, "rows inserted")

            // What are the 10 largest cities in our data sample (population-wise)?
            print("Most 10 populated cities:")
            var largest: [[IgniteValue]] = []
            for try await row in try await client.sql(World.mostPopulated) {
                say(rowText(row))                                                  // ['Mumbai (Bombay)', 10500000] ...
                largest.append(row)
            }
            try expectEqual(largest, World.expectedLargest.map { [.string($0.city), .int($0.population)] }, "the largest cities")

            // What are the 10 most populated cities throughout the 3 chosen countries?
            print("Most 10 populated cities in USA, India and China:")
            let cursor = try await client.sql(World.mostPopulatedInThreeCountries, includeFieldNames: true)
            say("\(cursor.fieldNames ?? [])")                                      // ["COUNTRY_NAME", "CITY_NAME", "MAX_POP"]
            say("-----")
            var joined: [[IgniteValue]] = []
            for try await row in cursor {
                say(rowText(row))
                joined.append(row)
            }
            try expectEqual(cursor.fieldNames, ["COUNTRY_NAME", "CITY_NAME", "MAX_POP"], "the join's field names")
            try expectEqual(joined, World.expectedLargest.map { [.string($0.country), .string($0.city), .int($0.population)] },
                            "the join's rows")

            // Display all the information about a given city.
            print("City info:")
            let info = try await client.sql(World.cityInfo, arguments: [Int32(3802)], includeFieldNames: true)
            guard let detroit = try await info.next() else { throw ExampleFailure("city 3802 was not found") }
            for (name, value) in zip(info.fieldNames ?? [], detroit) { say("\(name): \(value.sqlText)") }   // ID: 3802 ...
            try expectEqual(detroit, [.int(3802), .string("Detroit"), .string("USA"), .string("Michigan"), .int(951_270)], "the city")
        } catch {
            try? await dropTables(client)
            throw error
        }
        try await dropTables(client)
        say("dropped the tables")
    }

    static func dropTables(_ client: IgniteClient) async throws {
        for table in World.tableNames {
            _ = try await client.sql("DROP TABLE IF EXISTS \(table)").all()
        }
    }
}
