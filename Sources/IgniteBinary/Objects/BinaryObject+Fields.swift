/// Lazy field access by name or id.
///
/// A full footer carries the field ids, so fields can be read without any metadata. A compact footer carries only
/// offsets: the i-th offset belongs to the i-th field id of the schema with the object's schema id, which comes from the
/// type metadata (``BinarySchemaResolver``). Reading never performs I/O: an unknown schema is an
/// ``IgniteError/Code/binaryType`` error that names the type and schema to fetch.
extension BinaryObject {
    /// One decoded field.
    public struct Field: Hashable, Sendable {
        /// The field name, when the type metadata is known.
        public var name: String?
        /// The field id.
        public var id: Int32
        /// The value.
        public var value: IgniteValue

        /// Creates a field.
        public init(name: String?, id: Int32, value: IgniteValue) {
            self.name = name
            self.id = id
            self.value = value
        }
    }

    /// The field ids in footer order.
    /// - Parameter schemas: Resolves the schema of a compact-footer object; ignored for a full footer.
    /// - Throws: ``IgniteError/Code/binaryType`` if the footer is compact and the schema is unknown or does not match.
    public func fieldIds(schemas: (any BinarySchemaResolver)?) throws -> [Int32] {
        if fieldCount == 0 { return [] }
        if let ids = footerFieldIds { return ids }
        guard let schemas else { throw missingSchemaError(nil) }
        return try compactSchema(schemas)
    }

    /// The footer position of the field with `id`, or `nil` if the object has no such field.
    /// - Throws: See ``fieldIds(schemas:)``.
    public func fieldIndex(id: Int32, schemas: (any BinarySchemaResolver)?) throws -> Int? {
        if fieldCount == 0 { return nil }
        guard hasCompactFooter else { return fullFooterIndex(of: id) }
        // Unwrapped once: every use of an optional existential copies it.
        guard let schemas else { throw missingSchemaError(nil) }
        return try compactSchema(schemas).firstIndex(of: id)
    }

    /// Decodes the field `name`, or returns `nil` if the object has no such field.
    /// - Parameters:
    ///   - name: The field name (its id is ``JavaHash/fieldId(_:)``).
    ///   - schemas: Resolves the schema of a compact-footer object.
    /// - Throws: ``IgniteError/Code/binaryType`` for an unknown schema, ``IgniteError/Code/parse`` for malformed bytes.
    public func field(_ name: String, schemas: (any BinarySchemaResolver)?) throws -> IgniteValue? {
        try field(id: JavaHash.asciiFastFieldId(name), schemas: schemas)
    }

    /// Decodes the field with `id`, or returns `nil` if the object has no such field.
    /// - Throws: See ``field(_:schemas:)``.
    public func field(id: Int32, schemas: (any BinarySchemaResolver)?) throws -> IgniteValue? {
        guard let index = try fieldIndex(id: id, schemas: schemas) else { return nil }
        var decodedBytes = 0
        return try value(atFieldIndex: index, decodedByteLimit: schemas?.decodedByteLimit, decodedBytes: &decodedBytes)
    }

    /// Decodes the field `name` straight into a Swift type, or returns `nil` if the object has no such field.
    /// - Parameters:
    ///   - name: The field name.
    ///   - type: The Swift type (see ``IgniteBinaryDecodable`` for what each type accepts).
    ///   - schemas: Resolves schemas of compact-footer objects (this one and nested ones).
    /// - Throws: See ``field(_:schemas:)``; ``IgniteError/Code/parse`` if the value does not fit `type`.
    public func field<T: IgniteBinaryDecodable>(_ name: String, as type: T.Type, schemas: (any BinarySchemaResolver)?) throws -> T? {
        guard let index = try fieldIndex(id: JavaHash.asciiFastFieldId(name), schemas: schemas) else { return nil }
        var reader = try fieldReader(at: index)
        if let limit = schemas?.decodedByteLimit { reader.decodedByteLimit = limit }
        do {
            return try T.decodeIgnite(from: &reader, schemas: schemas)
        } catch let error as IgniteError {
            throw IgniteError(error.code, "field '\(name)' of type \(typeId): \(error.message)", underlying: error.underlying)
        }
    }

    /// Decodes every field, in footer order, with names when `schemas` knows the type.
    /// - Throws: See ``field(_:schemas:)``.
    public func fields(schemas: (any BinarySchemaResolver)?) throws -> [Field] {
        let ids = try fieldIds(schemas: schemas)
        let type = schemas?.binaryType(typeId: typeId)
        var result: [Field] = []
        result.reserveCapacity(ids.count)
        // All fields count against one budget (the resolver's, else the default).
        var decodedBytes = 0
        let limit = schemas?.decodedByteLimit
        for (index, id) in ids.enumerated() {
            let name = type?.fields.first { $0.fieldId == id }?.name
            result.append(Field(name: name, id: id, value: try value(atFieldIndex: index, decodedByteLimit: limit, decodedBytes: &decodedBytes)))
        }
        return result
    }

