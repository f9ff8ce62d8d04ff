// ignite-test-node: runs an IgniteTestCluster as a standalone process (for other clients, e.g. pyignite).
import Foundation
import IgniteTestNode
import IgniteProtocol

let usage = """
USAGE: ignite-test-node [options]

Runs the swift-ignite test node — an emulator of an Apache Ignite 2.x / GridGain 8 cluster speaking the binary
thin-client protocol (1.0.0–1.7.1) over TCP — until SIGINT or SIGTERM. It is a test instrument: data live in memory,
SQL runs on SQLite in Ignite's model (tables are caches), and no Java code runs. See Tests/IgniteTestNode/README.md
and Docs/TESTING.md.

On start it prints, one per line:
  node <index> <host>:<port> <node id> <consistent id>     (for each node)
  control port=<p>                                         (with --control-port)
  ready ports=<p1,p2,...>                                  (last: the cluster accepts connections)

CLUSTER:
  --nodes <n>                 Nodes in the cluster, 0–64 (default 1). All share the data; each has its own port and
                              node id and counts the key requests it gets for partitions it is not primary for.
  --ports <p1,p2,...>         Port of each node; missing entries or 0 = a free ephemeral port (default: all ephemeral).
  --port <p>                  First port: node i listens on p+i (0 = all ephemeral).
  --host <address>            IPv4 or IPv6 literal to listen on (default 127.0.0.1; localhost = 127.0.0.1).
  --consistent-ids <a,b,...>  Consistent id of each node (default node-<port>). Partitions are assigned by Ignite's
                              RendezvousAffinityFunction over these ids, exactly as a real cluster assigns them.
  --partitions <n>            Partitions of caches that do not set their own, 1–65000 (default 1024).
  --backups <n>               Backups of caches created by name only (default 0).
  --max-version <v>           1.7.1 (default): GridGain 8 — its feature bits, op 1057, user attributes read at 1.7.1,
                              failure replies carrying 1.7.1. 1.7.0: Apache Ignite 2.x — its bits, replies carrying 1.7.0.

SECURITY AND STATE:
  --user <name:password>      Require authentication with this user (repeat for more). Failures answer status 2000
                              with the real texts; protocol 1.0.0 cannot authenticate.
  --persistent                Act as a persistent cluster: WAL can be switched per cache and the cluster can be
                              deactivated (an in-memory one refuses INACTIVE with GridGain's error).
  --initial-state <s>         active (default) | inactive | read-only.

CONNECTIONS:
  --idle-timeout-ms <ms>      Close connections that send nothing for this long; OP_GET_IDLE_TIMEOUT reports it
                              (default: off, reported as 0).
  --handshake-timeout-ms <ms> Close connections that have not completed a handshake after this long (default 10000).
  --max-cursors <n>           Open cursors per connection before status 1010 (default 128).
  --max-transactions <n>      Active transactions per connection before status 1020 (default 100).
  --processing <mode>         How requests that arrive together are answered: reverse (default; newest first, as a
                              GridGain node was seen to answer), sequential (in order), concurrent (in parallel).

SQL:
  --sql-fixtures <file>       JSON array of canned results: {"sql": "...", "columns": [...], "rows": [[...], ...]} or
                              {"sql": "...", "updateCount": n}. Values: JSON numbers (Long or Double), strings, booleans,
                              null, or {"type": "int|short|byte|long|float|double|bool|string|uuid|date|timestamp|decimal",
                              "value": ...}. Queries match after whitespace is collapsed and answer before the SQL
                              engine; any other statement is executed (CREATE TABLE, INSERT, SELECT, ...).

CONTROL:
  --control-port <p>          Line-based control port (0 = ephemeral). Commands, each answered by lines ending in OK or
                              ERR <text>:
                                STATS                 node <i> port=<p> id=<uuid> running=<0|1> keys=<n> misrouted=<n>
                                RESET                 zero the request counters
                                TOPOLOGY              <major> <minor>
                                STOP <i> | RESTART <i> | ADD
                                FAULT <i|all> none | drop <n> | delay <ms> | stall | garbage | truncated

  -h, --help                  Show this help.
"""

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ignite-test-node: \(message)\n".utf8))
    exit(2)
}

