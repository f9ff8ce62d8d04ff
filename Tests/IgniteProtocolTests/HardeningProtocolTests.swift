import Foundation
import IgniteProtocol
import Testing

/// Issue 10, protocol side: late replies after many timeouts, replies that do not match their request, and secrets
/// in descriptions. Every case feeds values; no sockets.
@Suite("Hardening: late replies, mismatched replies, secrets")
struct HardeningProtocolTests {
    let context = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.clusterStates]))

    /// More timed-out requests than the machine once remembered (4,096): every late reply is discarded and the
    /// connection stays up; an id that was never issued still fails it.
    @Test func lateRepliesAfterFiveThousandTimeoutsAreDiscarded() throws {
        var machine = ConnectionStateMachine.readyMachine()
        var writer = BinaryWriter()
        var ids: [Int64] = []
        for _ in 0..<5_000 {
            let sent = machine.sendProbe(writer: &writer)
            ids.append(try #require(sent))
        }
        for id in ids { _ = machine.requestTimedOut(id) }
        var discarded = 0
        for id in ids {
            let late = ConnectionFrames.response(ResponseHeader(requestId: id), body: [1], context: context)
            guard case .discard(let discardedId, _) = machine.frameReceived(ConnectionFrames.payload(late)), discardedId == id else { break }
            discarded += 1
        }
        #expect(discarded == 5_000)
        #expect(machine.isReady)

        let nextSent = machine.sendProbe(writer: &writer)
        let next = try #require(nextSent)
        let answer = ConnectionFrames.response(ResponseHeader(requestId: next), body: [2], context: context)
        guard case .deliver(let response, _) = machine.frameReceived(ConnectionFrames.payload(answer)) else {
            Issue.record("the next request was not delivered"); return
        }
        #expect(response.requestId == next)

        let neverIssued = ConnectionFrames.response(ResponseHeader(requestId: next + 1_000), context: context)
        guard case .closeConnection(let error, _) = machine.frameReceived(ConnectionFrames.payload(neverIssued)) else {
            Issue.record("a reply to an id never issued was accepted"); return
        }
        #expect(error.code == .protocolViolation)
    }

    /// A getAll reply with more entries than keys asked for is a protocol error, not a bigger dictionary.
    @Test func getAllReplyWithMoreEntriesThanKeysIsAProtocolError() throws {
        let request = CacheGetAllRequest(cache: CacheInfo(cacheName: "c"), keys: [EncodedValue(.int(1))])
        var body = BinaryWriter()
        let entries = (0..<121).map { CacheEntry(key: .int(Int32($0)), value: .int(Int32($0))) }
        try IgniteOps.CacheGetAll.encodeResponse(entries, into: &body)
        var reader = BinaryReader(body.bytes)
        let error = #expect(throws: IgniteError.self) { try request.decodeResponse(from: &reader, context: context) }
        #expect(error?.code == .protocolViolation)

        // As many entries as keys (or fewer: missing keys) is fine.
        var one = BinaryWriter()
        try IgniteOps.CacheGetAll.encodeResponse([CacheEntry(key: .int(1), value: .int(5))], into: &one)
        var oneReader = BinaryReader(one.bytes)
        #expect(try request.decodeResponse(from: &oneReader, context: context).count == 1)
    }

    static let user = "ignite"
    /// Differs from the user name, so a line showing the user name is not mistaken for a leak.
    static let password = "Pa55-w0rd-7f3c"

    private func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), dumped]
    }

    /// The password never shows in `description`, `debugDescription` or `dump` of the handshake configuration, the
    /// connection machine or the handshake request.
    @Test func handshakeValuesNeverShowThePassword() throws {
        let configuration = ConnectionStateMachine.Configuration(username: Self.user, password: Self.password)
        var machine = ConnectionStateMachine(configuration: configuration)
        _ = machine.start()
        let request = HandshakeRequest(version: .v1_7_0, username: Self.user, password: Self.password)
        let texts = renderings(configuration) + renderings(machine) + renderings(request)
        let leaks = texts.filter { $0.contains(Self.password) }
        #expect(leaks.isEmpty, "password in: \(leaks.first ?? "")")
        #expect(renderings(request).allSatisfy { $0.contains(Self.user) })
        #expect(renderings(configuration).allSatisfy { $0.contains("<redacted>") })
        // The request still carries the password where it belongs: on the wire.
        #expect(request.password == Self.password)
    }
}
