import Foundation
import Testing
@testable import IgniteProtocol

/// The sans-IO engine driven end to end by bytes: a byte stream cut into chunks goes through ``FrameDecoder``, the
/// frames through ``ConnectionStateMachine``, and topology versions and partition maps through
/// ``PartitionAwarenessState``, with no socket anywhere.
@Suite("Connection scenarios")
struct ConnectionScenarioTests {
    static let context = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.clusterStates]))

    /// Feeds `bytes` to the decoder in chunks of `chunk` bytes and returns every complete payload.
    static func frames(_ bytes: [UInt8], chunk: Int, decoder: inout FrameDecoder) throws -> [[UInt8]] {
        var payloads: [[UInt8]] = []
        var start = 0
        while start < bytes.count {
            decoder.append(contentsOf: bytes[start..<min(bytes.count, start + chunk)])
            start += chunk
            while let payload = try decoder.nextFrame() { payloads.append(payload) }
        }
        return payloads
    }

    @Test("handshake refused at 1.7.1, downgrade to the version the server named, then ready", arguments: [1, 3, 64])
    func downgradeFromBytes(chunk: Int) throws {
        var machine = ConnectionStateMachine(configuration: .init(initialVersion: .v1_7_1, features: HandshakeGoldenTests.requested))
        guard case .writeHandshake(let first) = machine.start() else { Issue.record("no handshake"); return }
        #expect(Hex.encode(first) == "0f00000001010007000100020c010000001c65")
        // The server's reply on the first stream: "Unsupported version.", offering 1.7.0, status 1.
        var decoder = FrameDecoder()
        let refusal = try Self.frames(try Hex.decode(HandshakeGoldenTests.replies[8].2), chunk: chunk, decoder: &decoder)
        #expect(refusal.count == 1)
        guard case .reconnectAndHandshake(let offered) = machine.handshakeFrameReceived(refusal[0]) else {
            Issue.record("no downgrade"); return
        }
        #expect(offered == .v1_7_0)
        // A new stream: the second handshake proposes 1.7.0 (the golden 1.7.0 bytes).
        guard case .writeHandshake(let second) = machine.start() else { Issue.record("no second handshake"); return }
        #expect(Hex.encode(second) == HandshakeGoldenTests.requests[7].1)
        decoder = FrameDecoder()
        let accepted = try Self.frames(try Hex.decode(HandshakeGoldenTests.replies[7].1), chunk: chunk, decoder: &decoder)
        guard case .ready(let negotiated, let node) = machine.handshakeFrameReceived(accepted[0]) else { Issue.record("not ready"); return }
        #expect(negotiated == ProtocolContext(version: .v1_7_0, features: HandshakeGoldenTests.negotiated))
        #expect(node == HandshakeGoldenTests.node)
    }

    @Test("bad credentials: the real GridGain reply ends the connection with an authentication error, no downgrade")
    func badCredentials() throws {
        var machine = ConnectionStateMachine(configuration: .init(username: "ignite", password: "wrong"))
        _ = machine.start()
        let payload = Array(try Hex.decode(HandshakeGoldenTests.authFailure).dropFirst(4))
        guard case .closeConnection(let error) = machine.handshakeFrameReceived(payload) else { Issue.record("not refused"); return }
        #expect(error.code == .authentication)
        #expect(error.serverStatus == 2000)
        #expect(error.message == "The user name or password is incorrect [userName=ignite]")
        guard case .closed(let closedWith?) = machine.state else { Issue.record("not closed"); return }
        #expect(closedWith.code == .authentication)
        guard case .closeConnection = machine.start() else { Issue.record("a closed machine handshook again"); return }
    }

    @Test("a notification never completes a pending request, even when its resource id equals the request id")
    func notificationWithARequestsId() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        let sent = machine.sendProbe(writer: &writer)
        let id = try #require(sent)
        for header in [ResponseHeader(requestId: id, notificationOpCode: .queryContinuousEventNotification),
                       ResponseHeader(requestId: id, notificationOpCode: .computeTaskFinished, status: 1, errorMessage: "task failed"),
                       ResponseHeader(requestId: id, topologyVersion: AffinityTopologyVersion(major: 9, minor: 0),
                                      notificationOpCode: .queryContinuousEventNotification)] {
            let frame = ConnectionFrames.response(header, body: [1, 2], context: Self.context)
            guard case .notification(let note, let topology) = machine.frameReceived(ConnectionFrames.payload(frame)) else {
                Issue.record("notification not surfaced as one"); return
            }
            #expect(note.header.requestId == id)
            #expect(topology == header.topologyVersion)
            #expect(machine.isPending(id), "the request must still wait for its own response")
        }
        #expect(machine.topologyVersion == AffinityTopologyVersion(major: 9, minor: 0))
        let answer = ConnectionFrames.response(ResponseHeader(requestId: id), body: [7], context: Self.context)
        guard case .deliver(let response, _) = machine.frameReceived(ConnectionFrames.payload(answer)) else {
            Issue.record("the real response was not delivered"); return
        }
        #expect(Array(response.payload[response.bodyOffset...]) == [7])
        #expect(!machine.isPending(id))
    }

    @Test("an unparsable stream (negative length) fails every pending request with the decoder's error")
    func unparsableStream() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        _ = machine.sendProbe(writer: &writer)
        _ = machine.sendProbe(writer: &writer)
        var decoder = FrameDecoder()
        do {
            _ = try Self.frames([0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3], chunk: 2, decoder: &decoder)
            Issue.record("negative length accepted")
        } catch let error as IgniteError {
            #expect(error.code == .protocolViolation)
            guard case .closeConnection(let failure, let failed) = machine.connectionLost(error) else { Issue.record("no close"); return }
            #expect(failure.code == .protocolViolation)
            #expect(failed == [1, 2])
        }
        #expect(!machine.isReady)
    }

    /// One applicable group: node1 owns partitions 0 and 2, node2 owns 1 and 3 (4 partitions, mask branch).
    static func partitions(_ cacheId: Int32, version: AffinityTopologyVersion) -> CachePartitionsResponse {
        CachePartitionsResponse(topologyVersion: version, groups: [
            .init(isApplicable: true, caches: [.init(cacheId: cacheId)],
                  nodes: [.init(nodeId: GoldenFrameTests.node1, partitions: [0, 2]), .init(nodeId: GoldenFrameTests.node2, partitions: [1, 3])]),
        ])
    }

    @Test("a topology change read from a response triggers one new partition-map request; an unknown or dead owner routes to any node")
    func topologyChangeAndUnknownNode() throws {
        let cacheId = JavaHash.cacheId("golden")
        let v1 = AffinityTopologyVersion(major: 1, minor: 0)
        let v2 = AffinityTopologyVersion(major: 2, minor: 0)
        var machine = ConnectionStateMachine.readyMachine()
        var awareness = PartitionAwarenessState()
        awareness.registerCache(cacheId)
        awareness.nodeJoined(GoldenFrameTests.node1) // the only live connection; node2 is unknown to the client

        // First mapping, sent through the machine and answered with a real frame.
        var writer = BinaryWriter()
        let begun = awareness.beginMapping(cacheId: cacheId)
        let request = try #require(begun)
        guard case .write(let id) = machine.sendRequest(request, into: &writer) else { Issue.record("not sent"); return }
        var body = BinaryWriter()
        Self.partitions(cacheId, version: v1).encode(into: &body, context: Self.context)
        let reply = ConnectionFrames.response(ResponseHeader(requestId: id, topologyVersion: v1), body: body.bytes, context: Self.context)
        guard case .deliver(let response, let topology) = machine.frameReceived(ConnectionFrames.payload(reply)) else {
            Issue.record("not delivered"); return
        }
        if let topology { awareness.observe(topologyVersion: topology) }
        var reader = response.bodyReader
        let map = try request.decodeResponse(from: &reader, context: Self.context)
        let first = awareness.apply(map, requestedCacheId: cacheId)
        #expect(first == .mapped(partitionCount: 4))
        #expect(awareness.cachesNeedingMapping().isEmpty)

        // Hash 0 → partition 0 (node1, connected); hash 1 → partition 1 (node2: listed in the map, no connection).
        #expect(awareness.route(cacheId: cacheId, keyHash: 0) == .node(GoldenFrameTests.node1))
        #expect(awareness.route(cacheId: cacheId, keyHash: 1) == .anyNode)
        #expect(awareness.route(cacheId: cacheId, partition: 3) == .anyNode)
        // A key of a cache whose map is unknown also goes to any node.
        #expect(awareness.route(cacheId: 12345, keyHash: 0) == .anyNode)

        // Any later response carrying a newer version makes the map stale and asks for exactly one new request.
        guard case .write(let probe) = machine.sendRequest(ConnectionProbeRequest(opCode: .cacheGet), into: &writer) else { return }
        let changed = ConnectionFrames.response(ResponseHeader(requestId: probe, topologyVersion: v2), context: Self.context)
        guard case .deliver(_, let newVersion?) = machine.frameReceived(ConnectionFrames.payload(changed)) else {
            Issue.record("topology change not surfaced"); return
        }
        let isNewer = awareness.observe(topologyVersion: newVersion)
        #expect(isNewer)
        #expect(awareness.route(cacheId: cacheId, keyHash: 0) == .anyNode, "a stale map is not used")
        #expect(awareness.cachesNeedingMapping() == [cacheId])
        let again = awareness.beginMapping(cacheId: cacheId)
        let twice = awareness.beginMapping(cacheId: cacheId)
        #expect(again?.cacheIds == [cacheId])
        #expect(twice == nil, "one request in flight per cache")
        let outcome = awareness.apply(Self.partitions(cacheId, version: v2), requestedCacheId: cacheId)
        #expect(outcome == .mapped(partitionCount: 4))
        #expect(awareness.route(cacheId: cacheId, keyHash: 0) == .node(GoldenFrameTests.node1))

        // The owner goes down: fall back to any node; it comes back: routed again.
        awareness.nodeLeft(GoldenFrameTests.node1)
        #expect(awareness.route(cacheId: cacheId, keyHash: 0) == .anyNode)
        awareness.nodeJoined(GoldenFrameTests.node2)
        #expect(awareness.route(cacheId: cacheId, keyHash: 1) == .node(GoldenFrameTests.node2))
    }
}
