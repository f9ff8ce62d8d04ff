import Foundation

/// Any value of the Ignite binary data format, for values whose type is known only at run time.
///
/// Each case corresponds to one type code. Java-only types have their own Swift types
/// (``JavaChar``, ``IgniteDate``, ``IgniteTimestamp``, ``IgniteTime``, ``IgniteDecimal``, ``IgniteEnum``)
/// so that every value round-trips without loss.
public enum IgniteValue: Hashable, Sendable {
    /// Null (type code 101).
    case null
    /// A Java `byte` (1).
    case byte(Int8)
    /// A Java `short` (2).
    case short(Int16)
    /// A Java `int` (3).
    case int(Int32)
    /// A Java `long` (4).
    case long(Int64)
    /// A Java `float` (5).
    case float(Float)
    /// A Java `double` (6).
    case double(Double)
    /// A Java `char` (7).
    case char(JavaChar)
    /// A Java `boolean` (8).
    case bool(Bool)
    /// A string (9).
    case string(String)
    /// A UUID (10).
    case uuid(UUID)
    /// A `java.util.Date` (11).
    case date(IgniteDate)
    /// A `java.sql.Timestamp` (33).
    case timestamp(IgniteTimestamp)
    /// A `java.sql.Time` (36).
    case time(IgniteTime)
    /// A `java.math.BigDecimal` (30).
    case decimal(IgniteDecimal)
    /// `byte[]` (12).
    case byteArray([UInt8])
    /// `short[]` (13).
    case shortArray([Int16])
    /// `int[]` (14).
    case intArray([Int32])
    /// `long[]` (15).
    case longArray([Int64])
    /// `float[]` (16).
    case floatArray([Float])
    /// `double[]` (17).
    case doubleArray([Double])
    /// `char[]` (18).
    case charArray([JavaChar])
    /// `boolean[]` (19).
    case boolArray([Bool])
    /// `String[]` (20); `nil` elements are nulls.
    case stringArray([String?])
    /// `UUID[]` (21).
    case uuidArray([UUID?])
    /// `Date[]` (22).
    case dateArray([IgniteDate?])
    /// `Timestamp[]` (34).
    case timestampArray([IgniteTimestamp?])
    /// `Time[]` (37).
    case timeArray([IgniteTime?])
    /// `BigDecimal[]` (31).
    case decimalArray([IgniteDecimal?])
    /// `Object[]` or an array of a user type (23).
    case objectArray(IgniteObjectArray)
    /// A collection (24).
    case collection(IgniteCollection)
    /// A map (25).
    case map(IgniteMap)
    /// An enum (28). Servers return enums as ``binaryEnum(_:)``.
    case enumValue(IgniteEnum)
    /// A binary enum (38).
    case binaryEnum(IgniteEnum)
    /// An enum array (29).
    case enumArray(IgniteEnumArray)
    /// A complex object (103); wrapped data (27) decodes to the wrapped root object.
    ///
    /// Stored out of line: a ``BinaryObject`` is about 100 bytes, and inline it would make every value that size,
    /// so that a collection of small elements would take 100 bytes per element instead of 40.
    indirect case object(BinaryObject)

    /// The type code this value is written with.
    public var typeCode: TypeCode {
        switch self {
        case .null: .null
        case .byte: .byte
        case .short: .short
        case .int: .int
        case .long: .long
        case .float: .float
        case .double: .double
        case .char: .char
        case .bool: .bool
        case .string: .string
        case .uuid: .uuid
        case .date: .date
        case .timestamp: .timestamp
        case .time: .time
        case .decimal: .decimal
        case .byteArray: .byteArray
        case .shortArray: .shortArray
        case .intArray: .intArray
        case .longArray: .longArray
        case .floatArray: .floatArray
        case .doubleArray: .doubleArray
        case .charArray: .charArray
        case .boolArray: .boolArray
        case .stringArray: .stringArray
        case .uuidArray: .uuidArray
        case .dateArray: .dateArray
        case .timestampArray: .timestampArray
        case .timeArray: .timeArray
        case .decimalArray: .decimalArray
        case .objectArray: .objectArray
        case .collection: .collection
        case .map: .map
        case .enumValue: .enumValue
        case .binaryEnum: .binaryEnum
        case .enumArray: .enumArray
        case .object: .complexObject
        }
    }

    /// Whether this is ``null``.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
