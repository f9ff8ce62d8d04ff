/// A request operation code (i16). An extensible struct: unknown codes can be represented.
public struct OpCode: Hashable, Sendable, CustomStringConvertible, ExpressibleByIntegerLiteral {
    /// The wire value.
    public let rawValue: Int16
    /// An op code by value.
    public init(_ rawValue: Int16) { self.rawValue = rawValue }
    /// An op code from a literal.
    public init(integerLiteral value: Int16) { rawValue = value }

    /// OP_RESOURCE_CLOSE (0).
    public static let resourceClose: OpCode = 0
    /// OP_HEARTBEAT (1).
    public static let heartbeat: OpCode = 1
    /// OP_GET_IDLE_TIMEOUT (2).
    public static let getIdleTimeout: OpCode = 2

    /// OP_CACHE_GET (1000).
    public static let cacheGet: OpCode = 1000
    /// OP_CACHE_PUT (1001).
    public static let cachePut: OpCode = 1001
    /// OP_CACHE_PUT_IF_ABSENT (1002).
    public static let cachePutIfAbsent: OpCode = 1002
    /// OP_CACHE_GET_ALL (1003).
    public static let cacheGetAll: OpCode = 1003
    /// OP_CACHE_PUT_ALL (1004).
    public static let cachePutAll: OpCode = 1004
    /// OP_CACHE_GET_AND_PUT (1005).
    public static let cacheGetAndPut: OpCode = 1005
    /// OP_CACHE_GET_AND_REPLACE (1006).
    public static let cacheGetAndReplace: OpCode = 1006
    /// OP_CACHE_GET_AND_REMOVE (1007).
    public static let cacheGetAndRemove: OpCode = 1007
    /// OP_CACHE_GET_AND_PUT_IF_ABSENT (1008).
    public static let cacheGetAndPutIfAbsent: OpCode = 1008
    /// OP_CACHE_REPLACE (1009).
    public static let cacheReplace: OpCode = 1009
    /// OP_CACHE_REPLACE_IF_EQUALS (1010).
    public static let cacheReplaceIfEquals: OpCode = 1010
    /// OP_CACHE_CONTAINS_KEY (1011).
    public static let cacheContainsKey: OpCode = 1011
    /// OP_CACHE_CONTAINS_KEYS (1012).
    public static let cacheContainsKeys: OpCode = 1012
    /// OP_CACHE_CLEAR (1013).
    public static let cacheClear: OpCode = 1013
    /// OP_CACHE_CLEAR_KEY (1014).
    public static let cacheClearKey: OpCode = 1014
    /// OP_CACHE_CLEAR_KEYS (1015).
    public static let cacheClearKeys: OpCode = 1015
    /// OP_CACHE_REMOVE_KEY (1016).
    public static let cacheRemoveKey: OpCode = 1016
    /// OP_CACHE_REMOVE_IF_EQUALS (1017).
    public static let cacheRemoveIfEquals: OpCode = 1017
    /// OP_CACHE_REMOVE_KEYS (1018).
    public static let cacheRemoveKeys: OpCode = 1018
    /// OP_CACHE_REMOVE_ALL (1019).
    public static let cacheRemoveAll: OpCode = 1019
    /// OP_CACHE_GET_SIZE (1020).
    public static let cacheGetSize: OpCode = 1020
    /// OP_CACHE_LOCAL_PEEK (1021).
    public static let cacheLocalPeek: OpCode = 1021
    /// Apache only (data replication); GridGain answers status 2.
    public static let cachePutAllConflict: OpCode = 1022
    /// OP_CACHE_REMOVE_ALL_CONFLICT (1023).
    public static let cacheRemoveAllConflict: OpCode = 1023

