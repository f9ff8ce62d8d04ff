/// An unsigned integer of any size, as 32-bit words, least significant first, with no zero words at the top.
///
/// Only the few operations ``IgniteDecimal`` needs: conversion from and to big-endian bytes and decimal digits,
/// multiply-add and division by a small factor, comparison, and Java's `BigInteger.hashCode` fold.
/// Every operation is linear in the number of words, except the decimal conversions (quadratic).
struct DecimalMagnitude: Hashable, Sendable {
    /// The words, least significant first; empty for zero.
    private(set) var words: [UInt32]

    /// The largest power of ten that fits in a word, and its exponent, for chunked decimal conversion.
    static let chunkFactor: UInt32 = 1_000_000_000
    static let chunkDigits = 9

    /// Zero.
    init() { words = [] }

    /// A magnitude from words, least significant first; zero words at the top are dropped.
    init(words: [UInt32]) {
        self.words = words
        normalize()
    }

    /// A magnitude from a 64-bit value.
    init(_ value: UInt64) {
        words = [UInt32(truncatingIfNeeded: value), UInt32(truncatingIfNeeded: value >> 32)]
        normalize()
    }

    /// A magnitude from big-endian bytes (leading zero bytes allowed).
    init<C: BidirectionalCollection>(bigEndianBytes bytes: C) where C.Element == UInt8 {
        var words: [UInt32] = []
        words.reserveCapacity((bytes.count + 3) / 4)
        var word: UInt32 = 0
        var shift: UInt32 = 0
        for byte in bytes.reversed() {
            word |= UInt32(byte) << shift
            shift += 8
            if shift == 32 {
                words.append(word)
                word = 0
                shift = 0
            }
        }
        if shift != 0 { words.append(word) }
        self.init(words: words)
    }

