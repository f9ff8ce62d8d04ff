import Foundation
import IgniteProtocol

/// Bulk loading into one cache, as the .NET thin client's `DataStreamerClient` does it: entries are buffered per
/// primary node (from the partition map), a full buffer is sent to its node as one batch (OP_DATA_STREAMER_START
/// with CLOSE: a one-off server streamer), and several batches per node are in flight at once, pipelined on the
/// node's connection.
///
/// ```swift
/// let streamer = try cache.dataStreamer(IgniteDataStreamerOptions(perNodeBufferSize: 1024))
/// for i in 0..<1_000_000 { try await streamer.add(Int32(i), payload) }
/// try await streamer.close()   // sends what is buffered, waits, and throws if any batch failed
/// ```
///
/// * ``add(_:_:)`` returns once the entry is buffered; it suspends only when its node already has
///   ``IgniteDataStreamerOptions/perNodeParallelOperations`` batches in flight (back-pressure).
/// * A batch that fails is kept, entries and error, in ``failures``; ``flush()`` and ``close()`` throw when any
///   batch failed since the last flush. Nothing is dropped silently.
/// * Without ``IgniteDataStreamerOptions/allowOverwrite`` a key that exists keeps its value and ``remove(_:)``
///   changes nothing (Ignite's isolated updater only sets entries that have no value); with it, values overwrite
///   and removals apply.
/// * Safe to use from several tasks.
public final class IgniteDataStreamer: @unchecked Sendable {
    /// The cache streamed into.
    public let cache: IgniteCache
    /// The settings.
    public let options: IgniteDataStreamerOptions

    private let lock = AsyncLock()
    // Guarded by `lock`.
    private var buffers: DataStreamerBuffers
    private var inFlight: [UUID?: Int] = [:]
    private var failed: [IgniteDataStreamerFailure] = []
    private var reported = 0
    private var closed = false
    private var sent = 0
    /// Woken (all) whenever a batch finishes.
    private var waiters: [CheckedContinuation<Bool, Never>] = []

    init(cache: IgniteCache, options: IgniteDataStreamerOptions) throws {
        guard cache.transaction == nil else {
            throw IgniteError(.notSupportedByCluster, "a data streamer cannot join a transaction")
        }
        self.cache = cache
        self.options = try options.validated()
        buffers = DataStreamerBuffers(size: options.perNodeBufferSize)
    }

    /// Adds (or, without ``IgniteDataStreamerOptions/allowOverwrite``, inserts) an entry.
    /// - Throws: ``IgniteError/Code/illegalState`` after ``close()``; an encoding error.
    public func add<K: IgniteBinaryEncodable, V: IgniteBinaryEncodable>(_ key: K, _ value: V) async throws {
        try await add(cache.encode(key), value: cache.encode(value))
    }

    /// Removes a key (a streamed entry without a value) — only with ``IgniteDataStreamerOptions/allowOverwrite``:
    /// without it the server ignores the removal of an existing key (`DataStreamerImpl.IsolatedUpdater` only sets
    /// entries that have no value), as Ignite's own streamer does.
    /// - Throws: ``IgniteError/Code/illegalState`` after ``close()``; an encoding error.
    public func remove<K: IgniteBinaryEncodable>(_ key: K) async throws {
        try await add(cache.encode(key), value: nil)
    }

    /// Adds pre-encoded entries (for example the ``IgniteDataStreamerFailure/entries`` of a failed batch).
    /// - Throws: ``IgniteError/Code/illegalState`` after ``close()``.
    public func add(_ entries: [DataStreamerEntry]) async throws {
        for entry in entries { try await add(entry.key, value: entry.value) }
    }

    private func add(_ key: EncodedValue, value: EncodedValue?) async throws {
        let node = try await cache.client.route(cacheId: cache.cacheId, expiryPolicy: nil, transaction: nil, key: key).node
        let batch = try lock.withLock { () throws -> DataStreamerBuffers.Batch? in
            guard !closed else { throw IgniteError(.illegalState, "the data streamer is closed") }
            return buffers.add(DataStreamerEntry(key: key, value: value), node: node)
        }
        if let batch { await submit(batch) }
    }

