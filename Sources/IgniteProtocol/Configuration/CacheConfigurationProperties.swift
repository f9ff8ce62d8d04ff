// The property-list form of a cache configuration (OP 1053/1054 request bodies, PROTOCOL-FACTS §10.3.1):
// `i32 byteLen (bytes after itself), i16 count, (i16 code, value) × count`, properties in ascending code order.

extension CacheConfiguration {
    /// The codes of the properties that are set, in ascending order (the order they are written in).
    package var setProperties: [Property] {
        Property.allCases.filter { isSet($0) }
    }

    private func isSet(_ property: Property) -> Bool {
        switch property {
        case .name: name != nil
        case .cacheMode: cacheMode != nil
        case .atomicityMode: atomicityMode != nil
        case .backups: backups != nil
        case .writeSynchronizationMode: writeSynchronizationMode != nil
        case .copyOnRead: copyOnRead != nil
        case .readFromBackup: readFromBackup != nil
        case .dataRegionName: dataRegionName != nil
        case .onheapCacheEnabled: onheapCacheEnabled != nil
        case .queryEntities: queryEntities != nil
        case .queryParallelism: queryParallelism != nil
        case .queryDetailMetricsSize: queryDetailMetricsSize != nil
        case .sqlSchema: sqlSchema != nil
        case .sqlIndexMaxInlineSize: sqlIndexMaxInlineSize != nil
        case .sqlEscapeAll: sqlEscapeAll != nil
        case .maxQueryIteratorsCount: maxQueryIteratorsCount != nil
        case .rebalanceMode: rebalanceMode != nil
        case .rebalanceDelay: rebalanceDelay != nil
        case .rebalanceTimeout: rebalanceTimeout != nil
        case .rebalanceBatchSize: rebalanceBatchSize != nil
        case .rebalanceBatchesPrefetchCount: rebalanceBatchesPrefetchCount != nil
        case .rebalanceOrder: rebalanceOrder != nil
        case .rebalanceThrottle: rebalanceThrottle != nil
        case .groupName: groupName != nil
        case .keyConfigurations: keyConfigurations != nil
        case .defaultLockTimeout: defaultLockTimeout != nil
        case .maxConcurrentAsyncOperations: maxConcurrentAsyncOperations != nil
        case .partitionLossPolicy: partitionLossPolicy != nil
        case .eagerTtl: eagerTtl != nil
        case .statisticsEnabled: statisticsEnabled != nil
        case .expiryPolicy: expiryPolicy != nil
        case .affinity: affinity != nil
        }
    }

