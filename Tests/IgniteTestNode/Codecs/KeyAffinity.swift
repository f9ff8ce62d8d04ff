import IgniteProtocol

// Interim: Java `hashCode()` of key values and the Rendezvous partition function. To be replaced by
// IgniteBinary's `IgniteValue.javaHashCode` / `JavaHash.keyHashCode` and IgniteProtocol's
// `RendezvousAffinity.partition(hash:partitions:)` once they are in main.

/// What the server computes to place a key: Java `hashCode()` of the (affinity) key and its partition.
enum KeyAffinity {
    /// The Java `hashCode()` of a deserialized key (PROTOCOL-FACTS §8.4).
    static func javaHashCode(_ value: IgniteValue) -> Int32 {
        switch value {
        case .null: return 0
        case .byte(let v): return Int32(v)
        case .short(let v): return Int32(v)
        case .int(let v): return v
        case .long(let v): return longHash(v)
        case .float(let v): return Int32(bitPattern: v.isNaN ? 0x7fc0_0000 : v.bitPattern)
        case .double(let v): return longHash(Int64(bitPattern: v.isNaN ? 0x7ff8_0000_0000_0000 : v.bitPattern))
        case .char(let c): return Int32(c.codeUnit)
        case .bool(let b): return b ? 1231 : 1237
        case .string(let s): return JavaHash.string(s)
        case .uuid(let u):
            let (msb, lsb) = u.igniteBits
            let hilo = msb ^ lsb
            return Int32(truncatingIfNeeded: hilo >> 32) ^ Int32(truncatingIfNeeded: hilo)
        case .date(let d): return timeHash(d.millisecondsSinceEpoch)
        case .timestamp(let t): return timeHash(t.millisecondsSinceEpoch)
        case .time(let t): return timeHash(t.milliseconds)
        case .decimal(let d): return decimalHash(d)
        case .enumValue(let e), .binaryEnum(let e): return 31 &* e.typeId &+ e.ordinal
        case .object(let o): return o.hashCode
        default: return 0
        }
    }

    /// The Rendezvous partition of a hash: masked for a power of two, else `|h % parts|`.
    static func partition(hash: Int32, partitions: Int) -> Int {
        guard partitions > 0 else { return 0 }
        if partitions & (partitions - 1) == 0 {
            let h = UInt32(bitPattern: hash)
            return Int((h ^ (h >> 16)) & UInt32(partitions - 1))
        }
        let remainder = Int(hash) % partitions
        return abs(remainder)
    }

    private static func longHash(_ v: Int64) -> Int32 {
        Int32(truncatingIfNeeded: v ^ Int64(bitPattern: UInt64(bitPattern: v) >> 32))
    }

    private static func timeHash(_ ms: Int64) -> Int32 {
        Int32(truncatingIfNeeded: ms) ^ Int32(truncatingIfNeeded: ms >> 32)
    }

    private static func decimalHash(_ d: IgniteDecimal) -> Int32 {
        if let unscaled = d.unscaledInt64, unscaled != .min {
            let v = unscaled < 0 ? -unscaled : unscaled
            let high = Int32(truncatingIfNeeded: Int64(bitPattern: UInt64(bitPattern: v) >> 32))
            let t = Int32(truncatingIfNeeded: Int64(high &* 31) &+ (v & 0xffff_ffff))
            return 31 &* (unscaled < 0 ? 0 &- t : t) &+ d.scale
        }
        // BigInteger.hashCode over 32-bit words of the magnitude, most significant first, times the sign.
        var words: [UInt32] = []
        var bytes = d.magnitude
        let padding = (4 - bytes.count % 4) % 4
        bytes.insert(contentsOf: repeatElement(0, count: padding), at: 0)
        var index = 0
        while index < bytes.count {
            words.append(UInt32(bytes[index]) << 24 | UInt32(bytes[index + 1]) << 16 | UInt32(bytes[index + 2]) << 8 | UInt32(bytes[index + 3]))
            index += 4
        }
        var h: Int32 = 0
        for word in words { h = 31 &* h &+ Int32(bitPattern: word) }
        if d.isNegative { h = 0 &- h }
        return 31 &* h &+ d.scale
    }
}
