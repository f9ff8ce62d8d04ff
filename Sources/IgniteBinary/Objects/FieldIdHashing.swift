extension JavaHash {
    /// ``fieldId(_:)`` with a fast path for ASCII names (the common case), which hashes the UTF-8 bytes directly instead
    /// of iterating the UTF-16 view; other names take ``fieldId(_:)``. Same result for every name.
    @inlinable
    static func asciiFastFieldId(_ name: String) -> Int32 {
        let fast = name.utf8.withContiguousStorageIfAvailable { bytes -> Int32? in
            var h: Int32 = 0
            for byte in bytes {
                guard byte < 0x80 else { return nil }
                let lower = byte &- 0x41 < 26 ? byte | 0x20 : byte
                h = h &* 31 &+ Int32(lower)
            }
            return h
        }
        if let fast, let id = fast { return id }
        return fieldId(name)
    }
}
