import IgniteProtocol

/// What the server does to values between a put and a get (SERVER-BEHAVIOUR §6): it deserializes them into
/// Java objects and writes them back. Collections of user kinds become `ArrayList`/`HashSet`, `Enum` (28)
/// becomes `BinaryEnum` (38), `Enum[]` (29) becomes `Object[]` of binary enums, and wrapped data (27) is
/// unwrapped into the object it holds. Complex objects are kept byte for byte.
enum ServerValues {
    /// The value as the server holds it.
    static func canonical(_ value: IgniteValue) -> IgniteValue {
        switch value {
        case .enumValue(let e):
            return .binaryEnum(e)
        case .enumArray(let array):
            let elements: [IgniteValue] = array.elements.map { $0.map { .binaryEnum($0) } ?? .null }
            return .objectArray(IgniteObjectArray(elements, elementTypeId: -1))
        case .collection(let collection):
            var kind = collection.kind
            switch kind {
            case .userCollection: kind = .arrayList
            case .userSet: kind = .hashSet
            default: break
            }
            return .collection(IgniteCollection(collection.elements.map(canonical), kind: kind))
        case .objectArray(let array):
            return .objectArray(IgniteObjectArray(array.elements.map(canonical), elementTypeId: array.elementTypeId, className: array.className))
        case .map(let map):
            return .map(IgniteMap(map.entries.map { IgniteMapEntry(canonical($0.key), canonical($0.value)) }, kind: map.kind))
        default:
            return value
        }
    }

    /// The bytes that identify a key. Two complex-object keys are equal when their type ids and field data are
    /// equal, whatever their footers (Java's `BinaryArrayIdentityResolver`); other keys compare by their encoding,
    /// so Int 2 and Long 2 are different keys.
    static func keyIdentity(_ key: IgniteValue) -> [UInt8] {
        var writer = BinaryWriter(capacity: 32)
        if case .object(let object) = key {
            writer.writeInt8(TypeCode.complexObject.rawValue)
            writer.writeInt32(object.typeId)
            let lower = object.start + object.dataOffset
            let upper = object.start + object.footerOffset
            if lower <= upper, upper <= object.storage.count {
                writer.writeBytes(object.storage[lower..<upper])
            }
        } else {
            writer.writeValue(key)
        }
        return writer.bytes
    }
}

/// Writes values in the server direction: complex objects at any level outside another object are wrapped
/// in 27, and `Collections.singletonList` comes back as an opaque OptimizedMarshaller blob (−2) as a real node does.
enum ServerValueWriter {
    /// The eight bytes the real node's blob starts with (SERVER-BEHAVIOUR §6, *types.collection-singleton*).
    private static let singletonBlobPrefix: [UInt8] = [0x66, 0x9a, 0x54, 0xf4, 0xbf, 0x97, 0x9b, 0x04]

    static func write(_ value: IgniteValue, into writer: inout BinaryWriter) {
        switch value {
        case .object(let object):
            writer.writeInt8(TypeCode.wrapped.rawValue)
            writer.writeInt32(Int32(truncatingIfNeeded: object.length))
            writer.writeBytes(object.bytes)
            writer.writeInt32(0)
        case .collection(let collection) where collection.kind == .singletonList:
            var inner = BinaryWriter()
            inner.writeBytes(singletonBlobPrefix)
            if let first = collection.elements.first {
                var element = BinaryWriter()
                write(first, into: &element)
                inner.writeBytes(element.bytes.dropFirst())
            }
            writer.writeInt8(TypeCode.optimizedMarshaller.rawValue)
            writer.writeInt32(Int32(truncatingIfNeeded: inner.count))
            writer.writeBytes(inner.bytes)
        case .collection(let collection):
            writer.writeInt8(TypeCode.collection.rawValue)
            writer.writeInt32(Int32(truncatingIfNeeded: collection.elements.count))
            writer.writeInt8(collection.kind.rawValue)
            for element in collection.elements { write(element, into: &writer) }
        case .objectArray(let array):
            writer.writeInt8(TypeCode.objectArray.rawValue)
            writer.writeInt32(array.elementTypeId)
            if array.elementTypeId == 0 { writer.writeOptionalStringObject(array.className) }
            writer.writeInt32(Int32(truncatingIfNeeded: array.elements.count))
            for element in array.elements { write(element, into: &writer) }
        case .map(let map):
            writer.writeInt8(TypeCode.map.rawValue)
            writer.writeInt32(Int32(truncatingIfNeeded: map.entries.count))
            writer.writeInt8(map.kind.rawValue)
            for entry in map.entries {
                write(entry.key, into: &writer)
                write(entry.value, into: &writer)
            }
        default:
            writer.writeValue(value)
        }
    }

    /// The encoding of one value, server direction.
    static func bytes(_ value: IgniteValue) -> [UInt8] {
        var writer = BinaryWriter(capacity: 16)
        write(value, into: &writer)
        return writer.bytes
    }
}
