import Foundation
import Testing
@testable import IgniteProtocol

/// Handshake requests and both reply outcomes at every protocol version, byte for byte: bytes written from
/// PROTOCOL-FACTS §2 by an independent script, pyignite's own handshake vectors, and (when the capture files are
/// present) every handshake a real GridGain node exchanged.
@Suite("Handshake bytes")
struct HandshakeGoldenTests {
    static let node = UUID(uuidString: "a438f733-0072-4a61-b4d6-3e53fe117e7f") ?? UUID()
    /// Feature bits 2, 3, 4 (`1c`), as requested.
    static let requested = ProtocolFeatures(bytes: [0x1C])
    /// Bits 2, 3, 4, 8, 11 (`1c 09`), as a server answers.
    static let negotiated = ProtocolFeatures(bytes: [0x1C, 0x09])

    /// (version, request without credentials, request with ignite/ignite). 1.0.0 has no credentials; 1.7.0 adds the
    /// feature array; GridGain's 1.7.1 adds the user-attributes map (null here).
    static let requests: [(String, String, String)] = [
        ("1.0.0", "080000000101000000000002", "080000000101000000000002"),
        ("1.1.0", "080000000101000100000002", "1e0000000101000100000002090600000069676e697465090600000069676e697465"),
        ("1.2.0", "080000000101000200000002", "1e0000000101000200000002090600000069676e697465090600000069676e697465"),
        ("1.3.0", "080000000101000300000002", "1e0000000101000300000002090600000069676e697465090600000069676e697465"),
        ("1.4.0", "080000000101000400000002", "1e0000000101000400000002090600000069676e697465090600000069676e697465"),
        ("1.5.0", "080000000101000500000002", "1e0000000101000500000002090600000069676e697465090600000069676e697465"),
        ("1.6.0", "080000000101000600000002", "1e0000000101000600000002090600000069676e697465090600000069676e697465"),
        ("1.7.0", "0e00000001010007000000020c010000001c", "2400000001010007000000020c010000001c090600000069676e697465090600000069676e697465"),
        ("1.7.1", "0f00000001010007000100020c010000001c65", "2500000001010007000100020c010000001c65090600000069676e697465090600000069676e697465"),
    ]

    /// (version, success reply, failure reply naming 1.7.0 with "Unsupported version."). The success reply gains the
    /// node id at 1.4.0 and the negotiated features at 1.7.0; the failure reply gains the status at 1.1.0.
    static let replies: [(String, String, String)] = [
        ("1.0.0", "0100000001", "20000000000100070000000914000000556e737570706f727465642076657273696f6e2e"),
        ("1.1.0", "0100000001", "24000000000100070000000914000000556e737570706f727465642076657273696f6e2e01000000"),
        ("1.2.0", "0100000001", "24000000000100070000000914000000556e737570706f727465642076657273696f6e2e01000000"),
        ("1.3.0", "0100000001", "24000000000100070000000914000000556e737570706f727465642076657273696f6e2e01000000"),
        ("1.4.0", "12000000010a614a720033f738a47f7e11fe533ed6b4", "24000000000100070000000914000000556e737570706f727465642076657273696f6e2e01000000"),
        ("1.5.0", "12000000010a614a720033f738a47f7e11fe533ed6b4", "24000000000100070000000914000000556e737570706f727465642076657273696f6e2e01000000"),
        ("1.6.0", "12000000010a614a720033f738a47f7e11fe533ed6b4", "24000000000100070000000914000000556e737570706f727465642076657273696f6e2e01000000"),
        ("1.7.0", "19000000010c020000001c090a614a720033f738a47f7e11fe533ed6b4", "24000000000100070000000914000000556e737570706f727465642076657273696f6e2e01000000"),
        ("1.7.1", "19000000010c020000001c090a614a720033f738a47f7e11fe533ed6b4", "24000000000100070000000914000000556e737570706f727465642076657273696f6e2e01000000"),
    ]

    /// A real GridGain reply to a wrong password: version 0.0.0, the message, status 2000.
    static let authFailure = "480000000000000000000009380000005468652075736572206e616d65206f722070617373776f726420697320696e636f7272656374205b757365724e616d653d69676e6974655dd0070000"

