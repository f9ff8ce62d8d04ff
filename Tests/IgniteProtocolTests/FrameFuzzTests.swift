import Foundation
import IgniteProtocol
import Testing

/// Deterministic fuzzing of the frame decoder and the connection state machine with mutated real server frames.
@Suite("Frame fuzz")
struct FrameFuzzTests {
    struct Stream {
        var version: ProtocolVersion
        var frames: [[UInt8]]
    }

    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func version(_ text: String) -> ProtocolVersion? {
        let parts = text.split(separator: ".").compactMap { Int16($0) }
        return parts.count == 3 ? ProtocolVersion(parts[0], parts[1], parts[2]) : nil
    }

    /// Server streams from the capture files, or the embedded fallback when they are not beside the repository.
    static func loadStreams() -> [Stream] {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["IGNITE_CAPTURES_DIR"] { candidates.append(URL(fileURLWithPath: env)) }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(dir.appendingPathComponent("shared/reference/captures"))
            dir = dir.deletingLastPathComponent()
        }
        for candidate in candidates {
            guard let files = try? FileManager.default.contentsOfDirectory(atPath: candidate.path) else { continue }
            var byConnection: [Int: Stream] = [:]
            for file in files.sorted() where file.hasSuffix(".jsonl") {
                guard let text = try? String(contentsOf: candidate.appendingPathComponent(file), encoding: .utf8) else { continue }
                for line in text.split(separator: "\n") {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                          object["dir"] as? String == "s2c", object["partial"] as? Bool != true,
                          let hex = object["hex"] as? String, let conn = object["conn"] as? Int,
                          let proto = object["proto"] as? String, let version = version(proto) else { continue }
                    byConnection[conn, default: Stream(version: version, frames: [])].frames.append(ConnectionFrames.bytes(hex: hex))
                }
            }
            let streams = byConnection.keys.sorted().compactMap { byConnection[$0] }.filter { $0.frames.count >= 2 }
            if !streams.isEmpty { return streams }
        }
        return FrameCaptureFixtures.streams.compactMap { entry in
            version(entry.version).map { Stream(version: $0, frames: entry.frames.map { ConnectionFrames.bytes(hex: $0) }) }
        }
    }

    /// Rewrites the request ids of response frames to 1, 2, 3, … so that they match the ids the machine allocates.
    static func renumbered(_ frames: [[UInt8]]) -> [[UInt8]] {
        var result = [frames[0]]
        var id: Int64 = 1
        for var frame in frames.dropFirst() {
            if frame.count >= 12 {
                withUnsafeBytes(of: id.littleEndian) { raw in for i in 0..<8 { frame[4 + i] = raw[i] } }
            }
            result.append(frame)
            id += 1
        }
        return result
    }

    static func mutate(_ bytes: [UInt8], using rng: inout SplitMix) -> [UInt8] {
        var out = bytes
        let rounds = Int(rng.next() % 4) + 1
        for _ in 0..<rounds {
            guard !out.isEmpty else { out = [UInt8(truncatingIfNeeded: rng.next())]; continue }
            let at = Int(rng.next() % UInt64(out.count))
            switch rng.next() % 9 {
            case 0: out[at] ^= UInt8(1 << (rng.next() % 8))
            case 1: out[at] = UInt8(truncatingIfNeeded: rng.next())
            case 2: out.removeSubrange(at...)
            case 3: out.insert(contentsOf: (0..<Int(rng.next() % 8 + 1)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }, at: at)
            case 4: out.removeSubrange(at..<min(out.count, at + Int(rng.next() % 16 + 1)))
            case 5:
                // Corrupt a length prefix position with an interesting value.
                let values: [Int32] = [0, -1, 1, 3, Int32.max, Int32.min, 0x7fff, 256 * 1024 * 1024 + 1]
                let v = values[Int(rng.next() % UInt64(values.count))]
                withUnsafeBytes(of: v.littleEndian) { raw in for i in 0..<4 where at + i < out.count { out[at + i] = raw[i] } }
            case 6: out[at] = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x07, 0xff, 0x65, 0x09][Int(rng.next() % 10)]
            case 7: out += out[at...].prefix(32)
            default: out.swapAt(at, Int(rng.next() % UInt64(out.count)))
            }
        }
        return out
    }

    @Test func mutatedServerStreamsNeverCrash() throws {
        let streams = Self.loadStreams()
        try #require(!streams.isEmpty)
        var rng = SplitMix(state: 0x1601_6E17_E5EE_D001)
        var outcomes: [String: Int] = [:]
        let cases = 20_000
        for n in 0..<cases {
            let stream = streams[n % streams.count]
            let frames = Self.renumbered(stream.frames)
            var bytes = frames.flatMap { $0 }
            if n % 10 != 0 { bytes = Self.mutate(bytes, using: &rng) }
            outcomes[Self.run(bytes: bytes, version: stream.version, responses: frames.count - 1, rng: &rng), default: 0] += 1
        }
        print("frame fuzz outcomes:", outcomes.sorted { $0.key < $1.key })
        // Every case ended in one of the known ways; the unmutated tenth all completed.
        #expect(!outcomes.keys.contains { $0.hasPrefix("INVARIANT") }, "\(outcomes)")
        #expect(outcomes.values.reduce(0, +) == cases)
        #expect((outcomes["complete"] ?? 0) >= cases / 10)
    }

    /// Feeds one byte stream in random chunks; returns how it ended. Checks the machine's invariants as it goes.
    static func run(bytes: [UInt8], version: ProtocolVersion, responses: Int, rng: inout SplitMix) -> String {
        var machine = ConnectionStateMachine(configuration: .init(initialVersion: version, supportedVersions: ProtocolVersion.supported))
        _ = machine.start()
        var decoder = FrameDecoder(maximumFrameLength: 1 << 20)
        var writer = BinaryWriter()
        var sent: Set<Int64> = []
        var answered: Set<Int64> = []
        var index = 0
        var handshakeDone = false
        while index < bytes.count {
            let chunk = Int(rng.next() % 64) + 1
            let end = min(bytes.count, index + chunk)
            decoder.append(contentsOf: bytes[index..<end])
            index = end
            while true {
                let payload: [UInt8]
                do {
                    guard let next = try decoder.nextFrame() else { break }
                    payload = next
                } catch {
                    _ = machine.connectionLost(IgniteError(.protocolViolation, "bad frame"))
                    return machine.pendingRequestCount == 0 ? "bad-length" : "INVARIANT: pending after loss"
                }
                if !handshakeDone {
                    switch machine.handshakeFrameReceived(payload) {
                    case .ready(let context, _):
                        handshakeDone = true
                        guard context.version == machine.protocolContext?.version else { return "INVARIANT: context" }
                        for _ in 0..<responses {
                            if case .write(let id) = machine.sendRequest(ConnectionProbeRequest(opCode: .cacheGet), into: &writer) {
                                guard sent.insert(id).inserted else { return "INVARIANT: duplicate id" }
                            }
                        }
                        // Time out one request now and then, to exercise the discard path.
                        if rng.next() % 4 == 0, let some = sent.min() {
                            if case .failRequest = machine.requestTimedOut(some) { answered.insert(some) }
                        }
                    case .reconnectAndHandshake: return "downgrade"
                    case .closeConnection: return "handshake-failed"
                    case .writeHandshake: return "INVARIANT: unexpected write"
                    }
                    continue
                }
                switch machine.frameReceived(payload) {
                case .deliver(let response, _):
                    guard sent.contains(response.requestId), answered.insert(response.requestId).inserted else {
                        return "INVARIANT: wrong delivery"
                    }
                    // Decode whatever the body holds as generic values: must throw or succeed, never trap.
                    var reader = response.bodyReader
                    var values = 0
                    while !reader.isAtEnd, values < 64, (try? reader.readValue()) != nil { values += 1 }
                case .discard(let id, _):
                    guard answered.contains(id) else { return "INVARIANT: discard of unknown id" }
                case .notification, .none:
                    break
                case .closeConnection(_, let failed):
                    guard machine.pendingRequestCount == 0, failed.allSatisfy({ sent.contains($0) && !answered.contains($0) }) else {
                        return "INVARIANT: close"
                    }
                    return "closed"
                }
            }
        }
        guard answered.count + machine.pendingRequestCount == sent.count else { return "INVARIANT: lost request" }
        return machine.pendingRequestCount == 0 && handshakeDone ? "complete" : "incomplete"
    }
}

