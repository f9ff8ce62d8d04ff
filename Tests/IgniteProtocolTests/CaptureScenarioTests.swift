import Foundation
import Testing
@testable import IgniteProtocol

/// Checks decoded requests and responses of the captures against what each scenario's note says happened.
@Suite("Capture scenarios", .enabled(if: CaptureFiles.isAvailable, "captures not found (set IGNITE_CAPTURES_DIR)"))
struct CaptureScenarioTests {
    let replay: CaptureReplay

    init() throws {
        replay = try CaptureReplay.shared.get()
    }

    // MARK: helpers

    private func responses<T>(_ scenario: String, op: Int16, as type: T.Type = T.self) -> [T] {
        replay.exchanges(scenario, op: op).compactMap { $0.value(T.self) }
    }

    private func response<T>(_ scenario: String, op: Int16, as type: T.Type = T.self) throws -> T {
        try #require(responses(scenario, op: op, as: T.self).first, "\(scenario): no decoded \(T.self) response for op \(op)")
    }

    private func request<R>(_ scenario: String, op: Int16, as type: R.Type = R.self) throws -> R {
        try #require(replay.exchanges(scenario, op: op).first?.request?.value as? R, "\(scenario): no \(R.self)")
    }

    private func failure(_ scenario: String, op: Int16) throws -> ResponseHeader {
        let header = try #require(replay.exchanges(scenario, op: op).compactMap(\.header).first { !$0.isSuccess })
        return header
    }

    private func key(_ value: EncodedValue) throws -> IgniteValue { try value.decoded() }

    // MARK: general

    @Test func resourceCloseAndIdleTimeout() throws {
        let first = try response("scan-sql.scan-page3-early-close", op: 2000, as: QueryFirstPage<CacheEntry>.self)
        let close = try request("scan-sql.scan-page3-early-close", op: 0, as: ResourceCloseRequest.self)
        #expect(close.resourceId == first.cursorId)
        #expect(replay.exchanges("scan-sql.scan-page3-early-close", op: 0).first?.header?.isSuccess == true)
        let unknown = try failure("scan-sql.resource-close-unknown", op: 0)
        #expect(unknown.status == 1011)
        #expect(unknown.errorMessage == "Failed to find resource with id: 987654")
        #expect(try response("handshake.heartbeat-bit11", op: 2, as: Int64.self) == 0)
        #expect(replay.exchanges("handshake.heartbeat-bit11", op: 1).first?.header?.isSuccess == true)
    }

    // MARK: key-value

