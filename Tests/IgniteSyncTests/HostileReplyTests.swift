import Foundation
import IgniteProtocol
import IgniteSync
import Testing

/// A node of a shared-reference chain (`ChainNode` on the wire): `a` and `b` refer to the same node.
final class SyncChainNode: IgniteObjectCodable, @unchecked Sendable {
    static let igniteTypeName = "ChainNode"
    let level: Int32
    let a: SyncChainNode?
    let b: SyncChainNode?

    var depth: Int {
        var count = 0
        var node = a
        while let next = node { count += 1; node = next.a }
        return count
    }
}

/// Hostile or unusual replies through the public sync API (issue 10, items 1–3): a scripted server answers with
/// frames built to exhaust memory or time. Each case ends in a typed error or the correct value, with the process's
/// peak resident memory (the kernel's high-water mark, not a timing) within a small multiple of the frame.
/// Serialized: the peak is process-wide.
@Suite("Hostile replies through the sync API", .serialized)
struct HostileReplyTests {
    /// Serves `body` to every OP_CACHE_GET and OP_CACHE_GET_ALL, and the chain's type to OP_GET_BINARY_TYPE.
    private func server(_ body: [UInt8]) throws -> HostileServer {
        try HostileServer { op, _ in
            switch OpCode(op) {
            case .cacheGet, .cacheGetAll: return .body(body)
            case .getBinaryType: return .body(HostileReplies.binaryTypeBody(HostileReplies.nodeType))
            default: return .failure(status: 1, message: "not scripted")
            }
        }
    }

    private func limit(frame: Int) -> Int {
        // The budget (64 MiB + 8 per byte) plus the frame's own copies on both ends of the loopback connection.
        DecodingLimits.decodedBytesBase + DecodingLimits.decodedBytesPerInputByte * frame + 8 * frame
    }

    /// 16 Mi one-byte nulls (a 16 MiB frame) would take 16 Mi IgniteValues: refused before they are allocated.
    @Test func aCollectionOfNullsIsRefused() throws {
        let body = HostileReplies.nullCollection(count: 16 << 20)
        let server = try server(body)
        defer { server.stop() }
        let client = try server.client()
        defer { client.close() }
        let (error, peak) = peakMemoryGrowth { () -> IgniteError? in
            do {
                _ = try client.cache("hostile").get(Int32(1))
                return nil
            } catch {
                return error as? IgniteError
            }
        }
        print("16 Mi nulls in a \(body.count)-byte reply: \(String(describing: error?.code)), peak resident growth \(peak >> 20) MiB")
        #expect(error?.code == .parse)
        #expect(peak <= limit(frame: body.count))
    }

    /// A count claiming every byte of a 32 MiB reply is an element is charged before anything is reserved.
    @Test func aClaimedCountIsRefusedBeforeReserving() throws {
        let body = HostileReplies.claimedCount(bytes: 32 << 20)
        let server = try server(body)
        defer { server.stop() }
        let client = try server.client()
        defer { client.close() }
        let (error, peak) = peakMemoryGrowth { () -> IgniteError? in
            do {
                _ = try client.cache("hostile").get(Int32(1))
                return nil
            } catch {
                return error as? IgniteError
            }
        }
        print("claimed count in a \(body.count)-byte reply: \(String(describing: error)), peak resident growth \(peak >> 20) MiB")
        #expect(error?.code == .parse)
        #expect(error?.message.contains("decoded-size budget") == true)
        #expect(peak <= limit(frame: body.count))
    }

    /// A getAll reply of one 8 MiB array and 60 five-byte handles to it: the copies share the reply's one budget.
    @Test func handlesInAGetAllReplyShareOneBudget() throws {
        let handles = 60
        let body = HostileReplies.getAllWithHandles(arrayBytes: 8 << 20, handles: handles)
        let server = try server(body)
        defer { server.stop() }
        let client = try server.client()
        defer { client.close() }
        let keys = (0...handles).map { Int32($0) }
        let (error, peak) = peakMemoryGrowth { () -> IgniteError? in
            do {
                _ = try client.cache("hostile").getAll(keys, as: [UInt8].self)
                return nil
            } catch {
                return error as? IgniteError
            }
        }
        print("getAll with \(handles) handles to an 8 MiB array (\(body.count) bytes): \(String(describing: error?.code)), "
              + "peak resident growth \(peak >> 20) MiB; unbounded copies: \(handles * 8) MiB")
        #expect(error?.code == .parse)
        #expect(peak <= limit(frame: body.count))
    }

    /// A chain of 40 objects, each referring to the previous one twice (once through a handle), with compact footers:
    /// the client fetches the schema once and decodes 41 nodes, sharing them as Java does. As a tree it has 2^40 nodes.
    @Test func aSharedReferenceChainDecodesInLinearWork() throws {
        let body = HostileReplies.javaChain(depth: 40)
        let server = try server(body)
        defer { server.stop() }
        let client = try server.client()
        defer { client.close() }
        let (node, peak) = try peakMemoryGrowth { try client.cache("hostile").get(Int32(1), as: SyncChainNode.self) }
        print("Java chain of depth 40 (\(body.count) bytes): peak resident growth \(peak >> 20) MiB")
        let root = try #require(node)
        #expect(root.level == 40)
        #expect(root.depth == 40)
        #expect(root.a === root.b)
        #expect(server.count(.getBinaryType) == 1)
        #expect(peak <= limit(frame: body.count))
    }
}
