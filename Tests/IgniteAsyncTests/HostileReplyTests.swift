import Foundation
import IgniteAsync
import Testing

/// A node of a shared-reference chain (`ChainNode` on the wire): `a` and `b` refer to the same node.
final class AsyncChainNode: IgniteObjectCodable, @unchecked Sendable {
    static let igniteTypeName = "ChainNode"
    let level: Int32
    let a: AsyncChainNode?
    let b: AsyncChainNode?

    var depth: Int {
        var count = 0
        var node = a
        while let next = node { count += 1; node = next.a }
        return count
    }
}

/// Hostile or unusual replies through the public async API (issue 10, items 1–3 and 10): the sync suite's cases,
/// served by the same scripted server. Each case ends in a typed error (or the correct value) within a small multiple
/// of the frame in peak resident memory (the kernel's high-water mark) and a few seconds of CPU, and the client is
/// still usable afterwards. Serialized: the measurements are process-wide.
@Suite("Hostile replies through the async API", .serialized, .timeLimit(.minutes(10)))
struct AsyncHostileReplyTests {
    /// Serves `body` to every OP_CACHE_GET and OP_CACHE_GET_ALL, the chain's type to OP_GET_BINARY_TYPE, and an empty
    /// success to OP_CACHE_PUT (the "still usable" probe).
    private func server(_ body: [UInt8]) throws -> HostileServer {
        try HostileServer { op, _ in
            switch OpCode(op) {
            case .cacheGet, .cacheGetAll: return .body(body)
            case .getBinaryType: return .body(HostileReplies.binaryTypeBody(HostileReplies.nodeType))
            case .cachePut: return .body([])
            default: return .failure(status: 1, message: "not scripted")
            }
        }
    }

    private func limit(frame: Int) -> Int {
        // The budget (64 MiB + 8 per byte) plus the frame's own copies on both ends of the loopback connection.
        DecodingLimits.decodedBytesBase + DecodingLimits.decodedBytesPerInputByte * frame + 8 * frame
    }

    /// Generous: other suites of the process run meanwhile on two cores, and their CPU time counts too.
    private static let cpuLimit = Duration.seconds(10)

    /// Runs `body`, returning its typed error (nil when it succeeded) and what it cost.
    private func measured(_ body: () async throws -> Void) async -> (error: IgniteError?, use: ResourceUse, other: (any Error)?) {
        let (outcome, use) = await ResourceUse.measure { () async -> (IgniteError?, (any Error)?) in
            do {
                try await body()
                return (nil, nil)
            } catch let error as IgniteError {
                return (error, nil)
            } catch {
                return (nil, error)
            }
        }
        return (outcome.0, use, outcome.1)
    }

    /// After the hostile reply, the same client still works (the connection stayed up or was replaced cleanly).
    private func expectUsable(_ client: IgniteClient, _ server: HostileServer) async {
        do {
            try await client.cache("hostile").put(Int32(7), Int32(8))
        } catch {
            Issue.record("the client is unusable after the hostile reply: \(error)")
        }
        #expect(server.count(.cachePut) == 1)
    }

    /// 16 Mi one-byte nulls (a 16 MiB frame) would take 16 Mi IgniteValues: refused before they are allocated.
    @Test func aCollectionOfNullsIsRefused() async throws {
        let body = HostileReplies.nullCollection(count: 16 << 20)
        let server = try server(body)
        defer { server.stop() }
        let client = try await server.client()
        defer { client.close() }
        let (error, use, other) = await measured { _ = try await client.cache("hostile").get(Int32(1)) }
        print("async: 16 Mi nulls in a \(body.count)-byte reply: \(String(describing: error?.code)), \(use)")
        #expect(other == nil)
        #expect(error?.code == .parse)
        #expect(use.peakMemory <= limit(frame: body.count))
        #expect(use.cpuTime < Self.cpuLimit)
        await expectUsable(client, server)
    }

