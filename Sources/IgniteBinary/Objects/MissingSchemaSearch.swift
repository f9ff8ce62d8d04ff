extension IgniteValue {
    /// The type ids of the compact-footer objects in this value whose schema `schemas` does not know: the value itself,
    /// the fields of its objects, and everything inside arrays, collections, maps, wrapped data and handles, at any depth
    /// (up to ``DecodingLimits/maximumDepth``).
    ///
    /// A compact footer holds no field ids, so such an object cannot be read by field name until its type's schema
    /// was fetched (OP_GET_BINARY_TYPE). This lists what to fetch.
    ///
    /// The search reads the bytes in place and visits every object and container once, however many handles refer
    /// to it: Java writes shared references as handles, so an object graph may refer to one object from everywhere,
    /// and a search that followed each reference would take time exponential in the depth. It takes time linear in
    /// the bytes of the value (at most four steps per byte). Malformed bytes end the search of the part they are in;
    /// it never throws.
    /// - Parameter schemas: The schemas known so far.
    /// - Returns: The type ids with an unknown schema (empty when everything is known).
    package func typeIdsMissingSchemas(in schemas: any BinarySchemaResolver) -> Set<Int32> {
        var search = MissingSchemaSearch(schemas: schemas)
        search.walk(self, depth: 0)
        return search.missing
    }
}

/// The search behind ``IgniteValue/typeIdsMissingSchemas(in:)``: a walk over the decoded value, and over the bytes of
/// every object in it, that remembers where it has been.
struct MissingSchemaSearch {
    /// A position in one buffer (identified by its base address; the value being searched keeps it alive).
    struct Place: Hashable {
        var buffer: UInt
        var position: Int
    }

    let schemas: any BinarySchemaResolver
    private(set) var missing: Set<Int32> = []
    /// Composite values already searched, with where they end (-1: malformed, -2: being searched).
    private var visited: [Place: Int] = [:]
    private var buffers: Set<UInt> = []
    private var steps = 0
    private var allowance = 4096

    init(schemas: any BinarySchemaResolver) {
        self.schemas = schemas
    }

    /// How many values the search has looked at (for tests: linear in the input).
    var stepCount: Int { steps }

    /// Searches a decoded value.
    mutating func walk(_ value: IgniteValue, depth: Int) {
        guard depth < DecodingLimits.maximumDepth else { return }
        switch value {
        case .object(let object):
            let id = enter(object.storage)
            let place = Place(buffer: id, position: object.start)
            guard visited[place] == nil else { return }
            visited[place] = -2
            visited[place] = searchFields(of: object, buffer: id, base: 0, depth: depth) ?? -1
        case .objectArray(let array):
            for element in array.elements where step() { walk(element, depth: depth + 1) }
        case .collection(let collection):
            for element in collection.elements where step() { walk(element, depth: depth + 1) }
        case .map(let map):
            for entry in map.entries where step() {
                walk(entry.key, depth: depth + 1)
                walk(entry.value, depth: depth + 1)
            }
        default:
            break
        }
    }

    /// Counts one step; `false` once the allowance is used up.
    private mutating func step() -> Bool {
        steps += 1
        return steps <= allowance
    }

    /// The identity of a buffer; the first sight of a buffer grows the step allowance by four steps per byte.
    private mutating func enter(_ buffer: [UInt8]) -> UInt {
        let id = buffer.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
        if buffers.insert(id).inserted { allowance += 4 * buffer.count }
        return id
    }

    private mutating func note(_ object: BinaryObject) {
        if object.hasCompactFooter, object.fieldCount > 0, schemas.schema(typeId: object.typeId, schemaId: object.schemaId) == nil {
            missing.insert(object.typeId)
        }
    }

    /// Searches the fields of a validated object; returns where it ends.
    private mutating func searchFields(of object: BinaryObject, buffer id: UInt, base: Int, depth: Int) -> Int? {
        note(object)
        let dataEnd = object.start + (object.rawOffset ?? object.footerOffset)
        for index in 0..<object.fieldCount {
            guard let offset = try? object.fieldOffset(at: index) else { continue }
            _ = search(object.storage, id, at: object.start + offset, base: base, limit: dataEnd, depth: depth + 1)
        }
        return object.start + object.length
    }

