import IgniteProtocol
import IgniteSockets
import IgniteTLS
import Testing

/// Certificate verification, host names and SNI, at the transport level against an echo server.
@Suite("TLS verification")
struct TLSVerificationTests {
    private func connect(_ configuration: IgniteTLSConfiguration, to server: TLSTestServer,
                         host: String = "localhost") throws -> SecureTransport {
        let factory = try TLSTestConnector(configuration: configuration)
        return try factory.connectTLS(to: IgniteEndpoint(host: host, port: server.endpoint.port), timeout: .seconds(30))
    }

    @Test func trustedCAAndHostNameConnects() throws {
        let server = try TLSTestServer(behaviour: .echo)
        defer { server.shutdown() }
        let transport = try connect(TestPKI.trustingClient, to: server, host: "localhost")
        defer { transport.close() }
        let payload = TLSTest.bytes(1000)
        #expect(try TLSTest.echo(transport, payload) == payload)
        #expect(transport.negotiatedVersion == .v1_3)
        #expect(transport.peerCertificateSubject?.contains("CN=localhost") == true)
        #expect(server.waitForHandshakes(1))
        // A host name is sent as SNI.
        #expect(server.sessions.first?.serverName == "localhost")
    }

    @Test func ipv4AddressIsVerifiedAsIPAndSendsNoSNI() throws {
        let server = try TLSTestServer(behaviour: .echo)
        defer { server.shutdown() }
        let transport = try connect(TestPKI.trustingClient, to: server, host: "127.0.0.1")
        defer { transport.close() }
        #expect(try TLSTest.echo(transport, [1, 2, 3]) == [1, 2, 3])
        #expect(server.waitForHandshakes(1))
        #expect(server.sessions.count == 1)
        #expect(server.sessions.first?.serverName == nil)
    }

    @Test func ipv6AddressIsVerifiedAsIP() throws {
        let server = try TLSTestServer(behaviour: .echo, host: "::1")
        defer { server.shutdown() }
        let transport = try connect(TestPKI.trustingClient, to: server, host: "::1")
        defer { transport.close() }
        #expect(try TLSTest.echo(transport, [4, 5, 6]) == [4, 5, 6])
    }

    @Test func hostNameMismatchIsRejected() throws {
        let server = try TLSTestServer(certificate: "wrong-name", behaviour: .echo)
        defer { server.shutdown() }
        let error = try #require(throws: IgniteError.self) { try connect(TestPKI.trustingClient, to: server, host: "localhost") }
        #expect(error.code == .tls)
        #expect(error.message.contains("hostname mismatch"))
        #expect(error.message.contains("certificate verify failed"))
    }

    @Test func ipAddressMismatchIsRejected() throws {
        let server = try TLSTestServer(certificate: "wrong-name", behaviour: .echo)
        defer { server.shutdown() }
        let error = try #require(throws: IgniteError.self) { try connect(TestPKI.trustingClient, to: server, host: "127.0.0.1") }
        #expect(error.code == .tls)
        #expect(error.message.contains("IP address mismatch"))
    }

    @Test func serverNameOverridesTheVerifiedNameAndSNI() throws {
        let server = try TLSTestServer(certificate: "wrong-name", behaviour: .echo)
        defer { server.shutdown() }
        var configuration = TestPKI.trustingClient
        configuration.serverName = "wrong.example.com"
        let transport = try connect(configuration, to: server, host: "127.0.0.1")
        defer { transport.close() }
        #expect(try TLSTest.echo(transport, [7]) == [7])
        #expect(server.waitForHandshakes(1))
        #expect(server.sessions.first?.serverName == "wrong.example.com")
    }

    @Test func hostnameCheckCanBeTurnedOff() throws {
        let server = try TLSTestServer(certificate: "wrong-name", behaviour: .echo)
        defer { server.shutdown() }
        var configuration = TestPKI.trustingClient
        configuration.verifyHostname = false
        let transport = try connect(configuration, to: server)
        defer { transport.close() }
        #expect(try TLSTest.echo(transport, [8, 9]) == [8, 9])
    }

    @Test func untrustedCAIsRejectedWithOpenSSLReason() throws {
        let server = try TLSTestServer(certificate: "untrusted-server", behaviour: .echo)
        defer { server.shutdown() }
        let error = try #require(throws: IgniteError.self) { try connect(TestPKI.trustingClient, to: server) }
        #expect(error.code == .tls)
        #expect(error.message.contains("unable to get local issuer certificate"))
        #expect(error.message.contains("SSL routines"))
        #expect(error.message.contains("certificate verify failed"))
        // The server learns why: the client sent an alert before closing.
        #expect(server.waitForHandshakes(1))
        #expect(server.failures.first?.message.contains("alert") == true)
    }

    @Test func systemTrustStoreDoesNotTrustTheTestCA() throws {
        let server = try TLSTestServer(behaviour: .echo)
        defer { server.shutdown() }
        let error = try #require(throws: IgniteError.self) { try connect(IgniteTLSConfiguration(), to: server) }
        #expect(error.code == .tls)
        #expect(error.message.contains("certificate verify failed"))
    }

    @Test func verifyPeerOffAcceptsAnyCertificate() throws {
        let server = try TLSTestServer(certificate: "untrusted-server", behaviour: .echo)
        defer { server.shutdown() }
        let transport = try connect(IgniteTLSConfiguration(verifyPeer: false), to: server, host: "127.0.0.1")
        defer { transport.close() }
        #expect(try TLSTest.echo(transport, [10, 11]) == [10, 11])
        #expect(transport.peerCertificateSubject?.contains("O=nobody") == true)
    }

    @Test func aPinnedServerCertificateIsATrustAnchor() throws {
        // Like a Java truststore, any configured certificate anchors trust: here the server's own certificate.
        let server = try TLSTestServer(behaviour: .echo)
        defer { server.shutdown() }
        let transport = try connect(IgniteTLSConfiguration(caCertificates: TestPKI.file("server.pem")), to: server)
        defer { transport.close() }
        #expect(try TLSTest.echo(transport, [12]) == [12])
    }

    @Test func aPinnedCertificateDoesNotTrustOtherServers() throws {
        let server = try TLSTestServer(certificate: "wrong-name", behaviour: .echo)
        defer { server.shutdown() }
        var configuration = IgniteTLSConfiguration(caCertificates: TestPKI.file("server.pem"))
        configuration.verifyHostname = false
        let error = try #require(throws: IgniteError.self) { try connect(configuration, to: server) }
        #expect(error.code == .tls)
        #expect(error.message.contains("certificate verify failed"))
    }
}
