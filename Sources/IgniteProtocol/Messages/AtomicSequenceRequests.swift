// GridGain's distributed atomic sequence (OP 9030–9034). Layouts from GridGain CE 8, `pc/datastructures/
// ClientAtomicSequence*Request` and the thin client's `TcpIgniteClient.atomicSequence` / `ClientAtomicSequenceImpl`:
// create is the atomic-long create body (`ClientAtomicCreateRequest`: `String name, i64 initialValue, bool hasConfig,
// [i32 reserveSize, i8 cacheMode, i32 backups, String groupName]`); every other request starts with `String name,
// String groupName`. A missing sequence answers status 1011 (RESOURCE_DOES_NOT_EXIST) with
// "AtomicSequence with name '…' does not exist.".
//
// No feature bit names these ops (GridGain's client sends them unconditionally). The client sends them only to a
// server identified as GridGain: one that answered GridGain's bit 34 (SERVICE_INVOKE_CALLCTX; Apache Ignite assigns
// no bit 34), see ``ProtocolContext/isGridGain``. Elsewhere they fail with ``IgniteError/Code/notSupportedByCluster``
// before anything is sent.

extension OpCode {
    /// OP_ATOMIC_SEQUENCE_CREATE (9030, GridGain only).
    package static let atomicSequenceCreate: OpCode = 9030
    /// OP_ATOMIC_SEQUENCE_REMOVE (9031, GridGain only).
    package static let atomicSequenceRemove: OpCode = 9031
    /// OP_ATOMIC_SEQUENCE_EXISTS (9032, GridGain only).
    package static let atomicSequenceExists: OpCode = 9032
    /// OP_ATOMIC_SEQUENCE_VALUE_GET (9033, GridGain only).
    package static let atomicSequenceValueGet: OpCode = 9033
    /// OP_ATOMIC_SEQUENCE_VALUE_ADD_AND_GET (9034, GridGain only).
    package static let atomicSequenceValueAddAndGet: OpCode = 9034
}

extension ProtocolContext {
    /// Whether the server is GridGain 8: it answered GridGain's feature bit 34 (SERVICE_INVOKE_CALLCTX), a number
    /// Apache Ignite does not assign. The client requests bit 34 by default (``ProtocolFeatures/defaultRequested``).
    package var isGridGain: Bool { has(.serviceInvokeCallContextGridGain) }

    /// Throws ``IgniteError/Code/notSupportedByCluster`` unless the server is GridGain.
    package func requireGridGain(for what: String) throws {
        guard isGridGain else {
            throw IgniteError.notSupported(what, needs: "a GridGain 8 server (feature bit 34 answered)", context: self)
        }
    }
}

