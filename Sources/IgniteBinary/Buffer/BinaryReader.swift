/// A bounds-checked little-endian reader over a byte buffer.
///
/// Every read checks the remaining length first and throws an ``IgniteError`` with code
/// ``IgniteError/Code/parse`` instead of trapping, so truncated or hostile input can never crash
/// the process. Lengths read from the buffer must be validated with ``checkCount(_:elementSize:)``
/// before anything is allocated from them.
///
/// A reader also keeps the decoded-size budget of what it decodes (``decodedBytes``, ``decodedByteLimit``): one
/// reader decodes one response, so every value read from it counts against one budget (see ``DecodingLimits``).
public struct BinaryReader: Sendable {
    /// The whole buffer. Positions (and binary-object handles) are absolute indices into it.
    public let buffer: [UInt8]
    /// The index of the next byte to read.
    public var position: Int
    /// One past the last byte this reader may read.
    public let limit: Int
    /// The estimated memory of everything decoded through this reader so far, in bytes: containers count their
    /// element slots, strings and arrays their contents, copies made through handles count again.
    public var decodedBytes = 0
    /// The most ``decodedBytes`` may reach before decoding throws ``IgniteError/Code/parse``; by default
    /// ``DecodingLimits/decodedByteBudget(forInputOf:)`` of the buffer's size. Set it to allow more or less.
    public var decodedByteLimit: Int

    /// Creates a reader.
    /// - Parameters:
    ///   - buffer: The bytes to read.
    ///   - position: Where to start. Clamped into the buffer.
    ///   - limit: One past the last readable byte; defaults to the end of the buffer. Clamped into the buffer.
    @inlinable
    public init(_ buffer: [UInt8], position: Int = 0, limit: Int? = nil) {
        self.buffer = buffer
        let end = Swift.min(Swift.max(limit ?? buffer.count, 0), buffer.count)
        self.limit = end
        self.position = Swift.min(Swift.max(position, 0), end)
        self.decodedByteLimit = DecodingLimits.decodedByteBudget(forInputOf: buffer.count)
    }

    /// How many bytes are left to read.
    @inlinable
    public var remaining: Int { limit - position }

    /// Whether every byte has been read.
    @inlinable
    public var isAtEnd: Bool { position >= limit }

    /// Throws unless at least `count` bytes remain.
    @inlinable
    public func require(_ count: Int) throws {
        guard count >= 0, limit - position >= count else {
            throw IgniteError.parse("truncated input: needed \(count) byte(s) at offset \(position), \(Swift.max(0, limit - position)) left")
        }
    }

    /// Validates a count read from the input before anything is allocated from it: it must be
    /// non-negative and `count × elementSize` must fit in the remaining bytes.
    /// - Returns: The count as an `Int`.
    @inlinable
    public func checkCount(_ count: Int32, elementSize: Int) throws -> Int {
        guard count >= 0 else { throw IgniteError.parse("negative length \(count) at offset \(position)") }
        let n = Int(count)
        let (bytes, overflow) = n.multipliedReportingOverflow(by: Swift.max(elementSize, 1))
        guard !overflow, bytes <= limit - position else {
            throw IgniteError.parse("length \(count) at offset \(position) exceeds the \(limit - position) byte(s) left")
        }
        return n
    }

    /// Counts `bytes` of decoded memory against the budget (``decodedBytes``, ``decodedByteLimit``).
    /// Decoders call it before they allocate.
    /// - Throws: ``IgniteError/Code/parse`` when the budget would be exceeded.
    @inlinable
    public mutating func chargeDecoded(bytes: Int) throws {
        let (total, overflow) = decodedBytes.addingReportingOverflow(Swift.max(bytes, 0))
        guard !overflow, total <= decodedByteLimit else {
            throw IgniteError.parse("decoding at offset \(position) needs more than \(decodedByteLimit) bytes of memory for "
                                    + "\(buffer.count) byte(s) of input (the decoded-size budget, see DecodingLimits)")
        }
        decodedBytes = total
    }

