import Foundation

/// A Java `char`: one UTF-16 code unit (type code 7).
public struct JavaChar: Hashable, Sendable, Comparable, CustomStringConvertible, ExpressibleByUnicodeScalarLiteral {
    /// The UTF-16 code unit.
    public var codeUnit: UInt16

    /// Creates a char from a UTF-16 code unit.
    public init(_ codeUnit: UInt16) { self.codeUnit = codeUnit }

    /// Creates a char from a Unicode scalar of the Basic Multilingual Plane.
    /// - Returns: `nil` for scalars above U+FFFF, which need two Java chars.
    public init?(_ scalar: Unicode.Scalar) {
        guard scalar.value <= 0xFFFF else { return nil }
        codeUnit = UInt16(scalar.value)
    }

    /// Creates a char from a literal such as `"A"`. Scalars above U+FFFF become U+FFFD.
    public init(unicodeScalarLiteral value: Unicode.Scalar) {
        codeUnit = value.value <= 0xFFFF ? UInt16(value.value) : 0xFFFD
    }

    /// The character, or U+FFFD for a lone surrogate.
    public var description: String {
        String(decoding: [codeUnit], as: UTF16.self)
    }

    public static func < (lhs: JavaChar, rhs: JavaChar) -> Bool { lhs.codeUnit < rhs.codeUnit }
}

/// A `java.util.Date` (type code 11): milliseconds since 1970-01-01T00:00Z, exactly.
public struct IgniteDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch (negative before 1970).
    public var millisecondsSinceEpoch: Int64

    /// Creates a date from milliseconds since the epoch.
    public init(millisecondsSinceEpoch: Int64) { self.millisecondsSinceEpoch = millisecondsSinceEpoch }

    /// Creates a date from a Foundation `Date`, rounded to the nearest millisecond
    /// (clamped to the representable range).
    public init(_ date: Date) {
        millisecondsSinceEpoch = IgniteDate.clampedMilliseconds(date.timeIntervalSince1970 * 1000)
    }

    /// The Foundation `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000) }

    public var description: String { "\(date) (\(millisecondsSinceEpoch) ms)" }

    public static func < (lhs: IgniteDate, rhs: IgniteDate) -> Bool { lhs.millisecondsSinceEpoch < rhs.millisecondsSinceEpoch }

    static func clampedMilliseconds(_ value: Double) -> Int64 {
        let rounded = value.rounded()
        guard rounded.isFinite else { return rounded > 0 ? .max : .min }
        if rounded >= 9.223372036854775807e18 { return .max }
        if rounded <= -9.223372036854775808e18 { return .min }
        return Int64(rounded)
    }
}

/// A `java.sql.Timestamp` (type code 33): milliseconds since the epoch plus the nanoseconds within that millisecond.
public struct IgniteTimestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch (negative before 1970).
    public var millisecondsSinceEpoch: Int64
    /// Nanoseconds within the millisecond, 0...999_999.
    public var nanoseconds: Int32

    /// Creates a timestamp.
    /// - Parameters:
    ///   - millisecondsSinceEpoch: Milliseconds since the epoch.
    ///   - nanoseconds: Nanoseconds within the millisecond; the wire allows any i32, Java writes 0...999_999.
    public init(millisecondsSinceEpoch: Int64, nanoseconds: Int32 = 0) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
        self.nanoseconds = nanoseconds
    }

    /// Creates a timestamp from a Foundation `Date`, keeping sub-millisecond digits as far as `Double` holds them.
    public init(_ date: Date) {
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
        millisecondsSinceEpoch = IgniteDate.clampedMilliseconds(ms)
        let fraction = (date.timeIntervalSince1970 * 1000 - ms) * 1_000_000
        nanoseconds = fraction.isFinite ? Int32(Swift.min(Swift.max(fraction.rounded(), 0), 999_999)) : 0
    }

    /// The Foundation `Date` (sub-microsecond digits may be lost).
    public var date: Date {
        Date(timeIntervalSince1970: Double(millisecondsSinceEpoch) / 1000 + Double(nanoseconds) / 1_000_000_000)
    }

    public var description: String { "\(date) (\(millisecondsSinceEpoch) ms + \(nanoseconds) ns)" }

    public static func < (lhs: IgniteTimestamp, rhs: IgniteTimestamp) -> Bool {
        (lhs.millisecondsSinceEpoch, lhs.nanoseconds) < (rhs.millisecondsSinceEpoch, rhs.nanoseconds)
    }
}

