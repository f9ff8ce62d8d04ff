import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

/// The Swift half of the cross-client exchange (Tools/pyignite-suite/exchange): pyignite 0.6.1 writes the known
/// values through the test node and `IgniteClient` reads them back equal; `IgniteClient` writes them (scalars, arrays,
/// containers, `IgniteObjectCodable` structs with compact and full footers, a nested object) and pyignite checks them.
///
/// Runs when a Python with pyignite is available ($PYTHON, or the package's .venv). With `IGNITE_REQUIRE_PYTHON=1`
/// (set by Tools/test-all.sh) a missing Python fails the suite instead of skipping it.
@Suite("Test node: cross-client exchange with pyignite", .enabled(if: ExchangePython.python != nil || ExchangePython.required))
struct CrossClientExchangeTests {
    struct ExchangePerson: IgniteObjectCodable, Equatable {
        var name: String
        var age: Int32
        var score: Double
    }

    /// The same binary type, written with a full footer (field ids in the footer).
    struct ExchangePersonFullFooter: IgniteObjectCodable, Equatable {
        static let igniteTypeName = "ExchangePerson"
        static let igniteCompactFooter = false
        var name: String
        var age: Int32
        var score: Double
    }

    /// An object with a nested object field.
    struct ExchangeOrder: IgniteObjectCodable, Equatable {
        var id: Int64
        var customer: ExchangePerson
        var note: String
    }

    static let when: Int64 = 1_715_953_512_125
    static let colorTypeId = JavaHash.typeId("ExchangeColor")

    static let ada = ExchangePerson(name: "Ada", age: 36, score: 1234.5)
    static let kirill = ExchangePerson(name: "Кирилл", age: -1, score: 0)
    static let mapped = ExchangePerson(name: "Map", age: 3, score: 0.5)
    static let listed = [ExchangePerson(name: "A", age: 1, score: 1), ExchangePerson(name: "B", age: 2, score: 2)]
    static let grace = ExchangePersonFullFooter(name: "Grace", age: 85, score: -7.25)
    static let order = ExchangeOrder(id: 7, customer: ExchangePerson(name: "Linus", age: 54, score: 99.5), note: "rush")

