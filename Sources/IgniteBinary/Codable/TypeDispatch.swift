import Foundation

/// How the Codable bridge writes one Swift type, worked out once per type.
///
/// Finding out whether a generic `T` is ``IgniteBinaryEncodable`` (and so on) is a dynamic cast that costs about a
/// thousand instructions; the answer never changes for a type, so it is cached here together with a function that
/// calls the right conformance on a pointer to the value.
final class EncodeDispatch: @unchecked Sendable {
    enum Kind {
        /// `encode(to:)` through ``ValueEncoder`` (nested structs, ``IgniteObjectCodable`` types in place).
        case composite
        /// `write` is set.
        case direct
    }

    let kind: Kind
    /// Writes the value stored at the pointer (which points to a value of the dispatched type).
    let write: ((UnsafeRawPointer, EncodingState, CodingPathContext) throws -> Void)?
    /// The type code recorded for a `nil` of this type (see `staticTypeCode(of:)`).
    var staticCode: TypeCode?

    init(kind: Kind, write: ((UnsafeRawPointer, EncodingState, CodingPathContext) throws -> Void)? = nil) {
        self.kind = kind
        self.write = write
    }

    static func make<T>(_ type: T.Type) -> EncodeDispatch {
        let dispatch: EncodeDispatch
        if type is any IgniteObjectCodable.Type {
            dispatch = EncodeDispatch(kind: .composite)
        } else if let typed = type as? any IgniteBinaryEncodable.Type {
            dispatch = typedWriter(typed)
        } else if let sequence = type as? any CodableSequenceBridge.Type {
            dispatch = sequenceWriter(sequence)
        } else if let dictionary = type as? any CodableDictionaryBridge.Type {
            dispatch = dictionaryWriter(dictionary)
        } else {
            dispatch = EncodeDispatch(kind: .composite)
        }
        dispatch.staticCode = staticTypeCode(of: type)
        return dispatch
    }

    private static func typedWriter<U: IgniteBinaryEncodable>(_: U.Type) -> EncodeDispatch {
        EncodeDispatch(kind: .direct) { pointer, state, _ in
            try pointer.assumingMemoryBound(to: U.self).pointee.encodeIgnite(into: &state.writer, types: &state.types)
        }
    }

    private static func sequenceWriter<U: CodableSequenceBridge>(_: U.Type) -> EncodeDispatch {
        EncodeDispatch(kind: .direct) { pointer, state, path in
            try pointer.assumingMemoryBound(to: U.self).pointee.encodeIgniteElements(state, path: path)
        }
    }

    private static func dictionaryWriter<U: CodableDictionaryBridge>(_: U.Type) -> EncodeDispatch {
        EncodeDispatch(kind: .direct) { pointer, state, path in
            try pointer.assumingMemoryBound(to: U.self).pointee.encodeIgniteEntries(state, path: path)
        }
    }
}

/// How the Codable bridge reads one Swift type, worked out once per type (see ``EncodeDispatch``).
/// The read functions initialize the memory at the output pointer with a value of the dispatched type.
final class DecodeDispatch: @unchecked Sendable {
    enum Kind {
        /// `init(from:)` through ``ValueDecoder``.
        case composite
        /// ``IgniteBinaryDecodable``: `fromReader` and `fromValue` are set.
        case typed
        /// Unsigned integers, arrays/sets and dictionaries of `Decodable` elements: `fromState` is set.
        case bridged
    }

    let kind: Kind
    /// The type code the type reads natively (to convert back from a field type override).
    let nativeCode: TypeCode?
    let fromReader: ((inout BinaryReader, DecodingState, UnsafeMutableRawPointer) throws -> Void)?
    let fromValue: ((IgniteValue, DecodingState, UnsafeMutableRawPointer) throws -> Void)?
    let fromState: ((IgniteValue, DecodingState, CodingPathContext, UnsafeMutableRawPointer) throws -> Void)?

    init(kind: Kind, nativeCode: TypeCode? = nil,
         fromReader: ((inout BinaryReader, DecodingState, UnsafeMutableRawPointer) throws -> Void)? = nil,
         fromValue: ((IgniteValue, DecodingState, UnsafeMutableRawPointer) throws -> Void)? = nil,
         fromState: ((IgniteValue, DecodingState, CodingPathContext, UnsafeMutableRawPointer) throws -> Void)? = nil) {
        self.kind = kind
        self.nativeCode = nativeCode
        self.fromReader = fromReader
        self.fromValue = fromValue
        self.fromState = fromState
    }

    static func make<T>(_ type: T.Type) -> DecodeDispatch {
        if type is any IgniteObjectCodable.Type { return DecodeDispatch(kind: .composite) }
        // Arrays and optionals of objects decode their elements within the current decode, which remembers the
        // objects it decoded: Java writes shared references as handles (see IgniteBinaryDecoder).
        if let optional = type as? any (OptionalBridge & DecodableOptionalBridge).Type, sharesDecodingState(optional.wrappedType) {
            return optionalReader(optional)
        }
        if let sequence = type as? any DecodableSequenceBridge.Type, sharesDecodingState(sequence.decodableElementType) {
            return sequenceReader(sequence)
        }
        if let typed = type as? any IgniteBinaryDecodable.Type { return typedReader(typed, nativeCode: staticTypeCode(of: type)) }
        if let unsigned = type as? any (UnsignedInteger & Decodable).Type { return unsignedReader(unsigned) }
        if let sequence = type as? any DecodableSequenceBridge.Type { return sequenceReader(sequence) }
        if let dictionary = type as? any DecodableDictionaryBridge.Type { return dictionaryReader(dictionary) }
        return DecodeDispatch(kind: .composite)
    }

