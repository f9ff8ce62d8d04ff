extension JavaHash {
    /// ``lowerCaseString(_:)`` with a fast path for ASCII (the common case): the UTF-8 bytes are hashed directly instead of
    /// iterating the UTF-16 view; other strings take ``lowerCaseString(_:)``. Same result for every string.
    @inlinable
    static func asciiFastLowerCaseHash(_ value: String) -> Int32 {
        let fast = value.utf8.withContiguousStorageIfAvailable { bytes -> Int32? in
            var h: Int32 = 0
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                let lower = byte &- 0x41 < 26 ? byte | 0x20 : byte
                h = h &* 31 &+ Int32(lower)
            }
            return h
        }
        if let fast, let hash = fast { return hash }
        return lowerCaseString(value)
    }

    /// ``fieldId(_:)``, fast for ASCII names.
    @inlinable
    static func asciiFastFieldId(_ name: String) -> Int32 { asciiFastLowerCaseHash(name) }

    /// ``typeId(_:)``, fast for ASCII names.
    @inlinable
    static func asciiFastTypeId(_ name: String) -> Int32 { asciiFastLowerCaseHash(name) }
}
