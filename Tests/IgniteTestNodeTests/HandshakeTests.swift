import Foundation
import IgniteProtocol
import IgniteTestNode
import Testing

@Suite("Test node: handshake")
struct HandshakeTests {
    @Test("every version from 1.0.0 to 1.7.1 succeeds with the reply layout of that version",
          arguments: ProtocolVersion.supported)
    func versions(_ version: ProtocolVersion) throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient(cluster.endpoints[0])
        let reply = try client.handshake(version: version, features: ProtocolFeatures([.clusterStates]))
        guard case .success(let features, let nodeId) = reply else {
            Issue.record("handshake at \(version) failed: \(reply)")
            return
        }
        #expect(nodeId == (version >= .v1_4_0 ? cluster.nodes[0].nodeId : nil))
        #expect(features == (version >= .v1_7_0 ? ProtocolFeatures([.clusterStates]) : ProtocolFeatures()))
        let response = try client.request(.cacheGetNames)
        #expect(response.isSuccess)
    }

    @Test("all feature bits requested: GridGain's table, or the Apache bits the node implements")
    func allBits() throws {
        // Bit 0 makes the request carry a (null) user-attributes map: GridGain reads it at 1.7.1, Apache at 1.7.0.
        for (maxVersion, expected) in [(ProtocolVersion.v1_7_1, [UInt8]([0xff, 0xcb, 0x0b, 0x00, 0x07])), (.v1_7_0, [0xff, 0xcb])] {
            let cluster = try IgniteTestCluster(TestNodeConfiguration(maxVersion: maxVersion))
            defer { cluster.shutdown() }
            let client = try RawClient(cluster.endpoints[0])
            let reply = try client.handshake(version: maxVersion, features: ProtocolFeatures(bytes: [UInt8](repeating: 0xff, count: 8)))
            guard case .success(let features, _) = reply else {
                Issue.record("handshake failed: \(reply)")
                continue
            }
            #expect(features.bytes == expected)
        }
    }

    @Test("unsupported versions get the node's version, the message, and a status from 1.1.0 on")
    func unsupported() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient(cluster.endpoints[0])
        #expect(try client.handshake(version: ProtocolVersion(1, 8, 0))
            == .failure(serverVersion: .v1_7_1, message: "Unsupported version: 1.8.0", status: 1))
        #expect(try client.handshake(version: ProtocolVersion(2, 0, 0))
            == .failure(serverVersion: .v1_7_1, message: "Unsupported version: 2.0.0", status: 1))
        #expect(try client.handshake(version: ProtocolVersion(1, 0, 1))
            == .failure(serverVersion: .v1_7_1, message: "Unsupported version: 1.0.1", status: nil))
        // The connection stays open: a retry on the same socket succeeds.
        guard case .success = try client.handshake(version: .v1_7_0) else {
            Issue.record("retry on the same socket failed")
            return
        }
    }

    @Test("an Apache-like node (max 1.7.0) rejects 1.7.1 with its own version")
    func apacheMode() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(maxVersion: .v1_7_0))
        defer { cluster.shutdown() }
        let client = try RawClient(cluster.endpoints[0])
        #expect(try client.handshake(version: .v1_7_1, userAttributes: [:])
            == .failure(serverVersion: .v1_7_0, message: "Unsupported version: 1.7.1", status: 1))
    }

    @Test("client types other than 2")
    func clientTypes() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        for (type, expected) in [(UInt8(7), HandshakeResponse.failure(serverVersion: ProtocolVersion(0, 0, 0), message: "Unknown client type: 7", status: 1)),
                                 (0, .failure(serverVersion: ProtocolVersion(2, 8, 0), message: "Unsupported version: 1.7.0", status: 1)),
                                 (1, .failure(serverVersion: ProtocolVersion(2, 8, 3), message: "Unsupported version: 1.7.0", status: 1))] {
            let client = try RawClient(cluster.endpoints[0])
            client.write(HandshakeRequest(version: .v1_7_0, clientType: type).frame())
            let payload = try #require(try client.readFrame())
            #expect(try HandshakeResponse.decode(payload: payload, proposed: .v1_7_0) == expected)
        }
    }

    @Test("a bad header closes the socket without a reply",
          arguments: [[UInt8]([0x02, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x02]), [0x01, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x02],
                      [0xe8, 0x03, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]])
    func badHeader(_ payload: [UInt8]) throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient(cluster.endpoints[0])
        var writer = BinaryWriter()
        writer.writeInt32(Int32(payload.count))
        writer.writeBytes(payload)
        client.write(writer.bytes)
        #expect(client.drainUntilClose().isEmpty)
    }

    @Test("a malformed handshake body gets no reply and is closed by the handshake timer")
    func malformedBody() throws {
        var configuration = TestNodeConfiguration()
        configuration.handshakeTimeout = .milliseconds(200)
        let cluster = try IgniteTestCluster(configuration)
        defer { cluster.shutdown() }
        let client = try RawClient(cluster.endpoints[0])
        // 1.7.0 without the features byte array.
        client.write([0x08, 0, 0, 0, 0x01, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x02])
        #expect(client.drainUntilClose().isEmpty)
    }

    @Test("GridGain does not read a user-attributes map at 1.7.0 even with bit 0: the 65 is taken as a null user name")
    func userAttributesAt170() throws {
        var configuration = TestNodeConfiguration()
        configuration.handshakeTimeout = .milliseconds(200)
        let cluster = try IgniteTestCluster(configuration)
        defer { cluster.shutdown() }
        let client = try RawClient(cluster.endpoints[0])
        client.write(HandshakeRequest(version: .v1_7_0, features: ProtocolFeatures(bytes: [UInt8](repeating: 0xff, count: 8))).frame())
        #expect(client.drainUntilClose().isEmpty)
        // At 1.7.1 the map is read.
        let second = try RawClient(cluster.endpoints[0])
        guard case .success = try second.handshake(version: .v1_7_1, userAttributes: ["k": "v"]) else {
            Issue.record("1.7.1 with a user-attributes map failed")
            return
        }
    }

    @Test("authentication failures carry 0.0.0, the real texts and status 2000")
    func authentication() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(users: ["ignite": "ignite"]))
        defer { cluster.shutdown() }
        let endpoint = cluster.endpoints[0]
        let zero = ProtocolVersion(0, 0, 0)
        #expect(try RawClient(endpoint).handshake(username: "ignite", password: "wrong")
            == .failure(serverVersion: zero, message: "The user name or password is incorrect [userName=ignite]", status: 2000))
        #expect(try RawClient(endpoint).handshake(username: "nobody", password: "x")
            == .failure(serverVersion: zero, message: "The user name or password is incorrect [userName=nobody]", status: 2000))
        #expect(try RawClient(endpoint).handshake()
            == .failure(serverVersion: zero, message: "Unauthenticated sessions are prohibited.", status: 2000))
        #expect(try RawClient(endpoint).handshake(version: .v1_0_0)
            == .failure(serverVersion: zero, message: "Unauthenticated sessions are prohibited.", status: nil))
        let client = try RawClient(endpoint)
        #expect(try client.handshake(username: "ignite", password: "bad") != .success(features: ProtocolFeatures(), nodeId: nil))
        guard case .success = try client.handshake(username: "ignite", password: "ignite") else {
            Issue.record("retry with the right password on the same socket failed")
            return
        }
        #expect(try client.request(.cacheGetNames).isSuccess)
    }

    @Test("credentials sent to a node without authentication are ignored")
    func credentialsWithoutAuth() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        guard case .success = try RawClient(cluster.endpoints[0]).handshake(username: "any", password: "thing") else {
            Issue.record("handshake with credentials failed")
            return
        }
    }
}

