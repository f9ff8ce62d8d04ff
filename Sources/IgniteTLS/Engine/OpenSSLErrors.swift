internal import CIgniteOpenSSL
import IgniteProtocol

/// OpenSSL's thread-local error queue, turned into `IgniteError` text.
///
/// Every operation starts with ``clear()`` so that text left by an earlier, unrelated call on the same thread
/// never ends up in another error; a failure then drains the queue with ``drain()``.
enum OpenSSLErrors {
    /// Empties this thread's error queue.
    @inline(__always)
    static func clear() { ERR_clear_error() }

    /// Removes every queued error and returns their texts, oldest first
    /// (for example `"error:0A000086:SSL routines::certificate verify failed"`).
    static func drain() -> [String] {
        var texts: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            let text = buffer.withUnsafeMutableBufferPointer { pointer -> String in
                guard let base = pointer.baseAddress else { return "error \(code)" }
                ERR_error_string_n(code, base, pointer.count)
                return String(cString: base)
            }
            if texts.count < 16 { texts.append(text) }
        }
        return texts
    }

    /// A ``IgniteError/Code/tls`` error: `message`, then OpenSSL's queued texts (the queue is emptied).
    /// - Parameters:
    ///   - message: What failed, in our words.
    ///   - detail: Extra facts to add before OpenSSL's text (for example the certificate verification result).
    static func error(_ message: String, detail: String? = nil) -> IgniteError {
        let queued = drain()
        var text = message
        if let detail { text += ": \(detail)" }
        if !queued.isEmpty { text += " [\(queued.joined(separator: "; "))]" }
        return IgniteError(.tls, text)
    }

    /// Whether the newest queued error is "no start line": a PEM reader ran out of PEM blocks.
    static var lastIsNoStartLine: Bool {
        let code = ERR_peek_last_error()
        return code != 0 && cignite_ERR_GET_REASON(code) == PEM_R_NO_START_LINE
    }
}