    static func version(_ text: String) throws -> ProtocolVersion { try #require(ProtocolVersion(text: text)) }

    @Test func requestsAtEveryVersion() throws {
        #expect(Self.requests.map(\.0) == ProtocolVersion.supported.reversed().map(\.description))
        for (text, plain, auth) in Self.requests {
            let version = try Self.version(text)
            #expect(Hex.encode(HandshakeRequest(version: version, features: Self.requested).frame()) == plain, "\(text)")
            let withCredentials = HandshakeRequest(version: version, features: Self.requested, username: "ignite", password: "ignite")
            #expect(Hex.encode(withCredentials.frame()) == auth, "\(text) with credentials")
            // And back (server direction, GridGain's rule for the attributes map).
            let decoded = try HandshakeRequest.decode(payload: Array(try Hex.decode(auth).dropFirst(4)))
            #expect(decoded.version == version)
            #expect(decoded.features == (version >= .v1_7_0 ? Self.requested : ProtocolFeatures()))
            #expect(decoded.username == (version >= .v1_1_0 ? "ignite" : nil))
            #expect(decoded.password == (version >= .v1_1_0 ? "ignite" : nil))
        }
    }

    @Test func userAttributesByVersionAndByBit0() throws {
        let gridGain = HandshakeRequest(version: .v1_7_1, features: ProtocolFeatures([.clusterStates]), userAttributes: ["b": "2", "a": "1"])
        #expect(Hex.encode(gridGain.frame())
            == "2c00000001010007000100020c0100000004190200000001090100000061090100000031090100000062090100000032")
        let apache = HandshakeRequest(version: .v1_7_0, features: ProtocolFeatures([.userAttributes, .clusterStates]), userAttributes: ["a": "1"])
        #expect(Hex.encode(apache.frame()) == "2000000001010007000000020c0100000005190100000001090100000061090100000031")
        let decoded = try HandshakeRequest.decode(payload: Array(apache.frame().dropFirst(4)), userAttributes: .byFeatureBit)
        #expect(decoded.userAttributes == ["a": "1"])
        // At 1.7.0 without bit 0 the map is never written, even when attributes are configured.
        let withoutBit = HandshakeRequest(version: .v1_7_0, features: ProtocolFeatures([.clusterStates]), userAttributes: ["a": "1"])
        #expect(Hex.encode(withoutBit.frame()) == "0e00000001010007000000020c0100000004")
    }