    /// The magnitude as big-endian bytes without leading zeros (empty for zero).
    var bigEndianBytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(words.count * 4)
        for word in words.reversed() {
            bytes.append(UInt8(truncatingIfNeeded: word >> 24))
            bytes.append(UInt8(truncatingIfNeeded: word >> 16))
            bytes.append(UInt8(truncatingIfNeeded: word >> 8))
            bytes.append(UInt8(truncatingIfNeeded: word))
        }
        let firstNonZero = bytes.firstIndex { $0 != 0 } ?? bytes.endIndex
        return Array(bytes[firstNonZero...])
    }

    /// Whether the value is zero.
    var isZero: Bool { words.isEmpty }

    /// The number of significant bits (0 for zero).
    var bitWidth: Int {
        guard let top = words.last else { return 0 }
        return words.count * 32 - top.leadingZeroBitCount
    }

    /// The number of zero bits below the lowest set bit (0 for zero).
    var trailingZeroBitCount: Int {
        for (index, word) in words.enumerated() where word != 0 {
            return index * 32 + word.trailingZeroBitCount
        }
        return 0
    }

    /// The value if it fits in a `UInt64`.
    var uint64Value: UInt64? {
        switch words.count {
        case 0: return 0
        case 1: return UInt64(words[0])
        case 2: return UInt64(words[1]) << 32 | UInt64(words[0])
        default: return nil
        }
    }

    /// `self = self × factor + addend`.
    mutating func multiply(by factor: UInt32, adding addend: UInt32 = 0) {
        var carry = UInt64(addend)
        for index in words.indices {
            let product = UInt64(words[index]) * UInt64(factor) + carry
            words[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry != 0 { words.append(UInt32(truncatingIfNeeded: carry)) }
        normalize()
    }

    /// Multiplies by `10^exponent` (a non-positive exponent leaves the value unchanged).
    mutating func multiply(byPowerOfTen exponent: Int) {
        guard !isZero else { return }
        var rest = exponent
        while rest >= DecimalMagnitude.chunkDigits {
            multiply(by: DecimalMagnitude.chunkFactor)
            rest -= DecimalMagnitude.chunkDigits
        }
        if rest > 0 { multiply(by: DecimalMagnitude.powerOfTen(rest)) }
    }

    /// Divides by `divisor` in place and returns the remainder. A zero divisor leaves the value unchanged and returns 0.
    @discardableResult
    mutating func divide(by divisor: UInt32) -> UInt32 {
        guard divisor != 0 else { return 0 }
        var remainder: UInt64 = 0
        for index in words.indices.reversed() {
            let current = remainder << 32 | UInt64(words[index])
            words[index] = UInt32(truncatingIfNeeded: current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        normalize()
        return UInt32(truncatingIfNeeded: remainder)
    }

    /// The remainder of a division by `divisor`, without changing the value (0 for a zero divisor).
    func remainder(dividingBy divisor: UInt32) -> UInt32 {
        guard divisor != 0 else { return 0 }
        var remainder: UInt64 = 0
        for word in words.reversed() {
            remainder = (remainder << 32 | UInt64(word)) % UInt64(divisor)
        }
        return UInt32(truncatingIfNeeded: remainder)
    }

    /// Three-way comparison: negative, zero or positive as `lhs` is less than, equal to or greater than `rhs`.
    static func compare(_ lhs: DecimalMagnitude, _ rhs: DecimalMagnitude) -> Int {
        if lhs.words.count != rhs.words.count { return lhs.words.count < rhs.words.count ? -1 : 1 }
        for index in lhs.words.indices.reversed() where lhs.words[index] != rhs.words[index] {
            return lhs.words[index] < rhs.words[index] ? -1 : 1
        }
        return 0
    }

    /// `10^exponent` for `0...9`.
    static func powerOfTen(_ exponent: Int) -> UInt32 {
        var value: UInt32 = 1
        for _ in 0..<Swift.min(Swift.max(exponent, 0), chunkDigits) { value *= 10 }
        return value
    }

    /// Parses ASCII decimal digits (`0`–`9` only, at least one).
    /// - Returns: `nil` if `digits` is empty or holds anything but digits.
    init?<C: Collection>(asciiDigits digits: C) where C.Element == UInt8 {
        guard !digits.isEmpty else { return nil }
        self.init()
        var chunk: UInt32 = 0
        var chunkLength = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            chunk = chunk * 10 + UInt32(byte - 0x30)
            chunkLength += 1
            if chunkLength == DecimalMagnitude.chunkDigits {
                multiply(by: DecimalMagnitude.chunkFactor, adding: chunk)
                chunk = 0
                chunkLength = 0
            }
        }
        if chunkLength > 0 { multiply(by: DecimalMagnitude.powerOfTen(chunkLength), adding: chunk) }
    }

    /// The value in decimal as ASCII digits, without leading zeros (`"0"` for zero).
    var asciiDigits: [UInt8] {
        guard !isZero else { return [0x30] }
        var rest = self
        var chunks: [UInt32] = []
        chunks.reserveCapacity(words.count * 32 / 29 + 1)
        while !rest.isZero { chunks.append(rest.divide(by: DecimalMagnitude.chunkFactor)) }
        var digits: [UInt8] = []
        digits.reserveCapacity(chunks.count * DecimalMagnitude.chunkDigits)
        for (index, chunk) in chunks.reversed().enumerated() {
            var buffer = [UInt8](repeating: 0x30, count: DecimalMagnitude.chunkDigits)
            var value = chunk
            var position = DecimalMagnitude.chunkDigits
            while value != 0 {
                position -= 1
                buffer[position] = 0x30 + UInt8(value % 10)
                value /= 10
            }
            // The most significant chunk is written without its leading zeros.
            digits.append(contentsOf: index == 0 ? buffer[position...] : buffer[...])
        }
        return digits
    }

    /// The decimal text of the value.
    var decimalString: String { String(decoding: asciiDigits, as: UTF8.self) }

    /// Java's `BigInteger.hashCode()` of the non-negative value: `h = 31*h + word` over the 32-bit words,
    /// most significant first (the caller multiplies by the signum).
    var javaHashFold: Int32 {
        var hash: Int32 = 0
        for word in words.reversed() { hash = hash &* 31 &+ Int32(bitPattern: word) }
        return hash
    }

    private mutating func normalize() {
        while let top = words.last, top == 0 { words.removeLast() }
    }
}
