import IgniteProtocol
import Testing

@Suite("FrameDecoder")
struct FrameDecoderTests {
    private func frame(_ payload: [UInt8]) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeInt32(Int32(payload.count))
        writer.writeBytes(payload)
        return writer.bytes
    }

    @Test func yieldsFramesFromOneChunk() throws {
        var decoder = FrameDecoder()
        decoder.append(contentsOf: frame([1, 2, 3]) + frame([4]) + frame([5, 6]))
        #expect(try decoder.nextFrame() == [1, 2, 3])
        #expect(try decoder.nextFrame() == [4])
        #expect(try decoder.nextFrame() == [5, 6])
        #expect(try decoder.nextFrame() == nil)
        #expect(decoder.bufferedByteCount == 0)
    }

    @Test func handlesEveryPossibleSplitPoint() throws {
        let stream = frame(Array(0..<40)) + frame([9, 9]) + frame(Array(repeating: 7, count: 300))
        for split in 0...stream.count {
            var decoder = FrameDecoder()
            var frames: [[UInt8]] = []
            decoder.append(contentsOf: stream[0..<split])
            while let f = try decoder.nextFrame() { frames.append(f) }
            decoder.append(contentsOf: stream[split...])
            while let f = try decoder.nextFrame() { frames.append(f) }
            #expect(frames.count == 3)
            #expect(frames.first == Array(0..<40))
            #expect(frames.last?.count == 300)
        }
    }

    @Test func byteByByteFeeding() throws {
        let payloads: [[UInt8]] = (1...50).map { n in Array(repeating: UInt8(n), count: n) }
        var decoder = FrameDecoder()
        var received: [[UInt8]] = []
        for byte in payloads.flatMap(frame) {
            decoder.append(contentsOf: [byte])
            while let f = try decoder.nextFrame() { received.append(f) }
        }
        #expect(received == payloads)
    }

    @Test func reportsBytesNeeded() throws {
        var decoder = FrameDecoder()
        #expect(decoder.bytesNeededForNextFrame == nil)
        decoder.append(contentsOf: frame([1, 2, 3, 4, 5]).prefix(6))
        #expect(decoder.bytesNeededForNextFrame == 3)
        #expect(try decoder.nextFrame() == nil)
    }

    @Test(arguments: [Int32(0), -1, Int32.min, 1025])
    func rejectsInvalidLengths(length: Int32) throws {
        var decoder = FrameDecoder(maximumFrameLength: 1024)
        var writer = BinaryWriter()
        writer.writeInt32(length)
        writer.writeBytes([1, 2, 3])
        decoder.append(contentsOf: writer.bytes)
        let error = try #require(throws: IgniteError.self) { try decoder.nextFrame() }
        #expect(error.code == .protocolViolation)
        #expect(decoder.hasFailed)
        decoder.append(contentsOf: frame([1]))
        #expect(throws: IgniteError.self) { try decoder.nextFrame() }
    }

    @Test func defaultMaximumIs256MiB() throws {
        var decoder = FrameDecoder()
        #expect(decoder.maximumFrameLength == 256 * 1024 * 1024)
        var writer = BinaryWriter()
        writer.writeInt32(256 * 1024 * 1024 + 1)
        decoder.append(contentsOf: writer.bytes)
        #expect(throws: IgniteError.self) { try decoder.nextFrame() }
        var ok = FrameDecoder()
        var header = BinaryWriter()
        header.writeInt32(256 * 1024 * 1024)
        ok.append(contentsOf: header.bytes)
        #expect(try ok.nextFrame() == nil)
    }

    @Test func largeStreamInSmallChunksStaysLinear() throws {
        // 20 000 frames fed in 7-byte chunks: a quadratic buffer would take very long; this checks the result.
        var stream: [UInt8] = []
        for i in 0..<20_000 { stream += frame([UInt8(truncatingIfNeeded: i), 1, 2, 3, 4, 5, 6, 7, 8, 9]) }
        var decoder = FrameDecoder()
        var count = 0
        var index = 0
        while index < stream.count {
            let end = min(index + 7, stream.count)
            stream[index..<end].withUnsafeBytes { decoder.append($0) }
            index = end
            while let f = try decoder.nextFrame() {
                #expect(f.count == 10)
                count += 1
            }
        }
        #expect(count == 20_000)
        #expect(decoder.bufferedByteCount == 0)
    }
}
