internal import CIgniteOpenSSL
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import IgniteProtocol

/// Reads certificates and keys from PEM files or in-memory PEM into an `SSL_CTX`.
/// Files and text go through the same parser (a file BIO or a memory BIO).
enum PEMLoading {
    /// Runs `body` with a BIO over `source`, freed afterwards.
    static func withBIO<T>(_ source: IgniteTLSConfiguration.PEMSource, what: String,
                           _ body: (OpaquePointer) throws -> T) throws -> T {
        OpenSSLErrors.clear()
        switch source {
        case .file(let path):
            guard let bio = BIO_new_file(path, "r") else {
                throw OpenSSLErrors.error("cannot open the \(what) file '\(path)'")
            }
            defer { BIO_free(bio) }
            return try body(bio)
        case .pem(let text):
            var bytes = Array(text.utf8)
            guard !bytes.isEmpty, bytes.count < Int(Int32.max) else {
                throw IgniteError.parameter("the in-memory \(what) PEM is empty or too large")
            }
            return try bytes.withUnsafeMutableBytes { raw -> T in
                // BIO_new_mem_buf makes a read-only BIO over our bytes; they outlive it here.
                guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else {
                    throw OpenSSLErrors.error("cannot read the in-memory \(what) PEM")
                }
                defer { BIO_free(bio) }
                return try body(bio)
            }
        }
    }

    /// Every certificate in `source`, in order (the caller frees them with `X509_free`).
    /// - Throws: ``IgniteError/Code/tls`` when the source cannot be read, holds no certificate or a damaged one.
    static func certificates(_ source: IgniteTLSConfiguration.PEMSource, what: String) throws -> [OpaquePointer] {
        try withBIO(source, what: what) { bio in
            var list: [OpaquePointer] = []
            while true {
                if let certificate = PEM_read_bio_X509(bio, nil, nil, nil) {
                    list.append(certificate)
                    continue
                }
                // The end of the PEM data reads as "no start line"; anything else is a damaged block.
                if !list.isEmpty, OpenSSLErrors.lastIsNoStartLine {
                    OpenSSLErrors.clear()
                    return list
                }
                for certificate in list { X509_free(certificate) }
                throw OpenSSLErrors.error(list.isEmpty ? "no certificate found in the \(what) \(source)"
                                                       : "a damaged certificate in the \(what) \(source)")
            }
        }
    }

    /// Adds every certificate of `source` to the context's trust store.
    static func addTrusted(_ source: IgniteTLSConfiguration.PEMSource, to context: OpaquePointer) throws {
        let list = try certificates(source, what: "CA certificate")
        defer { for certificate in list { X509_free(certificate) } }
        guard let store = SSL_CTX_get_cert_store(context) else {
            throw OpenSSLErrors.error("the TLS context has no certificate store")
        }
        for certificate in list {
            OpenSSLErrors.clear()
            // A certificate already in the store is not an error worth failing for.
            if X509_STORE_add_cert(store, certificate) != 1 { OpenSSLErrors.clear() }
        }
        // Every configured certificate is a trust anchor, as in a Java truststore: an intermediate CA or a pinned
        // server certificate works without its root.
        _ = X509_STORE_set_flags(store, UInt(X509_V_FLAG_PARTIAL_CHAIN))
    }

    /// Installs the certificate chain of `source` (leaf first) and its private key, and checks they match.
    static func useIdentity(certificate: IgniteTLSConfiguration.PEMSource, key: IgniteTLSConfiguration.PEMSource,
                            password: String?, in context: OpaquePointer) throws {
        let chain = try certificates(certificate, what: "certificate")
        defer { for item in chain { X509_free(item) } }
        guard let leaf = chain.first else { throw IgniteError(.tls, "no certificate found in \(certificate)") }
        OpenSSLErrors.clear()
        guard SSL_CTX_use_certificate(context, leaf) == 1 else {
            throw OpenSSLErrors.error("cannot use the certificate from \(certificate)")
        }
        for intermediate in chain.dropFirst() {
            OpenSSLErrors.clear()
            guard cignite_SSL_CTX_add1_chain_cert(context, intermediate) == 1 else {
                throw OpenSSLErrors.error("cannot add an intermediate certificate from \(certificate)")
            }
        }
        let privateKey = try readPrivateKey(key, password: password)
        defer { EVP_PKEY_free(privateKey) }
        OpenSSLErrors.clear()
        guard SSL_CTX_use_PrivateKey(context, privateKey) == 1 else {
            throw OpenSSLErrors.error("cannot use the private key from \(key)")
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw OpenSSLErrors.error("the private key \(key) does not match the certificate \(certificate)")
        }
    }

    /// Reads a private key, decrypting it with `password` if it is encrypted.
    /// Never prompts on a terminal: without a password an encrypted key fails.
    static func readPrivateKey(_ source: IgniteTLSConfiguration.PEMSource, password: String?) throws -> OpaquePointer {
        try withBIO(source, what: "private key") { bio in
            let key: OpaquePointer?
            if let password {
                var bytes = Array(password.utf8CString)
                key = bytes.withUnsafeMutableBytes { raw in
                    PEM_read_bio_PrivateKey(bio, nil, passwordCallback, raw.baseAddress)
                }
                // Do not leave the password in freed memory.
                bytes.withUnsafeMutableBytes { raw in
                    if let base = raw.baseAddress { memset(base, 0, raw.count) }
                }
            } else {
                key = PEM_read_bio_PrivateKey(bio, nil, passwordCallback, nil)
            }
            guard let key else {
                let hint = password == nil ? " (if the key is encrypted, set privateKeyPassword)"
                                           : " (wrong password or damaged key?)"
                throw OpenSSLErrors.error("cannot read the private key from \(source)\(hint)")
            }
            return key
        }
    }
}

/// OpenSSL's `pem_password_cb`: copies the NUL-terminated password at `userdata`; without one it fails instead
/// of OpenSSL's default of prompting on the terminal.
private let passwordCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?) -> Int32 = {
    buffer, size, _, userdata in
    guard let buffer, let userdata, size > 0 else { return -1 }
    let password = userdata.assumingMemoryBound(to: CChar.self)
    let length = strlen(password)
    guard length <= Int(size) else { return -1 }
    memcpy(buffer, password, length)
    return Int32(length)
}
