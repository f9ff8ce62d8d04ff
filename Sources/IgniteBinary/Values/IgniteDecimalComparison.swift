/// Ordering of ``IgniteDecimal`` by numeric value, whatever the scales.
extension IgniteDecimal: Comparable {
    /// Whether `lhs` is numerically less than `rhs` (`1.0` and `1.00` are neither less nor greater than each other,
    /// although they are not `==`, which is Java's `equals`).
    /// - Parameters:
    ///   - lhs: A decimal.
    ///   - rhs: Another decimal.
    /// - Returns: `true` if the value of `lhs` is smaller.
    public static func < (lhs: IgniteDecimal, rhs: IgniteDecimal) -> Bool {
        lhs.compareNumerically(to: rhs) < 0
    }

    /// Whether both decimals have the same numeric value, whatever their scales (Java's `compareTo(other) == 0`).
    /// - Parameter other: Another decimal.
    /// - Returns: `true` for `1.0` and `1.00`.
    public func isNumericallyEqual(to other: IgniteDecimal) -> Bool {
        compareNumerically(to: other) == 0
    }

    /// The sign of the value: −1, 0 or 1.
    public var signum: Int { isZero ? 0 : (isNegative ? -1 : 1) }

    /// Three-way numeric comparison: negative, zero or positive.
    ///
    /// Decimals whose leading digits are far apart are ordered by the estimated position of their leading digit;
    /// only when those positions are close is one unscaled value multiplied by a power of ten, so the cost stays
    /// proportional to the sizes of the two values even for extreme scales.
    func compareNumerically(to other: IgniteDecimal) -> Int {
        let (lhsSign, rhsSign) = (signum, other.signum)
        if lhsSign != rhsSign { return lhsSign < rhsSign ? -1 : 1 }
        if lhsSign == 0 { return 0 }
        let magnitudeOrder = IgniteDecimal.compareMagnitudes(self, other)
        return lhsSign > 0 ? magnitudeOrder : -magnitudeOrder
    }

    /// Compares `|a.unscaled| × 10^-a.scale` with `|b.unscaled| × 10^-b.scale`, both non-zero.
    private static func compareMagnitudes(_ a: IgniteDecimal, _ b: IgniteDecimal) -> Int {
        var lhs = a.magnitudeValue
        var rhs = b.magnitudeValue
        // Bounds of the position of the leading digit (the "adjusted exponent" digits − 1 − scale).
        let (lhsLow, lhsHigh) = leadingDigitBounds(lhs, scale: a.scale)
        let (rhsLow, rhsHigh) = leadingDigitBounds(rhs, scale: b.scale)
        if lhsHigh < rhsLow { return -1 }
        if rhsHigh < lhsLow { return 1 }
        // The leading digits are close, so the scales differ by at most about the number of digits: align them.
        let difference = Int64(a.scale) - Int64(b.scale)
        if difference > 0 {
            rhs.multiply(byPowerOfTen: Int(difference))
        } else if difference < 0 {
            lhs.multiply(byPowerOfTen: Int(-difference))
        }
        return DecimalMagnitude.compare(lhs, rhs)
    }

    /// Lower and upper bounds of `digits − 1 − scale` from the bit width (log10 2 ≈ 0.30103, bounded from both sides).
    private static func leadingDigitBounds(_ magnitude: DecimalMagnitude, scale: Int32) -> (Int64, Int64) {
        let bits = Int64(magnitude.bitWidth)
        let lowDigits = (bits - 1) * 301_029 / 1_000_000 + 1
        let highDigits = bits * 301_030 / 1_000_000 + 1
        return (lowDigits - 1 - Int64(scale), highDigits - 1 - Int64(scale))
    }
}
