import Foundation
import Testing
@testable import IgniteProtocol

/// A stand-in for a driver's connection: the machine only stores and compares it.
final class FakeConnection: Sendable, CustomStringConvertible {
    let name: String
    init(_ name: String) { self.name = name }
    var description: String { name }
}

typealias Cluster = ClusterStateMachine<FakeConnection>

/// Endpoints, ids and helpers shared by the cluster machine's tests.
enum ClusterFixture {
    static let a = IgniteEndpoint(host: "10.0.0.1", port: 10800)
    static let b = IgniteEndpoint(host: "10.0.0.2", port: 10800)
    static let c = IgniteEndpoint(host: "10.0.0.3", port: 10800)
    static let nodeA = UUID(uuidString: "00000000-0000-0000-0000-00000000000a") ?? UUID()
    static let nodeB = UUID(uuidString: "00000000-0000-0000-0000-00000000000b") ?? UUID()
    static let nodeC = UUID(uuidString: "00000000-0000-0000-0000-00000000000c") ?? UUID()
    static let second: UInt64 = 1_000_000_000

    static func machine(_ endpoints: [IgniteEndpoint] = [a, b, c], partitionAwareness: Bool = true,
                        throttle: ReconnectThrottle = .disabled) -> Cluster {
        Cluster(configuration: .init(endpoints: endpoints, partitionAwareness: partitionAwareness, throttle: throttle))
    }

    /// Dials endpoint `index` successfully as the driver would.
    @discardableResult
    static func open(_ machine: inout Cluster, _ index: Int, _ connection: FakeConnection, node: UUID?,
                     purpose: Cluster.DialPurpose = .startup, now: UInt64 = 0) -> Cluster.RegisterAction {
        _ = machine.beginDial(index, purpose: purpose, now: now)
        return machine.dialSucceeded(index, connection: connection, nodeId: node, purpose: purpose, now: now)
    }

    /// Dials endpoint `index` and fails.
    @discardableResult
    static func fail(_ machine: inout Cluster, _ index: Int, _ error: IgniteError = IgniteError(.socket, "refused"),
                     purpose: Cluster.DialPurpose = .startup, now: UInt64 = 0) -> Cluster.DialFollowUp {
        _ = machine.beginDial(index, purpose: purpose, now: now)
        return machine.dialFailed(index, error: error, purpose: purpose, now: now)
    }
}

extension Cluster.DialFollowUp {
    var isNext: Bool { if case .next = self { return true } else { return false } }
    var isStop: Bool { if case .stop = self { return true } else { return false } }
    var failure: IgniteError? { if case .fail(let e) = self { return e } else { return nil } }
}

extension Cluster.RegisterAction {
    var followUp: Cluster.DialFollowUp? { if case .registered(let f) = self { return f } else { return nil } }
}

extension Cluster.AnyConnectionAction {
    var connection: FakeConnection? { if case .use(let c) = self { return c } else { return nil } }
    var dialOrder: [Int]? { if case .dial(let order) = self { return order } else { return nil } }
    var failure: IgniteError? { if case .fail(let e) = self { return e } else { return nil } }
}

@Suite("ClusterStateMachine: endpoints, dialling, node index, topology")
struct ClusterStateMachineTests {
    typealias F = ClusterFixture

    @Test("startup with partition awareness dials every endpoint; without it stops at the first that answers")
    func startupConnectAllVersusFirst() {
        var all = F.machine()
        #expect(all.startupOrder() == [0, 1, 2])
        #expect(F.open(&all, 0, FakeConnection("a"), node: F.nodeA).followUp?.isNext == true)
        #expect(F.fail(&all, 1).isNext)
        #expect(F.open(&all, 2, FakeConnection("c"), node: F.nodeC).followUp?.isNext == true)
        #expect(all.openConnections.map(\.name) == ["a", "c"])
        #expect(all.dialsExhausted([IgniteError(.socket, "x")], purpose: .startup) == nil, "one connection is enough")

        var first = F.machine(partitionAwareness: false)
        #expect(F.fail(&first, 0).isNext)
        #expect(F.open(&first, 1, FakeConnection("b"), node: F.nodeB).followUp?.isStop == true)
        #expect(first.openConnections.map(\.name) == ["b"])
    }

    @Test("rejected credentials end startup and foreground dialling at once; background dialling goes on")
    func authenticationShortCircuit() {
        var machine = F.machine()
        let auth = IgniteError(.authentication, "bad password")
        #expect(F.fail(&machine, 0, auth).failure?.code == .authentication)
        #expect(F.fail(&machine, 1, auth, purpose: .foreground).failure?.code == .authentication)
        #expect(F.fail(&machine, 2, auth, purpose: .background).isNext)
    }

