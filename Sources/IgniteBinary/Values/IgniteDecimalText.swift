/// Exact decimal text: parsing (`"-1.23"`, `"1E-30"`, `"1.5e+3"`) and Java `toPlainString`-style output.
extension IgniteDecimal: CustomStringConvertible {
    /// The largest exponent `init(string:)` accepts (in either direction), and the most padding zeros ``description``
    /// writes before it switches to exponent notation. It keeps hostile text such as `"1E1000000000"` from asking for
    /// gigabytes: such text is rejected, and a decimal with such a scale (only possible from the wire) prints as `1E+1000000000`.
    public static let textExponentLimit = 1_000_000

    /// Parses a decimal in plain or exponent notation, exactly as Java's `new BigDecimal(String)` does:
    /// an optional sign, digits with at most one decimal point, and an optional exponent (`e` or `E`, optional sign, digits).
    ///
    /// The scale is the number of digits after the point minus the exponent, so `"1.50"` keeps scale 2,
    /// `"1E-30"` has scale 30 and `"1.5e+3"` is unscaled 15 with scale −2. No digit is ever rounded.
    /// - Parameter string: The text, without spaces.
    /// - Throws: ``IgniteError/Code/parameter`` for malformed text, an exponent beyond ±``textExponentLimit``,
    ///   or a scale outside the `Int32` range.
    public init(string: String) throws {
        let utf8 = Array(string.utf8)
        var index = 0
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            index = 1
        }
        var digits: [UInt8] = []
        var fractionDigits = 0
        var sawPoint = false
        while index < utf8.count {
            let byte = utf8[index]
            if byte >= 0x30, byte <= 0x39 {
                digits.append(byte)
                if sawPoint { fractionDigits += 1 }
            } else if byte == UInt8(ascii: "."), !sawPoint {
                sawPoint = true
            } else {
                break
            }
            index += 1
        }
        guard !digits.isEmpty else { throw IgniteDecimal.textError(string, "no digits") }
        var exponent = 0
        if index < utf8.count {
            guard utf8[index] == UInt8(ascii: "e") || utf8[index] == UInt8(ascii: "E") else {
                throw IgniteDecimal.textError(string, "unexpected character")
            }
            index += 1
            var exponentNegative = false
            if index < utf8.count, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") {
                exponentNegative = utf8[index] == UInt8(ascii: "-")
                index += 1
            }
            guard index < utf8.count else { throw IgniteDecimal.textError(string, "no exponent digits") }
            while index < utf8.count {
                let byte = utf8[index]
                guard byte >= 0x30, byte <= 0x39 else { throw IgniteDecimal.textError(string, "unexpected character in the exponent") }
                exponent = exponent * 10 + Int(byte - 0x30)
                guard exponent <= IgniteDecimal.textExponentLimit else {
                    throw IgniteDecimal.textError(string, "exponent beyond ±\(IgniteDecimal.textExponentLimit)")
                }
                index += 1
            }
            if exponentNegative { exponent = -exponent }
        }
        let scale = fractionDigits - exponent
        guard let scale32 = Int32(exactly: scale) else { throw IgniteDecimal.textError(string, "scale \(scale) is out of range") }
        guard let magnitude = DecimalMagnitude(asciiDigits: digits) else { throw IgniteDecimal.textError(string, "no digits") }
        self.init(magnitude: magnitude, isNegative: negative, scale: scale32)
    }

    /// Parses a decimal in plain or exponent notation, as ``init(string:)`` does.
    /// - Parameter text: The text.
    /// - Returns: `nil` if the text is not a decimal.
    public init?(_ text: String) {
        guard let value = try? IgniteDecimal(string: text) else { return nil }
        self = value
    }

    /// Creates a decimal from the decimal text of its unscaled value and a scale.
    /// - Parameters:
    ///   - unscaled: Decimal digits with an optional leading `-` or `+`, for example `"-1234567123456712345671234567"`.
    ///   - scale: Digits after the decimal point (may be negative).
    /// - Throws: ``IgniteError/Code/parameter`` if `unscaled` is not an optionally signed run of digits.
    public init(unscaled: String, scale: Int32 = 0) throws {
        var bytes = Substring(unscaled).utf8[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard let magnitude = DecimalMagnitude(asciiDigits: bytes) else {
            throw IgniteDecimal.textError(unscaled, "not an integer")
        }
        self.init(magnitude: magnitude, isNegative: negative, scale: scale)
    }

    /// The unscaled value in decimal, with a leading `-` when negative (for example `"-234567"` for −234.567).
    public var unscaledDigits: String {
        (isNegative ? "-" : "") + magnitudeValue.decimalString
    }

    /// The exact value as text with every digit and the scale kept, as Java's `BigDecimal.toPlainString()`:
    /// unscaled 2000 with scale 1 is `"200.0"`, unscaled 2 with scale −2 is `"200"`, unscaled 1 with scale 30 is
    /// `"0.000000000000000000000000000001"`.
    ///
    /// If the plain form would need more than ``textExponentLimit`` padding zeros (a hostile scale from the wire),
    /// the value is written in Java's `toString()` exponent notation instead, for example `"1E+1000000000"`.
    public var description: String {
        let digits = magnitudeValue.asciiDigits
        var text: [UInt8] = []
        if isNegative { text.append(UInt8(ascii: "-")) }
        let scale = Int(self.scale)
        if scale == 0 {
            text.append(contentsOf: digits)
        } else if scale < 0 {
            if isZero { return "0" }
            guard -scale <= IgniteDecimal.textExponentLimit else { return exponentNotation(digits) }
            text.append(contentsOf: digits)
            text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -scale))
        } else if digits.count > scale {
            text.append(contentsOf: digits[..<(digits.count - scale)])
            text.append(UInt8(ascii: "."))
            text.append(contentsOf: digits[(digits.count - scale)...])
        } else {
            guard scale - digits.count <= IgniteDecimal.textExponentLimit else { return exponentNotation(digits) }
            text.append(contentsOf: "0.".utf8)
            text.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: scale - digits.count))
            text.append(contentsOf: digits)
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Java's `BigDecimal.toString()` scientific form: `d.ddd` followed by `E`, the sign and the adjusted exponent.
    private func exponentNotation(_ digits: [UInt8]) -> String {
        var text: [UInt8] = []
        if isNegative { text.append(UInt8(ascii: "-")) }
        text.append(digits.first ?? UInt8(ascii: "0"))
        if digits.count > 1 {
            text.append(UInt8(ascii: "."))
            text.append(contentsOf: digits.dropFirst())
        }
        let adjusted = Int64(digits.count - 1) - Int64(scale)
        text.append(UInt8(ascii: "E"))
        if adjusted >= 0 { text.append(UInt8(ascii: "+")) }
        text.append(contentsOf: String(adjusted).utf8)
        return String(decoding: text, as: UTF8.self)
    }

    private static func textError(_ text: String, _ reason: String) -> IgniteError {
        let shown = text.count > 64 ? String(text.prefix(64)) + "…" : text
        return IgniteError.parameter("invalid decimal \"\(shown)\": \(reason)")
    }
}
