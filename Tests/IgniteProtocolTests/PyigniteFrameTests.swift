import Foundation
import Testing
@testable import IgniteProtocol

/// Builds every request of `Tests/Vectors/requests.json` (frames written by pyignite 0.6.1) from the vector's
/// arguments with this library's encoders and compares the frames byte for byte.
@Suite("pyignite request frames")
struct PyigniteFrameTests {
    struct Vector {
        var name: String
        var op: Int16
        var requestId: Int64
        var context: ProtocolContext
        var args: [String: Any]
        var frame: [UInt8]
    }

    static let vectorsPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Vectors/requests.json").path

    static func loadVectors() throws -> [Vector] {
        let data = try Data(contentsOf: URL(fileURLWithPath: vectorsPath))
        let root = try need(try JSONSerialization.jsonObject(with: data) as? [String: Any], "requests.json root")
        let requests = try need(root["requests"] as? [[String: Any]], "requests")
        var vectors: [Vector] = []
        for entry in requests {
            guard let op = (entry["op"] as? NSNumber)?.int16Value, let requestId = (entry["request_id"] as? NSNumber)?.int64Value else {
                continue // handshakes (no request id) belong to the core's tests
            }
            let version = try need(ProtocolVersion(text: entry["protocol"] as? String ?? ""), "protocol")
            let hex = entry["hex_correct_length"] as? String ?? entry["hex"] as? String ?? ""
            vectors.append(Vector(name: entry["name"] as? String ?? "", op: op, requestId: requestId,
                                  context: ProtocolContext(version: version, features: ProtocolFeatures([.clusterStates])),
                                  args: entry["args"] as? [String: Any] ?? [:], frame: try Hex.decode(hex)))
        }
        return vectors
    }

    /// Unwraps or throws (usable inside closures, unlike `#require`).
    static func need<T>(_ value: T?, _ what: @autoclosure () -> String = "value") throws -> T {
        guard let value else { throw IgniteError.parameter("missing or malformed \(what())") }
        return value
    }

    /// Ops whose vectors another helper checks (1101: the affinity helper).
    static let othersOps: Set<Int16> = [1101]

    @Test func everyRequestFrameMatches() throws {
        let vectors = try Self.loadVectors()
        #expect(vectors.count >= 60)
        var checked = 0
        for vector in vectors where !Self.othersOps.contains(vector.op) {
            do {
                guard let built = try Self.build(vector) else {
                    Issue.record("\(vector.name): no builder for op \(vector.op)")
                    continue
                }
                let frame = try built(vector.requestId, vector.context)
                if let order = Self.propertyOrder(vector), order != order.sorted() {
                    // pyignite writes configuration properties in dict order; this library in code order. Same content.
                    try Self.expectSameConfiguration(frame, vector)
                } else {
                    #expect(Hex.encode(frame) == Hex.encode(vector.frame), "\(vector.name)")
                }
                checked += 1
            } catch {
                Issue.record("\(vector.name): \(error)")
            }
        }
        #expect(checked >= 60)
    }

    // MARK: builders

    typealias Framer = (Int64, ProtocolContext) throws -> [UInt8]