    /// OP_CACHE_GET_NAMES (1050).
    public static let cacheGetNames: OpCode = 1050
    /// OP_CACHE_CREATE_WITH_NAME (1051).
    public static let cacheCreateWithName: OpCode = 1051
    /// OP_CACHE_GET_OR_CREATE_WITH_NAME (1052).
    public static let cacheGetOrCreateWithName: OpCode = 1052
    /// OP_CACHE_CREATE_WITH_CONFIGURATION (1053).
    public static let cacheCreateWithConfiguration: OpCode = 1053
    /// OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION (1054).
    public static let cacheGetOrCreateWithConfiguration: OpCode = 1054
    /// OP_CACHE_GET_CONFIGURATION (1055).
    public static let cacheGetConfiguration: OpCode = 1055
    /// OP_CACHE_DESTROY (1056).
    public static let cacheDestroy: OpCode = 1056

    /// Deprecated since 1.3.0.
    public static let cacheNodePartitions: OpCode = 1100
    /// OP_CACHE_PARTITIONS (1101).
    public static let cachePartitions: OpCode = 1101

    /// OP_QUERY_SCAN (2000).
    public static let queryScan: OpCode = 2000
    /// OP_QUERY_SCAN_CURSOR_GET_PAGE (2001).
    public static let queryScanCursorGetPage: OpCode = 2001
    /// OP_QUERY_SQL (2002).
    public static let querySQL: OpCode = 2002
    /// OP_QUERY_SQL_CURSOR_GET_PAGE (2003).
    public static let querySQLCursorGetPage: OpCode = 2003
    /// OP_QUERY_SQL_FIELDS (2004).
    public static let querySQLFields: OpCode = 2004
    /// OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE (2005).
    public static let querySQLFieldsCursorGetPage: OpCode = 2005
    /// OP_QUERY_CONTINUOUS (2006).
    public static let queryContinuous: OpCode = 2006
    /// OP_QUERY_CONTINUOUS_EVENT_NOTIFICATION (2007).
    public static let queryContinuousEventNotification: OpCode = 2007

    /// OP_GET_BINARY_TYPE_NAME (3000).
    public static let getBinaryTypeName: OpCode = 3000
    /// OP_REGISTER_BINARY_TYPE_NAME (3001).
    public static let registerBinaryTypeName: OpCode = 3001
    /// OP_GET_BINARY_TYPE (3002).
    public static let getBinaryType: OpCode = 3002
    /// OP_PUT_BINARY_TYPE (3003).
    public static let putBinaryType: OpCode = 3003
    /// OP_BINARY_CONFIGURATION_GET (3004).
    public static let binaryConfigurationGet: OpCode = 3004

    /// OP_TX_START (4000).
    public static let txStart: OpCode = 4000
    /// OP_TX_END (4001).
    public static let txEnd: OpCode = 4001

    /// OP_CLUSTER_GET_STATE (5000).
    public static let clusterGetState: OpCode = 5000
    /// OP_CLUSTER_CHANGE_STATE (5001).
    public static let clusterChangeState: OpCode = 5001
    /// OP_CLUSTER_CHANGE_WAL_STATE (5002).
    public static let clusterChangeWALState: OpCode = 5002
    /// OP_CLUSTER_GET_WAL_STATE (5003).
    public static let clusterGetWALState: OpCode = 5003
    /// OP_CLUSTER_GROUP_GET_NODE_IDS (5100).
    public static let clusterGroupGetNodeIds: OpCode = 5100
    /// OP_CLUSTER_GROUP_GET_NODE_INFO (5101).
    public static let clusterGroupGetNodeInfo: OpCode = 5101
    /// OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS (5102).
    public static let clusterGroupGetNodeEndpoints: OpCode = 5102

    /// OP_COMPUTE_TASK_EXECUTE (6000).
    public static let computeTaskExecute: OpCode = 6000
    /// OP_COMPUTE_TASK_FINISHED (6001).
    public static let computeTaskFinished: OpCode = 6001

    /// The protocol name, for example `OP_CACHE_GET`, or the number for an unknown code.
    public var description: String { OpCode.names[rawValue] ?? "OP_\(rawValue)" }

