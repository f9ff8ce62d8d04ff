// Where an example connects: the cluster named by IGNITE_ADDRESSES, or else an in-process test node started for it.
//
// The examples of both products (IgniteSync and IgniteAsync) share this file. It builds an
// `IgniteClientConfiguration` (a type of the shared core, taken by both clients) and never creates a client itself,
// so each example shows its own `IgniteClient(configuration:)`.
import Foundation
import IgniteProtocol
import IgniteTLS
import IgniteTesting

/// The environment variables the examples read.
///
/// | Variable | Meaning |
/// |---|---|
/// | `IGNITE_ADDRESSES` | `host:port` of the cluster's nodes, comma-separated; unset: start the in-process test node |
/// | `IGNITE_USER`, `IGNITE_PASSWORD` | credentials, for a cluster with authentication |
/// | `IGNITE_TLS_CA` | PEM file of the CA that signed the server certificate; setting it turns TLS on |
/// | `IGNITE_TLS` | `1`: TLS with the system trust store (when the server certificate comes from a public CA) |
/// | `IGNITE_TLS_CERT`, `IGNITE_TLS_KEY` | PEM files: the client certificate and its key (mutual TLS) |
/// | `IGNITE_TLS_KEY_PASSWORD` | the password of an encrypted key |
/// | `IGNITE_TLS_SERVER_NAME` | the name in the server certificate, when the address is not in it |
public enum ExampleVariables {
    /// The process environment.
    public static var all: [String: String] { ProcessInfo.processInfo.environment }

    /// A variable's value, `nil` when unset or empty.
    public static func value(_ name: String) -> String? {
        guard let value = all[name], !value.isEmpty else { return nil }
        return value
    }

    /// The addresses in `IGNITE_ADDRESSES`, or `nil` when unset.
    public static var addresses: [String]? {
        value("IGNITE_ADDRESSES").map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
    }

    /// The TLS settings the `IGNITE_TLS*` variables describe, or `nil` when none is set (plain TCP).
    public static func tlsConfiguration() -> IgniteTLSConfiguration? {
        let ca = value("IGNITE_TLS_CA")
        guard ca != nil || value("IGNITE_TLS") == "1" else { return nil }
        var tls = IgniteTLSConfiguration(caCertificates: ca.map { .file($0) })   // nil: the system trust store
        tls.certificate = value("IGNITE_TLS_CERT").map { .file($0) }
        tls.privateKey = value("IGNITE_TLS_KEY").map { .file($0) }
        tls.privateKeyPassword = value("IGNITE_TLS_KEY_PASSWORD")
        tls.serverName = value("IGNITE_TLS_SERVER_NAME")
        return tls
    }
}

/// The cluster an example talks to: a real one (IGNITE_ADDRESSES) or an in-process test node it started.
public final class ExampleEnvironment: @unchecked Sendable {
    /// The client configuration to connect with: endpoints, and credentials and TLS from the environment.
    public let configuration: IgniteClientConfiguration
    /// The credentials the cluster expects, if any (IGNITE_USER and IGNITE_PASSWORD, or the test node's user).
    public let credentials: (username: String, password: String)?
    /// Whether the example runs against the in-process test node.
    public var isTestNode: Bool { cluster != nil }
    /// The number of nodes: those started, or the addresses given.
    public var nodeCount: Int { cluster?.endpoints.count ?? configuration.endpoints.count }

    private let cluster: IgniteTestCluster?

    private init(configuration: IgniteClientConfiguration, credentials: (String, String)?, cluster: IgniteTestCluster?) {
        self.configuration = configuration
        self.credentials = credentials
        self.cluster = cluster
    }

    /// Connects to IGNITE_ADDRESSES, or starts an in-process test node, and says which.
    /// - Parameters:
    ///   - example: The example's name, for the printed header.
    ///   - nodes: How many test nodes to start when IGNITE_ADDRESSES is not set.
    ///   - users: Users the test node requires (authentication); none by default.
    /// - Returns: The environment; call ``shutdown()`` at the end.
    /// - Throws: `IgniteError` for a malformed address or when the test node cannot start.
    public static func start(_ example: String, nodes: Int = 1, users: [String: String] = [:]) throws -> ExampleEnvironment {
        print("== \(example)")
        if let addresses = ExampleVariables.addresses {
            var configuration = try IgniteClientConfiguration(addresses: addresses)
            var credentials: (String, String)?
            if let user = ExampleVariables.value("IGNITE_USER") {
                credentials = (user, ExampleVariables.value("IGNITE_PASSWORD") ?? "")
                configuration.username = user
                configuration.password = ExampleVariables.value("IGNITE_PASSWORD")
            }
            configuration.tls = ExampleVariables.tlsConfiguration()
            configuration.requestTimeout = .seconds(30)
            print("Connecting to the cluster in IGNITE_ADDRESSES: \(addresses.joined(separator: ", "))"
                  + (configuration.tls == nil ? "" : " over TLS") + (credentials == nil ? "" : " as \(credentials?.0 ?? "")"))
            return ExampleEnvironment(configuration: configuration, credentials: credentials, cluster: nil)
        }
        let cluster = try IgniteTestCluster.start(nodes: nodes) { $0.users = users }
        var configuration = IgniteClientConfiguration(endpoints: cluster.endpoints)
        configuration.requestTimeout = .seconds(30)
        let credentials = users.sorted { $0.key < $1.key }.first.map { ($0.key, $0.value) }
        if let credentials {
            configuration.username = credentials.0
            configuration.password = credentials.1
        }
        let endpoints = cluster.endpoints.map(\.description).joined(separator: ", ")
        print("IGNITE_ADDRESSES is not set: started the in-process TEST NODE (an emulator, not a real Ignite server), "
              + "\(nodes) node\(nodes == 1 ? "" : "s") at \(endpoints)" + (users.isEmpty ? "" : ", with authentication"))
        return ExampleEnvironment(configuration: configuration, credentials: credentials, cluster: cluster)
    }

    /// Stops a test node (index from 0), as if its process died. Does nothing against a real cluster.
    /// - Returns: Whether a node was stopped.
    @discardableResult
    public func stopNode(_ index: Int) -> Bool {
        guard let cluster, index >= 0, index < cluster.endpoints.count else { return false }
        cluster.stopNode(index)
        return true
    }

    /// The index of the test node that is primary for `key` in `cacheName`, or `nil` against a real cluster.
    public func primaryNode(forKey key: String, cacheName: String) -> Int? {
        cluster?.primaryNode(forKey: .string(key), cacheName: cacheName)?.index
    }

    /// Stops the test node, if one was started. Idempotent.
    public func shutdown() {
        cluster?.shutdown()
    }
}
