// Continuous queries (OP_QUERY_CONTINUOUS 2006, notification OP_QUERY_CONTINUOUS_EVENT_NOTIFICATION 2007).
// Request layout: PROTOCOL-FACTS §5.5 (GG `pc/cache/ClientCacheQueryContinuousRequest`); response: `i64` query
// (resource) id. Notification body: apache/ignite `processors/platform/client/cache/ClientCacheEntryEventNotification`
// `encode`: `i32 n, (key Obj, oldValue Obj, value Obj, i8 type) × n`, type CREATED 0, UPDATED 1, REMOVED 2, EXPIRED 3;
// the events of one notification are in the order the listener received them. `value` is `getValue()`, which for
// REMOVED and EXPIRED events is the old value (`CacheContinuousQueryManager.onEntryUpdated` / `onEntryExpired`);
// the client passes both on as sent, as Java's `ClientCacheEntryListenerHandler` does.

/// One change of a cache entry seen by a continuous query, with the values as the server sent them.
///
/// Events of one key arrive in the order of its changes; events of different keys in no global order (the server
/// keeps the order per partition only).
public struct ContinuousQueryEvent: Hashable, Sendable, CustomStringConvertible {
    /// What happened.
    public enum Kind: Int8, Hashable, Sendable {
        /// The key was inserted (no old value).
        case created = 0
        /// The value of an existing key changed.
        case updated = 1
        /// The key was removed. The server sends the removed value as both ``ContinuousQueryEvent/oldValue`` and
        /// ``ContinuousQueryEvent/value``.
        case removed = 2
        /// The entry expired (only with `includeExpired`). The server sends the expired value as both
        /// ``ContinuousQueryEvent/oldValue`` and ``ContinuousQueryEvent/value``.
        case expired = 3
    }

    /// What happened.
    public var kind: Kind
    /// The key.
    public var key: IgniteValue
    /// The value before the change (`nil` when created, or when the server did not keep it).
    public var oldValue: IgniteValue?
    /// The event's value as the server sends it (`CacheEntryEvent.getValue()`): the new value when created or updated;
    /// for ``Kind/removed`` and ``Kind/expired`` the server sends the old value here too (not `nil`). Test ``kind``
    /// to recognise a removal.
    public var value: IgniteValue?

    /// Creates an event.
    public init(kind: Kind, key: IgniteValue, oldValue: IgniteValue?, value: IgniteValue?) {
        self.kind = kind
        self.key = key
        self.oldValue = oldValue
        self.value = value
    }

    /// `kind key: old → new`.
    public var description: String {
        "\(kind) \(key): \(oldValue.map { "\($0)" } ?? "nil") → \(value.map { "\($0)" } ?? "nil")"
    }

    /// Reads a notification body (client direction).
    /// - Throws: ``IgniteError/Code/parse`` for a malformed body or an unknown event type.
    package static func decodeBatch(from reader: inout BinaryReader) throws -> [ContinuousQueryEvent] {
        let count = try reader.readCount(elementSize: 4)
        var events: [ContinuousQueryEvent] = []
        events.reserveCapacity(count)
        for _ in 0..<count {
            let key = try reader.readValue()
            let old = try reader.readValue()
            let new = try reader.readValue()
            let raw = try reader.readInt8()
            guard let kind = Kind(rawValue: raw) else { throw IgniteError.parse("unknown continuous query event type \(raw)") }
            events.append(ContinuousQueryEvent(kind: kind, key: key, oldValue: old.isNull ? nil : old, value: new.isNull ? nil : new))
        }
        return events
    }

    /// Writes a notification body (server direction).
    package static func encodeBatch(_ events: [ContinuousQueryEvent], into writer: inout BinaryWriter) throws {
        try writer.writeCount(events.count, of: "events")
        for event in events {
            writer.writeValue(event.key)
            writer.writeValue(event.oldValue ?? .null)
            writer.writeValue(event.value ?? .null)
            writer.writeInt8(event.kind.rawValue)
        }
    }
}

/// OP_QUERY_CONTINUOUS (2006): registers a continuous query whose events arrive as notifications 2007 on the same
/// connection, addressed by the query id the response carries.
///
/// Body: `CacheInfo, i32 pageSize, i64 timeInterval (ms, 0: send when a page is full), bool includeExpired,
/// Obj filter (101: none) [i8 platform if a filter]`. Response: `i64` query id (an OP_RESOURCE_CLOSE of it stops the
/// query).
package struct QueryContinuousRequest: IgniteServerCodableRequest, Hashable {
    /// The cache (no transaction).
    public var cache: CacheInfo
    /// Events buffered on a server node before they are sent (1: at once).
    public var pageSize: Int32
    /// The longest a partly filled page waits, in milliseconds (0: until full).
    public var timeIntervalMilliseconds: Int64
    /// Whether expiry events are delivered.
    public var includeExpired: Bool

    /// Creates the request.
    public init(cache: CacheInfo, pageSize: Int32 = 1, timeIntervalMilliseconds: Int64 = 0, includeExpired: Bool = false) {
        self.cache = cache
        self.pageSize = pageSize
        self.timeIntervalMilliseconds = timeIntervalMilliseconds
        self.includeExpired = includeExpired
    }

    /// ``OpCode/queryContinuous``.
    public var opCode: OpCode { .queryContinuous }

    /// - Throws: ``IgniteError/Code/parameter`` for a page size ≤ 0 or a negative interval;
    ///   ``IgniteError/Code/notSupportedByCluster`` inside a transaction.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try cache.requireNoTransaction(opCode)
        let pageSize = try pageSize.validatedPageSize()
        guard timeIntervalMilliseconds >= 0 else { throw IgniteError.parameter("time interval must not be negative") }
        try cache.encode(into: &writer, context: context)
        writer.writeInt32(pageSize)
        writer.writeInt64(timeIntervalMilliseconds)
        writer.writeBool(includeExpired)
        writer.writeValue(.null)  // no remote filter: a Java class cannot come from Swift
    }

    /// - Returns: The query id.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Int64 {
        try reader.readInt64()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> QueryContinuousRequest {
        let cache = try CacheInfo.decode(from: &reader)
        let pageSize = try reader.readInt32()
        let interval = try reader.readInt64()
        let includeExpired = try reader.readBool()
        let filter = try reader.readEncodedValue()
        if !filter.isNull { _ = try reader.readInt8() }
        return QueryContinuousRequest(cache: cache, pageSize: pageSize, timeIntervalMilliseconds: interval, includeExpired: includeExpired)
    }

    /// Writes the response (server direction).
    public func encodeResponse(_ response: Int64, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt64(response)
    }
}
