import Foundation
import IgniteTLS

/// The committed test PKI (see `Certificates/generate.sh`).
enum TestPKI {
    /// The `Certificates` folder next to this target's sources.
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath)
        url.deleteLastPathComponent() // Support
        url.deleteLastPathComponent() // IgniteTLSTests
        return url.appendingPathComponent("Certificates").path
    }()

    static func path(_ name: String) -> String { "\(directory)/\(name)" }
    static func file(_ name: String) -> IgniteTLSConfiguration.PEMSource { .file(path(name)) }

    /// The text of a PEM file.
    static func text(_ name: String) throws -> String { try String(contentsOfFile: path(name), encoding: .utf8) }

    /// The password of `client-encrypted.key`.
    static let clientKeyPassword = "ignite-secret"

    /// A client that trusts the test CA.
    static var trustingClient: IgniteTLSConfiguration { IgniteTLSConfiguration(caCertificates: file("ca.pem")) }

    /// A client that trusts the test CA and presents the client certificate.
    static var mutualClient: IgniteTLSConfiguration {
        IgniteTLSConfiguration(caCertificates: file("ca.pem"), certificate: file("client.pem"), privateKey: file("client.key"))
    }
}
