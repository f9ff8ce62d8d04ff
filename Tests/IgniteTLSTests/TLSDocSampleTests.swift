import IgniteSync
import IgniteSockets
import IgniteTLS
import Testing

// The sample of Docs/TLS.md, "Connect", as written (only the endpoint and the certificate folder differ below).

/// Connects to a cluster whose client connector requires TLS and a client certificate.
func connectSecurely(to endpoint: IgniteEndpoint, certificates directory: String, keyPassword: String?) throws -> IgniteClient {
    var tls = IgniteTLSConfiguration(caCertificates: .file("\(directory)/ca.pem"))
    tls.certificate = .file("\(directory)/client.pem")
    tls.privateKey = .file("\(directory)/client.key")
    tls.privateKeyPassword = keyPassword        // only for an encrypted key
    tls.minimumVersion = .v1_2                  // the default; .v1_3 refuses TLS 1.2

    var configuration = IgniteClientConfiguration(endpoints: [endpoint])
    configuration.tls = tls
    return try IgniteClient(configuration: configuration)
}

@Suite("Docs/TLS.md sample")
struct TLSDocSampleTests {
    @Test func connectSampleRunsAsWritten() throws {
        try TLSTest.withProxiedNode(requireClientCertificate: true) { node in
            let client = try connectSecurely(to: IgniteEndpoint(host: "localhost", port: node.server.endpoint.port),
                                             certificates: TestPKI.directory, keyPassword: nil)
            defer { client.close() }
            let cache = try client.getOrCreateCache("secure")
            try cache.put(1, "sent over TLS")

            #expect(try cache.get(1, as: String.self) == "sent over TLS")
            #expect(node.server.sessions.first?.clientSubject?.contains("CN=ignite-client") == true)
            try cache.destroy()
        }
    }

    @Test func inMemorySampleCompilesAndConnects() throws {
        let caPEM = try TestPKI.text("ca.pem")
        let clientCertificatePEM = try TestPKI.text("client.pem")
        let clientKeyPEM = try TestPKI.text("client-encrypted.key")
        let keyPassword: String? = TestPKI.clientKeyPassword
        // Docs/TLS.md, "Settings":
        let tls = IgniteTLSConfiguration(
            caCertificates: .pem(caPEM),                  // "-----BEGIN CERTIFICATE-----\n..."
            certificate: .pem(clientCertificatePEM),
            privateKey: .pem(clientKeyPEM),               // e.g. from a secret store
            privateKeyPassword: keyPassword)

        try TLSTest.withProxiedNode(requireClientCertificate: true) { node in
            let transport = try TLSTestConnector(configuration: tls)
                .connectTLS(to: IgniteEndpoint(host: "localhost", port: node.server.endpoint.port), timeout: .seconds(30))
            defer { transport.close() }
            #expect(transport.negotiatedVersion == .v1_3)
        }
    }
}
