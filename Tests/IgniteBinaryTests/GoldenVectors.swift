import Foundation
import Testing
@testable import IgniteBinary

/// A parsed JSON document, `Sendable` so that the golden vectors can be loaded once and shared by all tests.
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([String: JSON])

    init(foundation value: Any) throws {
        switch value {
        case is NSNull: self = .null
        case let number as NSNumber:
            let type = String(cString: number.objCType)
            if type == "c" {
                self = .bool(number.boolValue)
            } else if type == "d" || type == "f" {
                self = .double(number.doubleValue)
            } else {
                self = .int(number.int64Value)
            }
        case let text as String: self = .string(text)
        case let list as [Any]: self = .array(try list.map(JSON.init(foundation:)))
        case let dictionary as [String: Any]:
            self = .object(try dictionary.mapValues(JSON.init(foundation:)))
        default: throw GoldenError("unsupported JSON value \(type(of: value))")
        }
    }

    subscript(key: String) -> JSON? {
        if case .object(let dictionary) = self { return dictionary[key] }
        return nil
    }

    var string: String? { if case .string(let v) = self { return v }; return nil }
    var int: Int64? { if case .int(let v) = self { return v }; return nil }
    var bool: Bool? { if case .bool(let v) = self { return v }; return nil }
    var array: [JSON]? { if case .array(let v) = self { return v }; return nil }
    var isNull: Bool { self == .null }
}

struct GoldenError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One vector of `Tests/Vectors/values.json`.
struct GoldenValueVector: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let value: JSON
    let javaHash: Int32?
    let pyigniteHash: Int64?
    let note: String?

    var testDescription: String { name }
}

/// The golden vectors generated with pyignite 0.6.1 (`Tools/golden/generate.py`), found from this file's path:
/// `Tests/IgniteBinaryTests/<file>` → `Tests/Vectors`.
enum GoldenVectors {
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Vectors")

    static func load(_ file: String) throws -> JSON {
        let data = try Data(contentsOf: directory.appendingPathComponent(file))
        return try JSON(foundation: JSONSerialization.jsonObject(with: data))
    }

    /// Every vector of `values.json`, in file order.
    static let values: [GoldenValueVector] = {
        do {
            let document = try load("values.json")
            guard let vectors = document["vectors"]?.array else { throw GoldenError("values.json has no vectors") }
            return try vectors.map { vector in
                guard let name = vector["name"]?.string, let hex = vector["hex"]?.string, let value = vector["value"] else {
                    throw GoldenError("malformed vector \(vector)")
                }
                return GoldenValueVector(
                    name: name, bytes: hexBytes(hex), value: value,
                    javaHash: vector["java_hash"]?.int.map { Int32(truncatingIfNeeded: $0) },
                    pyigniteHash: vector["pyignite_hash"]?.int, note: vector["note"]?.string)
            }
        } catch {
            // A missing or broken file must fail the tests that use it, not crash: they check for an empty list.
            print("cannot load golden values: \(error)")
            return []
        }
    }()
}

