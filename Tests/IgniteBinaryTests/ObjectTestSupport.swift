import Foundation
@testable import IgniteBinary

/// Hex helpers and captured vectors shared by the object, binary-type, Codable and typed tests.
enum Hex {
    /// Bytes from a hex string (whitespace ignored); invalid digits become an empty result so that tests fail visibly.
    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.filter { !$0.isWhitespace }.utf8)
        guard digits.count % 2 == 0 else { return [] }
        var result: [UInt8] = []
        result.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let high = nibble(digits[i]), let low = nibble(digits[i + 1]) else { return [] }
            result.append(high << 4 | low)
            i += 2
        }
        return result
    }

    /// The lower-case hex string of bytes.
    static func string<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x61...0x66: return c - 0x61 + 10
        case 0x41...0x46: return c - 0x41 + 10
        default: return nil
        }
    }
}

/// Vectors from PROTOCOL-FACTS §7.11 (pyignite) and from real traffic with a GridGain 8 node
/// (`captures/types.jsonl` and `captures/binary-types.jsonl`; objects written by pyignite 0.6.1).
enum Vectors {
    /// `Internal{id: Int 2, str: "lorem ipsum"}`, compact footer (PROTOCOL-FACTS §7.11).
    static let internalCompact = "67012b00bdc6ff211dd864c72f00000067fd4dc72d0000000302000000090b0000006c6f72656d20697073756d181d"
    /// `NestedObject{id: 1, str: "test_string", internal: Internal{2, "lorem ipsum"}}`, compact footer (§7.11).
    static let nestedCompact = "67012b00f62e5661164ca5b15f0000006c571f3d5c0000000301000000090b000000746573745f737472696e67"
        + "67012b00bdc6ff211dd864c72f00000067fd4dc72d0000000302000000090b0000006c6f72656d20697073756d181d181d2d"

    /// types.complex-compact-footer: `CapFlat{id: Int 7, label: "seven"}`.
    static let capFlatSeven = "67012b004b46e9202405a49e29000000a20dd0f52700000003070000000905000000736576656e181d"
    /// types.complex-null-field: `CapFlat{id: Int 9, label: null}`.
    static let capFlatNull = "67012b004b46e9200c99833a20000000a20dd0f51e000000030900000065181d"
    /// types.complex-full-footer: `CapFullFooter{id: Int 8, label: "eight"}`, full footer.
    static let capFullFooter = "67010b003cd2113c451fbe7f31000000a20dd0f5270000000308000000090500000065696768741b0d000018f47e1f061d"
    /// types.complex-nested: `CapPerson{name: "Ada", age: 36, salary: 1234.5, id: UUID(1, 2), address: CapAddress{street: "Main St", zip: 12345}}`.
    static let capPerson = "67012b00a775669c00b069106f000000ba059db66a000000090300000041646103240000000600000000004a93400a01000000000000000200000000000000"
        + "67012b00e20b70d4f32f27512b0000004c18e0162900000009070000004d61696e205374033930000018241820252e3f"
    /// types.complex-key: `CapKeyObj{region: Int 5, code: "X1"}`.
    static let capKeyObj = "67012b008a58e193c34591cd26000000bf213ef624000000030500000009020000005831181d"
    /// types.complex-two-byte-offsets: `CapWide{a: "a" × 300, b: "b", c: Long 1}`, 2-byte offsets.
    static let capWide = "67013300a5f5f0208ce731595e010000d5189df258010000092c010000" + String(repeating: "61", count: 300)
        + "090100000062040100000000000000180049014f01"

    /// OP_PUT_BINARY_TYPE bodies (3003 requests) sent by pyignite.
    static let putCapFlat = "4b46e9200907000000436170466c6174650200000009020000006964030000001b0d000009050000006c6162656c09000000f47e1f060001000000a20dd0f5020000001b0d0000f47e1f06"
    static let putCapFullFooter = "3cd2113c090d00000043617046756c6c466f6f746572650200000009020000006964030000001b0d000009050000006c6162656c09000000f47e1f060001000000a20dd0f5020000001b0d0000f47e1f06"
    static let putCapPerson = "a775669c0909000000436170506572736f6e650500000009040000006e616d65090000008b7a3300090300000061676503000000ff780100090600000073616c61727906000000cac9c6c9090200000069640a0000001b0d000009070000006164647265737367000000f49b97bb0001000000ba059db6050000008b7a3300ff780100cac9c6c91b0d0000f49b97bb"
    static let putCapAddress = "e20b70d4090a0000004361704164647265737365020000000906000000737472656574090000000350d5ca09030000007a69700300000021d7010000010000004c18e016020000000350d5ca21d70100"
    static let putCapWide = "a5f5f02009070000004361705769646565030000000901000000610900000061000000090100000062090000006200000009010000006304000000630000000001000000d5189df203000000610000006200000063000000"
    static let putCapKeyObj = "8a58e19309090000004361704b65794f626a65020000000906000000726567696f6e03000000f42648c80904000000636f646509000000edad2e000001000000bf213ef602000000f42648c8edad2e00"
    static let putCapBT = "a4dfa005090500000043617042546502000000090100000061030000006100000009010000006209000000620000000001000000e6051522020000006100000062000000"
    static let putCapBTSecondSchema = "a4dfa0050905000000436170425465030000000901000000610300000061000000090100000062090000006200000009010000006304000000630000000001000000d5189df203000000610000006200000063000000"
    static let putCapAffKey = "3048d68209090000004361704166664b65790906000000726567696f6e020000000906000000726567696f6e03000000f42648c80904000000636f646509000000edad2e000001000000bf213ef602000000f42648c8edad2e00"
    static let putCapColorEnum = "d1c216fc0908000000436170436f6c6f72650000000001030000000903000000524544000000000905000000475245454e010000000904000000424c55450200000000000000"

    /// OP_GET_BINARY_TYPE response bodies (3002, after the response header): `bool exists` + record.
    static let getCapBTTwoSchemas = "01a4dfa0050905000000436170425465030000000901000000610300000061000000090100000062090000006200000009010000006304000000630000000002000000e6051522020000006100000062000000d5189df203000000610000006200000063000000"
    static let getCapPersonServerClass = "01a775669c0909000000436170506572736f6e650500000009040000006e616d65090000008b7a3300090300000061676503000000ff780100090600000073616c61727906000000cac9c6c9090200000069640a0000001b0d000009070000006164647265737367000000f49b97bb0001000000ba059db6050000008b7a3300ff780100cac9c6c91b0d0000f49b97bb"
    static let getCapColorEnum = "01d1c216fc0908000000436170436f6c6f72650000000001030000000903000000524544000000000905000000475245454e010000000904000000424c55450200000000000000"
    static let getMissing = "00"

    /// A registry holding the captured types, decoded from the 3003 bodies.
    static func registry() throws -> BinaryTypeRegistry {
        let registry = BinaryTypeRegistry()
        for hex in [putCapFlat, putCapFullFooter, putCapPerson, putCapAddress, putCapWide, putCapKeyObj, putCapBTSecondSchema] {
            var reader = BinaryReader(Hex.bytes(hex))
            try registry.register(try BinaryType.decode(from: &reader))
        }
        return registry
    }
}
