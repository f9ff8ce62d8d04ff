import Foundation
import IgniteProtocol

extension RequestHandler {
    /// Cluster state and WAL: 5000–5003.
    func clusterState(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        let persistent = configuration.persistent
        switch op.rawValue {
        case 5000:
            return .success([UInt8(bitPattern: core.data.withLock { $0.state }.rawValue)])
        case 5001:
            let raw = try reader.readInt8()
            guard let state = TestClusterState(rawValue: raw) else {
                return .failure(ServerStatus.failed, ServerMessages.argumentNull("newState"))
            }
            if state == .inactive, !persistent {
                // What GridGain answered on an in-memory cluster (SERVER-BEHAVIOUR §3): the cluster stays active.
                return .failure(ServerStatus.failed,
                                "Cannot invoke \"org.apache.ignite.cluster.ClusterState.ordinal()\" because \"state\" is null")
            }
            core.data.withLock { data in
                if data.state != state {
                    data.state = state
                    data.bumpMinor()
                }
            }
            return .empty
        case 5002, 5003:
            let name = try reader.readOptionalStringObject() ?? ""
            let enable = op.rawValue == 5002 ? try reader.readBool() : false
            return core.data.withLock { data in
                let cacheId = JavaHash.cacheId(name)
                guard var cache = data.caches[cacheId] else { return .failure(ServerStatus.failed, "Cache not found: \(name)") }
                if op.rawValue == 5003 { return .bool(persistent ? cache.walEnabled : true) }
                guard persistent else {
                    return .failure(ServerStatus.failed,
                                    "Cannot change WAL mode because persistence is not enabled for cache(s) [caches=[\(name)], dataRegion=\(cache.configuration.dataRegionName ?? "null")]")
                }
                let changed = cache.walEnabled != enable
                cache.walEnabled = enable
                data.caches[cacheId] = cache
                if changed { data.bumpMinor() }
                return .bool(changed)
            }
        default:
            return .failure(ServerStatus.invalidOpCode, ServerMessages.invalidOpCode(op.rawValue))
        }
    }

    /// Cluster groups: node ids (5100), node info (5101), node endpoints (5102).
    func clusterGroup(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        switch op.rawValue {
        case 5100:
            let known = try reader.readInt64()
            let items = try reader.readCount(minimumItemSize: 2)
            var serversOnly: Bool?
            var attributeFilters: [(String, IgniteValue)] = []
            for _ in 0..<items {
                switch try reader.readInt16() {
                case 1: attributeFilters.append((try reader.readOptionalStringObject() ?? "", try reader.readValue()))
                case 2: serversOnly = try reader.readBool()
                default: throw IgniteError.parse("unknown cluster group projection item")
                }
            }
            return core.data.withLock { data in
                guard known != data.topology.major else { return .bool(false) }
                let members = data.members.filter { member in
                    if serversOnly == false { return false }
                    return attributeFilters.allSatisfy { name, value in NodeAttributes.of(member)[name] == value }
                }
                return .body { writer in
                    writer.writeBool(true)
                    writer.writeInt64(data.topology.major)
                    writer.writeInt32(Int32(members.count))
                    for member in members { writer.writeUUIDPayload(member.nodeId) }
                }
            }
        case 5101:
            let n = try reader.readCount(minimumItemSize: 16)
            var ids: [UUID] = []
            for _ in 0..<n { ids.append(try reader.readUUIDPayload()) }
            let localId = node.nodeId
            return core.data.withLock { data in
                let members = ids.compactMap { id in data.members.first { $0.nodeId == id } }
                return .body { writer in
                    writer.writeInt32(Int32(members.count))
                    for member in members { NodeAttributes.writeInfo(member, isLocal: member.nodeId == localId, into: &writer) }
                }
            }
        case 5102:
            let start = try reader.readInt64()
            _ = try reader.readInt64()
            return core.data.withLock { data in
                var added: [ClusterMember] = []
                var removed: [UUID] = []
                if start < 0 {
                    added = data.members
                } else {
                    for event in data.history where event.topologyVersion > start {
                        if event.joined {
                            added.append(event.member)
                        } else if added.contains(where: { $0.nodeId == event.member.nodeId }) {
                            added.removeAll { $0.nodeId == event.member.nodeId }
                        } else {
                            removed.append(event.member.nodeId)
                        }
                    }
                }
                return .body { writer in
                    writer.writeInt64(data.topology.major)
                    writer.writeInt32(Int32(added.count))
                    for member in added {
                        writer.writeUUIDPayload(member.nodeId)
                        writer.writeInt32(Int32(member.port))
                        writer.writeInt32(1)
                        writer.writeStringObject(member.host)
                    }
                    writer.writeInt32(Int32(removed.count))
                    for id in removed { writer.writeUUIDPayload(id) }
                }
            }
        default:
            return .failure(ServerStatus.invalidOpCode, ServerMessages.invalidOpCode(op.rawValue))
        }
    }
}

/// The attributes and description a node reports in OP_CLUSTER_GROUP_GET_NODE_INFO.
enum NodeAttributes {
    static func of(_ member: ClusterMember) -> [String: IgniteValue] {
        [
            "org.apache.ignite.build.ver": .string("8.10.127"),
            "org.apache.ignite.ips": .string(member.host),
            "org.apache.ignite.client.port": .int(Int32(member.port)),
            "ignite.test.node.index": .int(Int32(member.index)),
            "org.apache.ignite.consistent.id": .string(member.consistentId),
        ]
    }

    /// `UUIDobj id, attributes, addresses, host names, i64 order, bool local, bool daemon, bool client, consistentId, version`.
    static func writeInfo(_ member: ClusterMember, isLocal: Bool, into writer: inout BinaryWriter) {
        writer.writeUUIDObject(member.nodeId)
        let attributes = of(member).sorted { $0.key < $1.key }
        writer.writeInt32(Int32(attributes.count))
        for (name, value) in attributes {
            writer.writeStringObject(name)
            writer.writeValue(value)
        }
        writer.writeValue(.collection(IgniteCollection([.string(member.host)], kind: .arrayList)))
        writer.writeValue(.collection(IgniteCollection([], kind: .arrayList)))
        writer.writeInt64(member.order)
        writer.writeBool(isLocal)
        writer.writeBool(false)
        writer.writeBool(false)
        writer.writeStringObject(member.consistentId)
        writer.writeInt8(8)
        writer.writeInt8(10)
        writer.writeInt8(127)
        writer.writeStringObject("SNAPSHOT")
        writer.writeInt64(0)
        writer.writeValue(.byteArray([UInt8](repeating: 0, count: 20)))
    }
}
