// Transactions (OP 4000/4001, ≥ 1.5.0; PROTOCOL-FACTS §9). Every operation of a transaction, and its end,
// must go over the connection that started it.

/// How a transaction locks entries (`TransactionConcurrency` ordinals).
public enum TransactionConcurrency: Int8, Hashable, Sendable {
    /// Locks are taken at commit.
    case optimistic = 0
    /// Locks are taken on first access (the default).
    case pessimistic = 1
}

/// What a transaction sees of concurrent changes (`TransactionIsolation` ordinals).
public enum TransactionIsolation: Int8, Hashable, Sendable {
    /// Reads see committed values at the time of the read.
    case readCommitted = 0
    /// Repeated reads see the same value (the default).
    case repeatableRead = 1
    /// Transactions behave as if run one after another.
    case serializable = 2
}

/// OP_TX_START (4000): starts a transaction on this connection.
/// Body: `i8 concurrency, i8 isolation, i64 timeoutMs, String label`. Response: `i32 txId`.
package struct TxStartRequest: IgniteServerCodableRequest, Hashable {
    /// The concurrency mode.
    public var concurrency: TransactionConcurrency
    /// The isolation level.
    public var isolation: TransactionIsolation
    /// The timeout in milliseconds (0: none).
    public var timeout: Int64
    /// A label shown in the server's transaction views.
    public var label: String?

    /// Creates the request; the defaults are the Java client's and pyignite's.
    public init(concurrency: TransactionConcurrency = .pessimistic, isolation: TransactionIsolation = .repeatableRead,
                timeout: Int64 = 0, label: String? = nil) {
        self.concurrency = concurrency
        self.isolation = isolation
        self.timeout = timeout
        self.label = label
    }

    /// ``OpCode/txStart``.
    public var opCode: OpCode { .txStart }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below 1.5.0; ``IgniteError/Code/parameter`` for a negative timeout.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard context.supportsTransactions else {
            throw IgniteError.notSupported("transactions", needs: "protocol 1.5.0", context: context)
        }
        guard timeout >= 0 else { throw IgniteError.parameter("transaction timeout must be ≥ 0 ms, got \(timeout)") }
        writer.writeInt8(concurrency.rawValue)
        writer.writeInt8(isolation.rawValue)
        writer.writeInt64(timeout)
        writer.writeOptionalStringObject(label)
    }

    /// - Returns: The transaction id, for ``CacheInfo/transactionId`` and ``TxEndRequest``.
    public func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> Int32 {
        try reader.readInt32()
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> TxStartRequest {
        let rawConcurrency = try reader.readInt8()
        let rawIsolation = try reader.readInt8()
        guard let concurrency = TransactionConcurrency(rawValue: rawConcurrency) else {
            throw IgniteError.parse("unknown transaction concurrency \(rawConcurrency)")
        }
        guard let isolation = TransactionIsolation(rawValue: rawIsolation) else {
            throw IgniteError.parse("unknown transaction isolation \(rawIsolation)")
        }
        let timeout = try reader.readInt64()
        return TxStartRequest(concurrency: concurrency, isolation: isolation, timeout: timeout, label: try reader.readOptionalStringObject())
    }

    /// Writes the response body (server direction).
    public func encodeResponse(_ response: Int32, into writer: inout BinaryWriter, context: ProtocolContext) throws {
        writer.writeInt32(response)
    }
}

/// OP_TX_END (4001): commits or rolls back a transaction. Body: `i32 txId, bool committed`. Response: empty.
/// An unknown id fails with status 1021.
package struct TxEndRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The transaction id.
    public var transactionId: Int32
    /// `true` to commit, `false` to roll back.
    public var commit: Bool

    /// Creates the request.
    public init(transactionId: Int32, commit: Bool) {
        self.transactionId = transactionId
        self.commit = commit
    }

    /// ``OpCode/txEnd``.
    public var opCode: OpCode { .txEnd }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` below 1.5.0.
    public func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        guard context.supportsTransactions else {
            throw IgniteError.notSupported("transactions", needs: "protocol 1.5.0", context: context)
        }
        writer.writeInt32(transactionId)
        writer.writeBool(commit)
    }

    /// Reads a request body (server direction).
    public static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> TxEndRequest {
        let id = try reader.readInt32()
        return TxEndRequest(transactionId: id, commit: try reader.readBool())
    }
}
