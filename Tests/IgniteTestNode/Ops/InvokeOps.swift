import IgniteProtocol

/// The entry processors the test node runs for GridGain's cache invoke (OP 1024 / 1025). They are the test node's
/// own, not GridGain classes: a real cluster needs the class deployed on its servers.
public enum TestNodeEntryProcessors {
    /// `org.apache.ignite.testnode.AddProcessor(delta)`: adds its one numeric argument (an `Int32` or `Int64`) to the
    /// entry's number (an absent entry counts as 0, of the argument's type), stores the sum and returns it. An entry
    /// holding something else than a number, or a missing or non-numeric argument, makes it throw an
    /// `EntryProcessorException` (status 1040 for invoke; a per-key failure for invoke-all) and leaves the entry alone.
    public static let add = "org.apache.ignite.testnode.AddProcessor"
}

extension RequestHandler {
    /// OP_CACHE_INVOKE (1024) and OP_CACHE_INVOKE_ALL (1025), GridGain mode only (`pc/cache/ClientCacheInvokeRequest`,
    /// `ClientCacheInvokeAllRequest`).
    func invoke(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        let info = try CacheInfo.read(&reader)
        let keys: [EncodedValue]
        let processor: EncodedEntryProcessor
        let platform: Int8
        if op == .cacheInvoke {
            let (request, p) = try CacheInvokeRequest.decodeBody(cache: info, from: &reader)
            (keys, processor, platform) = ([request.key], request.processor, p)
        } else {
            let (request, p) = try CacheInvokeAllRequest.decodeBody(cache: info, from: &reader)
            (keys, processor, platform) = (request.keys, request.processor, p)
        }
        let decodedKeys = try keys.map { DecodedKey(try $0.decoded()) }
        let arguments = try processor.arguments.map { ServerValues.canonical(try $0.decoded()) }
        let processorValue = try processor.processor.decoded()
        // `EntryProcessorReader.getEntryProcessor`: a binary object of the JAVA platform.
        guard case .object(let object) = processorValue else {
            return .failure(ServerStatus.failed, "Entry processor should be marshalled as a BinaryObject: \(processorValue.typeCode)")
        }
        guard platform == entryProcessorJavaPlatform else {
            return .failure(ServerStatus.failed, "Unsupported entry processor platform: \(platform)")
        }
        let isSingle = op == .cacheInvoke
        // Arguments of object types are deserialized too (`getArgs(keepBinary: false)`), after the processor.
        let argumentTypeIds = processor.arguments.compactMap { argument -> Int32? in
            guard case .object(let object)? = try? argument.decoded() else { return nil }
            return object.typeId
        }
        return withCache(info, isWrite: true, routedKey: isSingle ? decodedKeys.first : nil) { scope in
            // `BinaryObjectImpl.deserialize` asks the marshaller mapping (platform Java) for the class name of the
            // type id: a client must have registered it (OP_REGISTER_BINARY_TYPE_NAME), or the server answers this
            // (`MarshallerContextImpl.getClassName`, observed on GridGain 8.10).
            for typeId in [object.typeId] + argumentTypeIds
            where scope.data.typeNames[BinaryTypeRules.nameKey(BinaryPlatform.java.rawValue, typeId)] == nil {
                return .failure(ServerStatus.failed, BinaryTypeRules.unresolvedClassName(typeId))
            }
            guard object.typeId == JavaHash.typeId(TestNodeEntryProcessors.add) else {
                // A registered class name the node does not have: deserialising the processor fails with status 1
                // and the `ClassNotFoundException`'s message, the class name (observed on GridGain 8.10).
                let name = scope.data.typeNames[BinaryTypeRules.nameKey(BinaryPlatform.java.rawValue, object.typeId)] ?? "typeId=\(object.typeId)"
                return .failure(ServerStatus.failed, name)
            }
            var entries: [CacheInvokeAllEntry] = []
            for key in decodedKeys {
                switch Self.add(scope.get(key), arguments) {
                case .success(let value):
                    scope.set(key, value)
                    if isSingle { return .value(value) }
                    entries.append(CacheInvokeAllEntry(key: key.value, outcome: .success(value)))
                case .failure(let message):
                    if isSingle { return .failure(IgniteError.entryProcessorStatus, message) }
                    entries.append(CacheInvokeAllEntry(key: key.value, outcome: .failure(message)))
                }
            }
            var writer = BinaryWriter(capacity: 64)
            do {
                try CacheInvokeAllRequest.encodeResponse(entries, into: &writer)
            } catch {
                return .failure(ServerStatus.failed, "\(error)")
            }
            return .success(writer.bytes)
        }
    }

    private enum AddOutcome {
        case success(IgniteValue)
        case failure(String)
    }

    /// `AddProcessor.process`: the new value, or the message of its `EntryProcessorException`.
    private static func add(_ current: IgniteValue?, _ arguments: [IgniteValue]) -> AddOutcome {
        let delta: Int64
        let asInt: Bool
        switch arguments.first {
        case .int(let value)?: (delta, asInt) = (Int64(value), true)
        case .long(let value)?: (delta, asInt) = (value, false)
        default: return .failure("AddProcessor needs one Integer or Long argument")
        }
        switch current {
        case nil, .null?: return .success(asInt ? .int(Int32(truncatingIfNeeded: delta)) : .long(delta))
        case .int(let value)?: return .success(.int(value &+ Int32(truncatingIfNeeded: delta)))
        case .long(let value)?: return .success(.long(value &+ delta))
        case let other?: return .failure("AddProcessor: the entry's value is not a number: \(other.typeCode)")
        }
    }
}
