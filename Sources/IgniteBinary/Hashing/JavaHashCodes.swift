import Foundation

/// Java's `hashCode()` of every type that can be a cache key (PROTOCOL-FACTS §8.4): what the server computes
/// after deserializing a key, and so what partition awareness must feed to the affinity function.
extension JavaHash {
    /// `Long.hashCode()`: `(int)(v ^ (v >>> 32))`.
    /// - Parameter value: The value.
    /// - Returns: The Java hash code.
    @inlinable
    public static func long(_ value: Int64) -> Int32 {
        let bits = UInt64(bitPattern: value)
        return Int32(truncatingIfNeeded: bits ^ (bits >> 32))
    }

    /// `Float.hashCode()` = `floatToIntBits`: the bit pattern, with every NaN canonicalised to `0x7fc00000`.
    /// - Parameter value: The value.
    /// - Returns: The Java hash code.
    @inlinable
    public static func float(_ value: Float) -> Int32 {
        value.isNaN ? 0x7FC0_0000 : Int32(bitPattern: value.bitPattern)
    }

    /// `Double.hashCode()`: `doubleToLongBits` (every NaN canonicalised to `0x7ff8000000000000`), then as a long.
    /// - Parameter value: The value.
    /// - Returns: The Java hash code.
    @inlinable
    public static func double(_ value: Double) -> Int32 {
        long(Int64(bitPattern: value.isNaN ? 0x7FF8_0000_0000_0000 : value.bitPattern))
    }

    /// `Boolean.hashCode()`: 1231 for true, 1237 for false.
    /// - Parameter value: The value.
    /// - Returns: The Java hash code.
    @inlinable
    public static func bool(_ value: Bool) -> Int32 { value ? 1231 : 1237 }

    /// `UUID.hashCode()`: `hilo = msb ^ lsb; (int)(hilo >> 32) ^ (int)hilo`.
    /// - Parameter value: The value.
    /// - Returns: The Java hash code.
    @inlinable
    public static func uuid(_ value: UUID) -> Int32 {
        let (msb, lsb) = value.igniteBits
        return long(msb ^ lsb)
    }

    /// `java.util.Date.hashCode()`, also used by `Timestamp` and `Time`: `(int)ms ^ (int)(ms >> 32)` of `getTime()`.
    /// - Parameter milliseconds: Milliseconds since the epoch (for a timestamp, including its millisecond part).
    /// - Returns: The Java hash code.
    @inlinable
    public static func milliseconds(_ milliseconds: Int64) -> Int32 { long(milliseconds) }

    /// `BinaryEnumObjectImpl.hashCode()`: `31 * typeId + ordinal`.
    /// - Parameters:
    ///   - typeId: The enum's type id.
    ///   - ordinal: The constant's ordinal.
    /// - Returns: The Java hash code.
    @inlinable
    public static func enumValue(typeId: Int32, ordinal: Int32) -> Int32 { 31 &* typeId &+ ordinal }

    /// `BigDecimal.hashCode()` of `new BigDecimal(unscaled, scale)` as the server builds it from the wire.
    ///
    /// An unscaled value whose magnitude is below 2^63 is "compact" in Java:
    /// `v = |U|; t = (int)((int)(v >>> 32) * 31 + (v & 0xffffffffL)); 31 * (U < 0 ? -t : t) + scale`.
    /// A larger one is a `BigInteger`: `31 * U.hashCode() + scale`, where `BigInteger.hashCode()` folds the
    /// magnitude's 32-bit words most significant first (`h = 31*h + word`) and multiplies by the signum.
    /// The hash depends on the scale: `1.5` and `1.50` hash differently, as in Java.
    /// - Parameter value: The value.
    /// - Returns: The Java hash code.
    public static func decimal(_ value: IgniteDecimal) -> Int32 {
        decimalHash(magnitude: value.magnitude[...], clearingSignBit: false, isNegative: value.isNegative, scale: value.scale)
    }

    /// The hash code of a complex object's fields as `BinaryArrayIdentityResolver` computes it (the header hash):
    /// ``bytes(_:)`` over the field data and raw data, between the header (and class name) and the footer.
    /// - Parameter fieldBytes: The bytes from the first field to the start of the footer.
    /// - Returns: The Java hash code stored at header offset 8.
    @inlinable
    public static func objectHashCode<C: Collection>(fieldBytes: C) -> Int32 where C.Element == UInt8 {
        bytes(fieldBytes)
    }
}

extension JavaHash {
    /// `BigDecimal.hashCode()` from big-endian magnitude bytes (leading zero bytes allowed), shared by
    /// ``decimal(_:)`` and the encoded-key path, which passes the wire bytes with `clearingSignBit` set.
    static func decimalHash(magnitude: ArraySlice<UInt8>, clearingSignBit: Bool, isNegative: Bool, scale: Int32) -> Int32 {
        // First pass: the number of significant bytes and, if it fits, the value as a UInt64.
        var count = 0
        var low64: UInt64 = 0
        var first = clearingSignBit
        for raw in magnitude {
            let byte = first ? raw & 0x7F : raw
            first = false
            if count == 0 && byte == 0 { continue }
            count += 1
            low64 = low64 << 8 | UInt64(byte)
        }
        if count == 0 { return scale }  // zero: 31 * 0 + scale
        let negative = isNegative
        if count <= 8, low64 < 1 << 63 {
            // Compact: Java keeps the unscaled value in a long.
            let high = Int32(truncatingIfNeeded: low64 >> 32) &* 31
            let t = Int32(truncatingIfNeeded: Int64(high) &+ Int64(low64 & 0xFFFF_FFFF))
            return 31 &* (negative ? 0 &- t : t) &+ scale
        }
        // Inflated: BigInteger.hashCode() folds 32-bit words, most significant first, then times the signum.
        var hash: Int32 = 0
        var word: UInt32 = 0
        var index = 0
        first = clearingSignBit
        var started = false
        for raw in magnitude {
            let byte = first ? raw & 0x7F : raw
            first = false
            if !started && byte == 0 { continue }
            started = true
            word = word << 8 | UInt32(byte)
            if (count - 1 - index) % 4 == 0 {
                hash = hash &* 31 &+ Int32(bitPattern: word)
                word = 0
            }
            index += 1
        }
        return 31 &* (negative ? 0 &- hash : hash) &+ scale
    }
}
