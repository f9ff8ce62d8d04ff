// What an example checks: it prints what it does and stops with an error when a result is not the one expected,
// so that CI (Tools/run-examples.sh) catches a wrong answer, not only a crash.
import Foundation

/// A result that is not what the example expects.
public struct ExampleFailure: Error, CustomStringConvertible {
    /// What was expected and what came instead.
    public let description: String

    /// A failure with a message.
    public init(_ description: String) { self.description = description }
}

/// Stops the example unless `condition` holds.
/// - Parameters:
///   - condition: The expectation.
///   - message: What was expected (printed on failure).
/// - Throws: ``ExampleFailure`` when `condition` is false.
public func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw ExampleFailure(message()) }
}

/// Stops the example unless `actual == expected`.
/// - Parameters:
///   - actual: The result.
///   - expected: The result the example expects.
///   - what: What the value is (printed on failure).
/// - Throws: ``ExampleFailure`` when they differ.
public func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
    if actual != expected { throw ExampleFailure("\(what): expected \(expected), got \(actual)") }
}

/// Prints a step of an example, indented under its header, and flushes the output (a script may be watching it).
public func say(_ text: String) {
    print("  \(text)")
    fflush(nil)
}

/// A unique suffix for the names of the caches an example creates, so that examples never touch existing data of
/// a real cluster (and a failed run leaves nothing in the way of the next one).
public let runSuffix = String(UUID().uuidString.prefix(8)).lowercased()

/// Runs one example by name, prints `<name>: OK` or `<name>: FAILED: <error>`.
/// - Returns: Whether it succeeded.
public func report(_ name: String, _ body: () throws -> Void) -> Bool {
    do {
        try body()
        print("\(name): OK\n")
        fflush(nil)
        return true
    } catch {
        print("\(name): FAILED: \(error)\n")
        return false
    }
}

/// The async form of ``report(_:_:)``.
public func report(_ name: String, _ body: () async throws -> Void) async -> Bool {
    do {
        try await body()
        print("\(name): OK\n")
        fflush(nil)
        return true
    } catch {
        print("\(name): FAILED: \(error)\n")
        return false
    }
}

/// What `swift run <tool> <example>` does with its arguments: one example, `all`, or the list.
public struct ExampleCommandLine {
    /// The examples to run, in order; `nil` when the arguments only asked for help.
    public let selected: [String]?

    /// Parses `CommandLine.arguments` against the known example names.
    /// - Parameters:
    ///   - names: Every example, in order.
    ///   - skippedByAll: Examples `all` leaves out (those that need a special server).
    public init(names: [String], skippedByAll: Set<String> = []) {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.isEmpty || arguments.contains("-h") || arguments.contains("--help") || arguments == ["list"] {
            selected = nil
        } else if arguments == ["all"] {
            selected = names.filter { !skippedByAll.contains($0) }
        } else {
            selected = arguments
        }
    }
}
