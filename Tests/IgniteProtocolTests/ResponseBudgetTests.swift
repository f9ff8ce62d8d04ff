import Foundation
import IgniteProtocol
import Testing

/// Response decoders charge claimed counts to the reader's decoded-size budget before reserving, and every value of
/// one response counts against that one budget (issue 10, items 1 and 2). Measured with the budget counters.
@Suite("Response decoded-size budget")
struct ResponseBudgetTests {
    private func le32(_ value: Int) -> [UInt8] { withUnsafeBytes(of: Int32(truncatingIfNeeded: value).littleEndian, Array.init) }

    private func expectBudgetError<R: IgniteRequest>(_ request: R, _ body: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        var reader = BinaryReader(body)
        do {
            _ = try request.decodeResponse(from: &reader, context: GoldenFrameTests.full)
            Issue.record("\(request.opCode): decoded", sourceLocation: sourceLocation)
        } catch let error as IgniteError {
            #expect(error.code == .parse && error.message.contains("decoded-size budget"), "\(error)", sourceLocation: sourceLocation)
        } catch {
            Issue.record("untyped \(error)", sourceLocation: sourceLocation)
        }
        #expect(reader.decodedBytes <= reader.decodedByteLimit, sourceLocation: sourceLocation)
    }

    /// Counts claiming every remaining byte (getAll entries, a scan page), and an SQL page of 4 Mi columns.
    @Test func claimedCountsAreChargedBeforeReserving() {
        let size = 16 << 20
        let zeros = [UInt8](repeating: 0, count: size)
        let cache = GoldenFrameTests.cache
        expectBudgetError(CacheGetAllRequest(cache: cache, keys: []), le32(size / 2) + zeros)
        expectBudgetError(QueryScanRequest(cache: cache), [UInt8](repeating: 0, count: 8) + le32(size / 2) + zeros)
        // One row of 4 Mi one-byte columns: 4 Mi values, refused (the count of rows is honest).
        let columns = 4 << 20
        expectBudgetError(QuerySQLFieldsCursorGetPageRequest(cursorId: 1, columnCount: columns),
                          le32(1) + [UInt8](repeating: 101, count: columns) + [0])
    }

    /// getAll entries whose values are handles to one 1 MiB array: each copy counts against the response's budget.
    @Test func handlesAcrossEntriesShareOneBudget() {
        let arrayBytes = 1 << 20
        let entries = 200
        var body: [UInt8] = le32(entries) + [3] + le32(0)
        let array = body.count
        body += [12] + le32(arrayBytes) + [UInt8](repeating: 0x61, count: arrayBytes)
        for key in 1..<entries {
            body += [3] + le32(key)
            body += [102] + le32(body.count - array)
        }
        expectBudgetError(CacheGetAllRequest(cache: GoldenFrameTests.cache, keys: []), body)
    }

    /// Real replies are far inside the budget: 100,000 entries of (int, string).
    @Test func realRepliesDecode() throws {
        var body: [UInt8] = le32(100_000)
        for key in 0..<100_000 { body += [3] + le32(key) + [9] + le32(5) + Array("value".utf8) }
        var reader = BinaryReader(body)
        // As many keys as entries: a reply with more entries than requested keys is refused (harden-io's check).
        let keys = [EncodedValue](repeating: EncodedValue(.int(0)), count: 100_000)
        let entries = try CacheGetAllRequest(cache: GoldenFrameTests.cache, keys: keys).decodeResponse(from: &reader, context: GoldenFrameTests.full)
        #expect(entries.count == 100_000)
        #expect(entries.last?.value == .string("value"))
        #expect(reader.decodedBytes < 2 * body.count + 100_000 * MemoryLayout<CacheEntry>.stride)
    }
}
