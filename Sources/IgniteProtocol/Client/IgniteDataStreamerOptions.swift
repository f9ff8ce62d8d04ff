import Foundation

/// The settings of a data streamer (both products), as the .NET thin client's `DataStreamerClientOptions`.
public struct IgniteDataStreamerOptions: Sendable, Hashable {
    /// Entries buffered per node before a batch is sent (default 512, as .NET's `DefaultPerNodeBufferSize`).
    public var perNodeBufferSize: Int
    /// Batches in flight per node; adding to a node that has this many waits for one to finish (default 4).
    public var perNodeParallelOperations: Int
    /// Overwrite existing entries and apply removals (default `false`: a key that exists keeps its value and a
    /// streamed removal changes nothing, as with Ignite's streamer, whose isolated updater only sets absent entries).
    public var allowOverwrite: Bool
    /// Do not write through to the cache store.
    public var skipStore: Bool
    /// Keep values binary on the server (only matters for server-side receivers).
    public var keepBinary: Bool

    /// Creates the settings.
    public init(perNodeBufferSize: Int = 512, perNodeParallelOperations: Int = 4, allowOverwrite: Bool = false,
                skipStore: Bool = false, keepBinary: Bool = false) {
        self.perNodeBufferSize = perNodeBufferSize
        self.perNodeParallelOperations = perNodeParallelOperations
        self.allowOverwrite = allowOverwrite
        self.skipStore = skipStore
        self.keepBinary = keepBinary
    }

    /// Checks the sizes.
    /// - Throws: ``IgniteError/Code/parameter`` for a buffer size or parallelism below 1 or above `Int32.max`.
    package func validated() throws -> IgniteDataStreamerOptions {
        guard perNodeBufferSize > 0, perNodeBufferSize <= Int(Int32.max) else {
            throw IgniteError.parameter("perNodeBufferSize must be in 1...\(Int32.max), got \(perNodeBufferSize)")
        }
        guard perNodeParallelOperations > 0 else {
            throw IgniteError.parameter("perNodeParallelOperations must be ≥ 1, got \(perNodeParallelOperations)")
        }
        return self
    }

    /// The flags of every batch: the options plus CLOSE (each batch is a one-off server streamer, as in .NET).
    package var batchFlags: DataStreamerFlags {
        var flags: DataStreamerFlags = [.close]
        if allowOverwrite { flags.insert(.allowOverwrite) }
        if skipStore { flags.insert(.skipStore) }
        if keepBinary { flags.insert(.keepBinary) }
        return flags
    }
}

/// A batch the server did not accept: its entries (none is dropped silently) and why.
public struct IgniteDataStreamerFailure: Sendable, CustomStringConvertible {
    /// The node the batch was sent to, if it was routed.
    public var nodeId: UUID?
    /// The entries of the batch, to add again or inspect.
    public var entries: [DataStreamerEntry]
    /// The error.
    public var error: IgniteError

    /// Creates the value.
    package init(nodeId: UUID?, entries: [DataStreamerEntry], error: IgniteError) {
        self.nodeId = nodeId
        self.entries = entries
        self.error = error
    }

    /// `n entries: error`.
    public var description: String { "\(entries.count) entries: \(error)" }
}

/// The per-node buffers of a data streamer, shared by both products' streamers (no I/O, no locks): entries go into
/// their primary node's buffer (`nil`: unknown owner, any node); a full buffer becomes a batch to send.
package struct DataStreamerBuffers: Sendable {
    /// One batch to send.
    package struct Batch: Sendable {
        /// The target node (`nil`: any).
        package var node: UUID?
        /// The entries.
        package var entries: [DataStreamerEntry]
    }

    private var buffers: [UUID?: [DataStreamerEntry]] = [:]
    private let size: Int

    /// Creates empty buffers.
    /// - Parameter size: Entries per batch.
    package init(size: Int) { self.size = max(1, size) }

    /// Adds an entry.
    /// - Parameters:
    ///   - entry: The entry.
    ///   - node: Its primary node, if known.
    /// - Returns: A full batch to send, if the buffer filled up.
    package mutating func add(_ entry: DataStreamerEntry, node: UUID?) -> Batch? {
        buffers[node, default: []].append(entry)
        guard let count = buffers[node]?.count, count >= size else { return nil }
        let entries = buffers.removeValue(forKey: node) ?? []
        return Batch(node: node, entries: entries)
    }

    /// Takes every non-empty buffer as a batch (flush, close).
    package mutating func drain() -> [Batch] {
        let batches = buffers.compactMap { node, entries in entries.isEmpty ? nil : Batch(node: node, entries: entries) }
        buffers.removeAll()
        return batches
    }

    /// Entries buffered and not yet sent.
    package var pending: Int { buffers.values.reduce(0) { $0 + $1.count } }
}
