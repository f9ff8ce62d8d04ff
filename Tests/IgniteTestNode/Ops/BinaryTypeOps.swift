import IgniteProtocol

extension RequestHandler {
    func binaryType(_ op: OpCode, _ reader: inout BinaryReader) throws -> OpResult {
        switch op.rawValue {
        case 3000:
            let platform = try reader.readInt8()
            let typeId = try reader.readInt32()
            return core.data.withLock { data in
                if let name = data.typeNames[BinaryTypeRules.nameKey(platform, typeId)] { return .body { $0.writeStringObject(name) } }
                if platform == 1, let javaName = data.typeNames[BinaryTypeRules.nameKey(0, typeId)] {
                    return .failure(ServerStatus.failed, "Failed to resolve Java class '\(javaName)' in .NET [platformId=1, typeId=\(typeId)].")
                }
                return .failure(ServerStatus.failed, BinaryTypeRules.unresolvedClassName(typeId, platform: platform))
            }
        case 3001:
            let platform = try reader.readInt8()
            let typeId = try reader.readInt32()
            let name = try reader.readOptionalStringObject() ?? ""
            core.data.withLock { $0.typeNames[BinaryTypeRules.nameKey(platform, typeId)] = name }
            return .bool(true)
        case 3002:
            let typeId = try reader.readInt32()
            let type = core.data.withLock { $0.binaryTypes[typeId] }
            return .body { writer in
                writer.writeBool(type != nil)
                type?.encode(into: &writer)
            }
        case 3003:
            let incoming = try BinaryType.decode(from: &reader)
            return core.data.withLock { data in
                guard let existing = data.binaryTypes[incoming.typeId] else {
                    data.binaryTypes[incoming.typeId] = incoming
                    return .empty
                }
                switch BinaryTypeRules.merge(existing, incoming) {
                case .success(let merged):
                    data.binaryTypes[incoming.typeId] = merged
                    return .empty
                case .failure(let message):
                    return .failure(ServerStatus.failed, message)
                }
            }
        case 3004:
            return .success([1, 0])   // compact footer, BASIC_FULL name mapper
        default:
            return .failure(ServerStatus.invalidOpCode, ServerMessages.invalidOpCode(op.rawValue))
        }
    }
}

/// How the server keeps binary metadata.
enum BinaryTypeRules {
    enum Merge {
        case success(BinaryType)
        case failure(String)
    }

    static func nameKey(_ platform: Int8, _ typeId: Int32) -> Int64 { Int64(platform) << 32 | Int64(UInt32(bitPattern: typeId)) }

    /// The real server's text for a type id without a class-name mapping (`MarshallerContextImpl.getClassName`):
    /// OP_GET_BINARY_TYPE_NAME's answer, and the failure to deserialize such an object (an entry processor).
    static func unresolvedClassName(_ typeId: Int32, platform: Int8 = BinaryPlatform.java.rawValue) -> String {
        "Failed to resolve class name [platformId=\(platform), platform=\(platformName(platform)), typeId=\(typeId)]"
    }

    /// The message of the failure to deserialize an object of `typeId` into its Java class, which the test node never
    /// has: the class name when a client registered it (the `ClassNotFoundException`'s message), else
    /// ``unresolvedClassName(_:platform:)`` (both observed on GridGain 8.10, for compute and service arguments).
    static func deserializationFailure(_ typeId: Int32, typeNames: [Int64: String]) -> String {
        typeNames[nameKey(BinaryPlatform.java.rawValue, typeId)] ?? unresolvedClassName(typeId)
    }

    static func platformName(_ platform: Int8) -> String {
        switch platform {
        case 0: "Java"
        case 1: ".NET"
        default: "Unknown"
        }
    }

    /// Merges a re-registered type: fields and schemas are added; a field whose type changes is rejected with the
    /// real server's text.
    static func merge(_ existing: BinaryType, _ incoming: BinaryType) -> Merge {
        for field in incoming.fields {
            if let old = existing.fields.first(where: { $0.name == field.name }) {
                if old.typeCode != field.typeCode {
                    let id = existing.typeId
                    return .failure("Type '\(existing.typeName)' with typeId \(id) has a different/incorrect type for field '\(field.name)'. "
                        + "Expected '\(fieldTypeName(old.typeCode))' but '\(fieldTypeName(field.typeCode))' was provided. "
                        + "The type of an existing field can not be changed. Use a different field name or follow this procedure to reuse the current name:\n"
                        + "- Delete data records that use the old field type;\n"
                        + "- Remove metadata by the command: 'control.sh --meta remove --typeId \(id)'.")
                }
            }
        }
        var merged = existing
        merged.merge(incoming)
        return .success(merged)
    }

    /// Java's names of field types (`BinaryUtils.fieldTypeName`).
    static func fieldTypeName(_ code: Int32) -> String {
        let names: [Int32: String] = [
            1: "byte", 2: "short", 3: "int", 4: "long", 5: "float", 6: "double", 7: "char", 8: "boolean", 9: "String", 10: "UUID",
            11: "Date", 12: "byte[]", 13: "short[]", 14: "int[]", 15: "long[]", 16: "float[]", 17: "double[]", 18: "char[]",
            19: "boolean[]", 20: "String[]", 21: "UUID[]", 22: "Date[]", 23: "Object[]", 24: "Collection", 25: "Map",
            28: "Enum", 29: "Enum[]", 30: "decimal", 31: "decimal[]", 33: "Timestamp", 34: "Timestamp[]", 36: "Time", 37: "Time[]",
            38: "Enum", 103: "Object",
        ]
        return names[code] ?? "Object"
    }
}
