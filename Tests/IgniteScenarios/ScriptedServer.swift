import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import IgniteProtocol

/// A tiny loopback TCP server for tests: each accepted connection runs a script on its own thread.
/// It speaks raw frames; the scripts decide what a "server" answers. Shared by both products' suites.
package final class ScriptedServer: @unchecked Sendable {
    /// One accepted connection, seen from the server side.
    package final class Peer: @unchecked Sendable {
        package let fd: Int32
        private var buffer: [UInt8] = []
        private let lock = NSLock()
        private var closed = false

        init(fd: Int32) { self.fd = fd }

        /// Reads one frame's payload, or `nil` at end of stream.
        package func readFrame() -> [UInt8]? {
            while true {
                if buffer.count >= 4 {
                    let length = Int(Int32(littleEndian: buffer.withUnsafeBytes { $0.loadUnaligned(as: Int32.self) }))
                    if length >= 0, buffer.count >= 4 + length {
                        let payload = Array(buffer[4..<(4 + length)])
                        buffer.removeSubrange(0..<(4 + length))
                        return payload
                    }
                }
                var chunk = [UInt8](repeating: 0, count: 65536)
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return nil }
                buffer += chunk[0..<n]
            }
        }

        /// Writes raw bytes (a whole frame or any part of one).
        package func write(_ bytes: [UInt8]) {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return }
                offset += n
            }
        }

        /// Shuts the connection down. The descriptor itself is closed by the script's thread when the script
        /// returns (``release()``), so a descriptor number is never reused under a running call.
        package func close() {
            lock.lock()
            defer { lock.unlock() }
            guard !closed else { return }
            closed = true
            shutdown(fd, Int32(SHUT_RDWR))
        }

        /// Closes the descriptor; only the script's own thread calls this, once, after the script.
        package func release() {
            close()
            _ = Glibc.close(fd)
        }

        /// Answers a handshake with success at `version`.
        package func acceptHandshake(nodeId: UUID = UUID(), features: ProtocolFeatures = ProtocolFeatures([.clusterStates])) -> HandshakeRequest? {
            guard let payload = readFrame(), let request = try? HandshakeRequest.decode(payload: payload) else { return nil }
            write(HandshakeResponse.success(features: features, nodeId: nodeId).frame(proposed: request.version))
            return request
        }

        /// Reads one request: (op code, request id, body).
        package func readRequest() -> (op: Int16, id: Int64, body: [UInt8])? {
            guard let payload = readFrame() else { return nil }
            var reader = BinaryReader(payload)
            guard let op = try? reader.readInt16(), let id = try? reader.readInt64() else { return nil }
            return (op, id, Array(payload[reader.position...]))
        }

        /// Writes a response frame.
        package func respond(id: Int64, body: [UInt8] = [], status: Int32 = 0, message: String? = nil,
                     topology: AffinityTopologyVersion? = nil, context: ProtocolContext = ProtocolContext(version: .v1_7_0)) {
            var writer = BinaryWriter()
            writer.writeInt32(0)
            ResponseHeader(requestId: id, topologyVersion: topology, status: status, errorMessage: message).encode(into: &writer, context: context)
            if status == 0 { writer.writeBytes(body) }
            writer.setInt32(Int32(writer.count - 4), at: 0)
            write(writer.bytes)
        }
    }

    package let port: Int
    private let listenFD: Int32
    private let script: @Sendable (Peer) -> Void
    private let lock = NSLock()
    private var peers: [Peer] = []
    private var stopped = false
    private var accepted = 0
    /// How many connections were accepted so far.
    package var acceptedCount: Int { lock.withLock { accepted } }

    package var endpoint: IgniteEndpoint { IgniteEndpoint(host: "127.0.0.1", port: port) }

    /// Starts listening on 127.0.0.1 (an ephemeral port); `script` runs for every accepted connection.
    package init(script: @escaping @Sendable (Peer) -> Void) throws {
        self.script = script
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw IgniteError(.socket, "test server socket") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 64) == 0 else { _ = Glibc.close(fd); throw IgniteError(.socket, "test server bind") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listenFD = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    private func acceptLoop() {
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                // The accept thread owns the listening descriptor: closing it anywhere else could let a
                // reused descriptor number be accepted on by this loop.
                _ = Glibc.close(listenFD)
                return
            }
            var on: Int32 = 1
            setsockopt(client, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
            let peer = Peer(fd: client)
            lock.lock()
            if stopped { lock.unlock(); peer.release(); _ = Glibc.close(listenFD); return }
            peers.append(peer)
            accepted += 1
            lock.unlock()
            let script = self.script
            let thread = Thread {
                script(peer)
                peer.release()
            }
            thread.start()
        }
    }

    /// Stops accepting and closes every connection.
    package func stop() {
        lock.lock()
        if stopped { lock.unlock(); return }
        stopped = true
        let all = peers
        lock.unlock()
        shutdown(listenFD, Int32(SHUT_RDWR))
        for peer in all { peer.close() }
    }

    deinit { stop() }
}

extension ScriptedServer {
    /// A server that withholds its first `withheldCount` requests, answers them all late (a null value each) once
    /// `release` is signalled, and then answers every further request with the Java `int` 42: the late-reply
    /// scenario of issue 10, item 9, shared by both products' tests.
    package static func withholdingReplies(_ withheldCount: Int, until release: DispatchSemaphore) throws -> ScriptedServer {
        try ScriptedServer { peer in
            guard peer.acceptHandshake() != nil else { return }
            var withheld: [Int64] = []
            while withheld.count < withheldCount, let request = peer.readRequest() { withheld.append(request.id) }
            guard release.wait(timeout: .now() + 120) == .success else { return }
            for id in withheld { peer.respond(id: id, body: [101]) }  // late: a null value each
            while let request = peer.readRequest() {
                peer.respond(id: request.id, body: [3] + HostileReplies.le32(42))
            }
        }
    }

    /// A server whose first connection closes after reading its first request, unanswered; later connections answer
    /// every get with the Java `int` 7 and every other request with an empty success. `requests` counts the
    /// requests read, by op code: the retry scenario shared by both products' tests.
    package static func droppingTheFirstRequest(counting requests: RequestTally) throws -> ScriptedServer {
        let connections = RequestTally()
        return try ScriptedServer { peer in
            let first = connections.add(0) == 1  // op 0 counts the connections accepted
            guard peer.acceptHandshake() != nil else { return }
            while let request = peer.readRequest() {
                requests.add(request.op)
                if first {
                    peer.close()
                    return
                }
                peer.respond(id: request.id, body: request.op == OpCode.cacheGet.rawValue ? [3] + HostileReplies.le32(7) : [])
            }
        }
    }
}

/// Counts by op code, from any thread.
package final class RequestTally: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [Int16: Int] = [:]

    package init() {}

    /// Counts one more of `op`. - Returns: the new count.
    @discardableResult
    package func add(_ op: Int16) -> Int { lock.withLock { counts[op, default: 0] += 1; return counts[op, default: 0] } }

    /// How many of `op` were counted.
    package subscript(_ op: OpCode) -> Int { lock.withLock { counts[op.rawValue, default: 0] } }
}