    /// Mirrors exchange/known_values.py: key (Long) → value. Objects are built by `IgniteBinaryEncoder`; reads compare
    /// them by type and field values (footers may differ), everything else by `IgniteValue` equality (types included).
    static func known() throws -> [(Int64, IgniteValue)] {
        var types = BinaryTypeCollector()
        let encoder = IgniteBinaryEncoder()
        func object<T: IgniteObjectCodable>(_ value: T) throws -> IgniteValue { .object(try encoder.encodeObject(value, types: &types)) }
        let smallUUID: UUID = try #require(UUID(uuidString: "00000000-0000-0001-0000-000000000002"))
        return [
            (1, .byte(-7)), (2, .short(-12345)), (3, .int(123_456_789)), (4, .long(-1_234_567_890_123)), (5, .float(2.5)),
            (6, .double(3.14159)), (7, .char(JavaChar(0x0416))), (8, .bool(true)), (9, .string("hello, мир 😀")),
            (10, .uuid(try #require(UUID(uuidString: "12345678-1234-5678-9abc-def012345678")))),
            (11, .date(IgniteDate(millisecondsSinceEpoch: when))),
            (12, .timestamp(IgniteTimestamp(millisecondsSinceEpoch: when, nanoseconds: 456_789))),
            (13, .time(IgniteTime(milliseconds: 49_512_125))),
            (14, .decimal(IgniteDecimal(unscaled: -234_567, scale: 3))),
            (15, .byteArray([0x00, 0x01, 0x7f, 0x80, 0xff])), (16, .intArray([1, -2, 70000])), (17, .longArray([1, -2, 1 << 40])),
            (18, .doubleArray([1.5, -2.25])), (19, .stringArray(["a", nil, "мир"])),
            (20, .collection(IgniteCollection([.long(1), .string("x")], kind: .arrayList))),
            (21, .map(IgniteMap([IgniteMapEntry(.string("a"), .long(1))], kind: .hashMap))),
            (22, .objectArray(IgniteObjectArray([.long(1), .string("two"), .null], elementTypeId: -1))),
            (23, .boolArray([true, false])), (24, try object(ada)), (25, try object(kirill)),
            (26, .shortArray([1, -2, 300])), (27, .floatArray([1.5, -0.25])), (28, .charArray([JavaChar(0x61), JavaChar(0x0416)])),
            (29, .uuidArray([smallUUID])),
            (30, .dateArray([IgniteDate(millisecondsSinceEpoch: when)])),
            (31, .timestampArray([IgniteTimestamp(millisecondsSinceEpoch: when, nanoseconds: 1000)])),
            (32, .decimalArray([IgniteDecimal(unscaled: 15, scale: 1), IgniteDecimal(unscaled: -1, scale: 3)])),
            (33, .timeArray([IgniteTime(milliseconds: 1000)])),
            (34, .binaryEnum(IgniteEnum(typeId: colorTypeId, ordinal: 2))),
            (35, .collection(IgniteCollection([.string("q"), .long(2)], kind: .linkedList))),
            (36, .string("")), (37, .long(.min)), (38, .bool(false)),
            (39, .map(IgniteMap([IgniteMapEntry(.long(1), try object(mapped))], kind: .linkedHashMap))),
            (40, try object(grace)), (41, try object(order)),
            (42, .collection(IgniteCollection(try listed.map(object), kind: .arrayList))),
        ]
    }

    /// Compares a value read back with the expected one: objects by type id and named field values (recursively),
    /// containers element by element with their kinds, everything else with `==`.
    static func equivalent(_ actual: IgniteValue, _ expected: IgniteValue, _ types: any BinarySchemaResolver) throws -> Bool {
        switch (actual, expected) {
        case (.object(let a), .object(let b)):
            guard a.typeId == b.typeId else { return false }
            let fa = try a.fields(schemas: types), fb = try b.fields(schemas: types)
            guard fa.count == fb.count else { return false }
            for (x, y) in zip(fa, fb) {
                guard x.name == y.name, try equivalent(x.value, y.value, types) else { return false }
            }
            return true
        case (.collection(let a), .collection(let b)):
            guard a.kind == b.kind else { return false }
            return try elementsEquivalent(a.elements, b.elements, types)
        case (.objectArray(let a), .objectArray(let b)):
            guard a.elementTypeId == b.elementTypeId else { return false }
            return try elementsEquivalent(a.elements, b.elements, types)
        case (.map(let a), .map(let b)):
            guard a.kind == b.kind, a.entries.count == b.entries.count else { return false }
            for (x, y) in zip(a.entries, b.entries) {
                guard try equivalent(x.key, y.key, types), try equivalent(x.value, y.value, types) else { return false }
            }
            return true
        default:
            return actual == expected
        }
    }

    static func elementsEquivalent(_ a: [IgniteValue], _ b: [IgniteValue], _ types: any BinarySchemaResolver) throws -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            guard try equivalent(x, y, types) else { return false }
        }
        return true
    }

    /// Binary types fetched from the cluster through the client (OP_GET_BINARY_TYPE).
    struct ClusterTypes: BinarySchemaResolver {
        let client: IgniteClient
        func binaryType(typeId: Int32) -> BinaryType? { try? client.queryBinaryType(id: typeId) }
        func schema(typeId: Int32, schemaId: Int32) -> [Int32]? {
            (try? client.queryBinaryType(id: typeId, schemaId: schemaId))?.schema(id: schemaId)
        }
    }

    func client(_ cluster: IgniteTestCluster) throws -> IgniteClient {
        var configuration = IgniteClientConfiguration(endpoints: cluster.endpoints)
        configuration.requestTimeout = .seconds(30)
        return try IgniteClient(configuration: configuration)
    }

