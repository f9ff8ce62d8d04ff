@_exported import IgniteScenarios  // the scripted server, hostile replies and ResourceUse (shared with the sync suites)
import IgniteAsync

extension HostileServer {
    /// An async client of this server: one connection, no partition awareness, no retries.
    func client(requestTimeout: Duration = .seconds(30)) async throws -> IgniteClient {
        try await IgniteClient(configuration: configuration(requestTimeout: requestTimeout))
    }
}
