import Foundation

/// What cluster discovery knows: the topology version of the last endpoint list and whether a request is under way.
struct DiscoveryState {
    /// The topology version of the last OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS answer (−1: none yet).
    var topologyVersion: Int64 = -1
    /// A request is under way (one at a time, as Java's `refreshIsInProgress`).
    var inFlight = false
    /// Discovered nodes and their allowed endpoints.
    var nodes: [UUID: [IgniteEndpoint]] = [:]
}

/// Cluster discovery, as the Java thin client's `ClientDiscoveryContext` and `ReliableChannel` do it
/// (apache/ignite `modules/core/src/main/java/org/apache/ignite/internal/client/thin/ClientDiscoveryContext.java`):
///
/// * A request is due when discovery is on, partition awareness is on, the connection negotiated feature bit 3
///   (`CLUSTER_GROUP_GET_NODES_ENDPOINTS`), no request is under way, and no list is known yet or the observed
///   topology version is newer than the list's (Java: `topInfo.topVer >= ch.serverTopologyVersion()` means up to date).
/// * The request carries the known version (−1 at first) and −1 ("current"); the answer lists nodes added and
///   removed since then, and is applied only if its version is newer than the known one.
/// * An added node gets one endpoint entry: its reported addresses with its port, in the server's order, without
///   those the user's filter rejects; the first is dialled, the others tried in turn after a failed dial. A node is
///   skipped when every address is rejected, when one of its addresses is a configured endpoint (that entry reaches
///   it), or when a live connection already reaches it.
/// * A removed node's entry is retired: never dialled again (its connection, if any, is left to fail by itself).
///   A retired node that comes back is dialled again. Configured endpoints are never retired.
/// * A dial of a discovered entry that reaches another node is rejected (``RegisterAction/rejected(_:_:)``).
extension ClusterStateMachine {
    /// The endpoint of entry `index` (a discovered entry's current address).
    /// - Parameter index: The entry.
    /// - Returns: Its endpoint.
    package func endpoint(at index: Int) -> IgniteEndpoint { entries[index].endpoint }

    /// The number of endpoint entries (configured first, then discovered).
    package var endpointCount: Int { entries.count }

    /// Whether discovery may run at all.
    package var discoveryEnabled: Bool {
        configuration.discovery.isEnabled && configuration.partitionAwareness && !isClosed
    }

    /// Asks whether an endpoint list is due, and marks a request under way if so.
    /// - Parameter context: The negotiated protocol of the connection the request would go to.
    /// - Returns: The request to send (then report ``endpointsDiscovered(_:now:)`` or ``discoveryFailed()``), or `nil`.
    package mutating func discoveryRequest(context: ProtocolContext) -> ClusterGroupGetNodeEndpointsRequest? {
        guard discoveryEnabled, context.has(.clusterGroupGetNodesEndpoints), !discovery.inFlight else { return nil }
        if discovery.topologyVersion >= 0 {
            guard let observed = partitions.topologyVersion, observed.major > discovery.topologyVersion else { return nil }
        }
        discovery.inFlight = true
        return ClusterGroupGetNodeEndpointsRequest(startTopologyVersion: discovery.topologyVersion, endTopologyVersion: -1)
    }

    /// The endpoint request failed: the next topology change asks again.
    package mutating func discoveryFailed() {
        discovery.inFlight = false
    }

    /// Applies an endpoint list.
    /// - Parameters:
    ///   - changes: The answer.
    ///   - now: Monotonic nanoseconds.
    /// - Returns: Entry indices to dial in the background (new and returning nodes, forced past their back-off).
    package mutating func endpointsDiscovered(_ changes: ClusterTopologyChanges, now: UInt64) -> [Int] {
        discovery.inFlight = false
        guard discoveryEnabled, changes.topologyVersion > discovery.topologyVersion else { return [] }
        discovery.topologyVersion = changes.topologyVersion
        for node in changes.removed {
            discovery.nodes[node] = nil
            for index in entries.indices where entries[index].discoveredNode == node { entries[index].retired = true }
        }
        let configured = Set(configuration.endpoints)
        for node in changes.added {
            guard (0...Int(UInt16.max)).contains(Int(node.port)) else { continue }
            var seen = Set<IgniteEndpoint>()
            let candidates = node.addresses
                .map { IgniteEndpoint(host: $0, port: Int(node.port)) }
                .filter { seen.insert($0).inserted && configuration.discovery.allows($0) }
            discovery.nodes[node.nodeId] = candidates
            if let index = entries.firstIndex(where: { $0.discoveredNode == node.nodeId }) {
                entries[index].retired = candidates.isEmpty
                if let first = candidates.first, !candidates.contains(entries[index].endpoint) {
                    entries[index].endpoint = first
                    entries[index].alternates = Array(candidates.dropFirst())
                }
                continue
            }
            if candidates.isEmpty || candidates.contains(where: configured.contains)
                || nodeIds.contains(node.nodeId) { continue }
            entries.append(Endpoint(endpoint: candidates[0], discoveredNode: node.nodeId,
                                    alternates: Array(candidates.dropFirst())))
        }
        return missingEndpoints(force: true, now: now)
    }

    /// Nodes known from the last endpoint list, with the endpoints the filter allowed.
    package var discoveredNodes: [UUID: [IgniteEndpoint]] { discovery.nodes }

    /// Whether entry `index` was learnt by discovery and its node left.
    /// - Parameter index: The entry.
    /// - Returns: `true` for a retired entry.
    package func isRetired(_ index: Int) -> Bool { entries[index].retired }

    /// After a failed dial of a discovered entry, moves to the node's next address.
    mutating func rotateAddress(_ index: Int) {
        guard !entries[index].alternates.isEmpty else { return }
        entries[index].alternates.append(entries[index].endpoint)
        entries[index].endpoint = entries[index].alternates.removeFirst()
    }
}

extension ClusterStateMachine.Configuration {
    /// The cluster settings of a client configuration: its endpoints, partition awareness and discovery.
    /// - Parameter client: The client configuration.
    package init(client: IgniteClientConfiguration) {
        self.init(endpoints: client.endpoints, partitionAwareness: client.partitionAwareness)
        discovery = client.clusterDiscovery
    }
}