    /// Counts `count` elements of `type` (their stride each) against the decoded-size budget.
    /// - Throws: ``IgniteError/Code/parse`` when the budget would be exceeded.
    @inlinable
    public mutating func chargeDecoded<T>(_ count: Int, of type: T.Type) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride)
        try chargeDecoded(bytes: overflow ? Int.max : bytes)
    }

    /// A reader over the same buffer at `position` (clamped into this reader's range) that carries this reader's
    /// decoded-size budget; hand the budget back with ``adoptBudget(of:)``.
    @inlinable
    public func budgetedReader(at position: Int, limit: Int? = nil) -> BinaryReader {
        var reader = BinaryReader(buffer, position: position, limit: limit ?? self.limit)
        reader.decodedBytes = decodedBytes
        reader.decodedByteLimit = decodedByteLimit
        return reader
    }

    /// Takes over the decoded-size count of a reader made with ``budgetedReader(at:limit:)``.
    @inlinable
    public mutating func adoptBudget(of other: BinaryReader) {
        decodedBytes = Swift.max(decodedBytes, other.decodedBytes)
    }

    /// Moves the position forward by `count` bytes.
    @inlinable
    public mutating func skip(_ count: Int) throws {
        try require(count)
        position += count
    }

    /// Reads one unsigned byte.
    @inlinable
    public mutating func readUInt8() throws -> UInt8 {
        try require(1)
        let value = buffer[position]
        position += 1
        return value
    }

    /// Reads one signed byte.
    @inlinable
    public mutating func readInt8() throws -> Int8 { Int8(bitPattern: try readUInt8()) }

    /// Reads a boolean byte: zero is false, anything else true.
    @inlinable
    public mutating func readBool() throws -> Bool { try readUInt8() != 0 }

    /// Reads a little-endian fixed-width integer.
    @inlinable
    public mutating func readInteger<T: FixedWidthInteger>(_: T.Type = T.self) throws -> T {
        let size = MemoryLayout<T>.size
        try require(size)
        let raw = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: position, as: T.self) }
        position += size
        return T(littleEndian: raw)
    }

    /// Reads a 16-bit integer.
    @inlinable
    public mutating func readInt16() throws -> Int16 { try readInteger() }
    /// Reads an unsigned 16-bit integer.
    @inlinable
    public mutating func readUInt16() throws -> UInt16 { try readInteger() }
    /// Reads a 32-bit integer.
    @inlinable
    public mutating func readInt32() throws -> Int32 { try readInteger() }
    /// Reads a 64-bit integer.
    @inlinable
    public mutating func readInt64() throws -> Int64 { try readInteger() }
    /// Reads an IEEE-754 single.
    @inlinable
    public mutating func readFloat() throws -> Float { Float(bitPattern: try readInteger()) }
    /// Reads an IEEE-754 double.
    @inlinable
    public mutating func readDouble() throws -> Double { Double(bitPattern: try readInteger()) }

    /// Reads `count` raw bytes.
    @inlinable
    public mutating func readBytes(_ count: Int) throws -> [UInt8] {
        try require(count)
        try chargeDecoded(bytes: count)
        let slice = Array(buffer[position..<(position + count)])
        position += count
        return slice
    }

    /// Reads an i32 length followed by that many UTF-8 bytes (a string payload without its type code).
    /// Invalid UTF-8 is repaired with U+FFFD, as Java does.
    @inlinable
    public mutating func readStringPayload() throws -> String {
        // Read the length first: `checkCount(try readInt32(), ...)` would check against the position before the read.
        let rawLength = try readInt32()
        let length = try checkCount(rawLength, elementSize: 1)
        try chargeDecoded(bytes: length)
        let start = position
        position += length
        return buffer.withUnsafeBufferPointer { whole in
            String(decoding: UnsafeBufferPointer(rebasing: whole[start..<(start + length)]), as: UTF8.self)
        }
    }

    /// Reads the byte at an absolute position without moving, or throws if it is outside the readable range.
    @inlinable
    public func peekUInt8(at index: Int) throws -> UInt8 {
        guard index >= 0, index < limit else { throw IgniteError.parse("offset \(index) is outside the input") }
        return buffer[index]
    }

    /// Reads a little-endian integer at an absolute position without moving.
    @inlinable
    public func peekInteger<T: FixedWidthInteger>(_: T.Type, at index: Int) throws -> T {
        let size = MemoryLayout<T>.size
        guard index >= 0, index <= limit - size else { throw IgniteError.parse("offset \(index) is outside the input") }
        return T(littleEndian: buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: index, as: T.self) })
    }
}
