import Foundation
import IgniteProtocol

// Atomic longs (9000–9007) and sets (9010–9023), shared by every node of the cluster as the real data structures
// are. Rules from the Apache server, `pc/datastructures/ClientAtomicLong*Request` and `ClientIgniteSet*Request`.

/// One atomic long.
struct AtomicLongRecord: Sendable {
    var value: Int64
    var configuration: AtomicConfiguration
}

/// One atomic sequence (GridGain): the global counter in the atomics cache, and each server node's own reserved
/// range, as `DataStructuresProcessor.sequence` and `GridCacheAtomicSequenceImpl.internalUpdate` keep them: a node
/// reserves `atomicSequenceReserveSize` values at a time and answers get and add-and-get from its range.
struct AtomicSequenceRecord: Sendable {
    /// The first value no node has reserved.
    var global: Int64
    var configuration: AtomicConfiguration
    /// Per node id: the node's local value and the end of its range.
    var ranges: [UUID: (local: Int64, upper: Int64)] = [:]

    /// `off` of the server: a range is `reserveSize` values, the first being the local value.
    var offset: Int64 { configuration.atomicSequenceReserveSize > 1 ? Int64(configuration.atomicSequenceReserveSize) - 1 : 1 }

    /// A new sequence, its first range reserved by the creating node.
    init(initialValue: Int64, configuration: AtomicConfiguration, node: UUID) {
        self.configuration = configuration
        self.global = 0
        let upper = initialValue &+ offset
        ranges[node] = (initialValue, upper)
        global = upper &+ 1
    }

    /// The node's range, reserved from the global counter when the node first sees the sequence.
    mutating func range(on node: UUID) -> (local: Int64, upper: Int64) {
        if let range = ranges[node] { return range }
        let range = (local: global, upper: global &+ offset)
        ranges[node] = range
        global = range.upper &+ 1
        return range
    }

    /// `GridCacheAtomicSequenceImpl.internalUpdate(l, updated)` on one node.
    mutating func addAndGet(_ delta: Int64, on node: UUID) -> Int64 {
        var (local, upper) = range(on: node)
        if local &+ delta <= upper {
            local = local &+ delta
        } else {
            local = local &+ delta >= global ? local &+ delta : global
            upper = local &+ offset
            global = upper &+ 1
        }
        ranges[node] = (local, upper)
        return local
    }
}

/// One set: values by identity, in insertion order.
struct SetRecord: Sendable {
    var cacheId: Int32
    var colocated: Bool
    var values: [[UInt8]: IgniteValue] = [:]
    var order: [[UInt8]] = []

    mutating func insert(_ value: IgniteValue) -> Bool {
        let key = ServerValues.keyIdentity(value)
        guard values[key] == nil else { return false }
        values[key] = value
        order.append(key)
        return true
    }

    mutating func remove(_ value: IgniteValue) -> Bool {
        let key = ServerValues.keyIdentity(value)
        guard values.removeValue(forKey: key) != nil else { return false }
        order.removeAll { $0 == key }
        return true
    }

    func contains(_ value: IgniteValue) -> Bool { values[ServerValues.keyIdentity(value)] != nil }

    var snapshot: [IgniteValue] { order.compactMap { values[$0] } }
}

/// The cluster's data structures.
struct DataStructureStore: Sendable {
    var atomicLongs: [String: AtomicLongRecord] = [:]
    var atomicSequences: [String: AtomicSequenceRecord] = [:]
    var sets: [String: SetRecord] = [:]
    /// The caches of data structures by cache id: the system caches `ignite-sys-atomic-cache@<group>`, created with the
    /// first atomic of their group (its configuration decides their mode and backups), and each set's cache.
    /// OP_CACHE_PARTITIONS answers for them when asked by id, as the server does (`ClientCachePartitionsRequest` finds
    /// system caches by descriptor but never adds them itself).
    var structureCaches: [Int32: CacheConfigurationRecord] = [:]
    /// The cache groups of data structures (`default-ds-group` unless configured), each with the configuration of the
    /// cache that started it: a later cache of the group must match it (`ClusterCachesInfo.validateCacheGroupConfiguration`).
    var groups: [String: StructureGroupFirst] = [:]

    /// The first cache of a data structure cache group.
    struct StructureGroupFirst: Sendable {
        var cacheName: String
        var cacheMode: CacheMode
        var backups: Int32
    }

    /// The group of data structures without a configured one (`DataStructuresProcessor.DEFAULT_DS_GROUP_NAME`).
    static let defaultGroup = "default-ds-group"

