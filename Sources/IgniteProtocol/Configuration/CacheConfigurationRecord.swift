// The fixed-order form of a cache configuration: the OP_CACHE_GET_CONFIGURATION (1055) response body
// (PROTOCOL-FACTS §10.3.2, confirmed byte for byte at 1.0.0, 1.2.0, 1.7.0 and with GridGain bit 17).

extension CacheConfiguration {
    /// Reads the record of an OP_CACHE_GET_CONFIGURATION response (client direction): `i32 byteLen`, then the
    /// fixed-order fields for the negotiated version. Unknown trailing bytes within `byteLen` are skipped.
    /// - Throws: ``IgniteError/Code/parse`` for a malformed or truncated record.
    package static func decodeRecord(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheConfiguration {
        let length = try reader.readCount(elementSize: 1)
        let end = reader.position + length
        var r = BinaryReader(reader.buffer, position: reader.position, limit: end)
        var c = CacheConfiguration()
        c.atomicityMode = CacheAtomicityMode(rawValue: try r.readInt32())
        c.backups = try r.readInt32()
        c.cacheMode = CacheMode(rawValue: try r.readInt32())
        c.copyOnRead = try r.readBool()
        c.dataRegionName = try r.readOptionalStringObject()
        c.eagerTtl = try r.readBool()
        c.statisticsEnabled = try r.readBool()
        c.groupName = try r.readOptionalStringObject()
        c.defaultLockTimeout = try r.readInt64()
        c.maxConcurrentAsyncOperations = try r.readInt32()
        c.maxQueryIteratorsCount = try r.readInt32()
        c.name = try r.readOptionalStringObject()
        c.onheapCacheEnabled = try r.readBool()
        c.partitionLossPolicy = PartitionLossPolicy(rawValue: try r.readInt32())
        c.queryDetailMetricsSize = try r.readInt32()
        c.queryParallelism = try r.readInt32()
        c.readFromBackup = try r.readBool()
        c.rebalanceBatchSize = try r.readInt32()
        c.rebalanceBatchesPrefetchCount = try r.readInt64()
        c.rebalanceDelay = try r.readInt64()
        c.rebalanceMode = CacheRebalanceMode(rawValue: try r.readInt32())
        c.rebalanceOrder = try r.readInt32()
        c.rebalanceThrottle = try r.readInt64()
        c.rebalanceTimeout = try r.readInt64()
        c.sqlEscapeAll = try r.readBool()
        c.sqlIndexMaxInlineSize = try r.readInt32()
        c.sqlSchema = try r.readOptionalStringObject()
        c.writeSynchronizationMode = CacheWriteSynchronizationMode(rawValue: try r.readInt32())
        c.keyConfigurations = try r.readKeyConfigurations()
        c.queryEntities = try r.readQueryEntities(context: context)
        if context.supportsExpiryPolicy {
            c.expiryPolicy = try ExpiryPolicy.decodeOptional(from: &r)
        }
        // GridGain bit 17 appends `bool isRendezvous, [i32 partitions, bool excludeNeighbors]`. On Apache, bit 17 is
        // CACHE_INVOKE and adds nothing here, so the block is read only if bytes remain.
        if context.has(.gridGainCacheConfigurationAffinity), !r.isAtEnd {
            if try r.readBool() {
                let partitions = try r.readInt32()
                c.affinity = RendezvousAffinityConfiguration(partitions: partitions, excludeNeighbors: try r.readBool())
            }
        }
        reader.position = end
        return c
    }

    /// Writes the record of an OP_CACHE_GET_CONFIGURATION response (server direction), `i32 byteLen` included.
    /// Properties that are not set are written with ``serverDefaults(name:)``.
    /// - Throws: ``IgniteError/Code/parameter`` for an invalid expiry duration.
    package func encodeRecord(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        let c = merged(over: .serverDefaults(name: nil))
        let start = writer.count
        writer.writeInt32(0)
        writer.writeInt32(c.atomicityMode?.rawValue ?? 1)
        writer.writeInt32(c.backups ?? 0)
        writer.writeInt32(c.cacheMode?.rawValue ?? 2)
        writer.writeBool(c.copyOnRead ?? true)
        writer.writeOptionalStringObject(c.dataRegionName)
        writer.writeBool(c.eagerTtl ?? true)
        writer.writeBool(c.statisticsEnabled ?? false)
        writer.writeOptionalStringObject(c.groupName)
        writer.writeInt64(c.defaultLockTimeout ?? 0)
        writer.writeInt32(c.maxConcurrentAsyncOperations ?? 500)
        writer.writeInt32(c.maxQueryIteratorsCount ?? 1024)
        writer.writeOptionalStringObject(c.name)
        writer.writeBool(c.onheapCacheEnabled ?? false)
        writer.writeInt32(c.partitionLossPolicy?.rawValue ?? 4)
        writer.writeInt32(c.queryDetailMetricsSize ?? 0)
        writer.writeInt32(c.queryParallelism ?? 1)
        writer.writeBool(c.readFromBackup ?? false)
        writer.writeInt32(c.rebalanceBatchSize ?? 524_288)
        writer.writeInt64(c.rebalanceBatchesPrefetchCount ?? 2)
        writer.writeInt64(c.rebalanceDelay ?? 0)
        writer.writeInt32(c.rebalanceMode?.rawValue ?? 1)
        writer.writeInt32(c.rebalanceOrder ?? 0)
        writer.writeInt64(c.rebalanceThrottle ?? 0)
        writer.writeInt64(c.rebalanceTimeout ?? 10_000)
        writer.writeBool(c.sqlEscapeAll ?? false)
        writer.writeInt32(c.sqlIndexMaxInlineSize ?? -1)
        writer.writeOptionalStringObject(c.sqlSchema)
        writer.writeInt32(c.writeSynchronizationMode?.rawValue ?? 2)
        do {
            try writer.writeKeyConfigurations(c.keyConfigurations ?? [])
            try writer.writeQueryEntities(Self.droppingPrecisionBelow12(c.queryEntities ?? [], context), context: context)
            if context.supportsExpiryPolicy {
                try ExpiryPolicy.encodeOptional(c.expiryPolicy, into: &writer)
            }
        } catch {
            writer.truncate(to: start)
            throw error
        }
        if context.has(.gridGainCacheConfigurationAffinity) {
            let affinity = c.affinity ?? RendezvousAffinityConfiguration()
            writer.writeBool(true)
            writer.writeInt32(affinity.partitions)
            writer.writeBool(affinity.excludeNeighbors)
        }
        writer.setInt32(Int32(truncatingIfNeeded: writer.count - start - 4), at: start)
    }

    /// Below 1.2.0 the record has no precision and scale: the server leaves them out instead of failing.
    private static func droppingPrecisionBelow12(_ entities: [QueryEntity], _ context: ProtocolContext) -> [QueryEntity] {
        guard !context.supportsQueryEntityPrecisionAndScale else { return entities }
        return entities.map { entity in
            var entity = entity
            for i in entity.fields.indices {
                entity.fields[i].precision = nil
                entity.fields[i].scale = nil
            }
            return entity
        }
    }
}
