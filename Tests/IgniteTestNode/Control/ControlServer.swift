import Foundation
import IgniteProtocol

/// A line-based control port for a cluster run in another process (used by `ignite-test-node --control-port`
/// and the pyignite suite). Commands, one per line, each answered by lines ending with `OK` or `ERR <text>`:
///
/// * `STATS` — one line per node: `node <i> port=<p> id=<uuid> running=<0|1> keys=<n> misrouted=<n>`
/// * `RESET` — zero the request counters
/// * `STOP <i>`, `RESTART <i>`, `ADD` — topology changes
/// * `FAULT <i|all> none|drop <n>|delay <ms>|stall|garbage|truncated`
/// * `TOPOLOGY` — `<major> <minor>`
public final class IgniteTestControlServer: Sendable {
    private let cluster: IgniteTestCluster
    private let listener: Int32
    private let done = Latch()
    /// The connection being served (-1 for none) and whether ``stop()`` was called: `stop` shuts the connection down,
    /// so that a control client that stays connected cannot keep the server's thread blocked in `recv`.
    private let serving = Locked((fd: Int32(-1), stopped: false))
    /// The port the control server listens on.
    public let port: Int

    /// Starts listening on `host:port` (0 for an ephemeral port).
    /// - Parameters:
    ///   - cluster: The cluster to control.
    ///   - host: The listen address.
    ///   - port: The port.
    /// - Throws: ``IgniteError/Code/socket`` when the port cannot be bound.
    public init(cluster: IgniteTestCluster, host: String = "127.0.0.1", port: Int = 0) throws {
        self.cluster = cluster
        (listener, self.port) = try Socket.openListener(host: host, port: port)
        let thread = Thread { [self] in
            Socket.nameCurrentThread("tnode-control")
            while let fd = Socket.acceptConnection(listener) {
                let open = serving.withLock { state -> Bool in
                    guard !state.stopped else { return false }
                    state.fd = fd
                    return true
                }
                if open { serve(fd) }
                serving.withLock { $0.fd = -1 }   // before the close: stop() never shuts down a reused number
                Socket.closeDescriptor(fd)
                if !open { break }
            }
            done.open()
        }
        thread.name = "tnode-control"   // at most 15 bytes on Linux
        thread.start()
    }

    /// Whether the server's thread has finished (after ``stop()``).
    package var hasFinished: Bool { done.wait(timeout: 0) }

    /// Stops listening and closes the connection being served.
    public func stop() {
        serving.withLock { state in
            state.stopped = true
            if state.fd >= 0 { Socket.shutdownBoth(state.fd) }
        }
        Socket.shutdownBoth(listener)
        done.wait(timeout: 5)
        Socket.closeDescriptor(listener)
    }

    private func serve(_ fd: Int32) {
        var pending = ""
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = chunk.withUnsafeMutableBytes { Socket.readSome(fd, into: $0) }
            guard n > 0 else { return }
            pending += String(decoding: chunk[0..<n], as: UTF8.self)
            while let newline = pending.firstIndex(of: "\n") {
                let line = String(pending[..<newline]).trimmingCharacters(in: .whitespacesAndNewlines)
                pending = String(pending[pending.index(after: newline)...])
                guard Socket.writeAll(fd, Array((execute(line) + "\n").utf8)) else { return }
            }
        }
    }

    /// Runs one command and returns its answer (without the final newline).
    public func execute(_ line: String) -> String {
        let words = line.split(separator: " ").map(String.init)
        guard let command = words.first?.uppercased() else { return "ERR empty command" }
        let nodes = cluster.nodes
        func index(_ position: Int) -> Int? { words.count > position ? Int(words[position]) : nil }
        switch command {
        case "STATS":
            let lines = nodes.map { node in
                "node \(node.index) port=\(node.endpoint.port) id=\(node.nodeId.uuidString.lowercased()) running=\(node.isRunning ? 1 : 0) "
                    + "keys=\(node.keyRequests) misrouted=\(node.misroutedKeyRequests)"
            }
            return (lines + ["OK"]).joined(separator: "\n")
        case "RESET":
            for node in nodes { node.resetCounters() }
            return "OK"
        case "TOPOLOGY":
            let version = cluster.topologyVersion
            return "\(version.major) \(version.minor)\nOK"
        case "STOP":
            guard let i = index(1) else { return "ERR usage: STOP <index>" }
            cluster.stopNode(i)
            return "OK"
        case "RESTART":
            guard let i = index(1) else { return "ERR usage: RESTART <index>" }
            do { try cluster.restartNode(i) } catch { return "ERR \(error)" }
            return "OK"
        case "ADD":
            do {
                let node = try cluster.addNode()
                return "node \(node.index) port=\(node.endpoint.port)\nOK"
            } catch { return "ERR \(error)" }
        case "FAULT":
            guard words.count >= 3 else { return "ERR usage: FAULT <index|all> <fault> [argument]" }
            let argument = words.count > 3 ? Int(words[3]) : nil
            let fault: TestNodeFault
            switch words[2].lowercased() {
            case "none": fault = .none
            case "drop": fault = .dropConnectionAfterFrames(argument ?? 0)
            case "delay": fault = .delayReplies(.milliseconds(argument ?? 0))
            case "stall": fault = .stallReplies
            case "garbage": fault = .garbageFrame
            case "truncated": fault = .truncatedFrame
            default: return "ERR unknown fault \(words[2])"
            }
            if words[1].lowercased() == "all" {
                cluster.inject(fault)
            } else if let i = index(1), i >= 0, i < nodes.count {
                nodes[i].inject(fault)
            } else {
                return "ERR unknown node \(words[1])"
            }
            return "OK"
        default:
            return "ERR unknown command \(command)"
        }
    }
}