    /// A count claiming every byte of a 32 MiB reply is an element is charged before anything is reserved.
    @Test func aClaimedCountIsRefusedBeforeReserving() async throws {
        let body = HostileReplies.claimedCount(bytes: 32 << 20)
        let server = try server(body)
        defer { server.stop() }
        let client = try await server.client()
        defer { client.close() }
        let (error, use, other) = await measured { _ = try await client.cache("hostile").get(Int32(1)) }
        print("async: claimed count in a \(body.count)-byte reply: \(String(describing: error)), \(use)")
        #expect(other == nil)
        #expect(error?.code == .parse)
        #expect(error?.message.contains("decoded-size budget") == true)
        #expect(use.peakMemory <= limit(frame: body.count))
        #expect(use.cpuTime < Self.cpuLimit)
        await expectUsable(client, server)
    }

    /// A getAll reply of one 8 MiB array and 60 five-byte handles to it: the copies share the reply's one budget.
    @Test func handlesInAGetAllReplyShareOneBudget() async throws {
        let handles = 60
        let body = HostileReplies.getAllWithHandles(arrayBytes: 8 << 20, handles: handles)
        let server = try server(body)
        defer { server.stop() }
        let client = try await server.client()
        defer { client.close() }
        let keys = (0...handles).map { Int32($0) }
        let (error, use, other) = await measured { _ = try await client.cache("hostile").getAll(keys, as: [UInt8].self) }
        print("async: getAll with \(handles) handles to an 8 MiB array (\(body.count) bytes): \(String(describing: error?.code)), "
              + "\(use); unbounded copies: \(handles * 8) MiB")
        #expect(other == nil)
        #expect(error?.code == .parse)
        #expect(use.peakMemory <= limit(frame: body.count))
        #expect(use.cpuTime < Self.cpuLimit)
        await expectUsable(client, server)
    }

    /// A chain of 40 objects, each referring to the previous one twice (once through a handle), with compact footers:
    /// the client fetches the schema once and decodes 41 nodes, sharing them as Java does. As a tree it has 2^40 nodes.
    @Test func aSharedReferenceChainDecodesInLinearWork() async throws {
        let body = HostileReplies.javaChain(depth: 40)
        let server = try server(body)
        defer { server.stop() }
        let client = try await server.client()
        defer { client.close() }
        let (node, use) = try await ResourceUse.measure {
            try await client.cache("hostile").get(Int32(1), as: AsyncChainNode.self)
        }
        print("async: Java chain of depth 40 (\(body.count) bytes): \(use)")
        let root = try #require(node)
        #expect(root.level == 40)
        #expect(root.depth == 40)
        #expect(root.a === root.b)
        #expect(server.count(.getBinaryType) == 1)
        #expect(use.peakMemory <= limit(frame: body.count))
        #expect(use.cpuTime < Self.cpuLimit)
        // The untyped path walks the same graph (BinaryMetadata's search for missing schemas): linear too.
        let (untyped, untypedUse) = try await ResourceUse.measure { try await client.cache("hostile").get(Int32(1)) }
        print("async: Java chain of depth 40, untyped: \(untypedUse)")
        #expect(untyped != nil)
        #expect(untypedUse.cpuTime < Self.cpuLimit)
        await expectUsable(client, server)
    }

    /// A getAll reply with 121 entries to a request for one key (the issue saw them all accepted) is a protocol
    /// error, not a bigger dictionary.
    @Test func aGetAllReplyWithMoreEntriesThanKeysIsRefused() async throws {
        let body = HostileReplies.getAllEntries(count: 121)
        let server = try server(body)
        defer { server.stop() }
        let client = try await server.client()
        defer { client.close() }
        let (error, use, other) = await measured { _ = try await client.cache("hostile").getAll([Int32(1)], as: Int32.self) }
        print("async: getAll of 1 key answered with 121 entries: \(String(describing: error)), \(use)")
        #expect(other == nil)
        #expect(error?.code == .protocolViolation)
        await expectUsable(client, server)
    }
}
