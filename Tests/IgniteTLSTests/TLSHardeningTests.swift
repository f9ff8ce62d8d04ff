import Foundation
import IgniteSockets
import IgniteSync
import IgniteTLS
import Testing

/// Issue 10, TLS side: write deadlines, an empty server name, the server's alert when it rejects a missing client
/// certificate, and secrets in descriptions.
@Suite("TLS hardening")
struct TLSHardeningTests {
    /// An empty server name used to switch host-name checking off: a certificate for another name was accepted at
    /// 127.0.0.1. It is a parameter error now, before any connection.
    @Test func emptyServerNameIsAParameterError() throws {
        let server = try TLSTestServer(certificate: "wrong-name", behaviour: .echo)
        defer { server.shutdown() }
        var tls = TestPKI.trustingClient
        tls.serverName = ""
        let error = #expect(throws: IgniteError.self) {
            let transport = try TLSTestConnector(configuration: tls)
                .connectTLS(to: IgniteEndpoint(host: "127.0.0.1", port: server.endpoint.port), timeout: .seconds(30))
            transport.close()
        }
        #expect(error?.code == .parameter)
        let prepared = #expect(throws: IgniteError.self) { try tls.prepare() }
        #expect(prepared?.code == .parameter)
    }

    /// A server that completes the TLS and Ignite handshakes, then stops reading.
    private func silentServer(_ release: DispatchSemaphore) throws -> TLSTestServer {
        try TLSTestServer(behaviour: .custom { tls, _ in
            // The Ignite handshake: a length prefix, then the request (TLSTest.readExactly may return more).
            guard var bytes = try? TLSTest.readExactly(tls, count: 4) else { return }
            let length = Int(Int32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
            guard length > 0 else { return }
            if bytes.count < 4 + length {
                guard let rest = try? TLSTest.readExactly(tls, count: 4 + length - bytes.count) else { return }
                bytes += rest
            }
            guard let request = try? HandshakeRequest.decode(payload: Array(bytes[4..<(4 + length)])) else { return }
            let reply = HandshakeResponse.success(features: ProtocolFeatures([.clusterStates]), nodeId: UUID())
                .frame(proposed: request.version)
            try? reply.withUnsafeBytes { try tls.write($0) }
            _ = release.wait(timeout: .now() + 60)
        })
    }

    /// Over TLS a put to a server that stopped reading fails with `.timeout` at the request timeout, and a get
    /// queued behind it at its own (the issue saw both still blocked at 25 s with a 2 s timeout).
    @Test func writesOverTLSKeepTheRequestDeadline() throws {
        let release = DispatchSemaphore(value: 0)
        let server = try silentServer(release)
        defer {
            release.signal()
            server.shutdown()
        }
        var configuration = IgniteClientConfiguration(endpoints: [IgniteEndpoint(host: "localhost", port: server.endpoint.port)])
        configuration.requestTimeout = .seconds(2)
        configuration.partitionAwareness = false
        configuration.tcp.sendBufferSize = 64 * 1024
        configuration.tls = TestPKI.trustingClient
        let client = try IgniteClient(configuration: configuration)
        defer { client.close() }
        let cache = client.cache("blocked")
        let big = String(repeating: "y", count: 24 << 20)
        let clock = ContinuousClock()
        let putDone = DispatchSemaphore(value: 0)
        let putResult = Locked<(IgniteError.Code?, Duration)?>(nil)
        Thread.detachNewThread {
            let start = clock.now
            var code: IgniteError.Code?
            do { try cache.put(Int32(1), big) } catch let error as IgniteError { code = error.code } catch { code = .illegalState }
            putResult.set((code, clock.now - start))
            putDone.signal()
        }
        Thread.sleep(forTimeInterval: 0.3)
        let start = clock.now
        var getCode: IgniteError.Code?
        do { _ = try cache.get(Int32(2)) } catch let error as IgniteError { getCode = error.code }
        let getElapsed = clock.now - start
        #expect(putDone.wait(timeout: .now() + 60) == .success)
        let put = try #require(putResult.get())
        print("hardening: TLS queued get failed after \(getElapsed) with \(String(describing: getCode)); "
              + "blocked put after \(put.1) with \(String(describing: put.0))")
        #expect(getCode == .timeout)
        #expect(put.0 == .timeout)
        // The deadline holds: with a 2 s request timeout both fail well within 10 s. The bound leaves room for a
        // loaded 2-core machine (the put's time includes encoding 24 MiB and encrypting it with TLS; 4.64 s was seen
        // under a parallel build) and still proves the deadline: without it both stay blocked for as long as the
        // server does not read, which is the whole test (the issue saw 25 s and counting).
        #expect(getElapsed < .seconds(10))
        #expect(put.1 < .seconds(10))
    }

    /// TLS 1.3, a server that requires a client certificate and drops the connection (RST) right after its alert,
    /// as OpenSSL's s_server and Ignite nodes do: the client reports the `.tls` error naming the alert, not a
    /// closed or reset socket.
    @Test func missingClientCertificateReportsTheServersAlertDespiteAReset() throws {
        let server = try TLSTestServer(behaviour: .hold, requireClientCertificate: true, maximumVersion: .v1_3)
        server.resetOnHandshakeFailure = true
        defer { server.shutdown() }
        var outcomes: [String] = []
        for _ in 0..<10 {
            var configuration = IgniteClientConfiguration(endpoints: [IgniteEndpoint(host: "localhost", port: server.endpoint.port)])
            configuration.tls = TestPKI.trustingClient
            configuration.partitionAwareness = false
            do {
                let client = try IgniteClient(configuration: configuration)
                client.close()
                outcomes.append("connected")
            } catch {
                if let tls = TLSTest.tlsError(error), tls.message.contains("certificate required") {
                    outcomes.append("tls")
                } else {
                    outcomes.append("\(error)")
                }
            }
        }
        let others = outcomes.filter { $0 != "tls" }
        #expect(others.isEmpty, "\(others.count) of 10 attempts: \(others.first ?? "")")
    }

    /// Neither the key password nor in-memory key material shows in `description`, `debugDescription` or `dump` of
    /// the TLS settings, alone or inside a client configuration.
    @Test func tlsSettingsNeverShowTheKeyPasswordOrKeyMaterial() throws {
        let pem = try TestPKI.text("client-encrypted.key")
        let tls = IgniteTLSConfiguration(caCertificates: TestPKI.file("ca.pem"), certificate: TestPKI.file("client.pem"),
                                         privateKey: .pem(pem), privateKeyPassword: "K3y-pa55-91c2")
        var configuration = IgniteClientConfiguration()
        configuration.username = "ignite"
        configuration.password = "Pa55-w0rd-7f3c"
        configuration.tls = tls
        var texts: [String] = []
        for value in [tls as Any, configuration as Any, tls.privateKey as Any] {
            var dumped = ""
            dump(value, to: &dumped)
            texts += [String(describing: value), String(reflecting: value), dumped]
        }
        let leaks = texts.filter { $0.contains("K3y-pa55-91c2") || $0.contains("BEGIN") || $0.contains("Pa55-w0rd-7f3c") }
        #expect(leaks.isEmpty, "secret in: \(leaks.first ?? "")")
        #expect(texts.contains { $0.contains("ca.pem") })
    }
}

/// A value shared between threads in tests.
final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value
    init(_ value: Value) { self.value = value }
    func get() -> Value { lock.withLock { value } }
    func set(_ newValue: Value) { lock.withLock { value = newValue } }
}
