import Foundation
import Testing
@testable import IgniteBinary

@Suite("IgniteDecimal: exact text, Foundation and ordering")
struct DecimalTests {
    private func decimal(_ text: String) throws -> IgniteDecimal { try IgniteDecimal(string: text) }

    @Test(arguments: [
        ("-1.23", "-123", Int32(2)),
        ("1E-30", "1", 30),
        ("12345671234567123.45671234567", "1234567123456712345671234567", 11),
        ("1.5e+3", "15", -2),
        ("1.50", "150", 2),
        ("+7", "7", 0),
        ("0", "0", 0),
        ("-0.00", "0", 2),
        ("000123.4500", "1234500", 4),
        (".5", "5", 1),
        ("5.", "5", 0),
        ("1E+30", "1", -30),
        ("-5E3", "-5", -3),
        ("2.5E-3", "25", 4),
        ("9223372036854775808", "9223372036854775808", 0),
        ("-99999999999999999999999999999999999999999999.9999999", "-999999999999999999999999999999999999999999999999999", 7),
    ])
    func parsesPlainAndExponentForms(text: String, unscaled: String, scale: Int32) throws {
        let value = try decimal(text)
        #expect(value.unscaledDigits == unscaled)
        #expect(value.scale == scale)
        #expect(value == (try IgniteDecimal(unscaled: unscaled, scale: scale)))
        #expect(IgniteDecimal(text) == value)
    }

