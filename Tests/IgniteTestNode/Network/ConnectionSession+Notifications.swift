import Foundation
import IgniteProtocol

extension ConnectionSession {
    /// Writes a server notification: `i64 resourceId, i16 flags (NOTIFICATION | ERROR?), i16 opCode, [i32 status,
    /// String message], body` (`pc/ClientNotification.encode`). Nothing is written on a closed connection.
    /// - Returns: Whether the frame was written.
    @discardableResult
    func sendNotification(resourceId: Int64, opCode: OpCode, result: OpResult) -> Bool {
        guard let context = state.withLock({ $0.closed ? nil : $0.context }), context.usesStatusFlags else { return false }
        var header = ResponseHeader(requestId: resourceId, notificationOpCode: opCode)
        var writer = BinaryWriter(capacity: 64)
        writer.writeInt32(0)
        switch result {
        case .success(let body):
            header.encode(into: &writer, context: context)
            writer.writeBytes(body)
        case .failure(let status, let message):
            header.status = status
            header.errorMessage = message
            header.encode(into: &writer, context: context)
        }
        writer.setInt32(Int32(truncatingIfNeeded: writer.count - 4), at: 0)
        writeLock.lock()
        defer { writeLock.unlock() }
        return Socket.writeAll(fd, writer.bytes)
    }
}
