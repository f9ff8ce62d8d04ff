/// Status codes the server returns (`ClientStatus` in the Java server; PROTOCOL-FACTS §6).
public enum ServerStatus {
    /// 0: success.
    public static let success: Int32 = 0
    /// 1: a generic failure (any server exception without a status of its own).
    public static let failed: Int32 = 1
    /// 2: the op code is unknown to the server.
    public static let invalidOpCode: Int32 = 2
    /// 10: the node is stopping or otherwise in an invalid state.
    public static let invalidNodeState: Int32 = 10
    /// 100: the functionality is disabled on the server (for example compute for thin clients).
    public static let functionalityDisabled: Int32 = 100
    /// 1000: the cache does not exist.
    public static let cacheDoesNotExist: Int32 = 1000
    /// 1001: the cache exists already.
    public static let cacheExists: Int32 = 1001
    /// 1010: too many open cursors on the connection.
    public static let tooManyCursors: Int32 = 1010
    /// 1011: the resource (cursor, query, task) does not exist or was released.
    public static let resourceDoesNotExist: Int32 = 1011
    /// 1012: authorization failed.
    public static let securityViolation: Int32 = 1012
    /// 1020: too many active transactions on the connection.
    public static let txLimitExceeded: Int32 = 1020
    /// 1021: the transaction id is unknown.
    public static let txNotFound: Int32 = 1021
    /// 1022: the transaction timed out.
    public static let txTimedOut: Int32 = 1022
    /// 1030: too many active compute tasks.
    public static let tooManyComputeTasks: Int32 = 1030
    /// 1040: an entry processor failed.
    public static let entryProcessorException: Int32 = 1040
    /// 2000: authentication failed.
    public static let authFailed: Int32 = 2000
}

extension IgniteError {
    /// The error for a non-zero response status, classified the way pyignite's exception family is.
    ///
    /// By status first: 2000 and 1012 are ``IgniteError/Code/authentication``. Then by operation: cache creation
    /// (1051–1054) ``IgniteError/Code/cacheCreation``; SQL and its pages (2002–2005) ``IgniteError/Code/sql``;
    /// binary types (3000–3004) ``IgniteError/Code/binaryType``; cluster (5000–5102) ``IgniteError/Code/cluster``;
    /// transactions (4000, 4001, or statuses 1020–1022) ``IgniteError/Code/transaction``. Then: status 2 (unknown
    /// op code) and 100 (functionality disabled) are ``IgniteError/Code/notSupportedByCluster``; every other cache or
    /// query operation (1000–2999) and OP_RESOURCE_CLOSE (0, which closes cursors: pyignite raises `CacheError`
    /// for a failed cursor close) are ``IgniteError/Code/cache``; anything else is ``IgniteError/Code/server``.
    /// The status and the server's message are kept unchanged.
    /// - Parameters:
    ///   - status: The non-zero status from the response header.
    ///   - message: The server's message.
    ///   - opCode: The op code of the request the response answers.
    /// - Returns: The error.
    package static func server(status: Int32, message: String, opCode: OpCode) -> IgniteError {
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
        case (ServerStatus.invalidOpCode, _), (ServerStatus.functionalityDisabled, _):
            code = .notSupportedByCluster
        case (_, .resourceClose):
            code = .cache
        case (_, _) where opCode.rawValue >= 1000 && opCode.rawValue < 3000:
            code = .cache
        default:
            code = .server
        }
        return IgniteError(code, message, serverStatus: status)
    }
}
