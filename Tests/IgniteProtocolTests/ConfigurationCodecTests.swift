import Foundation
import Testing
@testable import IgniteProtocol

/// The configuration of *cache-config.create-with-configuration*, built from the scenario's note.
enum ConfigurationFixtures {
    static var capCfg: CacheConfiguration {
        var c = CacheConfiguration(name: "capCfg")
        c.atomicityMode = .transactional
        c.cacheMode = .partitioned
        c.backups = 2
        c.writeSynchronizationMode = .fullSync
        c.copyOnRead = false
        c.readFromBackup = false
        c.dataRegionName = "default"
        c.onheapCacheEnabled = true
        c.queryEntities = [QueryEntity(
            keyType: "java.lang.Long", valueType: "CapEntity", tableName: "CAP_ENTITY", keyFieldName: "id",
            fields: [
                QueryField(name: "id", typeName: "java.lang.Long", isKeyField: true, isNotNull: true),
                QueryField(name: "name", typeName: "java.lang.String", defaultValue: .string("anon"), precision: 50),
                QueryField(name: "amount", typeName: "java.math.BigDecimal", precision: 10, scale: 2),
                QueryField(name: "created", typeName: "java.sql.Timestamp"),
            ],
            aliases: [QueryFieldAlias(fieldName: "name", alias: "FULL_NAME")],
            indexes: [
                QueryIndex(name: "IDX_NAME", type: .sorted, inlineSize: 32, fields: [.init(name: "name")]),
                QueryIndex(name: "IDX_AMOUNT_CREATED", fields: [.init(name: "amount", descending: true), .init(name: "created")]),
                QueryIndex(name: "IDX_NAME_FT", type: .fullText, fields: [.init(name: "name")]),
            ])]
        c.queryParallelism = 2
        c.queryDetailMetricsSize = 5
        c.sqlSchema = "CAPSCHEMA"
        c.sqlIndexMaxInlineSize = 40
        c.sqlEscapeAll = true
        c.maxQueryIteratorsCount = 77
        c.rebalanceMode = .sync
        c.rebalanceDelay = 100
        c.rebalanceTimeout = 9000
        c.rebalanceBatchSize = 102_400
        c.rebalanceBatchesPrefetchCount = 3
        c.rebalanceOrder = 4
        c.rebalanceThrottle = 5
        c.groupName = "capGroup"
        c.keyConfigurations = [CacheKeyConfiguration(typeName: "CapAffKey", affinityKeyFieldName: "region")]
        c.defaultLockTimeout = 1234
        c.maxConcurrentAsyncOperations = 600
        c.partitionLossPolicy = .readWriteSafe
        c.eagerTtl = false
        c.statisticsEnabled = true
        c.expiryPolicy = ExpiryPolicy(create: .milliseconds(60_000), update: .unchanged, access: .eternal)
        return c
    }

    /// What the server reports for ``capCfg``: identity aliases added for the other fields.
    static var capCfgAsReported: CacheConfiguration {
        var c = capCfg
        c.queryEntities?[0].aliases = [
            QueryFieldAlias(fieldName: "name", alias: "FULL_NAME"), QueryFieldAlias(fieldName: "amount", alias: "amount"),
            QueryFieldAlias(fieldName: "id", alias: "id"), QueryFieldAlias(fieldName: "created", alias: "created"),
        ]
        return c
    }

    /// The configuration as a server below 1.2.0 reports it: query fields without precision and scale.
    static func withoutPrecision(_ configuration: CacheConfiguration) -> CacheConfiguration {
        var c = configuration
        c.queryEntities = c.queryEntities?.map { entity in
            var entity = entity
            entity.fields = entity.fields.map { field in
                var field = field
                field.precision = nil
                field.scale = nil
                return field
            }
            return entity
        }
        return c
    }

    static let v170 = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.clusterStates]))
    static let v170Affinity = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.clusterStates, .gridGainCacheConfigurationAffinity]))
}

@Suite("Cache configuration codecs")
struct ConfigurationCodecTests {
    private func encodeProperties(_ configuration: CacheConfiguration, _ context: ProtocolContext) throws -> [UInt8] {
        var writer = BinaryWriter()
        try configuration.encodeProperties(into: &writer, context: context)
        return writer.bytes
    }

    @Test func propertiesAreWrittenInCodeOrderWithTheirLength() throws {
        var c = CacheConfiguration(name: "a")
        c.backups = 1
        c.cacheMode = .replicated
        let bytes = try encodeProperties(c, ConfigurationFixtures.v170)
        // i32 length, i16 count 3, (0: String "a"), (1: i32 1), (3: i32 1)
        #expect(bytes == [22, 0, 0, 0, 3, 0, 0, 0, 9, 1, 0, 0, 0, 0x61, 1, 0, 1, 0, 0, 0, 3, 0, 1, 0, 0, 0])
        #expect(c.setProperties == [.name, .cacheMode, .backups])
    }

