import IgniteProtocol
import IgniteSockets
import IgniteTLS
import Testing

/// Protocol versions and ciphers, at the transport level against an echo server.
@Suite("TLS versions and ciphers")
struct TLSVersionTests {
    private func connect(_ configuration: IgniteTLSConfiguration, to server: TLSTestServer) throws -> SecureTransport {
        try TLSTestConnector(configuration: configuration)
            .connectTLS(to: IgniteEndpoint(host: "localhost", port: server.endpoint.port), timeout: .seconds(30))
    }

    @Test func defaultMinimumTLS12ConnectsToATLS13OnlyServer() throws {
        let server = try TLSTestServer(behaviour: .echo, minimumVersion: .v1_3)
        defer { server.shutdown() }
        let transport = try connect(TestPKI.trustingClient, to: server)
        defer { transport.close() }
        #expect(transport.negotiatedVersion == .v1_3)
        #expect(try TLSTest.echo(transport, [1]) == [1])
    }

    @Test func defaultMinimumTLS12ConnectsToATLS12OnlyServer() throws {
        let server = try TLSTestServer(behaviour: .echo, maximumVersion: .v1_2)
        defer { server.shutdown() }
        let transport = try connect(TestPKI.trustingClient, to: server)
        defer { transport.close() }
        #expect(transport.negotiatedVersion == .v1_2)
        #expect(try TLSTest.echo(transport, [2, 3]) == [2, 3])
    }

    @Test func minimumTLS13RejectsATLS12OnlyServer() throws {
        let server = try TLSTestServer(behaviour: .echo, maximumVersion: .v1_2)
        defer { server.shutdown() }
        var configuration = TestPKI.trustingClient
        configuration.minimumVersion = .v1_3
        let error = try #require(throws: IgniteError.self) { try connect(configuration, to: server) }
        #expect(error.code == .tls)
        #expect(error.message.contains("protocol version"))
    }

    @Test func maximumTLS12IsRejectedByATLS13OnlyServer() throws {
        let server = try TLSTestServer(behaviour: .echo, minimumVersion: .v1_3)
        defer { server.shutdown() }
        var configuration = TestPKI.trustingClient
        configuration.maximumVersion = .v1_2
        let error = try #require(throws: IgniteError.self) { try connect(configuration, to: server) }
        #expect(error.code == .tls)
        #expect(error.message.contains("protocol version"))
    }

    @Test func minimumTLS13ConnectsWithTLS13() throws {
        let server = try TLSTestServer(behaviour: .echo)
        defer { server.shutdown() }
        var configuration = TestPKI.trustingClient
        configuration.minimumVersion = .v1_3
        let transport = try connect(configuration, to: server)
        defer { transport.close() }
        #expect(transport.negotiatedVersion == .v1_3)
    }

    @Test func tls12CipherListIsUsed() throws {
        let server = try TLSTestServer(behaviour: .echo, maximumVersion: .v1_2)
        defer { server.shutdown() }
        var configuration = TestPKI.trustingClient
        configuration.cipherList = "ECDHE-ECDSA-CHACHA20-POLY1305"
        let transport = try connect(configuration, to: server)
        defer { transport.close() }
        #expect(transport.cipherName == "ECDHE-ECDSA-CHACHA20-POLY1305")
        #expect(try TLSTest.echo(transport, [4]) == [4])
    }

    @Test func tls13CipherSuitesAreUsed() throws {
        let server = try TLSTestServer(behaviour: .echo)
        defer { server.shutdown() }
        var configuration = TestPKI.trustingClient
        configuration.cipherSuites = "TLS_CHACHA20_POLY1305_SHA256"
        let transport = try connect(configuration, to: server)
        defer { transport.close() }
        #expect(transport.negotiatedVersion == .v1_3)
        #expect(transport.cipherName == "TLS_CHACHA20_POLY1305_SHA256")
        #expect(server.waitForHandshakes(1))
        #expect(server.sessions.first?.cipher == "TLS_CHACHA20_POLY1305_SHA256")
    }

    @Test func noCommonTLS12CipherFailsTheHandshake() throws {
        let server = try TLSTestServer(behaviour: .echo, maximumVersion: .v1_2)
        defer { server.shutdown() }
        var configuration = TestPKI.trustingClient
        // The server's key is EC, so an RSA-authenticated suite cannot be agreed.
        configuration.cipherList = "ECDHE-RSA-AES128-GCM-SHA256"
        let error = try #require(throws: IgniteError.self) { try connect(configuration, to: server) }
        #expect(error.code == .tls)
        #expect(error.message.contains("handshake failure"))
    }

    @Test func unknownCipherSettingsAreRejectedUpFront() throws {
        var list = TestPKI.trustingClient
        list.cipherList = "NO-SUCH-CIPHER"
        let listError = try #require(throws: IgniteError.self) { try list.prepare() }
        #expect(listError.code == .tls)
        #expect(listError.message.contains("no cipher match"))

        var suites = TestPKI.trustingClient
        suites.cipherSuites = "TLS_NO_SUCH_SUITE"
        let suitesError = try #require(throws: IgniteError.self) { try suites.prepare() }
        #expect(suitesError.code == .tls)
        #expect(suitesError.message.contains("TLS_NO_SUCH_SUITE"))
    }

    @Test func maximumBelowMinimumIsAParameterError() throws {
        let configuration = IgniteTLSConfiguration(minimumVersion: .v1_3, maximumVersion: .v1_2)
        let error = try #require(throws: IgniteError.self) { try configuration.prepare() }
        #expect(error.code == .parameter)
    }

    @Test func versionsAreOrderedAndNamedLikeOpenSSL() {
        #expect(IgniteTLSVersion.v1_2 < .v1_3)
        #expect(IgniteTLSVersion.v1_2.description == "TLSv1.2")
        #expect(IgniteTLSVersion.v1_3.description == "TLSv1.3")
    }
}
