internal import CIgniteOpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import IgniteProtocol

/// One TLS connection's state, without I/O: ciphertext from the network is fed in, plaintext comes out, and
/// ciphertext to send is taken out. The engine never owns a socket: it is the ``IgniteSecureSession`` that both the
/// blocking driver (`IgniteSockets`' `SecureTransport`) and an event-loop driver run.
///
/// Two OpenSSL memory BIOs sit under the `SSL` object: the inbound one holds fed ciphertext until OpenSSL
/// consumes it; the outbound one collects the records OpenSSL produces (handshake messages, application data,
/// alerts, key updates and TLS 1.3 session-ticket replies) until ``takeOutput(into:)`` drains them, in order.
///
/// Not thread-safe: the owner serialises every call (the blocking driver holds its session lock around each one).
/// OpenSSL's error queue is cleared before each operation, so error texts belong to that operation.
package final class TLSEngine: IgniteSecureSession {
    /// What the handshake needs next.
    package typealias HandshakeProgress = IgniteSecureHandshakeProgress

    /// What a plaintext read produced (``IgniteSecureReadResult/closed``: close_notify, or end of stream after
    /// ``feedEndOfStream()``).
    package typealias ReadResult = IgniteSecureReadResult

    private let ssl: OpaquePointer
    private let inbound: OpaquePointer
    private let outbound: OpaquePointer
    private let context: TLSContext
    /// The peer, for messages.
    package let peerDescription: String
    private var endOfStream = false
    private var failed: IgniteError?

    deinit { SSL_free(ssl) }  // frees both BIOs too

    /// Creates an engine for one connection.
    /// - Parameters:
    ///   - context: The shared TLS context (its role decides client or server).
    ///   - host: For clients: the host being connected to; verified against the certificate (unless disabled) and
    ///     sent as SNI when it is a name (never for IP literals). The configuration's `serverName` overrides it.
    ///   - peerDescription: The peer, for error messages.
    /// - Throws: ``IgniteError/Code/tls`` when OpenSSL cannot create the connection.
    package init(context: TLSContext, host: String?, peerDescription: String) throws {
        OpenSSLErrors.clear()
        guard let ssl = SSL_new(context.pointer) else { throw OpenSSLErrors.error("cannot create a TLS connection") }
        guard let inbound = BIO_new(BIO_s_mem()), let outbound = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw OpenSSLErrors.error("cannot create TLS buffers")
        }
        // An empty inbound BIO means "more may come" until the stream really ends.
        _ = cignite_BIO_set_mem_eof_return(inbound, -1)
        SSL_set_bio(ssl, inbound, outbound)
        self.ssl = ssl
        self.inbound = inbound
        self.outbound = outbound
        self.context = context
        self.peerDescription = peerDescription
        switch context.role {
        case .server:
            SSL_set_accept_state(ssl)
        case .client:
            SSL_set_connect_state(ssl)
            try configureClient(host: context.client?.serverName ?? host)
        }
    }

    private func configureClient(host: String?) throws {
        guard let configuration = context.client, let host else { return }
        guard !host.isEmpty else {
            if configuration.verifyPeer, configuration.verifyHostname {
                throw IgniteError.parameter("no host name to verify the TLS certificate against")
            }
            return
        }
        let address = IPAddressText.normalized(host)
        if configuration.verifyPeer, configuration.verifyHostname {
            OpenSSLErrors.clear()
            if let address {
                guard let parameters = SSL_get0_param(ssl), X509_VERIFY_PARAM_set1_ip_asc(parameters, address) == 1 else {
                    throw OpenSSLErrors.error("cannot set the IP address \(address) to verify")
                }
            } else {
                SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
                guard SSL_set1_host(ssl, host) == 1 else { throw OpenSSLErrors.error("cannot set the host name '\(host)' to verify") }
            }
        }
        if address == nil {
            OpenSSLErrors.clear()
            guard cignite_SSL_set_tlsext_host_name(ssl, host) == 1 else {
                throw OpenSSLErrors.error("cannot send the server name '\(host)' (SNI)")
            }
        }
    }

    // MARK: Feeding and draining

    /// Hands ciphertext received from the peer to the engine (copied; nothing is decrypted yet).
    /// - Throws: ``IgniteError/Code/tls`` if OpenSSL cannot buffer it.
    package func feed(_ ciphertext: UnsafeRawBufferPointer) throws {
        guard let base = ciphertext.baseAddress, !ciphertext.isEmpty else { return }
        var offset = 0
        while offset < ciphertext.count {
            let chunk = Int32(clamping: ciphertext.count - offset)
            OpenSSLErrors.clear()
            let written = BIO_write(inbound, base + offset, chunk)
            guard written > 0 else { throw OpenSSLErrors.error("cannot buffer data received from \(peerDescription)") }
            offset += Int(written)
        }
    }

    /// Records that the peer's stream ended: once the fed ciphertext is consumed, reads report ``ReadResult/closed``.
    package func feedEndOfStream() {
        endOfStream = true
        _ = cignite_BIO_set_mem_eof_return(inbound, 0)
    }

    /// The number of ciphertext bytes waiting to be sent.
    package var pendingOutput: Int { Int(BIO_ctrl_pending(outbound)) }

    /// Moves up to `buffer.count` bytes of ciphertext to send into `buffer`, oldest first.
    /// - Returns: The number of bytes moved (0 when nothing is pending).
    package func takeOutput(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let base = buffer.baseAddress, !buffer.isEmpty, BIO_ctrl_pending(outbound) > 0 else { return 0 }
        let n = BIO_read(outbound, base, Int32(clamping: buffer.count))
        return n > 0 ? Int(n) : 0
    }

    // MARK: Handshake

    /// Whether the handshake has completed.
    package var isHandshakeComplete: Bool { SSL_is_init_finished(ssl) == 1 }

    /// Advances the handshake with the ciphertext fed so far. Send ``pendingOutput`` after every call, also after
    /// a failure (it may hold an alert telling the peer why).
    /// - Returns: ``HandshakeProgress/complete`` or ``HandshakeProgress/needsInput``.
    /// - Throws: ``IgniteError/Code/tls`` with the certificate verification result and OpenSSL's reason.
    package func handshake() throws -> HandshakeProgress {
        if let failed { throw failed }
        OpenSSLErrors.clear()
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .complete }
        let code = SSL_get_error(ssl, result)
        if code == SSL_ERROR_WANT_READ, !endOfStream { return .needsInput }
        var detail: String?
        let verify = SSL_get_verify_result(ssl)
        if verify != Int(X509_V_OK) {
            let reason = X509_verify_cert_error_string(verify).map { String(cString: $0) } ?? "error \(verify)"
            detail = "certificate verification failed: \(reason)"
        } else if code == SSL_ERROR_WANT_READ || code == SSL_ERROR_SYSCALL || code == SSL_ERROR_ZERO_RETURN {
            detail = "the connection was closed during the handshake"
        }
        let error = OpenSSLErrors.error("TLS handshake with \(peerDescription) failed", detail: detail)
        failed = error
        throw error
    }

    // MARK: Application data

    /// Decrypts into `buffer`, processing any post-handshake messages on the way (TLS 1.3 session tickets and key
    /// updates; a key update the peer asks for leaves our own in ``pendingOutput``).
    /// - Returns: Plaintext bytes, ``ReadResult/needsInput`` or ``ReadResult/closed``.
    /// - Throws: ``IgniteError/Code/tls`` for a fatal alert from the peer or a damaged record.
    package func read(into buffer: UnsafeMutableRawBufferPointer) throws -> ReadResult {
        if let failed { throw failed }
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return .bytes(0) }
        OpenSSLErrors.clear()
        let n = SSL_read(ssl, base, Int32(clamping: buffer.count))
        if n > 0 { return .bytes(Int(n)) }
        switch SSL_get_error(ssl, n) {
        case SSL_ERROR_WANT_READ:
            if endOfStream { OpenSSLErrors.clear(); return .closed }
            return .needsInput
        case SSL_ERROR_ZERO_RETURN:
            return .closed
        case SSL_ERROR_SYSCALL where endOfStream:
            OpenSSLErrors.clear()
            return .closed
        default:
            let error = OpenSSLErrors.error("TLS error reading from \(peerDescription)")
            failed = error
            throw error
        }
    }

    /// Encrypts all of `plaintext` into ``pendingOutput``.
    /// - Throws: ``IgniteError/Code/tls`` when OpenSSL refuses (after a fatal error, or before the handshake).
    package func write(_ plaintext: UnsafeRawBufferPointer) throws {
        if let failed { throw failed }
        guard let base = plaintext.baseAddress, !plaintext.isEmpty else { return }
        var offset = 0
        while offset < plaintext.count {
            OpenSSLErrors.clear()
            let n = SSL_write(ssl, base + offset, Int32(clamping: plaintext.count - offset))
            if n > 0 {
                offset += Int(n)
                continue
            }
            let code = SSL_get_error(ssl, n)
            // With a memory BIO a write only "wants to read" in the middle of a handshake, which a connected
            // engine never starts (renegotiation is refused).
            let detail = code == SSL_ERROR_WANT_READ ? "the TLS session is not ready for data" : nil
            let error = OpenSSLErrors.error("TLS error writing to \(peerDescription)", detail: detail)
            failed = error
            throw error
        }
    }

    /// Queues a close_notify alert in ``pendingOutput`` (best effort; never throws).
    package func shutdown() {
        guard failed == nil, isHandshakeComplete else { return }
        OpenSSLErrors.clear()
        _ = SSL_shutdown(ssl)
        OpenSSLErrors.clear()
    }

    /// Starts a TLS 1.3 key update, asking the peer to update its keys too; the message goes out with the next
    /// output.
    /// - Throws: ``IgniteError/Code/tls`` when the session is not TLS 1.3 or not connected.
    package func requestKeyUpdate() throws {
        OpenSSLErrors.clear()
        guard SSL_key_update(ssl, SSL_KEY_UPDATE_REQUESTED) == 1 else {
            throw OpenSSLErrors.error("cannot start a key update with \(peerDescription)")
        }
        // SSL_key_update only schedules the message; a zero-length write sends it without data.
        OpenSSLErrors.clear()
        if SSL_do_handshake(ssl) != 1 { OpenSSLErrors.clear() }
    }

    // MARK: Session facts

    /// The negotiated protocol version, once connected.
    package var negotiatedVersion: IgniteTLSVersion? {
        isHandshakeComplete ? IgniteTLSVersion(wireValue: SSL_version(ssl)) : nil
    }

    /// The negotiated cipher's OpenSSL name (for example `"TLS_AES_256_GCM_SHA384"`), once connected.
    package var cipherName: String? {
        guard isHandshakeComplete, let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) else { return nil }
        return String(cString: name)
    }

    /// The SNI name the client sent (server side).
    package var requestedServerName: String? {
        SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name).map { String(cString: $0) }
    }

    /// The peer certificate's subject in OpenSSL's one-line form (for example `"/CN=localhost"`), if it sent one.
    package var peerCertificateSubject: String? {
        guard let certificate = SSL_get1_peer_certificate(ssl) else { return nil }
        defer { X509_free(certificate) }
        guard let name = X509_get_subject_name(certificate) else { return nil }
        var buffer = [CChar](repeating: 0, count: 512)
        return buffer.withUnsafeMutableBufferPointer { pointer -> String? in
            guard let base = pointer.baseAddress, X509_NAME_oneline(name, base, Int32(pointer.count)) != nil else { return nil }
            return String(cString: base)
        }
    }
}

/// IP literal detection for hostname verification and SNI.
package enum IPAddressText {
    /// The address text without brackets or an IPv6 zone (`"fe80::1%eth0"` → `"fe80::1"`) if `host` is an IPv4
    /// or IPv6 literal; `nil` for a host name.
    package static func normalized(_ host: String) -> String? {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if let percent = text.firstIndex(of: "%") { text = String(text[..<percent]) }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1 { return text }
        return nil
    }
}
