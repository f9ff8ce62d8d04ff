// pyignite's failover.py (manual 3.5, "Failover") with the async client: eight tasks count on eight keys of a
// three-node cluster at once while a node goes down. Each task recovers from its own errors and carries on; the
// others are not disturbed. As in the blocking example, an error reaches a task only when its request was in flight
// on the lost connection and could not safely be resent (a write, with the default retry policy), or when no node is
// left (`.reconnect`).
//
// Against the test node the example starts three nodes and stops the one that owns the first key mid-run. Against a
// real cluster (IGNITE_ADDRESSES with three nodes) it runs for IGNITE_FAILOVER_SECONDS (default 30) and asks you to
// stop a node meanwhile.
import Foundation
import IgniteAsync
import IgniteExampleSupport
import Synchronization

enum AsyncFailoverExample {
    /// What one counting task did.
    struct Tally: Sendable {
        var steps = 0
        var errors = 0
        var stepsAfterStop = 0
    }

    /// What the tasks share: whether the node is down, and the steps done so far.
    final class Progress: Sendable {
        let stopped = Atomic<Bool>(false)
        let steps = Atomic<Int>(0)
    }

    static func run() async throws {
        let environment = try ExampleEnvironment.start("failover (async)", nodes: 3)
        defer { environment.shutdown() }
        var configuration = environment.configuration
        configuration.requestTimeout = .seconds(4)
        let client = try await IgniteClient(configuration: configuration)
        defer { client.close() }

        var cacheConfiguration = CacheConfiguration(name: "my_cache \(runSuffix)")
        cacheConfiguration.cacheMode = .partitioned
        cacheConfiguration.backups = 2                                   // every node holds every entry
        let cache = try await client.getOrCreateCache(cacheConfiguration)
        try await withTemporaryCache(cache) { cache in
            let keys = (0..<8).map { "counter_\($0)" }
            for key in keys { try await cache.put(key, 0) }
            try await Task.sleep(for: .milliseconds(200))               // let the client connect to every node
            let initialNodes = client.connectedNodeIds.count
            say("connected to \(initialNodes) of \(environment.nodeCount) nodes; 8 tasks count on 8 keys")

            let seconds = Double(ExampleVariables.value("IGNITE_FAILOVER_SECONDS") ?? "") ?? 30
            let deadline = ContinuousClock.now + .seconds(seconds)
            if !environment.isTestNode {
                say("Stop one of the nodes now (within \(Int(seconds)) s) and watch the tasks carry on.")
            }
            let progress = Progress()

            let tallies = try await withThrowingTaskGroup(of: (String, Tally).self) { group in
                for key in keys {
                    group.addTask {
                        var tally = Tally()
                        var iteration = 0
                        while environment.isTestNode ? iteration < 150 : ContinuousClock.now < deadline {
                            iteration += 1
                            do {
                                let value = try await cache.get(key, as: Int.self) ?? 0
                                try await cache.put(key, value + 1)
                                tally.steps += 1
                                progress.steps.add(1, ordering: .relaxed)
                                if progress.stopped.load(ordering: .relaxed) { tally.stepsAfterStop += 1 }
                            } catch let error as IgniteError where error.code != .reconnect {
                                tally.errors += 1                         // recover: carry on with the next step
                                print("\(key): \(error.code), carrying on")
                            }
                        }
                        return (key, tally)
                    }
                }
                // The test node's part: stop the first key's primary node once the tasks are under way.
                if environment.isTestNode {
                    while progress.steps.load(ordering: .relaxed) < 200 { try await Task.sleep(for: .milliseconds(5)) }
                    let node = environment.primaryNode(forKey: keys[0], cacheName: cache.name) ?? 1
                    _ = environment.stopNode(node)
                    progress.stopped.store(true, ordering: .relaxed)
                    say("stopped node \(node) (the primary node of \(keys[0])) while the tasks were running")
                } else {
                    group.addTask {
                        while ContinuousClock.now < deadline, client.connectedNodeIds.count >= initialNodes {
                            try await Task.sleep(for: .milliseconds(50))
                        }
                        if ContinuousClock.now < deadline {
                            progress.stopped.store(true, ordering: .relaxed)
                            say("a node went down; the tasks carry on with the others")
                        }
                        return ("", Tally())
                    }
                }
                return try await group.reduce(into: [String: Tally]()) { $0[$1.0] = $1.1 }
            }

            var finalValues: [String: Int] = [:]
            for key in keys { finalValues[key] = try await cache.get(key, as: Int.self) ?? 0 }
            let steps = tallies.values.reduce(0) { $0 + $1.steps }
            let errors = tallies.values.reduce(0) { $0 + $1.errors }
            let afterStop = tallies.values.reduce(0) { $0 + $1.stepsAfterStop }
            say("\(steps) steps, \(errors) error(s), \(afterStop) steps after the node went down; counters sum to \(finalValues.values.reduce(0, +))")
            say("connected to \(client.connectedNodeIds.count) of \(environment.nodeCount) nodes at the end")
            // Every completed step added one to its key; a step that failed may or may not have written its value.
            for key in keys {
                let tally = tallies[key] ?? Tally(), value = finalValues[key] ?? 0
                if !(value >= tally.steps && value <= tally.steps + tally.errors) {
                    throw ExampleFailure("\(key) = \(value) does not count its task's \(tally.steps) completed steps (\(tally.errors) errors)")
                }
            }
            if environment.isTestNode || progress.stopped.load(ordering: .relaxed) {
                try expect(afterStop > 0, "the tasks carried on after a node went down")
            }
            if environment.isTestNode {
                try expect(client.connectedNodeIds.count < environment.nodeCount, "the stopped node is no longer connected")
            }
        }
    }
}
