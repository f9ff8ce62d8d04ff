import Foundation
import IgniteProtocol

extension IgniteCluster {
    /// The ids of the cluster's nodes (OP_CLUSTER_GROUP_GET_NODE_IDS, feature bit 4), to run compute tasks or service
    /// calls on some of them (``IgniteCompute/forNodes(_:)``, ``IgniteServices/forNodes(_:)``).
    /// - Parameters:
    ///   - serversOnly: Server nodes only (`true`, default) or every node.
    ///   - attribute: Only nodes whose attribute `name` has this value.
    /// - Returns: The node ids.
    /// - Throws: ``IgniteError/Code/notSupportedByCluster`` without feature CLUSTER_GROUPS.
    public func nodeIds(serversOnly: Bool = true, attribute: (name: String, value: String)? = nil) async throws -> [UUID] {
        var projection: [ClusterGroupProjectionItem] = []
        if let attribute { projection.append(.attribute(name: attribute.name, value: attribute.value)) }
        if serversOnly { projection.append(.serverNodes(true)) }
        return try await client.execute(ClusterGroupGetNodeIdsRequest(projection: projection))?.nodeIds ?? []
    }
}
