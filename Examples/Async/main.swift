// ignite-examples-async: pyignite's asynchronous examples, written for the async client (IgniteAsync).
//
//     swift run ignite-examples-async                   # lists the examples
//     swift run ignite-examples-async key-value         # runs one (several names may be given)
//     swift run ignite-examples-async all               # runs them all
//
// Each example connects to the cluster in IGNITE_ADDRESSES, or starts the in-process test node and says so.
// It prints what it does, checks each result, and the process exits non-zero if any example failed.
// See Examples/README.md.
import Foundation
import IgniteExampleSupport

/// Every example: its subcommand, its pyignite counterpart, and its entry point.
let examples: [(name: String, pyignite: String, run: @Sendable () async throws -> Void)] = [
    ("key-value", "async_key_value.py", AsyncKeyValueExample.run),
    ("sql", "async_sql.py", AsyncSQLExample.run),
    ("scans", "scans.py (async cursors)", AsyncScansExample.run),
    ("transactions", "transactions.py (async_example)", AsyncTransactionsExample.run),
    ("expiry-policy", "expiry_policy.py (async_main)", AsyncExpiryPolicyExample.run),
    ("failover", "failover.py (with concurrent tasks)", AsyncFailoverExample.run),
]

let commandLine = ExampleCommandLine(names: examples.map(\.name))
guard let selected = commandLine.selected else {
    print("USAGE: ignite-examples-async <example>... | all\n\nExamples (pyignite counterpart):")
    for example in examples { print("  \(example.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(example.pyignite)") }
    exit(0)
}
var failed: [String] = []
for name in selected {
    guard let example = examples.first(where: { $0.name == name }) else {
        print("unknown example '\(name)'; run without arguments for the list")
        exit(2)
    }
    if await !report(name, example.run) { failed.append(name) }
}
if !failed.isEmpty {
    print("FAILED: \(failed.joined(separator: ", "))")
    exit(1)
}
