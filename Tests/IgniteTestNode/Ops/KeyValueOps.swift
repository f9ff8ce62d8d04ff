import IgniteProtocol

/// A decoded key (canonical value and identity bytes).
struct DecodedKey {
    var value: IgniteValue
    var identity: [UInt8]

    init(_ raw: IgniteValue) {
        value = ServerValues.canonical(raw)
        identity = ServerValues.keyIdentity(value)
    }
}

/// The mutable view a key-value operation works on.
struct KeyValueScope {
    var data: ClusterData
    var transaction: TransactionState?
    let cacheId: Int32
    let cache: CacheConfigurationRecord
    let policy: ExpiryPolicy?
    let now: UInt64

    mutating func get(_ key: DecodedKey) -> IgniteValue? {
        data.lookup(cacheId, key.identity, transaction: transaction, now: now)
    }

    mutating func set(_ key: DecodedKey, _ value: IgniteValue?) {
        data.store(cacheId, key: key.value, keyId: key.identity, value: value, policy: policy, transaction: &transaction, now: now)
    }

    mutating func touch(_ key: DecodedKey) {
        if transaction == nil { data.touch(cacheId, key.identity, policy: policy, now: now) }
    }
}

extension RequestHandler {
    private static let writeOps: Set<Int16> = [1001, 1002, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1013, 1014, 1015, 1016, 1017, 1018, 1019]
    private static let singleKeyOps: Set<Int16> = [1000, 1001, 1002, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1014, 1016, 1017]

    func keyValue(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        let info = try CacheInfo.read(&reader)
        let code = op.rawValue
        // Decode the whole body first: a malformed body closes the connection whatever the cache.
        var keys: [IgniteValue] = []
        var values: [IgniteValue] = []
        var modes: [Int8] = []
        switch code {
        case 1000, 1007, 1011, 1014, 1016, 1021:
            keys = [try reader.readValue()]
        case 1001, 1002, 1005, 1006, 1008, 1009, 1017:
            keys = [try reader.readValue()]
            values = [try reader.readValue()]
        case 1010:
            keys = [try reader.readValue()]
            values = [try reader.readValue(), try reader.readValue()]
        case 1003, 1012, 1015, 1018:
            let n = try reader.readCount()
            for _ in 0..<n { keys.append(try reader.readValue()) }
        case 1004:
            let n = try reader.readCount(minimumItemSize: 2)
            for _ in 0..<n {
                keys.append(try reader.readValue())
                values.append(try reader.readValue())
            }
        case 1020:
            let n = try reader.readCount()
            for _ in 0..<n { modes.append(try reader.readInt8()) }
        case 1013, 1019:
            break
        default:
            return .failure(ServerStatus.invalidOpCode, ServerMessages.invalidOpCode(code))
        }
        let decodedKeys = keys.map(DecodedKey.init)
        let decodedValues = values.map(ServerValues.canonical)
        return withCache(info, isWrite: RequestHandler.writeOps.contains(code),
                         routedKey: RequestHandler.singleKeyOps.contains(code) ? decodedKeys.first : nil) { scope in
            execute(code, info: info, keys: decodedKeys, values: decodedValues, modes: modes, scope: &scope)
        }
    }