    @Test func singleKeyOperations() throws {
        let put = try request("kv.put", op: 1001, as: CachePutRequest.self)
        #expect(put.cache == CacheInfo(cacheName: "capKV"))
        #expect(try key(put.key) == .long(1))
        #expect(try put.value.decoded() == .string("one"))
        #expect(try response("kv.get-hit", op: 1000, as: IgniteValue.self) == .string("one"))
        #expect(try response("kv.get-miss", op: 1000, as: IgniteValue.self) == .null)
        #expect(try response("kv.get-int-key-hit", op: 1000, as: IgniteValue.self) == .string("two"))
        #expect(try response("kv.get-long-key-vs-int-key", op: 1000, as: IgniteValue.self) == .null)
        #expect(try response("kv.get-string-key", op: 1000, as: IgniteValue.self) == .string("v1"))
        #expect(try response("kv.put-if-absent-inserted", op: 1002, as: Bool.self) == true)
        #expect(try response("kv.put-if-absent-existing", op: 1002, as: Bool.self) == false)
        #expect(try response("kv.get-and-put-miss", op: 1005, as: IgniteValue.self) == .null)
        #expect(try response("kv.get-and-put-hit", op: 1005, as: IgniteValue.self) == .string("x"))
        #expect(try response("kv.get-and-replace-hit", op: 1006, as: IgniteValue.self) == .string("y"))
        #expect(try response("kv.get-and-replace-miss", op: 1006, as: IgniteValue.self) == .null)
        #expect(try response("kv.get-and-remove-hit", op: 1007, as: IgniteValue.self) == .string("z"))
        #expect(try response("kv.get-and-remove-miss", op: 1007, as: IgniteValue.self) == .null)
        #expect(try response("kv.get-and-put-if-absent-miss", op: 1008, as: IgniteValue.self) == .null)
        #expect(try response("kv.get-and-put-if-absent-hit", op: 1008, as: IgniteValue.self) == .string("p"))
        #expect(try response("kv.replace-hit", op: 1009, as: Bool.self) == true)
        #expect(try response("kv.replace-miss", op: 1009, as: Bool.self) == false)
        let replaceIfEquals = try request("kv.replace-if-equals-match", op: 1010, as: CacheReplaceIfEqualsRequest.self)
        #expect(try replaceIfEquals.expected.decoded() == .string("r"))
        #expect(try replaceIfEquals.value.decoded() == .string("s"))
        #expect(try response("kv.replace-if-equals-match", op: 1010, as: Bool.self) == true)
        #expect(try response("kv.replace-if-equals-mismatch", op: 1010, as: Bool.self) == false)
        #expect(try response("kv.contains-key-hit", op: 1011, as: Bool.self) == true)
        #expect(try response("kv.contains-key-miss", op: 1011, as: Bool.self) == false)
        #expect(try key(request("kv.clear-key", op: 1014, as: CacheClearKeyRequest.self).key) == .long(40))
        #expect(try response("kv.remove-key-hit", op: 1016, as: Bool.self) == true)
        #expect(try response("kv.remove-key-miss", op: 1016, as: Bool.self) == false)
        #expect(try response("kv.remove-if-equals-match", op: 1017, as: Bool.self) == true)
        #expect(try response("kv.remove-if-equals-mismatch", op: 1017, as: Bool.self) == false)
        #expect(try response("kv.keep-binary-flag", op: 1000, as: IgniteValue.self) == .string("v1"))
        #expect(try request("kv.keep-binary-flag", op: 1000, as: CacheGetRequest.self).cache.keepBinary)
    }

