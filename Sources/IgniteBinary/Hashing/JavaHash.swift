/// Java-compatible hashing used by the protocol: `String.hashCode`, type and field ids, and schema ids.
package enum JavaHash {
    /// Java's `String.hashCode()`: `s[0]*31^(n-1) + ... + s[n-1]` over UTF-16 code units, wrapping at 32 bits.
    @inlinable
    public static func string(_ value: String) -> Int32 {
        var h: Int32 = 0
        for unit in value.utf16 { h = h &* 31 &+ Int32(unit) }
        return h
    }

    /// The hash of the lower-cased name, as Java's `BinaryBasicIdMapper` computes type and field ids.
    ///
    /// Lower-casing is per UTF-16 code unit, like `Character.toLowerCase(char)`.
    @inlinable
    public static func lowerCaseString(_ value: String) -> Int32 {
        var h: Int32 = 0
        for unit in value.utf16 { h = h &* 31 &+ Int32(lowercaseCodeUnit(unit)) }
        return h
    }

    /// The type id of a type name (lower-cased Java hash).
    @inlinable
    public static func typeId(_ typeName: String) -> Int32 { lowerCaseString(typeName) }

    /// The field id of a field name (lower-cased Java hash).
    @inlinable
    public static func fieldId(_ fieldName: String) -> Int32 { lowerCaseString(fieldName) }

    /// The cache id of a cache name: the plain Java hash, not lower-cased.
    @inlinable
    public static func cacheId(_ cacheName: String) -> Int32 { string(cacheName) }

    /// The initial value of the FNV-1 schema id.
    public static let schemaInitialId: Int32 = Int32(bitPattern: 0x811C_9DC5)

    /// Folds one field id into an FNV-1 schema id, least significant byte first.
    @inlinable
    public static func updateSchemaId(_ schemaId: Int32, fieldId: Int32) -> Int32 {
        var id = UInt32(bitPattern: schemaId)
        var f = UInt32(bitPattern: fieldId)
        for _ in 0..<4 {
            id ^= f & 0xFF
            id = id &* 0x0100_0193
            f >>= 8
        }
        return Int32(bitPattern: id)
    }

    /// The schema id of an ordered list of field ids (FNV-1). An empty list gives 0, as pyignite writes.
    @inlinable
    public static func schemaId<S: Sequence>(_ fieldIds: S) -> Int32 where S.Element == Int32 {
        var id = schemaInitialId
        var any = false
        for fieldId in fieldIds {
            id = updateSchemaId(id, fieldId: fieldId)
            any = true
        }
        return any ? id : 0
    }

    /// Java's `Arrays.hashCode(byte[])`-style hash over signed bytes with seed 1, as `BinaryArrayIdentityResolver` uses.
    @inlinable
    public static func bytes<C: Collection>(_ bytes: C) -> Int32 where C.Element == UInt8 {
        var h: Int32 = 1
        for byte in bytes { h = h &* 31 &+ Int32(Int8(bitPattern: byte)) }
        return h
    }

    @inlinable
    static func lowercaseCodeUnit(_ unit: UInt16) -> UInt16 {
        if unit >= 0x41 && unit <= 0x5A { return unit + 32 }   // fast path for ASCII
        if unit < 0x80 { return unit }
        if unit >= 0xD800 && unit <= 0xDFFF { return unit }     // surrogates are unchanged by Character.toLowerCase(char)
        if unit == 0x130 { return 0x69 }                        // İ: Java's simple mapping gives 'i'
        guard let scalar = Unicode.Scalar(unit) else { return unit }
        let lowered = scalar.properties.lowercaseMapping.unicodeScalars
        // Character.toLowerCase(char) maps one char to one char; multi-char mappings keep the original.
        guard lowered.count == 1, let first = lowered.first, first.value <= 0xFFFF else { return unit }
        return UInt16(first.value)
    }
}
