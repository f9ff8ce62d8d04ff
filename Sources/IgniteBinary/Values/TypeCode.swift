/// The type codes of the Ignite binary data format (the first byte of every data object).
public enum TypeCode: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case byte = 1, short = 2, int = 3, long = 4, float = 5, double = 6, char = 7, bool = 8
    case string = 9, uuid = 10, date = 11
    case byteArray = 12, shortArray = 13, intArray = 14, longArray = 15, floatArray = 16, doubleArray = 17
    case charArray = 18, boolArray = 19, stringArray = 20, uuidArray = 21, dateArray = 22
    case objectArray = 23, collection = 24, map = 25
    /// Wrapped data (a binary-object buffer with the offset of its root object).
    case wrapped = 27
    case enumValue = 28, enumArray = 29, decimal = 30, decimalArray = 31
    /// `java.lang.Class`: Java-only, not decodable by other platforms.
    case javaClass = 32
    case timestamp = 33, timestampArray = 34
    /// A Java dynamic proxy: Java-only.
    case proxy = 35
    case time = 36, timeArray = 37
    case binaryEnum = 38
    /// A Java object-factory proxy: Java-only.
    case platformJavaObjectFactoryProxy = 99
    case null = 101
    /// A back-reference to an object written earlier in the same graph.
    case handle = 102
    /// A complex (user-type) object.
    case complexObject = 103
    /// An object written by Java's OptimizedMarshaller: opaque to non-Java clients.
    case optimizedMarshaller = -2

    /// The protocol name of the type, for messages.
    public var description: String { "\(name)(\(rawValue))" }

    private var name: String {
        switch self {
        case .byte: "Byte"
        case .short: "Short"
        case .int: "Int"
        case .long: "Long"
        case .float: "Float"
        case .double: "Double"
        case .char: "Char"
        case .bool: "Bool"
        case .string: "String"
        case .uuid: "UUID"
        case .date: "Date"
        case .byteArray: "ByteArray"
        case .shortArray: "ShortArray"
        case .intArray: "IntArray"
        case .longArray: "LongArray"
        case .floatArray: "FloatArray"
        case .doubleArray: "DoubleArray"
        case .charArray: "CharArray"
        case .boolArray: "BoolArray"
        case .stringArray: "StringArray"
        case .uuidArray: "UUIDArray"
        case .dateArray: "DateArray"
        case .objectArray: "ObjectArray"
        case .collection: "Collection"
        case .map: "Map"
        case .wrapped: "WrappedData"
        case .enumValue: "Enum"
        case .enumArray: "EnumArray"
        case .decimal: "Decimal"
        case .decimalArray: "DecimalArray"
        case .javaClass: "Class"
        case .timestamp: "Timestamp"
        case .timestampArray: "TimestampArray"
        case .proxy: "Proxy"
        case .time: "Time"
        case .timeArray: "TimeArray"
        case .binaryEnum: "BinaryEnum"
        case .platformJavaObjectFactoryProxy: "PlatformJavaObjectFactoryProxy"
        case .null: "Null"
        case .handle: "Handle"
        case .complexObject: "ComplexObject"
        case .optimizedMarshaller: "OptimizedMarshaller"
        }
    }
}

/// The kind byte of a Collection (type code 24). It is a deserialization hint for Java.
public enum CollectionKind: Int8, Sendable, Hashable, CaseIterable {
    /// A user-defined set.
    case userSet = -1
    /// A user-defined collection.
    case userCollection = 0
    /// `java.util.ArrayList`.
    case arrayList = 1
    /// `java.util.LinkedList`.
    case linkedList = 2
    /// `java.util.HashSet`.
    case hashSet = 3
    /// `java.util.LinkedHashSet`.
    case linkedHashSet = 4
    /// `Collections.singletonList`. Servers turn it into an opaque OptimizedMarshaller blob; avoid it.
    case singletonList = 5
}

/// The kind byte of a Map (type code 25). It is a deserialization hint for Java.
public enum MapKind: Int8, Sendable, Hashable, CaseIterable {
    /// `java.util.HashMap`.
    case hashMap = 1
    /// `java.util.LinkedHashMap` (keeps insertion order).
    case linkedHashMap = 2
}