    @Test("every startup dial failing gives a reconnect error naming the endpoints and failures")
    func startupExhausted() throws {
        var machine = F.machine()
        var errors: [IgniteError] = []
        for index in 0..<3 {
            let error = IgniteError(.socket, "refused \(index)")
            errors.append(error)
            #expect(F.fail(&machine, index, error).isNext)
        }
        let error = try #require(machine.dialsExhausted(errors, purpose: .startup))
        #expect(error.code == .reconnect)
        #expect(error.message.contains("10.0.0.1:10800") && error.message.contains("10.0.0.3:10800"))
        #expect(error.message.contains("refused 2"))
    }

    @Test("any connection: the preferred one, else another live one, else a dial order with recently failed endpoints last")
    func anyConnectionSelection() {
        var machine = F.machine()
        let a = FakeConnection("a"), b = FakeConnection("b")
        F.open(&machine, 0, a, node: F.nodeA)
        F.open(&machine, 1, b, node: F.nodeB)
        F.fail(&machine, 2, now: 0)
        #expect(machine.anyConnection(now: 0).connection === a)
        let ms = F.second / 1000
        machine.connectionLost(a, now: 600 * ms)
        #expect(machine.anyConnection(now: 600 * ms).connection === b, "no dialling while a node answers")
        #expect(machine.anyConnection(now: 601 * ms).connection === b, "b is now preferred")
        machine.connectionLost(b, now: 700 * ms)
        // Nothing is due at 0.8 s: the order starts at the preferred endpoint.
        #expect(machine.anyConnection(now: 800 * ms).dialOrder == [1, 2, 0])
        // At 1.2 s c (failed at 0) is past its 1 s back-off, a and b are not: c first.
        #expect(machine.anyConnection(now: 1200 * ms).dialOrder == [2, 1, 0])
    }

    @Test("a foreground dial that succeeds becomes the preferred connection")
    func foregroundDialPrefers() {
        var machine = F.machine()
        let c = FakeConnection("c")
        #expect(F.open(&machine, 2, c, node: F.nodeC, purpose: .foreground).followUp?.isStop == true)
        #expect(machine.anyConnection(now: 0).connection === c)
    }

    @Test("background dials go to missing endpoints whose back-off passed; the back-off doubles per failure; force ignores it")
    func backgroundBackoff() {
        var machine = F.machine()
        F.open(&machine, 0, FakeConnection("a"), node: F.nodeA)
        #expect(machine.missingEndpoints(force: false, now: 0) == [1, 2], "never dialled")
        F.fail(&machine, 1, purpose: .background, now: 0)
        F.fail(&machine, 2, purpose: .background, now: 0)
        #expect(machine.missingEndpoints(force: false, now: F.second - 1).isEmpty)
        #expect(machine.missingEndpoints(force: false, now: F.second) == [1, 2])
        #expect(machine.missingEndpoints(force: true, now: 1) == [1, 2])
        F.fail(&machine, 1, purpose: .background, now: F.second)  // second failure in a row: 2 s
        #expect(machine.missingEndpoints(force: false, now: 2 * F.second) == [2])
        #expect(machine.missingEndpoints(force: false, now: 3 * F.second) == [1, 2])
        _ = machine.beginDial(2, purpose: .background, now: 3 * F.second)
        #expect(machine.missingEndpoints(force: true, now: 3 * F.second) == [1], "a dial under way is not repeated")
    }

    @Test("without partition awareness one connection is kept: nothing is dialled in the background")
    func connectFirstHasNoBackgroundDials() {
        var machine = F.machine(partitionAwareness: false)
        F.open(&machine, 0, FakeConnection("a"), node: F.nodeA)
        #expect(machine.missingEndpoints(force: true, now: 0).isEmpty)
    }

    @Test("the throttle limits background dials per endpoint within its period; foreground dials are not throttled")
    func throttle() {
        var machine = F.machine([F.a], throttle: ReconnectThrottle(maximumAttempts: 2, period: .seconds(30)))
        #expect(machine.beginDial(0, purpose: .background, now: 0).dialOrder == [0])
        _ = machine.dialFailed(0, error: IgniteError(.socket, "x"), purpose: .background, now: 0)
        #expect(machine.beginDial(0, purpose: .background, now: F.second).dialOrder == [0])
        _ = machine.dialFailed(0, error: IgniteError(.socket, "x"), purpose: .background, now: F.second)
        #expect(machine.beginDial(0, purpose: .background, now: 2 * F.second).dialOrder == [], "throttled")
        #expect(machine.beginDial(0, purpose: .foreground, now: 2 * F.second).dialOrder == [0])
        _ = machine.dialFailed(0, error: IgniteError(.socket, "x"), purpose: .foreground, now: 2 * F.second)
        #expect(machine.beginDial(0, purpose: .background, now: 30 * F.second + 1).dialOrder == [0], "the first left the window")
    }

