// Op codes of compute, services and distributed data structures (PROTOCOL-FACTS §5.9; the Apache server's
// `pc/ClientMessageParser` constants). Kept apart from OpCode.swift so that the table there stays the pyignite set.

extension OpCode {
    /// OP_SERVICE_INVOKE (7000): feature bit 5.
    public static let serviceInvoke: OpCode = 7000
    /// OP_SERVICE_GET_DESCRIPTORS (7001): feature bit 9.
    public static let serviceGetDescriptors: OpCode = 7001
    /// OP_SERVICE_GET_DESCRIPTOR (7002): feature bit 9.
    public static let serviceGetDescriptor: OpCode = 7002

    /// OP_ATOMIC_LONG_CREATE (9000).
    public static let atomicLongCreate: OpCode = 9000
    /// OP_ATOMIC_LONG_REMOVE (9001).
    public static let atomicLongRemove: OpCode = 9001
    /// OP_ATOMIC_LONG_EXISTS (9002).
    public static let atomicLongExists: OpCode = 9002
    /// OP_ATOMIC_LONG_VALUE_GET (9003).
    public static let atomicLongValueGet: OpCode = 9003
    /// OP_ATOMIC_LONG_VALUE_ADD_AND_GET (9004).
    public static let atomicLongValueAddAndGet: OpCode = 9004
    /// OP_ATOMIC_LONG_VALUE_GET_AND_SET (9005).
    public static let atomicLongValueGetAndSet: OpCode = 9005
    /// OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET (9006).
    public static let atomicLongValueCompareAndSet: OpCode = 9006
    /// OP_ATOMIC_LONG_VALUE_COMPARE_AND_SET_AND_GET (9007).
    public static let atomicLongValueCompareAndSetAndGet: OpCode = 9007

    /// OP_SET_GET_OR_CREATE (9010).
    public static let setGetOrCreate: OpCode = 9010
    /// OP_SET_CLOSE (9011).
    public static let setClose: OpCode = 9011
    /// OP_SET_EXISTS (9012).
    public static let setExists: OpCode = 9012
    /// OP_SET_VALUE_ADD (9013).
    public static let setValueAdd: OpCode = 9013
    /// OP_SET_VALUE_ADD_ALL (9014).
    public static let setValueAddAll: OpCode = 9014
    /// OP_SET_VALUE_REMOVE (9015).
    public static let setValueRemove: OpCode = 9015
    /// OP_SET_VALUE_REMOVE_ALL (9016).
    public static let setValueRemoveAll: OpCode = 9016
    /// OP_SET_VALUE_CONTAINS (9017).
    public static let setValueContains: OpCode = 9017
    /// OP_SET_VALUE_CONTAINS_ALL (9018).
    public static let setValueContainsAll: OpCode = 9018
    /// OP_SET_VALUE_RETAIN_ALL (9019).
    public static let setValueRetainAll: OpCode = 9019
    /// OP_SET_SIZE (9020).
    public static let setSize: OpCode = 9020
    /// OP_SET_CLEAR (9021).
    public static let setClear: OpCode = 9021
    /// OP_SET_ITERATOR_START (9022).
    public static let setIteratorStart: OpCode = 9022
    /// OP_SET_ITERATOR_GET_PAGE (9023).
    public static let setIteratorGetPage: OpCode = 9023
}

extension FeatureBit {
    /// 34 (GridGain only): service invocation with a caller context; Apache uses ``serviceInvokeCallContext`` (10).
    public static let serviceInvokeCallContextGridGain = FeatureBit(34)
}
