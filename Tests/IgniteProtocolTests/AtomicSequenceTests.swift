import Foundation
import Testing
@testable import IgniteProtocol

/// The atomic-sequence range reservation (events in, actions out), checked against the arithmetic of GridGain's
/// `ClientAtomicSequenceImpl.internalUpdate`, and the byte-exact frames of OP 9030–9034. The expected bytes were
/// written by an independent script from GridGain's layouts (`pc/datastructures/ClientAtomicCreateRequest`,
/// `ClientAtomicSequenceRequest`, `ClientAtomicSequenceValueAddAndGetRequest`), request id 7.
@Suite("Atomic sequence reservation and messages")
struct AtomicSequenceTests {
    static let gridGain = ProtocolContext(version: .v1_7_1, features: .defaultRequested)
    static let apache = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.serviceInvoke, .heartbeat, .serviceInvokeCallContext]))

    // MARK: State machine

    @Test func firstUpdateReservesABatchPlusTheDelta() throws {
        var machine = try AtomicSequenceReservation(currentValue: 100, batchSize: 10)
        #expect(machine.upperBound == nil)
        #expect(try machine.request(adding: 1, returnUpdated: true) == .reserve(11))
        #expect(machine.isReserving)
        // The server went from 100 to 111: the handle owns 101 ... 110.
        #expect(try machine.reserved(serverValue: 111) == 101)
        #expect(machine.localValue == 101)
        #expect(machine.upperBound == 110)
        #expect(!machine.isReserving)
    }

    @Test func valuesInsideTheRangeAreLocal() throws {
        var machine = try AtomicSequenceReservation(currentValue: 0, batchSize: 5)
        #expect(try machine.request(adding: 1, returnUpdated: false) == .reserve(6))
        #expect(try machine.reserved(serverValue: 6) == 0)   // getAndIncrement: the value before
        #expect(machine.localValue == 1)
        #expect(machine.upperBound == 5)
        #expect(try machine.request(adding: 1, returnUpdated: true) == .value(2))
        #expect(try machine.request(adding: 2, returnUpdated: false) == .value(2))
        #expect(try machine.request(adding: 1, returnUpdated: true) == .value(5))
        #expect(machine.localValue == 5)
    }

    @Test func anExhaustedRangeReservesTheRestAgain() throws {
        // GridGain's own example: range 10–20, at 15, adding 10 reserves batch + 10 − 5 and lands on 25, range to 35.
        var machine = try AtomicSequenceReservation(currentValue: 0, batchSize: 10)
        #expect(try machine.request(adding: 1, returnUpdated: true) == .reserve(11))
        #expect(try machine.reserved(serverValue: 21) == 11)
        #expect(machine.upperBound == 20)
        for expected in 12...15 { #expect(try machine.request(adding: 1, returnUpdated: true) == .value(Int64(expected))) }
        #expect(try machine.request(adding: 10, returnUpdated: true) == .reserve(15))
        #expect(try machine.reserved(serverValue: 36) == 25)
        #expect(machine.localValue == 25)
        #expect(machine.upperBound == 35)
    }

    @Test func anotherClientsReservationMovesTheRangeForward() throws {
        var machine = try AtomicSequenceReservation(currentValue: 0, batchSize: 10)
        _ = try machine.request(adding: 1, returnUpdated: true)
        _ = try machine.reserved(serverValue: 11)   // owns 1 ... 10
        for _ in 2...10 { _ = try machine.request(adding: 1, returnUpdated: true) }
        #expect(try machine.request(adding: 1, returnUpdated: false) == .reserve(11))
        // Someone else reserved 11 ... 500 meanwhile: the server answers 511, the new range is 500 ... 510.
        #expect(try machine.reserved(serverValue: 511) == 10)   // getAndIncrement: the local value before
        #expect(machine.localValue == 500)
        #expect(machine.upperBound == 510)
    }

    @Test func aFailedReservationChangesNothing() throws {
        var machine = try AtomicSequenceReservation(currentValue: 7, batchSize: 3)
        #expect(try machine.request(adding: 1, returnUpdated: true) == .reserve(4))
        #expect(try machine.request(adding: 1, returnUpdated: true) == .wait)
        machine.reservationFailed()
        #expect(machine.localValue == 7)
        #expect(machine.upperBound == nil)
        #expect(try machine.request(adding: 1, returnUpdated: true) == .reserve(4))
    }

    @Test func badInputIsATypedError() throws {
        #expect(throws: IgniteError.self) { try AtomicSequenceReservation(currentValue: 0, batchSize: 0) }
        var machine = try AtomicSequenceReservation(currentValue: 0, batchSize: 1)
        let zero = try #require(throws: IgniteError.self) { try machine.request(adding: 0, returnUpdated: true) }
        #expect(zero.code == .parameter)
        #expect(throws: IgniteError.self) { try machine.request(adding: -5, returnUpdated: true) }
        #expect(throws: IgniteError.self) { try machine.setBatchSize(-1) }
        let unasked = try #require(throws: IgniteError.self) { try machine.reserved(serverValue: 5) }
        #expect(unasked.code == .illegalState)
        try machine.setBatchSize(50)
        #expect(machine.batchSize == 50)
    }

    @Test func overflowWrapsAndReservesInsteadOfTrapping() throws {
        var machine = try AtomicSequenceReservation(currentValue: Int64.max - 1, batchSize: 1000)
        #expect(try machine.request(adding: Int64.max, returnUpdated: true) == .reserve(1000 &+ Int64.max))
        _ = try machine.reserved(serverValue: Int64.min + 5)
        // Wrapped past Int64.max: a new range is reserved, never a trap.
        if case .reserve = try machine.request(adding: Int64.max, returnUpdated: true) {} else { Issue.record("expected a reservation") }
    }

    // MARK: Frames

    private func hex(_ request: some IgniteRequest, _ context: ProtocolContext = Self.gridGain) throws -> String {
        try RequestFraming.frame(request, requestId: 7, context: context).map { String(format: "%02x", $0) }.joined()
    }

    @Test func framesMatchGridGainsLayouts() throws {
        #expect(try hex(AtomicSequenceCreateRequest(name: "counter", initialValue: 5))
                == "1f000000462307000000000000000907000000636f756e746572050000000000000000")
        let configuration = AtomicConfiguration(atomicSequenceReserveSize: 50, cacheMode: .replicated, backups: 2, groupName: "grp")
        #expect(try hex(AtomicSequenceCreateRequest(name: "counter", initialValue: -1, configuration: configuration))
                == "30000000462307000000000000000907000000636f756e746572ffffffffffffffff013200000001020000000903000000677270")
        let seq = AtomicLongIdentity(name: "seq")
        #expect(try hex(AtomicSequenceRequest(identity: seq, operation: .addAndGet(100)))
                == "1b0000004a2307000000000000000903000000736571656400000000000000")
        #expect(try hex(AtomicSequenceRequest(identity: AtomicLongIdentity(name: "seq", groupName: "g"), operation: .get))
                == "18000000492307000000000000000903000000736571090100000067")
        #expect(try hex(AtomicSequenceRequest(identity: seq, operation: .remove)) == "1300000047230700000000000000090300000073657165")
        #expect(try hex(AtomicSequenceRequest(identity: seq, operation: .exists)) == "1300000048230700000000000000090300000073657165")
    }

    @Test func responsesDecodeAndRequestsRoundTrip() throws {
        let seq = AtomicLongIdentity(name: "seq", groupName: "g")
        var reader = BinaryReader([0x2a, 0, 0, 0, 0, 0, 0, 0])
        #expect(try AtomicSequenceRequest(identity: seq, operation: .addAndGet(1)).decodeResponse(from: &reader, context: Self.gridGain) == .value(42))
        var boolReader = BinaryReader([1])
        #expect(try AtomicSequenceRequest(identity: seq, operation: .exists).decodeResponse(from: &boolReader, context: Self.gridGain) == .bool(true))
        for operation in [AtomicSequenceOperation.remove, .exists, .get, .addAndGet(9)] {
            let request = AtomicSequenceRequest(identity: seq, operation: operation)
            var writer = BinaryWriter(capacity: 32)
            try request.encodeBody(into: &writer, context: Self.gridGain)
            var body = BinaryReader(writer.bytes)
            #expect(try AtomicSequenceRequest.decodeBody(opCode: request.opCode, from: &body) == request)
        }
        var truncated = BinaryReader([0x09, 3, 0, 0, 0, 0x73])
        #expect(throws: IgniteError.self) { try AtomicSequenceRequest.decodeBody(opCode: .atomicSequenceValueGet, from: &truncated) }
    }

    @Test func apacheServersGetATypedNotSupportedError() throws {
        #expect(!Self.apache.isGridGain)
        #expect(Self.gridGain.isGridGain)
        let create = try #require(throws: IgniteError.self) { try hex(AtomicSequenceCreateRequest(name: "s", initialValue: 0), Self.apache) }
        #expect(create.code == .notSupportedByCluster)
        #expect(create.message.contains("GridGain"))
        let get = try #require(throws: IgniteError.self) {
            try hex(AtomicSequenceRequest(identity: AtomicLongIdentity(name: "s"), operation: .get), Self.apache)
        }
        #expect(get.code == .notSupportedByCluster)
        #expect(throws: IgniteError.self) { try hex(AtomicSequenceCreateRequest(name: "", initialValue: 0)) }
    }
}