extension FrameFuzzTests {
    /// A decoder under fuzz: a name, a valid body, and the decode call.
    struct BodyDecoder: Sendable {
        var name: String
        var hex: String
        var decode: @Sendable (inout BinaryReader) throws -> Void
    }

    static func bodyDecoder<R: IgniteRequest>(_ request: R, _ hex: String) -> BodyDecoder {
        BodyDecoder(name: "\(request.opCode)", hex: hex) { reader in
            _ = try request.decodeResponse(from: &reader, context: GoldenFrameTests.full)
        }
    }

    /// A decoder whose valid body is the server direction's encoding of `response`.
    static func bodyDecoder<R: IgniteServerCodableRequest>(_ request: R, response: R.Response) -> BodyDecoder {
        var writer = BinaryWriter()
        do {
            try request.encodeResponse(response, into: &writer, context: GoldenFrameTests.full)
        } catch {
            return BodyDecoder(name: "\(request.opCode): \(error)", hex: "zz") { _ in }
        }
        return bodyDecoder(request, writer.bytes.map { String(format: "%02x", $0) }.joined())
    }

    /// A binary type with every part a reply can carry: fields, an affinity key, several schemas; and an enum type.
    static var fuzzBinaryTypes: [BinaryType] {
        let fields = ["id", "name", "when", "amount"].enumerated().map { BinaryType.Field(name: $0.element, typeCode: Int32($0.offset + 3)) }
        let ids = fields.map(\.fieldId)
        return [
            BinaryType(typeName: "org.example.Fuzz", affinityKeyFieldName: "id", fields: fields,
                       schemas: [.init(fieldIds: ids), .init(fieldIds: Array(ids.prefix(2))), .init(fieldIds: [])]),
            BinaryType(typeName: "org.example.Color", isEnum: true, enumValues: [("RED", 0), ("GREEN", 1), ("BLUE", 2)]),
        ]
    }