    @Test("pyignite writes, IgniteClient reads every value back equal (typed structs included)")
    func pythonWritesSwiftReads() throws {
        let python = try #require(ExchangePython.python, "no Python with pyignite 0.6.1 (IGNITE_REQUIRE_PYTHON is set)")
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let result = try ExchangePython.run(python, [ExchangePython.script("write_known.py"), "\(cluster.endpoints[0].port)", "from_python"])
        try #require(result.status == 0, "\(result.output)")
        let client = try client(cluster)
        defer { client.close() }
        let cache = client.cache("from_python")
        let types = ClusterTypes(client: client)
        let known = try Self.known()
        #expect(try cache.size() == known.count)
        for (key, expected) in known {
            let actual = try cache.get(key) ?? .null
            #expect(try Self.equivalent(actual, expected, types), "key \(key): \(actual) ≠ \(expected)")
        }
        // The typed path: the same entries decoded straight into Swift types.
        #expect(try cache.get(Int64(24), as: ExchangePerson.self) == Self.ada)
        #expect(try cache.get(Int64(25), as: ExchangePerson.self) == Self.kirill)
        #expect(try cache.get(Int64(40), as: ExchangePerson.self) == ExchangePerson(name: "Grace", age: 85, score: -7.25))
        #expect(try cache.get(Int64(41), as: ExchangeOrder.self) == Self.order)
        #expect(try cache.get(Int64(42), as: [ExchangePerson].self) == Self.listed)
        #expect(try cache.get(Int64(39), as: [Int64: ExchangePerson].self) == [1: Self.mapped])
        #expect(try cache.get(Int64(16), as: [Int32].self) == [1, -2, 70000])
        #expect(try cache.get(Int64(9), as: String.self) == "hello, мир 😀")
        // pyignite wrote key 40 with a full footer and the others compact: both forms of one type are readable.
        guard case .object(let full) = try cache.get(Int64(40)), case .object(let compact) = try cache.get(Int64(24)) else {
            Issue.record("keys 24 and 40 are not objects")
            return
        }
        #expect(!full.hasCompactFooter)
        #expect(compact.hasCompactFooter)
    }

    @Test("IgniteClient writes (IgniteValue, IgniteObjectCodable structs, both footers), pyignite reads every value back equal")
    func swiftWritesPythonReads() throws {
        let python = try #require(ExchangePython.python, "no Python with pyignite 0.6.1 (IGNITE_REQUIRE_PYTHON is set)")
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try client(cluster)
        defer { client.close() }
        let cache = try client.getOrCreateCache("from_swift")
        // Typed structs first: their puts register ExchangePerson / ExchangeOrder (fields and schemas) with the cluster,
        // so that the objects inside the dynamically typed containers below have known schemas.
        try cache.put(Int64(24), Self.ada)
        try cache.put(Int64(25), Self.kirill)
        try cache.put(Int64(40), Self.grace)
        try cache.put(Int64(41), Self.order)
        try cache.put(Int64(42), Self.listed)
        let typed: Set<Int64> = [24, 25, 40, 41, 42]
        for (key, value) in try Self.known() where !typed.contains(key) {
            try cache.put(key, value)
        }
        guard case .object(let full) = try cache.get(Int64(40)) else {
            Issue.record("key 40 is not an object")
            return
        }
        #expect(!full.hasCompactFooter)
        let result = try ExchangePython.run(python, [ExchangePython.script("read_check.py"), "\(cluster.endpoints[0].port)", "from_swift"])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("checked 42 values, 0 different"), "\(result.output)")
    }
}

/// Finds the Python that runs the exchange scripts.
enum ExchangePython {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = root.appendingPathComponent("Tools/pyignite-suite/exchange")

    static func script(_ name: String) -> String { scripts.appendingPathComponent(name).path }

    /// Whether a missing Python must fail the exchange tests (`IGNITE_REQUIRE_PYTHON=1`) rather than skip them.
    static let required = ProcessInfo.processInfo.environment["IGNITE_REQUIRE_PYTHON"] == "1"

    /// A Python interpreter that can import pyignite, if there is one.
    static let python: String? = {
        var candidates: [String] = []
        if let env = ProcessInfo.processInfo.environment["PYTHON"] { candidates.append(env) }
        candidates.append(root.appendingPathComponent(".venv/bin/python").path)
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            if (try? run(candidate, ["-c", "import pyignite"]).status) == 0 { return candidate }
        }
        return nil
    }()

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