    /// Runs `body` on a cache after the checks every cache operation makes: cluster state, cache existence,
    /// transaction (timeout, ATOMIC cache), read-only mode; counts routing for single-key requests.
    func withCache(_ info: CacheInfo, isWrite: Bool, routedKey: DecodedKey? = nil,
                   _ body: (inout KeyValueScope) -> OpResult) -> OpResult {
        let now = MonotonicClock.now()
        return session.state.withLock { connection in
            core.data.withLock { data in
                // ClientCacheRequest.rawCache: the descriptor lookup (status 1000) comes before grid().cache(name), whose
                // IgniteKernal.checkClusterState() throws the inactive text (status 1).
                // Only the configuration is copied out: a copy of the CacheRecord would share the entries' storage and
                // make the write below copy the whole dictionary (each put O(n) — visible in debug builds).
                guard let cache = data.caches[info.cacheId]?.configuration else {
                    return .failure(ServerStatus.cacheDoesNotExist, ServerMessages.cacheDoesNotExist(info.cacheId))
                }
                guard data.state != .inactive else { return .failure(ServerStatus.failed, ServerMessages.inactive) }
                // Taken out of the table (and put back on every path) so that its write set is uniquely referenced
                // and grows in place.
                var transaction = info.transactionId.flatMap { connection.transactions.removeValue(forKey: $0) }
                defer { if let tx = transaction { connection.transactions[tx.id] = tx } }
                if let tx = transaction {
                    if tx.timedOut || tx.hasTimedOut(at: now) {
                        transaction?.timedOut = true
                        transaction?.writes.removeAll()
                        return .failure(ServerStatus.failed, ServerMessages.txTimedOut(tx))
                    }
                    if !cache.isTransactional {
                        return .failure(ServerStatus.failed, ServerMessages.atomicInTx(gridGain: configuration.isGridGain))
                    }
                }
                if isWrite, data.state == .activeReadOnly {
                    return .failure(ServerStatus.failed, ServerMessages.readOnly(cache: cache.name, group: cache.groupName))
                }
                if let key = routedKey, transaction == nil, cache.isPartitioned, !key.value.isNull {
                    let partition = data.partition(of: key.value, in: cache)
                    node.countKeyRequest(misrouted: data.primary(partition: partition, cache: cache)?.nodeId != node.nodeId)
                }
                var scope = KeyValueScope(data: data, transaction: transaction.take(), cacheId: info.cacheId, cache: cache,
                                          policy: info.expiryPolicy ?? cache.expiryPolicy, now: now)
                data = ClusterData(configuration: configuration)   // release the copy so the scope owns the storage
                let result = body(&scope)
                data = scope.data
                transaction = scope.transaction
                return result
            }
        }
    }

