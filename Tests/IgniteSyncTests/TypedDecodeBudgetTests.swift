import Foundation
import IgniteProtocol
import IgniteSync
import Testing

/// Issue 10's decoded-memory budget (`maximumDecodedSize`) beyond the response decode: a complex object is kept lazily
/// in the reply and decoded into a Swift type afterwards (typed gets, `BinaryObject` fields, ``IgniteBinaryDecoder``
/// with the client's schemas). That later decode obeys the configured budget too, not the default one.
/// Serialized: the measurements are process-wide.
@Suite("Decoded-size budget on the typed path (sync)", .serialized)
struct TypedDecodeBudgetTests {
    /// 1 Mi null tags: a 1 MiB reply that decodes into 16 MiB of `[String?]`.
    static let tagCount = 1 << 20

    /// Serves the bag for key 1, the Java `int` 42 for any other key, and the chain's type to OP_GET_BINARY_TYPE.
    private func server(bag: [UInt8]) throws -> HostileServer {
        try HostileServer { op, body in
            switch OpCode(op) {
            case .cacheGet:
                // The request ends with the key: an Int32 (type code 3) 1 asks for the bag.
                return .body(Array(body.suffix(5)) == [3] + HostileReplies.le32(1) ? bag : [3] + HostileReplies.le32(42))
            case .cacheGetAll: return .body(bag)
            case .getBinaryType: return .body(HostileReplies.binaryTypeBody(HostileReplies.nodeType))
            default: return .failure(status: 1, message: "not scripted")
            }
        }
    }

    private func client(_ server: HostileServer, budget: Int?) throws -> IgniteClient {
        var configuration = server.configuration()
        configuration.maximumDecodedSize = budget
        return try IgniteClient(configuration: configuration)
    }

    private func outcome<T>(_ body: () throws -> T) -> (error: IgniteError?, use: ResourceUse) {
        let (error, use) = ResourceUse.measure { () -> IgniteError? in
            do {
                _ = try body()
                return nil
            } catch {
                return (error as? IgniteError) ?? IgniteError(.parse, "unexpected \(error)")
            }
        }
        return (error, use)
    }

    /// Under a 4 MiB budget, the typed get of a bag that decodes to 16 MiB fails with `.parse` naming the budget (it
    /// decoded before: the Codable decode started from the default budget, 64 MiB + 8 per reply byte), and so do the
    /// other ways to decode the lazily held object later; the client stays usable. Under a 64 MiB budget it decodes.
    @Test func aTypedGetObeysTheConfiguredBudget() throws {
        let bag = try BudgetBag.replyBody(count: Self.tagCount)
        let server = try server(bag: bag)
        defer { server.stop() }

        let tight = try client(server, budget: 4 << 20)
        defer { tight.close() }
        let cache = tight.cache("c")
        let (error, use) = outcome { try cache.get(Int32(1), as: BudgetBag.self) }
        print("sync: typed get of a \(bag.count)-byte bag (16 MiB decoded) under a 4 MiB budget: "
              + "\(String(describing: error?.code)), \(use)")
        #expect(error?.code == .parse)
        #expect(error?.message.contains("decoded-size budget") == true, "\(String(describing: error))")
        #expect(use.cpuTime < .seconds(10))

        // The reply itself decodes (the object stays lazy); decoding it into Swift later obeys the budget too.
        let untyped = try cache.get(Int32(1))
        guard case .object(let object)? = untyped else {
            Issue.record("expected an object, got \(String(describing: untyped))")
            return
        }
        let later = #expect(throws: IgniteError.self) {
            try IgniteBinaryDecoder(schemas: tight.binarySchemas).decode(BudgetBag.self, from: object)
        }
        #expect(later?.code == .parse)
        let field = #expect(throws: IgniteError.self) { try object.field("tags", as: [String?].self, schemas: tight.binarySchemas) }
        #expect(field?.code == .parse)
        // What the typed get did before the registry carried the budget: the Codable decode started from the default
        // budget (64 MiB + 8 per reply byte) and built the 16 MiB array.
        let (unbounded, unboundedUse) = try ResourceUse.measure { try IgniteBinaryDecoder().decode(BudgetBag.self, from: object) }
        print("sync: the same bag decoded with the default budget (the typed get before): \(unboundedUse)")
        #expect(unbounded.tags.count == Self.tagCount)
        // A budget set on the decoder itself wins.
        let roomyDecoder = IgniteBinaryDecoder(schemas: tight.binarySchemas, decodedByteLimit: 64 << 20)
        #expect(try roomyDecoder.decode(BudgetBag.self, from: object).tags.count == Self.tagCount)
        // Still usable.
        #expect(try cache.get(Int32(2), as: Int32.self) == 42)

