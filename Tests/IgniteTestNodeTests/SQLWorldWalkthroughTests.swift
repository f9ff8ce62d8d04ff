import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// The pyignite manual's SQL walk-through ("3.3 SQL", the World database; ../shared/seeds, pyignite's documentation)
/// run through `IgniteClient` on the test node: the same DDL, the same statements and arguments, and the results the
/// manual prints. The rows are a small sample written for this test around the cities the manual prints (the ten most
/// populated, Detroit); every other city is smaller, so the manual's answers are the answers here too.
@Suite("Test node SQL: the pyignite manual's World walk-through")
struct SQLWorldWalkthroughTests {
    static let countryTable = """
        CREATE TABLE Country (
            Code CHAR(3) PRIMARY KEY,
            Name CHAR(52),
            Continent CHAR(50),
            Region CHAR(26),
            SurfaceArea DECIMAL(10,2),
            IndepYear SMALLINT(6),
            Population INT(11),
            LifeExpectancy DECIMAL(3,1),
            GNP DECIMAL(10,2),
            GNPOld DECIMAL(10,2),
            LocalName CHAR(45),
            GovernmentForm CHAR(45),
            HeadOfState CHAR(60),
            Capital INT(11),
            Code2 CHAR(2)
        )
        """
    static let cityTable = """
        CREATE TABLE City (
            ID INT(11),
            Name CHAR(35),
            CountryCode CHAR(3),
            District CHAR(20),
            Population INT(11),
            PRIMARY KEY (ID, CountryCode)
        ) WITH "affinityKey=CountryCode"
        """
    static let languageTable = """
        CREATE TABLE CountryLanguage (
            CountryCode CHAR(3),
            Language CHAR(30),
            IsOfficial BOOLEAN,
            Percentage DECIMAL(4,1),
            PRIMARY KEY (CountryCode, Language)
        ) WITH "affinityKey=CountryCode"
        """
    static let countryInsert = """
        INSERT INTO Country(
            Code, Name, Continent, Region,
            SurfaceArea, IndepYear, Population,
            LifeExpectancy, GNP, GNPOld,
            LocalName, GovernmentForm, HeadOfState,
            Capital, Code2
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    static let cityInsert = "INSERT INTO City(\n    ID, Name, CountryCode, District, Population\n) VALUES (?, ?, ?, ?, ?)"
    static let languageInsert = "INSERT INTO CountryLanguage(\n    CountryCode, Language, IsOfficial, Percentage\n) VALUES (?, ?, ?, ?)"

    static func decimal(_ text: String) -> IgniteValue {
        (try? IgniteDecimal(string: text)).map { .decimal($0) } ?? .null
    }

    /// Countries: the three the manual's join names (figures rounded, for the sample only).
    static let countryRows: [[any Sendable]] = [
        ["USA", "United States", "North America", "North America", "9363520.00", 1776, 278_000_000, "77.1", "8510700.00", "8110900.00",
         "United States", "Federal Republic", "(head of state)", 3813, "US"],
        ["IND", "India", "Asia", "Southern and Central Asia", "3287263.00", 1947, 1_013_000_000, "62.5", "447114.00", "430572.00",
         "Bharat", "Federal Republic", "(head of state)", 1109, "IN"],
        ["CHN", "China", "Asia", "Eastern Asia", "9572900.00", -1523, 1_277_000_000, "71.4", "982268.00", "917719.00",
         "Zhongguo", "People's Republic", "(head of state)", 1891, "CN"],
    ]
    static let countries: [[IgniteValue]] = countryRows.map { row in
        row.enumerated().map { index, value -> IgniteValue in
            switch (index, value) {
            case (4, let text as String), (7, let text as String), (8, let text as String), (9, let text as String): return decimal(text)
            case (5, let number as Int): return .short(Int16(number))
            case (_, let number as Int): return .long(Int64(number))   // pyignite sends Python ints as Long
            case (_, let text as String): return .string(text)
            default: return .null
            }
        }
    }

    /// `(ID, Name, CountryCode, District, Population)`: the manual's printed cities, then smaller ones.
    static let cities: [(Int64, String, String, String, Int64)] = [
        (1024, "Mumbai (Bombay)", "IND", "Maharashtra", 10_500_000), (1890, "Shanghai", "CHN", "Shanghai", 9_696_300),
        (3793, "New York", "USA", "New York", 8_008_278), (1891, "Peking", "CHN", "Peking", 7_472_000),
        (1025, "Delhi", "IND", "Delhi", 7_206_704), (1892, "Chongqing", "CHN", "Chongqing", 6_351_600),
        (1893, "Tianjin", "CHN", "Tianjin", 5_286_800), (1026, "Calcutta [Kolkata]", "IND", "West Bengali", 4_399_819),
        (1894, "Wuhan", "CHN", "Hubei", 4_344_600), (1895, "Harbin", "CHN", "Heilongjiang", 4_289_800),
        (3802, "Detroit", "USA", "Michigan", 951_270),
        (3794, "Sample City A", "USA", "District A", 3_000_000), (1030, "Sample City B", "IND", "District B", 2_500_000),
        (1900, "Sample City C", "CHN", "District C", 4_000_000), (3810, "Sample City D", "USA", "District D", 120_000),
    ]

    static let languages: [(String, String, Bool, String)] = [
        ("USA", "English", true, "86.2"), ("USA", "Spanish", false, "7.5"), ("IND", "Hindi", true, "39.9"),
        ("IND", "Bengali", false, "8.2"), ("CHN", "Chinese", true, "92.0"), ("CHN", "Hui", false, "0.8"),
    ]

    @Test("tables, indexes, inserts, the manual's three queries, the SQL caches, and the cleanup")
    func walkthrough() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
        defer { client.close() }

        for query in [Self.countryTable, Self.cityTable, Self.languageTable] {
            #expect(try client.sql(query).all() == [[.long(0)]])
        }
        for query in ["\nCREATE INDEX idx_country_code ON city (CountryCode)", "\nCREATE INDEX idx_lang_country_code ON CountryLanguage (CountryCode)"] {
            #expect(try client.sql(query).all() == [[.long(0)]])
        }
        for row in Self.countries {
            #expect(try client.sql(Self.countryInsert, arguments: row).all() == [[.long(1)]])
        }
        for city in Self.cities {
            let arguments: [IgniteValue] = [.long(city.0), .string(city.1), .string(city.2), .string(city.3), .long(city.4)]
            #expect(try client.sql(Self.cityInsert, arguments: arguments).all() == [[.long(1)]])
        }
        for language in Self.languages {
            let arguments: [IgniteValue] = [.string(language.0), .string(language.1), .bool(language.2), Self.decimal(language.3)]
            #expect(try client.sql(Self.languageInsert, arguments: arguments).all() == [[.long(1)]])
        }

        // 3.3.2: the 10 largest cities.
        let largest = try client.sql("\nSELECT name, population FROM City ORDER BY population DESC LIMIT 10").all()
        #expect(largest == [
            [.string("Mumbai (Bombay)"), .int(10_500_000)], [.string("Shanghai"), .int(9_696_300)], [.string("New York"), .int(8_008_278)],
            [.string("Peking"), .int(7_472_000)], [.string("Delhi"), .int(7_206_704)], [.string("Chongqing"), .int(6_351_600)],
            [.string("Tianjin"), .int(5_286_800)], [.string("Calcutta [Kolkata]"), .int(4_399_819)], [.string("Wuhan"), .int(4_344_600)],
            [.string("Harbin"), .int(4_289_800)],
        ])

        // 3.3.3: the 10 most populated cities of three countries, with field names.
        let joined = try client.sql("""

