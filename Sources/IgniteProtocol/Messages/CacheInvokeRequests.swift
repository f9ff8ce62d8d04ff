// GridGain's cache invoke (OP_CACHE_INVOKE 1024, OP_CACHE_INVOKE_ALL 1025): runs an entry processor, deployed on
// the servers and named by its class, on entries. Layouts from GridGain CE 8: client `thin/TcpClientCache.invoke`,
// `writeEntryProcessor`, `readEntryProcessorResult`; server `pc/cache/ClientCacheInvokeRequest` (its
// `EntryProcessorReader`), `ClientCacheInvokeAllRequest`, `ClientCacheInvokeAllResponse`.
//
// Request: CacheInfo, then the key (1024) or `i32 n, key × n` (1025), then the processor as a binary object whose
// type is the processor's class, `i8 platform` (JAVA = 1), `i32 argCount, Obj × argCount`. Response of 1024: the
// processor's result `Obj`; an `EntryProcessorException` is status 1040 (ENTRY_PROCESSOR_EXCEPTION) with its
// message. Response of 1025: `i32 n, (Obj key, bool ok, Obj result | String error) × n` (keys whose processor
// returned null may be absent, as in `IgniteCache.invokeAll`).
//
// Gated on GridGain's CACHE_INVOKE bit 19 (Apache Ignite numbers its CACHE_INVOKE 17 and may use 19 otherwise),
// negotiated with a server identified as GridGain (``ProtocolContext/isGridGain``). Bit 19 is not requested by
// default: add ``FeatureBit/gridGainCacheInvoke`` to the client's features.

extension OpCode {
    /// OP_CACHE_INVOKE (1024, GridGain bit 19).
    package static let cacheInvoke: OpCode = 1024
    /// OP_CACHE_INVOKE_ALL (1025, GridGain bit 19).
    package static let cacheInvokeAll: OpCode = 1025
}

extension FeatureBit {
    /// 19 on GridGain 8: CACHE_INVOKE, cache invoke by entry-processor class (OP 1024, 1025). Apache Ignite numbers
    /// its CACHE_INVOKE 17 and does not assign 19 to it, so the client does not request this bit by default: add it to
    /// ``IgniteClientConfiguration/features`` to invoke entry processors on GridGain.
    public static let gridGainCacheInvoke = FeatureBit(19)
}

/// The platform byte of an entry processor: Java (`ClientPlatform.JAVA`).
package let entryProcessorJavaPlatform: Int8 = 1

extension ProtocolContext {
    /// Throws ``IgniteError/Code/notSupportedByCluster`` unless GridGain's CACHE_INVOKE was negotiated.
    package func requireGridGainCacheInvoke(for what: String) throws {
        guard isGridGain, has(.gridGainCacheInvoke) else {
            throw IgniteError.notSupported(what, needs: "a GridGain 8 server and its feature CACHE_INVOKE (bit 19, requested "
                                           + "by adding FeatureBit.gridGainCacheInvoke to the client's features)", context: self)
        }
    }
}

/// An entry processor as sent: the processor object (a binary object of its class) and its arguments.
package struct EncodedEntryProcessor: Hashable, Sendable {
    /// The processor object.
    package var processor: EncodedValue
    /// The arguments.
    package var arguments: [EncodedValue]

    /// Creates one.
    package init(processor: EncodedValue, arguments: [EncodedValue]) {
        self.processor = processor
        self.arguments = arguments
    }

    func encode(into writer: inout BinaryWriter) throws {
        writer.writeEncodedValue(processor)
        writer.writeInt8(entryProcessorJavaPlatform)
        try writer.writeEncodedValues(arguments, of: "entry processor arguments")
    }

    static func decode(from reader: inout BinaryReader) throws -> (EncodedEntryProcessor, platform: Int8) {
        let processor = try reader.readEncodedValue()
        let platform = try reader.readInt8()
        let count = try reader.readCount(elementSize: 1)
        var arguments: [EncodedValue] = []
        for _ in 0..<count { arguments.append(try reader.readEncodedValue()) }
        return (EncodedEntryProcessor(processor: processor, arguments: arguments), platform)
    }
}

