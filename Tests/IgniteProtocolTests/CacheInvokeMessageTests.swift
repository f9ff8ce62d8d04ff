import Foundation
import Testing
@testable import IgniteProtocol

/// GridGain's cache invoke frames (OP 1024 / 1025), written byte for byte by an independent script from GridGain's
/// layouts (`thin/TcpClientCache.writeEntryProcessor`, `pc/cache/ClientCacheInvokeRequest.EntryProcessorReader`,
/// `ClientCacheInvokeAllResponse`), request id 7; the gating on GridGain's bit 19.
@Suite("Cache invoke messages (GridGain)")
struct CacheInvokeMessageTests {
    static let gridGain = ProtocolContext(version: .v1_7_1, features: {
        var features = ProtocolFeatures.defaultRequested
        features.insert(.gridGainCacheInvoke)
        return features
    }())
    /// The processor as a plain string object, so that the frame shows the layout around it.
    static let processor = EncodedEntryProcessor(processor: EncodedValue(.string("P")), arguments: [EncodedValue(.long(3))])

    private func hex(_ request: some IgniteRequest, _ context: ProtocolContext = Self.gridGain) throws -> String {
        try RequestFraming.frame(request, requestId: 7, context: context).map { String(format: "%02x", $0) }.joined()
    }

    @Test func framesMatchGridGainsLayouts() throws {
        let cache = CacheInfo(cacheId: 42)
        #expect(try hex(CacheInvokeRequest(cache: cache, key: EncodedValue(.int(5)), processor: Self.processor))
                == "28000000000407000000000000002a0000000003050000000901000000500101000000040300000000000000")
        let noArguments = EncodedEntryProcessor(processor: EncodedValue(.string("P")), arguments: [])
        #expect(try hex(CacheInvokeAllRequest(cache: cache, keys: [EncodedValue(.int(5)), EncodedValue(.int(6))], processor: noArguments))
                == "28000000010407000000000000002a0000000002000000030500000003060000000901000000500100000000")
    }

    @Test func invokeAllResponseKeepsPerKeyFailures() throws {
        let request = CacheInvokeAllRequest(cache: CacheInfo(cacheId: 42), keys: [], processor: Self.processor)
        var reader = BinaryReader(try Hex.decode("020000000305000000010408000000000000000306000000000904000000626f6f6d"))
        let entries = try request.decodeResponse(from: &reader, context: Self.gridGain)
        #expect(entries == [CacheInvokeAllEntry(key: .int(5), outcome: .success(.long(8))),
                            CacheInvokeAllEntry(key: .int(6), outcome: .failure("boom"))])
        var writer = BinaryWriter(capacity: 32)
        try CacheInvokeAllRequest.encodeResponse(entries, into: &writer)
        #expect(writer.bytes == (try Hex.decode("020000000305000000010408000000000000000306000000000904000000626f6f6d")))
        var hostile = BinaryReader(try Hex.decode("ffffff7f03"))
        #expect(throws: IgniteError.self) { try request.decodeResponse(from: &hostile, context: Self.gridGain) }
    }

    @Test func processorIsABinaryObjectOfItsClass() throws {
        var types = BinaryTypeCollector()
        let encoded = try IgniteEntryProcessor(className: "com.example.Add", arguments: [Int64(5), "x"],
                                               fields: [(name: "scale", value: .int(2))]).encoded(types: &types)
        guard case .object(let object) = try encoded.processor.decoded() else {
            Issue.record("the processor is not a binary object")
            return
        }
        #expect(object.typeId == JavaHash.typeId("com.example.Add"))
        #expect(!types.isEmpty, "the processor's type is registered before it is sent")
        #expect(try encoded.arguments.map { try $0.decoded() } == [.long(5), .string("x")])
        #expect(throws: IgniteError.self) { try IgniteEntryProcessor(className: "").encoded(types: &types) }
    }

    @Test func onlyGridGainWithBit19() throws {
        let request = CacheInvokeRequest(cache: CacheInfo(cacheId: 1), key: EncodedValue(.int(1)), processor: Self.processor)
        // GridGain without bit 19 (the default request), and Apache even with a bit 19.
        let withoutBit = ProtocolContext(version: .v1_7_1, features: .defaultRequested)
        let apache = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.serviceInvoke, .gridGainCacheInvoke]))
        for context in [withoutBit, apache] {
            let error = try #require(throws: IgniteError.self) { try hex(request, context) }
            #expect(error.code == .notSupportedByCluster)
            #expect(error.message.contains("bit 19"))
        }
        #expect(!ProtocolFeatures.defaultRequested.contains(.gridGainCacheInvoke))
    }
}