    private static func framer<R: IgniteRequest>(_ request: R) -> Framer {
        { id, context in try RequestFraming.frame(request, requestId: id, context: context) }
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    static func build(_ v: Vector) throws -> Framer? {
        let a = v.args
        switch v.op {
        case 0: return framer(ResourceCloseRequest(resourceId: try long(a["resourceId"])))
        case 1000: return framer(CacheGetRequest(cache: try cache(a), key: try value(a["key"])))
        case 1001:
            // The object value is described in prose; take its bytes from the frame itself (the framing is still checked).
            let valueBytes = a["value"] is String ? try objectValue(v) : try value(a["value"])
            return framer(CachePutRequest(cache: try cache(a), key: try value(a["key"]), value: valueBytes))
        case 1002: return framer(CachePutIfAbsentRequest(cache: try cache(a), key: try value(a["key"]), value: try value(a["value"])))
        case 1003: return framer(CacheGetAllRequest(cache: try cache(a), keys: try values(a["keys"])))
        case 1004:
            let pairs = try need(a["pairs"] as? [[Any]])
            let entries = try pairs.map { EncodedEntry(key: try value($0.first), value: try value($0.last)) }
            return framer(CachePutAllRequest(cache: try cache(a), entries: entries))
        case 1005: return framer(CacheGetAndPutRequest(cache: try cache(a), key: try value(a["key"]), value: try value(a["value"])))
        case 1006: return framer(CacheGetAndReplaceRequest(cache: try cache(a), key: try value(a["key"]), value: try value(a["value"])))
        case 1007: return framer(CacheGetAndRemoveRequest(cache: try cache(a), key: try value(a["key"])))
        case 1008: return framer(CacheGetAndPutIfAbsentRequest(cache: try cache(a), key: try value(a["key"]), value: try value(a["value"])))
        case 1009: return framer(CacheReplaceRequest(cache: try cache(a), key: try value(a["key"]), value: try value(a["value"])))
        case 1010:
            return framer(CacheReplaceIfEqualsRequest(cache: try cache(a), key: try value(a["key"]), expected: try value(a["sample"]),
                                                      value: try value(a["value"])))
        case 1011: return framer(CacheContainsKeyRequest(cache: try cache(a), key: try value(a["key"])))
        case 1012: return framer(CacheContainsKeysRequest(cache: try cache(a), keys: try values(a["keys"])))
        case 1013: return framer(CacheClearRequest(cache: try cache(a)))
        case 1014: return framer(CacheClearKeyRequest(cache: try cache(a), key: try value(a["key"])))
        case 1015: return framer(CacheClearKeysRequest(cache: try cache(a), keys: try values(a["keys"])))
        case 1016: return framer(CacheRemoveKeyRequest(cache: try cache(a), key: try value(a["key"])))
        case 1017: return framer(CacheRemoveIfEqualsRequest(cache: try cache(a), key: try value(a["key"]), expected: try value(a["sample"])))
        case 1018: return framer(CacheRemoveKeysRequest(cache: try cache(a), keys: try values(a["keys"])))
        case 1019: return framer(CacheRemoveAllRequest(cache: try cache(a)))
        case 1020: return framer(CacheGetSizeRequest(cache: try cache(a), peekModes: try peekModes(a["peekModes"])))
        case 1021:
            return framer(CacheLocalPeekRequest(cache: try cache(a), key: try value(a["key"]), peekModes: try peekModes(a["peekModes"])))
        case 1050: return framer(CacheGetNamesRequest())
        case 1051: return framer(CacheCreateWithNameRequest(name: try need(a["name"] as? String)))
        case 1052: return framer(CacheGetOrCreateWithNameRequest(name: try need(a["name"] as? String)))
        case 1053: return framer(CacheCreateWithConfigurationRequest(configuration: try configuration(a)))
        case 1054: return framer(CacheGetOrCreateWithConfigurationRequest(configuration: try configuration(a)))
        case 1055: return framer(CacheGetConfigurationRequest(cacheId: try int(a["cacheId"])))
        case 1056: return framer(CacheDestroyRequest(cacheId: try int(a["cacheId"])))
        case 2000:
            let partition = try int(a["partition"])
            return framer(QueryScanRequest(cache: try cache(a), pageSize: try int(a["pageSize"]), partition: partition < 0 ? nil : partition,
                                           local: try bool(a["local"])))
        case 2001: return framer(QueryScanCursorGetPageRequest(cursorId: try long(a["cursorId"])))
        case 2002:
            return framer(QuerySQLRequest(cache: try cache(a), typeName: try string(a["table"]), sql: try string(a["query"]),
                                          arguments: try values(a["queryArgs"]), distributedJoins: try bool(a["distributedJoins"]),
                                          local: try bool(a["local"]), replicatedOnly: try bool(a["replicatedOnly"]),
                                          pageSize: try int(a["pageSize"]), timeout: try long(a["timeoutMs"])))
        case 2003: return framer(QuerySQLCursorGetPageRequest(cursorId: try long(a["cursorId"])))
        case 2004:
            let statementType = try need(SQLStatementType(rawValue: Int8(try int(a["statementType"]))))
            return framer(QuerySQLFieldsRequest(
                cache: try cache(a), schema: a["schema"] as? String, sql: try string(a["query"]), arguments: try values(a["queryArgs"]),
                pageSize: try int(a["pageSize"]), maxRows: try int(a["maxRows"]), statementType: statementType,
                distributedJoins: try bool(a["distributedJoins"]), local: try bool(a["local"]), replicatedOnly: try bool(a["replicatedOnly"]),
                enforceJoinOrder: try bool(a["enforceJoinOrder"]), collocated: try bool(a["collocated"]), lazy: try bool(a["lazy"]),
                timeout: try long(a["timeoutMs"]), includeFieldNames: try bool(a["includeFieldNames"])))
        case 2005: return framer(QuerySQLFieldsCursorGetPageRequest(cursorId: try long(a["cursorId"]), columnCount: 1))
        case 4000:
            let concurrency = try need(TransactionConcurrency(rawValue: Int8(try int(a["concurrency"]))))
            let isolation = try need(TransactionIsolation(rawValue: Int8(try int(a["isolation"]))))
            return framer(TxStartRequest(concurrency: concurrency, isolation: isolation, timeout: try long(a["timeoutMs"]),
                                         label: a["label"] as? String))
        case 4001: return framer(TxEndRequest(transactionId: try int(a["txId"]), commit: try bool(a["committed"])))
        case 5000: return framer(ClusterGetStateRequest())
        case 5001: return framer(ClusterChangeStateRequest(state: ClusterState(rawValue: Int8(try int(a["state"])))))
        default: return try buildBinaryType(v)
        }
    }

    // MARK: argument readers

    static func int(_ any: Any?) throws -> Int32 {
        if let string = any as? String, let value = Int32(string) { return value }
        return try need((any as? NSNumber)?.int32Value, "not an int: \(String(describing: any))")
    }

    static func long(_ any: Any?) throws -> Int64 {
        if let string = any as? String, let value = Int64(string) { return value }
        return try need((any as? NSNumber)?.int64Value, "not a long: \(String(describing: any))")
    }

    static func bool(_ any: Any?) throws -> Bool { try need((any as? NSNumber).map { $0.boolValue }, "bool") }
    static func string(_ any: Any?) throws -> String { try need(any as? String) }

    /// A tagged value `{"t": "int" | "long" | "string", "v": …}`, or JSON null.
    static func tagged(_ any: Any?) throws -> IgniteValue {
        if any == nil || any is NSNull { return .null }
        let object = try need(any as? [String: Any], "not a tagged value: \(String(describing: any))")
        switch object["t"] as? String {
        case "int": return .int(try int(object["v"]))
        case "long": return .long(try long(object["v"]))
        case "string": return .string(try string(object["v"]))
        case let tag: throw IgniteError.parameter("unknown tag \(String(describing: tag))")
        }
    }

    static func value(_ any: Any?) throws -> EncodedValue { EncodedValue(try tagged(any)) }
    static func values(_ any: Any?) throws -> [EncodedValue] { try (any as? [Any] ?? []).map(value) }

    static func peekModes(_ any: Any?) throws -> [PeekMode] {
        try (any as? [NSNumber] ?? []).map { try need(PeekMode(rawValue: $0.int8Value)) }
    }

    static func expiry(_ any: Any?) throws -> ExpiryPolicy? {
        guard let object = any as? [String: Any] else { return nil }
        return ExpiryPolicy(create: .milliseconds(try long(object["create"])), update: .milliseconds(try long(object["update"])),
                            access: .milliseconds(try long(object["access"])))
    }

    static func cache(_ a: [String: Any]) throws -> CacheInfo {
        let flags = CacheRequestFlags(rawValue: UInt8(try int(a["flags"])))
        var info = CacheInfo(cacheId: try int(a["cacheId"]), keepBinary: flags.contains(.keepBinary), expiryPolicy: try expiry(a["expiryPolicy"]))
        if flags.contains(.transactional) { info.transactionId = try int(a["txId"]) }
        if let name = a["cacheName"] as? String { #expect(JavaHash.cacheId(name) == info.cacheId) }
        return info
    }

    static func objectValue(_ v: Vector) throws -> EncodedValue {
        var reader = BinaryReader(Array(v.frame.dropFirst(4 + RequestFraming.headerSize)))
        return try CachePutRequest.decodeBody(from: &reader, context: v.context).value
    }

    // MARK: configurations

    static func propertyOrder(_ v: Vector) -> [Int]? {
        guard v.op == 1053 || v.op == 1054, let properties = v.args["properties"] as? [[Any]] else { return nil }
        return properties.compactMap { ($0.first as? NSNumber)?.intValue }
    }

    static func expectSameConfiguration(_ frame: [UInt8], _ v: Vector) throws {
        #expect(frame.count == v.frame.count, "\(v.name)")
        var ours = BinaryReader(Array(frame.dropFirst(4 + RequestFraming.headerSize)))
        var theirs = BinaryReader(Array(v.frame.dropFirst(4 + RequestFraming.headerSize)))
        #expect(try CacheConfiguration.decodeProperties(from: &ours, context: v.context)
            == CacheConfiguration.decodeProperties(from: &theirs, context: v.context), "\(v.name)")
    }

    // swiftlint:disable:next cyclomatic_complexity
    static func configuration(_ a: [String: Any]) throws -> CacheConfiguration {
        var c = CacheConfiguration()
        for pair in try need(a["properties"] as? [[Any]]) {
            let code = try need(CacheConfiguration.Property(rawValue: Int16(try int(pair.first))))
            let v = pair.last
            switch code {
            case .name: c.name = v as? String
            case .cacheMode: c.cacheMode = CacheMode(rawValue: try int(v))
            case .atomicityMode: c.atomicityMode = CacheAtomicityMode(rawValue: try int(v))
            case .backups: c.backups = try int(v)
            case .writeSynchronizationMode: c.writeSynchronizationMode = CacheWriteSynchronizationMode(rawValue: try int(v))
            case .copyOnRead: c.copyOnRead = try bool(v)
            case .readFromBackup: c.readFromBackup = try bool(v)
            case .dataRegionName: c.dataRegionName = v as? String
            case .onheapCacheEnabled: c.onheapCacheEnabled = try bool(v)
            case .queryEntities: c.queryEntities = try (v as? [[String: Any]] ?? []).map(queryEntity)
            case .queryParallelism: c.queryParallelism = try int(v)
            case .queryDetailMetricsSize: c.queryDetailMetricsSize = try int(v)
            case .sqlSchema: c.sqlSchema = v as? String
            case .sqlIndexMaxInlineSize: c.sqlIndexMaxInlineSize = try int(v)
            case .sqlEscapeAll: c.sqlEscapeAll = try bool(v)
            case .maxQueryIteratorsCount: c.maxQueryIteratorsCount = try int(v)
            case .rebalanceMode: c.rebalanceMode = CacheRebalanceMode(rawValue: try int(v))
            case .rebalanceDelay: c.rebalanceDelay = try long(v)
            case .rebalanceTimeout: c.rebalanceTimeout = try long(v)
            case .rebalanceBatchSize: c.rebalanceBatchSize = try int(v)
            case .rebalanceBatchesPrefetchCount: c.rebalanceBatchesPrefetchCount = try long(v)
            case .rebalanceOrder: c.rebalanceOrder = try int(v)
            case .rebalanceThrottle: c.rebalanceThrottle = try long(v)
            case .groupName: c.groupName = v as? String
            case .keyConfigurations:
                c.keyConfigurations = try (v as? [[String]] ?? []).map {
                    CacheKeyConfiguration(typeName: try need($0.first), affinityKeyFieldName: try need($0.last))
                }
            case .defaultLockTimeout: c.defaultLockTimeout = try long(v)
            case .maxConcurrentAsyncOperations: c.maxConcurrentAsyncOperations = try int(v)
            case .partitionLossPolicy: c.partitionLossPolicy = PartitionLossPolicy(rawValue: try int(v))
            case .eagerTtl: c.eagerTtl = try bool(v)
            case .statisticsEnabled: c.statisticsEnabled = try bool(v)
            case .expiryPolicy: c.expiryPolicy = try expiry(v)
            case .affinity: throw IgniteError.parameter("pyignite has no affinity property")
            }
        }
        return c
    }

    static func queryEntity(_ e: [String: Any]) throws -> QueryEntity {
        func optionalInt(_ any: Any?) throws -> Int32? { let value = try int(any); return value == -1 ? nil : value }
        let fields = try (e["fields"] as? [[String: Any]] ?? []).map { f in
            QueryField(name: try string(f["name"]), typeName: try string(f["typeName"]), isKeyField: try bool(f["isKey"]),
                       isNotNull: try bool(f["notNull"]), defaultValue: try tagged(f["default"]),
                       precision: try optionalInt(f["precision"]), scale: try optionalInt(f["scale"]))
        }
        let aliases = try (e["aliases"] as? [[String]] ?? []).map {
            QueryFieldAlias(fieldName: try need($0.first), alias: try need($0.last))
        }
        let indexes = try (e["indexes"] as? [[String: Any]] ?? []).map { i in
            QueryIndex(name: i["name"] as? String, type: QueryIndexType(rawValue: Int8(try int(i["type"]))), inlineSize: try int(i["inlineSize"]),
                       fields: try (i["fields"] as? [[Any]] ?? []).map {
                           QueryIndex.Field(name: try string($0.first), descending: try bool($0.last))
                       })
        }
        return QueryEntity(keyType: e["keyType"] as? String, valueType: e["valueType"] as? String, tableName: e["tableName"] as? String,
                           keyFieldName: e["keyFieldName"] as? String, valueFieldName: e["valueFieldName"] as? String,
                           fields: fields, aliases: aliases, indexes: indexes)
    }

    // MARK: binary types

    static func buildBinaryType(_ v: Vector) throws -> Framer? {
        let a = v.args
        switch v.op {
        case 3002: return framer(GetBinaryTypeRequest(typeId: try int(a["typeId"])))
        case 3003:
            let fields = try (a["fields"] as? [[Any]] ?? []).map { f in
                BinaryType.Field(name: try string(f.first), typeCode: try int(f[1]), fieldId: try int(f.last))
            }
            let schemas = try (a["schemas"] as? [[Any]] ?? []).map { s in
                BinaryType.Schema(fieldIds: (s.last as? [NSNumber] ?? []).map(\.int32Value), schemaId: try int(s.first))
            }
            let type = BinaryType(typeId: try int(a["typeId"]), typeName: try string(a["typeName"]),
                                  affinityKeyFieldName: a["affinityKeyFieldName"] as? String, fields: fields, schemas: schemas,
                                  isEnum: try bool(a["isEnum"]))
            return framer(PutBinaryTypeRequest(binaryType: type))
        default: return nil
        }
    }
}
