// ignite-demo: a tour of the blocking client.
//
// Connects to the cluster in IGNITE_ADDRESSES (comma-separated host:port) if set; otherwise starts the in-process
// test node and says so. Then walks through key-value operations, types, Codable and binary objects, expiry, scan,
// SQL, a transaction and the cluster state, printing what it does. Every cache it creates has a unique name and is
// destroyed at the end, even when a step fails.
import Foundation
import IgniteSync
import IgniteTestNode

func step(_ text: String) { print("\n== \(text)") }

/// A short rendering of a value for the tour.
func show(_ value: IgniteValue) -> String {
    switch value {
    case .null: return "null"
    case .int(let v): return "Int32 \(v)"
    case .long(let v): return "Int64 \(v)"
    case .double(let v): return "Double \(v)"
    case .bool(let v): return "Bool \(v)"
    case .string(let v): return "\"\(v)\""
    case .uuid(let v): return "UUID \(v)"
    case .intArray(let v): return "[Int32] \(v)"
    case .stringArray(let v): return "[String] \(v.map { $0 ?? "null" })"
    case .map(let m): return "Map {\(m.entries.map { "\(show($0.key)): \(show($0.value))" }.joined(separator: ", "))}"
    case .object(let o): return "object(type id \(o.typeId))"
    default: return "\(value)"
    }
}
func say(_ text: String) { print("   \(text)") }

/// A Swift type stored as an Ignite complex object: Codable does the mapping.
struct Person: IgniteObjectCodable, CustomStringConvertible {
    var name: String
    var age: Int32
    static var igniteTypeName: String { "demo.Person" }
    var description: String { "\(name) (\(age))" }
}

/// Counts what the client does, through the event listener interface.
final class ActivityCounter: IgniteEventListener, @unchecked Sendable {
    private let lock = NSLock()
    private var requests = 0
    private var connections: [String] = []
    var wantsQueryEvents: Bool { true }
    func queryEvent(_ event: QueryEvent) {
        if case .succeeded = event { lock.lock(); requests += 1; lock.unlock() }
    }
    func connectionEvent(_ event: ConnectionEvent) {
        lock.lock(); connections.append(event.description); lock.unlock()
    }
    var summary: (requests: Int, connectionEvents: [String]) { lock.lock(); defer { lock.unlock() }; return (requests, connections) }
}

let environment = ProcessInfo.processInfo.environment
var testCluster: IgniteTestCluster?
var configuration: IgniteClientConfiguration
if let addresses = environment["IGNITE_ADDRESSES"], !addresses.isEmpty {
    configuration = try IgniteClientConfiguration(addresses: addresses.split(separator: ",").map(String.init))
    print("Connecting to the cluster in IGNITE_ADDRESSES: \(configuration.endpoints.map(\.description).joined(separator: ", "))")
} else {
    let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1))
    testCluster = cluster
    configuration = IgniteClientConfiguration(endpoints: cluster.endpoints)
    print("IGNITE_ADDRESSES is not set, so this demo started the in-process TEST NODE (an emulator, not a real Ignite server)")
    print("at \(cluster.endpoints.map(\.description).joined(separator: ", ")). Set IGNITE_ADDRESSES=host:port to use a real cluster.")
}
if let user = environment["IGNITE_USER"] {
    configuration.username = user
    configuration.password = environment["IGNITE_PASSWORD"]
}

let activity = ActivityCounter()
configuration.eventListeners = [activity]
configuration.requestTimeout = .seconds(30)
let client = try IgniteClient(configuration: configuration)
let suffix = UUID().uuidString.prefix(6).lowercased()
/// The caches the demo created, destroyed at the end.
final class CreatedCaches: @unchecked Sendable {
    private let lock = NSLock()
    private var caches: [IgniteCache] = []
    func add(_ cache: IgniteCache) { lock.lock(); caches.append(cache); lock.unlock() }
    func takeAll() -> [IgniteCache] { lock.lock(); defer { caches = []; lock.unlock() }; return caches }
}
let created = CreatedCaches()
defer {
    for cache in created.takeAll() { try? cache.destroy() }
    client.close()
    testCluster?.shutdown()
}
/// Creates (or opens) a demo cache and remembers it for the clean-up.
func demoCache(_ name: String) throws -> IgniteCache {
    let cache = try client.getOrCreateCache("\(name)-\(suffix)")
    created.add(cache)
    return cache
}
let context = try client.protocolContext()
say("connected with protocol \(context.version) to \(client.connectedNodeIds.count) node(s); "
    + "partition awareness is \(configuration.partitionAwareness ? "on" : "off")")

