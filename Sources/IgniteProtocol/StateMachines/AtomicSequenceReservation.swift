/// The client side of an atomic sequence, without I/O: it reserves ranges of values from the server
/// (OP_ATOMIC_SEQUENCE_VALUE_ADD_AND_GET) and hands values out of the reserved range locally, the way GridGain's Java
/// thin client does (`ClientAtomicSequenceImpl.internalUpdate`). Values handed out by different clients never overlap,
/// because each range is reserved by one atomic add on the server; they are unique, not gap-free, and ordered per
/// client only.
///
/// Events in, actions out: ``request(adding:returnUpdated:)`` answers ``Action/value(_:)`` when the range covers the
/// update, or ``Action/reserve(_:)`` with the amount to add on the server; the product sends that request and feeds its
/// answer to ``reserved(serverValue:)`` (or ``reservationFailed()``). One update is in flight at a time: a request made
/// while a reservation is outstanding answers ``Action/wait``, and the product retries after the reservation ends
/// (both products serialise updates, so they never see it).
///
/// Arithmetic wraps on overflow, as Java's `long` does.
package struct AtomicSequenceReservation: Sendable, Hashable {
    /// What the product does next.
    package enum Action: Sendable, Hashable {
        /// The update was served from the reserved range: this is its result.
        case value(Int64)
        /// Send OP_ATOMIC_SEQUENCE_VALUE_ADD_AND_GET with this delta, then call ``reserved(serverValue:)``.
        case reserve(Int64)
        /// A reservation is outstanding: try again when it ends.
        case wait
    }

    /// An update waiting for its reservation.
    private struct Pending: Sendable, Hashable {
        var delta: Int64
        var returnUpdated: Bool
        var before: Int64
    }

    /// The last value handed out (initially the server's value when the handle was made).
    package private(set) var localValue: Int64
    /// The last value of the reserved range; `nil` until the first reservation.
    package private(set) var upperBound: Int64?
    /// How many values one reservation takes (beyond the update that triggers it).
    package private(set) var batchSize: Int32
    private var pending: Pending?

    /// A sequence whose server value is `currentValue` (OP_ATOMIC_SEQUENCE_VALUE_GET), nothing reserved yet.
    /// - Throws: ``IgniteError/Code/parameter`` for a batch size below 1.
    package init(currentValue: Int64, batchSize: Int32) throws {
        guard batchSize > 0 else { throw IgniteError.parameter("an atomic sequence's batch size must be positive, not \(batchSize)") }
        self.localValue = currentValue
        self.batchSize = batchSize
    }

    /// Whether a reservation is outstanding.
    package var isReserving: Bool { pending != nil }

    /// Changes the batch size for later reservations.
    /// - Throws: ``IgniteError/Code/parameter`` for a size below 1.
    package mutating func setBatchSize(_ size: Int32) throws {
        guard size > 0 else { throw IgniteError.parameter("an atomic sequence's batch size must be positive, not \(size)") }
        batchSize = size
    }

    /// An update: add `delta` and return the new value (`returnUpdated`) or the one before.
    /// - Throws: ``IgniteError/Code/parameter`` for a delta below 1 (a sequence only moves forward).
    package mutating func request(adding delta: Int64, returnUpdated: Bool) throws -> Action {
        guard delta > 0 else { throw IgniteError.parameter("an atomic sequence moves forward: the delta must be positive, not \(delta)") }
        guard pending == nil else { return .wait }
        let before = localValue
        let after = before &+ delta
        if let upperBound, after <= upperBound, after > before {
            localValue = after
            return .value(returnUpdated ? after : before)
        }
        let batch = Int64(batchSize)
        let amount: Int64
        if let upperBound {
            // Values left in the old range count towards the new one: range 10–20, at 15, adding 10 reserves
            // batch + 10 − 5 and lands on 25.
            amount = batch &+ delta &- (upperBound &- before)
        } else {
            amount = batch &+ delta
        }
        pending = Pending(delta: delta, returnUpdated: returnUpdated, before: before)
        return .reserve(amount)
    }

    /// The server answered the reservation with its new value.
    /// - Returns: The result of the update that asked for it.
    /// - Throws: ``IgniteError/Code/illegalState`` if no reservation was outstanding.
    package mutating func reserved(serverValue: Int64) throws -> Int64 {
        guard let update = pending else { throw IgniteError(.illegalState, "an atomic-sequence reservation answered that was never asked for") }
        pending = nil
        let batch = Int64(batchSize)
        if upperBound == nil {
            localValue = serverValue &- batch
        } else {
            localValue = serverValue &- batch &- 1
        }
        upperBound = serverValue &- 1
        return update.returnUpdated ? localValue : update.before
    }

    /// The reservation failed (the request was not answered): nothing changed, the next update reserves again.
    package mutating func reservationFailed() {
        pending = nil
    }
}