    @Test func multiKeyOperations() throws {
        let putAll = try request("kv.put-all", op: 1004, as: CachePutAllRequest.self)
        #expect(try putAll.entries.map { try $0.key.decoded() } == [.long(20), .long(21), .long(22)])
        let entries = try response("kv.get-all-with-miss", op: 1003, as: [CacheEntry].self)
        #expect(Set(entries) == [CacheEntry(key: .long(1), value: .string("one")), CacheEntry(key: .long(10), value: .string("ten")),
                                 CacheEntry(key: .long(20), value: .string("a"))])
        #expect(try response("kv.get-all-all-missing", op: 1003, as: [CacheEntry].self).isEmpty)
        #expect(try response("kv.contains-keys-all", op: 1012, as: Bool.self) == true)
        #expect(try response("kv.contains-keys-some-missing", op: 1012, as: Bool.self) == false)
        #expect(try request("kv.clear-keys", op: 1015, as: CacheClearKeysRequest.self).keys.map { try $0.decoded() } == [.long(20), .long(21)])
        #expect(try request("kv.remove-keys", op: 1018, as: CacheRemoveKeysRequest.self).keys.count == 3)
        for (scenario, op) in [("kv.clear", Int16(1013)), ("kv.remove-all", 1019), ("kv.clear-keys", 1015), ("kv.remove-keys", 1018)] {
            #expect(replay.exchanges(scenario, op: op).first?.header?.isSuccess == true, "\(scenario)")
        }
    }

    @Test func sizesByPeekMode() throws {
        let oneNode: [(String, [PeekMode], Int64)] = [
            ("none", [], 5), ("all", [.all], 5), ("near", [.near], 0), ("primary", [.primary], 5), ("backup", [.backup], 0),
            ("onheap", [.onHeap], 0), ("offheap", [.offHeap], 5), ("primary+backup", [.primary, .backup], 5),
        ]
        for (name, modes, size) in oneNode {
            #expect(try request("kv.get-size-\(name)", op: 1020, as: CacheGetSizeRequest.self).peekModes == modes)
            #expect(try response("kv.get-size-\(name)", op: 1020, as: Int64.self) == size, "\(name)")
        }
        // 3 nodes, backups 1, 10 entries: no modes, ALL, PRIMARY, BACKUP, PRIMARY+BACKUP, ONHEAP, OFFHEAP.
        #expect(responses("partitions.get-size-with-backups", op: 1020, as: Int64.self) == [10, 20, 10, 10, 20, 0, 10])
    }

    @Test func localPeek() throws {
        #expect(try request("kv.local-peek-hit", op: 1021, as: CacheLocalPeekRequest.self).peekModes == [.all])
        #expect(try response("kv.local-peek-hit", op: 1021, as: IgniteValue.self) == .string("v1"))
        #expect(try request("kv.local-peek-miss", op: 1021, as: CacheLocalPeekRequest.self).peekModes == [])
        #expect(try response("kv.local-peek-miss", op: 1021, as: IgniteValue.self) == .null)
        #expect(try request("kv.local-peek-raw-no-modes", op: 1021, as: CacheLocalPeekRequest.self).peekModes == nil)
        let peeks = responses("partitions.local-peek-3-nodes", op: 1021, as: IgniteValue.self)
        #expect(peeks.count == 3)
        #expect(peeks.filter { $0 == .null }.count == 1)
    }

    @Test func pipelinedResponsesMatchByRequestId() throws {
        let exchanges = replay.exchanges("kv.pipelined-gets", op: 1000)
        #expect(exchanges.map(\.requestId) == [21, 22, 23])
        #expect(exchanges.compactMap { $0.value(IgniteValue.self) } == [.string("a"), .string("b"), .string("c")])
    }

    // MARK: cache management

    @Test func cacheManagement() throws {
        #expect(try response("cache-config.get-names", op: 1050, as: [String].self) == ["capTypes", "capKV"])
        let names = try response("cache-config.get-names-after-create", op: 1050, as: [String].self)
        #expect(Set(names).isSuperset(of: ["capCreated", "capCfg", "capGoc", "capKV"]))
        #expect(try request("cache-config.create-with-name", op: 1051, as: CacheCreateWithNameRequest.self).name == "capCreated")
        let exists = try failure("cache-config.create-with-name-existing", op: 1051)
        #expect(exists.status == 1001)
        #expect(exists.errorMessage == "Failed to start cache (a cache with the same name is already started): capCreated")
        let empty = try failure("cache-config.create-with-name-empty", op: 1051)
        #expect(empty.status == 1)
        #expect(empty.errorMessage == "Ouch! Argument is invalid: Cache name must not be null or empty.")
        #expect(try request("cache-config.get-or-create-new", op: 1052, as: CacheGetOrCreateWithNameRequest.self).name == "capGoc")
        let destroy = try request("cache-config.destroy", op: 1056, as: CacheDestroyRequest.self)
        #expect(destroy.cacheId == JavaHash.cacheId("capGoc"))
        let missing = try failure("cache-config.destroy-missing", op: 1056)
        #expect(missing.status == 1000)
        #expect(missing.errorMessage == "Cache does not exist [cacheId= \(JavaHash.cacheId("capGoc"))]")
        let configuration = try request("cache-config.get-or-create-with-configuration-new", op: 1054,
                                        as: CacheGetOrCreateWithConfigurationRequest.self).configuration
        #expect(configuration.name == "capCfg2")
        #expect(configuration.cacheMode == .replicated)
        #expect(configuration.atomicityMode == .atomic)
    }

    // MARK: queries

    @Test func scanPagesAndCursors() throws {
        let first = try response("scan-sql.scan-page3-full", op: 2000, as: QueryFirstPage<CacheEntry>.self)
        #expect(first.page.rows.count == 3)
        #expect(first.page.hasMore)
        let pages = responses("scan-sql.scan-page3-full", op: 2001, as: CursorPage<CacheEntry>.self)
        #expect(pages.map(\.rows.count) == [3, 3, 1])
        #expect(pages.map(\.hasMore) == [true, true, false])
        let rows = first.page.rows + pages.flatMap(\.rows)
        #expect(Set(rows) == Set((1...10).map { CacheEntry(key: .long(Int64($0)), value: .string("v\($0)")) }))
        let getPage = try request("scan-sql.scan-page3-full", op: 2001, as: QueryScanCursorGetPageRequest.self)
        #expect(getPage.cursorId == first.cursorId)
        let scan = try request("scan-sql.scan-page3-full", op: 2000, as: QueryScanRequest.self)
        #expect(scan.pageSize == 3 && scan.partition == nil && !scan.local && scan.filter == nil)

        let partition = try request("scan-sql.scan-one-partition", op: 2000, as: QueryScanRequest.self)
        #expect(partition.partition == 1)
        #expect(try response("scan-sql.scan-one-partition", op: 2000, as: QueryFirstPage<CacheEntry>.self).page.rows.map(\.key) == [.long(1)])
        #expect(try request("scan-sql.scan-local", op: 2000, as: QueryScanRequest.self).local)
        #expect(try response("scan-sql.scan-local", op: 2000, as: QueryFirstPage<CacheEntry>.self).page.rows.count == 10)
        let empty = try response("scan-sql.scan-empty-cache", op: 2000, as: QueryFirstPage<CacheEntry>.self)
        #expect(empty.page.rows.isEmpty && !empty.page.hasMore)

        let exhausted = try failure("scan-sql.cursor-get-page-after-exhausted", op: 2001)
        #expect(exhausted.status == 1011)
        #expect(exhausted.errorMessage == "50000: Failed to find resource with id: 1")
        let tooMany = try failure("errors.too-many-cursors", op: 2000)
        #expect(tooMany.status == 1010)
        #expect(tooMany.errorMessage == "Too many open cursors (either close other open cursors or increase the limit through ClientConnectorConfiguration.maxOpenCursorsPerConnection) [maximum=128, current=128]")
    }

    @Test func sqlRowQueries() throws {
        let sql = try request("scan-sql.sql-query-entities-row-query", op: 2002, as: QuerySQLRequest.self)
        #expect(sql.typeName == "CapCity" && sql.sql == "ID > ?" && sql.pageSize == 2 && sql.timeout == 0)
        #expect(try sql.arguments.map { try $0.decoded() } == [.int(0)])
        let first = try response("scan-sql.sql-query-entities-row-query", op: 2002, as: QueryFirstPage<CacheEntry>.self)
        let pages = responses("scan-sql.sql-query-entities-row-query", op: 2003, as: CursorPage<CacheEntry>.self)
        #expect([first.page.rows.count] + pages.map(\.rows.count) == [2, 2, 1])
        let rows = first.page.rows + pages.flatMap(\.rows)
        #expect(rows.map(\.key) == (1...5).map { .int(Int32($0)) })
        for row in rows {
            guard case .object(let object) = row.value else {
                Issue.record("row value is not an object: \(row.value)")
                continue
            }
            #expect(object.typeId == JavaHash.typeId("CapCity"))
        }
        let unknown = try failure("scan-sql.sql-row-query-unknown-type", op: 2002)
        #expect(unknown.errorMessage == "50000: Failed to find SQL table for type: NoSuchType")
    }

    @Test func sqlFieldsQueries() throws {
        let request = try request("scan-sql.sql-select-page2-with-names", op: 2004, as: QuerySQLFieldsRequest.self)
        #expect(request.sql == "SELECT ID, NAME FROM CAP_CITY ORDER BY ID" && request.pageSize == 2 && request.includeFieldNames)
        #expect(request.schema == "PUBLIC" && request.cache.cacheId == 0 && request.maxRows == -1)
        let first = try response("scan-sql.sql-select-page2-with-names", op: 2004, as: SQLFieldsFirstPage.self)
        #expect(first.columnCount == 2 && first.fieldNames == ["ID", "NAME"])
        #expect(first.page.rows == [[.int(1), .string("Amsterdam")], [.int(2), .string("Berlin")]])
        let pages = responses("scan-sql.sql-select-page2-with-names", op: 2005, as: CursorPage<[IgniteValue]>.self)
        #expect(pages.map(\.rows) == [[[.int(3), .string("Cork")], [.int(4), .string("Delft")]], [[.int(5), .string("Essen")]]])
        #expect(pages.last?.hasMore == false)
        let noNames = try response("scan-sql.sql-select-page2-no-names", op: 2004, as: SQLFieldsFirstPage.self)
        #expect(noNames.fieldNames == nil && noNames.columnCount == 2)

        let raw = try self.request("scan-sql.sql-fields-raw-all-flags", op: 2004, as: QuerySQLFieldsRequest.self)
        #expect(raw.maxRows == 1 && raw.statementType == .select && raw.timeout == 5000 && raw.pageSize == 1024)
        let all = try response("scan-sql.sql-fields-raw-all-flags", op: 2004, as: SQLFieldsFirstPage.self)
        #expect(all.fieldNames == ["NAME"] && all.page.rows.count == 4 && !all.page.hasMore)

        #expect(try response("scan-sql.sql-update-count", op: 2004, as: SQLFieldsFirstPage.self).page.rows == [[.long(2)]])
        let allTypes = try response("scan-sql.sql-select-all-types", op: 2004, as: SQLFieldsFirstPage.self)
        #expect(allTypes.fieldNames == ["ID", "NAME", "POPULATION", "AREA", "FOUNDED", "UPDATED", "UID", "CAPITAL", "RATING"])
        #expect(allTypes.page.rows.first.map { $0.map(\.typeCode) } == [.int, .string, .long, .decimal, .date, .timestamp, .uuid, .bool, .double])

        let syntax = try failure("scan-sql.sql-syntax-error", op: 2004)
        #expect(syntax.status == 1)
        #expect(syntax.errorMessage == "42000: Failed to parse query. Syntax error in SQL statement \"SELEKT[*] * FROM CAP_CITY\"; expected \"SET, SAVEPOINT, SCRIPT, SHUTDOWN, SHOW\"; SQL statement:\nSELEKT * FROM CAP_CITY [42001-199]")
        let mismatch = try failure("scan-sql.sql-statement-type-mismatch", op: 2004)
        #expect(mismatch.errorMessage == "42000: Given statement type does not match that declared by JDBC driver")
    }

    // MARK: binary types, transactions, cluster

    @Test func binaryTypeNamesAndConfiguration() throws {
        let register = try request("binary-types.type-name-register", op: 3001, as: RegisterBinaryTypeNameRequest.self)
        #expect(register == RegisterBinaryTypeNameRequest(platform: .java, typeId: 1_938_228_674, typeName: "org.cap.CapThing"))
        #expect(try response("binary-types.type-name-register", op: 3001, as: Bool.self) == true)
        #expect(try response("binary-types.type-name-get", op: 3000, as: String?.self) == "org.cap.CapThing")
        #expect(try request("binary-types.type-name-get-other-platform", op: 3000, as: GetBinaryTypeNameRequest.self).platform == .dotNet)
        let other = try failure("binary-types.type-name-get-other-platform", op: 3000)
        #expect(other.errorMessage == "Failed to resolve Java class 'org.cap.CapThing' in .NET [platformId=1, typeId=1938228674].")
        let missing = try failure("binary-types.type-name-get-missing", op: 3000)
        #expect(missing.errorMessage == "Failed to resolve class name [platformId=0, platform=Java, typeId=987654321]")
        #expect(try response("binary-types.binary-configuration", op: 3004, as: BinaryConfiguration.self) == BinaryConfiguration())
    }

    @Test func binaryTypes() throws {
        let put = try request("binary-types.put-type", op: 3003, as: PutBinaryTypeRequest.self).binaryType
        #expect(put.typeName == "CapBT" && put.typeId == JavaHash.typeId("CapBT"))
        #expect(put.fields.map(\.name) == ["a", "b"] && put.fields.map(\.typeCode) == [3, 9])
        let one = try #require(try response("binary-types.get-type", op: 3002, as: BinaryType?.self))
        #expect(one == put)
        let two = try #require(try response("binary-types.get-type-two-schemas", op: 3002, as: BinaryType?.self))
        #expect(two.fields.map(\.name) == ["a", "b", "c"] && two.schemas.count == 2)
        #expect(two.schemas.map(\.fieldIds) == [["a", "b"], ["a", "b", "c"]].map { $0.map(JavaHash.fieldId) })
        #expect(try response("binary-types.get-type-missing", op: 3002, as: BinaryType?.self) == nil)
        let color = try #require(try response("binary-types.get-type-enum", op: 3002, as: BinaryType?.self))
        #expect(color.isEnum && color.schemas.isEmpty && color.typeName == "CapColor")
        #expect(color.enumValues.map(\.name) == ["RED", "GREEN", "BLUE"] && color.enumValues.map(\.ordinal) == [0, 1, 2])
        let affinity = try #require(try response("binary-types.get-type-affinity-key", op: 3002, as: BinaryType?.self))
        #expect(affinity.affinityKeyFieldName == "region")
        let city = try #require(try response("scan-sql.binary-type-of-sql-table", op: 3002, as: BinaryType?.self))
        #expect(city.typeName == "CapCity")
        let conflict = try failure("binary-types.put-type-conflicting-field-type", op: 3003)
        #expect(conflict.status == 1)
        #expect(conflict.errorMessage?.hasPrefix("Type 'CapBT' with typeId 94429092 has a different/incorrect type for field 'a'.") == true)
    }

    @Test func transactions() throws {
        let start = try request("tx-expiry.tx-commit", op: 4000, as: TxStartRequest.self)
        #expect(start == TxStartRequest(concurrency: .pessimistic, isolation: .repeatableRead, timeout: 5000, label: "cap-commit"))
        let txId = try response("tx-expiry.tx-commit", op: 4000, as: Int32.self)
        #expect(txId == 1)
        let put = try request("tx-expiry.tx-commit", op: 1001, as: CachePutRequest.self)
        #expect(put.cache.transactionId == txId)
        #expect(responses("tx-expiry.tx-commit", op: 1000, as: IgniteValue.self) == [.string("in-tx"), .string("in-tx")])
        #expect(try request("tx-expiry.tx-commit", op: 4001, as: TxEndRequest.self) == TxEndRequest(transactionId: 1, commit: true))
        #expect(try request("tx-expiry.tx-rollback", op: 4001, as: TxEndRequest.self).commit == false)
        let optimistic = try request("tx-expiry.tx-optimistic-serializable", op: 4000, as: TxStartRequest.self)
        #expect(optimistic.concurrency == .optimistic && optimistic.isolation == .serializable)
        #expect(responses("tx-expiry.tx-start-twice-same-connection", op: 4000, as: Int32.self) == [1, 2])
        let unknown = try failure("tx-expiry.tx-end-unknown-id", op: 4001)
        #expect(unknown.status == 1021 && unknown.errorMessage == "Transaction with id 9999 not found.")
        let limit = try failure("errors.too-many-transactions", op: 4000)
        #expect(limit.status == 1020)
        #expect(limit.errorMessage?.hasPrefix("Active transactions per connection limit (100) exceeded.") == true)
        #expect(try failure("tx-expiry.tx-timeout", op: 4001).status == 1022)

        let both = try request("tx-expiry.expiry-and-tx-flags", op: 1001, as: CachePutRequest.self)
        #expect(both.cache.flags == [.transactional, .withExpiryPolicy])
        #expect(both.cache.expiryPolicy?.create == .milliseconds(60_000))
        let expiry = try request("tx-expiry.expiry-eternal-and-access", op: 1000, as: CacheGetRequest.self).cache.expiryPolicy
        #expect(expiry == ExpiryPolicy(create: .eternal, update: .unchanged, access: .milliseconds(60_000)))
        let zero = try request("tx-expiry.expiry-zero", op: 1001, as: CachePutRequest.self).cache.expiryPolicy
        #expect(zero == ExpiryPolicy(create: .zero, update: .zero, access: .zero))
        #expect(responses("tx-expiry.expiry-put-create-500ms", op: 1000, as: IgniteValue.self) == [.string("short"), .null])
    }

    @Test func clusterStateAndWAL() throws {
        #expect(try response("cluster.get-state", op: 5000, as: ClusterState.self) == .active)
        #expect(try request("cluster.set-active-read-only", op: 5001, as: ClusterChangeStateRequest.self).state == .activeReadOnly)
        #expect(try response("cluster.set-active-read-only", op: 5000, as: ClusterState.self) == .activeReadOnly)
        #expect(try response("cluster.get-state-1.6.0", op: 5000, as: ClusterState.self) == .active)
        let invalid = try failure("cluster.set-state-invalid", op: 5001)
        #expect(invalid.status == 1 && invalid.errorMessage == "Ouch! Argument cannot be null: newState")
        let readOnly = try failure("cluster.put-rejected-read-only", op: 1001)
        #expect(readOnly.errorMessage?.contains("cluster is in read-only mode") == true)
        #expect(responses("auth.wal-persistent-cache", op: 5003, as: Bool.self) == [true, false, true])
        #expect(responses("auth.wal-persistent-cache", op: 5002, as: Bool.self) == [true, false, true])
        #expect(replay.exchanges("auth.wal-persistent-cache", op: 5002).compactMap { ($0.request?.value as? ClusterChangeWALStateRequest)?.enable }
            == [false, false, true])
        let inMemory = try failure("cluster.wal-disable-in-memory", op: 5002)
        #expect(inMemory.errorMessage == "Cannot change WAL mode because persistence is not enabled for cache(s) [caches=[capKV], dataRegion=null]")
        #expect(try failure("cluster.wal-get-missing-cache", op: 5003).errorMessage == "Cache not found: noSuchCache")
    }

    @Test func clusterGroups() throws {
        let nodeId = try #require(UUID(uuidString: "a438f733-0072-4a61-b4d6-3e53fe117e7f"))
        let ids = try request("cluster.group-node-ids-and-info", op: 5100, as: ClusterGroupGetNodeIdsRequest.self)
        #expect(ids.knownTopologyVersion == 0 && ids.projection == [.serverNodes(true)])
        let answers = replay.exchanges("cluster.group-node-ids-and-info", op: 5100).compactMap(\.response)
        #expect(answers.count == 2)
        let group = try #require(answers.first?.value as? ClusterGroupNodeIds)
        #expect(group.nodeIds == [nodeId] && group.topologyVersion == 1)
        #expect(answers.last.map { $0.value as? ClusterGroupNodeIds == nil } == true, "the same call with the current version reports no change")
        #expect(try self.request("cluster.group-node-ids-and-info", op: 5100, as: ClusterGroupGetNodeIdsRequest.self).projection.count == 1)
        #expect(replay.exchanges("cluster.group-node-ids-and-info", op: 5100).last.flatMap { $0.request?.value as? ClusterGroupGetNodeIdsRequest }?
            .knownTopologyVersion == 1)
        let nodes = try response("cluster.group-node-ids-and-info", op: 5101, as: [ClusterNode].self)
        let node = try #require(nodes.first)
        #expect(nodes.count == 1 && node.id == nodeId)
        #expect(node.consistentId == .string("node-10800") && node.addresses == ["127.0.0.1"] && node.hostNames.isEmpty)
        #expect(node.version.major == 8 && node.version.minor == 10 && node.version.maintenance == 127 && node.version.stage == "SNAPSHOT")
        #expect(node.attribute("clientListenerPort") == .int(10800))
        #expect(node.isLocal && !node.isClient && !node.isDaemon)
        let endpoints = try response("cluster.group-node-endpoints", op: 5102, as: ClusterTopologyChanges.self)
        #expect(endpoints.added == [ClusterNodeEndpoints(nodeId: nodeId, port: 10800, addresses: ["127.0.0.1"])])
        #expect(endpoints.removed.isEmpty && endpoints.topologyVersion == 1)
        #expect(try response("partitions.cluster-groups", op: 5101, as: [ClusterNode].self).count == 3)
    }

    @Test func keyValueErrors() throws {
        let nullValue = try failure("errors.put-null-value", op: 1001)
        #expect(nullValue.status == 1 && nullValue.errorMessage == "Ouch! Argument cannot be null: val")
        #expect(try failure("errors.get-null-key", op: 1000).errorMessage == "Ouch! Argument cannot be null: key")
        #expect(try failure("errors.get-all-null-key", op: 1003).errorMessage == "Null key.")
        #expect(try failure("errors.replace-if-equals-null-old", op: 1010).errorMessage == "Ouch! Argument cannot be null: oldVal")
        let missing = try failure("errors.get-missing-cache-id", op: 1000)
        #expect(missing.status == 1000 && missing.errorMessage == "Cache does not exist [cacheId= 12345678]")
        let unknownOp = try failure("errors.unknown-op-code", op: 12345)
        #expect(unknownOp.status == 2 && unknownOp.errorMessage == "Invalid request op code: 12345")
        #expect(try response("errors.trailing-garbage", op: 1000, as: IgniteValue.self) == .string("v1"))
    }
}