        let roomy = try client(server, budget: 64 << 20)
        defer { roomy.close() }
        let (decoded, roomyUse) = try ResourceUse.measure { try roomy.cache("c").get(Int32(1), as: BudgetBag.self) }
        print("sync: the same bag under a 64 MiB budget: \(roomyUse)")
        #expect(decoded == BudgetBag(id: 7, tags: Array(repeating: nil, count: Self.tagCount)))
    }

    /// A getAll reply of one bag (256 KiB on the wire, 4 MiB decoded) and 20 handles to it: the reply decodes (the
    /// handles share the object's bytes), but decoding the 21 values into Swift builds 21 arrays. They share the
    /// reply's one budget: 10 MiB refuses the third copy with `.parse` (each decode used to start afresh: 84 MiB
    /// built); 128 MiB decodes them all.
    @Test func theValuesOfAGetAllShareOneBudget() throws {
        let handles = 20, count = 1 << 18
        let body = try BudgetBag.getAllBody(count: count, handles: handles)
        let server = try server(bag: body)
        defer { server.stop() }
        let keys = (0...handles).map { Int32($0) }

        let tight = try client(server, budget: 10 << 20)
        defer { tight.close() }
        let (error, use) = outcome { try tight.cache("c").getAll(keys, as: BudgetBag.self) }
        print("sync: getAll of a bag and \(handles) handles to it (\(body.count) bytes) under a 10 MiB budget: "
              + "\(String(describing: error?.code)), \(use); unbounded: \(handles + 1) × 4 MiB")
        #expect(error?.code == .parse)
        #expect(error?.message.contains("decoded-size budget") == true, "\(String(describing: error))")
        #expect(use.cpuTime < .seconds(10))
        #expect(try tight.cache("c").get(Int32(2), as: Int32.self) == 42)

        let roomy = try client(server, budget: 128 << 20)
        defer { roomy.close() }
        let (all, roomyUse) = try ResourceUse.measure { try roomy.cache("c").getAll(keys, as: BudgetBag.self) }
        print("sync: the same getAll under a 128 MiB budget: \(roomyUse)")
        #expect(all.count == handles + 1)
        #expect(all.values.allSatisfy { $0.id == 7 && $0.tags.count == count })

        // Without a configured budget the values share the default one (64 MiB + 8 per reply byte): 40 handles would
        // build 41 × 4 MiB.
        let many = 40
        let manyServer = try self.server(bag: try BudgetBag.getAllBody(count: count, handles: many))
        defer { manyServer.stop() }
        let plain = try self.client(manyServer, budget: nil)
        defer { plain.close() }
        let (plainError, plainUse) = outcome { try plain.cache("c").getAll((0...many).map { Int32($0) }, as: BudgetBag.self) }
        print("sync: getAll of a bag and \(many) handles to it under the default budget: "
              + "\(String(describing: plainError?.code)), \(plainUse); unbounded: \(many + 1) × 4 MiB")
        #expect(plainError?.code == .parse)
        #expect(try plain.cache("c").get(Int32(2), as: Int32.self) == 42)
    }

    /// A chain of 40 objects each referring to the previous one twice (2^40 nodes as a tree) decodes within a 16 KiB
    /// budget: the Codable decode shares what handles refer to, so its work and its charge are linear in the reply.
    @Test func aSharedReferenceChainDecodesWithinASmallBudget() throws {
        let body = HostileReplies.javaChain(depth: 40)
        let server = try server(bag: body)
        defer { server.stop() }
        let client = try client(server, budget: 16 << 10)
        defer { client.close() }
        let (node, use) = try ResourceUse.measure { try client.cache("c").get(Int32(1), as: SyncChainNode.self) }
        print("sync: Java chain of depth 40 (\(body.count) bytes) under a 16 KiB budget: \(use)")
        let root = try #require(node)
        #expect(root.level == 40)
        #expect(root.depth == 40)
        #expect(root.a === root.b)
        #expect(use.cpuTime < .seconds(10))
        #expect(use.peakMemory < 64 << 20)

        // The same chain as the one value of a getAll, to a client that does not know its schema yet: the shared-budget
        // decode fetches the schema once and decodes within the budget.
        let allServer = try self.server(bag: HostileReplies.le32(1) + [3] + HostileReplies.le32(1) + body)
        defer { allServer.stop() }
        let fresh = try self.client(allServer, budget: 16 << 10)
        defer { fresh.close() }
        let all = try fresh.cache("c").getAll([Int32(1)], as: SyncChainNode.self)
        #expect(all[1]?.depth == 40)
        #expect(all[1].map { $0.a === $0.b } == true)
        #expect(allServer.count(.getBinaryType) == 1)
    }
}
