// Operations that share one body layout are one generic request type each (``CacheKeyRequest``,
// ``CacheKeyValueRequest``, ``CacheKeysRequest``, ``CacheWideRequest``, ``CacheNameRequest``,
// ``CacheConfigurationCreateRequest``, ``CursorGetPageRequest``), told apart by a marker type from ``IgniteOps``
// that names the op code and the response. The per-operation names (`CacheGetRequest`, ...) are typealiases.

/// Names one operation of a generic request type: its op code and how its response body is coded.
///
/// Conforming types are empty enums in ``IgniteOps``. The response coding comes from a default implementation
/// chosen by ``Response`` (empty, `Bool`, ``IgniteValue``, entries, a page of entries).
package protocol IgniteOperationMarker: Sendable {
    /// The decoded response body.
    associatedtype Response: Sendable

    /// The operation code.
    static var opCode: OpCode { get }

    /// Reads the body of a successful response.
    /// - Parameter reader: Positioned at the body.
    /// - Returns: The decoded body.
    /// - Throws: ``IgniteError/Code/parse`` for a malformed body.
    static func decodeResponse(from reader: inout BinaryReader) throws -> Response

    /// Writes the body of a successful response (server direction, used by tests and the test node).
    /// - Parameters:
    ///   - response: The body to write.
    ///   - writer: The writer to append to.
    /// - Throws: ``IgniteError/Code/parameter`` if the response cannot be represented.
    static func encodeResponse(_ response: Response, into writer: inout BinaryWriter) throws

    /// Checks that a decoded response fits a request for `keyCount` keys (cheap checks only).
    /// - Throws: ``IgniteError/Code/protocolViolation`` when it cannot be the answer to that request.
    static func check(_ response: Response, keyCount: Int) throws
}

extension IgniteOperationMarker {
    /// Accepts any response: most operations have nothing to compare.
    @inlinable
    public static func check(_ response: Response, keyCount: Int) throws {}
}

extension IgniteOperationMarker where Response == Void {
    /// An empty body: nothing to read.
    @inlinable
    package static func decodeResponse(from reader: inout BinaryReader) throws {}

    /// An empty body: nothing to write.
    @inlinable
    package static func encodeResponse(_ response: Void, into writer: inout BinaryWriter) throws {}
}

extension IgniteOperationMarker where Response == Bool {
    /// Reads `bool`.
    @inlinable
    package static func decodeResponse(from reader: inout BinaryReader) throws -> Bool { try reader.readBool() }

    /// Writes `bool`.
    @inlinable
    package static func encodeResponse(_ response: Bool, into writer: inout BinaryWriter) throws { writer.writeBool(response) }
}

extension IgniteOperationMarker where Response == IgniteValue {
    /// Reads one data object (``IgniteValue/null`` when the server has no value).
    @inlinable
    package static func decodeResponse(from reader: inout BinaryReader) throws -> IgniteValue { try reader.readValue() }

    /// Writes one data object.
    @inlinable
    package static func encodeResponse(_ response: IgniteValue, into writer: inout BinaryWriter) throws { writer.writeValue(response) }
}

extension IgniteOperationMarker where Response == [CacheEntry] {
    /// Reads `i32 n, (key, value) × n`.
    package static func decodeResponse(from reader: inout BinaryReader) throws -> [CacheEntry] { try reader.readCacheEntries() }

    /// Writes `i32 n, (key, value) × n`.
    package static func encodeResponse(_ response: [CacheEntry], into writer: inout BinaryWriter) throws {
        try writer.writeCacheEntries(response)
    }
}

extension IgniteOperationMarker where Response == CursorPage<CacheEntry> {
    /// Reads a page of (key, value) rows.
    package static func decodeResponse(from reader: inout BinaryReader) throws -> CursorPage<CacheEntry> { try reader.readEntryPage() }

