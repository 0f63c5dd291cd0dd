import Foundation
import Settings

/// The parts of a Google service account key file (`GOOGLE_APPLICATION_CREDENTIALS`) ura uses.
public struct GoogleServiceAccount: Sendable, Equatable {
    public var clientEmail: String
    /// PEM, PKCS#8 (`BEGIN PRIVATE KEY`) as Google issues it, or PKCS#1; a ``Settings/Secret``
    /// so that logging or dumping the account never shows it.
    public var privateKeyPEM: Secret
    public var privateKeyID: String?
    /// Where tokens are minted; `https://oauth2.googleapis.com/token` in real files.
    public var tokenURI: URL
    public var projectID: String?

    public init(clientEmail: String, privateKeyPEM: Secret, privateKeyID: String? = nil, tokenURI: URL, projectID: String? = nil) {
        self.clientEmail = clientEmail
        self.privateKeyPEM = privateKeyPEM
        self.privateKeyID = privateKeyID
        self.tokenURI = tokenURI
        self.projectID = projectID
    }

    private struct File: Decodable {
        var type: String?
        var client_email: String?
        var private_key: String?
        var private_key_id: String?
        var token_uri: String?
        var project_id: String?
    }

    /// Parses a key file's JSON.
    /// - Throws: ``ProviderError/misconfigured(provider:reason:)`` naming what is missing.
    public init(json: Data) throws {
        guard let file = try? JSONDecoder().decode(File.self, from: json) else {
            throw ProviderError.misconfigured(provider: "google", reason: "the credentials file is not JSON")
        }
        guard file.type == nil || file.type == "service_account" else {
            throw ProviderError.misconfigured(provider: "google", reason: "credentials of type \"\(file.type ?? "")\"; a service account key is needed")
        }
        guard let email = file.client_email, let key = file.private_key else {
            throw ProviderError.misconfigured(provider: "google", reason: "the credentials file lacks client_email or private_key")
        }
        guard let tokenURI = URL(string: file.token_uri ?? "https://oauth2.googleapis.com/token") else {
            throw ProviderError.misconfigured(provider: "google", reason: "token_uri is not a URL")
        }
        self.init(clientEmail: email, privateKeyPEM: Secret(key), privateKeyID: file.private_key_id, tokenURI: tokenURI, projectID: file.project_id)
    }

    /// Reads and parses the key file at `path`.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ProviderError.misconfigured(provider: "google", reason: "cannot read credentials file \(path)")
        }
        try self.init(json: data)
    }
}
