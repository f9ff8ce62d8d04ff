// The "World" sample of pyignite's SQL walk-through (its examples/sql.py and the manual's "SQL" section): three
// tables, their indexes, the statements that fill them, and a sample of rows from the World database — the three
// countries the manual's join asks about, their largest cities (so the manual's printed answers are the answers here
// too) and some of their languages. Shared by the sync and async SQL examples.
import IgniteProtocol

/// The World tables, statements and rows.
public enum World {
    /// The tables, Country first (City and CountryLanguage refer to it).
    public static let createTables = [
        """
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
        """,
        """
        CREATE TABLE City (
            ID INT(11),
            Name CHAR(35),
            CountryCode CHAR(3),
            District CHAR(20),
            Population INT(11),
            PRIMARY KEY (ID, CountryCode)
        ) WITH "affinityKey=CountryCode"
        """,
        """
        CREATE TABLE CountryLanguage (
            CountryCode CHAR(3),
            Language CHAR(30),
            IsOfficial BOOLEAN,
            Percentage DECIMAL(4,1),
            PRIMARY KEY (CountryCode, Language)
        ) WITH "affinityKey=CountryCode"
        """,
    ]

    /// Indexes on the country code of the two dependent tables.
    public static let createIndexes = [
        "CREATE INDEX idx_country_code ON city (CountryCode)",
        "CREATE INDEX idx_lang_country_code ON CountryLanguage (CountryCode)",
    ]

