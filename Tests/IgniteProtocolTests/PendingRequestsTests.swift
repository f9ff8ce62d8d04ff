@testable import IgniteProtocol
import Testing

@Suite("PendingRequests")
struct PendingRequestsTests {
    @Test func insertsAndRemovesInOrder() {
        var table = PendingRequests<String>()
        #expect(table.isEmpty)
        for id in Int64(1)...5 { let inserted = table.insert(id, "r\(id)"); #expect(inserted) }
        #expect(table.count == 5)
        #expect(table.lastId == 5)
        for id in Int64(1)...5 { let removed = table.remove(id); #expect(removed == "r\(id)") }
        #expect(table.isEmpty)
        #expect(table.first == nil)
    }

    @Test func idsOnlyIncrease() {
        var table = PendingRequests<Int>()
        do { let outcome = table.insert(10, 10); #expect(outcome) }
        do { let outcome = table.insert(10, 99); #expect(!outcome, "an id already used is refused") }
        do { let outcome = table.insert(3, 3); #expect(!outcome, "a lower id is refused") }
        #expect(table.count == 1)
        #expect(table.value(for: 10) == 10)
        do { let outcome = table.remove(10); #expect(outcome == 10) }
        do { let outcome = table.insert(10, 10); #expect(!outcome, "a removed id is never reused") }
        do { let outcome = table.insert(11, 11); #expect(outcome) }
        #expect(table.lastId == 11)
    }

    @Test func lateRepliesAreDiscarded() {
        var table = PendingRequests<String>()
        table.insert(1, "a")
        table.insert(2, "b")
        do { let outcome = table.remove(1); #expect(outcome == "a") }
        do { let outcome = table.remove(1); #expect(outcome == nil, "a second reply to the same id finds nothing") }
        #expect(table.classify(1) == .late)
        #expect(table.classify(2) == .pending)
        #expect(table.classify(3) == .unknown, "an id never issued")
        #expect(table.classify(0) == .unknown)
        #expect(table.classify(-4) == .unknown)
        do { let outcome = table.remove(3); #expect(outcome == nil) }
        do { let outcome = table.remove(-1); #expect(outcome == nil) }
        #expect(table.count == 1)
    }

    @Test func outOfOrderRepliesAndGaps() {
        var table = PendingRequests<Int64>()
        // Ids 4 and 7 went to fire-and-forget requests: never inserted.
        for id: Int64 in [1, 2, 3, 5, 6, 8] { table.insert(id, id * 10) }
        #expect(table.count == 6)
        do { let outcome = table.remove(4); #expect(outcome == nil) }
        do { let outcome = table.remove(6); #expect(outcome == 60) }
        do { let outcome = table.remove(8); #expect(outcome == 80) }
        do { let outcome = table.remove(1); #expect(outcome == 10) }
        #expect(table.ids == [2, 3, 5])
        #expect(table.first == 20)
        do { let outcome = table.remove(3); #expect(outcome == 30) }
        do { let outcome = table.remove(2); #expect(outcome == 20) }
        do { let outcome = table.remove(5); #expect(outcome == 50) }
        #expect(table.isEmpty)
        table.insert(9, 90)
        #expect(table.ids == [9])
    }

    @Test func growsPastItsCapacityKeepingEveryEntry() {
        var table = PendingRequests<Int64>(capacity: 8)
        for id in Int64(1)...1000 { table.insert(id, -id) }
        #expect(table.count == 1000)
        for id in stride(from: Int64(1000), through: 1, by: -2) { let removed = table.remove(id); #expect(removed == -id) }
        #expect(table.count == 500)
        #expect(table.ids == Array(stride(from: Int64(1), through: 999, by: 2)))
        // Wrap around the ring many times with a steady number in flight.
        var table2 = PendingRequests<Int64>(capacity: 8)
        var next: Int64 = 1
        for _ in 0..<6 { table2.insert(next, next); next += 1 }
        for oldest in Int64(1)...10_000 {
            do { let outcome = table2.remove(oldest); #expect(outcome == oldest) }
            table2.insert(next, next)
            next += 1
        }
        #expect(table2.count == 6)
        #expect(table2.ids == Array(Int64(10_001)...10_006))
    }

    @Test func aLongRunningRequestDoesNotStretchTheWindow() {
        var table = PendingRequests<Int64>()
        table.insert(1, 1)  // stays in flight (a long compute task)
        var next: Int64 = 2
        for _ in 0..<50_000 {
            table.insert(next, next)
            do { let outcome = table.remove(next); #expect(outcome == next) }
            next += 1
        }
        #expect(table.count == 1)
        #expect(table.value(for: 1) == 1, "the old entry is still found (in the side table)")
        #expect(table.classify(1) == .pending)
        #expect(table.slots.count <= 8192, "the ring stays bounded: \(table.slots.count) slots")
        do { let outcome = table.remove(1); #expect(outcome == 1) }
        #expect(table.isEmpty)
        #expect(table.classify(1) == .late)
    }

    @Test func removeAllReturnsEveryEntryByIdAndKeepsIdsUsed() {
        var table = PendingRequests<String>()
        table.insert(1, "old")
        for id in Int64(2)...5000 { table.insert(id, "x"); _ = table.remove(id) }  // pushes id 1 to the side table
        table.insert(5001, "a")
        table.insert(5003, "b")
        let all = table.removeAll()
        #expect(all.map(\.id) == [1, 5001, 5003])
        #expect(all.map(\.value) == ["old", "a", "b"])
        #expect(table.isEmpty)
        #expect(table.classify(5003) == .late)
        do { let outcome = table.insert(5002, "c"); #expect(!outcome) }
        do { let outcome = table.insert(5004, "d"); #expect(outcome) }
        #expect(table.ids == [5004])
    }

    /// The table against a dictionary model, under a random mix of inserts and removals of every kind of id.
    @Test func agreesWithADictionary() {
        var generator = SplitMix(seed: 42)
        var table = PendingRequests<Int64>(capacity: 8)
        var model: [Int64: Int64] = [:]
        var next: Int64 = 1
        for _ in 0..<20_000 {
            switch generator.next() % 10 {
            case 0...3:
                next += Int64(generator.next() % 3)  // sometimes skip ids
                do { let outcome = table.insert(next, next * 7); #expect(outcome) }
                model[next] = next * 7
                next += 1
            case 4...7:
                if let id = model.keys.randomElement(using: &generator) {
                    do { let outcome = table.remove(id); let expected = model.removeValue(forKey: id); #expect(outcome == expected) }
                }
            default:
                let id = Int64(generator.next() % UInt64(next + 2)) - 1
                do { let outcome = table.remove(id); let expected = model.removeValue(forKey: id); #expect(outcome == expected) }
            }
            #expect(table.count == model.count)
        }
        #expect(table.ids == model.keys.sorted())
    }
}

/// The class-instance table the drivers use.
@Suite("PendingObjects")
struct PendingObjectsTests {
    final class Box {
        let id: Int64
        init(_ id: Int64) { self.id = id }
    }

    @Test func keepsIdentityAndTheTableRules() {
        var table = PendingObjects<Box>()
        let boxes = (Int64(1)...6).map { Box($0) }
        for box in boxes { table.insert(box.id, box) }
        let refused = table.insert(3, Box(3))
        #expect(!refused, "ids only increase")
        let second = table.remove(2)
        #expect(second === boxes[1])
        let again = table.remove(2)
        #expect(again == nil, "a late reply finds nothing")
        #expect(table.classify(2) == .late)
        #expect(table.classify(7) == .unknown)
        #expect(table.value(for: 5) === boxes[4])
        #expect(table.first === boxes[0])
        #expect(table.entries.map(\.id) == [1, 3, 4, 5, 6])
        let all = table.removeAll()
        #expect(all.map(\.id) == [1, 3, 4, 5, 6])
        #expect(zip(all.map(\.value), [boxes[0], boxes[2], boxes[3], boxes[4], boxes[5]]).allSatisfy { $0 === $1 })
        #expect(table.isEmpty && table.count == 0 && table.lastId == 6)
    }
}

/// A small deterministic generator for the model test.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
