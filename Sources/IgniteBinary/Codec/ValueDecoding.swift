import Foundation

/// Limits that keep hostile input from exhausting the stack or memory.
///
/// **Decoded size.** A decoded value takes more memory than its bytes: every element of a collection is an
/// ``IgniteValue`` of `MemoryLayout<IgniteValue>.stride` bytes (40 on 64-bit platforms), so a collection of one-byte
/// nulls takes 40 times its encoded size, and handles (102) let a few bytes stand for a copy of anything before them.
/// Each ``BinaryReader`` therefore counts what it decodes (``BinaryReader/decodedBytes``) against a budget
/// (``BinaryReader/decodedByteLimit``), by default ``decodedByteBudget(forInputOf:)``: 64 MiB plus 8 bytes per
/// input byte. One response is read with one reader, so the budget covers the whole response; decoding fails with
/// ``IgniteError/Code/parse`` *before* allocating past it. Real data stay far below: a collection of Java `int`s
/// takes 8 bytes per input byte, strings and arrays about 1. Claimed counts are charged before anything is reserved,
/// so a reply cannot make the client reserve memory its bytes cannot fill.
public enum DecodingLimits {
    /// The deepest nesting of collections, maps, arrays and handles the decoder follows.
    public static let maximumDepth = 100
    /// The most bytes one value may re-read through handles (102) to values other than complex objects
    /// (which share the buffer and cost nothing). Handles let a few bytes describe an exponentially large value
    /// ("billion laughs"). Java shares the referenced instance; within one value the decoder shares it too
    /// (copy-on-write: later handles to the same place cost no memory and no decoding), but every handle counts here
    /// with the size it stands for, so that no decoded value is logically larger than its bytes plus this limit (whoever
    /// walks, hashes or re-encodes it does work in proportion to that size).
    public static let maximumHandleExpansion = 16 << 20
    /// The decoded-size allowance every response gets regardless of its size.
    public static let decodedBytesBase = 64 << 20
    /// The decoded-size allowance per byte of input, on top of ``decodedBytesBase``.
    public static let decodedBytesPerInputByte = 8

    /// The default decoded-size budget of a reader over `count` bytes: ``decodedBytesBase`` +
    /// ``decodedBytesPerInputByte`` × `count`.
    @inlinable
    public static func decodedByteBudget(forInputOf count: Int) -> Int {
        let (perByte, overflow) = Swift.max(count, 0).multipliedReportingOverflow(by: decodedBytesPerInputByte)
        return overflow ? Int.max : perByte.addingReportingOverflow(decodedBytesBase).partialValue
    }
}

/// State carried through one decode: nesting depth, the positions being decoded (so that a handle pointing
/// into its own container is reported instead of looping), the bytes re-read through handles so far, and the values
/// handles already resolved to (by target position, with the bytes each stands for), which later handles to the same
/// target share.
struct DecodingContext {
    var depth = 0
    var active: [Int] = []
    var expandedBytes = 0
    var resolved: [Int: (value: IgniteValue, length: Int)] = [:]

    /// Counts `length` bytes re-read through the handle at `start`.
    mutating func expand(by length: Int, at start: Int) throws {
        expandedBytes += length
        guard expandedBytes <= DecodingLimits.maximumHandleExpansion else {
            throw IgniteError.parse("handles at offset \(start) expand to more than \(DecodingLimits.maximumHandleExpansion) bytes")
        }
    }
}

extension BinaryReader {
    /// Reads one full data object (type code + payload).
    ///
    /// Handles (102) are resolved against this reader's buffer; wrapped data (27) decodes to its root value.
    /// - Throws: ``IgniteError/Code/parse`` for truncated or malformed input, unknown or Java-only type codes,
    ///   hostile lengths, handles that point outside the input or into their own container, and nesting deeper
    ///   than ``DecodingLimits/maximumDepth``.
    public mutating func readValue() throws -> IgniteValue {
        var context = DecodingContext()
        return try readValue(context: &context)
    }