/// A `java.sql.Time` (type code 36): milliseconds; for a time of day, milliseconds since midnight UTC.
public struct IgniteTime: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The milliseconds value.
    public var milliseconds: Int64

    /// Creates a time value.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates a time of day.
    /// - Throws: ``IgniteError/Code/parameter`` when a component is out of range.
    public init(hour: Int, minute: Int, second: Int, millisecond: Int = 0) throws {
        guard (0..<24).contains(hour), (0..<60).contains(minute), (0..<60).contains(second), (0..<1000).contains(millisecond) else {
            throw IgniteError.parameter("invalid time of day \(hour):\(minute):\(second).\(millisecond)")
        }
        milliseconds = Int64(((hour * 60 + minute) * 60 + second) * 1000 + millisecond)
    }

    public var description: String { "\(milliseconds) ms" }

    public static func < (lhs: IgniteTime, rhs: IgniteTime) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

/// A Java enum value in binary form: the enum's type id and the constant's ordinal
/// (type codes 28 Enum and 38 BinaryEnum).
public struct IgniteEnum: Hashable, Sendable, CustomStringConvertible {
    /// The type id of the enum type (lower-cased Java hash of its type name), or 0 with a class name.
    public var typeId: Int32
    /// The class name, written only when `typeId` is 0.
    public var className: String?
    /// The constant's ordinal.
    public var ordinal: Int32

    /// Creates an enum value from a type id and an ordinal.
    public init(typeId: Int32, ordinal: Int32, className: String? = nil) {
        self.typeId = typeId
        self.ordinal = ordinal
        self.className = className
    }

    /// Creates an enum value from the enum's type name, whose type id is computed.
    public init(typeName: String, ordinal: Int32) {
        self.init(typeId: JavaHash.typeId(typeName), ordinal: ordinal)
    }

    public var description: String { "Enum(type: \(typeId), ordinal: \(ordinal))" }
}

/// An ObjectArray (type code 23): the element type id and the elements, each a full data object.
public struct IgniteObjectArray: Hashable, Sendable {
    /// `-1` for `java.lang.Object[]`; a type id for arrays of a user type; `0` with a ``className``.
    public var elementTypeId: Int32
    /// The element class name, written only when `elementTypeId` is 0.
    public var className: String?
    /// The elements.
    public var elements: [IgniteValue]

    /// Creates an object array. The default element type is `java.lang.Object`.
    public init(_ elements: [IgniteValue], elementTypeId: Int32 = -1, className: String? = nil) {
        self.elements = elements
        self.elementTypeId = elementTypeId
        self.className = className
    }
}

/// A Collection (type code 24).
public struct IgniteCollection: Hashable, Sendable {
    /// The Java collection kind.
    public var kind: CollectionKind
    /// The elements.
    public var elements: [IgniteValue]

    /// Creates a collection; an `ArrayList` by default.
    public init(_ elements: [IgniteValue], kind: CollectionKind = .arrayList) {
        self.elements = elements
        self.kind = kind
    }
}

/// One key/value pair of an ``IgniteMap``.
public struct IgniteMapEntry: Hashable, Sendable {
    /// The key.
    public var key: IgniteValue
    /// The value.
    public var value: IgniteValue

    /// Creates an entry.
    public init(_ key: IgniteValue, _ value: IgniteValue) {
        self.key = key
        self.value = value
    }
}

/// A Map (type code 25). Entries keep their wire order.
public struct IgniteMap: Hashable, Sendable {
    /// The Java map kind.
    public var kind: MapKind
    /// The entries in wire order.
    public var entries: [IgniteMapEntry]

    /// Creates a map; a `HashMap` by default.
    public init(_ entries: [IgniteMapEntry], kind: MapKind = .hashMap) {
        self.entries = entries
        self.kind = kind
    }

    /// The value stored under `key`, if any (a linear search).
    public subscript(key: IgniteValue) -> IgniteValue? {
        entries.first { $0.key == key }?.value
    }
}

/// An EnumArray (type code 29).
public struct IgniteEnumArray: Hashable, Sendable {
    /// The element enum type id, or 0 with a ``className``.
    public var elementTypeId: Int32
    /// The element class name, written only when `elementTypeId` is 0.
    public var className: String?
    /// The elements; `nil` is a null element.
    public var elements: [IgniteEnum?]
    /// The type code the elements are written with: ``TypeCode/binaryEnum`` (38, the default) or
    /// ``TypeCode/enumValue`` (28, as Java and pyignite write a plain `Enum[]`); any other code writes 38.
    /// Decoding keeps the code of the first non-null element, so arrays re-encode byte for byte.
    public var elementTypeCode: TypeCode

    /// Creates an enum array.
    /// - Parameters:
    ///   - elements: The elements; `nil` is a null element.
    ///   - elementTypeId: The element enum type id, or 0 with a `className`.
    ///   - className: The element class name, written only when `elementTypeId` is 0.
    ///   - elementTypeCode: ``TypeCode/binaryEnum`` (38, the default) or ``TypeCode/enumValue`` (28) for the elements.
    public init(_ elements: [IgniteEnum?], elementTypeId: Int32, className: String? = nil, elementTypeCode: TypeCode = .binaryEnum) {
        self.elements = elements
        self.elementTypeId = elementTypeId
        self.className = className
        self.elementTypeCode = elementTypeCode
    }
}