            SELECT country.name as country_name, city.name as city_name, MAX(city.population) AS max_pop FROM country
                JOIN city ON city.countrycode = country.code
                WHERE country.code IN ('USA','IND','CHN')
                GROUP BY country.name, city.name ORDER BY max_pop DESC LIMIT 10

            """, includeFieldNames: true)
        #expect(joined.fieldNames == ["COUNTRY_NAME", "CITY_NAME", "MAX_POP"])
        let expected: [(String, String, Int32)] = [
            ("India", "Mumbai (Bombay)", 10_500_000), ("China", "Shanghai", 9_696_300), ("United States", "New York", 8_008_278),
            ("China", "Peking", 7_472_000), ("India", "Delhi", 7_206_704), ("China", "Chongqing", 6_351_600),
            ("China", "Tianjin", 5_286_800), ("India", "Calcutta [Kolkata]", 4_399_819), ("China", "Wuhan", 4_344_600),
            ("China", "Harbin", 4_289_800),
        ]
        #expect(try joined.all() == expected.map { [IgniteValue.string($0.0), .string($0.1), .int($0.2)] })

        // 3.3.4: all the information about a city.
        let info = try client.sql("SELECT * FROM City WHERE id = ?", arguments: [Int64(3802)], includeFieldNames: true)
        #expect(info.fieldNames == ["ID", "NAME", "COUNTRYCODE", "DISTRICT", "POPULATION"])
        #expect(try info.all() == [[.int(3802), .string("Detroit"), .string("USA"), .string("Michigan"), .int(951_270)]])

        // 3.4.1: each table is a cache SQL_<schema>_<table>, with its query entity; keys and values are binary objects.
        let names = try client.cacheNames()
        for name in ["SQL_PUBLIC_CITY", "SQL_PUBLIC_COUNTRY", "SQL_PUBLIC_COUNTRYLANGUAGE"] { #expect(names.contains(name)) }
        let cityCache = try client.getOrCreateCache("SQL_PUBLIC_CITY")
        let configuration = try cityCache.configuration()
        let entity = try #require(configuration.queryEntities?.first)
        #expect(entity.tableName == "CITY")
        #expect(entity.keyType?.hasPrefix("SQL_PUBLIC_CITY_") == true && entity.keyType?.hasSuffix("_KEY") == true)
        #expect(entity.valueType.map { $0.hasPrefix("SQL_PUBLIC_CITY_") && !$0.hasSuffix("_KEY") } == true)
        #expect(configuration.keyConfigurations == [CacheKeyConfiguration(typeName: entity.keyType ?? "", affinityKeyFieldName: "COUNTRYCODE")])
        var shanghai: (IgniteValue, IgniteValue)?
        for (key, value) in try cityCache.scan().all() {
            guard case .object(let object) = key, try object.field("ID", schemas: client.binarySchemas) == .int(1890) else { continue }
            shanghai = (key, value)
        }
        let (key, value) = try #require(shanghai)
        guard case .object(let keyObject) = key, case .object(let valueObject) = value else {
            Issue.record("the key and value of a SQL row are binary objects")
            return
        }
        #expect(keyObject.typeName(schemas: client.binarySchemas) == entity.keyType)
        #expect(try keyObject.field("COUNTRYCODE", schemas: client.binarySchemas) == .string("CHN"))
        #expect(valueObject.typeName(schemas: client.binarySchemas) == entity.valueType)
        #expect(try valueObject.fields(schemas: client.binarySchemas).map(\.name) == ["NAME", "DISTRICT", "POPULATION"])
        #expect(try valueObject.field("POPULATION", schemas: client.binarySchemas) == .int(9_696_300))
        // The affinity key places every row of a country in the same partition.
        let partitions = Set(Self.cities.filter { $0.2 == "CHN" }.compactMap { city -> Int? in
            var builder = BinaryObjectBuilder(typeName: entity.keyType ?? "")
            builder.setField("ID", .int(Int32(city.0)))
            builder.setField("COUNTRYCODE", .string(city.2))
            return (try? builder.build()).flatMap { cluster.partition(ofKey: .object($0), cacheName: "SQL_PUBLIC_CITY") }
        })
        #expect(partitions.count == 1)

        // A question of our own: the official languages, joined with their countries.
        let official = try client.sql("""
            SELECT c.Name, l.Language, l.Percentage FROM CountryLanguage l JOIN Country c ON c.Code = l.CountryCode
            WHERE l.IsOfficial = ? ORDER BY l.Percentage DESC
            """, arguments: [true]).all()
        #expect(official == [[.string("China"), .string("Chinese"), Self.decimal("92.0")], [.string("United States"), .string("English"), Self.decimal("86.2")],
                             [.string("India"), .string("Hindi"), Self.decimal("39.9")]])

        // Clean up as the manual does.
        for table in ["City", "CountryLanguage", "Country"] {
            #expect(try client.sql("DROP TABLE \(table) IF EXISTS").all() == [[.long(0)]])
        }
        #expect(try client.cacheNames().filter { $0.hasPrefix("SQL_PUBLIC_") }.isEmpty)
        #expect(throws: IgniteError.self) { try client.sql("SELECT * FROM City").all() }
    }
}
