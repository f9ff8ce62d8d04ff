import Testing
@testable import IgniteProtocol

/// Server statuses become typed errors that keep the status and the server's exact message.
@Suite("Server status to error")
struct MessagesStatusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var status: Int32
        var op: OpCode
        var message: String
        var code: IgniteError.Code
        var testDescription: String { "\(status) on \(op)" }
    }

    /// Statuses and messages as the real server sent them (SERVER-BEHAVIOUR §3), with the code each maps to.
    static let cases: [Case] = [
        Case(status: 1000, op: .cacheGet, message: "Cache does not exist [cacheId= 12345678]", code: .cache),
        Case(status: 1000, op: .cacheGetConfiguration, message: "Cache does not exist [cacheId= -1367691447]", code: .cache),
        Case(status: 1000, op: .cacheDestroy, message: "Cache does not exist [cacheId= -1367691447]", code: .cache),
        Case(status: 1001, op: .cacheCreateWithName,
             message: "Failed to start cache (a cache with the same name is already started): capCreated", code: .cacheCreation),
        Case(status: 1001, op: .cacheCreateWithConfiguration,
             message: "Failed to start cache (a cache with the same name is already started): capCfg", code: .cacheCreation),
        Case(status: 1010, op: .queryScan, message: "Too many open cursors (either close other open cursors or increase the limit through "
             + "ClientConnectorConfiguration.maxOpenCursorsPerConnection) [maximum=128, current=128]", code: .cache),
        Case(status: 1010, op: .querySQLFields, message: "Too many open cursors", code: .sql),
        Case(status: 1011, op: .queryScanCursorGetPage, message: "50000: Failed to find resource with id: 1", code: .cache),
        Case(status: 1011, op: .querySQLFieldsCursorGetPage, message: "50000: Failed to find resource with id: 3", code: .sql),
        // Closing a cursor that is gone: pyignite raises CacheError for cursor operations.
        Case(status: 1011, op: .resourceClose, message: "Failed to find resource with id: 987654", code: .cache),
        Case(status: 100, op: .computeTaskExecute, message: "Compute grid functionality is disabled for thin clients", code: .notSupportedByCluster),
        Case(status: 1, op: .computeTaskExecute, message: "Task failed", code: .server),
        Case(status: 10, op: .heartbeat, message: "Grid is in invalid state", code: .server),
        Case(status: 1012, op: .cachePut, message: "Authorization failed", code: .authentication),
        Case(status: 1020, op: .txStart, message: "Active transactions per connection limit (100) exceeded.", code: .transaction),
        Case(status: 1021, op: .txEnd, message: "Transaction with id 9999 not found.", code: .transaction),
        Case(status: 1022, op: .txEnd, message: "Cache transaction timed out", code: .transaction),
        Case(status: 2, op: OpCode(12345), message: "Invalid request op code: 12345", code: .notSupportedByCluster),
        Case(status: 2, op: .cachePutAllConflict, message: "Invalid request op code: 1022", code: .notSupportedByCluster),
        Case(status: 2000, op: .cacheGetNames, message: "The user name or password is incorrect [userName=ignite]", code: .authentication),
        Case(status: 1, op: .querySQLFields, message: "42000: Table already exists: CAP_CITY", code: .sql),
        Case(status: 1, op: .putBinaryType, message: "Type 'CapBT' with typeId 94429092 has a different/incorrect type", code: .binaryType),
        Case(status: 1, op: .clusterChangeWALState, message: "Cannot change WAL mode because persistence is not enabled", code: .cluster),
        Case(status: 1, op: .cachePut, message: "Ouch! Argument cannot be null: val", code: .cache),
    ]

    @Test(arguments: cases)
    func statusMapsToCodeAndKeepsStatusAndMessage(_ c: Case) {
        let error = IgniteError.server(status: c.status, message: c.message, opCode: c.op)
        #expect(error.code == c.code)
        #expect(error.serverStatus == c.status)
        #expect(error.message == c.message)
        #expect(error.description.contains("[status \(c.status)]"))
    }

    @Test func everyStatusOfTheBriefIsCovered() {
        let statuses = Set(Self.cases.map(\.status))
        #expect(statuses.isSuperset(of: [1000, 1001, 1010, 1011, 1012, 1020, 1021, 1022, 2, 10, 100, 2000]))
        // Every code of pyignite's server-side exception family is reachable from a status.
        let codes = Set(Self.cases.map(\.code.description))
        #expect(codes.isSuperset(of: ["authentication", "cache", "cacheCreation", "sql", "binaryType", "cluster", "transaction",
                                      "notSupportedByCluster", "server"]))
    }

    @Test func errorHeadersAtEveryVersionBecomeTheSameError() throws {
        let message = "Cache does not exist [cacheId= 12345]"
        for version in ProtocolVersion.supported {
            let context = ProtocolContext(version: version)
            var writer = BinaryWriter()
            ResponseHeader(requestId: 2, status: 1000, errorMessage: message).encode(into: &writer, context: context)
            var reader = BinaryReader(writer.bytes)
            let header = try ResponseHeader.decode(from: &reader, context: context)
            let error = IgniteError.server(status: header.status, message: header.errorMessage ?? "", opCode: .cacheGet)
            #expect(error.code == .cache && error.serverStatus == 1000 && error.message == message, "\(version)")
            #expect(reader.isAtEnd)
        }
    }
}
