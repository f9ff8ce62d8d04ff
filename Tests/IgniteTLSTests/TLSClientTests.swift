import Foundation
import IgniteSync
import IgniteTLS
import Testing

/// `IgniteClient` over TLS: a test node behind the TLS-terminating proxy, real key-value operations.
@Suite("IgniteClient over TLS")
struct TLSClientTests {
    @Test func keyValueOperationsOverTLS() throws {
        try TLSTest.withProxiedNode { node in
            let client = try node.client(TestPKI.trustingClient)
            defer { client.close() }
            let cache = try client.getOrCreateCache("tls-kv")
            defer { try? cache.destroy() }
            try cache.put(1, "one")
            try cache.put("two", Int64(2))
            #expect(try cache.get(1, as: String.self) == "one")
            #expect(try cache.get("two", as: Int64.self) == 2)
            #expect(try cache.containsKey(1))
            #expect(try cache.remove(1))
            #expect(try cache.get(1, as: String.self) == nil)
            #expect(try client.cacheNames().contains("tls-kv"))
            #expect(node.server.sessions.count == 1)
            #expect(node.server.sessions.first?.version == .v1_3)
        }
    }

    @Test func keyValueOperationsOverTLS12() throws {
        try TLSTest.withProxiedNode(maximumVersion: .v1_2) { node in
            let client = try node.client(TestPKI.trustingClient, host: "127.0.0.1")
            defer { client.close() }
            let cache = try client.getOrCreateCache("tls12-kv")
            defer { try? cache.destroy() }
            try cache.put(7, "seven")
            #expect(try cache.get(7, as: String.self) == "seven")
            #expect(node.server.sessions.first?.version == .v1_2)
        }
    }

    @Test func fiveMebibyteValueRoundTrips() throws {
        try TLSTest.withProxiedNode { node in
            let client = try node.client(TestPKI.trustingClient)
            defer { client.close() }
            let cache = try client.getOrCreateCache("tls-large")
            defer { try? cache.destroy() }
            let value = TLSTest.bytes(5 * 1024 * 1024)
            try cache.put("big", value)
            let back = try cache.get("big", as: [UInt8].self)
            #expect(back?.count == value.count)
            #expect(back == value)
        }
    }

    @Test func eightThreadsPipelineOverOneTLSConnection() throws {
        try TLSTest.withProxiedNode { node in
            try Self.hammer(node, threads: 8, operations: 150)
            #expect(node.server.sessions.count == 1)
        }
    }

    @Test func keyUpdatesFromTheServerDuringConcurrentTraffic() throws {
        // The server asks for a TLS 1.3 key update after every 3 records it sends: the client's reader processes
        // each one and answers with its own while writers keep sending.
        try TLSTest.withProxiedNode(keyUpdateEvery: 3) { node in
            try Self.hammer(node, threads: 8, operations: 100)
            #expect(node.server.sessions.first?.version == .v1_3)
            #expect(node.server.keyUpdatesRequested > 10)
        }
    }

    /// `threads` threads each put and get their own keys (with some 64 KiB values) over one client and check
    /// every value.
    private static func hammer(_ node: TLSTest.ProxiedNode, threads: Int, operations: Int) throws {
        let client = try node.client(TestPKI.trustingClient)
        defer { client.close() }
        let cache = try client.getOrCreateCache("tls-pipeline")
        defer { try? cache.destroy() }
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            do {
                for i in 0..<operations {
                    let key = "t\(thread)-k\(i)"
                    let value: [UInt8] = i % 10 == 0 ? TLSTest.bytes(64 * 1024, seed: UInt64(thread * 1000 + i))
                                                     : Array(key.utf8)
                    try cache.put(key, value)
                    let back = try cache.get(key, as: [UInt8].self)
                    if back != value { failures.add("\(key): wrong value (\(back?.count ?? -1) bytes)") }
                }
            } catch {
                failures.add("thread \(thread): \(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(5))")
        #expect(try cache.size() == threads * operations)
    }

    @Test func clientThatDoesNotTrustTheServerFailsToConnect() throws {
        try TLSTest.withProxiedNode { node in
            let error = #expect(throws: IgniteError.self) { try node.client(IgniteTLSConfiguration()) }
            let tls = try #require(error.flatMap { TLSTest.tlsError($0) })
            #expect(tls.message.contains("certificate verify failed"))
        }
    }
}

/// Failure texts collected from many threads.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ text: String) { lock.withLock { items.append(text) } }
    var all: [String] { lock.withLock { items } }
}