    /// Valid response bodies of every decoder shape (golden bodies and handshake replies), mutated.
    static let bodyDecoders: [BodyDecoder] = [
        bodyDecoder(ClusterGroupGetNodeIdsRequest(), "01050000000000000002000000614a720033f738a47f7e11fe533ed6b401000000000000000200000000000000"),
        bodyDecoder(ClusterGroupGetNodeInfoRequest(nodeIds: []),
                    "010000000a614a720033f738a47f7e11fe533ed6b402000000091b0000006f72672e6170616368652e69676e6974652e6275696c642e766572"
                    + "0905000000382e392e300904000000726f6c65030700000018020000000109090000003132372e302e302e31090800000031302e302e302e35"
                    + "18010000000109050000006e6f6465310300000000000000010000090c000000636f6e73697374656e742d310809010908000000534e415053"
                    + "484f540068e5cf8b0100000c02000000dead"),
        bodyDecoder(ClusterGroupGetNodeEndpointsRequest(),
                    "060000000000000001000000614a720033f738a47f7e11fe533ed6b4302a00000200000009090000003132372e302e302e310905000000686f737431"
                    + "0100000001000000000000000200000000000000"),
        bodyDecoder(CacheNodePartitionsRequest(cacheId: 1),
                    "02000000302a00000100000009090000003132372e302e302e31020000000000000003000000312a000000000000020000000200000001000000"),
        bodyDecoder(CachePartitionsRequest(cacheId: 1),
                    "07000000000000000100000002000000010100000009f511b6010000006f000000de000000020000000a614a720033f738a47f7e11fe533ed6b4"
                    + "0200000000000000020000000a010000000000000002000000000000000200000001000000030000000001000000b3ffffff"),
        bodyDecoder(QuerySQLFieldsRequest(sql: "S", includeFieldNames: true),
                    "0c00000000000000020000000902000000494409040000004e414d4502000000030100000009010000006103020000006501"),
        bodyDecoder(QuerySQLFieldsCursorGetPageRequest(cursorId: 1, columnCount: 2), "01000000030300000009010000006300"),
        bodyDecoder(QueryScanRequest(cache: GoldenFrameTests.cache), "010000000000000001000000042a0000000000000009010000007601"),
        // (16 keys asked for: a reply may not hold more entries than keys.)
        bodyDecoder(CacheGetAllRequest(cache: GoldenFrameTests.cache, keys: Array(repeating: EncodedValue(.int(1)), count: 16)),
                    "01000000042a00000000000000090100000076"),
        bodyDecoder(CacheGetNamesRequest(), "020000000908000000636170547970657309050000006361704b56"),
        bodyDecoder(BinaryConfigurationGetRequest(), "0101"),
        bodyDecoder(GetBinaryTypeNameRequest(typeId: 1), "09070000006f72672e782e59"),
        bodyDecoder(CacheGetConfigurationRequest(cacheId: 1), response: ConfigurationFixtures.capCfgAsReported),
        bodyDecoder(GetBinaryTypeRequest(typeId: 1), response: fuzzBinaryTypes[0]),
        bodyDecoder(GetBinaryTypeRequest(typeId: 2), response: fuzzBinaryTypes[1]),
        bodyDecoder(GetBinaryTypeRequest(typeId: 3), response: nil),
        BodyDecoder(name: "handshake reply 1.7.0", hex: "010c020000001c090a614a720033f738a47f7e11fe533ed6b4") { reader in
            _ = try HandshakeResponse.decode(payload: Array(reader.buffer[reader.position...]), proposed: .v1_7_0)
        },
        BodyDecoder(name: "handshake failure", hex: "000100070000000914000000556e737570706f727465642076657273696f6e2e01000000") { reader in
            _ = try HandshakeResponse.decode(payload: Array(reader.buffer[reader.position...]), proposed: .v1_7_0)
        },
    ]

    @Test func mutatedResponseBodiesFailOnlyWithTypedErrors() throws {
        var rng = SplitMix(state: 0xB0D1_E5F0_22ED_0001)
        var outcomes: [String: Int] = [:]
        for decoder in Self.bodyDecoders {
            let body = try Hex.decode(decoder.hex)
            var reader = BinaryReader(body)
            try decoder.decode(&reader)  // the unmutated body decodes
            for _ in 0..<2_000 {
                var mutated = BinaryReader(Self.mutate(body, using: &rng))
                do {
                    try decoder.decode(&mutated)
                    outcomes["decoded", default: 0] += 1
                } catch let error as IgniteError {
                    outcomes[error.code == .parse || error.code == .handshake ? "parse" : "other \(error.code)", default: 0] += 1
                } catch {
                    Issue.record("\(decoder.name): untyped error \(error)")
                }
            }
        }
        #expect(outcomes.keys.allSatisfy { $0 == "decoded" || $0 == "parse" }, "\(outcomes)")
        #expect((outcomes["parse"] ?? 0) > 1_000)
    }
}