/// OP_CACHE_INVOKE (1024): runs an entry processor on one entry. Response: the processor's result.
package struct CacheInvokeRequest: IgniteRequest, Hashable {
    /// The cache prefix.
    package var cache: CacheInfo
    /// The key.
    package var key: EncodedValue
    /// The processor and its arguments.
    package var processor: EncodedEntryProcessor

    /// Creates the request.
    package init(cache: CacheInfo, key: EncodedValue, processor: EncodedEntryProcessor) {
        self.cache = cache
        self.key = key
        self.processor = processor
    }

    /// ``OpCode/cacheInvoke``.
    package var opCode: OpCode { .cacheInvoke }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without GridGain's CACHE_INVOKE.
    package func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.requireGridGainCacheInvoke(for: "cache invoke (OP_CACHE_INVOKE)")
        try writer.writeCacheRequest(cache, key, context: context)
        try processor.encode(into: &writer)
    }

    /// - Returns: The processor's result.
    package func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> IgniteValue {
        try reader.readValue()
    }

    /// Reads a request body after its cache prefix (server direction).
    package static func decodeBody(cache: CacheInfo, from reader: inout BinaryReader) throws -> (CacheInvokeRequest, platform: Int8) {
        let key = try reader.readEncodedValue()
        let (processor, platform) = try EncodedEntryProcessor.decode(from: &reader)
        return (CacheInvokeRequest(cache: cache, key: key, processor: processor), platform)
    }
}

/// One entry of an OP_CACHE_INVOKE_ALL answer.
package struct CacheInvokeAllEntry: Hashable, Sendable {
    /// The key.
    package var key: IgniteValue
    /// The processor's result, or the message of its `EntryProcessorException`.
    package var outcome: Outcome

    /// A per-key outcome.
    package enum Outcome: Hashable, Sendable {
        case success(IgniteValue)
        case failure(String)
    }

    /// Creates an entry.
    package init(key: IgniteValue, outcome: Outcome) {
        self.key = key
        self.outcome = outcome
    }
}

/// OP_CACHE_INVOKE_ALL (1025): runs an entry processor on several entries. Response: per key, the result or the
/// processor's failure.
package struct CacheInvokeAllRequest: IgniteRequest, Hashable {
    /// The cache prefix.
    package var cache: CacheInfo
    /// The keys.
    package var keys: [EncodedValue]
    /// The processor and its arguments.
    package var processor: EncodedEntryProcessor

    /// Creates the request.
    package init(cache: CacheInfo, keys: [EncodedValue], processor: EncodedEntryProcessor) {
        self.cache = cache
        self.keys = keys
        self.processor = processor
    }

    /// ``OpCode/cacheInvokeAll``.
    package var opCode: OpCode { .cacheInvokeAll }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without GridGain's CACHE_INVOKE.
    package func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.requireGridGainCacheInvoke(for: "cache invoke (OP_CACHE_INVOKE_ALL)")
        try cache.encode(into: &writer, context: context)
        try writer.writeEncodedValues(keys, of: "keys")
        try processor.encode(into: &writer)
    }

    /// - Returns: The per-key outcomes, in the server's order.
    package func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> [CacheInvokeAllEntry] {
        let count = try reader.readCount(elementSize: 3)
        var entries: [CacheInvokeAllEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try reader.readValue()
            if try reader.readBool() {
                entries.append(CacheInvokeAllEntry(key: key, outcome: .success(try reader.readValue())))
            } else {
                entries.append(CacheInvokeAllEntry(key: key, outcome: .failure(try reader.readOptionalStringObject() ?? "")))
            }
        }
        return entries
    }

    /// Reads a request body after its cache prefix (server direction).
    package static func decodeBody(cache: CacheInfo, from reader: inout BinaryReader) throws -> (CacheInvokeAllRequest, platform: Int8) {
        let count = try reader.readCount(elementSize: 1)
        var keys: [EncodedValue] = []
        for _ in 0..<count { keys.append(try reader.readEncodedValue()) }
        let (processor, platform) = try EncodedEntryProcessor.decode(from: &reader)
        return (CacheInvokeAllRequest(cache: cache, keys: keys, processor: processor), platform)
    }

    /// Writes a response body (server direction).
    package static func encodeResponse(_ entries: [CacheInvokeAllEntry], into writer: inout BinaryWriter) throws {
        try writer.writeCount(entries.count, of: "invoke results")
        for entry in entries {
            writer.writeValue(entry.key)
            switch entry.outcome {
            case .success(let value):
                writer.writeBool(true)
                writer.writeValue(value)
            case .failure(let message):
                writer.writeBool(false)
                writer.writeStringObject(message)
            }
        }
    }
}