/// OP_ATOMIC_SEQUENCE_CREATE (9030): gets or creates an atomic sequence. Empty response; an existing sequence keeps
/// its value (`dataStructures().sequence(name, cfg, initVal, create = true)`).
package struct AtomicSequenceCreateRequest: IgniteEmptyResponseRequest, IgniteServerCodableRequest, Hashable {
    /// The name.
    package var name: String
    /// The value of a newly created sequence.
    package var initialValue: Int64
    /// The storage configuration (its reserve size is the server's own batch); `nil` uses the server's.
    package var configuration: AtomicConfiguration?

    /// Creates the request.
    package init(name: String, initialValue: Int64, configuration: AtomicConfiguration? = nil) {
        self.name = name
        self.initialValue = initialValue
        self.configuration = configuration
    }

    /// ``OpCode/atomicSequenceCreate``.
    package var opCode: OpCode { .atomicSequenceCreate }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` unless the server is GridGain;
    ///   ``IgniteError/Code/parameter`` for an empty name.
    package func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.requireGridGain(for: "an atomic sequence (OP_ATOMIC_SEQUENCE_CREATE)")
        guard !name.isEmpty else { throw IgniteError.parameter("an atomic sequence needs a non-empty name") }
        // The same body as OP_ATOMIC_LONG_CREATE (both are `ClientAtomicCreateRequest` on the server).
        try AtomicLongCreateRequest(name: name, initialValue: initialValue, configuration: configuration)
            .encodeBody(into: &writer, context: context)
    }

    /// Reads a request body (server direction).
    package static func decodeBody(from reader: inout BinaryReader, context: ProtocolContext) throws -> AtomicSequenceCreateRequest {
        let body = try AtomicLongCreateRequest.decodeBody(from: &reader, context: context)
        return AtomicSequenceCreateRequest(name: body.name, initialValue: body.initialValue, configuration: body.configuration)
    }
}

/// What an atomic-sequence request does after its identity.
package enum AtomicSequenceOperation: Hashable, Sendable {
    /// OP_ATOMIC_SEQUENCE_REMOVE (9031): removes it (nothing happens if it does not exist). Empty response.
    case remove
    /// OP_ATOMIC_SEQUENCE_EXISTS (9032): `bool`.
    case exists
    /// OP_ATOMIC_SEQUENCE_VALUE_GET (9033): `i64` the server's value (the next unreserved one).
    case get
    /// OP_ATOMIC_SEQUENCE_VALUE_ADD_AND_GET (9034): `i64 delta` → `i64` the server's new value. The client uses it
    /// to reserve ranges (``AtomicSequenceReservation``).
    case addAndGet(Int64)

    /// The op code.
    package var opCode: OpCode {
        switch self {
        case .remove: .atomicSequenceRemove
        case .exists: .atomicSequenceExists
        case .get: .atomicSequenceValueGet
        case .addAndGet: .atomicSequenceValueAddAndGet
        }
    }
}

/// OP 9031–9034: one operation on an existing atomic sequence. Body: `String name, String groupName`, then the
/// delta of add-and-get. The answer is an ``AtomicLongResult`` (`none`, `bool` or `value`).
package struct AtomicSequenceRequest: IgniteRequest, Hashable {
    /// Which sequence (name and group, as for atomic longs).
    package var identity: AtomicLongIdentity
    /// What to do.
    package var operation: AtomicSequenceOperation

    /// Creates the request.
    package init(identity: AtomicLongIdentity, operation: AtomicSequenceOperation) {
        self.identity = identity
        self.operation = operation
    }

    /// The operation's op code.
    package var opCode: OpCode { operation.opCode }

    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` unless the server is GridGain;
    ///   ``IgniteError/Code/parameter`` for an empty name.
    package func encodeBody(into writer: inout BinaryWriter, context: ProtocolContext) throws {
        try context.requireGridGain(for: "an atomic sequence (\(opCode))")
        guard !identity.name.isEmpty else { throw IgniteError.parameter("an atomic sequence needs a non-empty name") }
        writer.writeStringObject(identity.name)
        writer.writeOptionalStringObject(identity.groupName)
        if case .addAndGet(let delta) = operation { writer.writeInt64(delta) }
    }

    /// Reads the operation's result.
    package func decodeResponse(from reader: inout BinaryReader, context: ProtocolContext) throws -> AtomicLongResult {
        switch operation {
        case .remove: .none
        case .exists: .bool(try reader.readBool())
        case .get, .addAndGet: .value(try reader.readInt64())
        }
    }

    /// Reads a request body (server direction).
    package static func decodeBody(opCode: OpCode, from reader: inout BinaryReader) throws -> AtomicSequenceRequest {
        let identity = AtomicLongIdentity(name: try reader.readOptionalStringObject() ?? "", groupName: try reader.readOptionalStringObject())
        let operation: AtomicSequenceOperation
        switch opCode {
        case .atomicSequenceRemove: operation = .remove
        case .atomicSequenceExists: operation = .exists
        case .atomicSequenceValueGet: operation = .get
        case .atomicSequenceValueAddAndGet: operation = .addAndGet(try reader.readInt64())
        default: throw IgniteError.parse("\(opCode) is not an atomic-sequence operation")
        }
        return AtomicSequenceRequest(identity: identity, operation: operation)
    }
}
