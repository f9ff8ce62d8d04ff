// pyignite's transactions.py (sync_example): a committed transaction, one rolled back by an error, one that times
// out; then every concurrency mode and isolation level. In Swift, operations join a transaction through a cache
// handle bound to it (`tx.cache(cache)`); the closure form commits when the closure returns and rolls back when it
// throws.
import Foundation
import IgniteExampleSupport
import IgniteSync

enum TransactionsExample {
    struct Abort: Error {}

    static func run() throws {
        let environment = try ExampleEnvironment.start("transactions")
        defer { environment.shutdown() }
        let client = try IgniteClient(configuration: environment.configuration)
        defer { client.close() }

        // Transactions need a TRANSACTIONAL cache.
        var configuration = CacheConfiguration(name: "tx_cache \(runSuffix)")
        configuration.atomicityMode = .transactional
        let cache = try client.getOrCreateCache(configuration)
        defer { try? cache.destroy() }

        func show() throws -> String? {
            let value = try cache.get(1, as: String.self)
            print("key=1 value=\(value ?? "nil")")
            return value
        }

        // Commit.
        try client.transaction(concurrency: .pessimistic, isolation: .repeatableRead) { tx in
            try tx.cache(cache).put(1, "success")
        }
        try expectEqual(try show(), "success", "after the commit")                      // key=1 value=success

        // Roll back: the closure throws.
        do {
            try client.transaction(concurrency: .pessimistic, isolation: .repeatableRead) { tx in
                try tx.cache(cache).put(1, "fail")
                throw Abort()
            }
        } catch is Abort {
            say("the transaction was rolled back by the error it threw")
        }
        try expectEqual(try show(), "success", "after the rollback")                    // key=1 value=success

        // Roll back explicitly, with a transaction handle.
        let handle = try client.startTransaction()
        try handle.cache(cache).put(1, "fail")
        let outside = try cache.get(1, as: String.self)                                 // a handle not bound to it
        say("inside the transaction the value is 'fail'; outside it is still '\(outside ?? "nil")'")
        try expectEqual(outside, "success", "the value outside the open transaction")
        try handle.rollback()
        try expectEqual(try show(), "success", "after the explicit rollback")

        // Time out: the server rolls back a transaction that outlives its timeout; its commit fails.
        do {
            try client.transaction(timeout: .seconds(1), label: "long-tx") { tx in
                try tx.cache(cache).put(1, "fail")
                Thread.sleep(forTimeInterval: 2)
            }
            throw ExampleFailure("a transaction committed after its timeout")
        } catch let error as IgniteError {
            print(error)        // Cache transaction timed out: GridNearTxLocal[...timeout=1000, ... label=long-tx]
            try expect(error.code == .transaction || error.code == .cache, "a transaction error, got \(error.code)")
        }
        try expectEqual(try show(), "success", "after the timed-out transaction")       // key=1 value=success

        // Every concurrency mode and isolation level: each transaction increments key 2.
        var committed = 0
        for concurrency in [TransactionConcurrency.pessimistic, .optimistic] {
            for isolation in [TransactionIsolation.readCommitted, .repeatableRead, .serializable] {
                let value = try client.transaction(concurrency: concurrency, isolation: isolation, timeout: .seconds(10)) { tx in
                    let txCache = tx.cache(cache)
                    let next = (try txCache.get(2, as: Int.self) ?? 0) + 1
                    try txCache.put(2, next)
                    return next
                }
                say("\(concurrency) \(isolation): committed key=2 value=\(value)")
                committed += 1
            }
        }
        let counter = try cache.get(2, as: Int.self)
        say("key=2 value=\(counter.map(String.init) ?? "nil") after \(committed) transactions")
        try expectEqual(counter, 6, "the counter after six transactions")
    }
}
