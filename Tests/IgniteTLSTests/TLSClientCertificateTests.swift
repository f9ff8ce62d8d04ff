import IgniteSync
import IgniteTLS
import Testing

/// Client certificates (mutual TLS), private keys (plain and encrypted) and in-memory PEM.
@Suite("TLS client certificates and keys")
struct TLSClientCertificateTests {
    /// Puts and gets one value through a client with `tls`, returning what came back.
    private func roundTrip(_ node: TLSTest.ProxiedNode, _ tls: IgniteTLSConfiguration) throws -> String? {
        let client = try node.client(tls)
        defer { client.close() }
        let cache = try client.getOrCreateCache("tls-mutual")
        defer { try? cache.destroy() }
        try cache.put(1, "mutual")
        return try cache.get(1, as: String.self)
    }

    @Test func mutualTLSWithAClientCertificate() throws {
        try TLSTest.withProxiedNode(requireClientCertificate: true) { node in
            let value = try roundTrip(node, TestPKI.mutualClient)
            #expect(value == "mutual")
            #expect(node.server.sessions.first?.clientSubject?.contains("CN=ignite-client") == true)
        }
    }

    @Test func mutualTLSOverTLS12() throws {
        try TLSTest.withProxiedNode(requireClientCertificate: true, maximumVersion: .v1_2) { node in
            let value = try roundTrip(node, TestPKI.mutualClient)
            #expect(value == "mutual")
            #expect(node.server.sessions.first?.version == .v1_2)
        }
    }

    @Test func missingClientCertificateIsRejected() throws {
        try TLSTest.withProxiedNode(requireClientCertificate: true) { node in
            let error = #expect(throws: IgniteError.self) { try roundTrip(node, TestPKI.trustingClient) }
            // With TLS 1.3 the client finishes its side of the handshake first and learns of the rejection from
            // the server's alert on its first read: a .tls error either way.
            let tls = try #require(error.flatMap { TLSTest.tlsError($0) })
            #expect(tls.message.contains("certificate required"))
            #expect(node.server.waitForHandshakes(1))
            #expect(node.server.failures.first?.message.contains("peer did not return a certificate") == true)
        }
    }

    @Test func missingClientCertificateIsRejectedOverTLS12() throws {
        try TLSTest.withProxiedNode(requireClientCertificate: true, maximumVersion: .v1_2) { node in
            let error = #expect(throws: IgniteError.self) { try roundTrip(node, TestPKI.trustingClient) }
            let tls = try #require(error.flatMap { TLSTest.tlsError($0) })
            #expect(tls.message.contains("handshake failure"))
        }
    }

    @Test func encryptedKeyWithTheRightPassword() throws {
        try TLSTest.withProxiedNode(requireClientCertificate: true) { node in
            var tls = TestPKI.mutualClient
            tls.privateKey = TestPKI.file("client-encrypted.key")
            tls.privateKeyPassword = TestPKI.clientKeyPassword
            let value = try roundTrip(node, tls)
            #expect(value == "mutual")
        }
    }

    @Test func encryptedKeyWithAWrongPasswordIsRejectedUpFront() throws {
        var tls = TestPKI.mutualClient
        tls.privateKey = TestPKI.file("client-encrypted.key")
        tls.privateKeyPassword = "not-the-password"
        let error = try #require(throws: IgniteError.self) { try tls.prepare() }
        #expect(error.code == .tls)
        #expect(error.message.contains("client-encrypted.key"))
        #expect(error.message.contains("wrong password"))
        #expect(error.message.contains("error:")) // OpenSSL's own text follows
        #expect(!error.message.contains("not-the-password"))
    }

    @Test func encryptedKeyWithoutAPasswordFailsWithoutPrompting() throws {
        var tls = TestPKI.mutualClient
        tls.privateKey = TestPKI.file("client-encrypted.key")
        let error = try #require(throws: IgniteError.self) { try tls.prepare() }
        #expect(error.code == .tls)
        #expect(error.message.contains("set privateKeyPassword"))
    }

    @Test func keyThatDoesNotMatchTheCertificate() throws {
        var tls = TestPKI.mutualClient
        tls.privateKey = TestPKI.file("server.key")
        let error = try #require(throws: IgniteError.self) { try tls.prepare() }
        #expect(error.code == .tls)
        #expect(error.message.contains("does not match") || error.message.contains("cannot use the private key"))
    }

    @Test func missingFilesAndBadPEMAreReported() throws {
        let missing = #expect(throws: IgniteError.self) {
            try IgniteTLSConfiguration(caCertificates: .file("/nonexistent/ca.pem")).prepare()
        }
        #expect(missing?.code == .tls)
        #expect(missing?.message.contains("/nonexistent/ca.pem") == true)

        let garbage = #expect(throws: IgniteError.self) {
            try IgniteTLSConfiguration(caCertificates: .pem("not a certificate")).prepare()
        }
        #expect(garbage?.code == .tls)
        #expect(garbage?.message.contains("no certificate found") == true)

        let empty = #expect(throws: IgniteError.self) {
            try IgniteTLSConfiguration(caCertificates: .pem("")).prepare()
        }
        #expect(empty?.code == .parameter)
    }

    @Test func certificateWithoutKeyIsAParameterError() throws {
        var tls = TestPKI.trustingClient
        tls.certificate = TestPKI.file("client.pem")
        let error = try #require(throws: IgniteError.self) { try tls.prepare() }
        #expect(error.code == .parameter)
    }

    @Test func everythingFromInMemoryPEM() throws {
        try TLSTest.withProxiedNode(requireClientCertificate: true) { node in
            let tls = IgniteTLSConfiguration(caCertificates: .pem(try TestPKI.text("ca.pem")),
                                             certificate: .pem(try TestPKI.text("client.pem")),
                                             privateKey: .pem(try TestPKI.text("client-encrypted.key")),
                                             privateKeyPassword: TestPKI.clientKeyPassword)
            let value = try roundTrip(node, tls)
            #expect(value == "mutual")
        }
    }

    @Test func caBundleWithSeveralCertificates() throws {
        // The untrusted CA first, the real one second: every certificate of a bundle is trusted.
        let bundle = try TestPKI.text("untrusted-ca.pem") + TestPKI.text("ca.pem")
        try TLSTest.withProxiedNode { node in
            let value = try roundTrip(node, IgniteTLSConfiguration(caCertificates: .pem(bundle)))
            #expect(value == "mutual")
        }
    }

    @Test func descriptionNeverShowsThePasswordOrPEMText() throws {
        let pem = try TestPKI.text("client-encrypted.key")
        let tls = IgniteTLSConfiguration(caCertificates: TestPKI.file("ca.pem"), certificate: TestPKI.file("client.pem"),
                                         privateKey: .pem(pem), privateKeyPassword: "hunter2")
        #expect(!tls.description.contains("hunter2"))
        #expect(!tls.description.contains("BEGIN"))
        #expect(tls.description.contains("<redacted>"))
        #expect(tls.description.contains("ca.pem"))
    }
}
