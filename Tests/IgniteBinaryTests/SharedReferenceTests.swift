import Foundation
import Testing
@testable import IgniteBinary

/// Shared references (issue 10, item 3): Java writes an object referenced twice in full once and as a handle after
/// that, so a chain of n such objects is a tree of 2^n nodes. Decoding and the missing-schema search visit each
/// object once. Work is measured by counts (nodes made, search steps), never by time.
/// Serialized: the tests count ``ChainNode`` instances.
@Suite("Shared references", .serialized)
struct SharedReferenceTests {
    /// Depth 40 as a tree is 2^40 nodes; decoded, 41, and `a` and `b` are the same instance, as in Java.
    @Test func aJavaChainDecodesEachNodeOnce() throws {
        let bytes = Graphs.javaChain(depth: 40)
        let before = ChainNode.instances
        let root = try IgniteBinaryDecoder().decode(ChainNode.self, from: bytes)
        let made = ChainNode.instances - before
        print("Java chain of depth 40 (\(bytes.count) bytes): \(made) nodes decoded")
        #expect(made == 41)
        #expect(root.level == 40)
        #expect(root.depth == 40)
        #expect(root.a === root.b)
        #expect(root.a?.a === root.b?.b)
    }

    /// The flat shape (each node two handles to the previous one, a few bytes per level), 90 levels.
    @Test func aHandleChainDecodesEachNodeOnce() throws {
        let (bytes, root) = Graphs.handleChain(depth: 90)
        var reader = BinaryReader(bytes, position: root)
        let before = ChainNode.instances
        let node = try IgniteBinaryDecoder().decode(ChainNode.self, from: &reader)
        #expect(ChainNode.instances - before == 91)
        #expect(node.depth == 90)
        #expect(node.a === node.b)
        #expect(reader.isAtEnd)
    }

    /// Compact footers need the schema; with it the chain decodes the same way, without it the error names the type.
    @Test func aCompactChainNeedsItsSchema() throws {
        let bytes = Graphs.javaChain(depth: 30, compact: true)
        let registry = BinaryTypeRegistry()
        let error = #expect(throws: IgniteError.self) { _ = try IgniteBinaryDecoder(schemas: registry).decode(ChainNode.self, from: bytes) }
        #expect(error?.code == .binaryType)
        _ = try registry.register(Graphs.nodeType)
        let before = ChainNode.instances
        let root = try IgniteBinaryDecoder(schemas: registry).decode(ChainNode.self, from: bytes)
        #expect(ChainNode.instances - before == 31)
        #expect(root.depth == 30)
    }

    /// A node that refers to itself, or to an ancestor, is a cycle: Swift values cannot hold it. A parse error,
    /// after decoding no more than the nodes involved (a handle to an enclosing object is refused: the object
    /// extends past the field data its handle is read from).
    @Test func cyclesAreErrors() {
        var selfLoop: [UInt8] = []
        Graphs.appendObject(&selfLoop, typeId: Graphs.nodeTypeId, fieldIds: [Graphs.levelId, Graphs.aId, Graphs.bId],
                            fields: [Graphs.int(1), Graphs.handle(to: 0), { $0.append(101) }])
        var parentLoop: [UInt8] = []
        Graphs.appendObject(&parentLoop, typeId: Graphs.nodeTypeId, fieldIds: [Graphs.levelId, Graphs.aId, Graphs.bId], fields: [
            Graphs.int(2),
            { out in
                Graphs.appendObject(&out, typeId: Graphs.nodeTypeId, fieldIds: [Graphs.levelId, Graphs.aId, Graphs.bId],
                                    fields: [Graphs.int(1), Graphs.handle(to: 0), { $0.append(101) }])
            },
            { $0.append(101) },
        ])
        for bytes in [selfLoop, parentLoop] {
            let before = ChainNode.instances
            let error = #expect(throws: IgniteError.self) { _ = try IgniteBinaryDecoder().decode(ChainNode.self, from: bytes) }
            #expect(error?.code == .parse)
            #expect(ChainNode.instances - before <= 2)
        }
    }

