import Foundation
import HTTP
import OperatorAPI
import Testing

/// With a certificate and key, the API speaks HTTPS only.
@Suite struct TLSTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    static let tls = OperatorTLS(
        certificatePath: fixtures.appendingPathComponent("test-tls-cert.pem").path,
        privateKeyPath: fixtures.appendingPathComponent("test-tls-key.pem").path)

    @Test func theAPIAnswersOverHTTPSAndRefusesPlainHTTP() async throws {
        try await TestServer.with(tls: Self.tls) { server in
            var request = try server.makeRequest(.get, "/v1/calls")
            #expect(request.url.scheme == "https")
            request.trustedCertificatesPath = Self.tls.certificatePath
            let response = try await server.client.execute(request)
            #expect(response.status == 200)

            let untrusted = try server.makeRequest(.get, "/v1/calls")
            await #expect(throws: HTTPClientError.self, "a client that does not trust the certificate cannot talk to it") {
                try await server.client.execute(untrusted)
            }

            var plain = try server.makeRequest(.get, "/v1/calls")
            plain.url = try #require(URL(string: plain.url.absoluteString.replacingOccurrences(of: "https://", with: "http://")))
            let answer = try? await server.client.execute(plain)
            #expect(answer == nil || answer?.status != 200, "plain HTTP gets no answer from the HTTPS server")
        }
    }

    @Test func aMissingCertificateFailsTheStart() async throws {
        let missing = OperatorTLS(certificatePath: "/nonexistent/cert.pem", privateKeyPath: Self.tls.privateKeyPath)
        await #expect(throws: (any Error).self) {
            try await TestServer.with(tls: missing) { _ in }
        }
    }
}