    private static func typedReader<U: IgniteBinaryDecodable>(_: U.Type, nativeCode: TypeCode?) -> DecodeDispatch {
        DecodeDispatch(kind: .typed, nativeCode: nativeCode, fromReader: { reader, state, out in
            out.initializeMemory(as: U.self, to: try U.decodeIgnite(from: &reader, schemas: state.schemas))
        }, fromValue: { value, state, out in
            out.initializeMemory(as: U.self, to: try U(igniteValue: value, schemas: state.schemas))
        })
    }

    private static func unsignedReader<U: UnsignedInteger & Decodable>(_: U.Type) -> DecodeDispatch {
        DecodeDispatch(kind: .bridged, fromState: { value, state, _, out in
            out.initializeMemory(as: U.self, to: try state.decodeUnsigned(U.self, from: value))
        })
    }

    private static func sequenceReader<U: DecodableSequenceBridge>(_: U.Type) -> DecodeDispatch {
        DecodeDispatch(kind: .bridged, fromState: { value, state, path, out in
            guard let elements = value.elementValues else { throw value.typeMismatch("\(U.self)") }
            out.initializeMemory(as: U.self, to: try U.decodeIgniteElements(elements, state, path: path))
        })
    }

    private static func optionalReader<U: DecodableOptionalBridge>(_: U.Type) -> DecodeDispatch {
        DecodeDispatch(kind: .bridged, fromState: { value, state, path, out in
            out.initializeMemory(as: U.self, to: try U.decodeIgniteOptional(value, state, path: path))
        })
    }

    private static func dictionaryReader<U: DecodableDictionaryBridge>(_: U.Type) -> DecodeDispatch {
        DecodeDispatch(kind: .bridged, fromState: { value, state, path, out in
            guard case .map(let map) = value else { throw value.typeMismatch("\(U.self)") }
            out.initializeMemory(as: U.self, to: try U.decodeIgniteEntries(map, state, path: path))
        })
    }
}

/// The process-wide cache of dispatch decisions, by Swift type.
final class TypeDispatchCache: @unchecked Sendable {
    static let shared = TypeDispatchCache()

    // All guarded by `lock` (so no dynamic exclusivity checks on top).
    private let lock = NSLock()
    @exclusivity(unchecked) private var encoders: [ObjectIdentifier: EncodeDispatch] = [:]
    @exclusivity(unchecked) private var decoders: [ObjectIdentifier: DecodeDispatch] = [:]
    /// Direct-mapped caches in front of the dictionaries: a hit costs a pointer comparison instead of a hash.
    @exclusivity(unchecked) private var recentEncoders = [(ObjectIdentifier, EncodeDispatch)?](repeating: nil, count: 128)
    @exclusivity(unchecked) private var recentDecoders = [(ObjectIdentifier, DecodeDispatch)?](repeating: nil, count: 128)

    static func slot(_ key: ObjectIdentifier) -> Int {
        let bits = UInt(bitPattern: key)
        return Int(truncatingIfNeeded: (bits >> 4) ^ (bits >> 11)) & 127
    }

    func encoder<T>(for type: T.Type) -> EncodeDispatch {
        let key = ObjectIdentifier(type)
        let slot = TypeDispatchCache.slot(key)
        lock.lock()
        if let recent = recentEncoders[slot], recent.0 == key {
            lock.unlock()
            return recent.1
        }
        if let found = encoders[key] {
            recentEncoders[slot] = (key, found)
            lock.unlock()
            return found
        }
        lock.unlock()
        let made = EncodeDispatch.make(type)
        lock.lock()
        defer { lock.unlock() }
        if let found = encoders[key] { return found }
        encoders[key] = made
        return made
    }

    func decoder<T>(for type: T.Type) -> DecodeDispatch {
        let key = ObjectIdentifier(type)
        let slot = TypeDispatchCache.slot(key)
        lock.lock()
        if let recent = recentDecoders[slot], recent.0 == key {
            lock.unlock()
            return recent.1
        }
        if let found = decoders[key] {
            recentDecoders[slot] = (key, found)
            lock.unlock()
            return found
        }
        lock.unlock()
        let made = DecodeDispatch.make(type)
        lock.lock()
        defer { lock.unlock() }
        if let found = decoders[key] { return found }
        decoders[key] = made
        return made
    }
}

/// Runs `read`, which initializes a value of `T` at the pointer it is given, and returns that value.
/// (Plain allocation: `withUnsafeTemporaryAllocation` instantiates `Result<T, Error>` metadata on every unspecialized call.)
@inline(__always)
func produce<T>(_: T.Type, _ read: (UnsafeMutableRawPointer) throws -> Void) throws -> T {
    let storage = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(MemoryLayout<T>.size, 1), alignment: MemoryLayout<T>.alignment)
    defer { storage.deallocate() }
    try read(storage)
    return storage.assumingMemoryBound(to: T.self).move()
}