    @Test func propertyListRoundTripsThroughTheServerDecoder() throws {
        var c = ConfigurationFixtures.capCfg
        c.affinity = RendezvousAffinityConfiguration(partitions: 32, excludeNeighbors: true)
        let context = ConfigurationFixtures.v170Affinity
        var reader = BinaryReader(try encodeProperties(c, context))
        #expect(try CacheConfiguration.decodeProperties(from: &reader, context: context) == c)
        #expect(reader.isAtEnd)
        #expect(c.setProperties.count == 32)
    }

    @Test func everyPropertyIsGatedByTheProtocol() throws {
        var expiry = CacheConfiguration(name: "e")
        expiry.expiryPolicy = ExpiryPolicy(create: .zero)
        let old = ProtocolContext(version: .v1_5_0)
        #expect(throws: IgniteError.self) { try encodeProperties(expiry, old) }
        #expect((try? encodeProperties(expiry, ProtocolContext(version: .v1_6_0))) != nil)

        var affinity = CacheConfiguration(name: "a")
        affinity.affinity = RendezvousAffinityConfiguration(partitions: 32)
        do {
            _ = try encodeProperties(affinity, ConfigurationFixtures.v170)
            Issue.record("the affinity property needs GridGain bit 17")
        } catch let error as IgniteError {
            #expect(error.code == .notSupportedByCluster)
        }

        var precision = CacheConfiguration(name: "p")
        precision.queryEntities = [QueryEntity(valueType: "V", fields: [QueryField(name: "f", typeName: "java.lang.String", precision: 5)])]
        do {
            _ = try encodeProperties(precision, ProtocolContext(version: .v1_1_0))
            Issue.record("precision needs 1.2.0")
        } catch let error as IgniteError {
            #expect(error.code == .notSupportedByCluster)
        }
        precision.queryEntities?[0].fields[0].precision = nil
        let bytes = try encodeProperties(precision, ProtocolContext(version: .v1_1_0))
        var reader = BinaryReader(bytes)
        #expect(try CacheConfiguration.decodeProperties(from: &reader, context: ProtocolContext(version: .v1_1_0)) == precision)

        var invalid = CacheConfiguration(name: "i")
        invalid.expiryPolicy = ExpiryPolicy(create: .milliseconds(-5))
        do {
            _ = try encodeProperties(invalid, ConfigurationFixtures.v170)
            Issue.record("a negative duration must be rejected")
        } catch let error as IgniteError {
            #expect(error.code == .parameter)
        }
    }

    @Test func createRequestsNeedAName() throws {
        for configuration in [CacheConfiguration(), CacheConfiguration(name: "")] {
            do {
                _ = try RequestFraming.frame(CacheCreateWithConfigurationRequest(configuration: configuration), requestId: 1,
                                             context: ConfigurationFixtures.v170)
                Issue.record("a configuration without a name must be rejected")
            } catch let error as IgniteError {
                #expect(error.code == .parameter)
            }
        }
    }

    @Test func serverRejectsUnknownPropertyCodes() {
        // i32 length (ignored), i16 count 1, i16 code 999, i32 value
        var reader = BinaryReader([0, 0, 0, 0, 1, 0, 0xE7, 0x03, 1, 0, 0, 0])
        #expect(throws: IgniteError.self) { try CacheConfiguration.decodeProperties(from: &reader, context: ConfigurationFixtures.v170) }
        var negative = BinaryReader([0, 0, 0, 0, 0xFF, 0xFF])
        #expect(throws: IgniteError.self) { try CacheConfiguration.decodeProperties(from: &negative, context: ConfigurationFixtures.v170) }
    }

    @Test func recordRoundTripsAtEveryVersion() throws {
        for version in ProtocolVersion.supported {
            for features in [ProtocolFeatures(), ProtocolFeatures([.gridGainCacheConfigurationAffinity])] {
                let context = ProtocolContext(version: version, features: features)
                var configuration = ConfigurationFixtures.capCfgAsReported
                if !context.supportsQueryEntityPrecisionAndScale { configuration = ConfigurationFixtures.withoutPrecision(configuration) }
                if !context.supportsExpiryPolicy { configuration.expiryPolicy = nil }
                if context.has(.gridGainCacheConfigurationAffinity) { configuration.affinity = RendezvousAffinityConfiguration() }
                var writer = BinaryWriter()
                try configuration.encodeRecord(into: &writer, context: context)
                var reader = BinaryReader(writer.bytes)
                #expect(try CacheConfiguration.decodeRecord(from: &reader, context: context) == configuration, "\(context)")
                #expect(reader.isAtEnd)
            }
        }
    }