    /// The object with its field ids resolved once, for reading several fields without resolving the schema each time.
    /// - Parameter schemas: Resolves the schema of a compact-footer object; also used for nested objects read with
    ///   ``ResolvedFields/value(_:as:)``.
    /// - Returns: The resolved view.
    /// - Throws: See ``fieldIds(schemas:)``.
    public func resolvedFields(schemas: (any BinarySchemaResolver)?) throws -> ResolvedFields {
        ResolvedFields(object: self, fieldIds: try fieldIds(schemas: schemas), schemas: schemas)
    }

    /// A ``BinaryObject`` whose field ids are resolved (see ``resolvedFields(schemas:)``).
    public struct ResolvedFields: Sendable {
        /// The object.
        public let object: BinaryObject
        /// The field ids in footer order.
        public let fieldIds: [Int32]
        let schemas: (any BinarySchemaResolver)?

        /// The footer position of field `name`, or `nil` if the object has none.
        public func index(of name: String) -> Int? {
            fieldIds.firstIndex(of: JavaHash.asciiFastFieldId(name))
        }

        /// Decodes the field `name`, or returns `nil` if the object has no such field.
        /// - Throws: ``IgniteError/Code/parse`` for malformed bytes.
        public func value(_ name: String) throws -> IgniteValue? {
            guard let index = index(of: name) else { return nil }
            var decodedBytes = 0
            return try object.value(atFieldIndex: index, decodedByteLimit: schemas?.decodedByteLimit, decodedBytes: &decodedBytes)
        }

        /// Decodes the field `name` straight into a Swift type, or returns `nil` if the object has no such field.
        /// - Throws: ``IgniteError/Code/parse`` if the value does not fit `type`; ``IgniteError/Code/binaryType`` for a
        ///   nested compact-footer object whose schema is unknown.
        public func value<T: IgniteBinaryDecodable>(_ name: String, as type: T.Type) throws -> T? {
            guard let index = index(of: name) else { return nil }
            var reader = try object.fieldReader(at: index)
            if let limit = schemas?.decodedByteLimit { reader.decodedByteLimit = limit }
            do {
                return try T.decodeIgnite(from: &reader, schemas: schemas)
            } catch let error as IgniteError {
                throw IgniteError(error.code, "field '\(name)' of type \(object.typeId): \(error.message)", underlying: error.underlying)
            }
        }
    }

    /// The type name, if `schemas` knows the type (or the object carries a class name).
    public func typeName(schemas: (any BinarySchemaResolver)?) -> String? {
        className ?? schemas?.binaryType(typeId: typeId)?.typeName
    }

    /// A reader positioned at the value of the field at footer position `index`, limited to the field data.
    /// - Throws: ``IgniteError/Code/parse`` if the index or the stored offset is out of range.
    public func fieldReader(at index: Int) throws -> BinaryReader {
        let offset = try fieldOffset(at: index)
        return BinaryReader(storage, position: start + offset, limit: start + (rawOffset ?? footerOffset))
    }

    /// The footer position of `id` in a full footer, scanning the footer in place.
    func fullFooterIndex(of id: Int32) -> Int? {
        let entry = 4 + offsetSize
        let base = start + footerOffset
        // Validated at init: every entry lies inside the object.
        return storage.withUnsafeBytes { raw -> Int? in
            for i in 0..<fieldCount where Int32(littleEndian: raw.loadUnaligned(fromByteOffset: base + i * entry, as: Int32.self)) == id {
                return i
            }
            return nil
        }
    }

    /// The schema of a compact-footer object from the resolver, checked against the footer.
    func compactSchema(_ schemas: any BinarySchemaResolver) throws -> [Int32] {
        guard let schema = schemas.schema(typeId: typeId, schemaId: schemaId) else {
            throw missingSchemaError(schemas)
        }
        guard schema.count == fieldCount else {
            throw IgniteError(.binaryType, "schema \(schemaId) of type \(typeDescription(schemas)) lists \(schema.count) field(s), the object has \(fieldCount)")
        }
        return schema
    }

    func missingSchemaError(_ schemas: (any BinarySchemaResolver)?) -> IgniteError {
        let known = schemas?.binaryType(typeId: typeId) != nil
        return IgniteError(.binaryType,
                           "object of type \(typeDescription(schemas)) has a compact footer and its schema \(schemaId) is not known"
                           + (known ? " (the type is known, but not this schema)" : "")
                           + "; fetch binary type \(typeId) (OP_GET_BINARY_TYPE) before reading its fields")
    }

    func typeDescription(_ schemas: (any BinarySchemaResolver)?) -> String {
        if let name = typeName(schemas: schemas) { return "'\(name)' (id \(typeId))" }
        return "\(typeId)"
    }
}
