// The manual's "Password authentication" (3.7): a cluster with authenticationEnabled (and persistence) accepts a
// client only with a user's name and password. Just set them in the configuration; the password is never printed
// or logged. Send credentials over TLS (see the tls example) on anything but a private network.
//
// Against the test node the example starts a node that requires the user ignite/ignite. Against a real cluster it
// takes IGNITE_USER and IGNITE_PASSWORD (and IGNITE_TLS_* when the cluster requires TLS).
import IgniteExampleSupport
import IgniteSync

enum AuthenticationExample {
    static func run() throws {
        let environment = try ExampleEnvironment.start("auth", users: ["ignite": "ignite"])
        defer { environment.shutdown() }
        guard let credentials = environment.credentials else {
            throw ExampleFailure("set IGNITE_USER and IGNITE_PASSWORD to the credentials of a cluster with authentication")
        }

        // The credentials go into the client configuration.
        var configuration = environment.configuration                   // the endpoints (and TLS, if set)
        configuration.username = credentials.username
        configuration.password = credentials.password
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        say("authenticated as \(credentials.username): connected with \(try client.protocolContext().version)")
        let cache = try client.getOrCreateCache("auth \(runSuffix)")
        defer { try? cache.destroy() }
        try cache.put(1, "only for authenticated users")
        let value = try cache.get(1, as: String.self)
        say("get 1 = \(value ?? "nil")")
        try expectEqual(value, "only for authenticated users", "the value written by the authenticated client")

        // A wrong password is refused at connection time ("Handshake error: Unauthenticated sessions are prohibited"
        // for pyignite when no credentials are given).
        var wrong = configuration
        wrong.password = "not-\(credentials.password)"
        do {
            let intruder = try IgniteClient(configuration: wrong)
            intruder.close()
            throw ExampleFailure("a wrong password was accepted")
        } catch let error as IgniteError {
            say("a wrong password is refused: \(error.code)\(error.serverStatus.map { ", server status \($0)" } ?? ""): \(error.message)")
            try expectEqual(error.code, .authentication, "the error of a wrong password")
        }

        // No credentials at all.
        var anonymous = configuration
        anonymous.username = nil
        anonymous.password = nil
        do {
            let intruder = try IgniteClient(configuration: anonymous)
            intruder.close()
            throw ExampleFailure("a client without credentials was accepted")
        } catch let error as IgniteError {
            say("no credentials are refused: \(error.code): \(error.message)")
        }
    }
}
