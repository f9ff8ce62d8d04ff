import Foundation
import IgniteAsync
import IgniteTLS
import Testing

/// IgniteAsync's `IgniteClient` over TLS with the same `IgniteTLSConfiguration` as the blocking client: the async
/// connection drives IgniteTLS's session on its event loop.
@Suite("IgniteAsync client over TLS", .timeLimit(.minutes(10)))
struct AsyncTLSClientTests {
    private static func client(_ node: TLSTest.ProxiedNode, _ tls: IgniteTLSConfiguration,
                               host: String = "localhost") async throws -> IgniteAsync.IgniteClient {
        var configuration = IgniteClientConfiguration(endpoints: [IgniteEndpoint(host: host, port: node.server.endpoint.port)])
        configuration.requestTimeout = .seconds(60)
        configuration.tls = tls
        return try await IgniteAsync.IgniteClient(configuration: configuration)
    }

    @Test func keyValueOperationsAndPipeliningOverTLS() async throws {
        let node = try TLSTest.ProxiedNode()
        defer { node.shutdown() }
        let client = try await Self.client(node, TestPKI.trustingClient)
        defer { client.close() }
        let cache = try await client.getOrCreateCache("async-tls-kv")
        try await cache.put(1, "one")
        #expect(try await cache.get(1, as: String.self) == "one")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<200 {
                group.addTask {
                    try await cache.put(Int32(i), "v\(i)")
                    #expect(try await cache.get(Int32(i), as: String.self) == "v\(i)")
                }
            }
            try await group.waitForAll()
        }
        let value = TLSTest.bytes(3 * 1024 * 1024)
        try await cache.put("big", value)
        #expect(try await cache.get("big", as: [UInt8].self) == value)
        #expect(node.server.sessions.count == 1)
        #expect(node.server.sessions.first?.version == .v1_3)
    }

    @Test func keyUpdatesFromTheServerAreAnswered() async throws {
        let node = try TLSTest.ProxiedNode(keyUpdateEvery: 3)
        defer { node.shutdown() }
        let client = try await Self.client(node, TestPKI.trustingClient, host: "127.0.0.1")
        defer { client.close() }
        let cache = try await client.getOrCreateCache("async-tls-keyupdate")
        for i in 0..<40 {
            try await cache.put(Int32(i), Int64(i))
            #expect(try await cache.get(Int32(i), as: Int64.self) == Int64(i))
        }
    }

    @Test func anUntrustedServerFailsWithATLSError() async throws {
        let node = try TLSTest.ProxiedNode()
        defer { node.shutdown() }
        let untrusting = IgniteTLSConfiguration(caCertificates: TestPKI.file("untrusted-ca.pem"))
        let error = await #expect(throws: IgniteError.self) { _ = try await Self.client(node, untrusting) }
        #expect(error.flatMap(TLSTest.tlsError) != nil)
    }
}
