@_exported import IgniteScenarios  // the scripted server, hostile replies and ResourceUse (shared with the async suites)

import IgniteSync

extension HostileServer {
    /// A sync client of this server: one connection, no partition awareness, no retries.
    func client(requestTimeout: Duration = .seconds(30)) throws -> IgniteClient {
        try IgniteClient(configuration: configuration(requestTimeout: requestTimeout))
    }
}
