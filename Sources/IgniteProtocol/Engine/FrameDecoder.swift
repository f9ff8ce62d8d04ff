/// Splits a byte stream into frames by the protocol's i32 little-endian length prefix. Sans-IO.
///
/// Feed it whatever the transport delivered, in chunks of any size, with ``append(_:)``; take complete
/// frame payloads (the bytes after the length) with ``nextFrame()``. A length ≤ 0 or above
/// ``maximumFrameLength`` is a protocol violation: the decoder throws and stays failed, since the
/// stream can no longer be re-synchronised.
///
/// Bytes are copied once into an internal buffer and once out into each payload. Consumed bytes are
/// discarded only when they make up at least half of the buffer, so the cost stays linear in the
/// bytes decoded, however the stream is chunked.
@usableFromInline package struct FrameDecoder: Sendable {
    /// The default largest accepted payload: 256 MiB.
    public static let defaultMaximumFrameLength = 256 * 1024 * 1024

    /// The largest accepted payload length, in bytes.
    public let maximumFrameLength: Int

    private var buffer: [UInt8] = []
    private var readIndex = 0
    private var failure: IgniteError?

    /// Creates a decoder.
    /// - Parameter maximumFrameLength: The largest payload accepted; clamped to `1...Int32.max`.
    public init(maximumFrameLength: Int = FrameDecoder.defaultMaximumFrameLength) {
        self.maximumFrameLength = Swift.min(Swift.max(maximumFrameLength, 1), Int(Int32.max))
    }

    /// How many received bytes are not yet part of a returned frame.
    public var bufferedByteCount: Int { buffer.count - readIndex }

    /// Whether the decoder hit a malformed length and refuses further input.
    public var hasFailed: Bool { failure != nil }

    /// Adds received bytes.
    /// - Parameter bytes: The next chunk of the stream.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else { return }
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Adds received bytes.
    /// - Parameter bytes: The next chunk of the stream.
    public mutating func append<C: Collection>(contentsOf bytes: C) where C.Element == UInt8 {
        guard failure == nil, !bytes.isEmpty else { return }
        compactIfWorthwhile()
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next complete frame's payload, or `nil` if more bytes are needed.
    /// - Returns: The payload (the bytes after the length prefix), or `nil`.
    /// - Throws: ``IgniteError/Code/protocolViolation`` when the length prefix is ≤ 0 or larger than
    ///   ``maximumFrameLength``; the same error again on every later call.
    public mutating func nextFrame() throws -> [UInt8]? {
        if let failure { throw failure }
        let available = buffer.count - readIndex
        guard available >= 4 else { return nil }
        let length = buffer.withUnsafeBytes { raw in
            Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: readIndex, as: Int32.self)))
        }
        guard length > 0, length <= maximumFrameLength else {
            let error = IgniteError(.protocolViolation,
                                    "invalid frame length \(length) (accepted: 1...\(maximumFrameLength))")
            failure = error
            buffer = []
            readIndex = 0
            throw error
        }
        guard available - 4 >= length else { return nil }
        let start = readIndex + 4
        let payload = Array(buffer[start..<(start + length)])
        readIndex = start + length
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            readIndex = 0
        }
        return payload
    }

    /// Hands the next complete frame's payload to `body` in place (no copy), or returns `nil` if more bytes are
    /// needed. The bytes are valid only inside `body`.
    /// - Parameter body: Reads the payload (the bytes after the length prefix).
    /// - Returns: What `body` returned, or `nil`.
    /// - Throws: Like ``nextFrame()``.
    package mutating func withNextFrame<T>(_ body: (UnsafeRawBufferPointer) throws -> T) throws -> T? {
        if let failure { throw failure }
        let available = buffer.count - readIndex
        guard available >= 4 else { return nil }
        let start = readIndex
        let length = buffer.withUnsafeBytes { raw in
            Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: start, as: Int32.self)))
        }
        guard length > 0, length <= maximumFrameLength else {
            _ = try nextFrame()  // fails the decoder with the same error
            return nil
        }
        guard available - 4 >= length else { return nil }
        let result = try buffer.withUnsafeBytes { raw in
            try body(UnsafeRawBufferPointer(rebasing: raw[(start + 4)..<(start + 4 + length)]))
        }
        readIndex = start + 4 + length
        if readIndex == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 1 << 20)
            readIndex = 0
        }
        return result
    }

    /// How many more bytes the frame being received needs, when its length prefix has arrived; `nil` otherwise.
    /// A reader can use it to size its next read.
    public var bytesNeededForNextFrame: Int? {
        let available = buffer.count - readIndex
        guard failure == nil, available >= 4 else { return nil }
        let length = buffer.withUnsafeBytes { raw in
            Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: readIndex, as: Int32.self)))
        }
        return Swift.max(0, length + 4 - available)
    }

    private mutating func compactIfWorthwhile() {
        if readIndex > 0, readIndex * 2 >= buffer.count {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
    }
}

extension FrameDecoder {
    /// ``withNextFrame(_:)`` handing the frame to a connection's machine (``ConnectionStateMachine/frameReceived(in:)``),
    /// which is what both drivers do with every reply.
    ///
    /// A concrete entry point, so that the generic body is specialised here once: `package` generics are not
    /// specialised across modules, and called from a driver the unspecialised body (`Array.withUnsafeBytes` with an
    /// optional generic result, through value witnesses) cost about 300 instructions per frame.
    /// - Parameter machine: The connection's machine.
    /// - Returns: The machine's action for the next complete frame, or `nil` if none is complete yet.
    /// - Throws: ``IgniteError/Code/protocolViolation`` for an invalid frame length (the decoder has failed).
    package mutating func nextFrameAction(for machine: inout ConnectionStateMachine) throws -> ConnectionStateMachine.FrameAction? {
        try withNextFrame { machine.frameReceived(in: $0) }
    }
}
