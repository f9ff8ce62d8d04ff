// `Codable` conformances of the Ignite value types, so that they can be properties of `Codable` structs.
//
// ``IgniteBinaryEncoder`` and ``IgniteBinaryDecoder`` never call these: they write and read the types' own Ignite
// encodings (``IgniteBinaryEncodable``/``IgniteBinaryDecodable``). Other coders (JSON, property lists) get a plain
// representation where one is obvious (milliseconds for dates and times, a one-character string for a char,
// `[milliseconds, nanoseconds]` for a timestamp, the exact text for a decimal); the types without one (enum, binary object,
// dynamic value, containers) throw `EncodingError.invalidValue` / `DecodingError.typeMismatch` there.

private func igniteOnly(_ value: Any, _ encoder: any Encoder) -> EncodingError {
    EncodingError.invalidValue(value, EncodingError.Context(
        codingPath: encoder.codingPath, debugDescription: "\(type(of: value)) can only be encoded by IgniteBinaryEncoder"))
}

private func igniteOnly(_ type: Any.Type, _ decoder: any Decoder) -> DecodingError {
    DecodingError.typeMismatch(type, DecodingError.Context(
        codingPath: decoder.codingPath, debugDescription: "\(type) can only be decoded by IgniteBinaryDecoder"))
}

extension IgniteDate: Codable {
    /// Milliseconds since the epoch, as a single `Int64`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(millisecondsSinceEpoch)
    }
    /// Milliseconds since the epoch, as a single `Int64`.
    public init(from decoder: any Decoder) throws {
        self.init(millisecondsSinceEpoch: try decoder.singleValueContainer().decode(Int64.self))
    }
}

extension IgniteTime: Codable {
    /// Milliseconds, as a single `Int64`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(milliseconds)
    }
    /// Milliseconds, as a single `Int64`.
    public init(from decoder: any Decoder) throws {
        self.init(milliseconds: try decoder.singleValueContainer().decode(Int64.self))
    }
}

extension IgniteTimestamp: Codable {
    /// `[milliseconds, nanoseconds]`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        try container.encode(millisecondsSinceEpoch)
        try container.encode(nanoseconds)
    }
    /// `[milliseconds, nanoseconds]`.
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        let ms = try container.decode(Int64.self)
        self.init(millisecondsSinceEpoch: ms, nanoseconds: try container.decode(Int32.self))
    }
}

extension JavaChar: Codable {
    /// A one-character string (U+FFFD for a lone surrogate).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
    /// A string of exactly one UTF-16 unit.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard text.utf16.count == 1, let unit = text.utf16.first else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not one UTF-16 unit")
        }
        self.init(unit)
    }
}

extension IgniteDecimal: Codable {
    /// The exact decimal text (``description``), as a single string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
    /// The exact decimal text, as a single string (see ``init(string:)``).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            try self.init(string: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not a decimal number")
        }
    }
}

extension IgniteEnum: Codable {
    /// Only ``IgniteBinaryEncoder`` can encode an enum value.
    public func encode(to encoder: any Encoder) throws { throw igniteOnly(self, encoder) }
    /// Only ``IgniteBinaryDecoder`` can decode an enum value.
    public init(from decoder: any Decoder) throws { throw igniteOnly(IgniteEnum.self, decoder) }
}

extension BinaryObject: Codable {
    /// Only ``IgniteBinaryEncoder`` can encode a binary object.
    public func encode(to encoder: any Encoder) throws { throw igniteOnly(self, encoder) }
    /// Only ``IgniteBinaryDecoder`` can decode a binary object.
    public init(from decoder: any Decoder) throws { throw igniteOnly(BinaryObject.self, decoder) }
}

extension IgniteValue: Codable {
    /// Only ``IgniteBinaryEncoder`` can encode a dynamic value.
    public func encode(to encoder: any Encoder) throws { throw igniteOnly(self, encoder) }
    /// Only ``IgniteBinaryDecoder`` can decode a dynamic value.
    public init(from decoder: any Decoder) throws { throw igniteOnly(IgniteValue.self, decoder) }
}

extension IgniteCollection: Codable {
    /// Only ``IgniteBinaryEncoder`` can encode a collection value.
    public func encode(to encoder: any Encoder) throws { throw igniteOnly(self, encoder) }
    /// Only ``IgniteBinaryDecoder`` can decode a collection value.
    public init(from decoder: any Decoder) throws { throw igniteOnly(IgniteCollection.self, decoder) }
}

extension IgniteMap: Codable {
    /// Only ``IgniteBinaryEncoder`` can encode a map value.
    public func encode(to encoder: any Encoder) throws { throw igniteOnly(self, encoder) }
    /// Only ``IgniteBinaryDecoder`` can decode a map value.
    public init(from decoder: any Decoder) throws { throw igniteOnly(IgniteMap.self, decoder) }
}

extension IgniteObjectArray: Codable {
    /// Only ``IgniteBinaryEncoder`` can encode an object array.
    public func encode(to encoder: any Encoder) throws { throw igniteOnly(self, encoder) }
    /// Only ``IgniteBinaryDecoder`` can decode an object array.
    public init(from decoder: any Decoder) throws { throw igniteOnly(IgniteObjectArray.self, decoder) }
}
