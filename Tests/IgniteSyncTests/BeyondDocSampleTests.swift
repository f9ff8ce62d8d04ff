import Foundation
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

// The samples of Docs/DATA-STRUCTURES.md, Docs/COMPUTE.md and Docs/SERVICES.md, as written.

func countVisitsAndTags(client: IgniteClient) throws -> (visits: Int64, tags: [String]) {
    // An atomic long: created with 0 the first time, then shared by everyone who names it.
    let visits = try client.atomicLong("doc-visits", initialValue: 0)
    try visits.incrementAndGet()
    try visits.addAndGet(10)
    _ = try visits.compareAndSet(expected: 11, value: 100)

    // A set: unique values, created with a configuration the first time.
    let tags = try client.set("doc-tags", of: String.self, configuration: CollectionConfiguration(backups: 1))
    try tags.add(contentsOf: ["swift", "ignite", "swift"])
    let iterator = try tags.makeIterator()       // page by page, 1024 values a page by default
    var all: [String] = []
    while let tag = try iterator.next() { all.append(tag) }

    defer {
        try? visits.remove()                      // removes it from the cluster
        try? tags.close()                         // likewise
    }
    return (try visits.get(), all.sorted())
}

func echo(client: IgniteClient, task: String) throws -> String? {
    try client.compute
        .withTimeout(.seconds(10))        // the server fails a task that runs longer
        .withNoFailover()                 // optional flags: no failover, no result cache
        .execute(task, argument: "hello", as: String.self)
}

func callEcho(client: IgniteClient, service: String) throws -> (echoed: String?, deployed: [String]) {
    let services = client.services.withTimeout(.seconds(5))
    let echoed = try services.invoke(service, method: "echo", arguments: ["hello"], as: String.self)
    let deployed = try services.descriptors().map(\.name)     // name, class, counts, origin node, platform
    return (echoed, deployed)
}

@Suite("Docs samples: data structures, compute, services")
struct BeyondDocSampleTests {
    @Test func dataStructureSample() throws {
        try TestEnvironment.withClient { client, _ in
            let result = try countVisitsAndTags(client: client)
            #expect(result.visits == 100)
            #expect(result.tags == ["ignite", "swift"])
            #expect(try client.existingAtomicLong("doc-visits") == nil)
        }
    }

    @Test(.enabled(if: BeyondEnvironment.echoTask != nil, "\(BeyondEnvironment.computeSkipReason)"))
    func computeSample() throws {
        let task = try #require(BeyondEnvironment.echoTask)
        try BeyondEnvironment.withClient { (client, _) throws in
            #expect(try echo(client: client, task: task) == "hello")
        }
    }

    @Test(.enabled(if: BeyondEnvironment.echoService != nil, "\(BeyondEnvironment.serviceSkipReason)"))
    func serviceSample() throws {
        let service = try #require(BeyondEnvironment.echoService)
        try BeyondEnvironment.withClient { client, _ in
            let result = try callEcho(client: client, service: service)
            #expect(result.echoed == "hello")
            #expect(result.deployed.contains(service))
        }
    }
}