    /// Sends every buffered entry and waits until every batch has answered.
    /// - Throws: The first error of the batches that failed since the last flush (all of them are in ``failures``).
    public func flush() async throws {
        for batch in lock.withLock({ buffers.drain() }) { await submit(batch) }
        await waitUntil { !inFlight.values.contains { $0 > 0 } }
        let new = lock.withLock { () -> [IgniteDataStreamerFailure] in
            let new = Array(failed[reported...])
            reported = failed.count
            return new
        }
        if let first = new.first {
            let count = new.reduce(0) { $0 + $1.entries.count }
            throw IgniteError(first.error.code, "\(new.count) data streamer batch(es) with \(count) entries failed; the first: \(first.error.message)",
                              serverStatus: first.error.serverStatus, underlying: first.error)
        }
    }

    /// Flushes and closes the streamer; later adds fail. Idempotent.
    /// - Throws: As ``flush()``.
    public func close() async throws {
        lock.withLock { closed = true }
        try await flush()
    }

    /// Every batch that failed, oldest first.
    public var failures: [IgniteDataStreamerFailure] { lock.withLock { failed } }

    /// Entries sent in batches that the server accepted.
    public var entriesSent: Int { lock.withLock { sent } }

    /// Entries buffered and not yet sent.
    public var entriesBuffered: Int { lock.withLock { buffers.pending } }

    /// Sends a batch once its node has a free slot (suspending until one is).
    private func submit(_ batch: DataStreamerBuffers.Batch) async {
        let limit = options.perNodeParallelOperations
        while true {
            let acquired = lock.withLock { () -> Bool in
                guard inFlight[batch.node, default: 0] < limit else { return false }
                inFlight[batch.node, default: 0] += 1
                return true
            }
            if acquired { break }
            await waitUntil { inFlight[batch.node, default: 0] < limit }
        }
        let request = DataStreamerStartRequest(cacheId: cache.cacheId, flags: options.batchFlags, entries: batch.entries)
        let client = cache.client
        Task { [self] in
            var failure: IgniteError?
            do {
                _ = try await client.execute(request, target: .node(batch.node))
            } catch let error as IgniteError {
                failure = error
            } catch {
                failure = IgniteError(.server, "data streamer batch failed", underlying: error)
            }
            let woken = lock.withLock { () -> [CheckedContinuation<Bool, Never>] in
                inFlight[batch.node, default: 1] -= 1
                if let failure {
                    failed.append(IgniteDataStreamerFailure(nodeId: batch.node, entries: batch.entries, error: failure))
                } else {
                    sent += batch.entries.count
                }
                defer { waiters.removeAll() }
                return waiters
            }
            for waiter in woken { waiter.resume(returning: false) }
        }
    }

    /// Suspends until `predicate` (evaluated under the lock) holds; re-checked after every finished batch.
    private func waitUntil(_ predicate: () -> Bool) async {
        while true {
            let satisfied: Bool = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                lock.lock()
                if predicate() {
                    lock.unlock()
                    continuation.resume(returning: true)
                    return
                }
                waiters.append(continuation)
                lock.unlock()
            }
            if satisfied { return }
        }
    }
}

extension IgniteCache {
    /// A data streamer into this cache (OP_DATA_STREAMER_START batches, per node).
    /// - Parameter options: Buffer size, parallelism, overwrite and store flags.
    /// - Returns: The streamer; call ``IgniteDataStreamer/close()`` when done.
    /// - Throws: ``IgniteError/Code/parameter`` for bad options; ``IgniteError/Code/notSupportedByCluster`` on a
    ///   transactional handle.
    public func dataStreamer(_ options: IgniteDataStreamerOptions = IgniteDataStreamerOptions()) throws -> IgniteDataStreamer {
        try IgniteDataStreamer(cache: self, options: options)
    }
}
