// ignite-examples: pyignite's examples, written for the blocking client (IgniteSync).
//
//     swift run ignite-examples                 # lists the examples
//     swift run ignite-examples key-value       # runs one (several names may be given)
//     swift run ignite-examples all             # runs every example that needs no special server
//
// Each example connects to the cluster in IGNITE_ADDRESSES, or starts the in-process test node and says so.
// It prints what it does, checks each result, and the process exits non-zero if any example failed.
// See Examples/README.md.
import Foundation
import IgniteExampleSupport

/// Every example: its subcommand, its pyignite counterpart, and its entry point.
let examples: [(name: String, pyignite: String, run: () throws -> Void)] = [
    ("key-value", "get_and_put.py", KeyValueExample.run),
    ("type-hints", "type_hints.py", TypeHintsExample.run),
    ("collections", "get_and_put_complex.py", CollectionsExample.run),
    ("binary-basics", "binary_basics.py", BinaryBasicsExample.run),
    ("create-binary", "create_binary.py", CreateBinaryExample.run),
    ("read-binary", "read_binary.py", ReadBinaryExample.run),
    ("migrate-binary", "migrate_binary.py", MigrateBinaryExample.run),
    ("scans", "scans.py", ScansExample.run),
    ("sql", "sql.py", SQLExample.run),
    ("transactions", "transactions.py (sync_example)", TransactionsExample.run),
    ("expiry-policy", "expiry_policy.py (main)", ExpiryPolicyExample.run),
    ("failover", "failover.py", FailoverExample.run),
    ("auth", "manual 3.7, Password authentication", AuthenticationExample.run),
    ("tls", "manual 3.6, SSL/TLS", TLSExample.run),
]

let commandLine = ExampleCommandLine(names: examples.map(\.name), skippedByAll: ["tls"])
guard let selected = commandLine.selected else {
    print("USAGE: ignite-examples <example>... | all\n\nExamples (pyignite counterpart):")
    for example in examples { print("  \(example.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(example.pyignite)") }
    print("\n`all` runs every example except tls, which needs a TLS endpoint (see Examples/README.md).")
    exit(0)
}
var failed: [String] = []
for name in selected {
    guard let example = examples.first(where: { $0.name == name }) else {
        print("unknown example '\(name)'; run without arguments for the list")
        exit(2)
    }
    if !report(name, example.run) { failed.append(name) }
}
if !failed.isEmpty {
    print("FAILED: \(failed.joined(separator: ", "))")
    exit(1)
}
