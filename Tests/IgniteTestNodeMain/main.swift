// ignite-test-node: runs an IgniteTestCluster as a standalone process (for other clients, e.g. pyignite).
import Foundation
import IgniteTestNode
import IgniteProtocol

let usage = """
USAGE: ignite-test-node [options]

Runs an in-process Ignite thin-client protocol emulator (the swift-ignite test node) until SIGINT/SIGTERM.
On start it prints one line per node, `node <index> <host>:<port> <node id>`, then `ready ports=<p1,p2,...>`.

OPTIONS:
  --nodes <n>               Number of nodes in the cluster (default 1). All share the data.
  --ports <p1,p2,...>       Port of each node; missing or 0 = a free ephemeral port (default: all ephemeral).
  --port <p>                First port; node i listens on p+i (shorthand for --ports).
  --host <address>          Listen address (default 127.0.0.1).
  --partitions <n>          Partitions per cache (default 1024).
  --backups <n>             Backups of caches created by name (default 0).
  --user <name:password>    Enable authentication with this user; repeat for more users.
  --persistent              Act as a persistent cluster (WAL switchable, deactivation allowed).
  --max-version <v>         1.7.1 acts like GridGain 8 (default), 1.7.0 like Apache Ignite 2.x.
  --idle-timeout-ms <ms>    Close connections idle this long; reported by OP_GET_IDLE_TIMEOUT (default: off).
  --handshake-timeout-ms <ms>  Close connections without a handshake after this long (default 10000).
  --processing <mode>       Pipelined requests: sequential | reverse (default) | concurrent.
  --sql-fixtures <file>     JSON file of canned SQL results (see SQLFixtureFile).
  --control-port <p>        Line-based control port (STATS, RESET, STOP i, RESTART i, ADD, FAULT ..., TOPOLOGY); 0 = ephemeral.
  --help                    Show this help.
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
    emit("node \(node.index) \(node.endpoint) \(node.nodeId.uuidString.lowercased())")
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