    @Test(arguments: ["", "-", "+", ".", "1.2.3", "1e", "1e+", "e5", "1 ", " 1", "1,5", "0x10", "1e5.5", "--1", "١٢", "NaN", "Infinity", "1_000"])
    func rejectsMalformedText(text: String) {
        #expect(IgniteDecimal(text) == nil)
        #expect {
            _ = try IgniteDecimal(string: text)
        } throws: { error in
            (error as? IgniteError)?.code == .parameter
        }
    }

    @Test func unscaledTextMustBeAnInteger() {
        for text in ["", "-", "1.5", "1e3", " 1", "abc"] {
            #expect(throws: IgniteError.self) { _ = try IgniteDecimal(unscaled: text, scale: 0) }
        }
    }

    @Test(arguments: [
        ("2000", Int32(1), "200.0"),
        ("2", -2, "200"),
        ("1", 30, "0.000000000000000000000000000001"),
        ("-234567", 3, "-234.567"),
        ("0", 2, "0.00"),
        ("0", -2, "0"),
        ("0", 0, "0"),
        ("-5", 1, "-0.5"),
        ("123", 3, "0.123"),
        ("123", 4, "0.0123"),
        ("1234567123456712345671234567", 11, "12345671234567123.45671234567"),
        ("-18446744073709551621", 0, "-18446744073709551621"),
    ])
    func describesExactPlainText(unscaled: String, scale: Int32, text: String) throws {
        let value = try IgniteDecimal(unscaled: unscaled, scale: scale)
        #expect(value.description == text)
        // Plain text parses back to the same value; with a non-negative scale even to the same scale.
        let parsed = try decimal(text)
        #expect(parsed.isNumericallyEqual(to: value))
        if scale >= 0 && !(unscaled == "0" && scale < 0) { #expect(parsed == value) }
    }

    @Test func hostileExponentsThrowWithoutAllocating() throws {
        for text in ["1E1000000000", "1e-1000000000", "1E99999999999999999999999", "1E+2147483648", "1E1000001"] {
            #expect {
                _ = try IgniteDecimal(string: text)
            } throws: { error in
                (error as? IgniteError)?.code == .parameter
            }
        }
        // The limit itself is accepted and keeps the exact scale.
        #expect(try decimal("1E1000000").scale == -1_000_000)
        #expect(try decimal("1E-1000000").scale == 1_000_000)
        // A scale the text would overflow: many fraction digits and a negative exponent beyond Int32.
        let fraction = "0." + String(repeating: "1", count: 20)
        #expect(try decimal(fraction + "E-1000000").scale == 1_000_020)
    }

    @Test func extremeWireScalesPrintInExponentNotation() throws {
        let huge = IgniteDecimal(unscaled: 1, scale: Int32.min)
        #expect(huge.description == "1E+2147483648")
        let tiny = IgniteDecimal(unscaled: -25, scale: Int32.max)
        #expect(tiny.description == "-2.5E-2147483646")
        // Just inside the limit the plain form is used.
        let plain = IgniteDecimal(unscaled: 3, scale: -Int32(IgniteDecimal.textExponentLimit))
        #expect(plain.description.count == IgniteDecimal.textExponentLimit + 1)
        #expect(plain.description.hasPrefix("30000"))
    }

    @Test func integersAndInt64Extremes() throws {
        #expect(IgniteDecimal(Int64.min).unscaledDigits == "-9223372036854775808")
        #expect(IgniteDecimal(Int64.min).unscaledInt64 == Int64.min)
        #expect(IgniteDecimal(Int64.max).description == "9223372036854775807")
        #expect(IgniteDecimal(Int64(0)) == .zero)
        #expect(IgniteDecimal(5) == IgniteDecimal(Int64(5)))
        #expect(IgniteDecimal(Int64(-42)) == IgniteDecimal(unscaled: -42, scale: 0))
        #expect(try IgniteDecimal(unscaled: "9223372036854775808").unscaledInt64 == nil)
        #expect(try IgniteDecimal(unscaled: "-9223372036854775809").unscaledInt64 == nil)
        #expect(try IgniteDecimal(unscaled: "-0").isZero)
        #expect(try IgniteDecimal(unscaled: "-0").isNegative == false)
    }

    @Test func orderingIsNumericWhileEqualityIsJavaEquals() throws {
        let one = try decimal("1.0"), oneHundredth = try decimal("1.00")
        #expect(one != oneHundredth)
        #expect(!(one < oneHundredth) && !(oneHundredth < one))
        #expect(one.isNumericallyEqual(to: oneHundredth))
        #expect(try decimal("-0.5") < decimal("0"))
        #expect(try decimal("0") < decimal("1E-30"))
        #expect(try decimal("-1E+30") < decimal("-999999999999999999999999999999.99"))
        #expect(try decimal("200") == decimal("200"))
        #expect(try decimal("2E+2").isNumericallyEqual(to: decimal("200.000")))
        #expect(try decimal("0.000").isNumericallyEqual(to: .zero))
        #expect(try decimal("12345671234567123.45671234567") < decimal("12345671234567123.45671234568"))
        #expect(try decimal("-12345671234567123.45671234567") > decimal("-12345671234567123.45671234568"))
        // Extreme scales are ordered at once by the position of the leading digit.
        let huge = IgniteDecimal(unscaled: 1, scale: Int32.min)
        let tiny = IgniteDecimal(unscaled: 1, scale: Int32.max)
        #expect(tiny < huge)
        #expect(IgniteDecimal(unscaled: -1, scale: Int32.min) < IgniteDecimal(unscaled: -1, scale: Int32.max))
        let sorted = try ["3", "-1.5", "0.25", "1E+1", "-2E-1", "0"].map(decimal).sorted()
        #expect(sorted.map(\.description) == ["-1.5", "-0.2", "0", "0.25", "3", "10"])
    }

    @Test func orderingMatchesFoundationForRandomValues() throws {
        var random = SplitMix64(seed: 0xDEC1_3A15)
        for _ in 0..<2_000 {
            let a = randomDecimalText(&random, maxDigits: 30), b = randomDecimalText(&random, maxDigits: 30)
            guard let fa = Decimal(string: a), let fb = Decimal(string: b) else {
                Issue.record("Foundation rejected \(a) or \(b)")
                continue
            }
            let x = try decimal(a), y = try decimal(b)
            #expect((x < y) == (fa < fb), "\(a) < \(b)")
            #expect(x.isNumericallyEqual(to: y) == (fa == fb), "\(a) == \(b)")
        }
    }

    @Test func foundationConversionIsExact() throws {
        for text in ["0", "1.5", "-234.567", "12345671234567123.45671234567", "1E-30", "1E+30", "-5E+3",
                     "340282366920938463463374607431768211455", "-3.40282366920938463463374607431768211455",
                     "1E-128", "1E+127", "99999999999999999999999999999999999999"] {
            let value = try decimal(text)
            let converted = try value.foundationDecimal()
            guard let expected = Decimal(string: text) else {
                Issue.record("Foundation rejected \(text)")
                continue
            }
            #expect(converted == expected, "\(text)")
            let back = try IgniteDecimal(converted)
            #expect(back.isNumericallyEqual(to: value), "\(text)")
        }
        // Foundation keeps the exponent it was given: the scale comes back from it.
        let fromFoundation = try IgniteDecimal(Decimal(sign: .minus, exponent: -3, significand: 234_567))
        #expect(fromFoundation == (try IgniteDecimal(unscaled: "-234567", scale: 3)))
        #expect(try IgniteDecimal(Decimal(12)).description == "12")
    }

    @Test func foundationConversionMovesZerosButNeverRounds() throws {
        // Trailing zeros move into the exponent...
        let wide = try IgniteDecimal(unscaled: "1" + String(repeating: "0", count: 200), scale: 100)
        #expect(try wide.foundationDecimal() == Decimal(sign: .plus, exponent: 100, significand: 1))
        let deep = try IgniteDecimal(unscaled: "10", scale: 129)
        #expect(try deep.foundationDecimal() == Decimal(sign: .plus, exponent: -128, significand: 1))
        let high = IgniteDecimal(unscaled: 7, scale: -130)
        #expect(try high.foundationDecimal() == Decimal(string: "7000E127"))
        #expect(try high.foundationDecimal().description == "7" + String(repeating: "0", count: 130))
        // ...but significant digits beyond the mantissa, or exponents out of range, throw.
        for value in [
            try IgniteDecimal(unscaled: "340282366920938463463374607431768211456", scale: 0),
            try IgniteDecimal(unscaled: "12345678901234567890123456789012345678901", scale: 5),
            IgniteDecimal(unscaled: 1, scale: 130),
            IgniteDecimal(unscaled: 1, scale: -200),
            IgniteDecimal(unscaled: 1, scale: Int32.min),
            IgniteDecimal(unscaled: 1, scale: Int32.max),
            IgniteDecimal(magnitude: [0x01] + [UInt8](repeating: 0, count: 100_000), isNegative: false, scale: 0),
        ] {
            #expect {
                _ = try value.foundationDecimal()
            } throws: { error in
                (error as? IgniteError)?.code == .parameter
            }
        }
        #expect(throws: IgniteError.self) { _ = try IgniteDecimal(Decimal.nan) }
    }

    @Test func foundationRoundTripsRandomValues() throws {
        var random = SplitMix64(seed: 0xF0_0D)
        for _ in 0..<1_000 {
            let text = randomDecimalText(&random, maxDigits: 38)
            guard let expected = Decimal(string: text) else {
                Issue.record("Foundation rejected \(text)")
                continue
            }
            let value = try decimal(text)
            #expect(try value.foundationDecimal() == expected, "\(text)")
            #expect(try IgniteDecimal(expected).isNumericallyEqual(to: value), "\(text)")
        }
    }

    @Test func magnitudeArithmeticMatchesUInt64() {
        var random = SplitMix64(seed: 42)
        for _ in 0..<5_000 {
            let value = random.next() >> (random.next() % 64)
            let factor = UInt32(truncatingIfNeeded: random.next() >> (random.next() % 32)) | 1
            var magnitude = DecimalMagnitude(value)
            #expect(magnitude.uint64Value == value)
            #expect(magnitude.decimalString == String(value))
            #expect(DecimalMagnitude(asciiDigits: String(value).utf8) == magnitude)
            #expect(magnitude.remainder(dividingBy: factor) == UInt32(value % UInt64(factor)))
            let remainder = magnitude.divide(by: factor)
            #expect(UInt64(remainder) == value % UInt64(factor))
            #expect(magnitude.uint64Value == value / UInt64(factor))
            magnitude.multiply(by: factor, adding: remainder)
            #expect(magnitude.uint64Value == value)
            #expect(DecimalMagnitude(bigEndianBytes: magnitude.bigEndianBytes) == magnitude)
        }
    }

    @Test func bigMagnitudesSurviveDigitsAndBytesRoundTrips() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<300 {
            let count = Int(random.next() % 60) + 1
            let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            let magnitude = DecimalMagnitude(bigEndianBytes: bytes)
            let digits = magnitude.decimalString
            #expect(DecimalMagnitude(asciiDigits: digits.utf8) == magnitude)
            let value = IgniteDecimal(magnitude: bytes, isNegative: random.next() & 1 == 0, scale: Int32(truncatingIfNeeded: random.next() % 80) - 40)
            let reparsed = try IgniteDecimal(unscaled: value.unscaledDigits, scale: value.scale)
            #expect(reparsed == value)
            #expect(try IgniteDecimal(string: value.description).isNumericallyEqual(to: value))
            // Multiplying by 10^k and dividing back restores the value.
            var scaled = magnitude
            let k = Int(random.next() % 40)
            scaled.multiply(byPowerOfTen: k)
            #expect(scaled.decimalString == (magnitude.isZero ? "0" : digits + String(repeating: "0", count: k)))
        }
    }

    private func randomDecimalText(_ random: inout SplitMix64, maxDigits: Int) -> String {
        let count = Int(random.next() % UInt64(maxDigits)) + 1
        var digits = String((0..<count).map { _ in Character(Unicode.Scalar(UInt8(48 + random.next() % 10))) })
        let point = Int(random.next() % UInt64(count + 1))
        if point < count { digits.insert(".", at: digits.index(digits.startIndex, offsetBy: point)) }
        let sign = random.next() % 3 == 0 ? "-" : ""
        switch random.next() % 4 {
        case 0: return sign + digits + "E" + String(Int(random.next() % 60) - 30)
        default: return sign + digits
        }
    }
}
