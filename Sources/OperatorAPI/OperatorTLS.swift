import HummingbirdTLS

/// The PEM files the operator API serves HTTPS with (`OPERATOR_TLS_CERT`, `OPERATOR_TLS_KEY`).
public struct OperatorTLS: Sendable, Equatable {
    /// The certificate chain, leaf first.
    public var certificatePath: String
    /// The certificate's private key, unencrypted.
    public var privateKeyPath: String

    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }

    /// Reads both files as the server will, so a bad one is found before anything starts.
    /// - Throws: NIOSSL's error when a file is unreadable or not PEM.
    public func check() throws {
        _ = try serverConfiguration()
    }

    /// Reads both files.
    /// - Throws: NIOSSL's error when a file is unreadable or not PEM.
    func serverConfiguration() throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        let key = try NIOSSLPrivateKey(file: privateKeyPath, format: .pem)
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
    }
}
