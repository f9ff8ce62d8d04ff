import Foundation
import Testing
@testable import IgniteBinary

/// The decoded-size budget (issue 10, items 1 and 2): what a reply decodes to is bounded by a small multiple of its
/// size, claimed counts are charged before anything is reserved, and handles share one budget per reader.
/// Memory is measured with the budget counters (``BinaryReader/decodedBytes``), never with time.
@Suite("Decoded-size budget")
struct DecodingBudgetTests {
    private static let stride = MemoryLayout<IgniteValue>.stride

    private func isBudgetError(_ error: any Error) -> Bool {
        guard let error = error as? IgniteError else { return false }
        return error.code == .parse && error.message.contains("decoded-size budget")
    }

    /// A value stays small: every element of a collection is one of these. It was 104 bytes while `BinaryObject` was
    /// stored inline.
    @Test func anIgniteValueTakesAtMost48Bytes() {
        print("MemoryLayout<IgniteValue>.stride = \(Self.stride), BinaryObject size = \(MemoryLayout<BinaryObject>.size)")
        #expect(Self.stride <= 48)
    }

    /// A count claiming every remaining byte is an element, followed by garbage: the claim alone would reserve
    /// `count × stride` bytes, far past the budget. It is refused before anything is reserved.
    @Test(arguments: [TypeCode.collection, .objectArray, .map, .stringArray, .decimalArray])
    func claimedCountsAreChargedBeforeReserving(code: TypeCode) {
        let size = 16 << 20
        var bytes: [UInt8] = [UInt8(bitPattern: code.rawValue)]
        if code == .objectArray { bytes += le32(-1) }
        let headerEnd = bytes.count + 4 + (code == .collection || code == .map ? 1 : 0)
        let perElement = code == .map ? 2 : 1
        bytes += le32((size - headerEnd) / perElement)
        if code == .collection || code == .map { bytes.append(1) }
        // Elements: type code 0 is unknown, so an unbounded decoder would fail at the first element, after reserving.
        bytes += [UInt8](repeating: 0, count: size - bytes.count)
        var reader = BinaryReader(bytes)
        let claimed = (size - headerEnd) / perElement
        do {
            _ = try reader.readValue()
            Issue.record("decoded a \(code) claiming \(claimed) elements")
        } catch {
            #expect(isBudgetError(error), "\(code): \(error)")
        }
        #expect(reader.decodedBytes <= reader.decodedByteLimit)
        print("claimed \(code) × \(claimed) in \(size) bytes: charged \(reader.decodedBytes), limit \(reader.decodedByteLimit); "
              + "an unbounded reserve would be \(claimed * Self.stride) bytes")
    }

    /// Real one-byte elements are amplified the same way: 4 Mi nulls (4 MiB) would take 4 Mi × the stride.
    /// The budget (64 MiB + 8 × 4 MiB) refuses them; 1 Mi Java ints (5 MiB) decode.
    @Test func oneByteElementsAreBoundedAndRealCollectionsDecode() throws {
        let nulls = 4 << 20
        var bytes: [UInt8] = [24] + le32(nulls) + [1]
        bytes += [UInt8](repeating: 101, count: nulls)
        var reader = BinaryReader(bytes)
        #expect(throws: IgniteError.self) { _ = try reader.readValue() }
        #expect(reader.decodedBytes <= reader.decodedByteLimit)
        print("4 Mi nulls (\(bytes.count) bytes): refused with \(reader.decodedBytes) charged; unbounded they take \(nulls * Self.stride) bytes")

        let ints = 1 << 20
        var intBytes: [UInt8] = [24] + le32(ints) + [1]
        for i in 0..<ints { intBytes += [3] + le32(i) }
        var intReader = BinaryReader(intBytes)
        let value = try intReader.readValue()
        guard case .collection(let collection) = value else { Issue.record("not a collection"); return }
        #expect(collection.elements.count == ints)
        #expect(collection.elements.last == .int(Int32(ints - 1)))
        #expect(intReader.decodedBytes >= ints * Self.stride)
        #expect(intReader.decodedBytes <= 9 * intBytes.count)
        print("1 Mi ints (\(intBytes.count) bytes) decode to \(intReader.decodedBytes) bytes")
    }