    @Test func successAndFailureRepliesAtEveryVersion() throws {
        for (text, success, failure) in Self.replies {
            let version = try Self.version(text)
            let features = version >= .v1_7_0 ? Self.negotiated : ProtocolFeatures()
            let expectedSuccess = HandshakeResponse.success(features: features, nodeId: version >= .v1_4_0 ? Self.node : nil)
            #expect(Hex.encode(expectedSuccess.frame(proposed: version)) == success, "\(text) success")
            #expect(try HandshakeResponse.decode(payload: Array(try Hex.decode(success).dropFirst(4)), proposed: version) == expectedSuccess)
            let expectedFailure = HandshakeResponse.failure(serverVersion: .v1_7_0, message: "Unsupported version.",
                                                            status: version >= .v1_1_0 ? ServerStatus.failed : nil)
            #expect(Hex.encode(expectedFailure.frame(proposed: version)) == failure, "\(text) failure")
            #expect(try HandshakeResponse.decode(payload: Array(try Hex.decode(failure).dropFirst(4)), proposed: version) == expectedFailure)
        }
        let auth = try HandshakeResponse.decode(payload: Array(try Hex.decode(Self.authFailure).dropFirst(4)), proposed: .v1_7_0)
        #expect(auth == .failure(serverVersion: ProtocolVersion(0, 0, 0),
                                 message: "The user name or password is incorrect [userName=ignite]", status: ServerStatus.authFailed))
    }

    @Test func everyTruncatedReplyIsAnError() throws {
        for (text, success, failure) in Self.replies {
            let version = try Self.version(text)
            for hex in [success, failure] {
                let payload = Array(try Hex.decode(hex).dropFirst(4))
                // A failure reply without its trailing status still decodes (the status is optional), so cut inside the
                // fixed part only.
                let fixedEnd = payload[0] == 1 ? payload.count : payload.count - (version >= .v1_1_0 ? 4 : 0)
                for cut in 0..<fixedEnd {
                    #expect(throws: IgniteError.self, "\(text) cut at \(cut)") {
                        _ = try HandshakeResponse.decode(payload: Array(payload[..<cut]), proposed: version)
                    }
                }
            }
        }
    }

    /// pyignite's handshake frames (`Tests/Vectors/requests.json`, pyignite 0.6.1), rebuilt from their arguments.
    @Test func pyigniteHandshakeFrames() throws {
        let url = URL(fileURLWithPath: PyigniteFrameTests.vectorsPath)
        let root = try #require(try JSONSerialization.jsonObject(with: try Data(contentsOf: url)) as? [String: Any])
        let entries = try #require(root["requests"] as? [[String: Any]]).filter { ($0["name"] as? String)?.hasPrefix("handshake.") == true }
        #expect(entries.count == 7)
        for entry in entries {
            let args = try #require(entry["args"] as? [String: Any])
            let version = try #require(ProtocolVersion(text: args["version"] as? String ?? ""))
            // "features" holds the bitmask bytes (pyignite advertises only 0x04: bit 2).
            let bytes = (args["features"] as? [NSNumber] ?? []).map(\.uint8Value)
            let request = HandshakeRequest(version: version, features: ProtocolFeatures(bytes: bytes), username: args["username"] as? String,
                                           password: args["password"] as? String)
            // One vector records pyignite's length bug (characters instead of bytes); compare with the corrected frame.
            let expected = entry["hex_correct_length"] as? String ?? entry["hex"] as? String ?? ""
            #expect(Hex.encode(request.frame()) == expected, "\(entry["name"] ?? "")")
        }
    }

    /// Every well-formed thin-client handshake of the captures, decoded by GridGain's rule and framed again, gives
    /// the captured bytes; every captured reply re-encodes to its bytes.
    /// Hand-crafted captured handshakes this client writes differently on purpose.
    static let handcraftedHandshakes: Set<String> = [
        "auth.credentials-1.0.0",          // credentials at 1.0.0: the server ignores them, this client never writes them
        "auth.null-credentials",           // null user/password strings: this client writes credentials only with a user name
        "auth.empty-credentials",          // empty user name: likewise (the Java client's rule)
        "handshake.raw-1.7.0-all-bits",    // bit 0 at 1.7.0 without a map: this client writes the (null) map Apache expects
        "handshake.raw-1.7.1-user-attrs",  // same attributes; this client writes the map's keys sorted
    ]

    @Test(.enabled(if: CaptureFiles.isAvailable, "captures not found"))
    func capturedHandshakesReencode() throws {
        let lines = try CaptureFiles.loadAll().filter { $0.isHandshake && !$0.isPartial }
        var proposed: [Int: ProtocolVersion] = [:]
        var requests = 0
        var replies = 0
        var different: Set<String> = []
        for line in lines {
            if line.dir == "c2s" {
                guard let request = try? HandshakeRequest.decode(payload: line.payload),
                      request.clientType == HandshakeRequest.thinClientType, ProtocolVersion.supported.contains(request.version) else {
                    proposed[line.conn] = nil
                    continue
                }
                proposed[line.conn] = request.version
                if request.frame() != line.bytes { different.insert(line.scenario) }
                requests += 1
            } else if let version = proposed[line.conn] {
                let reply = try HandshakeResponse.decode(payload: line.payload, proposed: version)
                #expect(Hex.encode(reply.frame(proposed: version)) == Hex.encode(line.bytes), "\(line.scenario) conn \(line.conn)")
                replies += 1
            }
        }
        #expect(different == Self.handcraftedHandshakes)
        #expect(requests >= 290)
        #expect(replies >= 290)
    }
}