    /// Reads a typed string data object or null.
    public mutating func readOptionalStringObject() throws -> String? {
        let code = try readInt8()
        switch code {
        case TypeCode.null.rawValue: return nil
        case TypeCode.string.rawValue: return try readStringPayload()
        default: throw IgniteError.parse("expected a String (9) or null at offset \(position - 1), found type code \(code)")
        }
    }

    /// Reads a typed string data object; null is an error.
    public mutating func readStringObject() throws -> String {
        guard let value = try readOptionalStringObject() else {
            throw IgniteError.parse("unexpected null string at offset \(position - 1)")
        }
        return value
    }

    /// Reads a UUID payload (two little-endian longs).
    public mutating func readUUIDPayload() throws -> UUID {
        let msb = try readInt64()
        let lsb = try readInt64()
        return UUID(igniteMSB: msb, lsb: lsb)
    }

    /// Reads a typed UUID data object (10).
    public mutating func readUUIDObject() throws -> UUID {
        let code = try readInt8()
        guard code == TypeCode.uuid.rawValue else {
            throw IgniteError.parse("expected a UUID (10) at offset \(position - 1), found type code \(code)")
        }
        return try readUUIDPayload()
    }

    /// Reads a decimal payload (scale, length, magnitude).
    public mutating func readDecimalPayload() throws -> IgniteDecimal {
        let scale = try readInt32()
        let countRaw = try readInt32()
        let count = try checkCount(countRaw, elementSize: 1)
        return IgniteDecimal(javaMagnitudeBytes: try readBytes(count), scale: scale)
    }