    /// Strings, byte arrays and objects cost about their size.
    @Test func stringsArraysAndObjectsCostTheirSize() throws {
        var bytes: [UInt8] = [9] + le32(3 << 20) + [UInt8](repeating: 0x61, count: 3 << 20)
        bytes += [12] + le32(5 << 20) + [UInt8](repeating: 7, count: 5 << 20)
        var reader = BinaryReader(bytes)
        _ = try reader.readValue()
        _ = try reader.readValue()
        #expect(reader.decodedBytes == 8 << 20)
        let object = Hex.bytes(Vectors.capPerson)
        var objectReader = BinaryReader(object)
        _ = try objectReader.readValue()
        #expect(objectReader.decodedBytes == MemoryLayout<BinaryObject>.size)
    }

    /// Item 2: values read one after another from one reader (the entries of a `getAll` reply) share one budget, so
    /// five-byte handles to one big array cannot each copy it: the copies stop at the budget.
    @Test func handlesAcrossValuesShareOneBudget() {
        let arrayBytes = 1 << 20
        var bytes: [UInt8] = [12] + le32(arrayBytes) + [UInt8](repeating: 0x61, count: arrayBytes)
        let handles = 400
        for _ in 0..<handles { bytes += [102] + le32(bytes.count) }
        var reader = BinaryReader(bytes)
        var copies = 0
        var failed = false
        do {
            _ = try reader.readValue()
            while !reader.isAtEnd {
                _ = try reader.readValue()
                copies += 1
            }
        } catch {
            failed = isBudgetError(error)
        }
        #expect(failed, "\(copies) copies of \(arrayBytes) bytes decoded without hitting the budget")
        #expect(reader.decodedBytes <= reader.decodedByteLimit)
        #expect(copies * arrayBytes <= reader.decodedByteLimit)
        print("\(handles) handles to a 1 MiB array in \(bytes.count) bytes: \(copies) copies before the budget "
              + "(\(reader.decodedBytes) bytes); unbounded: \(handles) MiB")
    }

    /// Within one value, several handles to one target share its first decoding (copy-on-write), like Java's
    /// handle table: ten handles to a 1 MiB array cost 1 MiB, not 11.
    @Test func handlesWithinOneValueShareTheirTarget() throws {
        let (bytes, collection) = Graphs.handlesToOneArray(arrayBytes: 1 << 20, count: 10)
        var reader = BinaryReader(bytes, position: collection)
        let value = try reader.readValue()
        guard case .collection(let elements) = value else { Issue.record("not a collection"); return }
        #expect(elements.elements.count == 10)
        #expect(elements.elements.allSatisfy { $0 == .byteArray([UInt8](repeating: 0x61, count: 1 << 20)) })
        #expect(reader.decodedBytes < 2 << 20)
        print("10 handles to a 1 MiB array decode with \(reader.decodedBytes) bytes charged")
    }

    /// The budget is the reader's and can be changed.
    @Test func theLimitIsConfigurablePerReader() throws {
        let bytes: [UInt8] = [9] + le32(100) + [UInt8](repeating: 0x61, count: 100)
        var tight = BinaryReader(bytes)
        tight.decodedByteLimit = 99
        #expect(throws: IgniteError.self) { _ = try tight.readValue() }
        var loose = BinaryReader(bytes)
        #expect(loose.decodedByteLimit == DecodingLimits.decodedBytesBase + DecodingLimits.decodedBytesPerInputByte * bytes.count)
        #expect(try loose.readValue() == .string(String(repeating: "a", count: 100)))
    }
}