var configuration = TestNodeConfiguration()
var fixtures: String?
var controlPort: Int?
var arguments = CommandLine.arguments.dropFirst()[...]

@MainActor
func next(_ option: String) -> String {
    guard let value = arguments.popFirst() else { fail("\(option) needs a value") }
    return value
}

@MainActor
func integer(_ option: String) -> Int {
    let text = next(option)
    guard let value = Int(text) else { fail("\(option) expects a number, got '\(text)'") }
    return value
}

while let argument = arguments.popFirst() {
    switch argument {
    case "--help", "-h":
        FileHandle.standardOutput.write(Data((usage + "\n").utf8))
        exit(0)
    case "--nodes": configuration.nodeCount = integer(argument)
    case "--ports":
        configuration.ports = next(argument).split(separator: ",").map { part in
            guard let port = Int(part.trimmingCharacters(in: .whitespaces)) else { fail("invalid port '\(part)'") }
            return port
        }
    case "--port":
        let first = integer(argument)
        configuration.ports = first == 0 ? [] : (0..<64).map { first + $0 }
    case "--host": configuration.host = next(argument)
    case "--consistent-ids": configuration.consistentIds = next(argument).split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    case "--partitions": configuration.partitions = integer(argument)
    case "--backups": configuration.backups = integer(argument)
    case "--user":
        let pair = next(argument)
        guard let colon = pair.firstIndex(of: ":") else { fail("--user expects name:password") }
        configuration.users[String(pair[..<colon])] = String(pair[pair.index(after: colon)...])
    case "--persistent": configuration.persistent = true
    case "--max-version":
        switch next(argument) {
        case "1.7.1": configuration.maxVersion = .v1_7_1
        case "1.7.0": configuration.maxVersion = .v1_7_0
        case let other: fail("unsupported --max-version \(other) (1.7.0 or 1.7.1)")
        }
    case "--initial-state":
        switch next(argument) {
        case "active": configuration.initialState = .active
        case "inactive": configuration.initialState = .inactive
        case "read-only": configuration.initialState = .activeReadOnly
        case let other: fail("unknown --initial-state \(other) (active, inactive or read-only)")
        }
    case "--max-cursors": configuration.maxOpenCursorsPerConnection = integer(argument)
    case "--max-transactions": configuration.maxActiveTransactionsPerConnection = integer(argument)
    case "--idle-timeout-ms": configuration.idleTimeout = .milliseconds(integer(argument))
    case "--handshake-timeout-ms": configuration.handshakeTimeout = .milliseconds(integer(argument))
    case "--processing":
        switch next(argument) {
        case "sequential": configuration.requestProcessing = .sequential
        case "reverse": configuration.requestProcessing = .reverseBatches
        case "concurrent": configuration.requestProcessing = .concurrent
        case let other: fail("unknown --processing \(other)")
        }
    case "--sql-fixtures": fixtures = next(argument)
    case "--control-port": controlPort = integer(argument)
    default: fail("unknown option \(argument) (see --help)")
    }
}

let cluster: IgniteTestCluster
do {
    cluster = try IgniteTestCluster(configuration)
    if let fixtures { try SQLFixtureFile.load(from: URL(fileURLWithPath: fixtures), into: cluster) }
} catch {
    fail("\(error)")
}
let control: IgniteTestControlServer?
do {
    control = try controlPort.map { try IgniteTestControlServer(cluster: cluster, host: configuration.host, port: $0) }
} catch {
    fail("\(error)")
}

func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

for node in cluster.nodes {
    emit("node \(node.index) \(node.endpoint) \(node.nodeId.uuidString.lowercased()) \(node.consistentId)")
}
if let control { emit("control port=\(control.port)") }
emit("ready ports=\(cluster.endpoints.map { String($0.port) }.joined(separator: ","))")

signal(SIGINT, SIG_IGN)
signal(SIGTERM, SIG_IGN)
let signals = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
    let source = DispatchSource.makeSignalSource(signal: number, queue: .main)
    source.setEventHandler {
        control?.stop()
        cluster.shutdown()
        exit(0)
    }
    source.resume()
    return source
}
withExtendedLifetime(signals) { dispatchMain() }
