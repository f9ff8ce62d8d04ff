// Data streamer (OP_DATA_STREAMER_START 8000, OP_DATA_STREAMER_ADD_DATA 8001). Layout from apache/ignite server
// `processors/platform/client/streamer/ClientDataStreamerStartRequest`, `ClientDataStreamerAddDataRequest`,
// `ClientDataStreamerReader` and `ClientDataStreamerFlags`; the .NET thin client
// (`platforms/dotnet/Apache.Ignite.Core/Impl/Client/Datastream/`) sends each batch as a one-off START with CLOSE.

extension OpCode {
    /// OP_DATA_STREAMER_START (8000).
    public static let dataStreamerStart: OpCode = 8000
    /// OP_DATA_STREAMER_ADD_DATA (8001).
    public static let dataStreamerAddData: OpCode = 8001
}

/// The flags of a data-streamer request (`ClientDataStreamerFlags`).
package struct DataStreamerFlags: OptionSet, Hashable, Sendable {
    /// The bits.
    public let rawValue: Int8
    /// Flags from bits.
    public init(rawValue: Int8) { self.rawValue = rawValue }

    /// 0x01: existing entries are overwritten (otherwise an existing key keeps its value).
    public static let allowOverwrite = DataStreamerFlags(rawValue: 0x01)
    /// 0x02: the cache store is not written through.
    public static let skipStore = DataStreamerFlags(rawValue: 0x02)
    /// 0x04: the server keeps values in binary form (receivers).
    public static let keepBinary = DataStreamerFlags(rawValue: 0x04)
    /// 0x08: the server streamer flushes after adding the entries.
    public static let flush = DataStreamerFlags(rawValue: 0x08)
    /// 0x10: the server streamer closes (flushing) after adding the entries; START then answers resource id 0.
    public static let close = DataStreamerFlags(rawValue: 0x10)
}

/// One streamed entry: a key and its value, or `nil` to remove the key (`DataStreamerEntry` with a null value).
public struct DataStreamerEntry: Hashable, Sendable {
    /// The key.
    public var key: EncodedValue
    /// The value, or `nil` to remove the key.
    public var value: EncodedValue?

    /// Creates an entry.
    public init(key: EncodedValue, value: EncodedValue?) {
        self.key = key
        self.value = value
    }
}

extension BinaryWriter {
    /// `i32 n, (key Obj, value Obj or 101) × n` (`ClientDataStreamerReader.read`; 0 entries = none).
    mutating func writeStreamerEntries(_ entries: [DataStreamerEntry]) throws {
        try writeCount(entries.count, of: "streamer entries")
        for entry in entries {
            writeEncodedValue(entry.key)
            writeEncodedValue(entry.value ?? .null)
        }
    }
}

extension BinaryReader {
    /// Reads `i32 n, (key, value) × n` (server direction).
    mutating func readStreamerEntries() throws -> [DataStreamerEntry] {
        let count = try readCount(elementSize: 2)
        var entries: [DataStreamerEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try readEncodedValue()
            let value = try readEncodedValue()
            entries.append(DataStreamerEntry(key: key, value: value.isNull ? nil : value))
        }
        return entries
    }
}

/// OP_DATA_STREAMER_START (8000): opens a server-side streamer on a cache, optionally with a first batch.
///
/// Body: `i32 cacheId, i8 flags, i32 perNodeBufferSize (−1: server default, or the batch size with CLOSE),
/// i32 perThreadBufferSize (−1: default), Obj receiver (101: none) [i8 platform if a receiver], i32 n, entries`.
/// Response: `i64` streamer resource id (0 with ``DataStreamerFlags/close``).
package struct DataStreamerStartRequest: IgniteServerCodableRequest, Hashable {
    /// The cache id.
    public var cacheId: Int32
    /// The flags.
    public var flags: DataStreamerFlags
    /// The server streamer's per-node buffer size (−1: default).
    public var perNodeBufferSize: Int32
    /// The server streamer's per-thread buffer size (−1: default).
    public var perThreadBufferSize: Int32
    /// The entries of the first batch.
    public var entries: [DataStreamerEntry]

    /// Creates the request.
    public init(cacheId: Int32, flags: DataStreamerFlags, perNodeBufferSize: Int32 = -1, perThreadBufferSize: Int32 = -1,
                entries: [DataStreamerEntry]) {
        self.cacheId = cacheId
        self.flags = flags
        self.perNodeBufferSize = perNodeBufferSize
        self.perThreadBufferSize = perThreadBufferSize
        self.entries = entries
    }

    /// ``OpCode/dataStreamerStart``.
    public var opCode: OpCode { .dataStreamerStart }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below protocol 1.0 (never: every version parses it, and a
    ///   server without the op answers status 2, which the client maps).
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt32(cacheId)
        writer.writeInt8(flags.rawValue)
        writer.writeInt32(perNodeBufferSize)
        writer.writeInt32(perThreadBufferSize)
        writer.writeValue(.null)  // no receiver: a Java or .NET receiver class cannot come from Swift
        try writer.writeStreamerEntries(entries)
    }

    /// - Returns: The streamer resource id.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Int64 {
        try reader.readInt64()
    }

    /// Reads a request body (server direction); a receiver object is skipped.
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> DataStreamerStartRequest {
        let cacheId = try reader.readInt32()
        let flags = DataStreamerFlags(rawValue: try reader.readInt8())
        let perNode = try reader.readInt32()
        let perThread = try reader.readInt32()
        let receiver = try reader.readEncodedValue()
        if !receiver.isNull { _ = try reader.readInt8() }
        return DataStreamerStartRequest(cacheId: cacheId, flags: flags, perNodeBufferSize: perNode, perThreadBufferSize: perThread,
                                        entries: try reader.readStreamerEntries())
    }

    /// Writes the response (server direction).
    public func encodeResponse(_ response: Int64, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(response)
    }
}

/// OP_DATA_STREAMER_ADD_DATA (8001): adds a batch to an open server-side streamer.
///
/// Body: `i64 streamerId, i8 flags (FLUSH, CLOSE), i32 n, entries`. Response: empty. With CLOSE the resource is
/// released.
package struct DataStreamerAddDataRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The streamer resource id.
    public var streamerId: Int64
    /// The flags (only FLUSH and CLOSE are read).
    public var flags: DataStreamerFlags
    /// The entries.
    public var entries: [DataStreamerEntry]

    /// Creates the request.
    public init(streamerId: Int64, flags: DataStreamerFlags = [], entries: [DataStreamerEntry]) {
        self.streamerId = streamerId
        self.flags = flags
        self.entries = entries
    }

    /// ``OpCode/dataStreamerAddData``.
    public var opCode: OpCode { .dataStreamerAddData }

    /// Writes the body.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(streamerId)
        writer.writeInt8(flags.rawValue)
        try writer.writeStreamerEntries(entries)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> DataStreamerAddDataRequest {
        let id = try reader.readInt64()
        let flags = DataStreamerFlags(rawValue: try reader.readInt8())
        return DataStreamerAddDataRequest(streamerId: id, flags: flags, entries: try reader.readStreamerEntries())
    }
}
