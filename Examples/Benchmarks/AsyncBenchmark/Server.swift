// Where the benchmark's server runs: IGNITE_BENCH_ADDRESS, else the test node in a child process (so that the
// process CPU measured here is the client's alone), else the in-process test node (then CPU includes the server).
import Foundation
import IgniteAsync
import IgniteTestNode

/// The server under test.
final class BenchServer {
    let endpoint: IgniteEndpoint
    /// Whether the server shares this process (client CPU figures then include the server's work).
    let inProcess: Bool
    private var child: Process?
    private var cluster: IgniteTestCluster?

    init(environment: [String: String]) throws {
        if let address = environment["IGNITE_BENCH_ADDRESS"], !address.isEmpty {
            endpoint = try IgniteEndpoint(parsing: address)
            inProcess = false
            print("server: \(endpoint) (IGNITE_BENCH_ADDRESS)")
            return
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("ignite-test-node")
        if FileManager.default.isExecutableFile(atPath: executable.path), let (process, port) = BenchServer.spawn(executable) {
            child = process
            endpoint = IgniteEndpoint(host: "127.0.0.1", port: port)
            inProcess = false
            print("server: test node in a child process at \(endpoint) (set IGNITE_BENCH_ADDRESS to use a real server)")
            return
        }
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1))
        self.cluster = cluster
        guard let first = cluster.endpoints.first else { throw IgniteError(.illegalState, "the test node has no endpoint") }
        endpoint = first
        inProcess = true
        print("server: in-process test node at \(endpoint) (build ignite-test-node next to this binary to keep its CPU out)")
    }

    /// Starts `ignite-test-node --nodes 1` and reads its `ready ports=` line.
    private static func spawn(_ executable: URL) -> (Process, Int)? {
        let process = Process()
        process.executableURL = executable
        process.arguments = ["--nodes", "1"]
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return nil }
        var text = ""
        let handle = pipe.fileHandleForReading
        while true {
            let data = handle.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("ready ports=") }),
               let port = Int(line.dropFirst("ready ports=".count).split(separator: ",").first ?? "") {
                return (process, port)
            }
        }
        process.terminate()
        return nil
    }

    func shutdown() {
        child?.terminate()
        child?.waitUntilExit()
        cluster?.shutdown()
    }
}