    @Test("requests for background dials coalesce until the job starts; a forced request forces the job")
    func backgroundCoalescing() {
        var machine = F.machine()
        F.open(&machine, 0, FakeConnection("a"), node: F.nodeA)
        F.fail(&machine, 1, now: 0)
        let scheduled = machine.requestBackgroundDial(force: false)
        #expect(scheduled)
        let again = machine.requestBackgroundDial(force: true)
        #expect(!again, "already scheduled")
        #expect(machine.backgroundDialStarts(now: 1) == [1, 2], "forced: the recently failed endpoint too")
        let next = machine.requestBackgroundDial(force: false)
        #expect(next)
        #expect(machine.backgroundDialStarts(now: 2) == [2], "not forced this time")
    }

    @Test("dialling an endpoint that another caller connected meanwhile returns that connection")
    func beginDialReturnsExisting() {
        var machine = F.machine()
        let a = FakeConnection("a")
        F.open(&machine, 0, a, node: F.nodeA)
        #expect(machine.beginDial(0, purpose: .foreground, now: 0).connection === a)
    }

    @Test("node index: a connection is found by its node id until it is lost; a reconnect replaces it")
    func nodeIndex() {
        var machine = F.machine()
        let a = FakeConnection("a"), b = FakeConnection("b")
        F.open(&machine, 0, a, node: F.nodeA)
        F.open(&machine, 1, b, node: F.nodeB)
        #expect(machine.connection(toNode: F.nodeA) === a)
        #expect(Set(machine.connectedNodes) == [F.nodeA, F.nodeB])
        machine.connectionLost(a, now: 5)
        #expect(machine.connection(toNode: F.nodeA) == nil)
        if case .failed(let at, let failures) = machine.status(ofEndpoint: 0) {
            #expect(at == 5 && failures == 1)
        } else {
            Issue.record("endpoint 0 should be failed")
        }
        let a2 = FakeConnection("a2")
        F.open(&machine, 0, a2, node: F.nodeA, purpose: .background, now: 2 * F.second)
        #expect(machine.connection(toNode: F.nodeA) === a2)
        #expect(machine.connectedNodes.count == 2)
    }

    @Test("topology: the first version is no change; a newer one asks to probe the open connections and dial; older ones are ignored")
    func topologyChange() {
        var machine = F.machine()
        let a = FakeConnection("a")
        F.open(&machine, 0, a, node: F.nodeA)
        let v1 = AffinityTopologyVersion(major: 1, minor: 0), v2 = AffinityTopologyVersion(major: 2, minor: 0)
        if case .probeAndDial = machine.observe(topologyVersion: v1) { Issue.record("the first version is no change") }
        guard case .probeAndDial(let probe) = machine.observe(topologyVersion: v2) else {
            Issue.record("a newer version is a change")
            return
        }
        #expect(probe.count == 1 && probe[0] === a)
        if case .probeAndDial = machine.observe(topologyVersion: v1) { Issue.record("an older version is no change") }
        #expect(machine.topologyVersion == v2)

        var plain = F.machine(partitionAwareness: false)
        _ = plain.observe(topologyVersion: v1)
        if case .probeAndDial = plain.observe(topologyVersion: v2) { Issue.record("no probe without partition awareness") }
    }

    @Test("the topology probe is a heartbeat when negotiated, else a cache-names request")
    func topologyProbeKind() {
        #expect(TopologyProbe.probe(for: ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.heartbeat]))) == .heartbeat)
        #expect(TopologyProbe.probe(for: ProtocolContext(version: .v1_6_0)) == .cacheNames)
    }

    @Test("close returns the open connections; then operations fail and a late dial must be closed")
    func closing() {
        var machine = F.machine()
        let a = FakeConnection("a")
        F.open(&machine, 0, a, node: F.nodeA)
        let closed = machine.close()
        #expect(closed.count == 1 && closed[0] === a)
        #expect(machine.isClosed)
        #expect(machine.anyConnection(now: 0).failure?.code == .illegalState)
        #expect(machine.beginDial(1, purpose: .foreground, now: 0).failure?.code == .illegalState)
        if case .registered = machine.dialSucceeded(1, connection: FakeConnection("late"), nodeId: F.nodeB, purpose: .background, now: 0) {
            Issue.record("a connection opened after close must be closed")
        }
        let afterClose = machine.requestBackgroundDial(force: true)
        #expect(!afterClose)
        #expect(machine.connection(toNode: F.nodeA) == nil)
    }
}