// MARK: Key-value

step("Key-value operations")
let cache = try demoCache("demo-kv")
say("created cache '\(cache.name)' (id \(cache.cacheId))")
try cache.put(1, "Alice")
try cache.put(2, "Bob")
say("put 1 → Alice, 2 → Bob")
say("get 1 = \(try cache.get(1, as: String.self) ?? "nil")")
say("putIfAbsent 1 → Carol: \(try cache.putIfAbsent(1, "Carol"))")
say("getAndReplace 2 → Bobby, previous = \(try cache.getAndReplace(2, "Bobby") ?? "nil")")
say("replace 2 if it equals 'Bobby' with 'Robert': \(try cache.replace(2, ifEquals: "Bobby", with: "Robert"))")
try cache.putAll((10..<20).map { ($0, "user \($0)") })
say("putAll of 10 entries; size = \(try cache.size())")
let some = try cache.getAll([1, 2, 10, 99], as: String.self)
say("getAll [1, 2, 10, 99] = \(some.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" })")
say("containsKey 99: \(try cache.containsKey(99)); remove 10: \(try cache.remove(10))")

// MARK: Types

step("Types")
let types = try demoCache("demo-types")
try types.put("int", Int32(42))
try types.put("long", Int64.max)
try types.put("double", 2.718281828)
try types.put("bool", true)
try types.put("uuid", IgniteValue.uuid(UUID()))
try types.put("ints", [Int32(1), 2, 3])
try types.put("strings", ["a", "b", "c"])
try types.put("map", IgniteValue.map(IgniteMap([IgniteMapEntry(.string("k"), .int(1))], kind: .hashMap)))
for key in ["int", "long", "double", "bool", "uuid", "ints", "strings", "map"] {
    say("\(key) = \(show(try types.get(key) ?? .null))")
}

// MARK: Complex objects

step("Complex objects")
let people = try demoCache("demo-people")
try people.put(1, Person(name: "Ada", age: 36))
try people.put(2, Person(name: "Linus", age: 28))
say("put two Codable Person values; the type 'demo.Person' was registered with the cluster before the first put")
// A typed view fixes the key and value types once (Java's ClientCache<K, V>).
let typedPeople = people.typed(Int.self, Person.self)
if let ada = try typedPeople.get(1) { say("typed view: get 1 = \(ada)") }
if let type = try client.binaryType(named: Person.igniteTypeName) {
    say("the cluster knows \(type.typeName): fields \(type.fields.map(\.name))")
}
// Without a Swift type, read the object generically: fields by name (objects the client returns come with their
// schemas; for others, `try client.resolveSchemas(of: object)` fetches them first, explicitly).
if let object = try people.get(2, as: BinaryObject.self) {
    let name = try object.field("name", as: String.self, schemas: client.binarySchemas) ?? "?"
    say("get 2 as BinaryObject: type id \(object.typeId), \(object.fieldCount) fields, name = \(name)")
}
var builder = BinaryObjectBuilder(typeName: Person.igniteTypeName)
builder.setField("name", .string("Grace"))
builder.setField("age", .int(45))
try people.put(3, builder)
say("built a Person without a Swift type (BinaryObjectBuilder) and read it back as Person: "
    + "\(try people.get(3, as: Person.self).map(\.description) ?? "nil")")

// MARK: Expiry

step("Expiry policy")
let shortLived = cache.withExpiryPolicy(create: .milliseconds(200))
try shortLived.put(500, "short-lived")
say("put 500 with a 200 ms time to live: present now = \(try cache.containsKey(500))")
Thread.sleep(forTimeInterval: 0.5)
say("half a second later: present = \(try cache.containsKey(500))")

// MARK: Scan

