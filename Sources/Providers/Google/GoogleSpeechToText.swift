import Foundation
import HTTP
import Voice

/// A ``SpeechRecognizer`` on Google Cloud Speech-to-Text v1 REST `speech:recognize`.
///
/// Like ``OpenAITranscriber`` it collects the utterance, then sends it once as base64
/// LINEAR16 with the hints' language and phrases (`speechContexts`); the best alternative of
/// each result joins into the one final transcript. Requests carry a service-account token
/// from ``GoogleAccessToken``; a 401 drops the cached token and retries once with a new one.
public struct GoogleSpeechToText: SpeechRecognizer {
    public let sampleRate: Int
    public let name = "stt:google"
    let endpoint: ProviderEndpoint
    let tokens: GoogleAccessToken
    let baseURL: URL
    let model: String?
    let meter: CostMeter?

    /// - Parameters:
    ///   - baseURL: `https://speech.googleapis.com` (tests point it elsewhere).
    ///   - model: a recognition model (`phone_call`, `latest_short`), or nil for the default.
    public init(
        endpoint: ProviderEndpoint, tokens: GoogleAccessToken, baseURL: URL = URL(string: "https://speech.googleapis.com")!,
        model: String? = nil, sampleRate: Int = 16000, meter: CostMeter? = nil
    ) {
        self.endpoint = endpoint
        self.tokens = tokens
        self.baseURL = baseURL
        self.model = model
        self.sampleRate = sampleRate
        self.meter = meter
    }

    private struct Body: Encodable {
        struct Config: Encodable {
            struct Context: Encodable { var phrases: [String] }
            var encoding = "LINEAR16"
            var sampleRateHertz: Int
            var languageCode: String
            var model: String?
            var speechContexts: [Context]?
        }

        struct Audio: Encodable { var content: String }
        var config: Config
        var audio: Audio
    }

    private struct Answer: Decodable {
        struct Result: Decodable {
            struct Alternative: Decodable {
                var transcript: String?
                var confidence: Double?
            }

            var alternatives: [Alternative]?
        }

        var results: [Result]?
    }

    public func transcribe(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints) -> AsyncThrowingStream<Transcript, any Error> {
        UtteranceRecognition.transcribe(audio) { samples in try await self.recognize(samples, hints: hints) }
    }

    func recognize(_ samples: [Int16], hints: RecognitionHints) async throws -> Transcript {
        guard !samples.isEmpty else { return Transcript(text: "", isFinal: true) }
        let pcm = samples.map { UInt16(bitPattern: $0).littleEndian }.withUnsafeBytes { Data($0) }
        let body = try JSONEncoder().encode(Body(
            config: .init(
                sampleRateHertz: sampleRate, languageCode: hints.language, model: model,
                speechContexts: hints.phrases.isEmpty ? nil : [.init(phrases: hints.phrases)]),
            audio: .init(content: pcm.base64EncodedString())))
        let answer = try await GoogleRequest.send(
            url: baseURL.appendingPathComponent("v1/speech:recognize"), body: body, endpoint: endpoint, tokens: tokens)
        meter?.record(endpoint.provider, ProviderUsage(audioSeconds: Double(samples.count) / Double(sampleRate)))
        guard let decoded = try? JSONDecoder().decode(Answer.self, from: answer) else {
            throw endpoint.malformed("recognize answer is not the expected JSON")
        }
        let best = (decoded.results ?? []).compactMap { $0.alternatives?.first }
        let text = best.compactMap(\.transcript).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        let confidences = best.compactMap(\.confidence)
        return Transcript(
            text: text, isFinal: true,
            confidence: confidences.isEmpty ? nil : confidences.reduce(0, +) / Double(confidences.count))
    }
}
