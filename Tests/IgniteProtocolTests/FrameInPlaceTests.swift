@testable import IgniteProtocol
import Testing

/// ``FrameDecoder/withNextFrame(_:)`` with ``ConnectionStateMachine/frameReceived(in:)``: the in-place path the
/// drivers take must decide exactly what the copying path decides.
@Suite("Frames read in place")
struct FrameInPlaceTests {
    private let context = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.clusterStates]))

    /// Feeds `frames` through a decoder in place; returns the machine's actions.
    private func receive(_ frames: [[UInt8]], into machine: inout ConnectionStateMachine) throws -> [ConnectionStateMachine.FrameAction] {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: frames.flatMap { $0 })
        var actions: [ConnectionStateMachine.FrameAction] = []
        while let action = try decoder.withNextFrame({ machine.frameReceived(in: $0) }) { actions.append(action) }
        #expect(decoder.bufferedByteCount == 0)
        return actions
    }

    @Test func aPlainReplyCarriesOnlyItsBody() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        let firstSent = machine.sendProbe(writer: &writer)
        let first = try #require(firstSent)
        let secondSent = machine.sendProbe(.cachePut, writer: &writer)
        let second = try #require(secondSent)
        let frames = [ConnectionFrames.response(ResponseHeader(requestId: second), context: context),
                      ConnectionFrames.response(ResponseHeader(requestId: first), body: [7, 8, 9], context: context)]
        let actions = try receive(frames, into: &machine)
        #expect(actions.count == 2)
        guard case .deliver(let put, nil) = actions[0], case .deliver(let get, nil) = actions[1] else {
            Issue.record("expected two deliveries, got \(actions)")
            return
        }
        #expect(put.requestId == second && put.opCode == .cachePut && put.payload.isEmpty && put.error == nil)
        #expect(get.requestId == first && get.opCode == .cacheGet && get.error == nil)
        var reader = get.bodyReader
        #expect(try reader.readBytes(reader.remaining) == [7, 8, 9])
        #expect(machine.pendingRequestCount == 0)
    }

    @Test func flaggedFramesTakeTheFullPath() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        let failedSent = machine.sendProbe(writer: &writer)
        let failed = try #require(failedSent)
        let movedSent = machine.sendProbe(writer: &writer)
        let moved = try #require(movedSent)
        let topology = AffinityTopologyVersion(major: 3, minor: 1)
        let frames = [ConnectionFrames.response(ResponseHeader(requestId: failed, status: 1000, errorMessage: "no cache"), context: context),
                      ConnectionFrames.response(ResponseHeader(requestId: moved, topologyVersion: topology), body: [1], context: context)]
        let actions = try receive(frames, into: &machine)
        guard case .deliver(let error, nil) = actions[0], case .deliver(let response, let change) = actions[1] else {
            Issue.record("expected two deliveries, got \(actions)")
            return
        }
        #expect(error.error?.serverStatus == 1000)
        #expect(change == topology && machine.topologyVersion == topology)
        var reader = response.bodyReader
        #expect(try reader.readBytes(reader.remaining) == [1])
    }

    @Test func lateAndUnknownIdsAreJudgedLikeTheCopyingPath() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        let timedOutSent = machine.sendProbe(writer: &writer)
        let timedOut = try #require(timedOutSent)
        let timeout = machine.requestTimedOut(timedOut)
        #expect(timeout != .none)
        let late = try receive([ConnectionFrames.response(ResponseHeader(requestId: timedOut), body: [5], context: context)], into: &machine)
        guard case .discard(let id, nil) = late.first else {
            Issue.record("expected a discard, got \(late)")
            return
        }
        #expect(id == timedOut)
        #expect(machine.isReady, "a late reply leaves the connection usable")
        let unknown = try receive([ConnectionFrames.response(ResponseHeader(requestId: 99), context: context)], into: &machine)
        guard case .closeConnection(let error, _) = unknown.first else {
            Issue.record("expected the connection to close, got \(unknown)")
            return
        }
        #expect(error.code == .protocolViolation)
    }

    @Test func aBadLengthFailsTheDecoderInPlaceToo() throws {
        var decoder = FrameDecoder(maximumFrameLength: 16)
        decoder.append(contentsOf: [0xFF, 0xFF, 0xFF, 0x7F, 1, 2])
        #expect(throws: IgniteError.self) { _ = try decoder.withNextFrame { $0.count } }
        #expect(decoder.hasFailed)
        #expect(throws: IgniteError.self) { _ = try decoder.withNextFrame { $0.count } }
        var partial = FrameDecoder()
        partial.append(contentsOf: [3, 0, 0, 0, 1, 2])
        #expect(try partial.withNextFrame { $0.count } == nil)
        partial.append(contentsOf: [3])
        #expect(try partial.withNextFrame { Array($0) } == [1, 2, 3])
    }
}
