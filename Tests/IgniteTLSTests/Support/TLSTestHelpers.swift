import Foundation
import IgniteSockets
import IgniteSync
import IgniteTestNode
import IgniteTLS

/// Opens single TLS transports outside a client, with the product's own pieces: the configuration prepared once
/// (as a client does), then ``TCPTransportFactory`` with it as the security layer.
struct TLSTestConnector {
    let factory: TCPTransportFactory
    let provider: any IgniteSecureChannelProvider

    init(configuration: IgniteTLSConfiguration, tcp: IgniteTCPOptions = IgniteTCPOptions()) throws {
        provider = try configuration.prepare()
        factory = TCPTransportFactory(options: tcp, secure: provider)
    }

    func connect(to endpoint: IgniteEndpoint, timeout: Duration) throws -> any IgniteTransport {
        try factory.connect(to: endpoint, timeout: timeout)
    }

    func connectTLS(to endpoint: IgniteEndpoint, timeout: Duration) throws -> SecureTransport {
        try factory.connectSecure(to: endpoint, timeout: timeout, provider: provider)
    }
}

/// The TLS facts of a transport whose session is IgniteTLS's engine.
extension SecureTransport {
    private func engineFact<T>(_ fact: (TLSEngine) -> T?) -> T? {
        (try? withSession { session in (session as? TLSEngine).flatMap(fact) }) ?? nil
    }

    var negotiatedVersion: IgniteTLSVersion? { engineFact { $0.negotiatedVersion } }
    var cipherName: String? { engineFact { $0.cipherName } }
    var peerCertificateSubject: String? { engineFact { $0.peerCertificateSubject } }
    var requestedServerName: String? { engineFact { $0.requestedServerName } }

    /// Starts a TLS 1.3 key update that asks the peer to update its keys too.
    func requestKeyUpdate() throws {
        try withSession { session in
            guard let engine = session as? TLSEngine else { throw IgniteError(.illegalState, "not a TLS session") }
            try engine.requestKeyUpdate()
        }
    }
}

/// Shared steps of the TLS suites.
enum TLSTest {
    /// Writes `bytes` and reads back exactly as many (for the echo server).
    static func echo(_ transport: any IgniteTransport, _ bytes: [UInt8]) throws -> [UInt8] {
        try bytes.withUnsafeBytes { try transport.write($0) }
        return try readExactly(transport, count: bytes.count)
    }

    /// Reads exactly `count` bytes (hang guard: 60 s per read).
    static func readExactly(_ transport: any IgniteTransport, count: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while result.count < count {
            let n = try chunk.withUnsafeMutableBytes { try transport.read(into: $0, timeout: .seconds(60)) }
            guard n > 0 else { throw IgniteError(.connectionClosed, "the stream ended after \(result.count) of \(count) bytes") }
            result.append(contentsOf: chunk[0..<n])
        }
        return result
    }

    /// Deterministic pseudo-random bytes.
    static func bytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
    }

    /// A test node behind a TLS-terminating proxy, and a client connected through TLS.
    final class ProxiedNode: @unchecked Sendable {
        let cluster: IgniteTestCluster
        let server: TLSTestServer

        init(requireClientCertificate: Bool = false, minimumVersion: IgniteTLSVersion = .v1_2,
             maximumVersion: IgniteTLSVersion? = nil, keyUpdateEvery: Int? = nil) throws {
            cluster = try IgniteTestCluster()
            guard let node = cluster.endpoints.first else { throw IgniteError(.illegalState, "the test cluster has no node") }
            do {
                server = try TLSTestServer(behaviour: .proxy(to: node), requireClientCertificate: requireClientCertificate,
                                           minimumVersion: minimumVersion, maximumVersion: maximumVersion,
                                           keyUpdateEvery: keyUpdateEvery)
            } catch {
                cluster.shutdown()
                throw error
            }
        }

        /// A client through the proxy; `host` names the proxy (`"localhost"` or `"127.0.0.1"`).
        func client(_ tls: IgniteTLSConfiguration, host: String = "localhost") throws -> IgniteClient {
            var configuration = IgniteClientConfiguration(endpoints: [IgniteEndpoint(host: host, port: server.endpoint.port)])
            configuration.requestTimeout = .seconds(60)
            configuration.tls = tls
            return try IgniteClient(configuration: configuration)
        }

        func shutdown() {
            server.shutdown()
            cluster.shutdown()
        }
    }

    /// Runs `body` with a proxied test node, shutting it down afterwards.
    static func withProxiedNode<T>(requireClientCertificate: Bool = false, minimumVersion: IgniteTLSVersion = .v1_2,
                                   maximumVersion: IgniteTLSVersion? = nil, keyUpdateEvery: Int? = nil,
                                   _ body: (ProxiedNode) throws -> T) throws -> T {
        let node = try ProxiedNode(requireClientCertificate: requireClientCertificate, minimumVersion: minimumVersion,
                                   maximumVersion: maximumVersion, keyUpdateEvery: keyUpdateEvery)
        defer { node.shutdown() }
        return try body(node)
    }

    /// The `.tls` error behind `error`: itself, or the cause of a client's `.reconnect` error.
    static func tlsError(_ error: any Error) -> IgniteError? {
        guard let error = error as? IgniteError else { return nil }
        if error.code == .tls { return error }
        if let cause = error.underlying as? IgniteError, cause.code == .tls { return cause }
        return nil
    }
}
