// The manual's "SSL/TLS" (3.6): connect to a cluster whose client connector requires TLS, configured from
// environment variables:
//
//     IGNITE_ADDRESSES=node1:10800 IGNITE_TLS_CA=ca.pem [IGNITE_TLS_CERT=client.pem IGNITE_TLS_KEY=client.key]
//         [IGNITE_TLS_KEY_PASSWORD=...] [IGNITE_TLS_SERVER_NAME=node1.example.com] [IGNITE_USER=... IGNITE_PASSWORD=...]
//         swift run ignite-examples tls
//
// (IGNITE_TLS=1 instead of IGNITE_TLS_CA trusts the system's CAs.) The in-process test node speaks plain TCP, so
// this example needs a TLS endpoint: Tools/run-examples.sh puts a TLS proxy with the test certificates of
// Tests/IgniteTLSTests/Certificates in front of a test node. Server side: Docs/TLS.md.
import Foundation
import IgniteExampleSupport
import IgniteSync
import IgniteTLS

enum TLSExample {
    static func run() throws {
        print("== tls")
        let environment = ProcessInfo.processInfo.environment
        func variable(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        guard let addresses = variable("IGNITE_ADDRESSES")?.split(separator: ",").map(String.init),
              variable("IGNITE_TLS_CA") != nil || variable("IGNITE_TLS") == "1" else {
            throw ExampleFailure("this example needs a TLS endpoint: set IGNITE_ADDRESSES and IGNITE_TLS_CA (or IGNITE_TLS=1), "
                                 + "and IGNITE_TLS_CERT and IGNITE_TLS_KEY if the server checks client certificates; "
                                 + "Tools/run-examples.sh runs it against the test node behind a TLS proxy")
        }

        // The TLS settings: the CA that signed the server's certificate and, for mutual TLS, the client's own.
        var tls = IgniteTLSConfiguration(caCertificates: variable("IGNITE_TLS_CA").map { .file($0) })  // nil: system CAs
        tls.certificate = variable("IGNITE_TLS_CERT").map { .file($0) }
        tls.privateKey = variable("IGNITE_TLS_KEY").map { .file($0) }
        tls.privateKeyPassword = variable("IGNITE_TLS_KEY_PASSWORD")
        tls.serverName = variable("IGNITE_TLS_SERVER_NAME")
        _ = try tls.prepare()                    // loads and checks the files now (the client would do it too)
        say("TLS settings: \(tls)")

        var configuration = try IgniteClientConfiguration(addresses: addresses)
        configuration.tls = tls
        configuration.username = variable("IGNITE_USER")          // TLS and authentication go well together
        configuration.password = variable("IGNITE_PASSWORD")
        configuration.requestTimeout = .seconds(30)

        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        say("connected over TLS to \(addresses.joined(separator: ", ")) with \(try client.protocolContext().version)"
            + (configuration.username.map { " as \($0)" } ?? ""))
        let cache = try client.getOrCreateCache("secure \(runSuffix)")
        defer { try? cache.destroy() }
        let payload = String(repeating: "encrypted ", count: 10_000)      // 100 kB, many TLS records
        try cache.put(1, payload)
        let back = try cache.get(1, as: String.self)
        say("put and got back \(back?.utf8.count ?? 0) bytes over TLS")
        try expectEqual(back, payload, "the value sent over TLS")

        // The same port without TLS: the server does not answer the Ignite handshake in plain text.
        var plain = configuration
        plain.tls = nil
        plain.connectTimeout = .seconds(3)
        plain.handshakeTimeout = .seconds(3)
        do {
            let insecure = try IgniteClient(configuration: plain)
            insecure.close()
            throw ExampleFailure("a plain TCP client connected to the TLS port")
        } catch let error as IgniteError {
            say("without TLS the connection fails: \(error.code)")
        }
    }
}
