import Foundation
import IgniteProtocol
import Testing

@Suite("ConnectionStateMachine")
struct ConnectionStateMachineTests {
    let context = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.clusterStates]))

    // MARK: Handshake

    @Test func startWritesTheHandshakeFrame() throws {
        var machine = ConnectionStateMachine(configuration: .init(initialVersion: .v1_7_0, features: ProtocolFeatures([.clusterStates])))
        guard case .writeHandshake(let frame) = machine.start() else { Issue.record("no handshake frame"); return }
        // pyignite's own bytes for 1.7.0 with features [0x04].
        #expect(frame == ConnectionFrames.bytes(hex: "0e00000001010007000000020c0100000004"))
        guard case .handshaking(let v) = machine.state else { Issue.record("not handshaking"); return }
        #expect(v == .v1_7_0)
    }

    @Test func realHandshakeReplyMakesTheConnectionReady() throws {
        var machine = ConnectionStateMachine(configuration: .init(initialVersion: .v1_7_0))
        _ = machine.start()
        let reply = ConnectionFrames.bytes(hex: "18000000010c01000000040a614a720033f738a47f7e11fe533ed6b4")
        guard case .ready(let ctx, let node) = machine.handshakeFrameReceived(ConnectionFrames.payload(reply)) else {
            Issue.record("not ready"); return
        }
        #expect(ctx.version == .v1_7_0)
        #expect(ctx.has(.clusterStates))
        #expect(node == ConnectionFrames.nodeId)
        #expect(machine.isReady)
        #expect(machine.nodeId == ConnectionFrames.nodeId)
    }

    @Test func handshakeFailureThenVersionDowngrade() throws {
        var machine = ConnectionStateMachine(configuration: .init(initialVersion: .v1_7_1))
        _ = machine.start()
        let failure = HandshakeResponse.failure(serverVersion: .v1_6_0, message: "Unsupported version: 1.7.1", status: 1)
        let action = machine.handshakeFrameReceived(ConnectionFrames.payload(failure.frame(proposed: .v1_7_1)))
        guard case .reconnectAndHandshake(let version) = action else { Issue.record("expected a downgrade, got \(action)"); return }
        #expect(version == .v1_6_0)
        guard case .writeHandshake(let frame) = machine.start() else { Issue.record("no second handshake"); return }
        let request = try HandshakeRequest.decode(payload: ConnectionFrames.payload(frame))
        #expect(request.version == .v1_6_0)
        let success = HandshakeResponse.success(features: ProtocolFeatures(), nodeId: ConnectionFrames.nodeId)
        guard case .ready(let ctx, _) = machine.handshakeFrameReceived(ConnectionFrames.payload(success.frame(proposed: .v1_6_0))) else {
            Issue.record("not ready after downgrade"); return
        }
        #expect(ctx.version == .v1_6_0)
    }

    @Test func downgradeToTheSameOrUnsupportedVersionFails() throws {
        for offered in [ProtocolVersion.v1_7_0, ProtocolVersion(1, 9, 0)] {
            var machine = ConnectionStateMachine(configuration: .init(initialVersion: .v1_7_0))
            _ = machine.start()
            let failure = HandshakeResponse.failure(serverVersion: offered, message: "Unsupported version", status: 1)
            guard case .closeConnection(let error) = machine.handshakeFrameReceived(ConnectionFrames.payload(failure.frame(proposed: .v1_7_0))) else {
                Issue.record("expected failure for \(offered)"); continue
            }
            #expect(error.code == .handshake)
            guard case .closed = machine.state else { Issue.record("not closed"); continue }
        }
    }

    @Test func downgradeIsNotRepeated() throws {
        var machine = ConnectionStateMachine(configuration: .init(initialVersion: .v1_7_0))
        _ = machine.start()
        let first = HandshakeResponse.failure(serverVersion: .v1_6_0, message: "no", status: 1)
        #expect({ if case .reconnectAndHandshake = machine.handshakeFrameReceived(ConnectionFrames.payload(first.frame(proposed: .v1_7_0))) { return true }; return false }())
        _ = machine.start()
        let second = HandshakeResponse.failure(serverVersion: .v1_7_0, message: "no", status: 1)
        guard case .closeConnection(let error) = machine.handshakeFrameReceived(ConnectionFrames.payload(second.frame(proposed: .v1_6_0))) else {
            Issue.record("a version already tried must not be proposed again"); return
        }
        #expect(error.code == .handshake)
    }

    @Test func badCredentialsAreAnAuthenticationError() throws {
        var machine = ConnectionStateMachine(configuration: .init(initialVersion: .v1_7_0, username: "ignite", password: "wrong"))
        guard case .writeHandshake(let frame) = machine.start() else { Issue.record("no frame"); return }
        let request = try HandshakeRequest.decode(payload: ConnectionFrames.payload(frame))
        #expect(request.username == "ignite")
        let failure = HandshakeResponse.failure(serverVersion: ProtocolVersion(0, 0, 0),
                                                message: "The user name or password is incorrect [userName=ignite]", status: 2000)
        guard case .closeConnection(let error) = machine.handshakeFrameReceived(ConnectionFrames.payload(failure.frame(proposed: .v1_7_0))) else {
            Issue.record("expected failure"); return
        }
        #expect(error.code == .authentication)
        #expect(error.serverStatus == 2000)
        #expect(!error.description.contains("wrong"))
    }

    @Test func zeroServerVersionWithoutAuthStatusIsAHandshakeError() throws {
        var machine = ConnectionStateMachine(configuration: .init(initialVersion: .v1_7_0))
        _ = machine.start()
        let failure = HandshakeResponse.failure(serverVersion: ProtocolVersion(0, 0, 0), message: "Unknown client type: 7", status: 1)
        guard case .closeConnection(let error) = machine.handshakeFrameReceived(ConnectionFrames.payload(failure.frame(proposed: .v1_7_0))) else {
            Issue.record("expected failure"); return
        }
        #expect(error.code == .handshake)
    }

    @Test func malformedHandshakeReplyFails() throws {
        var machine = ConnectionStateMachine()
        _ = machine.start()
        guard case .closeConnection(let error) = machine.handshakeFrameReceived([1, 12, 0xff]) else { Issue.record("expected failure"); return }
        #expect(error.code == .handshake)
    }

    // MARK: Requests

    @Test func requestIdsAreAllocatedInOrderAndFramesAppended() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        let a = machine.sendProbe(writer: &writer)
        let b = machine.sendProbe(.cachePut, writer: &writer)
        #expect(a == 1)
        #expect(b == 2)
        #expect(machine.pendingRequestCount == 2)
        var decoder = FrameDecoder()
        decoder.append(contentsOf: writer.bytes)
        let firstNext = try decoder.nextFrame()
        let first = try #require(firstNext)
        var reader = BinaryReader(first)
        #expect(try reader.readInt16() == OpCode.cacheGet.rawValue)
        #expect(try reader.readInt64() == 1)
        let secondNext = try decoder.nextFrame()
        let second = try #require(secondNext)
        reader = BinaryReader(second)
        #expect(try reader.readInt16() == OpCode.cachePut.rawValue)
    }

    @Test func failedEncodingLeavesNothingBehind() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        guard case .fail(let error) = machine.sendRequest(ConnectionProbeRequest(opCode: .cachePut, body: [1], failEncoding: true), into: &writer) else {
            Issue.record("expected failure"); return
        }
        #expect(error.code == .parameter)
        #expect(writer.count == 0)
        #expect(machine.pendingRequestCount == 0)
        #expect(machine.sendProbe(writer: &writer) == 1)
    }

    @Test func sendBeforeReadyFails() throws {
        var machine = ConnectionStateMachine()
        var writer = BinaryWriter()
        guard case .fail(let error) = machine.sendRequest(ConnectionProbeRequest(opCode: .cacheGet), into: &writer) else {
            Issue.record("expected failure"); return
        }
        #expect(error.code == .illegalState)
    }

    @Test func outOfOrderResponsesReachTheirRequests() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        let ids = (0..<5).compactMap { _ in machine.sendProbe(writer: &writer) }
        #expect(ids == [1, 2, 3, 4, 5])
        for id in [Int64(3), 1, 5, 2, 4] {
            let frame = ConnectionFrames.response(ResponseHeader(requestId: id), body: [UInt8(id), 0xAA], context: context)
            guard case .deliver(let response, let topology) = machine.frameReceived(ConnectionFrames.payload(frame)) else {
                Issue.record("response \(id) not delivered"); continue
            }
            #expect(topology == nil)
            #expect(response.requestId == id)
            #expect(response.error == nil)
            var reader = response.bodyReader
            #expect(try ConnectionProbeRequest(opCode: .cacheGet).decodeResponse(from: &reader, context: context) == [UInt8(id), 0xAA])
        }
        #expect(machine.pendingRequestCount == 0)
    }

    @Test func serverErrorIsClassifiedByOpCode() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        let idSent = machine.sendProbe(.cacheCreateWithName, writer: &writer)
        let id = try #require(idSent)
        let header = ResponseHeader(requestId: id, status: 1001, errorMessage: "exists")
        guard case .deliver(let response, _) = machine.frameReceived(ConnectionFrames.payload(ConnectionFrames.response(header, context: context))) else {
            Issue.record("not delivered"); return
        }
        let error = try #require(response.error)
        #expect(error.code == .cacheCreation)
        #expect(error.serverStatus == 1001)
        #expect(error.message == "exists")
        #expect(machine.isReady)
    }

    @Test func unknownRequestIdFailsEveryPendingRequest() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        _ = machine.sendProbe(writer: &writer)
        _ = machine.sendProbe(writer: &writer)
        let frame = ConnectionFrames.response(ResponseHeader(requestId: 99), context: context)
        guard case .closeConnection(let error, let failed) = machine.frameReceived(ConnectionFrames.payload(frame)) else {
            Issue.record("unknown id accepted"); return
        }
        #expect(error.code == .protocolViolation)
        #expect(failed == [1, 2])
        #expect(machine.pendingRequestCount == 0)
        guard case .fail(let sendError) = machine.sendRequest(ConnectionProbeRequest(opCode: .cacheGet), into: &writer) else {
            Issue.record("closed connection accepted a request"); return
        }
        #expect(sendError.code == .connectionClosed)
    }

    @Test func truncatedFrameFailsTheConnection() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        _ = machine.sendProbe(writer: &writer)
        // Flags say "topology changed" but the version bytes are missing.
        let payload: [UInt8] = [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0]
        guard case .closeConnection(let error, let failed) = machine.frameReceived(payload) else {
            Issue.record("truncated frame accepted"); return
        }
        #expect(error.code == .protocolViolation)
        #expect(failed == [1])
    }

    @Test func topologyVersionChangeIsSurfaced() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        let aSent = machine.sendProbe(writer: &writer)
        let a = try #require(aSent)
        let bSent = machine.sendProbe(writer: &writer)
        let b = try #require(bSent)
        let changed = AffinityTopologyVersion(major: 4, minor: 1)
        let first = ConnectionFrames.response(ResponseHeader(requestId: a, topologyVersion: changed), context: context)
        guard case .deliver(let r1, let t1) = machine.frameReceived(ConnectionFrames.payload(first)) else { Issue.record("no deliver"); return }
        #expect(r1.requestId == a)
        #expect(t1 == changed)
        #expect(machine.topologyVersion == changed)
        // Real frame: topology change combined with an error status.
        let second = ConnectionFrames.response(ResponseHeader(requestId: b, topologyVersion: AffinityTopologyVersion(major: 4, minor: 2),
                                                              status: 1000, errorMessage: "Cache does not exist"), context: context)
        guard case .deliver(let r2, let t2) = machine.frameReceived(ConnectionFrames.payload(second)) else { Issue.record("no deliver"); return }
        #expect(r2.error?.code == .cache)
        #expect(t2 == AffinityTopologyVersion(major: 4, minor: 2))
    }

    @Test func lateResponseAfterTimeoutIsDiscarded() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        let slowSent = machine.sendProbe(writer: &writer)
        let slow = try #require(slowSent)
        let otherSent = machine.sendProbe(writer: &writer)
        let other = try #require(otherSent)
        guard case .failRequest(let timedOutId, _) = machine.requestTimedOut(slow) else { Issue.record("not timed out"); return }
        #expect(timedOutId == slow)
        #expect(machine.requestTimedOut(slow) == .none)
        let late = ConnectionFrames.response(ResponseHeader(requestId: slow), body: [1], context: context)
        guard case .discard(let id, _) = machine.frameReceived(ConnectionFrames.payload(late)) else {
            Issue.record("late response not discarded"); return
        }
        #expect(id == slow)
        #expect(machine.isReady)
        let answer = ConnectionFrames.response(ResponseHeader(requestId: other), body: [2], context: context)
        guard case .deliver(let response, _) = machine.frameReceived(ConnectionFrames.payload(answer)) else {
            Issue.record("other request not delivered"); return
        }
        #expect(response.requestId == other)
        // A second copy of the late response is late too (its id was issued and is no longer pending): dropped.
        guard case .discard = machine.frameReceived(ConnectionFrames.payload(late)) else {
            Issue.record("duplicate late response not discarded"); return
        }
        #expect(machine.isReady)
    }

    @Test func notificationIsRoutedAsNotification() throws {
        var machine = ConnectionStateMachine.readyMachine()
        let header = ResponseHeader(requestId: 77, notificationOpCode: .queryContinuousEventNotification)
        let frame = ConnectionFrames.response(header, body: [5, 6], context: context)
        guard case .notification(let note, _) = machine.frameReceived(ConnectionFrames.payload(frame)) else {
            Issue.record("not a notification"); return
        }
        #expect(note.header.requestId == 77)
        #expect(note.header.notificationOpCode == .queryContinuousEventNotification)
        #expect(Array(note.payload[note.bodyOffset...]) == [5, 6])
    }

    @Test func closeWithRequestsPending() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        _ = machine.sendProbe(writer: &writer)
        _ = machine.sendProbe(writer: &writer)
        guard case .closeConnection(let error, let failed) = machine.close() else { Issue.record("no close action"); return }
        #expect(error.code == .connectionClosed)
        #expect(failed == [1, 2])
        guard case .closing = machine.state else { Issue.record("not closing"); return }
        guard case .none = machine.close() else { Issue.record("close is not idempotent"); return }
        guard case .none = machine.frameReceived(ConnectionFrames.payload(ConnectionFrames.response(ResponseHeader(requestId: 1), context: context))) else {
            Issue.record("frames after close must be ignored"); return
        }
        machine.transportClosed()
        guard case .closed(nil) = machine.state else { Issue.record("not closed cleanly"); return }
    }

    @Test func connectionLostFailsAllPending() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        _ = machine.sendProbe(writer: &writer)
        guard case .closeConnection(let error, let failed) = machine.connectionLost(IgniteError(.socket, "reset")) else {
            Issue.record("no close action"); return
        }
        #expect(error.code == .socket)
        #expect(failed == [1])
        guard case .none = machine.connectionLost(IgniteError(.socket, "again")) else { Issue.record("lost twice"); return }
    }

    @Test func oldProtocolResponsesAreMatched() throws {
        var machine = ConnectionStateMachine.readyMachine(version: .v1_2_0)
        #expect(machine.nodeId == nil || machine.protocolContext?.version == .v1_2_0)
        var writer = BinaryWriter()
        let idSent = machine.sendProbe(writer: &writer)
        let id = try #require(idSent)
        // Real 1.x error frame layout: reqId, i32 status, String message.
        let old = ProtocolContext(version: .v1_2_0)
        let frame = ConnectionFrames.response(ResponseHeader(requestId: id, status: 1000, errorMessage: "Cache does not exist"), context: old)
        guard case .deliver(let response, _) = machine.frameReceived(ConnectionFrames.payload(frame)) else { Issue.record("not delivered"); return }
        #expect(response.error?.serverStatus == 1000)
    }
}