    mutating func readValue(context: inout DecodingContext) throws -> IgniteValue {
        let start = position
        let raw = try readInt8()
        guard let code = TypeCode(rawValue: raw) else {
            throw IgniteError.parse("unknown type code \(raw) at offset \(start)")
        }
        switch code {
        case .null: return .null
        case .byte: return .byte(try readInt8())
        case .short: return .short(try readInt16())
        case .int: return .int(try readInt32())
        case .long: return .long(try readInt64())
        case .float: return .float(try readFloat())
        case .double: return .double(try readDouble())
        case .char: return .char(JavaChar(try readUInt16()))
        case .bool: return .bool(try readBool())
        case .string: return .string(try readStringPayload())
        case .uuid: return .uuid(try readUUIDPayload())
        case .date: return .date(IgniteDate(millisecondsSinceEpoch: try readInt64()))
        case .timestamp:
            let ms = try readInt64()
            return .timestamp(IgniteTimestamp(millisecondsSinceEpoch: ms, nanoseconds: try readInt32()))
        case .time: return .time(IgniteTime(milliseconds: try readInt64()))
        case .decimal: return .decimal(try readDecimalPayload())
        case .byteArray:
            let nRaw = try readInt32()
            let n = try checkCount(nRaw, elementSize: 1)
            return .byteArray(try readBytes(n))
        case .shortArray: return .shortArray(try readPrimitiveArray { try $0.readInt16() })
        case .intArray: return .intArray(try readPrimitiveArray { try $0.readInt32() })
        case .longArray: return .longArray(try readPrimitiveArray { try $0.readInt64() })
        case .floatArray: return .floatArray(try readPrimitiveArray { try $0.readFloat() })
        case .doubleArray: return .doubleArray(try readPrimitiveArray { try $0.readDouble() })
        case .charArray: return .charArray(try readPrimitiveArray { JavaChar(try $0.readUInt16()) })
        case .boolArray: return .boolArray(try readPrimitiveArray { try $0.readBool() })
        case .stringArray:
            return .stringArray(try readNullableArray(context: &context) { value in
                if case .string(let s) = value { return s }
                return nil
            })
        case .uuidArray:
            return .uuidArray(try readNullableArray(context: &context) { if case .uuid(let v) = $0 { return v }; return nil })
        case .dateArray:
            return .dateArray(try readNullableArray(context: &context) { if case .date(let v) = $0 { return v }; return nil })
        case .timestampArray:
            return .timestampArray(try readNullableArray(context: &context) { if case .timestamp(let v) = $0 { return v }; return nil })
        case .timeArray:
            return .timeArray(try readNullableArray(context: &context) { if case .time(let v) = $0 { return v }; return nil })
        case .decimalArray:
            return .decimalArray(try readNullableArray(context: &context) { if case .decimal(let v) = $0 { return v }; return nil })
        case .enumArray:
            let typeId = try readInt32()
            let className = typeId == 0 ? try readOptionalStringObject() : nil
            var elementCode: TypeCode?
            let elements: [IgniteEnum?] = try readNullableArray(context: &context) { value in
                switch value {
                case .enumValue(let e):
                    elementCode = elementCode ?? .enumValue
                    return e
                case .binaryEnum(let e):
                    elementCode = elementCode ?? .binaryEnum
                    return e
                default: return nil
                }
            }
            return .enumArray(IgniteEnumArray(elements, elementTypeId: typeId, className: className,
                                              elementTypeCode: elementCode ?? .binaryEnum))
        case .objectArray:
            let typeId = try readInt32()
            let className = typeId == 0 ? try readOptionalStringObject() : nil
            let elements = try readElements(count: try readInt32(), start: start, context: &context)
            return .objectArray(IgniteObjectArray(elements, elementTypeId: typeId, className: className))
        case .collection:
            let count = try readInt32()
            let kindRaw = try readInt8()
            guard let kind = CollectionKind(rawValue: kindRaw) else {
                throw IgniteError.parse("unknown collection kind \(kindRaw) at offset \(position - 1)")
            }
            return .collection(IgniteCollection(try readElements(count: count, start: start, context: &context), kind: kind))
        case .map:
            let countRaw = try readInt32()
            let count = try checkCount(countRaw, elementSize: 2)
            let kindRaw = try readInt8()
            guard let kind = MapKind(rawValue: kindRaw) else {
                throw IgniteError.parse("unknown map kind \(kindRaw) at offset \(position - 1)")
            }
            try enter(start, &context)
            defer { leave(&context) }
            try chargeDecoded(count, of: IgniteMapEntry.self)
            var entries: [IgniteMapEntry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let key = try readValue(context: &context)
                let value = try readValue(context: &context)
                entries.append(IgniteMapEntry(key, value))
            }
            return .map(IgniteMap(entries, kind: kind))
        case .enumValue:
            return .enumValue(try readEnumPayload())
        case .binaryEnum:
            return .binaryEnum(try readEnumPayload())
        case .complexObject:
            try chargeDecoded(bytes: MemoryLayout<BinaryObject>.size)  // the box of the indirect case
            let object = try BinaryObject(validating: buffer, start: start, limit: limit)
            position = start + object.length
            return .object(object)
        case .wrapped:
            let lengthRaw = try readInt32()
            let length = try checkCount(lengthRaw, elementSize: 1)
            let inner = try readBytes(length)
            let offset = Int(try readInt32())
            guard offset >= 0, offset < length else {
                throw IgniteError.parse("wrapped data root offset \(offset) is outside its \(length) byte(s)")
            }
            guard context.depth < DecodingLimits.maximumDepth else {
                throw IgniteError.parse("nesting deeper than \(DecodingLimits.maximumDepth) levels at offset \(start)")
            }
            // The wrapped bytes are a buffer of their own: handles inside resolve against it.
            var innerContext = DecodingContext(depth: context.depth + 1, active: [], expandedBytes: context.expandedBytes)
            var innerReader = BinaryReader(inner, position: offset)
            innerReader.decodedBytes = decodedBytes
            innerReader.decodedByteLimit = decodedByteLimit
            defer {
                context.expandedBytes = innerContext.expandedBytes
                adoptBudget(of: innerReader)
            }
            return try innerReader.readValue(context: &innerContext)
        case .handle:
            let back = try readInt32()
            let target = start - Int(back)
            guard back > 0, target >= 0 else {
                throw IgniteError.parse("handle at offset \(start) points to \(target), outside the object graph")
            }
            if context.active.contains(target), (try? peekUInt8(at: target)) != UInt8(bitPattern: TypeCode.complexObject.rawValue) {
                throw IgniteError.parse("handle at offset \(start) refers to its own enclosing container at offset \(target)")
            }
            if let shared = context.resolved[target] {  // copy-on-write: shares the first resolution's memory
                try context.expand(by: shared.length, at: start)  // but counts the size it stands for
                return shared.value
            }
            let expandedBefore = context.expandedBytes
            var targetReader = budgetedReader(at: target)
            try enter(start, &context)
            defer {
                leave(&context)
                adoptBudget(of: targetReader)
            }
            let value = try targetReader.readValue(context: &context)
            if case .object = value { return value }  // shares the buffer: nothing was copied
            let length = targetReader.position - target
            try context.expand(by: length, at: start)
            // What a later handle to the same target stands for: these bytes and everything their handles re-read.
            context.resolved[target] = (value, context.expandedBytes - expandedBefore)
            return value
        case .javaClass, .proxy, .platformJavaObjectFactoryProxy, .optimizedMarshaller:
            throw IgniteError.parse("type code \(code) at offset \(start) is Java-only and cannot be decoded by a thin client")
        }
    }

