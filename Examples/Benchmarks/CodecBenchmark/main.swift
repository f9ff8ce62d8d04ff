// ignite-codec-bench: encode/decode rates of the IgniteBinary codec, next to pyignite 0.6.1 when it is installed.
//
//   swift run -c release ignite-codec-bench [--seconds S]
//
// pyignite is looked for in $PYIGNITE_PYTHON, then .venv/bin/python (relative to the working directory). Its rates are
// measured in the same run, on the same object, with the same fake-client technique as Tools/golden/generate.py.
// Nothing here asserts a duration: it prints measurements.
import Foundation
import IgniteBinary
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - The object: 10 fields (ints, strings, a double, a UUID and a timestamp)

struct BenchObject: IgniteObjectCodable {
    var id: Int32
    var accountId: Int64
    var quantity: Int32
    var name: String
    var email: String
    var city: String
    var status: String
    var balance: Double
    var uuid: UUID
    var created: IgniteTimestamp
}

let sample = BenchObject(
    id: 42, accountId: 9_000_000_001, quantity: 7, name: "Ada Lovelace", email: "ada@example.com", city: "London",
    status: "active", balance: 1234.5, uuid: UUID(uuidString: "12345678-1234-5678-1234-567812345678") ?? UUID(),
    created: IgniteTimestamp(millisecondsSinceEpoch: 1_718_109_000_123, nanoseconds: 456))
let fieldNames = ["id", "accountId", "quantity", "name", "email", "city", "status", "balance", "uuid", "created"]


// MARK: - Measurement

nonisolated(unsafe) var sink = 0

struct Rate {
    /// Operations per second of CPU time of the measuring thread.
    var opsPerSecond: Double
    /// Operations per second of wall-clock time (lower than the CPU rate when the machine is busy).
    var wallOpsPerSecond: Double
    var bytesPerOp: Int
    var nsPerOp: Double { 1e9 / opsPerSecond }
    var megabytesPerSecond: Double { opsPerSecond * Double(bytesPerOp) / 1_048_576 }
}

/// CPU time consumed by this thread, in seconds.
func threadCPUTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Runs `body` in growing batches until it has used about `seconds` of CPU time; returns the rates.
///
/// Rates are per CPU second of the measuring thread, so that other processes on a shared machine do not distort them;
/// the pyignite script measures the same way (`time.thread_time()`).
func measure(seconds: Double, fixedCount: Int?, bytesPerOp: Int, _ body: () throws -> Int) rethrows -> Rate {
    sink &+= try body()   // warm-up
    if let fixedCount {
        for _ in 0..<fixedCount { sink &+= try body() }
        return Rate(opsPerSecond: .nan, wallOpsPerSecond: .nan, bytesPerOp: bytesPerOp)
    }
    guard seconds > 0 else { return Rate(opsPerSecond: .nan, wallOpsPerSecond: .nan, bytesPerOp: bytesPerOp) }
    let clock = ContinuousClock()
    let wallStart = clock.now
    let cpuStart = threadCPUTime()
    var ops = 0
    var batch = 1
    while true {
        for _ in 0..<batch { sink &+= try body() }
        ops += batch
        let cpu = threadCPUTime() - cpuStart
        if cpu >= seconds {
            let (s, attos) = (clock.now - wallStart).components
            let wall = Double(s) + Double(attos) / 1e18
            return Rate(opsPerSecond: Double(ops) / cpu, wallOpsPerSecond: Double(ops) / wall, bytesPerOp: bytesPerOp)
        }
        batch = min(batch * 2, 1 << 20)
    }
}

/// Command-line options.
struct Options: Sendable {
    var seconds = 1.0
    var only: String?
    var withPython = true
    /// `--count N`: run each selected body exactly N times, untimed (for profilers and allocation counters).
    var fixedCount: Int?

    /// Whether the measurement `name` was selected with `--only`.
    func selected(_ name: String) -> Bool { only.map { name.contains($0) } ?? true }

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--seconds": if let value = iterator.next().flatMap(Double.init) { options.seconds = value }
            case "--only": options.only = iterator.next()
            case "--no-python": options.withPython = false
            case "--count": options.fixedCount = iterator.next().flatMap(Int.init)
            default:
                print("usage: ignite-codec-bench [--seconds S] [--only NAME-SUBSTRING] [--no-python] [--count N]")
                exit(2)
            }
        }
        return options
    }
}

// MARK: - pyignite, in the same run

