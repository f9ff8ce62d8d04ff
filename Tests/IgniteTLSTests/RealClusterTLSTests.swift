import Foundation
import IgniteSync
import IgniteSockets
import IgniteTLS
import Testing

/// A real cluster with TLS, when configured:
/// - `IGNITE_TEST_TLS_ADDRESS`: `host:port` (or several, comma-separated) of the TLS client connector;
/// - `IGNITE_TEST_TLS_CA`, `IGNITE_TEST_TLS_CERT`, `IGNITE_TEST_TLS_KEY`: PEM paths (CA, client certificate, key);
/// - optional `IGNITE_TEST_TLS_KEY_PASSWORD` (encrypted key), `IGNITE_TEST_TLS_SERVER_NAME` (the name the server
///   certificate carries, when the address is not in it), `IGNITE_TEST_TLS_VERIFY_HOSTNAME=0` (skip the name check),
///   `IGNITE_TEST_USER` / `IGNITE_TEST_PASSWORD` (authentication).
enum RealTLSCluster {
    static let environment = ProcessInfo.processInfo.environment

    struct Settings {
        var endpoints: [IgniteEndpoint]
        var tls: IgniteTLSConfiguration
    }

    static let settings: Settings? = {
        guard let address = environment["IGNITE_TEST_TLS_ADDRESS"], !address.isEmpty,
              let ca = environment["IGNITE_TEST_TLS_CA"], let certificate = environment["IGNITE_TEST_TLS_CERT"],
              let key = environment["IGNITE_TEST_TLS_KEY"] else { return nil }
        let endpoints = address.split(separator: ",").compactMap { try? IgniteEndpoint(parsing: String($0)) }
        guard !endpoints.isEmpty else { return nil }
        var tls = IgniteTLSConfiguration(caCertificates: .file(ca), certificate: .file(certificate), privateKey: .file(key))
        tls.privateKeyPassword = environment["IGNITE_TEST_TLS_KEY_PASSWORD"]
        tls.serverName = environment["IGNITE_TEST_TLS_SERVER_NAME"]
        if environment["IGNITE_TEST_TLS_VERIFY_HOSTNAME"] == "0" { tls.verifyHostname = false }
        return Settings(endpoints: endpoints, tls: tls)
    }()
}

@Suite("TLS against a real cluster",
       .disabled(if: RealTLSCluster.settings == nil,
                 "IGNITE_TEST_TLS_ADDRESS, IGNITE_TEST_TLS_CA, IGNITE_TEST_TLS_CERT and IGNITE_TEST_TLS_KEY are not set"))
struct RealClusterTLSTests {
    private func client() throws -> IgniteClient {
        let settings = try #require(RealTLSCluster.settings)
        var configuration = IgniteClientConfiguration(endpoints: settings.endpoints)
        configuration.requestTimeout = .seconds(60)
        configuration.username = RealTLSCluster.environment["IGNITE_TEST_USER"]
        configuration.password = RealTLSCluster.environment["IGNITE_TEST_PASSWORD"]
        configuration.tls = settings.tls
        return try IgniteClient(configuration: configuration)
    }

    @Test func putGetDestroyOverTLS() throws {
        let client = try client()
        defer { client.close() }
        let name = "swift-tls-\(UUID().uuidString.prefix(8).lowercased())"
        let cache = try client.createCache(name)
        var destroyed = false
        defer { if !destroyed { try? cache.destroy() } }
        try cache.put(1, "over TLS")
        let large = TLSTest.bytes(1024 * 1024)
        try cache.put(2, large)
        #expect(try cache.get(1, as: String.self) == "over TLS")
        #expect(try cache.get(2, as: [UInt8].self) == large)
        #expect(try client.cacheNames().contains(name))
        try cache.destroy()
        destroyed = true
        #expect(try !client.cacheNames().contains(name))
    }

    @Test func negotiatesAtLeastTLS12() throws {
        let settings = try #require(RealTLSCluster.settings)
        let endpoint = try #require(settings.endpoints.first)
        let transport = try TLSTestConnector(configuration: settings.tls).connectTLS(to: endpoint, timeout: .seconds(30))
        defer { transport.close() }
        #expect(transport.negotiatedVersion != nil)
        #expect(transport.cipherName?.isEmpty == false)
    }
}
