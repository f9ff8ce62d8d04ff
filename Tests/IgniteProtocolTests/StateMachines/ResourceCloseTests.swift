import Testing
@testable import IgniteProtocol

@Suite("ConnectionStateMachine: deferred resource closes")
struct ResourceCloseTests {
    @Test("a close on a connection that is not ready is dropped (the server released the resource with it)")
    func droppedWhenNotReady() {
        var machine = ConnectionStateMachine()
        #expect(machine.closeResourceLater(7) == .dropped)
        #expect(machine.deferredResourceCloseCount == 0)
    }

    @Test("the first queued close asks for a background flush; the next ones ride along; encoding drains the queue")
    func queueAndEncode() throws {
        var machine = ConnectionStateMachine.readyMachine()
        #expect(machine.closeResourceLater(7) == .scheduleFlush)
        #expect(machine.closeResourceLater(8) == .queued)
        #expect(machine.deferredResourceCloseCount == 2)
        var writer = BinaryWriter()
        #expect(machine.encodeDeferredResourceCloses(into: &writer) == 2)
        #expect(machine.deferredResourceCloseCount == 0)
        #expect(machine.encodeDeferredResourceCloses(into: &writer) == 0)
        // Two frames: length, op code 0 (OP_RESOURCE_CLOSE), request id, resource id.
        var reader = BinaryReader(writer.bytes)
        for resource in [Int64(7), 8] {
            #expect(try reader.readInt32() == 18)
            #expect(try reader.readInt16() == OpCode.resourceClose.rawValue)
            let id = try reader.readInt64()
            #expect(machine.isPending(id), "registered, so its response is matched and dropped")
            #expect(try reader.readInt64() == resource)
        }
        #expect(machine.closeResourceLater(9) == .scheduleFlush, "the queue is empty again")
    }

    @Test("a lost or closed connection forgets its queued closes")
    func clearedOnLossAndClose() {
        var lost = ConnectionStateMachine.readyMachine()
        _ = lost.closeResourceLater(1)
        _ = lost.connectionLost(IgniteError(.socket, "reset"))
        #expect(lost.deferredResourceCloseCount == 0)
        var closed = ConnectionStateMachine.readyMachine()
        _ = closed.closeResourceLater(1)
        _ = closed.close()
        #expect(closed.deferredResourceCloseCount == 0)
        #expect(closed.closeResourceLater(2) == .dropped)
    }
}
