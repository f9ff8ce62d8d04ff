import Foundation
import IgniteProtocol

/// The length, precision and scale checks a real server makes on every value it stores through a table
/// (`QueryTypeDescriptorImpl.validateProps`, gridgain/gridgain modules/core/.../processors/query): a string longer
/// than the field's precision, a decimal with more digits than its precision or more fraction digits than its scale.
/// The decimal is the value as H2 made it, before any rescaling: a double becomes `BigDecimal.valueOf(d)` (the digits
/// of `Double.toString`: 92.0 → 920 scale 1, 1e-7 → 10 scale 8), an integer has scale 0, a decimal keeps its own.
/// Observed on GridGain 8.10 for INSERT, MERGE and UPDATE: `23000: Value for a column 'P' is out of range. Maximum
/// precision: 4, actual precision: 5`, `… Maximum scale : 1, actual scale: 2` (sic), `23000: Value for a column 'S'
/// is too long. Maximum length: 3, actual length: 5`.
enum SQLValueLimits {
    static func check(_ value: IgniteValue, column: SQLColumn) throws {
        guard let precision = column.precision else { return }
        switch (column.type, value) {
        case (.varchar, .string(let text)):
            let length = text.utf16.count
            if length > Int(precision) {
                throw SQLFailure(message: "23000: Value for a column '\(column.field)' is too long. Maximum length: \(precision), actual length: \(length)")
            }
        case (.decimal, _):
            guard let shape = decimalShape(value) else { return }
            if shape.precision > Int(precision) {
                throw SQLFailure(message: "23000: Value for a column '\(column.field)' is out of range. Maximum precision: \(precision), actual precision: \(shape.precision)")
            }
            if let scale = column.scale, shape.scale > Int(scale) {
                throw SQLFailure(message: "23000: Value for a column '\(column.field)' is out of range. Maximum scale : \(scale), actual scale: \(shape.scale)")
            }
        default:
            return
        }
    }

    /// `BigDecimal.precision()` and `scale()` of the decimal H2 makes of a value; `nil` for values that are not numbers.
    static func decimalShape(_ value: IgniteValue) -> (precision: Int, scale: Int)? {
        switch value {
        case .byte(let v): return integerShape(Int64(v))
        case .short(let v): return integerShape(Int64(v))
        case .int(let v): return integerShape(Int64(v))
        case .long(let v): return integerShape(v)
        case .double(let v): return v.isFinite ? shape(ofJavaNumber: javaDoubleString(v)) : nil
        case .float(let v): return v.isFinite ? shape(ofJavaNumber: javaDoubleString(Double(v))) : nil
        case .decimal(let v): return (precision: digitCount(v.javaMagnitudeBytes), scale: Int(v.scale))
        case .string(let text): return shape(ofJavaNumber: text.trimmingCharacters(in: .whitespaces))
        default: return nil
        }
    }

    private static func integerShape(_ v: Int64) -> (precision: Int, scale: Int) {
        (precision: String(v.magnitude).count, scale: 0)
    }

    /// The number of decimal digits of a big-endian two's-complement magnitude (its sign ignored); 1 for zero.
    private static func digitCount(_ bytes: [UInt8]) -> Int {
        var digits = bytes
        if let first = digits.first, first & 0x80 != 0 {   // negative: two's complement → magnitude
            digits = digits.map { ~$0 }
            var carry = 1
            for index in digits.indices.reversed() where carry > 0 {
                let sum = Int(digits[index]) + carry
                digits[index] = UInt8(sum & 0xFF)
                carry = sum >> 8
            }
        }
        var count = 0
        while digits.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in digits.indices {
                let current = remainder << 8 | Int(digits[index])
                digits[index] = UInt8(current / 10)
                remainder = current % 10
            }
            count += 1
        }
        return max(count, 1)
    }

    /// Java's `Double.toString(d)` for a finite double: plain (`92.0`, `0.001`) for 10⁻³ ≤ |d| < 10⁷, otherwise
    /// `d.dddE±n` (`1.0E-7`, `1.0E10`), always with a fraction digit; the digits are the shortest that round-trip.
    static func javaDoubleString(_ d: Double) -> String {
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        // Shortest digits and exponent from Swift's description ("1e-07", "92.0", "1.0000000000000001e+20").
        let text = "\(d.magnitude)"
        let parts = text.lowercased().split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0].split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var digits = Array(mantissa[0] + (mantissa.count > 1 ? mantissa[1] : ""))
        var point = mantissa[0].count + exponent   // value = 0.digits × 10^point
        while digits.first == "0" { digits.removeFirst(); point -= 1 }
        while digits.last == "0" { digits.removeLast() }
        guard !digits.isEmpty else { return "0.0" }
        let sign = d.sign == .minus ? "-" : ""
        let magnitude = d.magnitude
        if magnitude >= 1e-3, magnitude < 1e7 {
            let integer = point > 0 ? String(digits.prefix(point)) + String(repeating: "0", count: max(0, point - digits.count)) : "0"
            var fraction = point >= 0 ? String(digits.dropFirst(point)) : String(repeating: "0", count: -point) + String(digits)
            if fraction.isEmpty { fraction = "0" }
            return sign + integer + "." + fraction
        }
        let fraction = digits.count > 1 ? String(digits.dropFirst()) : "0"
        return sign + String(digits[0]) + "." + fraction + "E" + String(point - 1)
    }

    /// `new BigDecimal(text)`'s precision and scale; `nil` if the text is not a number.
    static func shape(ofJavaNumber text: String) -> (precision: Int, scale: Int)? {
        var body = Substring(text)
        if body.first == "-" || body.first == "+" { body = body.dropFirst() }
        var exponent = 0
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let value = Int(body[body.index(after: e)...].replacingOccurrences(of: "+", with: "")) else { return nil }
            exponent = value
            body = body[..<e]
        }
        let pieces = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let integer = pieces[0], fraction = pieces.count > 1 ? pieces[1] : ""
        let all = integer + fraction
        guard !all.isEmpty, all.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        let significant = all.drop { $0 == "0" }
        return (precision: max(significant.count, 1), scale: fraction.count - exponent)
    }
}
