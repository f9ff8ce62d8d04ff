// The ceiling: a raw loop over one socket with precomputed frames and no client code (the same loop as
// ignite-sync-bench's, so both benchmarks compare against one ceiling).
//
// Frames are encoded once, before timing, with the protocol module's request encoders. The timed loop only
// writes bytes and reads length-prefixed replies (skipping their bodies): no routing, no decoding, no locks.
import Foundation
import IgniteProtocol
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One blocking TCP socket speaking just enough of the protocol for the ceiling loops.
final class RawConnection {
    private let fd: Int32
    private var buffer = [UInt8](repeating: 0, count: 256 * 1024)
    private var start = 0
    private var end = 0

    /// Connects, sets TCP_NODELAY and performs the handshake at the preferred version.
    init(host: String, port: Int) throws {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let info = list else {
            throw RawError.failed("cannot resolve \(host)")
        }
        defer { freeaddrinfo(list) }
        fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
        guard fd >= 0 else { throw RawError.failed("socket() failed") }
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            close(fd)
            throw RawError.failed("connect() failed")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        try write(HandshakeRequest(version: .preferred).frame())
        let reply = try readFrame()
        guard reply.first == 1 else { throw RawError.failed("handshake rejected") }
    }

    deinit { close(fd) }

    /// Writes all bytes.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = send(fd, raw.baseAddress! + offset, raw.count - offset, 0)
                guard n > 0 else { throw RawError.failed("send() failed") }
                offset += n
            }
        }
    }

    private func fill() throws {
        if start == end { start = 0; end = 0 }
        if end == buffer.count {
            buffer.removeSubrange(0..<start)
            end -= start
            start = 0
            buffer.append(contentsOf: [UInt8](repeating: 0, count: max(0, 256 * 1024 - buffer.count)))
        }
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + end, $0.count - end, 0) }
        guard n > 0 else { throw RawError.failed("recv() failed or the server closed") }
        end += n
    }

    /// Skips one reply frame (length prefix and body), reading as needed.
    func skipFrame() throws {
        while end - start < 4 { try fill() }
        let length = Int(UInt32(buffer[start]) | UInt32(buffer[start + 1]) << 8 | UInt32(buffer[start + 2]) << 16
                         | UInt32(buffer[start + 3]) << 24)
        if buffer.count < length + 4 { buffer.append(contentsOf: [UInt8](repeating: 0, count: length + 4)) }
        while end - start < 4 + length { try fill() }
        start += 4 + length
    }

    /// Reads one reply frame's payload (handshake only; the timed loops skip).
    func readFrame() throws -> [UInt8] {
        while end - start < 4 { try fill() }
        let length = Int(UInt32(buffer[start]) | UInt32(buffer[start + 1]) << 8 | UInt32(buffer[start + 2]) << 16
                         | UInt32(buffer[start + 3]) << 24)
        while end - start < 4 + length { try fill() }
        let payload = Array(buffer[(start + 4)..<(start + 4 + length)])
        start += 4 + length
        return payload
    }
}

enum RawError: Error { case failed(String) }

/// Precomputed request frames for one phase, one per key.
func rawFrames(cacheName: String, keys: Int, value: (Int) -> IgniteValue?) throws -> [[UInt8]] {
    let context = ProtocolContext(version: .preferred)
    let cache = CacheInfo(cacheName: cacheName)
    return try (0..<keys).map { i in
        let key = EncodedValue(.long(Int64(i)))
        if let v = value(i) {
            return try RequestFraming.frame(CachePutRequest(cache: cache, key: key, value: EncodedValue(v)),
                                            requestId: Int64(i + 1), context: context)
        }
        return try RequestFraming.frame(CacheGetRequest(cache: cache, key: key), requestId: Int64(i + 1), context: context)
    }
}

/// One request in flight at a time.
func rawSequential(_ connection: RawConnection, frames: [[UInt8]], ops: Int) throws {
    for i in 0..<ops {
        try connection.write(frames[i % frames.count])
        try connection.skipFrame()
    }
}

/// Batches of `depth` consecutive frames, each concatenated into one buffer (built before timing).
func rawBatches(_ frames: [[UInt8]], depth: Int, count: Int = 16) -> [[UInt8]] {
    (0..<count).map { k in (0..<depth).flatMap { j in frames[(k * depth + j) % frames.count] } }
}

/// `depth` requests in flight: each precomputed batch is written with one syscall, then its replies are read.
func rawPipelined(_ connection: RawConnection, batches: [[UInt8]], depth: Int, ops: Int) throws {
    var done = 0
    var k = 0
    while done < ops {
        try connection.write(batches[k % batches.count])
        for _ in 0..<depth { try connection.skipFrame() }
        done += depth
        k += 1
    }
}