    /// Inserts one country (15 arguments).
    public static let insertCountry = """
        INSERT INTO Country(
            Code, Name, Continent, Region,
            SurfaceArea, IndepYear, Population,
            LifeExpectancy, GNP, GNPOld,
            LocalName, GovernmentForm, HeadOfState,
            Capital, Code2
        ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// Inserts one city.
    public static let insertCity = "INSERT INTO City(ID, Name, CountryCode, District, Population) VALUES (?, ?, ?, ?, ?)"
    /// Inserts one language.
    public static let insertLanguage = "INSERT INTO CountryLanguage(CountryCode, Language, IsOfficial, Percentage) VALUES (?, ?, ?, ?)"

    /// The tables in the order they are dropped.
    public static let tableNames = ["City", "CountryLanguage", "Country"]

    /// The arguments of ``insertCountry`` for each country: DECIMAL columns as `IgniteDecimal`, SMALLINT as `Int16`,
    /// INT as `Int32`.
    /// - Throws: `IgniteError` if a decimal literal does not parse (it always does).
    public static func countries() throws -> [[any IgniteBinaryEncodable]] {
        func d(_ text: String) throws -> IgniteDecimal { try IgniteDecimal(string: text) }
        return [
            ["USA", "United States", "North America", "North America", try d("9363520.00"), Int16(1776), Int32(278_357_000),
             try d("77.1"), try d("8510700.00"), try d("8110900.00"), "United States", "Federal Republic", "George W. Bush",
             Int32(3813), "US"],
            ["IND", "India", "Asia", "Southern and Central Asia", try d("3287263.00"), Int16(1947), Int32(1_013_662_000),
             try d("62.5"), try d("447114.00"), try d("430572.00"), "Bharat/India", "Federal Republic", "Kocheril Raman Narayanan",
             Int32(1109), "IN"],
            ["CHN", "China", "Asia", "Eastern Asia", try d("9572900.00"), Int16(-1523), Int32(1_277_558_000),
             try d("71.4"), try d("982268.00"), try d("917719.00"), "Zhongquo", "People'sRepublic", "Jiang Zemin",
             Int32(1891), "CN"],
        ]
    }

    /// A city row.
    public struct City: Sendable {
        public let id: Int32
        public let name: String
        public let countryCode: String
        public let district: String
        public let population: Int32

        /// The arguments of ``World/insertCity``.
        public var arguments: [any IgniteBinaryEncodable] { [id, name, countryCode, district, population] }
    }

    /// The largest cities of the three countries.
    public static let cities: [City] = [
        City(id: 1024, name: "Mumbai (Bombay)", countryCode: "IND", district: "Maharashtra", population: 10_500_000),
        City(id: 1025, name: "Delhi", countryCode: "IND", district: "Delhi", population: 7_206_704),
        City(id: 1026, name: "Calcutta [Kolkata]", countryCode: "IND", district: "West Bengali", population: 4_399_819),
        City(id: 1027, name: "Chennai (Madras)", countryCode: "IND", district: "Tamil Nadu", population: 3_841_396),
        City(id: 1028, name: "Hyderabad", countryCode: "IND", district: "Andhra Pradesh", population: 2_964_638),
        City(id: 1029, name: "Ahmedabad", countryCode: "IND", district: "Gujarat", population: 2_876_710),
        City(id: 1030, name: "Bangalore", countryCode: "IND", district: "Karnataka", population: 2_660_088),
        City(id: 1890, name: "Shanghai", countryCode: "CHN", district: "Shanghai", population: 9_696_300),
        City(id: 1891, name: "Peking", countryCode: "CHN", district: "Peking", population: 7_472_000),
        City(id: 1892, name: "Chongqing", countryCode: "CHN", district: "Chongqing", population: 6_351_600),
        City(id: 1893, name: "Tianjin", countryCode: "CHN", district: "Tianjin", population: 5_286_800),
        City(id: 1894, name: "Wuhan", countryCode: "CHN", district: "Hubei", population: 4_344_600),
        City(id: 1895, name: "Harbin", countryCode: "CHN", district: "Heilongjiang", population: 4_289_800),
        City(id: 1896, name: "Shenyang", countryCode: "CHN", district: "Liaoning", population: 4_265_200),
        City(id: 1897, name: "Kanton [Guangzhou]", countryCode: "CHN", district: "Guangdong", population: 4_256_300),
        City(id: 1898, name: "Chengdu", countryCode: "CHN", district: "Sichuan", population: 3_361_500),
        City(id: 3793, name: "New York", countryCode: "USA", district: "New York", population: 8_008_278),
        City(id: 3794, name: "Los Angeles", countryCode: "USA", district: "California", population: 3_694_820),
        City(id: 3795, name: "Chicago", countryCode: "USA", district: "Illinois", population: 2_896_016),
        City(id: 3796, name: "Houston", countryCode: "USA", district: "Texas", population: 1_953_631),
        City(id: 3797, name: "Philadelphia", countryCode: "USA", district: "Pennsylvania", population: 1_517_550),
        City(id: 3798, name: "Phoenix", countryCode: "USA", district: "Arizona", population: 1_321_045),
        City(id: 3799, name: "San Diego", countryCode: "USA", district: "California", population: 1_223_400),
        City(id: 3800, name: "Dallas", countryCode: "USA", district: "Texas", population: 1_188_580),
        City(id: 3801, name: "San Antonio", countryCode: "USA", district: "Texas", population: 1_144_646),
        City(id: 3802, name: "Detroit", countryCode: "USA", district: "Michigan", population: 951_270),
    ]

    /// The arguments of ``insertLanguage`` for each language.
    /// - Throws: `IgniteError` if a decimal literal does not parse (it always does).
    public static func languages() throws -> [[any IgniteBinaryEncodable]] {
        let rows: [(String, String, Bool, String)] = [
            ("USA", "English", true, "86.2"), ("USA", "Spanish", false, "7.5"), ("USA", "Chinese", false, "0.6"),
            ("IND", "Hindi", true, "39.9"), ("IND", "Bengali", false, "8.2"), ("IND", "Telugu", false, "7.8"),
            ("CHN", "Chinese", true, "92.0"), ("CHN", "Zhuang", false, "1.4"), ("CHN", "Mantšu", false, "0.9"),
        ]
        return try rows.map { [$0.0, $0.1, $0.2, try IgniteDecimal(string: $0.3)] }
    }

    /// The manual's question 1: the 10 largest cities.
    public static let mostPopulated = "SELECT name, population FROM City ORDER BY population DESC LIMIT 10"

    /// The manual's question 2: the 10 most populated cities of three countries, a join with named columns.
    public static let mostPopulatedInThreeCountries = """
        SELECT country.name as country_name, city.name as city_name, MAX(city.population) AS max_pop FROM country
            JOIN city ON city.countrycode = country.code
            WHERE country.code IN ('USA','IND','CHN')
            GROUP BY country.name, city.name ORDER BY max_pop DESC LIMIT 10
        """

    /// The manual's question 3: everything about one city.
    public static let cityInfo = "SELECT * FROM City WHERE id = ?"

    /// The answer the manual prints for question 2, and (without the country) for question 1.
    public static let expectedLargest: [(country: String, city: String, population: Int32)] = [
        ("India", "Mumbai (Bombay)", 10_500_000), ("China", "Shanghai", 9_696_300), ("United States", "New York", 8_008_278),
        ("China", "Peking", 7_472_000), ("India", "Delhi", 7_206_704), ("China", "Chongqing", 6_351_600),
        ("China", "Tianjin", 5_286_800), ("India", "Calcutta [Kolkata]", 4_399_819), ("China", "Wuhan", 4_344_600),
        ("China", "Harbin", 4_289_800),
    ]
}

extension IgniteValue {
    /// A value as a SQL row prints it: strings plain, numbers as written, decimals in their scale, `NULL`.
    public var sqlText: String {
        switch self {
        case .null: "NULL"
        case .string(let v): v
        case .byte(let v): "\(v)"
        case .short(let v): "\(v)"
        case .int(let v): "\(v)"
        case .long(let v): "\(v)"
        case .float(let v): "\(v)"
        case .double(let v): "\(v)"
        case .bool(let v): "\(v)"
        case .decimal(let v): "\(v)"
        case .uuid(let v): v.uuidString
        default: "\(self)"
        }
    }
}

/// A SQL row printed as pyignite prints it, for comparison with its manual: `['Mumbai (Bombay)', 10500000]`.
public func rowText(_ row: [IgniteValue]) -> String {
    "[" + row.map { value in
        if case .string(let text) = value { return "'\(text)'" }
        return value.sqlText
    }.joined(separator: ", ") + "]"
}
