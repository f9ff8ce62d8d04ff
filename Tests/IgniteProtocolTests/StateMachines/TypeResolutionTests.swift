import Foundation
import Testing
@testable import IgniteProtocol

/// A compact-footer object type for the resolution tests.
struct ResolutionPoint: IgniteObjectCodable, Equatable {
    var x: Int32
    var label: String
}

/// A type that holds a point, so the missing schema is nested.
struct ResolutionBox: IgniteObjectCodable, Equatable {
    var id: Int32
    var point: ResolutionPoint
}

@Suite("TypeResolution")
struct TypeResolutionTests {
    /// Encodes a value the way a put does, returning the decoded value and the types the encoding used.
    static func encoded<T: IgniteBinaryEncodable>(_ value: T) throws -> (IgniteValue, BinaryTypeCollector) {
        var types = BinaryTypeCollector()
        let encoded = try EncodedValue(value, types: &types)
        var reader = BinaryReader(encoded.bytes)
        return (try reader.readValue(), types)
    }

    @Test("encode: the types the registry lacks are registered first, once; a known affinity key field is kept")
    func registerBeforePut() throws {
        let registry = BinaryTypeRegistry()
        let (_, types) = try Self.encoded(ResolutionBox(id: 1, point: ResolutionPoint(x: 2, label: "p")))
        let first = TypeResolution.typesToRegister(types, registry: registry)
        #expect(first.count == 2)
        for type in first { try TypeResolution.registered(type, registry: registry) }
        #expect(TypeResolution.typesToRegister(types, registry: registry).isEmpty)
        #expect(TypeResolution.typesToRegister(BinaryTypeCollector(), registry: registry).isEmpty)

        let keyed = BinaryTypeRegistry()
        let (_, pointTypes) = try Self.encoded(ResolutionPoint(x: 1, label: "a"))
        var ahead = try #require(pointTypes.types.first)
        ahead.affinityKeyFieldName = "x"
        ahead.schemas = []
        _ = try keyed.register(ahead)
        let toRegister = TypeResolution.typesToRegister(pointTypes, registry: keyed)
        #expect(toRegister.first?.affinityKeyFieldName == "x")
    }

    @Test("decode: missing schemas are asked for (nested ones included), then the value decodes")
    func decodeNeedsTypes() throws {
        let box = ResolutionBox(id: 1, point: ResolutionPoint(x: 2, label: "p"))
        let (value, types) = try Self.encoded(box)
        let registry = BinaryTypeRegistry()
        var decoding = TypeResolution.Decoding<ResolutionBox>(value)
        guard case .needsTypes(let ids) = try decoding.step(registry: registry) else {
            Issue.record("an empty registry cannot decode a compact-footer object")
            return
        }
        #expect(Set(ids) == Set(types.types.map(\.typeId)))
        #expect(TypeResolution.missingTypes(in: value, registry: registry) == ids)
        try decoding.typesFetched(ids.map { id in types.types.first { $0.typeId == id } }, registry: registry)
        guard case .value(let decoded) = try decoding.step(registry: registry) else {
            Issue.record("the fetched types should suffice")
            return
        }
        #expect(decoded == box)
        #expect(TypeResolution.missingTypes(in: value, registry: registry).isEmpty)
    }

    @Test("decode: a round that fetched nothing surfaces the decode error")
    func nothingFetched() throws {
        let (value, _) = try Self.encoded(ResolutionPoint(x: 2, label: "p"))
        let registry = BinaryTypeRegistry()
        var decoding = TypeResolution.Decoding<ResolutionPoint>(value)
        _ = try decoding.step(registry: registry)
        var threw = false
        do { try decoding.typesFetched([nil], registry: registry) } catch is IgniteError { threw = true }
        #expect(threw)
    }

    @Test("decode: plain values need nothing")
    func plainValues() throws {
        var decoding = TypeResolution.Decoding<Int64>(.long(5))
        guard case .value(let v) = try decoding.step(registry: BinaryTypeRegistry()) else {
            Issue.record("a long decodes at once")
            return
        }
        #expect(v == 5)
    }

    @Test("compact footer: the configured value, else the server's binary configuration (asked only if negotiated), else true")
    func compactFooterRule() {
        let with = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.binaryConfiguration]))
        let without = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures())
        #expect(TypeResolution.needsServerCompactFooter(configured: nil, context: with))
        #expect(!TypeResolution.needsServerCompactFooter(configured: false, context: with))
        #expect(!TypeResolution.needsServerCompactFooter(configured: nil, context: without))
        #expect(TypeResolution.compactFooter(configured: false, server: true) == false)
        #expect(TypeResolution.compactFooter(configured: nil, server: false) == false)
        #expect(TypeResolution.compactFooter(configured: nil, server: nil) == true)
    }

    @Test("class names: an entry processor's type and its arguments' object types, registered once per type id")
    func classNamesOfAnEntryProcessor() throws {
        let processor = IgniteEntryProcessor(className: "org.example.Add", arguments: [Int64(1), ResolutionPoint(x: 1, label: "a")])
        var types = BinaryTypeCollector()
        var classNames = BinaryTypeCollector()
        _ = try processor.encoded(types: &types, classNames: &classNames)
        #expect(types.types.map(\.typeName).contains("org.example.Add"))
        let registry = ClassNameRegistry()
        let requests = TypeResolution.classNamesToRegister(classNames, registry: registry)
        #expect(requests.map(\.typeName).sorted() == ["ResolutionPoint", "org.example.Add"].sorted())
        #expect(requests.allSatisfy { $0.platform == .java && $0.typeId == JavaHash.typeId($0.typeName) })
        // A refusal (`false`) is not recorded: it is sent again next time; an acceptance is not.
        let add = try #require(requests.first { $0.typeName == "org.example.Add" })
        TypeResolution.classNameRegistered(add, accepted: false, registry: registry)
        #expect(TypeResolution.classNamesToRegister(classNames, registry: registry).count == 2)
        for request in requests { TypeResolution.classNameRegistered(request, accepted: true, registry: registry) }
        #expect(TypeResolution.classNamesToRegister(classNames, registry: registry).isEmpty)
        #expect(TypeResolution.classNamesToRegister(BinaryTypeCollector(), registry: registry).isEmpty)
        // The plain encoding entry point records the types without asking for class names.
        var plain = BinaryTypeCollector()
        _ = try IgniteEntryProcessor(className: "org.example.Add").encoded(types: &plain)
        #expect(plain.types.map(\.typeName) == ["org.example.Add"])
    }
}
