/// The partition function of Ignite's default `RendezvousAffinityFunction`, client side.
///
/// Java (`calculateMask` / `calculatePartition`):
/// ```
/// mask = (parts & (parts - 1)) == 0 ? parts - 1 : -1
/// if mask >= 0: part = (h ^ (h >>> 16)) & mask
/// else:         part = safeAbs(h % parts)        // truncating remainder; safeAbs(Int.min) = 0
/// ```
/// where `h` is the Java `hashCode()` of the affinity key.
package enum RendezvousAffinity {
    /// The default partition count of `RendezvousAffinityFunction`.
    public static let defaultPartitionCount = 1024

    /// The largest partition count Ignite allows (`CacheConfiguration.MAX_PARTITIONS_COUNT`).
    public static let maximumPartitionCount = 65_000

    /// The partition of a key hash.
    /// - Parameters:
    ///   - hash: The Java `hashCode()` of the affinity key.
    ///   - partitions: The number of partitions. Values below 1 give partition 0.
    /// - Returns: A partition in `0..<partitions` (0 when `partitions` < 1).
    @inlinable
    public static func partition(hash: Int32, partitions: Int) -> Int {
        guard partitions > 0 else { return 0 }
        if partitions & (partitions - 1) == 0 {
            let h = UInt32(bitPattern: hash)
            return Int((h ^ (h >> 16)) & UInt32(truncatingIfNeeded: partitions - 1))
        }
        // Java's `%` truncates toward zero, as Swift's does; on 64 bits it cannot overflow.
        let remainder = Int(hash) % partitions
        return remainder < 0 ? -remainder : remainder
    }
}