let pythonScript = #"""
import json, sys, time, uuid
from collections import OrderedDict
from datetime import datetime, timezone
from pyignite import GenericObjectMeta, utils as pyutils
from pyignite.connection.protocol_context import ProtocolContext
from pyignite.connection.bitmask_feature import BitmaskFeature
from pyignite.datatypes import (IntObject, LongObject, DoubleObject, String, UUIDObject, TimestampObject, BinaryObject,
                                ByteArrayObject, IntArrayObject, DoubleArrayObject, LongArrayObject)
from pyignite.stream import BinaryStream, READ_BACKWARD

class FakeClient:
    def __init__(self):
        self.compact_footer = True
        self.protocol_context = ProtocolContext((1, 7, 0), BitmaskFeature.CLUSTER_API)
        self._event_listeners = None
        self.registry = {}
    def register_binary_type(self, data_class, affinity_key_field=None):
        self.registry.setdefault(data_class.type_id, {})[data_class.schema_id] = data_class
    def query_binary_type(self, binary_type, schema=None):
        by_schema = self.registry.get(pyutils.entity_id(binary_type), {})
        if schema is None:
            return by_schema
        return by_schema.get(schema if isinstance(schema, int) else pyutils.schema_id(schema))

client = FakeClient()

class BenchObject(metaclass=GenericObjectMeta, type_name='BenchObject', schema=OrderedDict([
    ('id', IntObject), ('accountId', LongObject), ('quantity', IntObject), ('name', String), ('email', String),
    ('city', String), ('status', String), ('balance', DoubleObject), ('uuid', UUIDObject), ('created', TimestampObject),
])):
    pass

obj = BenchObject(id=42, accountId=9_000_000_001, quantity=7, name='Ada Lovelace', email='ada@example.com', city='London',
                  status='active', balance=1234.5, uuid=uuid.UUID('12345678-1234-5678-1234-567812345678'),
                  created=(datetime(2024, 6, 11, 12, 30, 0, 123000, tzinfo=timezone.utc), 456))

def encode_obj():
    with BinaryStream(client) as s:
        BinaryObject.from_python(s, obj)
        return s.getvalue()

data = bytes(encode_obj())
assert getattr(obj, '_buffer', None) is None  # no cached encoding: every encode serializes

def decode_obj():
    with BinaryStream(client, data) as s:
        c = BinaryObject.parse(s)
        return BinaryObject.to_python(s.read_ctype(c, direction=READ_BACKWARD), client=client)

back = decode_obj()
assert back.name == 'Ada Lovelace' and back.balance == 1234.5

def measure(fn, seconds):
    # Operations per second of this thread's CPU time, like the Swift side.
    fn()
    n = 0
    start = time.thread_time()
    batch = 1
    while True:
        for _ in range(batch):
            fn()
        n += batch
        used = time.thread_time() - start
        if used >= seconds:
            return n / used
        batch = min(batch * 2, 1 << 16)

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
out = {'object_bytes': data.hex()}
out['object.encode'] = measure(encode_obj, seconds)
out['object.decode'] = measure(decode_obj, seconds)