    private func execute(_ code: Int16, info: CacheInfo, keys: [DecodedKey], values: [IgniteValue], modes: [Int8],
                         scope: inout KeyValueScope) -> OpResult {
        let keyNull = ServerMessages.argumentNull("key")
        if let first = keys.first, first.value.isNull, code != 1003, code != 1004, code != 1012, code != 1015, code != 1018 {
            return .failure(ServerStatus.failed, keyNull)
        }
        if keys.contains(where: { $0.value.isNull }) { return .failure(ServerStatus.failed, "Null key.") }
        switch code {
        case 1000:
            let value = scope.get(keys[0])
            if value != nil { scope.touch(keys[0]) }
            return .value(value)
        case 1001:
            guard !values[0].isNull else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("val")) }
            scope.set(keys[0], values[0])
            return .empty
        case 1002, 1008:
            guard !values[0].isNull else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("val")) }
            let existing = scope.get(keys[0])
            if existing == nil { scope.set(keys[0], values[0]) }
            return code == 1002 ? .bool(existing == nil) : .value(existing)
        case 1003:
            var seen = Set<[UInt8]>()
            var pairs: [(IgniteValue, IgniteValue)] = []
            for key in keys where seen.insert(key.identity).inserted {
                if let value = scope.get(key) {
                    pairs.append((key.value, value))
                    scope.touch(key)
                }
            }
            return .body { writer in
                writer.writeInt32(Int32(pairs.count))
                for (key, value) in pairs {
                    ServerValueWriter.write(key, into: &writer)
                    ServerValueWriter.write(value, into: &writer)
                }
            }
        case 1004:
            if values.contains(where: \.isNull) { return .failure(ServerStatus.failed, "Null value.") }
            for (key, value) in zip(keys, values) { scope.set(key, value) }
            return .empty
        case 1005:
            guard !values[0].isNull else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("val")) }
            let previous = scope.get(keys[0])
            scope.set(keys[0], values[0])
            return .value(previous)
        case 1006, 1009:
            guard !values[0].isNull else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("val")) }
            let previous = scope.get(keys[0])
            if previous != nil { scope.set(keys[0], values[0]) }
            return code == 1006 ? .value(previous) : .bool(previous != nil)
        case 1007:
            let previous = scope.get(keys[0])
            if previous != nil { scope.set(keys[0], nil) }
            return .value(previous)
        case 1010:
            guard !values[0].isNull else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("oldVal")) }
            guard !values[1].isNull else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("newVal")) }
            let current = scope.get(keys[0])
            let matches = current == values[0]
            if matches {
                scope.set(keys[0], values[1])
            } else if current != nil {
                scope.touch(keys[0])   // a failed equals filter applies the access duration (see 1017)
            }
            return .bool(matches)
        case 1011:
            return .bool(scope.get(keys[0]) != nil)
        case 1012:
            var all = true
            for key in keys where scope.get(key) == nil { all = false }
            return .bool(all)
        case 1013, 1019:
            for entry in scope.data.liveEntries(scope.cacheId, now: scope.now) { scope.set(DecodedKey(entry.key), nil) }
            if var tx = scope.transaction {
                for (keyId, write) in tx.writes[scope.cacheId] ?? [:] where write.value != nil {
                    tx.writes[scope.cacheId]?[keyId] = TransactionWrite(key: write.key, value: nil, policy: nil)
                }
                scope.transaction = tx
            }
            return .empty
        case 1014, 1015, 1018:
            for key in keys { scope.set(key, nil) }
            return .empty
        case 1016:
            let existed = scope.get(keys[0]) != nil
            if existed { scope.set(keys[0], nil) }
            return .bool(existed)
        case 1017:
            guard !values[0].isNull else { return .failure(ServerStatus.failed, ServerMessages.argumentNull("val")) }
            let current = scope.get(keys[0])
            let matches = current == values[0]
            if matches {
                scope.set(keys[0], nil)
            } else if current != nil {
                // AtomicCacheUpdateClosure.call: a failed filter runs initResultOnCancelUpdate(storeLoadedVal,
                // !cctx.putIfAbsentFilter(filter)), which applies expiryPlc.forAccess() to the existing entry — for the
                // equals filters of replace(k, old, new) and remove(k, v), but not for putIfAbsent's (1002/1008 leave
                // the TTL alone).
                scope.touch(keys[0])
            }
            return .bool(matches)
        case 1020:
            guard let total = size(modes: modes, scope: &scope) else {
                return .failure(ServerStatus.failed, ServerMessages.argumentNull("peekMode"))
            }
            return .body { $0.writeInt64(total) }
        case 1021:
            let key = keys[0]
            let partition = scope.data.partition(of: key.value, in: scope.cache)
            let owners = scope.data.owners(partition: partition, cache: scope.cache)
            guard owners.contains(where: { $0.nodeId == node.nodeId }) else { return .value(nil) }
            return .value(scope.data.lookup(scope.cacheId, key.identity, transaction: nil, now: scope.now))
        default:
            return .failure(ServerStatus.invalidOpCode, ServerMessages.invalidOpCode(code))
        }
    }

    /// OP_CACHE_GET_SIZE, as `GridCacheAdapter.sizeLong(CachePeekMode[])` sums `localSizeLong` over the data nodes
    /// (apache/ignite `GridCacheAdapter.java`):
    ///
    /// * `parsePeekModes(peekModes, primary = true)`: no modes → primary, heap and offheap; ALL → everything; each other
    ///   mode sets its flag; then `if (!(heap || offheap))` both are set, and `if (!(primary || backup || near))`
    ///   primary is set — so NEAR alone counts no partition copies.
    /// * near copies: there are no near caches here, so NEAR adds nothing.
    /// * with primary or backup: offheap counts the copies of those kinds; heap alone counts only entries held on heap,
    ///   which is nothing unless the cache has `onheapCacheEnabled`.
    ///
    /// The GridGain captures agree (SERVER-BEHAVIOUR §5): 3 nodes, backups 1, 10 entries → none 10, ALL 20, PRIMARY 10,
    /// BACKUP 10, PRIMARY+BACKUP 20, NEAR 0, ONHEAP 0, OFFHEAP 10.
    /// - Returns: The size, or `nil` for a mode byte that is not a `CachePeekMode` ordinal (`CachePeekMode.fromOrdinal`
    ///   gives null and `A.notNull(peekMode, "peekMode")` throws).
    private func size(modes: [Int8], scope: inout KeyValueScope) -> Int64? {
        var near = false, primary = false, backup = false, heap = false, offheap = false
        if modes.isEmpty {
            primary = true
            heap = true
            offheap = true
        }
        for mode in modes {
            switch mode {
            case 0: (near, primary, backup, heap, offheap) = (true, true, true, true, true)
            case 1: near = true
            case 2: primary = true
            case 3: backup = true
            case 4: heap = true
            case 5: offheap = true
            default: return nil
            }
        }
        if !(heap || offheap) { (heap, offheap) = (true, true) }
        if !(primary || backup || near) { primary = true }
        guard primary || backup else { return 0 }   // near only: no near caches on the test node
        guard offheap || scope.cache.configuration.onheapCacheEnabled == true else { return 0 }
        let entries = Int64(scope.data.liveCount(scope.cacheId, now: scope.now))
        let memberCount = scope.data.members.count
        let copies = scope.cache.cacheMode == 1 ? max(1, memberCount) : min(max(1, memberCount), 1 + Int(max(0, scope.cache.backups)))
        return (primary ? entries : 0) + (backup ? entries * Int64(copies - 1) : 0)
    }
}
