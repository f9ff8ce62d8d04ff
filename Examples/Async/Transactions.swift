// pyignite's transactions.py (async_example): commit, rollback on an error, rollback on a timeout; then concurrent
// tasks, each in its own transaction. As with the blocking client, operations join a transaction through a cache
// handle bound to it (`tx.cache(cache)`); `client.transaction { }` commits when the closure returns and rolls back
// when it throws (pyignite's `async with client.tx_start()`).
import IgniteAsync
import IgniteExampleSupport

enum AsyncTransactionsExample {
    struct Abort: Error {}

    static func run() async throws {
        let environment = try ExampleEnvironment.start("transactions (async)")
        defer { environment.shutdown() }
        let client = try await IgniteClient(configuration: environment.configuration)
        defer { client.close() }

        var configuration = CacheConfiguration(name: "tx_cache \(runSuffix)")
        configuration.atomicityMode = .transactional
        try await withTemporaryCache(try await client.getOrCreateCache(configuration)) { cache in
            func show() async throws -> String? {
                let value = try await cache.get(1, as: String.self)
                print("key=1 value=\(value ?? "nil")")
                return value
            }

            // Starting a transaction: committed when the closure returns.
            try await client.transaction(concurrency: .pessimistic, isolation: .repeatableRead) { tx in
                try await tx.cache(cache).put(1, "success")
            }
            try expectEqual(try await show(), "success", "after the commit")              // key=1 value=success

            // Rollback: the closure throws.
            do {
                try await client.transaction(concurrency: .pessimistic, isolation: .repeatableRead) { tx in
                    try await tx.cache(cache).put(1, "fail")
                    throw Abort()
                }
            } catch is Abort {
                say("the transaction was rolled back by the error it threw")
            }
            try expectEqual(try await show(), "success", "after the rollback")            // key=1 value=success

            // Roll back explicitly, with a transaction handle; a handle not bound to it does not see its write.
            let handle = try await client.startTransaction()
            try await handle.cache(cache).put(1, "fail")
            let outside = try await cache.get(1, as: String.self)
            say("inside the transaction the value is 'fail'; outside it is still '\(outside ?? "nil")'")
            try expectEqual(outside, "success", "the value outside the open transaction")
            try await handle.rollback()
            try expectEqual(try await show(), "success", "after the explicit rollback")

            // Rollback on timeout: the commit of a transaction that outlived its timeout fails.
            do {
                try await client.transaction(timeout: .seconds(1), label: "long-tx") { tx in
                    try await tx.cache(cache).put(1, "fail")
                    try await Task.sleep(for: .seconds(2))
                }
                throw ExampleFailure("a transaction committed after its timeout")
            } catch let error as IgniteError {
                print(error)    // Cache transaction timed out: GridNearTxLocal[...timeout=1000, ... label=long-tx]
                try expect(error.code == .transaction || error.code == .cache, "a transaction error, got \(error.code)")
            }
            try expectEqual(try await show(), "success", "after the timed-out transaction")  // key=1 value=success

            // Concurrent tasks, each in its own transaction: each task's writes join its own transaction only.
            // Task 3 fails, so only its write is rolled back. (On a real server a PESSIMISTIC transaction also locks
            // the keys it touches, so transactions on the same key would run one after the other.)
            let committed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for task in 0..<5 {
                    group.addTask {
                        do {
                            try await client.transaction(concurrency: .pessimistic, isolation: .repeatableRead, timeout: .seconds(10)) { tx in
                                try await tx.cache(cache).put(100 + task, "written by task \(task)")
                                if task == 3 { throw Abort() }
                            }
                            return true
                        } catch is Abort {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            let written = try await cache.getAll((100..<105).map { $0 }, as: String.self)
            say("five concurrent transactions, \(committed) committed: keys \(written.keys.sorted())")
            try expectEqual(Set(written.keys), [100, 101, 102, 104], "the keys of the committed transactions")
        }
    }
}
