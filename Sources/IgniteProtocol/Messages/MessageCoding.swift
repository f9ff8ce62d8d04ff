import Foundation

/// The server direction of a request: how a server (the test node) reads the request body and writes
/// the body of a successful response. The client never calls these.
package protocol IgniteServerCodableRequest: IgniteRequest {
    /// Reads a request body (everything after the request id).
    /// - Throws: ``IgniteError/Code/parse`` for a malformed body.
    static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> Self

    /// Writes the body of a successful response.
    /// - Throws: ``IgniteError/Code/parameter`` if the response cannot be represented.
    func encodeResponse(_ response: Response, into writer: inout BinaryWriter, context: ProtocolContext) throws
}

extension IgniteServerCodableRequest where Response == Void {
    /// An empty response body: nothing to write.
    package func encodeResponse(_ response: Void, into writer: inout BinaryWriter, context: ProtocolContext) throws {}
}

/// One cache entry of a response: a key and its value, both decoded.
package struct CacheEntry: Hashable, Sendable {
    /// The key.
    public var key: IgniteValue
    /// The value.
    public var value: IgniteValue

    /// Creates an entry.
    public init(key: IgniteValue, value: IgniteValue) {
        self.key = key
        self.value = value
    }
}

/// A key and value pair to send, both pre-encoded.
package struct EncodedEntry: Hashable, Sendable {
    /// The key.
    public var key: EncodedValue
    /// The value.
    public var value: EncodedValue

    /// Creates a pair.
    public init(key: EncodedValue, value: EncodedValue) {
        self.key = key
        self.value = value
    }
}

extension IgniteError {
    /// The error for a request the negotiated protocol cannot express.
    static func notSupported(_ what: String, needs requirement: String, context: ProtocolContext) -> IgniteError {
        IgniteError(.notSupportedByCluster, "\(what) needs \(requirement); the connection negotiated \(context)")
    }
}

extension ProtocolContext {
    /// Throws unless the feature bit was negotiated.
    func require(_ bit: FeatureBit, for what: String) throws {
        guard has(bit) else { throw IgniteError.notSupported(what, needs: "feature \(bit)", context: self) }
    }
}

extension BinaryWriter {
    /// Writes an i32 count, checked to fit.
    mutating func writeCount(_ count: Int, of what: String) throws {
        guard count <= Int(Int32.max) else { throw IgniteError.parameter("too many \(what): \(count)") }
        writeInt32(Int32(count))
    }

    /// Writes `i32 n` and n pre-encoded objects.
    mutating func writeEncodedValues(_ values: [EncodedValue], of what: String) throws {
        try writeCount(values.count, of: what)
        for value in values { writeEncodedValue(value) }
    }

    /// Writes `i32 n` and n decoded values.
    mutating func writeValues(_ values: [IgniteValue], of what: String) throws {
        try writeCount(values.count, of: what)
        for value in values { writeValue(value) }
    }

    /// Writes `i32 n` and n (key, value) pairs.
    mutating func writeCacheEntries(_ entries: [CacheEntry]) throws {
        try writeCount(entries.count, of: "entries")
        for entry in entries {
            writeValue(entry.key)
            writeValue(entry.value)
        }
    }

    /// Writes `i32 n` and n raw UUIDs (two i64 each, no type code): what a Java server reads with
    /// `new UUID(reader.readLong(), reader.readLong())`.
    mutating func writeRawUUIDs(_ ids: [UUID]) throws {
        try writeCount(ids.count, of: "node ids")
        for id in ids { writeUUIDPayload(id) }
    }

    /// Writes `i32 n` and n typed UUIDs (type code 10, then the two i64): what a Java server reads with
    /// `reader.readUuid()`.
    mutating func writeTypedUUIDs(_ ids: [UUID]) throws {
        try writeCount(ids.count, of: "node ids")
        for id in ids { writeUUIDObject(id) }
    }
}

extension BinaryReader {
    /// Reads an i32 count of elements each at least `elementSize` bytes long, validated against the bytes after it.
    mutating func readCount(elementSize: Int) throws -> Int {
        let count = try readInt32()  // read first: the check must see the position after the count
        return try checkCount(count, elementSize: elementSize)
    }

    /// Reads an i32 count like ``readCount(elementSize:)`` and charges the decoded-size budget
    /// (``BinaryReader/chargeDecoded(_:of:)``) for `count` elements of `type`, each `extraBytes` more (a heap
    /// allocation the element owns), so that a claimed count reserves no more than the reply may decode to.
    mutating func readCount<T>(elementSize: Int, of type: T.Type, extraBytes: Int = 0) throws -> Int {
        let count = try readCount(elementSize: elementSize)
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<T>.stride + extraBytes)
        try chargeDecoded(bytes: overflow ? Int.max : bytes)
        return count
    }

    /// Reads `i32 n` and n pre-encoded objects.
    mutating func readEncodedValues() throws -> [EncodedValue] {
        // Each element owns an array: its header (32 bytes) counts too.
        let count = try readCount(elementSize: 1, of: EncodedValue.self, extraBytes: 32)
        var values: [EncodedValue] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try readEncodedValue()) }
        return values
    }

    /// Reads `i32 n` and n decoded values.
    mutating func readValues() throws -> [IgniteValue] {
        let count = try readCount(elementSize: 1, of: IgniteValue.self)
        var values: [IgniteValue] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try readValue()) }
        return values
    }

    /// Reads `i32 n` and n (key, value) pairs.
    mutating func readCacheEntries() throws -> [CacheEntry] {
        let count = try readCount(elementSize: 2, of: CacheEntry.self)
        var entries: [CacheEntry] = []
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try readValue()
            entries.append(CacheEntry(key: key, value: try readValue()))
        }
        return entries
    }

    /// Reads `i32 n` and n raw UUIDs.
    mutating func readRawUUIDs() throws -> [UUID] {
        let count = try readCount(elementSize: 16, of: UUID.self)
        var ids: [UUID] = []
        ids.reserveCapacity(count)
        for _ in 0..<count { ids.append(try readUUIDPayload()) }
        return ids
    }

    /// Reads `i32 n` and n typed UUIDs (type code 10 each). Anything else, null (101) included, is a parse error:
    /// the Java server's `readUuid()` fails with "Unexpected field type [pos=…, expected=UUID, actual=…]" on any other
    /// type code, and a null node id is no node to run on.
    mutating func readTypedUUIDs() throws -> [UUID] {
        let count = try readCount(elementSize: 17, of: UUID.self)
        var ids: [UUID] = []
        ids.reserveCapacity(count)
        for _ in 0..<count { ids.append(try readUUIDObject()) }
        return ids
    }

    /// Reads `i32 n` and n non-null strings.
    mutating func readStrings() throws -> [String] {
        let count = try readCount(elementSize: 5, of: String.self)
        var names: [String] = []
        names.reserveCapacity(count)
        for _ in 0..<count { names.append(try readStringObject()) }
        return names
    }
}
