/// Where the affinity key of an encoded cache key is: the key itself, or one field of a complex-object key.
package enum AffinityKeyLocation: Hashable, Sendable {
    /// Hash the whole key (no affinity field is configured for its type, or the field is absent or null).
    case wholeKey
    /// Hash the encoded value that starts at this absolute offset in the key's buffer (the affinity field).
    case field(offset: Int)
    /// The field cannot be located (a compact-footer key whose schema the resolver does not know);
    /// the key should not be routed.
    case undetermined
}

/// Finds the affinity key of a cache key, the way the server does (`CacheDefaultBinaryAffinityKeyMapper`):
/// if the key is a complex object whose type id has an affinity field in the cache's key configuration, the key's
/// partition is computed from that field's value (when it is present and not null), otherwise from the whole key.
package enum AffinityKey {
    /// Locates the affinity key inside an encoded key.
    ///
    /// - Parameters:
    ///   - bytes: The buffer holding the encoded key (a full data object: type code + payload).
    ///   - offset: Where the key's type code is.
    ///   - keyConfigurations: The cache's key configurations (from OP_CACHE_PARTITIONS).
    ///   - schemaResolver: Resolves schemas of compact-footer keys; `nil` when none is available.
    /// - Returns: What to hash.
    /// - Throws: ``IgniteError/Code/parse`` if the key claims to be a complex object but its header or footer is malformed.
    public static func locate(inEncodedKey bytes: [UInt8], at offset: Int,
                              keyConfigurations: [CachePartitionsResponse.KeyConfiguration],
                              schemaResolver: (any BinarySchemaResolver)?) throws -> AffinityKeyLocation {
        guard !keyConfigurations.isEmpty, offset >= 0, offset < bytes.count,
              bytes[offset] == UInt8(bitPattern: TypeCode.complexObject.rawValue) else {
            return .wholeKey
        }
        let object = try BinaryObject(validating: bytes, start: offset)
        guard let fieldId = keyConfigurations.first(where: { $0.keyTypeId == object.typeId })?.affinityKeyFieldId else {
            return .wholeKey
        }
        let ids: [Int32]
        if let footerIds = object.footerFieldIds {
            ids = footerIds
        } else {
            guard let schema = schemaResolver?.schema(typeId: object.typeId, schemaId: object.schemaId),
                  schema.count == object.fieldCount else {
                return .undetermined
            }
            ids = schema
        }
        guard let index = ids.firstIndex(of: fieldId) else { return .wholeKey }
        let fieldStart = object.start + (try object.fieldOffset(at: index))
        guard fieldStart < bytes.count else { return .undetermined }
        if bytes[fieldStart] == UInt8(bitPattern: TypeCode.null.rawValue) { return .wholeKey }
        return .field(offset: fieldStart)
    }

    /// The value of the affinity field of a complex-object key, decoded.
    ///
    /// - Parameters:
    ///   - key: The key object.
    ///   - keyConfigurations: The cache's key configurations.
    ///   - schemaResolver: Resolves the schema of a compact-footer key; `nil` when none is available.
    /// - Returns: The field's value, or `nil` when the whole key is the affinity key (no field configured for the
    ///   key's type, or the field is absent or null).
    /// - Throws: ``IgniteError/Code/binaryType`` when the footer is compact and the schema is unknown;
    ///   ``IgniteError/Code/parse`` for malformed bytes.
    public static func affinityFieldValue(of key: BinaryObject,
                                          keyConfigurations: [CachePartitionsResponse.KeyConfiguration],
                                          schemaResolver: (any BinarySchemaResolver)?) throws -> IgniteValue? {
        guard let fieldId = keyConfigurations.first(where: { $0.keyTypeId == key.typeId })?.affinityKeyFieldId else {
            return nil
        }
        let schema = key.hasCompactFooter ? schemaResolver?.schema(typeId: key.typeId, schemaId: key.schemaId) : nil
        guard let value = try key.value(forFieldId: fieldId, schema: schema), value != .null else { return nil }
        return value
    }
}