MIB = 1 << 20
arrays = {
    'byte[]': (ByteArrayObject, bytes(i & 0xFF for i in range(MIB))),
    'int[]': (IntArrayObject, [i * 7 - 1000 for i in range(MIB // 4)]),
    'double[]': (DoubleArrayObject, [i / 3.0 for i in range(MIB // 8)]),
    'long[]': (LongArrayObject, [i * 1_000_003 for i in range(MIB // 8)]),
}
for name, (hint, value) in arrays.items():
    def enc(hint=hint, value=value):
        with BinaryStream(client) as s:
            hint.from_python(s, value)
            return s.getvalue()
    blob = bytes(enc())
    def dec(hint=hint, blob=blob):
        with BinaryStream(client, blob) as s:
            c = hint.parse(s)
            return hint.to_python(s.read_ctype(c, direction=READ_BACKWARD), client=client)
    assert len(dec()) == len(value)
    out[name + '.encode'] = measure(enc, seconds / 2)
    out[name + '.decode'] = measure(dec, seconds / 2)
print(json.dumps(out))

"""#

func runPyignite(seconds: Double) -> (results: [String: Any]?, note: String) {
    let environment = ProcessInfo.processInfo.environment
    var candidates: [String] = []
    if let python = environment["PYIGNITE_PYTHON"], !python.isEmpty { candidates.append(python) }
    candidates.append(FileManager.default.currentDirectoryPath + "/.venv/bin/python")
    guard let python = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
        return (nil, "pyignite: not measured (set PYIGNITE_PYTHON or create .venv with pyignite 0.6.1)")
    }
    let script = FileManager.default.temporaryDirectory.appendingPathComponent("ignite-codec-bench-\(getpid()).py")
    do {
        try pythonScript.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script.path, String(seconds)]
        var env = environment
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["TZ"] = "UTC"
        process.environment = env
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
              let json = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return (nil, "pyignite: \(python) failed (status \(process.terminationStatus)); is pyignite 0.6.1 installed?")
        }
        return (json, "pyignite 0.6.1 via \(python)")
    } catch {
        return (nil, "pyignite: could not run \(python): \(error)")
    }
}

// MARK: - Run

/// Runs every selected measurement. Nonisolated on purpose: closures isolated to the main actor would pay a dynamic
/// isolation check on every call from `measure`.
nonisolated func runBenchmarks(_ options: Options) throws {
    let seconds = options.seconds
    let registry = BinaryTypeRegistry()
    var types = BinaryTypeCollector()
    let encoded = try IgniteBinaryEncoder().encode(sample, types: &types)
    try registry.register(contentsOf: types)
    let objectSize = encoded.count

    print("IgniteBinary codec benchmark (\(seconds) s per measurement; build: \(isDebugBuild ? "DEBUG - use -c release" : "release"))")
    print("")

    var rows: [(String, Rate, String?)] = []
    func run(_ name: String, key: String?, seconds: Double, bytesPerOp: Int, _ body: () throws -> Int) throws {
        guard options.selected(name) else { return }
        rows.append((name, try measure(seconds: seconds, fixedCount: options.fixedCount, bytesPerOp: bytesPerOp, body), key))
    }

    // (a) BinaryObjectBuilder: a fresh builder with 10 IgniteValue fields, written into a reused writer.
    var writer = BinaryWriter(capacity: 4096)
    let o = sample
    try run("encode  BinaryObjectBuilder (10 setField + write)", key: "object.encode", seconds: seconds, bytesPerOp: objectSize) {
        var builder = BinaryObjectBuilder(typeName: "BenchObject")
        builder.setField("id", .int(o.id))
        builder.setField("accountId", .long(o.accountId))
        builder.setField("quantity", .int(o.quantity))
        builder.setField("name", .string(o.name))
        builder.setField("email", .string(o.email))
        builder.setField("city", .string(o.city))
        builder.setField("status", .string(o.status))
        builder.setField("balance", .double(o.balance))
        builder.setField("uuid", .uuid(o.uuid))
        builder.setField("created", .timestamp(o.created))
        writer.removeAll()
        try builder.write(into: &writer)
        return writer.count
    }

    // (a') the streaming writer with typed values: no boxing, no builder.
    let ids = fieldNames.map(JavaHash.fieldId)
    let typeId = JavaHash.typeId("BenchObject")
    try run("encode  streaming writer + typed fields", key: nil, seconds: seconds, bytesPerOp: objectSize) {
        writer.removeAll()
        var frame = writer.beginObject(typeId: typeId)
        var scratch = BinaryTypeCollector()
        try writer.beginField(ids[0], in: &frame); try sample.id.encodeIgnite(into: &writer, types: &scratch)
        try writer.beginField(ids[1], in: &frame); try sample.accountId.encodeIgnite(into: &writer, types: &scratch)
        try writer.beginField(ids[2], in: &frame); try sample.quantity.encodeIgnite(into: &writer, types: &scratch)
        try writer.beginField(ids[3], in: &frame); writer.writeStringObject(sample.name)
        try writer.beginField(ids[4], in: &frame); writer.writeStringObject(sample.email)
        try writer.beginField(ids[5], in: &frame); writer.writeStringObject(sample.city)
        try writer.beginField(ids[6], in: &frame); writer.writeStringObject(sample.status)
        try writer.beginField(ids[7], in: &frame); try sample.balance.encodeIgnite(into: &writer, types: &scratch)
        try writer.beginField(ids[8], in: &frame); writer.writeUUIDObject(sample.uuid)
        try writer.beginField(ids[9], in: &frame); try sample.created.encodeIgnite(into: &writer, types: &scratch)
        try writer.endObject(&frame, compactFooter: true)
        return writer.count
    }

    // (b) the Codable bridge, recording the binary type as a cache put does.
    let encoder = IgniteBinaryEncoder()
    try run("encode  Codable (IgniteBinaryEncoder)", key: "object.encode", seconds: seconds, bytesPerOp: objectSize) {
        writer.removeAll()
        var collector = BinaryTypeCollector()
        try encoder.encode(sample, into: &writer, types: &collector)
        return writer.count &+ collector.types.count
    }

    // Decode (a): parse + read all 10 fields by name from the lazy BinaryObject.
    try run("decode  lazy BinaryObject (parse + 10 fields)", key: "object.decode", seconds: seconds, bytesPerOp: objectSize) {
        let object = try BinaryObject(bytes: encoded)
        var check = 0
        for name in fieldNames {
            if let value = try object.field(name, schemas: registry) { check &+= Int(value.typeCode.rawValue) }
        }
        return check
    }

    // Decode (a'): parse, resolve the schema once, read all 10 fields by name.
    try run("decode  lazy BinaryObject (resolved once)", key: "object.decode", seconds: seconds, bytesPerOp: objectSize) {
        let fields = try BinaryObject(bytes: encoded).resolvedFields(schemas: registry)
        var check = 0
        for name in fieldNames {
            if let value = try fields.value(name) { check &+= Int(value.typeCode.rawValue) }
        }
        return check
    }

    // Decode (b): parse + decode into the Codable struct.
    let decoder = IgniteBinaryDecoder(schemas: registry)
    try run("decode  Codable (IgniteBinaryDecoder)", key: "object.decode", seconds: seconds, bytesPerOp: objectSize) {
        let value = try decoder.decode(BenchObject.self, from: encoded)
        return Int(value.id) &+ value.name.utf8.count
    }

    // Arrays of 1 MiB on the typed path.
    let mib = 1 << 20
    let byteArray = (0..<mib).map { UInt8(truncatingIfNeeded: $0) }
    let intArray = (0..<(mib / 4)).map { Int32(truncatingIfNeeded: $0 &* 7 &- 1000) }
    let doubleArray = (0..<(mib / 8)).map { Double($0) / 3 }
    let longArray = (0..<(mib / 8)).map { Int64($0) &* 1_000_003 }
    var arrayWriter = BinaryWriter(capacity: mib + 64)
    func arrayRows<T: IgniteBinaryEncodable & IgniteBinaryDecodable>(_ name: String, _ value: T) throws {
        var scratch = BinaryTypeCollector()
        arrayWriter.removeAll()
        try value.encodeIgnite(into: &arrayWriter, types: &scratch)
        let bytes = arrayWriter.bytes
        try run("encode  \(name) 1 MiB", key: "\(name).encode", seconds: seconds / 2, bytesPerOp: bytes.count) {
            arrayWriter.removeAll()
            try value.encodeIgnite(into: &arrayWriter, types: &scratch)
            return arrayWriter.count
        }
        try run("decode  \(name) 1 MiB", key: "\(name).decode", seconds: seconds / 2, bytesPerOp: bytes.count) {
            var reader = BinaryReader(bytes)
            _ = try T.decodeIgnite(from: &reader, schemas: nil)
            return reader.position
        }
    }
    try arrayRows("byte[]", byteArray)
    try arrayRows("int[]", intArray)
    try arrayRows("double[]", doubleArray)
    try arrayRows("long[]", longArray)

    let (python, note) = options.withPython && options.fixedCount == nil ? runPyignite(seconds: seconds)
        : (nil, "pyignite: not measured")
    var identical = "not compared"
    if let hex = python?["object_bytes"] as? String {
        identical = hex == encoded.map { String(format: "%02x", $0) }.joined() ? "yes" : "NO"
    }
    print("Complex object: 10 fields, \(objectSize) bytes, compact footer; bytes identical to pyignite's: \(identical)")
    print(note)
    print("")
    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
    func lpad(_ s: String, _ n: Int) -> String { s.count >= n ? s : String(repeating: " ", count: n - s.count) + s }
    print("Rates are per second of CPU time of the measuring thread (wall-clock rate in the last column).")
    print(pad("", 48) + lpad("ops/s", 13) + lpad("ns/op", 12) + lpad("MB/s", 10) + lpad("pyignite ops/s", 16) + lpad("× pyignite", 12)
          + lpad("wall ops/s", 13))
    for (name, rate, key) in rows {
        var line = pad(name, 48) + lpad(String(format: "%.0f", rate.opsPerSecond), 13) + lpad(String(format: "%.1f", rate.nsPerOp), 12)
            + lpad(String(format: "%.1f", rate.megabytesPerSecond), 10)
        if let key, let py = python?[key] as? Double, py > 0 {
            line += lpad(String(format: "%.1f", py), 16) + lpad(String(format: "%.0f×", rate.opsPerSecond / py), 12)
        } else {
            line += lpad("", 28)
        }
        line += lpad(String(format: "%.0f", rate.wallOpsPerSecond), 13)
        print(line)
    }
    print("")
    print("(checksum \(sink))")
}

#if DEBUG
let isDebugBuild = true
#else
let isDebugBuild = false
#endif

do {
    try runBenchmarks(Options.parse(Array(CommandLine.arguments.dropFirst())))
} catch {
    print("benchmark failed: \(error)")
    exit(1)
}
