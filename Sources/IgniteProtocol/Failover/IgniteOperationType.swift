/// A user-visible operation, as retry policies see it (the Java client's `ClientOperationType`).
///
/// Several op codes map to one type (for example OP_CACHE_REPLACE and OP_CACHE_REPLACE_IF_EQUALS are both
/// ``replace``). Internal operations (resource close, cursor pages, partition maps, transaction end, heartbeats,
/// binary metadata) have no type; see ``OperationKind``.
public enum IgniteOperationType: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// OP_CACHE_GET.
    case get
    /// OP_CACHE_PUT.
    case put
    /// OP_CACHE_PUT_IF_ABSENT.
    case putIfAbsent
    /// OP_CACHE_GET_ALL.
    case getAll
    /// OP_CACHE_PUT_ALL.
    case putAll
    /// OP_CACHE_GET_AND_PUT.
    case getAndPut
    /// OP_CACHE_GET_AND_REPLACE.
    case getAndReplace
    /// OP_CACHE_GET_AND_REMOVE.
    case getAndRemove
    /// OP_CACHE_GET_AND_PUT_IF_ABSENT.
    case getAndPutIfAbsent
    /// OP_CACHE_REPLACE and OP_CACHE_REPLACE_IF_EQUALS.
    case replace
    /// OP_CACHE_CONTAINS_KEY.
    case containsKey
    /// OP_CACHE_CONTAINS_KEYS.
    case containsKeys
    /// OP_CACHE_CLEAR_KEY.
    case clearOne
    /// OP_CACHE_CLEAR_KEYS.
    case clearMultiple
    /// OP_CACHE_CLEAR.
    case clearEverything
    /// OP_CACHE_REMOVE_KEY and OP_CACHE_REMOVE_IF_EQUALS.
    case removeOne
    /// OP_CACHE_REMOVE_KEYS.
    case removeMultiple
    /// OP_CACHE_REMOVE_ALL.
    case removeEverything
    /// OP_CACHE_GET_SIZE.
    case getSize
    /// OP_CACHE_LOCAL_PEEK.
    case localPeek
    /// OP_CACHE_INVOKE and OP_CACHE_INVOKE_ALL.
    case invoke
    /// OP_CACHE_PUT_ALL_CONFLICT and OP_CACHE_REMOVE_ALL_CONFLICT (Apache data replication).
    case conflictUpdate
    /// OP_CACHE_CREATE_WITH_NAME and OP_CACHE_CREATE_WITH_CONFIGURATION.
    case cacheCreate
    /// OP_CACHE_GET_OR_CREATE_WITH_NAME and OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION.
    case cacheGetOrCreate
    /// OP_CACHE_GET_NAMES.
    case cacheGetNames
    /// OP_CACHE_DESTROY (and GridGain's OP_CACHES_DESTROY).
    case cacheDestroy
    /// OP_CACHE_GET_CONFIGURATION.
    case cacheGetConfiguration
    /// OP_QUERY_SCAN (the first page; later pages are internal).
    case scan
    /// OP_QUERY_SQL and OP_QUERY_SQL_FIELDS (the first page).
    case sql
    /// OP_QUERY_CONTINUOUS.
    case continuousQuery
    /// OP_QUERY_INDEX (the first page).
    case indexQuery
    /// OP_TX_START.
    case txStart
    /// OP_CLUSTER_GET_STATE.
    case clusterGetState
    /// OP_CLUSTER_CHANGE_STATE.
    case clusterChangeState
    /// OP_CLUSTER_GET_WAL_STATE.
    case clusterGetWALState
    /// OP_CLUSTER_CHANGE_WAL_STATE.
    case clusterChangeWALState
    /// OP_CLUSTER_GROUP_GET_NODE_IDS and OP_CLUSTER_GROUP_GET_NODE_INFO.
    case clusterGroupGetNodes
    /// OP_COMPUTE_TASK_EXECUTE.
    case computeTaskExecute

    /// Whether the operation only reads: retrying it can never apply a change twice. The set of the Java client's
    /// `ClientRetryReadPolicy`, plus local peek and index queries.
    public var isReadOnly: Bool {
        switch self {
        case .get, .getAll, .containsKey, .containsKeys, .getSize, .localPeek, .cacheGetNames, .cacheGetConfiguration,
             .scan, .indexQuery, .continuousQuery, .clusterGetState, .clusterGetWALState, .clusterGroupGetNodes:
            return true
        default:
            return false
        }
    }

    /// The case name, for example `"getAndPut"`.
    public var description: String { rawValue }
}

/// How the failover rules treat an op code.
package enum OperationKind: Hashable, Sendable {
    /// A user-visible operation: the configured ``RetryPolicy`` decides whether it is retried.
    case user(IgniteOperationType)
    /// An internal operation that is safe to send again on any connection (partition maps, binary type metadata,
    /// node endpoints): retried without asking the policy, like the Java client's system operations.
    case internalIdempotent
    /// An internal operation that only means something on the connection that sent it (resource close, cursor
    /// pages, transaction end, heartbeat, idle timeout), and any unknown op code: never retried elsewhere. Resource
    /// and transaction ids are per connection, so re-sending one elsewhere could act on someone else's resource.
    case internalConnectionBound
}

extension OpCode {
    /// The operation's kind for retry decisions.
    package var operationKind: OperationKind {
        switch rawValue {
        case 1000: .user(.get)
        case 1001: .user(.put)
        case 1002: .user(.putIfAbsent)
        case 1003: .user(.getAll)
        case 1004: .user(.putAll)
        case 1005: .user(.getAndPut)
        case 1006: .user(.getAndReplace)
        case 1007: .user(.getAndRemove)
        case 1008: .user(.getAndPutIfAbsent)
        case 1009, 1010: .user(.replace)
        case 1011: .user(.containsKey)
        case 1012: .user(.containsKeys)
        case 1013: .user(.clearEverything)
        case 1014: .user(.clearOne)
        case 1015: .user(.clearMultiple)
        case 1016, 1017: .user(.removeOne)
        case 1018: .user(.removeMultiple)
        case 1019: .user(.removeEverything)
        case 1020: .user(.getSize)
        case 1021: .user(.localPeek)
        case 1022, 1023: .user(.conflictUpdate)
        case 1024, 1025: .user(.invoke)
        case 1050: .user(.cacheGetNames)
        case 1051, 1053: .user(.cacheCreate)
        case 1052, 1054: .user(.cacheGetOrCreate)
        case 1055: .user(.cacheGetConfiguration)
        case 1056, 1057: .user(.cacheDestroy)
        case 1100, 1101: .internalIdempotent
        case 2000: .user(.scan)
        case 2002, 2004: .user(.sql)
        case 2006: .user(.continuousQuery)
        case 2008: .user(.indexQuery)
        case 3000...3004: .internalIdempotent
        case 4000: .user(.txStart)
        case 5000: .user(.clusterGetState)
        case 5001: .user(.clusterChangeState)
        case 5002: .user(.clusterChangeWALState)
        case 5003: .user(.clusterGetWALState)
        case 5100, 5101: .user(.clusterGroupGetNodes)
        case 5102: .internalIdempotent
        case 6000: .user(.computeTaskExecute)
        default: .internalConnectionBound
        }
    }

    /// The user-visible operation type, or `nil` for internal operations.
    public var operationType: IgniteOperationType? {
        if case .user(let type) = operationKind { return type }
        return nil
    }
}
