import Audio
import Crypto
import Foundation
import HTTP
import LoopbackHTTPServer
import Settings
import Synchronization
import Testing
import Voice
import _CryptoExtras
@testable import Providers

/// A fake Google: OAuth token endpoint that checks the JWT's RS256 signature, Speech-to-Text
/// `speech:recognize` and Text-to-Speech `text:synthesize`.
final class FakeGoogle: Sendable {
    struct State {
        var tokensMinted = 0
        var refuseNextAPICall = false
        var badSignatures = 0
        /// The JWT claims of each token request, as JSON.
        var claims: [Data] = []
    }

    /// Shared with the server's handler.
    final class Ledger: Sendable {
        let state = Mutex(State())
    }

    let server: LoopbackHTTPServer
    let client = HTTPClient(name: "google-test")
    let stats = ProviderStats()
    let key: _RSA.Signing.PrivateKey
    let credentialsPath: String
    let ledger = Ledger()
    let expiresIn: Int

    init(expiresIn: Int = 3599, synthesizedRate: Int = 24000) async throws {
        let key = try _RSA.Signing.PrivateKey(pemRepresentation: TestServiceAccountKey.pkcs8PEM)
        self.key = key
        self.expiresIn = expiresIn
        let publicKey = key.publicKey
        let ledger = self.ledger
        let audio = WAV.encode((0..<480).map { Int16($0) }, sampleRate: synthesizedRate).base64EncodedString()
        server = try await LoopbackHTTPServer { request in
            switch request.path {
            case "/token":
                let form = Dictionary(uniqueKeysWithValues: String(decoding: request.body, as: UTF8.self).split(separator: "&").map { pair in
                    let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                    return (parts[0], parts.count > 1 ? parts[1] : "")
                })
                let parts = (form["assertion"] ?? "").split(separator: ".").map(String.init)
                guard form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer", parts.count == 3,
                      let signature = FakeGoogle.base64URLDecode(parts[2]),
                      publicKey.isValidSignature(
                          _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: Data("\(parts[0]).\(parts[1])".utf8)),
                          padding: .insecurePKCS1v1_5),
                      let claims = FakeGoogle.base64URLDecode(parts[1])
                else {
                    ledger.state.withLock { $0.badSignatures += 1 }
                    return .json(400, #"{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"#)
                }
                let number = ledger.state.withLock { state in
                    state.tokensMinted += 1
                    state.claims.append(claims)
                    return state.tokensMinted
                }
                return .json(200, #"{"access_token":"ya29.token-\#(number)","expires_in":\#(expiresIn),"token_type":"Bearer"}"#)
            case "/v1/speech:recognize", "/v1/text:synthesize":
                let refuse = ledger.state.withLock { state in
                    defer { state.refuseNextAPICall = false }
                    return state.refuseNextAPICall
                }
                let minted = ledger.state.withLock { $0.tokensMinted }
                guard !refuse, request.header("Authorization") == "Bearer ya29.token-\(minted)" else {
                    return .json(401, #"{"error":{"code":401,"message":"Request had invalid authentication credentials.","status":"UNAUTHENTICATED"}}"#)
                }
                if request.path == "/v1/text:synthesize" { return .json(200, #"{"audioContent":"\#(audio)"}"#) }
                return .json(200, #"{"results":[{"alternatives":[{"transcript":"quero marcar","confidence":0.9}],"resultEndTime":"1.2s","languageCode":"pt-br"},{"alternatives":[{"transcript":" uma consulta","confidence":0.7}]}],"totalBilledTime":"2s","requestId":"1"}"#)
            default:
                return .json(404, #"{"error":{"message":"not found"}}"#)
            }
        }
        credentialsPath = FileManager.default.temporaryDirectory.appendingPathComponent("ura-google-\(UUID().uuidString).json").path
        let credentials: [String: Any] = [
            "type": "service_account", "project_id": "ura-test", "private_key_id": "k1",
            "private_key": key.pkcs8PEMRepresentation, "client_email": "ura@ura-test.iam.gserviceaccount.com",
            "client_id": "1", "token_uri": server.baseURL.appendingPathComponent("token").absoluteString,
        ]
        try JSONSerialization.data(withJSONObject: credentials).write(to: URL(fileURLWithPath: credentialsPath))
    }

    static func base64URLDecode(_ text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        return Data(base64Encoded: base64)
    }

    var endpoint: ProviderEndpoint {
        ProviderEndpoint(provider: "google", client: client, timeouts: ProviderTimeouts(firstByte: .seconds(5), total: .seconds(10)), retry: .never, stats: stats)
    }

    func tokens(refreshMargin: Duration = .seconds(300)) throws -> GoogleAccessToken {
        try GoogleAccessToken(account: GoogleServiceAccount(contentsOf: credentialsPath), endpoint: endpoint, refreshMargin: refreshMargin)
    }

    func close() {
        try? FileManager.default.removeItem(atPath: credentialsPath)
        client.shutdown()
        server.shutdown()
    }
}

@Suite("Google Cloud")
struct GoogleTests {
    func audio(_ samples: [Int16]) -> AsyncStream<[Int16]> {
        AsyncStream { continuation in
            continuation.yield(samples)
            continuation.finish()
        }
    }

    @Test func recognizesWithASignedServiceAccountToken() async throws {
        let google = try await FakeGoogle()
        defer { google.close() }
        let meter = CostMeter(prices: PriceTable(rates: ["google": .init(transcriptionPerMinute: 0.024)]))
        let stt = GoogleSpeechToText(endpoint: google.endpoint, tokens: try google.tokens(), baseURL: google.server.baseURL, meter: meter)
        let hints = RecognitionHints(language: "pt-BR", phrases: ["consulta"])
        let (transcripts, error) = await collect(stt.transcribe(audio(Array(repeating: 7, count: 16000)), hints: hints))
        #expect(error == nil)
        #expect(transcripts.count == 1)
        #expect(transcripts.first?.text == "quero marcar uma consulta" && transcripts.first?.isFinal == true)
        #expect(abs((transcripts.first?.confidence ?? 0) - 0.8) < 1e-9)
        let claimsJSON = try #require(google.ledger.state.withLock { $0.claims.first })
        let claims = try #require(JSONSerialization.jsonObject(with: claimsJSON) as? [String: Any])
        #expect(claims["iss"] as? String == "ura@ura-test.iam.gserviceaccount.com")
        #expect(claims["scope"] as? String == "https://www.googleapis.com/auth/cloud-platform")
        #expect(claims["aud"] as? String == google.server.baseURL.appendingPathComponent("token").absoluteString)
        #expect((claims["exp"] as? Int ?? 0) - (claims["iat"] as? Int ?? 0) == 3600)
        let request = try #require(google.server.requests.last)
        let body = try #require(JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        let config = try #require(body["config"] as? [String: Any])
        #expect(config["encoding"] as? String == "LINEAR16" && config["sampleRateHertz"] as? Int == 16000)
        #expect(config["languageCode"] as? String == "pt-BR")
        let content = try #require((body["audio"] as? [String: Any])?["content"] as? String)
        #expect(Data(base64Encoded: content)?.count == 32000)
        #expect(abs(meter.report().total - 0.024 / 60) < 1e-12)
    }

    @Test func tokenIsCachedUntilNearExpiry() async throws {
        let google = try await FakeGoogle(expiresIn: 3599)
        defer { google.close() }
        let tokens = try google.tokens()
        let first = try await tokens.token()
        let second = try await tokens.token()
        #expect(first == second && first == "ya29.token-1")
        let shortLived = try await FakeGoogle(expiresIn: 200)
        defer { shortLived.close() }
        let renewing = try shortLived.tokens(refreshMargin: .seconds(300))
        #expect(try await renewing.token() == "ya29.token-1")
        #expect(try await renewing.token() == "ya29.token-2")
        #expect(google.ledger.state.withLock { $0.badSignatures } == 0)
    }

    @Test func concurrentCallersShareOneTokenRequest() async throws {
        let google = try await FakeGoogle()
        defer { google.close() }
        let tokens = try google.tokens()
        let results = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<5 { group.addTask { try await tokens.token() } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(results) == ["ya29.token-1"])
        #expect(google.ledger.state.withLock { $0.tokensMinted } == 1)
    }

    @Test func refusedTokenIsRenewedOnce() async throws {
        let google = try await FakeGoogle()
        defer { google.close() }
        let tts = GoogleTextToSpeech(endpoint: google.endpoint, tokens: try google.tokens(), voices: ["pt": "pt-BR-Neural2-A"], baseURL: google.server.baseURL)
        _ = await collect(tts.synthesize("Olá", language: "pt-BR"))
        google.ledger.state.withLock { $0.refuseNextAPICall = true }
        let (chunks, error) = await collect(tts.synthesize("Olá de novo", language: "pt-BR"))
        #expect(error == nil)
        #expect(chunks.flatMap { $0 } == (0..<480).map { Int16($0) })
        #expect(google.ledger.state.withLock { $0.tokensMinted } == 2)
    }

    @Test(arguments: [("pt-BR", "pt-BR-Neural2-A"), ("en-US", "en-US-Neural2-F")])
    func synthesizesWithTheLanguagesVoice(language: String, voice: String) async throws {
        let google = try await FakeGoogle()
        defer { google.close() }
        let meter = CostMeter(prices: PriceTable())
        let tts = GoogleTextToSpeech(
            endpoint: google.endpoint, tokens: try google.tokens(), voices: ["pt": "pt-BR-Neural2-A", "en": "en-US-Neural2-F"],
            baseURL: google.server.baseURL, speakingRate: 1.1, meter: meter)
        #expect(tts.sampleRate == 24000)
        let (chunks, error) = await collect(tts.synthesize("Bom dia", language: language))
        #expect(error == nil)
        #expect(chunks.flatMap { $0 } == (0..<480).map { Int16($0) })
        let request = try #require(google.server.requests.last)
        let body = try #require(JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        let voiceObject = try #require(body["voice"] as? [String: Any])
        #expect(voiceObject["languageCode"] as? String == language && voiceObject["name"] as? String == voice)
        let audioConfig = try #require(body["audioConfig"] as? [String: Any])
        #expect(audioConfig["audioEncoding"] as? String == "LINEAR16" && audioConfig["speakingRate"] as? Double == 1.1)
        #expect(meter.report().usage["google"]?.characters == 7)
    }

    @Test func synthesizedAudioAtAnotherRateIsResampled() async throws {
        let google = try await FakeGoogle(synthesizedRate: 16000)
        defer { google.close() }
        let tts = GoogleTextToSpeech(endpoint: google.endpoint, tokens: try google.tokens(), voices: [:], baseURL: google.server.baseURL, sampleRate: 8000)
        let (chunks, error) = await collect(tts.synthesize("Hi", language: "en-US"))
        #expect(error == nil)
        let count = chunks.reduce(0) { $0 + $1.count }
        #expect(count > 150 && count <= 240)
    }

    @Test func unusableCredentialsAreMisconfigured() throws {
        #expect(throws: ProviderError.self) { try GoogleServiceAccount(json: Data(#"{"type":"authorized_user","client_id":"x"}"#.utf8)) }
        #expect(throws: ProviderError.self) { try GoogleServiceAccount(json: Data("not json".utf8)) }
        #expect(throws: ProviderError.self) { try GoogleServiceAccount(contentsOf: "/no/such/file.json") }
        let account = GoogleServiceAccount(clientEmail: "a@b", privateKeyPEM: Secret("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"), tokenURI: URL(string: "http://127.0.0.1:1/token")!)
        let client = HTTPClient(name: "unused")
        defer { client.shutdown() }
        #expect(throws: ProviderError.self) {
            try GoogleAccessToken(account: account, endpoint: ProviderEndpoint(provider: "google", client: client, stats: ProviderStats()))
        }
    }

    @Test func thePrivateKeyNeverShowsWhenTheAccountIsPrinted() throws {
        let key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"
        let json = try JSONSerialization.data(withJSONObject: ["type": "service_account", "client_email": "a@b", "private_key": key])
        let account = try GoogleServiceAccount(json: json)
        var dumped = ""
        dump(account, to: &dumped)
        for shown in ["\(account)", String(reflecting: account), dumped] {
            #expect(!shown.contains("MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"), "\(shown)")
        }
        #expect(account.privateKeyPEM.reveal() == key)
    }
}