step("Scan query")
let cursor = try cache.scan(pageSize: 4, keyType: Int.self, valueType: String.self)
var scanned = 0
while let entry = try cursor.next() {  // every failure (a page fetch, a decode) is thrown
    if scanned < 3 { say("\(entry.key) → \(entry.value)") }
    scanned += 1
}
say("… \(scanned) entries in all, fetched in pages of 4 (the order is the cluster's, not the keys')")

// MARK: SQL

step("SQL")
let table = "DEMO_CITY_\(suffix.uppercased())"
// A table is a cache (SQL_PUBLIC_<TABLE>) whose rows are binary objects; the test node runs the SQL for real.
_ = try client.sql("CREATE TABLE \(table) (ID INT PRIMARY KEY, NAME VARCHAR, POPULATION INT) WITH \"VALUE_TYPE=DemoCity\"").all()
for (id, name, population) in [(1, "Tokyo", 37_400_000), (2, "Delhi", 28_500_000), (3, "Reykjavik", 131_000)] {
    _ = try client.sql("INSERT INTO \(table) (ID, NAME, POPULATION) VALUES (?, ?, ?)",
                       arguments: [Int32(id), name, Int32(population)]).all()
}
let rows = try client.sql("SELECT NAME, POPULATION FROM \(table) WHERE POPULATION > ? ORDER BY POPULATION DESC",
                          arguments: [Int32(1_000_000)], includeFieldNames: true)
say("columns: \(rows.fieldNames ?? [])")
for row in try rows.all() { say(row.map(show).joined(separator: " | ")) }
let totals = try client.sql("SELECT COUNT(*), SUM(POPULATION) FROM \(table)").all()
say("COUNT(*), SUM(POPULATION): \(totals.first?.map(show).joined(separator: ", ") ?? "")")
if case .object(let city)? = try client.cache("SQL_PUBLIC_\(table)").get(Int32(3), as: IgniteValue.self) {
    let fields = try city.fields(schemas: client.binarySchemas).map { "\($0.name ?? "?")=\(show($0.value))" }
    say("key 3 read as a cache entry: \(city.typeName(schemas: client.binarySchemas) ?? "?") { \(fields.joined(separator: ", ")) }")
}
_ = try client.sql("DROP TABLE \(table)").all()

// MARK: Transaction

step("Transaction")
var txConfiguration = CacheConfiguration()
txConfiguration.atomicityMode = .transactional
txConfiguration.name = "demo-tx-\(suffix)"
let accounts = try client.getOrCreateCache(txConfiguration)
created.add(accounts)
try accounts.put("alice", 100)
try accounts.put("bob", 50)
try client.transaction(concurrency: .pessimistic, isolation: .repeatableRead, label: "transfer") { tx in
    let inTx = tx.cache(accounts)  // operations through this handle join the transaction
    let alice = try inTx.get("alice", as: Int.self) ?? 0
    let bob = try inTx.get("bob", as: Int.self) ?? 0
    try inTx.put("alice", alice - 30)
    try inTx.put("bob", bob + 30)
}
say("committed a transfer of 30: alice = \(try accounts.get("alice", as: Int.self) ?? 0), bob = \(try accounts.get("bob", as: Int.self) ?? 0)")
struct Abort: Error {}
do {
    try client.transaction { tx in
        try tx.cache(accounts).put("alice", 0)
        throw Abort()
    }
} catch is Abort {
    say("a failing transaction rolled back: alice = \(try accounts.get("alice", as: Int.self) ?? 0)")
}

// MARK: Cluster

step("Cluster state")
let clusterAPI = client.cluster
say("state: \(try clusterAPI.state())")
if testCluster != nil {
    try clusterAPI.setState(.activeReadOnly)
    say("set to \(try clusterAPI.state())")
    try clusterAPI.setState(.active)
    say("back to \(try clusterAPI.state())")
}

// MARK: Clean up

step("Clean up")
let toDestroy = created.takeAll()
for c in toDestroy { try c.destroy() }
let names = toDestroy.map(\.name)
say("destroyed \(names.joined(separator: ", "))")
let (requests, connectionEvents) = activity.summary
say("the client sent \(requests) requests; connection events: \(connectionEvents.count) (first: \(connectionEvents.first ?? "none"))")
say("done")
