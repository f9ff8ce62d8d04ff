// pyignite's failover.py (manual 3.5, "Failover"): a client of a three-node cluster keeps working while a node
// goes down. The client tries an operation that could not be sent on another node by itself; an error reaches the
// application only when a request was in flight on the lost connection and could not be safely resent (a write,
// with the default retry policy), or when no node is left (`.reconnect`). The application catches it and carries on.
//
// Against the test node the example starts three nodes and stops the one that owns the key mid-run. Against a real
// cluster (IGNITE_ADDRESSES with three nodes) it runs for IGNITE_FAILOVER_SECONDS (default 30) and asks you to stop
// a node meanwhile.
import Foundation
import IgniteExampleSupport
import IgniteSync

enum FailoverExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("failover", nodes: 3)
        defer { environment.shutdown() }
        var configuration = environment.configuration
        configuration.requestTimeout = .seconds(4)                       // pyignite: Client(timeout=4.0)
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        print("Connected")

        var cacheConfiguration = CacheConfiguration(name: "my_cache \(runSuffix)")
        cacheConfiguration.cacheMode = .partitioned
        cacheConfiguration.backups = 2                                   // every node holds every entry
        let myCache = try client.getOrCreateCache(cacheConfiguration)
        defer { try? myCache.destroy() }
        try myCache.put("test_key", 0)
        Thread.sleep(forTimeInterval: 0.2)                               // let the client connect to every node
        let initialNodes = client.connectedNodeIds.count
        say("connected to \(initialNodes) of \(environment.nodeCount) nodes")

        let seconds = Double(ExampleVariables.value("IGNITE_FAILOVER_SECONDS") ?? "") ?? 30
        let deadline = Date().addingTimeInterval(seconds)
        let iterations = environment.isTestNode ? 600 : Int.max
        let stopAt = 200
        if !environment.isTestNode {
            say("Stop one of the nodes now (within \(Int(seconds)) s) and watch the example carry on.")
        }

        // The abstract main loop: do the work, recover from errors.
        var testValue = 0
        var steps = 0, errors = 0, stepsAfterStop = 0
        var stopped = false
        for iteration in 0..<iterations {
            if environment.isTestNode, iteration == stopAt {
                let node = environment.primaryNode(forKey: "test_key", cacheName: myCache.name) ?? 1
                environment.stopNode(node)
                stopped = true
                say("stopped node \(node) (the primary node of test_key) after \(steps) steps")
            }
            if !environment.isTestNode, Date() > deadline { break }
            if !stopped, client.connectedNodeIds.count < initialNodes {
                stopped = true
                say("a node went down after \(steps) steps; the client carries on with the others")
            }
            do {
                testValue = try myCache.get("test_key", as: Int.self) ?? 0
                try myCache.put("test_key", testValue + 1)
                steps += 1
                if stopped { stepsAfterStop += 1 }
            } catch let error as IgniteError where error.code != .reconnect {
                // Recover from the error: repeat the last command, check the data, or just continue.
                errors += 1
                if !stopped {
                    stopped = true
                    say("a node went down after \(steps) steps; the client carries on with the others")
                }
                print("Error: \(error)")
                print("Last value: \(testValue)")
                print("Reconnecting")
            }
        }

        let finalValue = try myCache.get("test_key", as: Int.self) ?? 0
        say("\(steps) steps, \(errors) error(s), \(stepsAfterStop) steps after the node went down; test_key = \(finalValue)")
        say("connected to \(client.connectedNodeIds.count) of \(environment.nodeCount) nodes at the end")
        // Every completed step added one; a step that failed may or may not have written its value.
        try expect(finalValue >= steps && finalValue <= steps + errors, "test_key counts the completed steps")
        if environment.isTestNode || stopped {
            try expect(stepsAfterStop > 0, "the example carried on after a node went down")
        }
        if environment.isTestNode {
            try expect(client.connectedNodeIds.count < environment.nodeCount, "the stopped node is no longer connected")
        }
    }
}