    @Test func recordDecoderSkipsUnknownTrailingBytes() throws {
        var writer = BinaryWriter()
        try CacheConfiguration.serverDefaults(name: "x").encodeRecord(into: &writer, context: ConfigurationFixtures.v170)
        var bytes = writer.bytes
        bytes.append(contentsOf: [1, 2, 3])
        let length = Int32(bytes.count - 4)
        bytes.replaceSubrange(0..<4, with: withUnsafeBytes(of: length.littleEndian, Array.init))
        bytes.append(0x42) // the next field of the enclosing message
        var reader = BinaryReader(bytes)
        #expect(try CacheConfiguration.decodeRecord(from: &reader, context: ConfigurationFixtures.v170).name == "x")
        #expect(try reader.readUInt8() == 0x42)
    }

    @Test func truncatedRecordsAreErrorsNotCrashes() throws {
        var writer = BinaryWriter()
        try ConfigurationFixtures.capCfgAsReported.encodeRecord(into: &writer, context: ConfigurationFixtures.v170)
        let full = writer.bytes
        for cut in stride(from: 0, to: full.count, by: 7) {
            var reader = BinaryReader(Array(full[..<cut]))
            #expect(throws: IgniteError.self) { try CacheConfiguration.decodeRecord(from: &reader, context: ConfigurationFixtures.v170) }
        }
        // A length that claims more than there is.
        var hostile = BinaryReader([0xFF, 0xFF, 0xFF, 0x7F, 1, 0, 0, 0])
        #expect(throws: IgniteError.self) { try CacheConfiguration.decodeRecord(from: &hostile, context: ConfigurationFixtures.v170) }
        // A query-entity count far beyond the input.
        var properties = BinaryReader([0, 0, 0, 0, 1, 0, 200, 0, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(throws: IgniteError.self) { try CacheConfiguration.decodeProperties(from: &properties, context: ConfigurationFixtures.v170) }
    }

    @Test func mergingFillsOnlyUnsetProperties() {
        var c = CacheConfiguration(name: "m")
        c.backups = 3
        let merged = c.merged(over: .serverDefaults(name: nil))
        #expect(merged.name == "m" && merged.backups == 3 && merged.atomicityMode == .atomic && merged.rebalanceTimeout == 10_000)
        #expect(merged.expiryPolicy == nil && merged.readFromBackup == false)
    }
}

/// The cache-configuration codecs against *cache-config.jsonl*.
@Suite("Cache configuration captures", .enabled(if: CaptureFiles.isAvailable, "captures not found (set IGNITE_CAPTURES_DIR)"))
struct ConfigurationCaptureTests {
    let replay: CaptureReplay

    init() throws {
        replay = try CaptureReplay.shared.get()
    }

    private func exchange(_ scenario: String, op: Int16, index: Int = 0) throws -> CaptureExchange {
        let all = replay.exchanges(scenario, op: op)
        return try #require(index < all.count ? all[index] : nil, "\(scenario) op \(op) #\(index)")
    }

    @Test func thirtyOnePropertyRequestMatchesTheCaptureByteForByte() throws {
        let captured = try exchange("cache-config.create-with-configuration", op: 1053)
        let request = CacheCreateWithConfigurationRequest(configuration: ConfigurationFixtures.capCfg)
        #expect(ConfigurationFixtures.capCfg.setProperties.count == 31)
        let frame = try RequestFraming.frame(request, requestId: captured.requestId, context: captured.context)
        var expected = try #require(CaptureFiles.loadAll().first {
            $0.scenario == "cache-config.create-with-configuration" && $0.dir == "c2s" && $0.op == 1053
        }?.bytes)
        // pyignite writes −18 for the property-list length (bytes 14..<18); a correct client writes the real length.
        #expect(Array(expected[14..<18]) == [0xEE, 0xFF, 0xFF, 0xFF])
        let length = Int32(expected.count - 18)
        expected.replaceSubrange(14..<18, with: withUnsafeBytes(of: length.littleEndian, Array.init))
        #expect(frame == expected)
        #expect((captured.request?.value as? CacheCreateWithConfigurationRequest)?.configuration == ConfigurationFixtures.capCfg)
    }

    @Test func gridGainAffinityPropertyMatchesTheRawCapture() throws {
        let captured = try exchange("cache-config.create-with-configuration-gg-affinity", op: 1053)
        var configuration = CacheConfiguration(name: "capAff32")
        configuration.affinity = RendezvousAffinityConfiguration(partitions: 32, excludeNeighbors: false)
        var writer = BinaryWriter()
        try CacheCreateWithConfigurationRequest(configuration: configuration).encodeBody(into: &writer, context: captured.context)
        #expect(writer.bytes == captured.requestBody)
        let expiryOnly = try exchange("cache-config.expiry-config-only", op: 1053)
        var expiry = CacheConfiguration(name: "capExpCfg")
        expiry.expiryPolicy = ExpiryPolicy(create: .milliseconds(400))
        #expect((expiryOnly.request?.value as? CacheCreateWithConfigurationRequest)?.configuration == expiry)
    }

