/// An entry processor deployed on the cluster, named by its class, with the arguments it is called with
/// (GridGain 8's cache invoke, OP 1024 / 1025).
///
/// The processor travels as a binary object of type `className` (with ``fields`` if it has state) and runs on the
/// node that owns each entry, atomically with the entry: Java's `EntryProcessor.process(entry, arguments...)`. The
/// class must be deployed on the servers (on their class path); the client only names it. Before the first invoke
/// with a processor, the client registers the class names of its type and of the object types in its arguments
/// (OP_REGISTER_BINARY_TYPE_NAME, once per client and type id), which the server needs to deserialize them.
///
/// ```swift
/// let add = IgniteEntryProcessor(className: "com.example.AddProcessor", arguments: [Int64(5)])
/// let total = try cache.invoke("visits", add, as: Int64.self)
/// ```
public struct IgniteEntryProcessor: Sendable {
    /// The processor's Java class name (its binary type name).
    public var className: String
    /// The processor object's own fields, in order (empty for a stateless processor).
    public var fields: [(name: String, value: IgniteValue)]
    /// The arguments passed to `process` after the entry.
    public var arguments: [any IgniteBinaryEncodable]

    /// A processor by class name.
    /// - Parameters:
    ///   - className: The processor's class name.
    ///   - arguments: The arguments passed to `process`.
    ///   - fields: The processor object's own fields.
    public init(className: String, arguments: [any IgniteBinaryEncodable] = [], fields: [(name: String, value: IgniteValue)] = []) {
        self.className = className
        self.arguments = arguments
        self.fields = fields
    }

    /// Encodes the processor object and the arguments, recording the binary types they use.
    /// - Throws: ``IgniteError/Code/parameter`` for an empty class name; encoding errors of the arguments.
    package func encoded(types: inout BinaryTypeCollector) throws -> EncodedEntryProcessor {
        var classNames = BinaryTypeCollector()
        return try encoded(types: &types, classNames: &classNames)
    }

    /// Encodes the processor object and the arguments, recording the binary types they use in `types`, and in
    /// `classNames` the types the server deserializes into Java classes (the processor's, and those of objects in
    /// the arguments): their class names must be registered (``TypeResolution/classNamesToRegister(_:registry:)``)
    /// before the request goes out, or the server cannot resolve them.
    /// - Throws: ``IgniteError/Code/parameter`` for an empty class name; encoding errors of the arguments.
    package func encoded(types: inout BinaryTypeCollector, classNames: inout BinaryTypeCollector) throws -> EncodedEntryProcessor {
        guard !className.isEmpty else { throw IgniteError.parameter("an entry processor needs a class name") }
        var builder = BinaryObjectBuilder(typeName: className)
        for field in fields { builder.setField(field.name, field.value) }
        var own = BinaryTypeCollector()
        let processor = try EncodedValue(builder, types: &own)
        var encodedArguments: [EncodedValue] = []
        for argument in arguments { encodedArguments.append(try Self.encode(argument, types: &own)) }
        types.record(contentsOf: own)
        classNames.record(contentsOf: own)
        return EncodedEntryProcessor(processor: processor, arguments: encodedArguments)
    }

    private static func encode<T: IgniteBinaryEncodable>(_ value: T, types: inout BinaryTypeCollector) throws -> EncodedValue {
        try EncodedValue(value, types: &types)
    }
}

/// The outcome of an entry processor on one key of ``IgniteEntryProcessor`` invoke-all: its result, or the
/// `EntryProcessorException` it threw, as an ``IgniteError`` with server status 1040 (ENTRY_PROCESSOR_EXCEPTION).
public typealias IgniteEntryProcessorResult<V> = Result<V?, IgniteError>

extension IgniteError {
    /// The status of an entry processor's failure (GridGain `ClientStatus.ENTRY_PROCESSOR_EXCEPTION`).
    public static let entryProcessorStatus: Int32 = 1040
}
