import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

/// The Swift half of the cross-client exchange (Tools/pyignite-suite/exchange): pyignite 0.6.1 writes the known
/// values through the test node and Swift reads them back equal; Swift writes them and pyignite checks them.
/// Runs when a Python with pyignite is available ($PYTHON, or the package's .venv).
@Suite("Test node: cross-client exchange with pyignite", .enabled(if: ExchangePython.python != nil))
struct CrossClientExchangeTests {
    static let when: Int64 = 1_715_953_512_125

    /// Mirrors exchange/known_values.py: key (Long) → value.
    static func known() throws -> [(Int64, IgniteValue)] {
        let ada = try ObjectBuilder(typeName: "ExchangePerson", fields: [("name", .string("Ada")), ("age", .int(36)), ("score", .double(1234.5))]).object()
        let kirill = try ObjectBuilder(typeName: "ExchangePerson", fields: [("name", .string("Кирилл")), ("age", .int(-1)), ("score", .double(0))]).object()
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
            (23, .boolArray([true, false])), (24, .object(ada)), (25, .object(kirill)),
        ]
    }

    /// The fields of an ExchangePerson read through the schema the node holds.
    func fields(_ object: BinaryObject, _ client: RawClient) throws -> [IgniteValue?] {
        var response = try client.request(.getBinaryType) { $0.writeInt32(object.typeId) }
        #expect(try response.body.readBool())
        let type = try BinaryType.decode(from: &response.body)
        let schema = type.schema(id: object.schemaId)
        return try ["name", "age", "score"].map { try object.value(forFieldId: JavaHash.fieldId($0), schema: schema) }
    }

    @Test("pyignite writes, Swift reads every value back equal")
    func pythonWritesSwiftReads() throws {
        let python = try #require(ExchangePython.python)
        let cluster = try IgniteTestCluster()
        let port = cluster.endpoints[0].port
        let result = try ExchangePython.run(python, [ExchangePython.scripts.appendingPathComponent("write_known.py").path, "\(port)", "from_python"])
        #expect(result.status == 0, "\(result.output)")
        let client = try RawClient.connected(cluster.endpoints[0])
        for (key, expected) in try Self.known() {
            let actual = try client.get("from_python", .long(key))
            if case .object(let expectedObject) = expected, case .object(let actualObject) = actual {
                #expect(try fields(actualObject, client) == fields(expectedObject, client), "key \(key)")
            } else {
                #expect(actual == expected, "key \(key)")
            }
        }
    }

    @Test("Swift writes, pyignite reads every value back equal")
    func swiftWritesPythonReads() throws {
        let python = try #require(ExchangePython.python)
        let cluster = try IgniteTestCluster()
        let client = try RawClient.connected(cluster.endpoints[0])
        try client.createCache("from_swift")
        let type = try #require(ObjectBuilder(typeName: "ExchangePerson", fields: [("name", .string("")), ("age", .int(0)), ("score", .double(0))]).binaryType)
        #expect(try client.request(.putBinaryType) { type.encode(into: &$0) }.isSuccess)
        for (key, value) in try Self.known() {
            #expect(try client.put("from_swift", .long(key), value).isSuccess)
        }
        let result = try ExchangePython.run(python, [ExchangePython.scripts.appendingPathComponent("read_check.py").path, "\(cluster.endpoints[0].port)", "from_swift"])
        #expect(result.status == 0, "\(result.output)")
    }
}

/// Finds the Python that runs the exchange scripts.
enum ExchangePython {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let scripts = root.appendingPathComponent("Tools/pyignite-suite/exchange")

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
