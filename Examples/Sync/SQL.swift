// pyignite's sql.py (manual 3.3, "SQL"): the World walk-through. Create the Country, City and CountryLanguage
// tables and their indexes, load the rows, then ask the manual's questions — the largest cities, a join with named
// columns, a query with an argument — and a few more: an update, an aggregate, and the cleanup with DROP TABLE.
import IgniteExampleSupport
import IgniteSync

enum SQLExample {
    /// Creates the World tables and loads the sample rows (also used by read-binary).
    static func createWorld(_ client: IgniteClient) throws {
        for statement in World.createTables + World.createIndexes {
            _ = try client.sql(statement).all()
        }
        var inserted = 0
        for row in try World.countries() {
            _ = try client.sql(World.insertCountry, arguments: row).all()
            inserted += 1
        }
        for city in World.cities {
            // An INSERT answers with its update count.
            let count = try client.sql(World.insertCity, arguments: city.arguments).all()
            try expectEqual(count, [[.long(1)]], "the update count of an INSERT")
            inserted += 1
        }
        for row in try World.languages() {
            _ = try client.sql(World.insertLanguage, arguments: row).all()
            inserted += 1
        }
        say("created tables Country, City, CountryLanguage and 2 indexes; inserted \(inserted) rows")
    }

    /// Drops the World tables.
    static func dropWorld(_ client: IgniteClient) throws {
        for table in World.tableNames {
            _ = try client.sql("DROP TABLE IF EXISTS \(table)").all()
        }
    }

    static func run() throws {
        let environment = try ExampleEnvironment.start("sql")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }

        try createWorld(client)
        defer { try? dropWorld(client) }

        // What are the 10 largest cities in our data sample (population-wise)?
        print("Most 10 populated cities:")
        let largest = try client.sql(World.mostPopulated).all()
        for row in largest { say(rowText(row)) }                               // ['Mumbai (Bombay)', 10500000] ...
        try expectEqual(largest, World.expectedLargest.map { [.string($0.city), .int($0.population)] }, "the largest cities")

        // What are the 10 most populated cities throughout the 3 chosen countries? With the columns' names.
        print("Most 10 populated cities in USA, India and China:")
        let joined = try client.sql(World.mostPopulatedInThreeCountries, includeFieldNames: true)
        say("\(joined.fieldNames ?? [])")                                       // ["COUNTRY_NAME", "CITY_NAME", "MAX_POP"]
        say("-----")
        let joinedRows = try joined.all()
        for row in joinedRows { say(rowText(row)) }                            // ['India', 'Mumbai (Bombay)', 10500000] ...
        try expectEqual(joined.fieldNames, ["COUNTRY_NAME", "CITY_NAME", "MAX_POP"], "the join's field names")
        try expectEqual(joinedRows, World.expectedLargest.map { [.string($0.country), .string($0.city), .int($0.population)] },
                        "the join's rows")

        // Display all the information about a given city: a query with an argument.
        print("City info:")
        let info = try client.sql(World.cityInfo, arguments: [Int32(3802)], includeFieldNames: true)
        guard let detroit = try info.next() else { throw ExampleFailure("city 3802 was not found") }
        for (name, value) in zip(info.fieldNames ?? [], detroit) { say("\(name): \(value.sqlText)") }   // ID: 3802 ...
        try expectEqual(info.fieldNames, ["ID", "NAME", "COUNTRYCODE", "DISTRICT", "POPULATION"], "the city's field names")
        try expectEqual(detroit, [.int(3802), .string("Detroit"), .string("USA"), .string("Michigan"), .int(951_270)], "the city")

        // A cursor read row by row, with an aggregate.
        let perCountry = try client.sql("SELECT CountryCode, COUNT(*) FROM City GROUP BY CountryCode ORDER BY CountryCode")
        var counts: [String] = []
        while let row = try perCountry.next() {
            counts.append("\(row[0].sqlText): \(row[1].sqlText)")
        }
        say("cities per country: \(counts.joined(separator: ", "))")            // CHN: 9, IND: 7, USA: 10
        try expectEqual(counts, ["CHN: 9", "IND: 7", "USA: 10"], "the cities per country")

        // Update a row, with arguments, and read it back.
        let updated = try client.sql("UPDATE City SET Population = ? WHERE ID = ? AND CountryCode = ?",
                                     arguments: [Int32(639_111), Int32(3802), "USA"]).all()
        let population = try client.sql("SELECT Population FROM City WHERE ID = ?", arguments: [Int32(3802)]).all()
        say("UPDATE City SET Population = 639111 WHERE ID = 3802: \(updated.first?.first?.sqlText ?? "?") row(s); now \(population.first?.first?.sqlText ?? "?")")
        try expectEqual(updated, [[.long(1)]], "the update count")
        try expectEqual(population, [[.int(639_111)]], "the updated population")

        // The official languages: a join with a boolean argument.
        let official = try client.sql("""
            SELECT c.Name, l.Language FROM CountryLanguage l JOIN Country c ON c.Code = l.CountryCode
            WHERE l.IsOfficial = ? ORDER BY c.Name
            """, arguments: [true]).all()
        say("official languages: \(official.map { "\($0[0].sqlText): \($0[1].sqlText)" }.joined(separator: ", "))")
        try expectEqual(official.count, 3, "official languages")

        // Clean up: each table was a cache, SQL_PUBLIC_<TABLE>; DROP TABLE removes it.
        try dropWorld(client)
        let left = try client.cacheNames().filter { $0.hasPrefix("SQL_PUBLIC_") && ["CITY", "COUNTRY", "COUNTRYLANGUAGE"].contains($0.dropFirst(11)) }
        say("dropped the tables; their caches left: \(left)")
        try expectEqual(left, [], "caches left after DROP TABLE")
    }
}