    private func enter(_ start: Int, _ context: inout DecodingContext) throws {
        guard context.depth < DecodingLimits.maximumDepth else {
            throw IgniteError.parse("nesting deeper than \(DecodingLimits.maximumDepth) levels at offset \(start)")
        }
        context.depth += 1
        context.active.append(start)
    }

    private func leave(_ context: inout DecodingContext) {
        context.depth -= 1
        context.active.removeLast()
    }

    private mutating func readPrimitiveArray<T>(_ read: (inout BinaryReader) throws -> T) throws -> [T] {
        let nRaw = try readInt32()
        let n = try checkCount(nRaw, elementSize: Swift.max(1, MemoryLayout<T>.size))
        try chargeDecoded(n, of: T.self)
        var result: [T] = []
        result.reserveCapacity(n)
        for _ in 0..<n { result.append(try read(&self)) }
        return result
    }

    private mutating func readElements(count: Int32, start: Int, context: inout DecodingContext) throws -> [IgniteValue] {
        let n = try checkCount(count, elementSize: 1)
        try enter(start, &context)
        defer { leave(&context) }
        try chargeDecoded(n, of: IgniteValue.self)
        var result: [IgniteValue] = []
        result.reserveCapacity(n)
        for _ in 0..<n { result.append(try readValue(context: &context)) }
        return result
    }

    private mutating func readNullableArray<T>(context: inout DecodingContext, _ extract: (IgniteValue) -> T?) throws -> [T?] {
        let start = position - 1
        let nRaw = try readInt32()
        let n = try checkCount(nRaw, elementSize: 1)
        try enter(start, &context)
        defer { leave(&context) }
        try chargeDecoded(n, of: T?.self)
        var result: [T?] = []
        result.reserveCapacity(n)
        for _ in 0..<n {
            let elementStart = position
            let value = try readValue(context: &context)
            if value.isNull {
                result.append(nil)
            } else if let element = extract(value) {
                result.append(element)
            } else {
                throw IgniteError.parse("array element at offset \(elementStart) has the wrong type \(value.typeCode)")
            }
        }
        return result
    }

    private mutating func readEnumPayload() throws -> IgniteEnum {
        let typeId = try readInt32()
        let className = typeId == 0 ? try readOptionalStringObject() : nil
        return IgniteEnum(typeId: typeId, ordinal: try readInt32(), className: className)
    }
}
