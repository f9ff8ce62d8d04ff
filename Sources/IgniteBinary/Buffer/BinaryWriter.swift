/// A growable little-endian byte buffer that the codec and the protocol write into.
///
/// All multi-byte numbers are written little-endian, as the Ignite binary protocol requires.
/// The writer never traps on user data: every method appends, and ``setInt32(_:at:)`` only
/// patches positions the caller wrote before.
public struct BinaryWriter: Sendable {
    @usableFromInline
    internal var storage: [UInt8]

    /// Creates an empty writer.
    /// - Parameter capacity: How many bytes to reserve up front.
    @inlinable
    public init(capacity: Int = 128) {
        storage = []
        storage.reserveCapacity(Swift.max(0, capacity))
    }

    /// The bytes written so far.
    @inlinable
    public var bytes: [UInt8] { storage }

    /// How many bytes have been written.
    @inlinable
    public var count: Int { storage.count }

    /// Removes everything written, keeping the allocated capacity.
    @inlinable
    public mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    /// Drops everything written after `count` bytes (used to undo a partly written frame).
    @inlinable
    public mutating func truncate(to count: Int) {
        if count >= 0, count < storage.count { storage.removeSubrange(count...) }
    }

    /// Reserves room for at least `extra` more bytes.
    @inlinable
    public mutating func reserve(_ extra: Int) {
        if extra > 0 { storage.reserveCapacity(storage.count + extra) }
    }

    /// Appends one unsigned byte.
    @inlinable
    public mutating func writeUInt8(_ value: UInt8) { storage.append(value) }

    /// Appends one signed byte.
    @inlinable
    public mutating func writeInt8(_ value: Int8) { storage.append(UInt8(bitPattern: value)) }

    /// Appends a boolean as one byte, 1 or 0.
    @inlinable
    public mutating func writeBool(_ value: Bool) { storage.append(value ? 1 : 0) }

    /// Appends a fixed-width integer in little-endian order.
    @inlinable
    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        // Byte by byte (unrolled once specialized): cheaper than `append(contentsOf:)` of a raw buffer for 2-8 bytes.
        var shifted = value
        for _ in 0..<MemoryLayout<T>.size {
            storage.append(UInt8(truncatingIfNeeded: shifted))
            shifted >>= 8
        }
    }

    /// Appends a 16-bit integer, little-endian.
    @inlinable
    public mutating func writeInt16(_ value: Int16) { writeInteger(value) }

    /// Appends an unsigned 16-bit integer, little-endian.
    @inlinable
    public mutating func writeUInt16(_ value: UInt16) { writeInteger(value) }

    /// Appends a 32-bit integer, little-endian.
    @inlinable
    public mutating func writeInt32(_ value: Int32) { writeInteger(value) }

    /// Appends a 64-bit integer, little-endian.
    @inlinable
    public mutating func writeInt64(_ value: Int64) { writeInteger(value) }

    /// Appends an IEEE-754 single, little-endian.
    @inlinable
    public mutating func writeFloat(_ value: Float) { writeInteger(value.bitPattern) }

    /// Appends an IEEE-754 double, little-endian.
    @inlinable
    public mutating func writeDouble(_ value: Double) { writeInteger(value.bitPattern) }

    /// Appends raw bytes.
    @inlinable
    public mutating func writeBytes<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        storage.append(contentsOf: bytes)
    }

    /// Appends raw bytes from memory.
    @inlinable
    public mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    /// Appends the UTF-8 bytes of a string prefixed by their i32 length (no type code).
    @inlinable
    public mutating func writeStringPayload(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            writeInt32(Int32(truncatingIfNeeded: utf8.count))
            storage.append(contentsOf: UnsafeRawBufferPointer(utf8))
        }
    }

    /// Appends `count` zero bytes and returns the position of the first one, for later patching.
    @inlinable
    @discardableResult
    public mutating func reserveBytes(_ count: Int) -> Int {
        let position = storage.count
        if count > 0 { storage.append(contentsOf: repeatElement(0, count: count)) }
        return position
    }

    /// Overwrites four bytes at `position` with `value`, little-endian.
    ///
    /// Positions outside what was written are ignored; callers only patch their own placeholders.
    @inlinable
    public mutating func setInt32(_ value: Int32, at position: Int) {
        guard position >= 0, position + 4 <= storage.count else { return }
        let raw = UInt32(bitPattern: value)
        storage[position] = UInt8(truncatingIfNeeded: raw)
        storage[position + 1] = UInt8(truncatingIfNeeded: raw >> 8)
        storage[position + 2] = UInt8(truncatingIfNeeded: raw >> 16)
        storage[position + 3] = UInt8(truncatingIfNeeded: raw >> 24)
    }

    /// Overwrites two bytes at `position` with `value`, little-endian.
    @inlinable
    public mutating func setInt16(_ value: Int16, at position: Int) {
        guard position >= 0, position + 2 <= storage.count else { return }
        let raw = UInt16(bitPattern: value)
        storage[position] = UInt8(truncatingIfNeeded: raw)
        storage[position + 1] = UInt8(truncatingIfNeeded: raw >> 8)
    }

    /// Overwrites one byte at `position`.
    @inlinable
    public mutating func setUInt8(_ value: UInt8, at position: Int) {
        guard position >= 0, position < storage.count else { return }
        storage[position] = value
    }

    /// Gives direct read access to the bytes written so far.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try storage.withUnsafeBytes(body)
    }
}
