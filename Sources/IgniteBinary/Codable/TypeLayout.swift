import Foundation

/// What the Codable bridge knows about one Swift type: its binary type name and id, customisation, and the field
/// names/ids/type codes of the last object it encoded (a template that lets the next encode skip hashing names and
/// rebuilding the binary type metadata). Shared by all threads through ``TypeLayoutCache``.
final class TypeLayout: @unchecked Sendable {
    let typeName: String
    let typeId: Int32
    let fieldTypes: [String: TypeCode]
    let affinityKeyField: String?
    let compactFooter: Bool
    let tolerant: Bool

    /// The last encoded schema. Guarded by ``TypeLayoutCache``'s lock: read it with ``TypeLayoutCache/template(_:)``.
    @exclusivity(unchecked) var template = EncodeTemplate.empty
    /// Field names and ids in decode order, learned from the first decode. Guarded likewise.
    @exclusivity(unchecked) var decodeKeys = KeyTemplate.empty

    init(typeName: String, fieldTypes: [String: TypeCode], affinityKeyField: String?, compactFooter: Bool, tolerant: Bool) {
        self.typeName = typeName
        self.typeId = JavaHash.asciiFastTypeId(typeName)
        self.fieldTypes = fieldTypes
        self.affinityKeyField = affinityKeyField
        self.compactFooter = compactFooter
        self.tolerant = tolerant
    }
}

/// Field names with their ids, in order. Immutable and shared (copying one is a single retain).
final class KeyTemplate: Sendable {
    let names: [String]
    let ids: [Int32]

    static let empty = KeyTemplate(names: [], ids: [])

    init(names: [String], ids: [Int32]) {
        self.names = names
        self.ids = ids
    }
}

/// The schema and metadata of the last object encoded for a type. Immutable and shared.
final class EncodeTemplate: Sendable {
    let keys: KeyTemplate
    let codes: [Int32]
    let binaryType: BinaryType?

    static let empty = EncodeTemplate(keys: .empty, codes: [], binaryType: nil)

    init(keys: KeyTemplate, codes: [Int32], binaryType: BinaryType?) {
        self.keys = keys
        self.codes = codes
        self.binaryType = binaryType
    }
}

/// The process-wide cache of ``TypeLayout``s, by Swift type.
final class TypeLayoutCache: @unchecked Sendable {
    static let shared = TypeLayoutCache()

    // All guarded by `lock` (so no dynamic exclusivity checks on top).
    private let lock = NSLock()
    @exclusivity(unchecked) private var layouts: [ObjectIdentifier: TypeLayout] = [:]
    /// A direct-mapped cache in front of `layouts` (a hit costs a pointer comparison instead of a hash).
    @exclusivity(unchecked) private var recent = [(ObjectIdentifier, TypeLayout)?](repeating: nil, count: 64)

    /// The layout of `key` if cached; call with the lock held.
    private func cached(_ key: ObjectIdentifier) -> TypeLayout? {
        let slot = TypeDispatchCache.slot(key) & 63
        if let hit = recent[slot], hit.0 == key { return hit.1 }
        guard let layout = layouts[key] else { return nil }
        recent[slot] = (key, layout)
        return layout
    }

    /// The layout of `type`, created on first use.
    func layout(for type: Any.Type) -> TypeLayout {
        let key = ObjectIdentifier(type)
        lock.lock()
        if let layout = cached(key) {
            lock.unlock()
            return layout
        }
        lock.unlock()
        let layout = TypeLayoutCache.makeLayout(type)
        lock.lock()
        defer { lock.unlock() }
        if let existing = layouts[key] { return existing }
        layouts[key] = layout
        return layout
    }

    /// The layout and its current encode template, under one lock.
    func layoutAndTemplate(for type: Any.Type) -> (TypeLayout, EncodeTemplate) {
        let key = ObjectIdentifier(type)
        lock.lock()
        if let layout = cached(key) {
            let template = layout.template
            lock.unlock()
            return (layout, template)
        }
        lock.unlock()
        let layout = self.layout(for: type)
        return (layout, template(layout))
    }

    func template(_ layout: TypeLayout) -> EncodeTemplate {
        lock.lock()
        defer { lock.unlock() }
        return layout.template
    }

    func setTemplate(_ template: EncodeTemplate, of layout: TypeLayout) {
        lock.lock()
        defer { lock.unlock() }
        layout.template = template
    }

    /// The layout and its learned decode keys, under one lock.
    func layoutAndDecodeKeys(for type: Any.Type) -> (TypeLayout, KeyTemplate) {
        let key = ObjectIdentifier(type)
        lock.lock()
        if let layout = cached(key) {
            let keys = layout.decodeKeys
            lock.unlock()
            return (layout, keys)
        }
        lock.unlock()
        let layout = self.layout(for: type)
        return (layout, decodeKeys(layout))
    }

    func decodeKeys(_ layout: TypeLayout) -> KeyTemplate {
        lock.lock()
        defer { lock.unlock() }
        return layout.decodeKeys
    }

    func setDecodeKeys(_ keys: KeyTemplate, of layout: TypeLayout) {
        lock.lock()
        defer { lock.unlock() }
        layout.decodeKeys = keys
    }

    private static func makeLayout(_ type: Any.Type) -> TypeLayout {
        if let object = type as? any IgniteObjectCodable.Type {
            return TypeLayout(typeName: object.igniteTypeName, fieldTypes: object.igniteFieldTypes,
                              affinityKeyField: object.igniteAffinityKeyField, compactFooter: object.igniteCompactFooter,
                              tolerant: object.igniteTolerantDecoding)
        }
        return TypeLayout(typeName: String(describing: type), fieldTypes: [:], affinityKeyField: nil, compactFooter: true, tolerant: false)
    }
}

/// The type code a value of the static type `type` is written with when nothing else is known (for a `nil` optional):
/// used to record the field type of null fields in binary type metadata.
func staticTypeCode(of type: Any.Type) -> TypeCode? {
    if let encodable = type as? any IgniteBinaryEncodable.Type, let code = encodable.igniteTypeCode { return code }
    if let wrapper = type as? any OptionalBridge.Type { return staticTypeCode(of: wrapper.wrappedType) }
    if let raw = type as? any RawRepresentable.Type { return staticTypeCode(of: rawValueType(raw)) }
    if type is any CodableDictionaryBridge.Type { return .map }
    if type is any CodableSequenceBridge.Type { return .collection }
    if type is any IgniteBinaryEncodable.Type { return nil }   // depends on the value (IgniteValue)
    if type == UInt8.self { return .short }
    if type == UInt16.self { return .int }
    if type is any UnsignedInteger.Type { return .long }
    return .complexObject
}

private func rawValueType<R: RawRepresentable>(_: R.Type) -> Any.Type { R.RawValue.self }

/// Gives the wrapped type of an `Optional` at run time.
protocol OptionalBridge {
    static var wrappedType: Any.Type { get }
    var isNil: Bool { get }
}

extension Optional: OptionalBridge {
    static var wrappedType: Any.Type { Wrapped.self }
    var isNil: Bool { self == nil }
}
