import Foundation

/// Exact conversions between ``IgniteDecimal`` and Foundation's `Decimal` (a 128-bit mantissa, up to 38–39 digits,
/// and a decimal exponent in −128...127).
extension IgniteDecimal {
    /// The largest magnitude, in 32-bit words, that ``foundationDecimal()`` tries to reduce by removing trailing zeros;
    /// bigger ones are rejected at once, so a hostile value cannot cost quadratic time.
    static let foundationReductionWordLimit = 1024

    /// Creates a decimal with exactly the value of a Foundation `Decimal`: its significand becomes the unscaled value
    /// and its exponent the negated scale.
    /// - Parameter decimal: The value.
    /// - Throws: ``IgniteError/Code/parameter`` if `decimal` is NaN.
    public init(_ decimal: Decimal) throws {
        guard !decimal.isNaN else { throw IgniteError.parameter("a NaN Decimal has no BigDecimal value") }
        let digits = decimal.significand.description
        guard let magnitude = DecimalMagnitude(asciiDigits: digits.utf8) else {
            throw IgniteError.parameter("the Decimal significand \"\(digits)\" is not an integer")
        }
        self.init(magnitude: magnitude, isNegative: decimal.sign == .minus, scale: Int32(-decimal.exponent))
    }

    /// The same value as a Foundation `Decimal`, exactly.
    ///
    /// Trailing zeros of the unscaled value are moved into the exponent as needed (so `1E+200` with 1 followed by
    /// 200 zeros and scale 0 converts), but no significant digit is ever dropped.
    /// - Returns: A `Decimal` equal to this value.
    /// - Throws: ``IgniteError/Code/parameter`` if the value needs more than the 128-bit mantissa of `Decimal`
    ///   (about 38 significant digits) or an exponent outside −128...127.
    public func foundationDecimal() throws -> Decimal {
        var mantissa = magnitudeValue
        guard !mantissa.isZero else { return Decimal.zero }
        guard mantissa.words.count <= IgniteDecimal.foundationReductionWordLimit else { throw foundationError() }
        var exponent = -Int64(scale)
        // Strip trailing decimal zeros while the mantissa is too wide or the exponent too small.
        while mantissa.bitWidth > 128 || exponent < -128 {
            guard mantissa.remainder(dividingBy: 10) == 0 else { throw foundationError() }
            mantissa.divide(by: 10)
            exponent += 1
        }
        // Pull a too-large exponent into the mantissa while it stays within 128 bits.
        while exponent > 127 {
            var wider = mantissa
            wider.multiply(by: 10)
            guard wider.bitWidth <= 128 else { throw foundationError() }
            mantissa = wider
            exponent -= 1
        }
        // Foundation's own parser builds mantissa and exponent as given (Decimal(sign:exponent:significand:) would
        // compact the significand first and can overflow the exponent).
        let text = (isNegative ? "-" : "") + mantissa.decimalString + "E" + String(exponent)
        guard let result = Decimal(string: text, locale: nil) else { throw foundationError() }
        // Foundation rounds silently; only an exact round trip is accepted.
        guard !result.isNaN, let back = try? IgniteDecimal(result), back.isNumericallyEqual(to: self) else {
            throw foundationError()
        }
        return result
    }

    private func foundationError() -> IgniteError {
        let digits = magnitude.count > 48 ? "a \(magnitude.count)-byte unscaled value" : "unscaled \(unscaledDigits)"
        return IgniteError.parameter("decimal with \(digits) and scale \(scale) does not fit Foundation.Decimal exactly")
    }
}