    @Test func defaultsDecodeAsTheServerBehaviourTable() throws {
        let decoded = try #require(try exchange("cache-config.get-configuration-defaults", op: 1055).value(CacheConfiguration.self))
        var expected = CacheConfiguration.serverDefaults(name: "capCreated")
        expected.expiryPolicy = nil
        #expect(decoded == expected)
        #expect(try exchange("cache-config.get-configuration-defaults", op: 1055).responseBody?.count == 125 + 4)
    }

    @Test func fullConfigurationAtEachVersion() throws {
        let full = try #require(try exchange("cache-config.get-configuration-full", op: 1055).value(CacheConfiguration.self))
        #expect(full == ConfigurationFixtures.capCfgAsReported)

        let v120 = try #require(try exchange("cache-config.get-configuration-1.2.0", op: 1055).value(CacheConfiguration.self))
        var expected120 = ConfigurationFixtures.capCfgAsReported
        expected120.expiryPolicy = nil
        #expect(v120 == expected120)
        #expect(try exchange("cache-config.get-configuration-1.2.0", op: 1055).responseBody?.count == 635 + 4)

        let v100 = try #require(try exchange("cache-config.get-configuration-1.0.0", op: 1055).value(CacheConfiguration.self))
        let expected100 = ConfigurationFixtures.withoutPrecision(expected120)
        #expect(v100 == expected100)
        #expect(try exchange("cache-config.get-configuration-1.0.0", op: 1055).responseBody?.count == 603 + 4)

        let index = try #require(full.queryEntities?.first?.indexes[1])
        #expect(index.fields == [QueryIndex.Field(name: "amount", descending: true), QueryIndex.Field(name: "created", descending: false)])
        #expect(full.queryEntities?.first?.indexes[2].type == .fullText)
        #expect(full.queryEntities?.first?.fields[1].defaultValue == .string("anon"))
    }

    @Test func gridGainBit17AddsTheAffinityBlock() throws {
        let aff32 = try #require(try exchange("cache-config.get-configuration-gg-affinity-bit", op: 1055).value(CacheConfiguration.self))
        #expect(aff32.name == "capAff32")
        #expect(aff32.affinity == RendezvousAffinityConfiguration(partitions: 32, excludeNeighbors: false))
        let created = try #require(try exchange("cache-config.get-configuration-gg-affinity-bit", op: 1055, index: 1).value(CacheConfiguration.self))
        #expect(created.name == "capCreated")
        #expect(created.affinity == RendezvousAffinityConfiguration(partitions: 1024, excludeNeighbors: false))
        // Without bit 17 the same bytes are trailing data: skipped through the length, no affinity.
        let body = try #require(try exchange("cache-config.get-configuration-gg-affinity-bit", op: 1055).responseBody)
        var reader = BinaryReader(body)
        let plain = try CacheConfiguration.decodeRecord(from: &reader, context: ConfigurationFixtures.v170)
        #expect(plain.affinity == nil && plain.name == "capAff32" && reader.isAtEnd)
    }

    @Test func serverEncodesTheCapturedRecordsByteForByte() throws {
        for scenario in ["cache-config.get-configuration-defaults", "cache-config.get-configuration-full", "cache-config.get-configuration-1.2.0",
                         "cache-config.get-configuration-1.0.0", "cache-config.expiry-config-only"] {
            let captured = try exchange(scenario, op: 1055)
            let configuration = try #require(captured.value(CacheConfiguration.self))
            var writer = BinaryWriter()
            try configuration.encodeRecord(into: &writer, context: captured.context)
            #expect(writer.bytes == captured.responseBody, "\(scenario)")
        }
        for index in 0..<2 {
            let captured = try exchange("cache-config.get-configuration-gg-affinity-bit", op: 1055, index: index)
            var writer = BinaryWriter()
            try #require(captured.value(CacheConfiguration.self)).encodeRecord(into: &writer, context: captured.context)
            #expect(writer.bytes == captured.responseBody)
        }
    }

    @Test func serverMergesACreateRequestOverItsDefaults() throws {
        // What the test node does: decode 1053, merge over the defaults, report it with 1055.
        let request = try #require(try exchange("cache-config.create-with-configuration", op: 1053).request?.value as? CacheCreateWithConfigurationRequest)
        let stored = request.configuration.merged(over: .serverDefaults(name: nil))
        let captured = try exchange("cache-config.get-configuration-full", op: 1055)
        var writer = BinaryWriter()
        var reported = stored
        reported.queryEntities = ConfigurationFixtures.capCfgAsReported.queryEntities
        try reported.encodeRecord(into: &writer, context: captured.context)
        #expect(writer.bytes == captured.responseBody)
    }
}