    /// Searches the value at `position` of `bytes` (handles may point back to `base`, reads stop at `limit`);
    /// returns where the value ends, or `nil` if it is malformed or the search stops.
    private mutating func search(_ bytes: [UInt8], _ id: UInt, at position: Int, base: Int, limit: Int, depth: Int) -> Int? {
        guard position >= base, position < limit, depth < DecodingLimits.maximumDepth, step() else { return nil }
        guard let code = TypeCode(rawValue: Int8(bitPattern: bytes[position])) else { return nil }
        var reader = BinaryReader(bytes, position: position + 1, limit: limit)
        func sized(_ size: Int) -> Int? { position + 1 + size <= limit ? position + 1 + size : nil }
        func array(_ elementSize: Int) -> Int? {
            guard let raw = try? reader.readInt32(), let n = try? reader.checkCount(raw, elementSize: elementSize) else { return nil }
            return reader.position + n * elementSize
        }
        switch code {
        case .null: return position + 1
        case .byte, .bool: return sized(1)
        case .short, .char: return sized(2)
        case .int, .float: return sized(4)
        case .long, .double, .date, .time: return sized(8)
        case .timestamp: return sized(12)
        case .uuid: return sized(16)
        case .string, .byteArray, .boolArray: return array(1)
        case .shortArray, .charArray: return array(2)
        case .intArray, .floatArray: return array(4)
        case .longArray, .doubleArray: return array(8)
        case .decimal:
            guard (try? reader.skip(4)) != nil else { return nil }
            return array(1)
        case .enumValue, .binaryEnum:
            guard skipTypeHeader(&reader), (try? reader.skip(4)) != nil else { return nil }
            return reader.position
        case .handle:
            guard let back = try? reader.readInt32(), back > 0, position - Int(back) >= base else { return nil }
            let target = position - Int(back)
            if visited[Place(buffer: id, position: target)] == nil {
                _ = search(bytes, id, at: target, base: base, limit: limit, depth: depth + 1)
            }
            return reader.position
        case .javaClass, .proxy, .platformJavaObjectFactoryProxy, .optimizedMarshaller:
            return nil
        default:
            break
        }
        // Composite values: searched once.
        let place = Place(buffer: id, position: position)
        if let end = visited[place] { return end >= 0 ? end : nil }
        visited[place] = -2
        let end = searchComposite(code, bytes, id, at: position, reader: &reader, base: base, limit: limit, depth: depth)
        visited[place] = end ?? -1
        return end
    }

    /// Skips the `i32 typeId` of an enum or array, and the class name that follows a zero type id.
    private func skipTypeHeader(_ reader: inout BinaryReader) -> Bool {
        guard let typeId = try? reader.readInt32() else { return false }
        if typeId == 0 {
            do { _ = try reader.readOptionalStringObject() } catch { return false }
        }
        return true
    }

    private mutating func searchComposite(_ code: TypeCode, _ bytes: [UInt8], _ id: UInt, at position: Int, reader: inout BinaryReader,
                                          base: Int, limit: Int, depth: Int) -> Int? {
        var elements = 0
        switch code {
        case .complexObject:
            guard let object = try? BinaryObject(validating: bytes, start: position, limit: limit) else { return nil }
            return searchFields(of: object, buffer: id, base: base, depth: depth)
        case .wrapped:
            guard let raw = try? reader.readInt32(), let length = try? reader.checkCount(raw, elementSize: 1) else { return nil }
            let start = reader.position
            guard (try? reader.skip(length)) != nil, let offset = try? reader.readInt32(), offset >= 0, Int(offset) < length else { return nil }
            _ = search(bytes, id, at: start + Int(offset), base: start, limit: start + length, depth: depth + 1)
            return reader.position
        case .objectArray, .enumArray:
            guard skipTypeHeader(&reader), let raw = try? reader.readInt32(), let n = try? reader.checkCount(raw, elementSize: 1) else { return nil }
            elements = n
        case .collection:
            guard let raw = try? reader.readInt32(), let n = try? reader.checkCount(raw, elementSize: 1), (try? reader.skip(1)) != nil else { return nil }
            elements = n
        case .map:
            guard let raw = try? reader.readInt32(), let n = try? reader.checkCount(raw, elementSize: 2), (try? reader.skip(1)) != nil else { return nil }
            elements = 2 * n
        default:  // arrays of nullable values (String[], UUID[], ...)
            guard let raw = try? reader.readInt32(), let n = try? reader.checkCount(raw, elementSize: 1) else { return nil }
            elements = n
        }
        var at = reader.position
        for _ in 0..<elements {
            guard let next = search(bytes, id, at: at, base: base, limit: limit, depth: depth + 1) else { return nil }
            at = next
        }
        return at
    }
}
