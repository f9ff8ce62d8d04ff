/// Lossless conversions between Ignite value types, used by the Codable bridge for per-field type overrides
/// (``IgniteObjectCodable/igniteFieldTypes``): an `Int` property written as a Java `int`, a `[Int]` as `int[]`, ...
extension IgniteValue {
    /// The value converted to type `code` without losing anything, or an error.
    ///
    /// Supported: between integer types (Byte, Short, Int, Long, and Char for 0...65535) when the value fits; Float ↔ Double
    /// when exact; integer → Decimal; Char ↔ one-unit String; Date ↔ Timestamp (to Date only with 0 nanoseconds);
    /// between integer array types when every element fits; FloatArray ↔ DoubleArray when exact;
    /// Collection ↔ ObjectArray. Null stays null.
    /// - Throws: ``IgniteError/Code/parameter`` when the conversion is not supported or would change the value.
    func converted(to code: TypeCode) throws -> IgniteValue {
        if typeCode == code || isNull { return self }
        func fail(_ why: String = "") -> IgniteError {
            IgniteError.parameter("cannot convert \(typeCode) to \(code)\(why.isEmpty ? "" : ": " + why)")
        }
        switch code {
        case .byte, .short, .int, .long, .char:
            guard let integer = integerValue else { throw fail() }
            guard let converted = IgniteValue.integer(integer, as: code) else { throw fail("\(integer) is out of range") }
            return converted
        case .float:
            guard case .double(let d) = self else { throw fail() }
            if d.isNaN { return .float(.nan) }
            guard let f = Float(exactly: d) else { throw fail("\(d) has no exact Float") }
            return .float(f)
        case .double:
            guard case .float(let f) = self else { throw fail() }
            return .double(Double(f))
        case .decimal:
            guard let integer = integerValue else { throw fail() }
            return .decimal(IgniteDecimal(unscaled: integer, scale: 0))
        case .string:
            guard case .char(let c) = self else { throw fail() }
            return .string(c.description)
        case .date:
            guard case .timestamp(let t) = self else { throw fail() }
            guard t.nanoseconds == 0 else { throw fail("the timestamp has \(t.nanoseconds) ns within its millisecond") }
            return .date(IgniteDate(millisecondsSinceEpoch: t.millisecondsSinceEpoch))
        case .timestamp:
            guard case .date(let d) = self else { throw fail() }
            return .timestamp(IgniteTimestamp(millisecondsSinceEpoch: d.millisecondsSinceEpoch))
        case .byteArray, .shortArray, .intArray, .longArray:
            guard let integers = integerArray else { throw fail() }
            var out: [IgniteValue] = []
            out.reserveCapacity(integers.count)
            switch code {
            case .byteArray:
                var bytes: [UInt8] = []
                bytes.reserveCapacity(integers.count)
                for i in integers {
                    guard let v = Int8(exactly: i) else { throw fail("element \(i) is out of range") }
                    bytes.append(UInt8(bitPattern: v))
                }
                return .byteArray(bytes)
            case .shortArray:
                return .shortArray(try integers.map { guard let v = Int16(exactly: $0) else { throw fail("element \($0) is out of range") }; return v })
            case .intArray:
                return .intArray(try integers.map { guard let v = Int32(exactly: $0) else { throw fail("element \($0) is out of range") }; return v })
            default:
                return .longArray(integers)
            }
        case .floatArray:
            guard case .doubleArray(let ds) = self else { throw fail() }
            return .floatArray(try ds.map { d in
                if d.isNaN { return .nan }
                guard let f = Float(exactly: d) else { throw fail("element \(d) has no exact Float") }
                return f
            })
        case .doubleArray:
            guard case .floatArray(let fs) = self else { throw fail() }
            return .doubleArray(fs.map(Double.init))
        case .collection:
            guard case .objectArray(let a) = self else { throw fail() }
            return .collection(IgniteCollection(a.elements))
        case .objectArray:
            guard case .collection(let c) = self else { throw fail() }
            return .objectArray(IgniteObjectArray(c.elements))
        default:
            throw fail()
        }
    }

    /// The value of an integer type (Byte, Short, Int, Long, Char), widened.
    var integerValue: Int64? {
        switch self {
        case .byte(let v): return Int64(v)
        case .short(let v): return Int64(v)
        case .int(let v): return Int64(v)
        case .long(let v): return v
        case .char(let c): return Int64(c.codeUnit)
        default: return nil
        }
    }

    /// The elements of an integer array type, widened.
    var integerArray: [Int64]? {
        switch self {
        case .byteArray(let v): return v.map { Int64(Int8(bitPattern: $0)) }
        case .shortArray(let v): return v.map(Int64.init)
        case .intArray(let v): return v.map(Int64.init)
        case .longArray(let v): return v
        default: return nil
        }
    }

    /// An integer as type `code`, or `nil` if it does not fit.
    static func integer(_ value: Int64, as code: TypeCode) -> IgniteValue? {
        switch code {
        case .byte: return Int8(exactly: value).map { .byte($0) }
        case .short: return Int16(exactly: value).map { .short($0) }
        case .int: return Int32(exactly: value).map { .int($0) }
        case .long: return .long(value)
        case .char: return UInt16(exactly: value).map { .char(JavaChar($0)) }
        default: return nil
        }
    }

    /// The elements of any array or collection type as values, or `nil` for a non-array.
    var elementValues: [IgniteValue]? {
        switch self {
        case .collection(let c): return c.elements
        case .objectArray(let a): return a.elements
        case .byteArray(let v): return v.map { .byte(Int8(bitPattern: $0)) }
        case .shortArray(let v): return v.map { .short($0) }
        case .intArray(let v): return v.map { .int($0) }
        case .longArray(let v): return v.map { .long($0) }
        case .floatArray(let v): return v.map { .float($0) }
        case .doubleArray(let v): return v.map { .double($0) }
        case .charArray(let v): return v.map { .char($0) }
        case .boolArray(let v): return v.map { .bool($0) }
        case .stringArray(let v): return v.map { $0.map { .string($0) } ?? .null }
        case .uuidArray(let v): return v.map { $0.map { .uuid($0) } ?? .null }
        case .dateArray(let v): return v.map { $0.map { .date($0) } ?? .null }
        case .timestampArray(let v): return v.map { $0.map { .timestamp($0) } ?? .null }
        case .timeArray(let v): return v.map { $0.map { .time($0) } ?? .null }
        case .decimalArray(let v): return v.map { $0.map { .decimal($0) } ?? .null }
        case .enumArray(let v): return v.elements.map { $0.map { .binaryEnum($0) } ?? .null }
        default: return nil
        }
    }
}