    static func atomicKey(_ name: String, _ group: String?) -> String { "\(group ?? defaultGroup)\u{0}\(name)" }
}

/// A per-connection resource other than a query cursor.
enum SessionResource: Sendable {
    /// A set iterator: a snapshot of the values and how far it was read.
    case setIterator(values: [IgniteValue], position: Int)
    /// A running compute task; closing it cancels the task.
    case computeTask(ComputeTaskHandle)
}

extension RequestHandler {
    /// Atomic longs: 9000–9007.
    func atomicLong(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        if op == .atomicLongCreate {
            let request = try AtomicLongCreateRequest.decodeBody(from: &reader, context: context)
            guard !request.name.isEmpty else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("name")) }
            let configuration = request.configuration ?? AtomicConfiguration()
            let start = core.structures.withLock { store in
                let start = noteAtomicsCache(&store, configuration)
                if case .refused = start { return start }
                let key = DataStructureStore.atomicKey(request.name, configuration.groupName)
                if store.atomicLongs[key] == nil {
                    store.atomicLongs[key] = AtomicLongRecord(value: request.initialValue, configuration: configuration)
                }
                return start
            }
            return finish(start)
        }
        let request = try AtomicLongRequest.decodeBody(opCode: op, from: &reader)
        countAtomicRequest(request.identity)
        let key = DataStructureStore.atomicKey(request.identity.name, request.identity.groupName)
        return core.structures.withLock { store -> OpResult in
            // `ClientAtomicLongRequest.notFoundResponse`: status 1 (a plain ClientResponse with a message).
            let notFound = OpResult.failure(ServerStatus.failed, "AtomicLong with name '\(request.identity.name)' does not exist.")
            switch request.operation {
            case .exists:
                return .bool(store.atomicLongs[key] != nil)
            case .remove:
                store.atomicLongs.removeValue(forKey: key)   // "do nothing when does not exist"
                return .empty
            default:
                break
            }
            guard var record = store.atomicLongs[key] else { return notFound }
            let result: OpResult
            switch request.operation {
            case .get:
                result = .body { $0.writeInt64(record.value) }
            case .addAndGet(let delta):
                record.value = record.value &+ delta
                let now = record.value
                result = .body { $0.writeInt64(now) }
            case .getAndSet(let value):
                let before = record.value
                record.value = value
                result = .body { $0.writeInt64(before) }
            case .compareAndSet(let expected, let value):
                let matches = record.value == expected
                if matches { record.value = value }
                result = .bool(matches)
            case .compareAndSetAndGet(let expected, let value):
                let before = record.value
                if before == expected { record.value = value }
                result = .body { $0.writeInt64(before) }
            case .exists, .remove:
                result = .empty
            }
            store.atomicLongs[key] = record
            return result
        }
    }

    /// Atomic sequences (GridGain only): 9030–9034. Rules from GridGain's `pc/datastructures/ClientAtomicSequence*Request`:
    /// a missing sequence answers status 1011 ("AtomicSequence with name '…' does not exist."), remove and exists
    /// never fail.
    func atomicSequence(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        let nodeId = node.nodeId
        if op == .atomicSequenceCreate {
            let request = try AtomicSequenceCreateRequest.decodeBody(from: &reader, context: context)
            guard !request.name.isEmpty else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("name")) }
            let configuration = request.configuration ?? AtomicConfiguration()
            let start = core.structures.withLock { store in
                let start = noteAtomicsCache(&store, configuration)
                if case .refused = start { return start }
                let key = DataStructureStore.atomicKey(request.name, configuration.groupName)
                if store.atomicSequences[key] == nil {
                    store.atomicSequences[key] = AtomicSequenceRecord(initialValue: request.initialValue, configuration: configuration,
                                                                      node: nodeId)
                }
                return start
            }
            return finish(start)
        }
        let request = try AtomicSequenceRequest.decodeBody(opCode: op, from: &reader)
        countAtomicRequest(request.identity)
        let key = DataStructureStore.atomicKey(request.identity.name, request.identity.groupName)
        return core.structures.withLock { store -> OpResult in
            switch request.operation {
            case .exists:
                return .bool(store.atomicSequences[key] != nil)
            case .remove:
                store.atomicSequences.removeValue(forKey: key)   // "do nothing when does not exist"
                return .empty
            case .get, .addAndGet:
                guard var record = store.atomicSequences[key] else {
                    return .failure(ServerStatus.resourceDoesNotExist,
                                    "AtomicSequence with name '\(request.identity.name)' does not exist.")
                }
                let value: Int64
                if case .addAndGet(let delta) = request.operation {
                    // The server asserts `l > 0`; a client never sends less (its own checks refuse it).
                    guard delta > 0 else { return .failure(ServerStatus.failed, "Parameter can't be less then 1: \(delta)") }
                    value = record.addAndGet(delta, on: nodeId)
                } else {
                    value = record.range(on: nodeId).local
                }
                store.atomicSequences[key] = record
                return .body { $0.writeInt64(value) }
            }
        }
    }

    /// Sets: 9010–9023.
    func igniteSet(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        switch op {
        case .setGetOrCreate:
            let request = try SetGetOrCreateRequest.decodeBody(from: &reader, context: context)
            guard !request.name.isEmpty else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("name")) }
            let (identity, started): (IgniteSetIdentity?, StructureCacheStart) = core.structures.withLock { store in
                // Sets are found by name within their group; a lookup without a configuration searches the default
                // group only (`IgniteKernal.set(name, null)` → `DEFAULT_DS_GROUP_NAME`).
                let key = DataStructureStore.atomicKey(request.name, request.configuration?.groupName)
                if let existing = store.sets[key] {
                    return (IgniteSetIdentity(name: request.name, cacheId: existing.cacheId, colocated: existing.colocated), .existing)
                }
                guard let configuration = request.configuration else { return (nil, .existing) }
                // The cache of the set (`DataStructuresProcessor.compatibleCache`): a colocated set, or one in a
                // non-PARTITIONED cache, lives in the configuration's shared cache `datastructures_<atomicity>_<mode>_
                // <backups>@<group>`; any other in a separated cache named after the set (`…#SET_<name>`). A cache
                // that starts must fit its group's first cache.
                let group = configuration.groupName ?? DataStructureStore.defaultGroup
                let sharedName = "datastructures_\(configuration.atomicityMode)_\(configuration.cacheMode)_\(configuration.backups)@\(group)"
                let separated = !configuration.colocated && configuration.cacheMode == .partitioned
                let cacheName = separated ? sharedName + "#SET_\(request.name)" : sharedName
                if store.structureCaches[JavaHash.cacheId(cacheName)] == nil,
                   let refusal = Self.groupRefusal(&store, group: group, cacheName: cacheName, cacheMode: configuration.cacheMode,
                                                   backups: configuration.backups) {
                    return (nil, .refused(refusal))
                }
                let record = SetRecord(cacheId: JavaHash.cacheId(cacheName), colocated: configuration.colocated)
                store.sets[key] = record
                var started = StructureCacheStart.existing
                if store.structureCaches[record.cacheId] == nil {
                    var requested = CacheConfiguration(name: cacheName)
                    requested.cacheMode = configuration.cacheMode
                    requested.backups = configuration.backups
                    store.structureCaches[record.cacheId] = CacheConfigurationRecord(requested: requested, isGridGain: self.configuration.isGridGain,
                                                                                    partitions: self.configuration.partitions)
                    started = .started
                }
                return (IgniteSetIdentity(name: request.name, cacheId: record.cacheId, colocated: record.colocated), started)
            }
            switch started {
            case .refused(let message): return .failure(ServerStatus.failed, message)
            case .started: core.data.withLock { $0.bumpMinor() }
            case .existing: break
            }
            var writer = BinaryWriter(capacity: 8)
            try request.encodeResponse(identity, into: &writer, context: context)
            return .success(writer.bytes)
        case .setIteratorStart:
            let request = try SetIteratorStartRequest.decodeBody(from: &reader, context: context)
            guard let values = core.structures.withLock({ store in setRecord(store, request.identity)?.snapshot }) else {
                return setNotFound(request.identity.name)
            }
            return session.state.withLock { state -> OpResult in
                var page = IgniteSetPage(values: Array(values.prefix(Int(max(request.pageSize, 0)))), hasMore: false)
                if page.values.count < values.count {
                    page.hasMore = true
                    page.resourceId = state.nextCursorId
                    state.extraResources[state.nextCursorId] = .setIterator(values: values, position: page.values.count)
                    state.nextCursorId += 1
                }
                return encode(page, with: request)
            }
        case .setIteratorGetPage:
            let request = try SetIteratorGetPageRequest.decodeBody(from: &reader, context: context)
            return session.state.withLock { state -> OpResult in
                guard case .setIterator(let values, let position) = state.extraResources[request.resourceId] else {
                    return .failure(ServerStatus.resourceDoesNotExist, ServerMessages.resourceNotFound(request.resourceId))
                }
                let end = min(values.count, position + Int(max(request.pageSize, 0)))
                let page = IgniteSetPage(values: Array(values[position..<end]), hasMore: end < values.count)
                if page.hasMore {
                    state.extraResources[request.resourceId] = .setIterator(values: values, position: end)
                } else {
                    state.extraResources.removeValue(forKey: request.resourceId)   // released after the last page
                }
                return encode(page, with: request)
            }
        default:
            let request = try IgniteSetRequest.decodeBody(opCode: op, from: &reader)
            // Routing: a colocated set's requests belong to the owner of its name hash; a value request of another
            // set to the owner of its value (multi-value requests are mapped by the server, so not counted).
            switch request.operation {
            case _ where request.identity.colocated:
                countStructureRequest(cacheId: request.identity.cacheId, key: .int(JavaHash.cacheId(request.identity.name)))
            case .add(let value), .remove(let value), .contains(let value):
                if let decoded = try? value.decoded() { countStructureRequest(cacheId: request.identity.cacheId, key: ServerValues.canonical(decoded)) }
            default:
                break
            }
            return try core.structures.withLock { store -> OpResult in
                if case .exists = request.operation { return .bool(setRecord(store, request.identity) != nil) }
                guard let key = setKey(store, request.identity), var record = store.sets[key] else {
                    if case .close = request.operation { return .empty }   // closing a missing set does nothing
                    return setNotFound(request.identity.name)
                }
                func decoded(_ values: [EncodedValue]) throws -> [IgniteValue] { try values.map { ServerValues.canonical(try $0.decoded()) } }
                let result: OpResult
                switch request.operation {
                case .close:
                    store.sets.removeValue(forKey: key)
                    return .empty
                case .clear:
                    record.values.removeAll()
                    record.order.removeAll()
                    result = .empty
                case .size:
                    result = .body { $0.writeInt32(Int32(record.values.count)) }
                case .add(let value):
                    result = .bool(record.insert(try decoded([value])[0]))
                case .remove(let value):
                    result = .bool(record.remove(try decoded([value])[0]))
                case .contains(let value):
                    result = .bool(record.contains(try decoded([value])[0]))
                case .addAll(let values):
                    var changed = false
                    for value in try decoded(values) where record.insert(value) { changed = true }
                    result = .bool(changed)
                case .removeAll(let values):
                    var changed = false
                    for value in try decoded(values) where record.remove(value) { changed = true }
                    result = .bool(changed)
                case .containsAll(let values):
                    result = .bool(try decoded(values).allSatisfy(record.contains))
                case .retainAll(let values):
                    let keep = Set(try decoded(values).map(ServerValues.keyIdentity))
                    let before = record.values.count
                    for key in record.order where !keep.contains(key) { record.values.removeValue(forKey: key) }
                    record.order.removeAll { record.values[$0] == nil }
                    result = .bool(record.values.count != before)
                case .exists:
                    result = .bool(true)
                }
                store.sets[key] = record
                return result
            }
        }
    }

    /// What starting a data structure's cache came to.
    enum StructureCacheStart {
        /// The cache existed (or nothing was to start).
        case existing
        /// The cache was started: a topology change (a minor version), which the caller makes with
        /// ``ClusterData/bumpMinor()`` after releasing the structures' lock.
        case started
        /// The cache does not fit its group: the server's message (status 1).
        case refused(String)
    }

    /// Answers an atomic's creation after ``noteAtomicsCache(_:_:)``.
    private func finish(_ start: StructureCacheStart) -> OpResult {
        switch start {
        case .refused(let message): return .failure(ServerStatus.failed, message)
        case .started: core.data.withLock { $0.bumpMinor() }
        case .existing: break
        }
        return .empty
    }

    /// Creates the atomics cache of a configuration's group if it does not exist yet. All atomics of a group share
    /// one cache, `ignite-sys-atomic-cache@<group>`: the first configuration decides, later ones are not compared.
    func noteAtomicsCache(_ store: inout DataStructureStore, _ configuration: AtomicConfiguration) -> StructureCacheStart {
        let cacheId = AtomicLongIdentity.atomicsCacheId(groupName: configuration.groupName)
        guard store.structureCaches[cacheId] == nil else { return .existing }
        let group = configuration.groupName ?? DataStructureStore.defaultGroup
        let name = "ignite-sys-atomic-cache@" + group
        if let refusal = Self.groupRefusal(&store, group: group, cacheName: name, cacheMode: configuration.cacheMode,
                                           backups: configuration.backups) {
            return .refused(refusal)
        }
        var requested = CacheConfiguration(name: name)
        requested.cacheMode = configuration.cacheMode
        requested.backups = configuration.backups
        store.structureCaches[cacheId] = CacheConfigurationRecord(requested: requested, isGridGain: self.configuration.isGridGain,
                                                              partitions: self.configuration.partitions)
        return .started
    }

    /// Checks a data structure cache that starts in a cache group against the group's first cache, as
    /// `ClusterCachesInfo.validateCacheGroupConfiguration` does (the checks a structure's configuration can fail:
    /// cache mode, then backups when the group is PARTITIONED), with `GridCacheUtils.validateCacheGroupsAttributesMismatch`'s
    /// message. Atomics default to 1 backup and collections to 0, both in `default-ds-group`: a set with the defaults
    /// after an atomic with the defaults fails so on a real GridGain 8.10 cluster. A cache that fits is noted as the
    /// group's first when the group is new.
    /// - Returns: The refusal message, or `nil`.
    static func groupRefusal(_ store: inout DataStructureStore, group: String, cacheName: String, cacheMode: CacheMode,
                             backups: Int32) -> String? {
        guard let existing = store.groups[group] else {
            store.groups[group] = DataStructureStore.StructureGroupFirst(cacheName: cacheName, cacheMode: cacheMode, backups: backups)
            return nil
        }
        func mismatch(_ message: String, _ attribute: String, _ existingValue: String, _ startingValue: String) -> String {
            "\(message) mismatch for caches related to the same group [groupName=\(group), existingCache=\(existing.cacheName), "
                + "existing\(attribute)=\(existingValue), startingCache=\(cacheName), starting\(attribute)=\(startingValue)]"
        }
        if existing.cacheMode != cacheMode {
            return mismatch("Cache mode", "CacheMode", "\(existing.cacheMode)", "\(cacheMode)")
        }
        if existing.cacheMode == .partitioned, existing.backups != backups {
            return mismatch("Backups", "Backups", "\(existing.backups)", "\(backups)")
        }
        return nil
    }

    /// Counts a request on an atomic (long or sequence), and whether this node is not the primary of its key in the
    /// atomics cache (``IgniteTestNode/misroutedDataStructureRequests``). Requests for a group without an atomics
    /// cache yet (nothing created) are not counted.
    func countAtomicRequest(_ identity: AtomicLongIdentity) {
        countStructureRequest(cacheId: identity.atomicsCacheId, key: .string(identity.name))
    }

    /// Counts a request on a data structure whose affinity key is `key` in the structure cache `cacheId`.
    func countStructureRequest(cacheId: Int32, key: IgniteValue) {
        guard let cache = core.structures.withLock({ $0.structureCaches[cacheId] }), cache.isPartitioned else { return }
        let primary = core.data.withLock { data -> UUID? in
            data.primary(partition: data.partition(of: key, in: cache), cache: cache)?.nodeId
        }
        node.countDataStructureRequest(misrouted: primary != node.nodeId)
    }

    /// The set with this identity: the name, the cache id and the colocation must all match
    /// (`ClientIgniteSetRequest.igniteSet` looks the set up by all three).
    private func setRecord(_ store: DataStructureStore, _ identity: IgniteSetIdentity) -> SetRecord? {
        setKey(store, identity).flatMap { store.sets[$0] }
    }

    /// The key (group and name) of the set an identity names: its name in the group of its cache.
    private func setKey(_ store: DataStructureStore, _ identity: IgniteSetIdentity) -> String? {
        store.sets.first { key, record in
            key.hasSuffix("\u{0}" + identity.name) && record.cacheId == identity.cacheId && record.colocated == identity.colocated
        }?.key
    }

    /// `ClientIgniteSetRequest.notFoundResponse`: status 1011.
    private func setNotFound(_ name: String) -> OpResult {
        .failure(ServerStatus.resourceDoesNotExist, "IgniteSet with name '\(name)' does not exist.")
    }

    private func encode<R: IgniteServerCodableRequest>(_ page: IgniteSetPage, with request: R) -> OpResult where R.Response == IgniteSetPage {
        var writer = BinaryWriter(capacity: 64)
        do {
            try request.encodeResponse(page, into: &writer, context: context)
        } catch {
            return .failure(ServerStatus.failed, "\(error)")
        }
        return .success(writer.bytes)
    }

    /// Releases a set iterator or cancels a compute task (OP_RESOURCE_CLOSE).
    /// - Returns: Whether the id named such a resource.
    func releaseExtraResource(_ id: Int64) -> Bool {
        guard let resource = session.state.withLock({ $0.extraResources.removeValue(forKey: id) }) else { return false }
        if case .computeTask(let task) = resource { task.cancel() }
        return true
    }
}