/// Builds the ``IgniteValue`` a tagged golden `value` describes. Complex objects cannot be rebuilt from JSON
/// (they need a builder); for them, and containers holding them, this throws ``GoldenError``.
enum GoldenValueBuilder {
    static func build(_ json: JSON) throws -> IgniteValue {
        guard let tag = json["t"]?.string else { throw GoldenError("no tag in \(json)") }
        let v = json["v"]
        switch tag {
        case "null": return .null
        case "byte": return .byte(try narrow(v))
        case "short": return .short(try narrow(v))
        case "int": return .int(try narrow(v))
        case "long": return .long(try long(v))
        case "float": return .float(Float(bitPattern: try bits(json["bits"])))
        case "double": return .double(Double(bitPattern: try bits(json["bits"])))
        case "char": return .char(JavaChar(try narrow(v)))
        case "bool": return .bool(try require(v?.bool, json))
        case "string": return .string(try require(v?.string, json))
        case "uuid": return .uuid(try uuid(v))
        case "date": return .date(IgniteDate(millisecondsSinceEpoch: try long(json["ms"])))
        case "timestamp": return .timestamp(try timestamp(json))
        case "time": return .time(IgniteTime(milliseconds: try long(json["ms"])))
        case "decimal": return .decimal(try decimal(json))
        case "byteArray": return .byteArray(try list(v).map { try narrow($0) })
        case "shortArray": return .shortArray(try list(v).map { try narrow($0) })
        case "intArray": return .intArray(try list(v).map { try narrow($0) })
        case "longArray": return .longArray(try list(v).map { try long($0) })
        case "floatArray": return .floatArray(try list(v).map { Float(bitPattern: try bits($0)) })
        case "doubleArray": return .doubleArray(try list(v).map { Double(bitPattern: try bits($0)) })
        case "charArray": return .charArray(try list(v).map { JavaChar(try narrow($0)) })
        case "boolArray": return .boolArray(try list(v).map { try require($0.bool, json) })
        case "stringArray": return .stringArray(try list(v).map { $0.isNull ? nil : try require($0.string, json) })
        case "uuidArray": return .uuidArray(try list(v).map { $0.isNull ? nil : try uuid($0) })
        case "dateArray": return .dateArray(try list(v).map { $0.isNull ? nil : IgniteDate(millisecondsSinceEpoch: try long($0)) })
        case "timestampArray": return .timestampArray(try list(v).map { $0.isNull ? nil : try timestamp($0) })
        case "timeArray": return .timeArray(try list(v).map { $0.isNull ? nil : IgniteTime(milliseconds: try long($0)) })
        case "decimalArray": return .decimalArray(try list(v).map { $0.isNull ? nil : try decimal($0) })
        case "objectArray":
            return .objectArray(IgniteObjectArray(try list(v).map(build), elementTypeId: try narrow(json["typeId"]),
                                                  className: json["className"]?.string))
        case "collection":
            let kind = try require(CollectionKind(rawValue: try narrow(json["kind"])), json)
            return .collection(IgniteCollection(try list(v).map(build), kind: kind))
        case "map":
            let kind = try require(MapKind(rawValue: try narrow(json["kind"])), json)
            let entries = try list(v).map { pair -> IgniteMapEntry in
                let items = try list(pair)
                guard items.count == 2 else { throw GoldenError("map entry \(pair)") }
                return IgniteMapEntry(try build(items[0]), try build(items[1]))
            }
            return .map(IgniteMap(entries, kind: kind))
        case "enum": return .enumValue(try enumValue(json))
        case "binaryEnum": return .binaryEnum(try enumValue(json))
        case "enumArray":
            let code: TypeCode = json["elemCode"]?.int == 28 ? .enumValue : .binaryEnum
            return .enumArray(IgniteEnumArray(try list(v).map { $0.isNull ? nil : try enumValue($0) },
                                              elementTypeId: try narrow(json["typeId"]), className: json["className"]?.string,
                                              elementTypeCode: code))
        case "object": throw GoldenError("complex objects are checked field by field")
        default: throw GoldenError("unknown tag \(tag)")
        }
    }

    static func require<T>(_ value: T?, _ context: JSON) throws -> T {
        guard let value else { throw GoldenError("unexpected JSON \(context)") }
        return value
    }

    static func narrow<T: FixedWidthInteger>(_ json: JSON?) throws -> T {
        guard let raw = json?.int, let value = T(exactly: raw) else { throw GoldenError("not a \(T.self): \(String(describing: json))") }
        return value
    }

    static func long(_ json: JSON?) throws -> Int64 {
        guard let text = json?.string, let value = Int64(text) else { throw GoldenError("not a long: \(String(describing: json))") }
        return value
    }

    static func bits<T: FixedWidthInteger>(_ json: JSON?) throws -> T {
        guard let text = json?.string, text.hasPrefix("0x"), let value = T(text.dropFirst(2), radix: 16) else {
            throw GoldenError("not a bit pattern: \(String(describing: json))")
        }
        return value
    }

    static func list(_ json: JSON?) throws -> [JSON] {
        guard let items = json?.array else { throw GoldenError("not a list: \(String(describing: json))") }
        return items
    }

    static func uuid(_ json: JSON?) throws -> UUID {
        guard let text = json?.string, let value = UUID(uuidString: text) else { throw GoldenError("not a UUID: \(String(describing: json))") }
        return value
    }

    static func timestamp(_ json: JSON) throws -> IgniteTimestamp {
        IgniteTimestamp(millisecondsSinceEpoch: try long(json["ms"]), nanoseconds: try narrow(json["nanos"]))
    }

    static func decimal(_ json: JSON) throws -> IgniteDecimal {
        try IgniteDecimal(unscaled: try require(json["unscaled"]?.string, json), scale: try narrow(json["scale"]))
    }

    static func enumValue(_ json: JSON) throws -> IgniteEnum {
        IgniteEnum(typeId: try narrow(json["typeId"]), ordinal: try narrow(json["ordinal"]), className: json["className"]?.string)
    }
}

/// Encodes a value to bytes.
func encode(_ value: IgniteValue) -> [UInt8] {
    var writer = BinaryWriter()
    writer.writeValue(value)
    return writer.bytes
}
