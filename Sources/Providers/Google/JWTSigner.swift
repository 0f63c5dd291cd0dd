import _CryptoExtras
import Foundation

/// Signs the RS256 JSON Web Token a service account exchanges for an access token.
struct JWTSigner: Sendable {
    private let key: _RSA.Signing.PrivateKey
    private let keyID: String?

    /// - Throws: ``ProviderError/misconfigured(provider:reason:)`` when the PEM is not an RSA key.
    init(pem: String, keyID: String?) throws {
        do {
            key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            throw ProviderError.misconfigured(provider: "google", reason: "private_key is not a usable RSA key")
        }
        self.keyID = keyID
    }

    /// `header.claims.signature`, each base64url without padding.
    func token(claims: [String: any Sendable]) throws -> String {
        var header: [String: String] = ["alg": "RS256", "typ": "JWT"]
        if let keyID { header["kid"] = keyID }
        let headerPart = Self.base64URL(try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys]))
        let claimsPart = Self.base64URL(try JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys]))
        let input = "\(headerPart).\(claimsPart)"
        let signature = try key.signature(for: Data(input.utf8), padding: .insecurePKCS1v1_5)
        return "\(input).\(Self.base64URL(signature.rawRepresentation))"
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
