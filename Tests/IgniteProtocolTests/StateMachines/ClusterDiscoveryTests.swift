import Foundation
import Testing
@testable import IgniteProtocol

/// Cluster discovery in the shared machine: events in (contexts, endpoint lists, dial outcomes), actions out.
@Suite struct ClusterDiscoveryTests {
    typealias F = ClusterFixture
    static let withBit = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.clusterGroupGetNodesEndpoints]))
    static let withoutBit = ProtocolContext(version: .v1_7_0, features: ProtocolFeatures([.heartbeat]))

    static func machine(_ discovery: IgniteClusterDiscovery = .enabled, partitionAwareness: Bool = true) -> Cluster {
        var configuration = Cluster.Configuration(endpoints: [F.a], partitionAwareness: partitionAwareness)
        configuration.discovery = discovery
        return Cluster(configuration: configuration)
    }

    static func node(_ id: UUID, _ hosts: [String], port: Int32 = 10800) -> ClusterNodeEndpoints {
        ClusterNodeEndpoints(nodeId: id, port: port, addresses: hosts)
    }

    @Test func firstListAddsEveryOtherNodeAndSkipsTheConfiguredOne() {
        var machine = Self.machine()
        F.open(&machine, 0, FakeConnection("a"), node: F.nodeA)
        let request = machine.discoveryRequest(context: Self.withBit)
        #expect(request == ClusterGroupGetNodeEndpointsRequest(startTopologyVersion: -1, endTopologyVersion: -1))
        #expect(machine.discoveryRequest(context: Self.withBit) == nil, "one request at a time")
        let order = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 3, added: [
            Self.node(F.nodeA, ["10.0.0.1"]), Self.node(F.nodeB, ["10.0.0.2"]), Self.node(F.nodeC, ["10.0.0.3", "host-c"]),
        ], removed: []), now: 0)
        #expect(order == [1, 2])
        #expect(machine.endpoints == [F.a, F.b, F.c])
        #expect(machine.discoveredNodes.count == 3)
    }

    @Test func noRequestWithoutTheFeatureBitPartitionAwarenessOrWhenDisabled() {
        var machine = Self.machine()
        #expect(machine.discoveryRequest(context: Self.withoutBit) == nil)
        var off = Self.machine(.disabled)
        #expect(off.discoveryRequest(context: Self.withBit) == nil)
        var single = Self.machine(partitionAwareness: false)
        #expect(single.discoveryRequest(context: Self.withBit) == nil)
    }

    @Test func laterRequestsOnlyAfterANewerTopologyVersion() {
        var machine = Self.machine()
        _ = machine.discoveryRequest(context: Self.withBit)
        _ = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 3, added: [], removed: []), now: 0)
        _ = machine.observe(topologyVersion: AffinityTopologyVersion(major: 3, minor: 0))
        #expect(machine.discoveryRequest(context: Self.withBit) == nil, "the list is up to date")
        _ = machine.observe(topologyVersion: AffinityTopologyVersion(major: 4, minor: 0))
        #expect(machine.discoveryRequest(context: Self.withBit)?.startTopologyVersion == 3)
        machine.discoveryFailed()
        #expect(machine.discoveryRequest(context: Self.withBit) != nil, "a failed request is asked again")
    }

    @Test func staleListIsIgnored() {
        var machine = Self.machine()
        _ = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 5, added: [], removed: []), now: 0)
        let order = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 4, added: [Self.node(F.nodeB, ["10.0.0.2"])],
                                                                       removed: []), now: 0)
        #expect(order.isEmpty)
        #expect(machine.endpoints == [F.a])
    }

    @Test func filterExcludesAddressesAndWholeNodes() {
        var machine = Self.machine(.only { $0.host.hasPrefix("10.") })
        F.open(&machine, 0, FakeConnection("a"), node: F.nodeA)
        let order = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 2, added: [
            Self.node(F.nodeB, ["192.168.1.2", "10.0.0.2"]), Self.node(F.nodeC, ["172.16.0.3"]),
        ], removed: []), now: 0)
        #expect(order == [1])
        #expect(machine.endpoints == [F.a, F.b], "192.168.1.2 and node C are never dialled")
        var hosts = Self.machine(.hosts(["10.0.0.3"]))
        _ = hosts.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 2, added: [
            Self.node(F.nodeB, ["10.0.0.2"]), Self.node(F.nodeC, ["10.0.0.3"]),
        ], removed: []), now: 0)
        #expect(hosts.endpoints == [F.a, F.c])
    }

    @Test func removedNodeIsRetiredAndComesBack() {
        var machine = Self.machine()
        _ = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 2, added: [Self.node(F.nodeB, ["10.0.0.2"])],
                                                               removed: []), now: 0)
        F.open(&machine, 0, FakeConnection("a"), node: F.nodeA)
        F.fail(&machine, 1, purpose: .background)
        _ = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 3, added: [], removed: [F.nodeB]), now: 0)
        #expect(machine.isRetired(1))
        #expect(machine.missingEndpoints(force: true, now: 0).isEmpty, "a node that left is not redialled")
        _ = machine.close()
        var again = Self.machine()
        _ = again.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 2, added: [Self.node(F.nodeB, ["10.0.0.2"])],
                                                             removed: []), now: 0)
        _ = again.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 3, added: [], removed: [F.nodeB]), now: 0)
        let order = again.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 4, added: [Self.node(F.nodeB, ["10.0.0.2"])],
                                                                     removed: []), now: 0)
        #expect(!again.isRetired(1))
        #expect(order.contains(1))
        #expect(again.endpoints.count == 2, "the node's entry is reused")
    }

    @Test func failedDialMovesToTheNodesNextAddress() {
        var machine = Self.machine()
        _ = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 2, added: [
            Self.node(F.nodeB, ["fe80::1", "10.0.0.2"]),
        ], removed: []), now: 0)
        #expect(machine.endpoint(at: 1) == IgniteEndpoint(host: "fe80::1", port: 10800))
        F.fail(&machine, 1, purpose: .background)
        #expect(machine.endpoint(at: 1) == F.b)
    }

    @Test func dialReachingAnotherNodeIsRejected() {
        var machine = Self.machine()
        _ = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 2, added: [Self.node(F.nodeB, ["10.0.0.2"])],
                                                               removed: []), now: 0)
        let action = F.open(&machine, 1, FakeConnection("impostor"), node: F.nodeC, purpose: .background)
        guard case .rejected(let error, let follow) = action else {
            Issue.record("expected a rejection, got \(action)")
            return
        }
        #expect(error.code == .reconnect)
        #expect(follow.isNext)
        #expect(machine.connection(toNode: F.nodeC) == nil)
        #expect(machine.openConnections.isEmpty)
    }

    @Test func nodeAlreadyReachedThroughAConfiguredEndpointGetsNoEntry() {
        var configuration = Cluster.Configuration(endpoints: [IgniteEndpoint(host: "node-a")], partitionAwareness: true)
        configuration.discovery = .enabled
        var machine = Cluster(configuration: configuration)
        F.open(&machine, 0, FakeConnection("a"), node: F.nodeA)
        let order = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 2, added: [Self.node(F.nodeA, ["10.0.0.1"])],
                                                                       removed: []), now: 0)
        #expect(order.isEmpty)
        #expect(machine.endpoints.count == 1)
    }

    @Test func portOutOfRangeIsIgnored() {
        var machine = Self.machine()
        _ = machine.endpointsDiscovered(ClusterTopologyChanges(topologyVersion: 2, added: [Self.node(F.nodeB, ["10.0.0.2"], port: -1)],
                                                               removed: []), now: 0)
        #expect(machine.endpoints == [F.a])
    }
}
