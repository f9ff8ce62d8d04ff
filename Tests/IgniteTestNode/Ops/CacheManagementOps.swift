import IgniteProtocol

extension RequestHandler {
    func cacheManagement(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        switch op.rawValue {
        case 1050:
            return core.data.withLock { data in
                guard data.state != .inactive else { return .failure(ServerStatus.failed, ServerMessages.inactive) }
                let names = data.cacheOrder.compactMap { data.caches[$0]?.name }
                return .body { writer in
                    writer.writeInt32(Int32(names.count))
                    for name in names { writer.writeStringObject(name) }
                }
            }
        case 1051, 1052:
            let name = try reader.readOptionalStringObject()
            let config = CacheConfigurationRecord(name: name ?? "", isGridGain: configuration.isGridGain,
                                                  backups: Int32(clamping: configuration.backups), partitions: configuration.partitions)
            return create(config, failIfExists: op.rawValue == 1051)
        case 1053, 1054:
            let config = try CacheConfigurationRecord.decodeProperties(from: &reader, context: context, isGridGain: configuration.isGridGain,
                                                                       partitions: configuration.partitions)
            return create(config, failIfExists: op.rawValue == 1053)
        case 1055:
            let info = try CacheInfo.read(&reader)
            return core.data.withLock { data in
                // The descriptor lookup (1000) precedes grid().cache(name)'s cluster-state check, as for every cache op.
                guard let cache = data.caches[info.cacheId] else {
                    return .failure(ServerStatus.cacheDoesNotExist, ServerMessages.cacheDoesNotExist(info.cacheId))
                }
                guard data.state != .inactive else { return .failure(ServerStatus.failed, ServerMessages.inactive) }
                var writer = BinaryWriter(capacity: 256)
                do {
                    try cache.configuration.encodeRecord(into: &writer, context: context)
                } catch {
                    return .failure(ServerStatus.failed, "\(error)")
                }
                return .success(writer.bytes)
            }
        case 1056:
            let cacheId = try reader.readInt32()
            return destroy([cacheId])
        default:
            return .failure(ServerStatus.invalidOpCode, ServerMessages.invalidOpCode(op.rawValue))
        }
    }

    /// OP_CACHES_DESTROY (1057, GridGain only): `i32 n, i32 cacheId × n`.
    func destroyCaches(_ reader: inout BinaryReader) throws -> OpResult {
        let n = try reader.readCount(minimumItemSize: 4)
        var ids: [Int32] = []
        for _ in 0..<n { ids.append(try reader.readInt32()) }
        return destroy(ids)
    }

    private func create(_ config: CacheConfigurationRecord, failIfExists: Bool) -> OpResult {
        guard !config.name.isEmpty else { return .failure(ServerStatus.failed, ServerMessages.cacheNameInvalid) }
        let cacheId = JavaHash.cacheId(config.name)
        return core.data.withLock { data in
            guard data.state != .inactive else { return .failure(ServerStatus.failed, ServerMessages.inactive) }
            if data.caches[cacheId] != nil {
                return failIfExists ? .failure(ServerStatus.cacheExists, ServerMessages.cacheExists(config.name)) : .empty
            }
            data.caches[cacheId] = CacheRecord(id: cacheId, configuration: config)
            data.cacheOrder.append(cacheId)
            data.bumpMinor()
            return .empty
        }
    }

    private func destroy(_ ids: [Int32]) -> OpResult {
        core.data.withLock { data in
            // ClientCacheDestroyRequest: cacheDescriptor(ctx) (1000) before grid().destroyCache(name)'s state check.
            for id in ids where data.caches[id] == nil {
                return .failure(ServerStatus.cacheDoesNotExist, ServerMessages.cacheDoesNotExist(id))
            }
            guard data.state != .inactive else { return .failure(ServerStatus.failed, ServerMessages.inactive) }
            for id in ids {
                data.caches[id] = nil
                data.cacheOrder.removeAll { $0 == id }
                data.bumpMinor()
            }
            return .empty
        }
    }
}
