import Foundation
import IgniteProtocol

/// Partition awareness for the blocking client: the shared state, under a lock.
final class Routing: @unchecked Sendable {
    let enabled: Bool
    private let mutex = PThreadMutex()
    private var topology: AffinityTopologyVersion?

    init(enabled: Bool) {
        self.enabled = enabled
    }

    func observe(_ version: AffinityTopologyVersion) {
        mutex.withLock {
            if topology.map({ version > $0 }) ?? true { topology = version }
        }
    }

    func nodeJoined(_ node: UUID?) {}

    func nodeLeft(_ node: UUID?) {}
}