    private static let names: [Int16: String] = [
        0: "OP_RESOURCE_CLOSE", 1: "OP_HEARTBEAT", 2: "OP_GET_IDLE_TIMEOUT",
        1000: "OP_CACHE_GET", 1001: "OP_CACHE_PUT", 1002: "OP_CACHE_PUT_IF_ABSENT", 1003: "OP_CACHE_GET_ALL",
        1004: "OP_CACHE_PUT_ALL", 1005: "OP_CACHE_GET_AND_PUT", 1006: "OP_CACHE_GET_AND_REPLACE",
        1007: "OP_CACHE_GET_AND_REMOVE", 1008: "OP_CACHE_GET_AND_PUT_IF_ABSENT", 1009: "OP_CACHE_REPLACE",
        1010: "OP_CACHE_REPLACE_IF_EQUALS", 1011: "OP_CACHE_CONTAINS_KEY", 1012: "OP_CACHE_CONTAINS_KEYS",
        1013: "OP_CACHE_CLEAR", 1014: "OP_CACHE_CLEAR_KEY", 1015: "OP_CACHE_CLEAR_KEYS", 1016: "OP_CACHE_REMOVE_KEY",
        1017: "OP_CACHE_REMOVE_IF_EQUALS", 1018: "OP_CACHE_REMOVE_KEYS", 1019: "OP_CACHE_REMOVE_ALL",
        1020: "OP_CACHE_GET_SIZE", 1021: "OP_CACHE_LOCAL_PEEK", 1022: "OP_CACHE_PUT_ALL_CONFLICT",
        1023: "OP_CACHE_REMOVE_ALL_CONFLICT",
        1050: "OP_CACHE_GET_NAMES", 1051: "OP_CACHE_CREATE_WITH_NAME", 1052: "OP_CACHE_GET_OR_CREATE_WITH_NAME",
        1053: "OP_CACHE_CREATE_WITH_CONFIGURATION", 1054: "OP_CACHE_GET_OR_CREATE_WITH_CONFIGURATION",
        1055: "OP_CACHE_GET_CONFIGURATION", 1056: "OP_CACHE_DESTROY",
        1100: "OP_CACHE_NODE_PARTITIONS", 1101: "OP_CACHE_PARTITIONS",
        2000: "OP_QUERY_SCAN", 2001: "OP_QUERY_SCAN_CURSOR_GET_PAGE", 2002: "OP_QUERY_SQL",
        2003: "OP_QUERY_SQL_CURSOR_GET_PAGE", 2004: "OP_QUERY_SQL_FIELDS", 2005: "OP_QUERY_SQL_FIELDS_CURSOR_GET_PAGE",
        2006: "OP_QUERY_CONTINUOUS", 2007: "OP_QUERY_CONTINUOUS_EVENT_NOTIFICATION",
        3000: "OP_GET_BINARY_TYPE_NAME", 3001: "OP_REGISTER_BINARY_TYPE_NAME", 3002: "OP_GET_BINARY_TYPE",
        3003: "OP_PUT_BINARY_TYPE", 3004: "OP_BINARY_CONFIGURATION_GET",
        4000: "OP_TX_START", 4001: "OP_TX_END",
        5000: "OP_CLUSTER_GET_STATE", 5001: "OP_CLUSTER_CHANGE_STATE", 5002: "OP_CLUSTER_CHANGE_WAL_STATE",
        5003: "OP_CLUSTER_GET_WAL_STATE", 5100: "OP_CLUSTER_GROUP_GET_NODE_IDS", 5101: "OP_CLUSTER_GROUP_GET_NODE_INFO",
        5102: "OP_CLUSTER_GROUP_GET_NODE_ENDPOINTS", 6000: "OP_COMPUTE_TASK_EXECUTE", 6001: "OP_COMPUTE_TASK_FINISHED",
    ]
}
