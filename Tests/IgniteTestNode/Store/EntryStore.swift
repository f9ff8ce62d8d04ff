import IgniteProtocol

/// Reading and writing entries with expiry (create/update/access semantics) and transaction overlays.
extension ClusterData {
    /// The live value of a key, seen through a transaction's buffered writes.
    mutating func lookup(_ cacheId: Int32, _ keyId: [UInt8], transaction: TransactionState?, now: UInt64) -> IgniteValue? {
        if let transaction, let write = transaction.writes[cacheId]?[keyId] { return write.value }
        guard let entry = caches[cacheId]?.entries[keyId] else { return nil }
        guard entry.isLive(at: now) else {
            caches[cacheId]?.entries[keyId] = nil
            caches[cacheId]?.noteWrite(keyId)
            return nil
        }
        return entry.value
    }

    /// Writes (or, with `nil`, removes) a key: buffered in the transaction if there is one, else applied.
    mutating func store(_ cacheId: Int32, key: IgniteValue, keyId: [UInt8], value: IgniteValue?, policy: ExpiryPolicy?,
                        transaction: inout TransactionState?, now: UInt64) {
        if transaction != nil {
            // In place: copying the transaction out would copy its write set on every write.
            transaction?.writes[cacheId, default: [:]][keyId] = TransactionWrite(key: key, value: value, policy: policy)
        } else {
            apply(cacheId, key: key, keyId: keyId, value: value, policy: policy, now: now)
        }
    }

    /// Applies a write to the committed data.
    ///
    /// Expiry: a new entry takes the policy's *create* duration (0: never visible; −1/−2: eternal), an existing one
    /// its *update* duration (0: removed; −1: eternal; −2: unchanged).
    mutating func apply(_ cacheId: Int32, key: IgniteValue, keyId: [UInt8], value: IgniteValue?, policy: ExpiryPolicy?, now: UInt64) {
        // Take the cache out of the dictionary so that its entries are uniquely referenced and mutate in place;
        // a copy here would duplicate every entry on every write.
        guard var cache = caches.removeValue(forKey: cacheId) else { return }
        defer { caches[cacheId] = cache }
        cache.noteWrite(keyId)
        guard let value else {
            cache.entries[keyId] = nil
            return
        }
        if var existing = cache.entries[keyId], existing.isLive(at: now) {
            let update = policy?.update.milliseconds ?? -2
            switch update {
            case 0:
                cache.entries[keyId] = nil
                return
            case -1: existing.expiresAt = nil
            case ..<0: break
            default:
                existing.expiresAt = MonotonicClock.deadline(afterMilliseconds: update)
                cache.hasDeadlines = true
            }
            existing.value = value
            cache.entries[keyId] = existing
            return
        }
        let create = policy?.create.milliseconds ?? -2
        if create == 0 {
            cache.entries[keyId] = nil
            return
        }
        let partition = self.partition(of: key, in: cache.configuration)
        if create > 0 { cache.hasDeadlines = true }
        cache.entries[keyId] = StoredEntry(key: key, value: value, expiresAt: create > 0 ? MonotonicClock.deadline(afterMilliseconds: create) : nil,
                                           partition: partition, sequence: nextSequence())
    }

    /// Applies the policy's *access* duration after a read (0: removed; −1: eternal; −2: unchanged).
    mutating func touch(_ cacheId: Int32, _ keyId: [UInt8], policy: ExpiryPolicy?, now: UInt64) {
        guard let access = policy?.access.milliseconds, access != -2, var entry = caches[cacheId]?.entries[keyId], entry.isLive(at: now) else { return }
        switch access {
        case 0:
            caches[cacheId]?.entries[keyId] = nil
            caches[cacheId]?.noteWrite(keyId)
        case -1:
            entry.expiresAt = nil
            caches[cacheId]?.entries[keyId] = entry
        case ..<0: break
        default:
            entry.expiresAt = MonotonicClock.deadline(afterMilliseconds: access)
            caches[cacheId]?.entries[keyId] = entry
            caches[cacheId]?.hasDeadlines = true
        }
    }

    /// Removes the expired entries of a cache. Free when no entry of the cache has ever had a deadline since the last
    /// purge (the common case), one pass over the entries otherwise.
    mutating func purgeExpired(_ cacheId: Int32, now: UInt64) {
        guard caches[cacheId]?.hasDeadlines == true, var cache = caches.removeValue(forKey: cacheId) else { return }
        defer { caches[cacheId] = cache }
        var stillExpiring = false
        var expired: [[UInt8]] = []
        cache.entries = cache.entries.filter { keyId, entry in
            guard let deadline = entry.expiresAt else { return true }
            guard deadline > now else {
                expired.append(keyId)
                return false
            }
            stillExpiring = true
            return true
        }
        cache.hasDeadlines = stillExpiring
        for keyId in expired { cache.noteWrite(keyId) }
    }

    /// The number of live entries of a cache.
    mutating func liveCount(_ cacheId: Int32, now: UInt64) -> Int {
        purgeExpired(cacheId, now: now)
        return caches[cacheId]?.entries.count ?? 0
    }

    /// Removes expired entries of a cache and returns the live ones, ordered by partition and insertion (the order a
    /// scan walks them: partition by partition).
    mutating func liveEntries(_ cacheId: Int32, now: UInt64) -> [StoredEntry] {
        purgeExpired(cacheId, now: now)
        guard let cache = caches[cacheId] else { return [] }
        return cache.entries.values.sorted { ($0.partition, $0.sequence) < ($1.partition, $1.sequence) }
    }

    /// Commits a transaction's buffered writes.
    mutating func commit(_ transaction: TransactionState, now: UInt64) {
        for (cacheId, writes) in transaction.writes {
            for (keyId, write) in writes {
                apply(cacheId, key: write.key, keyId: keyId, value: write.value, policy: write.policy, now: now)
            }
        }
    }
}
