import Dispatch
import Foundation
import IgniteProtocol

/// Bulk loading into one cache, as the .NET thin client's `DataStreamerClient` does it: entries are buffered per
/// primary node (from the partition map), a full buffer is sent to its node as one batch (OP_DATA_STREAMER_START
/// with CLOSE: a one-off server streamer), and several batches per node are in flight at once.
///
/// ```swift
/// let streamer = try cache.dataStreamer(IgniteDataStreamerOptions(perNodeBufferSize: 1024))
/// for i in 0..<1_000_000 { try streamer.add(Int32(i), payload) }
/// try streamer.close()   // sends what is buffered, waits, and throws if any batch failed
/// ```
///
/// * ``add(_:_:)`` returns once the entry is buffered; it waits only when its node already has
///   ``IgniteDataStreamerOptions/perNodeParallelOperations`` batches in flight (back-pressure).
/// * A batch that fails is kept, entries and error, in ``failures``; ``flush()`` and ``close()`` throw when any
///   batch failed since the last flush. Nothing is dropped silently.
/// * Without ``IgniteDataStreamerOptions/allowOverwrite`` a key that exists keeps its value and ``remove(_:)``
///   changes nothing (Ignite's isolated updater only sets entries that have no value); with it, values overwrite
///   and removals apply.
/// * Thread-safe: several threads may add to one streamer.
public final class IgniteDataStreamer: @unchecked Sendable {
    /// The cache streamed into.
    public let cache: IgniteCache
    /// The settings.
    public let options: IgniteDataStreamerOptions

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var buffers: DataStreamerBuffers
    private var inFlight: [UUID?: Int] = [:]
    private var failed: [IgniteDataStreamerFailure] = []
    private var reported = 0
    private var closed = false
    private var sent = 0

    private let queue = DispatchQueue(label: "ignite-sync.streamer", attributes: .concurrent)

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
    public func add<K: IgniteBinaryEncodable, V: IgniteBinaryEncodable>(_ key: K, _ value: V) throws {
        try add(cache.encode(key), value: cache.encode(value))
    }

    /// Removes a key (a streamed entry without a value) — only with ``IgniteDataStreamerOptions/allowOverwrite``:
    /// without it the server ignores the removal of an existing key (`DataStreamerImpl.IsolatedUpdater` only sets
    /// entries that have no value), as Ignite's own streamer does.
    /// - Throws: ``IgniteError/Code/illegalState`` after ``close()``; an encoding error.
    public func remove<K: IgniteBinaryEncodable>(_ key: K) throws {
        try add(cache.encode(key), value: nil)
    }

    /// Adds pre-encoded entries (for example the ``IgniteDataStreamerFailure/entries`` of a failed batch).
    /// - Throws: ``IgniteError/Code/illegalState`` after ``close()``.
    public func add(_ entries: [DataStreamerEntry]) throws {
        for entry in entries { try add(entry.key, value: entry.value) }
    }

    private func add(_ key: EncodedValue, value: EncodedValue?) throws {
        let node = try cache.client.route(cacheId: cache.cacheId, expiryPolicy: nil, transaction: nil, key: key).node
        condition.lock()
        defer { condition.unlock() }
        guard !closed else { throw IgniteError(.illegalState, "the data streamer is closed") }
        if let batch = buffers.add(DataStreamerEntry(key: key, value: value), node: node) { submitLocked(batch) }
    }

    /// Sends every buffered entry and waits until every batch has answered.
    /// - Throws: The first error of the batches that failed since the last flush (all of them are in ``failures``).
    public func flush() throws {
        condition.lock()
        for batch in buffers.drain() { submitLocked(batch) }
        while inFlight.values.contains(where: { $0 > 0 }) { condition.wait() }
        let new = Array(failed[reported...])
        reported = failed.count
        condition.unlock()
        if let first = new.first {
            let count = new.reduce(0) { $0 + $1.entries.count }
            throw IgniteError(first.error.code, "\(new.count) data streamer batch(es) with \(count) entries failed; the first: \(first.error.message)",
                              serverStatus: first.error.serverStatus, underlying: first.error)
        }
    }

    /// Flushes and closes the streamer; later adds fail. Idempotent.
    /// - Throws: As ``flush()``.
    public func close() throws {
        condition.withLock { closed = true }
        try flush()
    }

    /// Every batch that failed, oldest first.
    public var failures: [IgniteDataStreamerFailure] { condition.withLock { failed } }

    /// Entries sent in batches that the server accepted.
    public var entriesSent: Int { condition.withLock { sent } }

    /// Entries buffered and not yet sent.
    public var entriesBuffered: Int { condition.withLock { buffers.pending } }

    /// Sends a batch once its node has a free slot; called with `condition` locked.
    private func submitLocked(_ batch: DataStreamerBuffers.Batch) {
        while inFlight[batch.node, default: 0] >= options.perNodeParallelOperations { condition.wait() }
        inFlight[batch.node, default: 0] += 1
        let request = DataStreamerStartRequest(cacheId: cache.cacheId, flags: options.batchFlags, entries: batch.entries)
        let client = cache.client
        queue.async { [self] in
            var failure: IgniteError?
            do {
                _ = try client.execute(request, target: batch.node.map { .node($0) } ?? .any)
            } catch let error as IgniteError {
                failure = error
            } catch {
                failure = IgniteError(.server, "data streamer batch failed", underlying: error)
            }
            condition.withLock {
                inFlight[batch.node, default: 1] -= 1
                if let failure {
                    failed.append(IgniteDataStreamerFailure(nodeId: batch.node, entries: batch.entries, error: failure))
                } else {
                    sent += batch.entries.count
                }
                condition.broadcast()
            }
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

    /// Streams entries and closes the streamer (errors of any batch are thrown at the end).
    /// - Parameters:
    ///   - options: The streamer settings.
    ///   - body: Adds entries to the streamer.
    /// - Throws: The first failure of `body` or of a batch.
    public func withDataStreamer<T>(_ options: IgniteDataStreamerOptions = IgniteDataStreamerOptions(),
                                    _ body: (IgniteDataStreamer) throws -> T) throws -> T {
        let streamer = try dataStreamer(options)
        let result: T
        do {
            result = try body(streamer)
        } catch {
            try? streamer.close()
            throw error
        }
        try streamer.close()
        return result
    }
}
