import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IgniteProtocol

/// A server that handshakes and then answers every request with what `reply` returns for it: a body, a server
/// error, or nothing (the request then waits for its timeout). Built on ``ScriptedServer``; not tied to either
/// product: each product's suite adds a `client(requestTimeout:)` of its own.
package final class HostileServer: @unchecked Sendable {
    /// An answer to one request.
    package enum Reply {
        case body([UInt8])
        case failure(status: Int32, message: String)
        case none
    }

    package let server: ScriptedServer
    private let log = RequestLog()

    /// - Parameter reply: Called on the server's thread with the op code and the request body.
    package init(reply: @escaping @Sendable (_ op: Int16, _ body: [UInt8]) -> Reply) throws {
        let log = self.log
        server = try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            while let (op, id, body) = peer.readRequest() {
                log.record(op)
                switch reply(op, body) {
                case .body(let bytes): peer.respond(id: id, body: bytes)
                case .failure(let status, let message): peer.respond(id: id, status: status, message: message)
                case .none: break
                }
            }
        }
    }

    /// How many requests with `op` arrived.
    package func count(_ op: OpCode) -> Int { log.count(op.rawValue) }

    package var endpoint: IgniteEndpoint { server.endpoint }

    /// The configuration of a client of this server: one connection, no partition awareness, no retries.
    package func configuration(requestTimeout: Duration = .seconds(30)) -> IgniteClientConfiguration {
        var configuration = IgniteClientConfiguration(endpoints: [server.endpoint])
        configuration.requestTimeout = requestTimeout
        configuration.partitionAwareness = false
        configuration.retryPolicy = nil
        return configuration
    }

    package func stop() { server.stop() }
}

private final class RequestLog: @unchecked Sendable {
    private let lock = NSLock()
    private var ops: [Int16] = []

    func record(_ op: Int16) { lock.withLock { ops.append(op) } }
    func count(_ op: Int16) -> Int { lock.withLock { ops.filter { $0 == op }.count } }
}

/// The hostile replies of issue 10 (decoding cases), as response bodies.
package enum HostileReplies {
    package static func le32(_ value: Int) -> [UInt8] {
        withUnsafeBytes(of: Int32(truncatingIfNeeded: value).littleEndian, Array.init)
    }

    /// An OP_CACHE_GET body: a Collection of `count` nulls (one byte each).
    package static func nullCollection(count: Int) -> [UInt8] {
        [24] + le32(count) + [1] + [UInt8](repeating: 101, count: count)
    }

    /// An OP_CACHE_GET body: a Collection claiming one element per remaining byte, followed by `bytes` zero bytes
    /// (type code 0 is unknown, so an unbounded decoder reserves for the claim and then fails at the first element).
    package static func claimedCount(bytes: Int) -> [UInt8] {
        [24] + le32(bytes) + [1] + [UInt8](repeating: 0, count: bytes)
    }

    /// An OP_CACHE_GET_ALL body: entry 0 is (0, a `arrayBytes` byte array), entries 1...`handles` are
    /// (i, a five-byte handle to that array).
    package static func getAllWithHandles(arrayBytes: Int, handles: Int) -> [UInt8] {
        var out: [UInt8] = le32(handles + 1) + [3] + le32(0)
        let array = out.count
        out += [12] + le32(arrayBytes) + [UInt8](repeating: 0x61, count: arrayBytes)
        for key in 1...handles {
            out += [3] + le32(key)
            out += [102] + le32(out.count - array)
        }
        return out
    }

    /// The type and field ids of `ChainNode`.
    package static let nodeTypeId = JavaHash.typeId("ChainNode")
    package static let nodeFieldIds = ["level", "a", "b"].map { JavaHash.fieldId($0) }
    package static let nodeSchemaId: Int32 = 0x5EED_0001

    /// Java's shape of a chain where node k refers to node k-1 twice, once in full and once through a handle, with
    /// compact footers: as a tree, 2^depth nodes.
    package static func javaChain(depth: Int) -> [UInt8] {
        var out: [UInt8] = []
        appendNode(&out, level: depth)
        return out
    }

    private static func appendNode(_ out: inout [UInt8], level: Int) {
        let start = out.count
        out += [UInt8](repeating: 0, count: 24)
        var offsets = [out.count - start]
        out += [3] + le32(level)
        offsets.append(out.count - start)
        if level == 0 {
            out.append(101)
            offsets.append(out.count - start)
            out.append(101)
        } else {
            let child = out.count
            appendNode(&out, level: level - 1)
            offsets.append(out.count - start)
            out += [102] + le32(out.count - child)
        }
        let footer = out.count - start
        for offset in offsets { out += le32(offset) }
        var header: [UInt8] = [103, 1, 0x23, 0x00]  // user type, schema, compact footer; 4-byte offsets
        header += le32(Int(nodeTypeId)) + le32(0) + le32(out.count - start) + le32(Int(nodeSchemaId)) + le32(footer)
        out.replaceSubrange(start..<(start + 24), with: header)
    }

    /// The binary type of `ChainNode`, with the schema the chain uses.
    package static var nodeType: BinaryType {
        BinaryType(typeId: nodeTypeId, typeName: "ChainNode", affinityKeyFieldName: nil,
                   fields: [.init(name: "level", typeCode: Int32(TypeCode.int.rawValue), fieldId: nodeFieldIds[0]),
                            .init(name: "a", typeCode: Int32(TypeCode.complexObject.rawValue), fieldId: nodeFieldIds[1]),
                            .init(name: "b", typeCode: Int32(TypeCode.complexObject.rawValue), fieldId: nodeFieldIds[2])],
                   schemas: [.init(fieldIds: nodeFieldIds, schemaId: nodeSchemaId)], isEnum: false, enumValues: [])
    }

    /// An OP_CACHE_GET_ALL body of `count` entries (i, i) for i in 0..<count: more entries than a request for fewer
    /// keys can be answered with.
    package static func getAllEntries(count: Int) -> [UInt8] {
        var out = le32(count)
        for key in 0..<count { out += [3] + le32(key) + [3] + le32(key) }
        return out
    }

    /// An OP_CACHE_GET body: a byte array of `count` bytes.
    package static func byteArray(count: Int) -> [UInt8] {
        [12] + le32(count) + [UInt8](repeating: 0x62, count: count)
    }

    /// An OP_GET_BINARY_TYPE body for `type`.
    package static func binaryTypeBody(_ type: BinaryType?) -> [UInt8] {
        var writer = BinaryWriter()
        try? GetBinaryTypeRequest(typeId: type?.typeId ?? 0).encodeResponse(type, into: &writer, context: ProtocolContext(version: .v1_7_0))
        return writer.bytes
    }
}

