/// Status codes the server returns (`ClientStatus` in the Java server).
public enum ServerStatus {
    public static let success: Int32 = 0
    public static let failed: Int32 = 1
    public static let invalidOpCode: Int32 = 2
    public static let invalidNodeState: Int32 = 10
    public static let functionalityDisabled: Int32 = 100
    public static let cacheDoesNotExist: Int32 = 1000
    public static let cacheExists: Int32 = 1001
    public static let tooManyCursors: Int32 = 1010
    public static let resourceDoesNotExist: Int32 = 1011
    public static let securityViolation: Int32 = 1012
    public static let txLimitExceeded: Int32 = 1020
    public static let txNotFound: Int32 = 1021
    public static let txTimedOut: Int32 = 1022
    public static let tooManyComputeTasks: Int32 = 1030
    public static let entryProcessorException: Int32 = 1040
    public static let authFailed: Int32 = 2000
}

extension IgniteError {
    /// The error for a non-zero response status, classified by status and operation the way pyignite's
    /// exception family is: cache creation, SQL, binary type, cluster, transaction, cache, or server.
    /// The status and the server's message are kept.
    public static func server(status: Int32, message: String, opCode: OpCode) -> IgniteError {
        let code: IgniteError.Code
        switch (status, opCode) {
        case (ServerStatus.authFailed, _), (ServerStatus.securityViolation, _):
            code = .authentication
        case (_, .cacheCreateWithName), (_, .cacheCreateWithConfiguration),
             (_, .cacheGetOrCreateWithName), (_, .cacheGetOrCreateWithConfiguration):
            code = .cacheCreation
        case (_, .querySQL), (_, .querySQLFields), (_, .querySQLCursorGetPage), (_, .querySQLFieldsCursorGetPage):
            code = .sql
        case (_, .getBinaryTypeName), (_, .registerBinaryTypeName), (_, .getBinaryType), (_, .putBinaryType), (_, .binaryConfigurationGet):
            code = .binaryType
        case (_, .clusterGetState), (_, .clusterChangeState), (_, .clusterChangeWALState), (_, .clusterGetWALState),
             (_, .clusterGroupGetNodeIds), (_, .clusterGroupGetNodeInfo), (_, .clusterGroupGetNodeEndpoints):
            code = .cluster
        case (ServerStatus.txLimitExceeded, _), (ServerStatus.txNotFound, _), (ServerStatus.txTimedOut, _), (_, .txStart), (_, .txEnd):
            code = .transaction
        case (ServerStatus.invalidOpCode, _):
            code = .notSupportedByCluster
        case (_, _) where opCode.rawValue >= 1000 && opCode.rawValue < 3000:
            code = .cache
        default:
            code = .server
        }
        return IgniteError(code, message, serverStatus: status)
    }
}