    /// Writes the set properties as a property list (client direction, OP 1053/1054).
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` for the expiry policy below 1.6.0, the affinity without
    ///   feature bit 17, or precision/scale below 1.2.0; ``IgniteError/Code/parameter`` for invalid values.
    package func encodeProperties(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        let start = writer.count
        do {
            try encodePropertyList(into: &writer, context: context)
        } catch {
            writer.truncate(to: start)
            throw error
        }
    }

    private func encodePropertyList(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        let properties = setProperties
        if properties.contains(.expiryPolicy), !context.supportsExpiryPolicy {
            throw IgniteError.notSupported("the cache expiry policy property (407)", needs: "protocol 1.6.0", context: context)
        }
        if properties.contains(.affinity) {
            try context.require(.gridGainCacheConfigurationAffinity, for: "the cache affinity property (408, GridGain only)")
        }
        let lengthPosition = writer.reserveBytes(4)
        writer.writeInt16(Int16(properties.count))
        for property in properties {
            writer.writeInt16(property.rawValue)
            try writeValue(of: property, into: &writer, context: context)
        }
        writer.setInt32(Int32(truncatingIfNeeded: writer.count - lengthPosition - 4), at: lengthPosition)
    }

    private func writeValue(of property: Property, into w: inout BinaryWriter, context: ProtocolContext) throws {
        switch property {
        case .name: w.writeOptionalStringObject(name)
        case .cacheMode: w.writeInt32(cacheMode?.rawValue ?? 0)
        case .atomicityMode: w.writeInt32(atomicityMode?.rawValue ?? 0)
        case .backups: w.writeInt32(backups ?? 0)
        case .writeSynchronizationMode: w.writeInt32(writeSynchronizationMode?.rawValue ?? 0)
        case .copyOnRead: w.writeBool(copyOnRead ?? false)
        case .readFromBackup: w.writeBool(readFromBackup ?? false)
        case .dataRegionName: w.writeOptionalStringObject(dataRegionName)
        case .onheapCacheEnabled: w.writeBool(onheapCacheEnabled ?? false)
        case .queryEntities: try w.writeQueryEntities(queryEntities ?? [], context: context)
        case .queryParallelism: w.writeInt32(queryParallelism ?? 0)
        case .queryDetailMetricsSize: w.writeInt32(queryDetailMetricsSize ?? 0)
        case .sqlSchema: w.writeOptionalStringObject(sqlSchema)
        case .sqlIndexMaxInlineSize: w.writeInt32(sqlIndexMaxInlineSize ?? 0)
        case .sqlEscapeAll: w.writeBool(sqlEscapeAll ?? false)
        case .maxQueryIteratorsCount: w.writeInt32(maxQueryIteratorsCount ?? 0)
        case .rebalanceMode: w.writeInt32(rebalanceMode?.rawValue ?? 0)
        case .rebalanceDelay: w.writeInt64(rebalanceDelay ?? 0)
        case .rebalanceTimeout: w.writeInt64(rebalanceTimeout ?? 0)
        case .rebalanceBatchSize: w.writeInt32(rebalanceBatchSize ?? 0)
        case .rebalanceBatchesPrefetchCount: w.writeInt64(rebalanceBatchesPrefetchCount ?? 0)
        case .rebalanceOrder: w.writeInt32(rebalanceOrder ?? 0)
        case .rebalanceThrottle: w.writeInt64(rebalanceThrottle ?? 0)
        case .groupName: w.writeOptionalStringObject(groupName)
        case .keyConfigurations: try w.writeKeyConfigurations(keyConfigurations ?? [])
        case .defaultLockTimeout: w.writeInt64(defaultLockTimeout ?? 0)
        case .maxConcurrentAsyncOperations: w.writeInt32(maxConcurrentAsyncOperations ?? 0)
        case .partitionLossPolicy: w.writeInt32(partitionLossPolicy?.rawValue ?? 0)
        case .eagerTtl: w.writeBool(eagerTtl ?? false)
        case .statisticsEnabled: w.writeBool(statisticsEnabled ?? false)
        case .expiryPolicy: try ExpiryPolicy.encodeOptional(expiryPolicy, into: &w)
        case .affinity:
            w.writeInt32(affinity?.partitions ?? 0)
            w.writeBool(affinity?.excludeNeighbors ?? false)
        }
    }

    /// Reads a property list (server direction, OP 1053/1054 request bodies).
    ///
    /// The leading byte length is skipped, not trusted, as the Java server does: pyignite writes a wrong value there.
    /// - Throws: ``IgniteError/Code/parse`` for an unknown property code (its value cannot be skipped) or a malformed value.
    package static func decodeProperties(from reader: inout BinaryReader, context: ProtocolContext) throws -> CacheConfiguration {
        _ = try reader.readInt32()
        let count = Int(try reader.readInt16())
        guard count >= 0 else { throw IgniteError.parse("negative cache property count \(count)") }
        _ = try reader.checkCount(Int32(count), elementSize: 3)
        var c = CacheConfiguration()
        for _ in 0..<count {
            let code = try reader.readInt16()
            guard let property = Property(rawValue: code) else {
                throw IgniteError.parse("unknown cache configuration property code \(code)")
            }
            try c.readValue(of: property, from: &reader, context: context)
        }
        return c
    }

    private mutating func readValue(of property: Property, from r: inout BinaryReader, context: ProtocolContext) throws {
        switch property {
        case .name: name = try r.readOptionalStringObject()
        case .cacheMode: cacheMode = CacheMode(rawValue: try r.readInt32())
        case .atomicityMode: atomicityMode = CacheAtomicityMode(rawValue: try r.readInt32())
        case .backups: backups = try r.readInt32()
        case .writeSynchronizationMode: writeSynchronizationMode = CacheWriteSynchronizationMode(rawValue: try r.readInt32())
        case .copyOnRead: copyOnRead = try r.readBool()
        case .readFromBackup: readFromBackup = try r.readBool()
        case .dataRegionName: dataRegionName = try r.readOptionalStringObject()
        case .onheapCacheEnabled: onheapCacheEnabled = try r.readBool()
        case .queryEntities: queryEntities = try r.readQueryEntities(context: context)
        case .queryParallelism: queryParallelism = try r.readInt32()
        case .queryDetailMetricsSize: queryDetailMetricsSize = try r.readInt32()
        case .sqlSchema: sqlSchema = try r.readOptionalStringObject()
        case .sqlIndexMaxInlineSize: sqlIndexMaxInlineSize = try r.readInt32()
        case .sqlEscapeAll: sqlEscapeAll = try r.readBool()
        case .maxQueryIteratorsCount: maxQueryIteratorsCount = try r.readInt32()
        case .rebalanceMode: rebalanceMode = CacheRebalanceMode(rawValue: try r.readInt32())
        case .rebalanceDelay: rebalanceDelay = try r.readInt64()
        case .rebalanceTimeout: rebalanceTimeout = try r.readInt64()
        case .rebalanceBatchSize: rebalanceBatchSize = try r.readInt32()
        case .rebalanceBatchesPrefetchCount: rebalanceBatchesPrefetchCount = try r.readInt64()
        case .rebalanceOrder: rebalanceOrder = try r.readInt32()
        case .rebalanceThrottle: rebalanceThrottle = try r.readInt64()
        case .groupName: groupName = try r.readOptionalStringObject()
        case .keyConfigurations: keyConfigurations = try r.readKeyConfigurations()
        case .defaultLockTimeout: defaultLockTimeout = try r.readInt64()
        case .maxConcurrentAsyncOperations: maxConcurrentAsyncOperations = try r.readInt32()
        case .partitionLossPolicy: partitionLossPolicy = PartitionLossPolicy(rawValue: try r.readInt32())
        case .eagerTtl: eagerTtl = try r.readBool()
        case .statisticsEnabled: statisticsEnabled = try r.readBool()
        case .expiryPolicy: expiryPolicy = try ExpiryPolicy.decodeOptional(from: &r)
        case .affinity:
            let partitions = try r.readInt32()
            affinity = RendezvousAffinityConfiguration(partitions: partitions, excludeNeighbors: try r.readBool())
        }
    }
}