    /// Writes a page of (key, value) rows.
    package static func encodeResponse(_ response: CursorPage<CacheEntry>, into writer: inout BinaryWriter) throws {
        try writer.writeEntryPage(response)
    }
}

/// The operation markers of the generic request types, one per op code.
package enum IgniteOps {
    /// OP_CACHE_GET (1000): answers the value.
    public enum CacheGet: IgniteOperationMarker {
        /// The value, or null.
        public typealias Response = IgniteValue
        /// ``OpCode/cacheGet``.
        public static var opCode: OpCode { .cacheGet }
    }

    /// OP_CACHE_PUT (1001): answers nothing.
    public enum CachePut: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cachePut``.
        public static var opCode: OpCode { .cachePut }
    }

    /// OP_CACHE_PUT_IF_ABSENT (1002): answers whether the value was stored.
    public enum CachePutIfAbsent: IgniteOperationMarker {
        /// Whether the value was stored.
        public typealias Response = Bool
        /// ``OpCode/cachePutIfAbsent``.
        public static var opCode: OpCode { .cachePutIfAbsent }
    }

    /// OP_CACHE_GET_ALL (1003): answers the entries found.
    public enum CacheGetAll: IgniteOperationMarker {
        /// The entries found, in the server's order.
        public typealias Response = [CacheEntry]
        /// ``OpCode/cacheGetAll``.
        public static var opCode: OpCode { .cacheGetAll }

        /// At most one entry per key asked for.
        /// - Throws: ``IgniteError/Code/protocolViolation`` for more entries than keys.
        public static func check(_ response: [CacheEntry], keyCount: Int) throws {
            guard response.count <= keyCount else {
                throw IgniteError(.protocolViolation, "getAll answered \(response.count) entries to a request for \(keyCount) keys")
            }
        }
    }

    /// OP_CACHE_GET_AND_PUT (1005): answers the previous value.
    public enum CacheGetAndPut: IgniteOperationMarker {
        /// The previous value, or null.
        public typealias Response = IgniteValue
        /// ``OpCode/cacheGetAndPut``.
        public static var opCode: OpCode { .cacheGetAndPut }
    }

    /// OP_CACHE_GET_AND_REPLACE (1006): answers the previous value.
    public enum CacheGetAndReplace: IgniteOperationMarker {
        /// The previous value, or null.
        public typealias Response = IgniteValue
        /// ``OpCode/cacheGetAndReplace``.
        public static var opCode: OpCode { .cacheGetAndReplace }
    }

    /// OP_CACHE_GET_AND_REMOVE (1007): answers the previous value.
    public enum CacheGetAndRemove: IgniteOperationMarker {
        /// The previous value, or null.
        public typealias Response = IgniteValue
        /// ``OpCode/cacheGetAndRemove``.
        public static var opCode: OpCode { .cacheGetAndRemove }
    }

    /// OP_CACHE_GET_AND_PUT_IF_ABSENT (1008): answers the existing value.
    public enum CacheGetAndPutIfAbsent: IgniteOperationMarker {
        /// The existing value, or null if the value was stored.
        public typealias Response = IgniteValue
        /// ``OpCode/cacheGetAndPutIfAbsent``.
        public static var opCode: OpCode { .cacheGetAndPutIfAbsent }
    }

    /// OP_CACHE_REPLACE (1009): answers whether the value was replaced.
    public enum CacheReplace: IgniteOperationMarker {
        /// Whether the value was replaced.
        public typealias Response = Bool
        /// ``OpCode/cacheReplace``.
        public static var opCode: OpCode { .cacheReplace }
    }

    /// OP_CACHE_CONTAINS_KEY (1011): answers whether the key is present.
    public enum CacheContainsKey: IgniteOperationMarker {
        /// Whether the key is present.
        public typealias Response = Bool
        /// ``OpCode/cacheContainsKey``.
        public static var opCode: OpCode { .cacheContainsKey }
    }

    /// OP_CACHE_CONTAINS_KEYS (1012): answers whether every key is present.
    public enum CacheContainsKeys: IgniteOperationMarker {
        /// Whether every key is present.
        public typealias Response = Bool
        /// ``OpCode/cacheContainsKeys``.
        public static var opCode: OpCode { .cacheContainsKeys }
    }

    /// OP_CACHE_CLEAR (1013): answers nothing.
    public enum CacheClear: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cacheClear``.
        public static var opCode: OpCode { .cacheClear }
    }

    /// OP_CACHE_CLEAR_KEY (1014): answers nothing.
    public enum CacheClearKey: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cacheClearKey``.
        public static var opCode: OpCode { .cacheClearKey }
    }

    /// OP_CACHE_CLEAR_KEYS (1015): answers nothing.
    public enum CacheClearKeys: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cacheClearKeys``.
        public static var opCode: OpCode { .cacheClearKeys }
    }

    /// OP_CACHE_REMOVE_KEY (1016): answers whether the key was removed.
    public enum CacheRemoveKey: IgniteOperationMarker {
        /// Whether the key was removed.
        public typealias Response = Bool
        /// ``OpCode/cacheRemoveKey``.
        public static var opCode: OpCode { .cacheRemoveKey }
    }

    /// OP_CACHE_REMOVE_IF_EQUALS (1017): answers whether the key was removed.
    public enum CacheRemoveIfEquals: IgniteOperationMarker {
        /// Whether the key was removed.
        public typealias Response = Bool
        /// ``OpCode/cacheRemoveIfEquals``.
        public static var opCode: OpCode { .cacheRemoveIfEquals }
    }

    /// OP_CACHE_REMOVE_KEYS (1018): answers nothing.
    public enum CacheRemoveKeys: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cacheRemoveKeys``.
        public static var opCode: OpCode { .cacheRemoveKeys }
    }

    /// OP_CACHE_REMOVE_ALL (1019): answers nothing.
    public enum CacheRemoveAll: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cacheRemoveAll``.
        public static var opCode: OpCode { .cacheRemoveAll }
    }

    /// OP_CACHE_CREATE_WITH_NAME (1051): answers nothing.
    public enum CacheCreateWithName: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cacheCreateWithName``.
        public static var opCode: OpCode { .cacheCreateWithName }
    }

    /// OP_CACHE_GET_OR_CREATE_WITH_NAME (1052): answers nothing.
    public enum CacheGetOrCreateWithName: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cacheGetOrCreateWithName``.
        public static var opCode: OpCode { .cacheGetOrCreateWithName }
    }

    /// OP_CACHE_CREATE_WITH_CONFIGURATION (1053): answers nothing.
    public enum CacheCreateWithConfiguration: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cacheCreateWithConfiguration``.
        public static var opCode: OpCode { .cacheCreateWithConfiguration }
    }

    /// OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION (1054): answers nothing.
    public enum CacheGetOrCreateWithConfiguration: IgniteOperationMarker {
        /// Empty.
        public typealias Response = Void
        /// ``OpCode/cacheGetOrCreateWithConfiguration``.
        public static var opCode: OpCode { .cacheGetOrCreateWithConfiguration }
    }

    /// OP_QUERY_SCAN_CURSOR_GET_PAGE (2001): answers a page of entries.
    public enum QueryScanCursorGetPage: IgniteOperationMarker {
        /// The page.
        public typealias Response = CursorPage<CacheEntry>
        /// ``OpCode/queryScanCursorGetPage``.
        public static var opCode: OpCode { .queryScanCursorGetPage }
    }

    /// OP_QUERY_SQL_CURSOR_GET_PAGE (2003): answers a page of entries.
    public enum QuerySQLCursorGetPage: IgniteOperationMarker {
        /// The page.
        public typealias Response = CursorPage<CacheEntry>
        /// ``OpCode/querySQLCursorGetPage``.
        public static var opCode: OpCode { .querySQLCursorGetPage }
    }
}
