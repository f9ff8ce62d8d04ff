import Foundation
import Synchronization
import IgniteProtocol
import IgniteSync
import IgniteTestNode
import Testing

@Suite("IgniteClient API")
struct ClientAPITests {
    @Test func createGetOrCreateNamesAndDestroy() throws {
        try TestEnvironment.withClient { (client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            let name = TestEnvironment.uniqueName()
            let cache = try client.createCache(name)
            #expect(cache.name == name)
            #expect(cache.cacheId == JavaHash.cacheId(name))
            #expect(try client.cacheNames().contains(name))
            let again = try #require(throws: IgniteError.self) { try client.createCache(name) }
            #expect(again.code == .cacheCreation)
            #expect(again.serverStatus == 1001)
            _ = try client.getOrCreateCache(name)
            try cache.destroy()
            #expect(try !client.cacheNames().contains(name))
            let gone = try #require(throws: IgniteError.self) { try cache.destroy() }
            #expect(gone.serverStatus == 1000)
            #expect(throws: IgniteError.self) { try client.createCache("") }
        }
    }

    @Test func createWithConfigurationAndReadSettings() throws {
        try TestEnvironment.withClient { (client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            var configuration = CacheConfiguration(name: TestEnvironment.uniqueName())
            configuration.cacheMode = .partitioned
            configuration.backups = 1
            configuration.atomicityMode = .transactional
            let cache = try client.createCache(configuration)
            defer { try? cache.destroy() }
            let settings = try cache.configuration()
            #expect(settings.name == configuration.name)
            #expect(settings.backups == 1)
            #expect(settings.atomicityMode == .transactional)
            let same = try client.getOrCreateCache(configuration)
            #expect(same.name == configuration.name)
            #expect(throws: IgniteError.self) { try client.createCache(CacheConfiguration()) }
        }
    }

    @Test func scanCursorPagesAndCloses() throws {
        try TestEnvironment.withCache { (cache: IgniteCache, _: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            try cache.putAll((0..<25).map { (Int32($0), "v\($0)") })
            let cursor = try cache.scan(pageSize: 4, keyType: Int32.self, valueType: String.self)
            var seen: [Int32: String] = [:]
            while let entry = try cursor.next() { seen[entry.key] = entry.value }
            #expect(seen.count == 25)
            #expect(!cursor.hasMore)
            #expect(seen[7] == "v7")
            let early = try cache.scan(pageSize: 3)
            #expect(try early.next() != nil)
            #expect(early.hasMore)
            try early.close()
            try early.close()
            #expect(try early.next() == nil)
            let all = try cache.scan(pageSize: 100, keyType: Int32.self, valueType: String.self).all()
            #expect(all.count == 25)
            var total = 0
            try cache.scan(pageSize: 7, keyType: Int32.self, valueType: String.self).forEach { key, value in
                #expect(value == "v\(key)")
                total += 1
            }
            #expect(total == 25)
            // A throwing body stops the loop, closes the cursor and surfaces its error.
            struct Stop: Error {}
            let stopped = try cache.scan(pageSize: 2)
            var calls = 0
            #expect(throws: Stop.self) {
                try stopped.forEach { _ in
                    calls += 1
                    throw Stop()
                }
            }
            #expect(calls == 1)
            #expect(try stopped.next() == nil)
            // A value that is not of the requested type is thrown, not swallowed.
            #expect(throws: IgniteError.self) { try cache.scan(keyType: Int32.self, valueType: Double.self).next() }
        }
    }

    @Test func scanOfOnePartition() throws {
        try TestEnvironment.withCache { (cache: IgniteCache, _: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            try cache.putAll((0..<50).map { (Int32($0), Int32($0)) })
            var total = 0
            for partition in 0..<1024 {
                total += try cache.scan(pageSize: 64, partition: partition).all().count
                if total == 50 { break }
            }
            #expect(total == 50)
        }
    }

    @Test func sqlFieldsWithParametersAndFieldNames() throws {
        try TestEnvironment.withClient { (client: IgniteClient, cluster: TestEnvironment.Cluster) throws -> Void in
            let table = "SWIFT_CITY_\(UUID().uuidString.prefix(6))"
            let select = "SELECT ID, NAME FROM \(table) WHERE ID > ? ORDER BY ID"
            if let node = cluster.testCluster {
                node.registerSQLUpdate("CREATE TABLE \(table) (ID INT PRIMARY KEY, NAME VARCHAR)", count: 0)
                node.registerSQLUpdate("INSERT INTO \(table) (ID, NAME) VALUES (?, ?)", count: 1)
                node.registerSQL(select, columns: ["ID", "NAME"], rows: (2...5).map { [.int(Int32($0)), .string("city \($0)")] })
                node.registerSQLUpdate("DROP TABLE \(table)", count: 0)
            }
            _ = try client.sql("CREATE TABLE \(table) (ID INT PRIMARY KEY, NAME VARCHAR)").all()
            defer { _ = try? client.sql("DROP TABLE \(table)").all() }
            for i in 1...5 {
                let changed = try client.sql("INSERT INTO \(table) (ID, NAME) VALUES (?, ?)", arguments: [Int32(i), "city \(i)"]).all()
                #expect(changed.first?.first == .long(1))
            }
            let cursor = try client.sql(select, pageSize: 2, arguments: [Int32(1)], includeFieldNames: true)
            #expect(cursor.fieldNames == ["ID", "NAME"])
            let rows = try cursor.all()
            #expect(rows.count == 4)
            #expect(rows.first == [.int(2), .string("city 2")])
            let typed = try client.sql(select, arguments: [Int32(4)])
            let row = try #require(try typed.next(as: IgniteValue.self))
            #expect(row.count == 2)
        }
    }

    @Test func sqlErrorIsAnSQLError() throws {
        try TestEnvironment.withClient { (client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            let error = try #require(throws: IgniteError.self) { try client.sql("SELEKT * FROM NOWHERE_\(UUID().uuidString.prefix(4))") }
            #expect(error.code == .sql)
        }
    }

    @Test func transactionsCommitRollbackAndClosure() throws {
        try TestEnvironment.withClient { (client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            var configuration = CacheConfiguration(name: TestEnvironment.uniqueName("swift-tx"))
            configuration.atomicityMode = .transactional
            let cache = try client.createCache(configuration)
            defer { try? cache.destroy() }

            let tx = try client.startTransaction(concurrency: .pessimistic, isolation: .repeatableRead, timeout: .seconds(30), label: "swift")
            try tx.cache(cache).put(Int32(1), "committed")
            try tx.commit()
            #expect(tx.isFinished)
            #expect(try cache.get(Int32(1), as: String.self) == "committed")
            #expect(throws: IgniteError.self) { try tx.commit() }
            // A finished transaction refuses operations instead of running them outside any transaction.
            let late = #expect(throws: IgniteError.self) { try tx.cache(cache).put(Int32(9), "late") }
            #expect(late?.code == .illegalState)
            #expect(try cache.get(Int32(9), as: String.self) == nil)

            let rolled = try client.startTransaction()
            try rolled.cache(cache.name).put(Int32(2), "rolled back")
            // A handle not bound to the transaction does not join it, even on the same thread.
            try cache.put(Int32(5), "outside")
            try rolled.rollback()
            #expect(try cache.get(Int32(2), as: String.self) == nil)
            #expect(try cache.get(Int32(5), as: String.self) == "outside")

            let value = try client.transaction(concurrency: .optimistic, isolation: .serializable) { tx in
                try tx.cache(cache).put(Int32(3), "closure")
                return 42
            }
            #expect(value == 42)
            #expect(try cache.get(Int32(3), as: String.self) == "closure")

            struct Boom: Error {}
            #expect(throws: Boom.self) {
                try client.transaction { tx in
                    try tx.cache(cache).put(Int32(4), "never")
                    throw Boom()
                }
            }
            #expect(try cache.get(Int32(4), as: String.self) == nil)

            // Two transactions at once from one thread, and a typed view inside one.
            let first = try client.startTransaction()
            let second = try client.startTransaction()
            let typed = second.cache(client.cache(cache.name, of: Int32.self, String.self))
            try typed.put(6, "second")
            try first.cache(cache).put(Int32(7), "first")
            try first.rollback()
            try second.commit()
            #expect(try cache.get(Int32(6), as: String.self) == "second")
            #expect(try cache.get(Int32(7), as: String.self) == nil)

            // The closure's transaction may be used from another thread: it is not bound to the calling one.
            try client.transaction { tx in
                let bound = tx.cache(cache)
                let done = DispatchSemaphore(value: 0)
                let failure = Mutex<IgniteError?>(nil)
                Thread {
                    do { try bound.put(Int32(8), "other thread") } catch let error as IgniteError { failure.withLock { $0 = error } } catch {}
                    done.signal()
                }.start()
                done.wait()
                #expect(failure.withLock { $0 } == nil)
            }
            #expect(try cache.get(Int32(8), as: String.self) == "other thread")

            // A scan cannot join a transaction: it says so rather than running outside it.
            try client.transaction { tx in
                let refused = #expect(throws: IgniteError.self) { try tx.cache(cache).scan().next() }
                #expect(refused?.code == .notSupportedByCluster)
            }
        }
    }

    @Test func clusterState() throws {
        try TestEnvironment.withClient { (client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            let cluster = client.cluster
            #expect(try cluster.state() == .active)
            // Changing a real cluster's state would break the tests running alongside this one.
            if !TestEnvironment.isReal {
                let cache = try client.createCache(TestEnvironment.uniqueName("swift-ro"))
                defer { try? cache.destroy() }
                try cache.put(Int32(1), Int32(1))
                try cluster.setState(.activeReadOnly)
                #expect(try cluster.state() == .activeReadOnly)
                // Reads work, writes are refused while the cluster is read-only.
                #expect(try cache.get(Int32(1), as: Int32.self) == 1)
                #expect(throws: IgniteError.self) { try cache.put(Int32(1), Int32(2)) }
                try cluster.setState(.active)
                #expect(try cluster.state() == .active)
            }
            let wal = try #require(throws: IgniteError.self) { try cluster.isWALEnabled(cacheName: "no-such-\(UUID().uuidString.prefix(4))") }
            #expect(wal.code == .cluster)
        }
    }

    @Test func binaryTypesPutGetQuery() throws {
        try TestEnvironment.withClient { (client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            let name = "SwiftType\(UUID().uuidString.prefix(6))"
            let fields = [BinaryType.Field(name: "a", typeCode: 3), BinaryType.Field(name: "b", typeCode: 9)]
            let type = BinaryType(typeName: name, fields: fields,
                                  schemas: [BinaryType.Schema(fieldIds: fields.map(\.fieldId))])
            try client.putBinaryType(type)
            let fetched = try #require(try client.binaryType(named: name))
            #expect(fetched.typeId == JavaHash.typeId(name))
            #expect(fetched.fields.map(\.name).sorted() == ["a", "b"])
            #expect(try client.queryBinaryType(id: JavaHash.typeId(name))?.typeName == name)
            #expect(try client.binaryType(named: "NoSuchType\(UUID().uuidString.prefix(6))") == nil)

            var builder = BinaryObjectBuilder(typeName: "SwiftAffinity\(UUID().uuidString.prefix(6))")
            builder.setField("region", .string("eu"))
            try client.registerBinaryType(of: builder, affinityKeyField: "region")
            #expect(try client.binaryType(named: builder.typeName ?? "")?.affinityKeyFieldName == "region")
        }
    }

    @Test func eventListenersSeeConnectionsAndQueries() throws {
        final class Recorder: IgniteEventListener, @unchecked Sendable {
            let lock = NSLock()
            var connection: [String] = []
            var queries: [OpCode] = []
            var wantsQueryEvents: Bool { true }
            func connectionEvent(_ event: ConnectionEvent) {
                lock.lock(); connection.append(event.description.components(separatedBy: " ").prefix(4).joined(separator: " ")); lock.unlock()
            }
            func queryEvent(_ event: QueryEvent) {
                if case .succeeded(let info, _) = event { lock.lock(); queries.append(info.opCode); lock.unlock() }
            }
        }
        let recorder = Recorder()
        let logged = OutcomeBox()
        try TestEnvironment.withClient({
            $0.eventListeners = [recorder]
            $0.logger = { _, message in logged.set(message) }
            $0.logLevel = .debug
            $0.username = nil
        }) { (client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            _ = try client.cacheNames()
        }
        recorder.lock.lock()
        defer { recorder.lock.unlock() }
        #expect(recorder.connection.contains { $0.hasPrefix("handshake with") })
        #expect(recorder.queries.contains(.cacheGetNames))
        #expect(logged.get() != nil)
    }

    @Test func closedClientRefusesWork() throws {
        try TestEnvironment.withClient { (client: IgniteClient, _: TestEnvironment.Cluster) throws -> Void in
            client.close()
            client.close()
            #expect(client.isClosed)
            let error = try #require(throws: IgniteError.self) { try client.cacheNames() }
            #expect(error.code == .illegalState)
        }
    }
}

@Suite("Row queries and WAL")
struct RowQueryAndWALTests {
    @Test func selectRowReturnsMatchingEntries() throws {
        try TestEnvironment.withClient { (client: IgniteClient, cluster: TestEnvironment.Cluster) throws -> Void in
            let typeName = "SwiftRow\(UUID().uuidString.prefix(6))"
            var configuration = CacheConfiguration(name: TestEnvironment.uniqueName("swift-rows"))
            configuration.queryEntities = [QueryEntity(keyType: "java.lang.Integer", valueType: typeName,
                                                       fields: [QueryField(name: "NAME", typeName: "java.lang.String"),
                                                                QueryField(name: "AGE", typeName: "java.lang.Integer")])]
            let cache = try client.createCache(configuration)
            defer { try? cache.destroy() }
            var objects: [Int32: BinaryObjectBuilder] = [:]
            for (id, name, age) in [(Int32(1), "Ada", Int32(36)), (2, "Linus", 28), (3, "Grace", 45)] {
                var row = BinaryObjectBuilder(typeName: typeName)
                row.setField("NAME", .string(name))
                row.setField("AGE", .int(age))
                try cache.put(id, row)
                objects[id] = row
            }
            if let node = cluster.testCluster {
                let rows: [[IgniteValue]] = try [Int32(1), 3].map { id in
                    [.int(id), .object(try #require(objects[id]).build())]
                }
                node.registerSQL("AGE > ?", columns: ["_KEY", "_VAL"], rows: rows)
            }
            let cursor = try cache.selectRow("AGE > ?", typeName: typeName, arguments: [Int32(30)], pageSize: 1,
                                             keyType: Int32.self, valueType: BinaryObject.self)
            let found = try cursor.all()
            #expect(Set(found.map(\.key)) == [1, 3])
            #expect(found.allSatisfy { $0.value.typeId == JavaHash.typeId(typeName) })
            // The typed view takes its types from the view.
            let typed = try cache.typed(Int32.self, BinaryObject.self).selectRow("AGE > ?", typeName: typeName, arguments: [Int32(30)])
            #expect(Set(try typed.all().map(\.key)) == [1, 3])
        }
    }

    @Test(.disabled(if: TestEnvironment.isReal, "WAL changes need a persistent cache"))
    func walDisableEnableOnAPersistentCache() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(nodeCount: 1, persistent: true))
        defer { cluster.shutdown() }
        let client = try IgniteClient(configuration: IgniteClientConfiguration(endpoints: cluster.endpoints))
        defer { client.close() }
        let cache = try client.createCache(TestEnvironment.uniqueName("swift-wal"))
        defer { try? cache.destroy() }
        #expect(try client.cluster.isWALEnabled(cacheName: cache.name))
        #expect(try client.cluster.disableWAL(cacheName: cache.name))
        #expect(try !client.cluster.isWALEnabled(cacheName: cache.name))
        #expect(try !client.cluster.disableWAL(cacheName: cache.name))
        #expect(try client.cluster.enableWAL(cacheName: cache.name))
        #expect(try client.cluster.isWALEnabled(cacheName: cache.name))
    }
}