    /// The missing-schema search visits each object once: at most four steps per byte, on chains that are 2^40-node
    /// trees. (The search it replaces visited the tree, to a depth of 32: 2^32 visits for this input.)
    @Test func theMissingSchemaSearchIsLinear() throws {
        for (name, bytes, root) in [("java chain", Graphs.javaChain(depth: 40, compact: true), 0),
                                    ("handle chain", Graphs.handleChain(depth: 90, compact: true).bytes,
                                     Graphs.handleChain(depth: 90, compact: true).root)] {
            var reader = BinaryReader(bytes, position: root)
            let value = try reader.readValue()
            var search = MissingSchemaSearch(schemas: BinaryTypeRegistry())
            search.walk(value, depth: 0)
            print("\(name) (\(bytes.count) bytes): \(search.stepCount) steps")
            #expect(search.missing == [Graphs.nodeTypeId])
            #expect(search.stepCount <= 4 * bytes.count)
            let known = BinaryTypeRegistry()
            _ = try known.register(Graphs.nodeType)
            #expect(value.typeIdsMissingSchemas(in: known).isEmpty)
        }
        // The tree walk it replaces, for the figure: a chain of depth 16.
        var reader = BinaryReader(Graphs.javaChain(depth: 16, compact: true))
        var visits = 0
        var missing: Set<Int32> = []
        treeWalk(try reader.readValue(), BinaryTypeRegistry(), &missing, depth: 0, visits: &visits)
        print("tree walk of a Java chain of depth 16: \(visits) visits")
        #expect(missing == [Graphs.nodeTypeId])
    }

    /// The search finds what the tree walk finds on every golden value, through fields, containers and wrapped data.
    @Test func theSearchAgreesWithTheTreeWalk() throws {
        var compared = 0
        for vector in GoldenVectors.values {
            var reader = BinaryReader(vector.bytes)
            guard let value = try? reader.readValue() else { continue }
            var visits = 0
            var expected: Set<Int32> = []
            treeWalk(value, BinaryTypeRegistry(), &expected, depth: 0, visits: &visits)
            #expect(value.typeIdsMissingSchemas(in: BinaryTypeRegistry()) == expected, "\(vector.name)")
            compared += expected.isEmpty ? 0 : 1
        }
        for hex in [Vectors.nestedCompact, Vectors.capPerson, Vectors.capFlatSeven] {
            var reader = BinaryReader(Hex.bytes(hex))
            let value = try reader.readValue()
            // Inside a collection, behind a handle, and inside wrapped data.
            var wrapped: [UInt8] = [24] + le32(3) + [1]
            let objectStart = wrapped.count
            wrapped += Hex.bytes(hex)
            wrapped += [102] + le32(wrapped.count - objectStart)
            wrapped += [27] + le32(Hex.bytes(hex).count) + Hex.bytes(hex) + le32(0)
            var wrappedReader = BinaryReader(wrapped)
            let container = try wrappedReader.readValue()
            var visits = 0
            var expected: Set<Int32> = []
            treeWalk(value, BinaryTypeRegistry(), &expected, depth: 0, visits: &visits)
            #expect(!expected.isEmpty)
            #expect(value.typeIdsMissingSchemas(in: BinaryTypeRegistry()) == expected)
            #expect(container.typeIdsMissingSchemas(in: BinaryTypeRegistry()) == expected)
            compared += 1
        }
        #expect(compared >= 3)
    }

    /// The search that `BinaryMetadata.collectMissing` did before: decode every field of every object, recursively.
    private func treeWalk(_ value: IgniteValue, _ schemas: any BinarySchemaResolver, _ missing: inout Set<Int32>,
                          depth: Int, visits: inout Int) {
        visits += 1
        guard depth < 32 else { return }
        switch value {
        case .object(let object):
            if object.hasCompactFooter, object.fieldCount > 0, schemas.schema(typeId: object.typeId, schemaId: object.schemaId) == nil {
                missing.insert(object.typeId)
            }
            for index in 0..<object.fieldCount {
                if let field = try? object.value(atFieldIndex: index) { treeWalk(field, schemas, &missing, depth: depth + 1, visits: &visits) }
            }
        case .objectArray(let array):
            for element in array.elements { treeWalk(element, schemas, &missing, depth: depth + 1, visits: &visits) }
        case .collection(let collection):
            for element in collection.elements { treeWalk(element, schemas, &missing, depth: depth + 1, visits: &visits) }
        case .map(let map):
            for entry in map.entries {
                treeWalk(entry.key, schemas, &missing, depth: depth + 1, visits: &visits)
                treeWalk(entry.value, schemas, &missing, depth: depth + 1, visits: &visits)
            }
        default:
            break
        }
    }
}
