import Foundation
import IgniteProtocol

/// One running member of the cluster topology.
struct ClusterMember: Sendable {
    /// The node's index in ``IgniteTestCluster/nodes``.
    var index: Int
    var nodeId: UUID
    /// The consistent id (`ClusterNode.consistentId()`), which places the node in the partition assignment.
    var consistentId: String
    /// The join order (Ignite's `ClusterNode.order()`), starting at 1.
    var order: Int64
    var host: String
    var port: Int
}

/// A topology change, for OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS.
struct TopologyEvent: Sendable {
    var topologyVersion: Int64
    var joined: Bool
    var member: ClusterMember
}

/// A canned SQL result registered by a test.
struct SQLFixture: Sendable {
    enum Result: Sendable {
        case rows(columns: [String], rows: [[IgniteValue]])
        case updateCount(Int64)
    }
    var sql: String
    var result: Result
}

/// Where one cache entry lives and when it expires.
struct StoredEntry: Sendable {
    var key: IgniteValue
    var value: IgniteValue
    /// Monotonic deadline in ns; `nil` for eternal.
    var expiresAt: UInt64?
    var partition: Int
    var sequence: UInt64

    func isLive(at now: UInt64) -> Bool { expiresAt.map { $0 > now } ?? true }
}

/// A cache: its configuration and its entries, keyed by ``ServerValues/keyIdentity(_:)``.
struct CacheRecord: Sendable {
    var id: Int32
    var configuration: CacheConfigurationRecord
    var entries: [[UInt8]: StoredEntry] = [:]
    /// Whether some entry may carry an expiry deadline (set when one gets a deadline, recomputed by a purge), so that
    /// sizes and scans of caches without expiry never walk the entries to purge.
    var hasDeadlines = false
    var walEnabled = true
    /// Keys written since the SQL engine last indexed this cache (only for caches with query entities).
    var sqlDirty: Set<[UInt8]> = []

    var name: String { configuration.name }
    /// Whether the cache is a SQL table (has query entities), so that writes are tracked for the SQL index.
    /// Decided when the cache is created (CREATE/DROP INDEX keep the entities).
    let tracksSQL: Bool

    init(id: Int32, configuration: CacheConfigurationRecord) {
        self.id = id
        self.configuration = configuration
        self.tracksSQL = !configuration.queryEntities.isEmpty
    }

    /// Notes a write of `keyId` for the SQL index.
    mutating func noteWrite(_ keyId: [UInt8]) {
        if tracksSQL { sqlDirty.insert(keyId) }
    }
}

/// Everything the nodes of one cluster share, guarded by ``ClusterCore/data``.
struct ClusterData: Sendable {
    var configuration: TestNodeConfiguration
    var topology = AffinityTopologyVersion(major: 0, minor: 0)
    var members: [ClusterMember] = []
    var history: [TopologyEvent] = []
    var nextOrder: Int64 = 1
    var state: TestClusterState
    var caches: [Int32: CacheRecord] = [:]
    var cacheOrder: [Int32] = []
    var binaryTypes: [Int32: BinaryType] = [:]
    var typeNames: [Int64: String] = [:]
    var sql: [String: SQLFixture] = [:]
    var sqlParameters: [String: [[IgniteValue]]] = [:]
    var assignments: [Int: PartitionAssignment] = [:]
    var sequence: UInt64 = 0
    /// The SQL engine (SQLite as an index over the caches with query entities).
    let sqlEngine = SQLEngine()

    init(configuration: TestNodeConfiguration) {
        self.configuration = configuration
        self.state = configuration.initialState
    }

    // MARK: topology

    /// Adds a member; the affinity version moves to `(major + 1, 1)` as a real join ends (SERVER-BEHAVIOUR §2).
    mutating func join(index: Int, nodeId: UUID, consistentId: String, host: String, port: Int) {
        let member = ClusterMember(index: index, nodeId: nodeId, consistentId: consistentId, order: nextOrder, host: host, port: port)
        nextOrder += 1
        members.append(member)
        topology = AffinityTopologyVersion(major: topology.major + 1, minor: members.count > 1 ? 1 : 0)
        history.append(TopologyEvent(topologyVersion: topology.major, joined: true, member: member))
        assignments.removeAll()
    }

    /// Removes a member; the affinity version moves to `(major + 1, 0)`.
    mutating func leave(nodeId: UUID) {
        guard let position = members.firstIndex(where: { $0.nodeId == nodeId }) else { return }
        let member = members.remove(at: position)
        topology = AffinityTopologyVersion(major: topology.major + 1, minor: 0)
        history.append(TopologyEvent(topologyVersion: topology.major, joined: false, member: member))
        assignments.removeAll()
    }

    /// Bumps the minor affinity version (cache start or stop, state or WAL change).
    mutating func bumpMinor() {
        topology.minor += 1
    }

    /// The assignment for a partition count, computed once per topology.
    mutating func assignment(partitions: Int) -> PartitionAssignment {
        if let cached = assignments[partitions] { return cached }
        let computed = PartitionAssignment(partitions: partitions, members: members)
        assignments[partitions] = computed
        return computed
    }

    /// The owners (primary first, then backups) of a partition of a cache.
    mutating func owners(partition: Int, cache: CacheConfigurationRecord) -> [ClusterMember] {
        let count = partitionCount(cache)
        let ranking = assignment(partitions: count).ranking
        guard partition >= 0, partition < ranking.count else { return [] }
        let copies = cache.cacheMode == 1 ? members.count : min(members.count, 1 + max(0, Int(cache.backups)))
        return ranking[partition].prefix(copies).map { members[$0] }
    }

    /// The primary owner of a partition of a cache.
    mutating func primary(partition: Int, cache: CacheConfigurationRecord) -> ClusterMember? {
        let ranking = assignment(partitions: partitionCount(cache)).ranking
        guard partition >= 0, partition < ranking.count, let first = ranking[partition].first else { return nil }
        return members[first]
    }

    /// The partition count of a cache.
    func partitionCount(_ cache: CacheConfigurationRecord) -> Int {
        if let own = cache.affinityPartitions, own > 0 { return Int(own) }
        return configuration.partitions
    }

    // MARK: caches

    /// The partition of a key in a cache, honouring affinity key fields (cache key configuration first,
    /// then the binary type's affinity key field name).
    func partition(of key: IgniteValue, in cache: CacheConfigurationRecord) -> Int {
        RendezvousAffinity.partition(hash: affinityKey(of: key, in: cache).javaHashCode ?? 0, partitions: partitionCount(cache))
    }

    /// The value whose hash places `key`.
    func affinityKey(of key: IgniteValue, in cache: CacheConfigurationRecord) -> IgniteValue {
        guard case .object(let object) = key else { return key }
        var fieldName = cache.keyConfigurations.first { JavaHash.typeId($0.typeName) == object.typeId }?.affinityKeyFieldName
        let type = binaryTypes[object.typeId]
        if fieldName == nil { fieldName = type?.affinityKeyFieldName }
        guard let fieldName else { return key }
        let schema = type?.schema(id: object.schemaId)
        if let value = try? object.value(forFieldId: JavaHash.fieldId(fieldName), schema: schema), !value.isNull {
            return value
        }
        return key
    }

    /// A fresh sequence number (insertion order of entries).
    mutating func nextSequence() -> UInt64 {
        sequence += 1
        return sequence
    }
}