/// What a piece of work cost the whole process: how much its resident memory peaked above its level before the work
/// (Linux's high-water mark, `VmHWM` in /proc/self/status, reset first by writing 5 to /proc/self/clear_refs) and the
/// CPU time it used (user + system, `getrusage`). Pages reserved but never touched do not count; memory freed and
/// reused does not count twice. Other work running at the same time counts too, so limits must leave room for it.
/// The peak is 0 where /proc is not available.
package struct ResourceUse: Sendable, CustomStringConvertible {
    /// The growth of the peak resident memory, in bytes.
    package var peakMemory: Int
    /// The process's CPU time (all threads).
    package var cpuTime: Duration

    package var description: String {
        "peak resident growth \(peakMemory >> 20) MiB, CPU \(cpuTime)"
    }

    /// Measures `body`.
    package static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, use: ResourceUse) {
        let start = Baseline()
        let result = try body()
        return (result, start.use())
    }

    /// Measures `body` (async).
    package static func measure<T>(_ body: () async throws -> T) async rethrows -> (result: T, use: ResourceUse) {
        let start = Baseline()
        let result = try await body()
        return (result, start.use())
    }

    private struct Baseline {
        let resident: Int?
        let cpu: Duration

        init() {
            resident = resetPeakResident() ? statusKilobytes("VmRSS") : nil
            cpu = processCPUTime()
        }

        func use() -> ResourceUse {
            let cpuNow = processCPUTime()
            guard let resident else { return ResourceUse(peakMemory: 0, cpuTime: cpuNow - cpu) }
            let peak = statusKilobytes("VmHWM") ?? resident
            return ResourceUse(peakMemory: max(0, peak - resident) * 1024, cpuTime: cpuNow - cpu)
        }
    }
}

/// How much the process's resident memory peaked above its level before `body` ran (see ``ResourceUse``).
package func peakMemoryGrowth<T>(_ body: () throws -> T) rethrows -> (result: T, peak: Int) {
    let (result, use) = try ResourceUse.measure(body)
    return (result, use.peakMemory)
}

private func processCPUTime() -> Duration {
    var usage = rusage()
    #if canImport(Glibc)
    let who = __rusage_who_t(RUSAGE_SELF.rawValue)
    #else
    let who = RUSAGE_SELF
    #endif
    guard getrusage(who, &usage) == 0 else { return .zero }
    func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
    return duration(usage.ru_utime) + duration(usage.ru_stime)
}

private func resetPeakResident() -> Bool {
    guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
    defer { try? handle.close() }
    return (try? handle.write(contentsOf: Data("5".utf8))) != nil
}

private func statusKilobytes(_ field: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
        return Int(line.dropFirst(field.count + 1).filter(\.isNumber))
    }
    return nil
}
