/// An arbitrary-precision decimal, exactly as Java's `BigDecimal` (type code 30):
/// an unscaled integer of any size and a scale, `value = unscaled × 10^(-scale)`.
///
/// Unlike pyignite, which rounds past 28 digits, `IgniteDecimal` is exact at any number of digits.
/// Two decimals are equal when their unscaled values and scales are equal (`1.0` ≠ `1.00`), as in Java's `equals`;
/// ordering (`<`) compares numeric values, so `1.0` and `1.00` are neither less nor greater than each other.
///
/// Conversions: ``init(string:)`` and ``description`` (exact text), `init(_: Decimal)` and ``foundationDecimal()``
/// (Foundation's 38-digit `Decimal`), `init(unscaled: String, scale:)` and ``unscaledDigits`` (unscaled digits).
public struct IgniteDecimal: Hashable, Sendable {
    /// The magnitude of the unscaled value, big-endian, without leading zero bytes (empty for zero).
    public private(set) var magnitude: [UInt8]
    /// Whether the value is negative. Always `false` for zero.
    public private(set) var isNegative: Bool
    /// The scale: the number of digits after the decimal point (may be negative).
    public var scale: Int32

    /// Creates a decimal from the big-endian magnitude of its unscaled value, a sign and a scale.
    /// - Parameters:
    ///   - magnitude: Big-endian magnitude bytes; leading zeros are removed.
    ///   - isNegative: The sign; ignored for a zero magnitude.
    ///   - scale: Digits after the decimal point.
    public init(magnitude: [UInt8], isNegative: Bool, scale: Int32) {
        let firstNonZero = magnitude.firstIndex { $0 != 0 } ?? magnitude.endIndex
        self.magnitude = Array(magnitude[firstNonZero...])
        self.isNegative = isNegative && firstNonZero != magnitude.endIndex
        self.scale = scale
    }

    /// Creates a decimal from a 64-bit unscaled value and a scale.
    /// - Parameters:
    ///   - unscaled: The unscaled value.
    ///   - scale: Digits after the decimal point (may be negative).
    public init(unscaled: Int64, scale: Int32) {
        var bytes: [UInt8] = []
        var rest = unscaled.magnitude
        while rest != 0 {
            bytes.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
        self.init(magnitude: bytes.reversed(), isNegative: unscaled < 0, scale: scale)
    }

    /// Creates a decimal with scale 0 from an integer.
    /// - Parameter value: The value, which is also the unscaled value.
    public init(_ value: Int64) {
        self.init(unscaled: value, scale: 0)
    }

    /// Creates a decimal with scale 0 from an integer (also what an integer literal such as `IgniteDecimal(5)` picks).
    /// - Parameter value: The value, which is also the unscaled value.
    public init(_ value: Int) {
        self.init(unscaled: Int64(value), scale: 0)
    }

    /// Creates a decimal from a magnitude, a sign and a scale.
    init(magnitude: DecimalMagnitude, isNegative: Bool, scale: Int32) {
        self.init(magnitude: magnitude.bigEndianBytes, isNegative: isNegative, scale: scale)
    }

    /// The magnitude of the unscaled value as words, for arithmetic.
    var magnitudeValue: DecimalMagnitude { DecimalMagnitude(bigEndianBytes: magnitude) }

    /// Zero with scale 0.
    public static let zero = IgniteDecimal(magnitude: [], isNegative: false, scale: 0)

    /// Whether the value is zero.
    public var isZero: Bool { magnitude.isEmpty }

    /// The unscaled value if it fits in an `Int64`.
    public var unscaledInt64: Int64? {
        guard magnitude.count <= 8 else { return nil }
        var value: UInt64 = 0
        for byte in magnitude { value = value << 8 | UInt64(byte) }
        if isNegative {
            if value == UInt64(Int64.max) + 1 { return .min }
            return value <= UInt64(Int64.max) ? -Int64(value) : nil
        }
        return value <= UInt64(Int64.max) ? Int64(value) : nil
    }

    /// The payload bytes as Java writes them after the scale: `BigInteger.toByteArray()` of the magnitude
    /// (with room for a sign bit), and the top bit set for a negative value.
    public var javaMagnitudeBytes: [UInt8] {
        var bytes = magnitude
        if bytes.isEmpty || bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        if isNegative { bytes[0] |= 0x80 }
        return bytes
    }

    /// Decodes the Java payload bytes (sign bit in the top bit of the first byte).
    public init(javaMagnitudeBytes bytes: [UInt8], scale: Int32) {
        guard let first = bytes.first else {
            self.init(magnitude: [], isNegative: false, scale: scale)
            return
        }
        var copy = bytes
        let negative = first & 0x80 != 0
        copy[0] = first & 0x7F
        self.init(magnitude: copy, isNegative: negative, scale: scale)
    }
}