@Suite("Test node: response header")
struct ResponseHeaderTests {
    @Test("the first response carries the topology version, later ones only after a change")
    func topologyFlag() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        let first = try client.request(.cacheGetNames)
        #expect(first.header.topologyVersion == AffinityTopologyVersion(major: 1, minor: 0))
        #expect(try client.request(.cacheGetNames).header.topologyVersion == nil)
        let create = try client.request(.cacheCreateWithName) { $0.writeStringObject("flagged") }
        #expect(create.header.topologyVersion == AffinityTopologyVersion(major: 1, minor: 1))
        #expect(try client.request(.cacheGetNames).header.topologyVersion == nil)
        // An error response is flagged too when it is the first one.
        let other = try RawClient.connected(cluster.endpoints[0])
        let error = try other.request(OpCode(12345))
        #expect(error.header.status == 2)
        #expect(error.header.errorMessage == "Invalid request op code: 12345")
        #expect(error.header.topologyVersion == AffinityTopologyVersion(major: 1, minor: 1))
    }

    @Test("below 1.4.0 the header is request id and status")
    func oldHeader() throws {
        let cluster = try IgniteTestCluster()
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0], version: .v1_2_0)
        let (_, frame) = client.frame(.cacheGet) { w in
            w.writeInt32(12345)
            w.writeInt8(0)
            w.writeValue(.int(1))
        }
        client.write(frame)
        let payload = try #require(try client.readFrame())
        var expected = BinaryWriter()
        expected.writeInt64(1)
        expected.writeInt32(1000)
        expected.writeStringObject("Cache does not exist [cacheId= 12345]")
        #expect(payload == expected.bytes)
    }

    @Test("heartbeat and idle timeout answer without bit 11")
    func heartbeat() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(idleTimeout: .seconds(30)))
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0], features: ProtocolFeatures())
        #expect(try client.request(.heartbeat).isSuccess)
        var idle = try client.request(.getIdleTimeout)
        #expect(try idle.body.readInt64() == 30_000)
    }

    @Test("an idle connection is closed after the idle timeout")
    func idleTimeout() throws {
        let cluster = try IgniteTestCluster(TestNodeConfiguration(idleTimeout: .milliseconds(100)))
        defer { cluster.shutdown() }
        let client = try RawClient.connected(cluster.endpoints[0])
        #expect(client.waitForClose())
    }
}
