import Audio
import Foundation
import Voice

/// A ``SpeechRecognizer`` on an OpenAI-compatible `/audio/transcriptions` endpoint (OpenAI
/// Whisper and gpt-4o-transcribe, faster-whisper servers, LocalAI, vLLM).
///
/// The endpoint takes whole files, so the utterance's audio is collected until the pipeline
/// ends it, then uploaded once as a 16-bit mono WAV in a multipart form with `model`,
/// `language` (ISO 639-1, from the hints), `prompt` (the configured prompt, the hints' prompt
/// and phrases) and `response_format`. The one result is the final transcript; there are no
/// partials. Error answers in both `{"error":{"message":…}}` and `{"detail":…}` shapes become
/// ``ProviderError/http(provider:status:message:)``. Seconds of audio sent go to the meter.
public struct OpenAITranscriber: SpeechRecognizer {
    /// The JSON the server is asked for.
    public enum ResponseFormat: String, Sendable {
        /// `{"text": …}`.
        case json
        /// Adds language, duration and segments, whose log-probabilities give a confidence.
        case verboseJSON = "verbose_json"
    }

    public let sampleRate: Int
    public let name: String
    let endpoint: ProviderEndpoint
    let server: OpenAIServerAccess
    let model: String
    let prompt: String?
    let responseFormat: ResponseFormat
    let meter: CostMeter?

    public init(
        endpoint: ProviderEndpoint, server: OpenAIServerAccess, model: String, prompt: String? = nil,
        responseFormat: ResponseFormat = .json, sampleRate: Int = 16000, meter: CostMeter? = nil
    ) {
        self.name = "stt:\(endpoint.provider):\(model)"
        self.endpoint = endpoint
        self.server = server
        self.model = model
        self.prompt = prompt
        self.responseFormat = responseFormat
        self.sampleRate = sampleRate
        self.meter = meter
    }

    public func transcribe(_ audio: AsyncStream<[Int16]>, hints: RecognitionHints) -> AsyncThrowingStream<Transcript, any Error> {
        UtteranceRecognition.transcribe(audio) { samples in try await self.recognize(samples, hints: hints) }
    }

    /// Uploads one utterance and returns its final transcript.
    func recognize(_ samples: [Int16], hints: RecognitionHints) async throws -> Transcript {
        guard !samples.isEmpty else { return Transcript(text: "", isFinal: true) }
        var form = MultipartForm()
        form.addFile("file", filename: "utterance.wav", contentType: "audio/wav", data: WAV.encode(samples, sampleRate: sampleRate))
        form.add("model", model)
        let language = PhoneAgentPrompt.family(of: hints.language)
        if !language.isEmpty { form.add("language", language) }
        let primer = ([prompt, hints.prompt].compactMap { $0 } + (hints.phrases.isEmpty ? [] : [hints.phrases.joined(separator: ", ")]))
            .filter { !$0.isEmpty }.joined(separator: " ")
        if !primer.isEmpty { form.add("prompt", primer) }
        form.add("response_format", responseFormat.rawValue)
        let (_, body) = try await endpoint.fetch(
            server.request("audio/transcriptions", contentType: form.contentType, accept: "application/json", body: form.finished()),
            accepting: ["application/json"])
        meter?.record(endpoint.provider, ProviderUsage(audioSeconds: Double(samples.count) / Double(sampleRate)))
        return try Self.transcript(from: body, endpoint: endpoint)
    }

    private struct Answer: Decodable {
        struct Segment: Decodable { var avg_logprob: Double? }
        var text: String
        var segments: [Segment]?
    }

    static func transcript(from body: Data, endpoint: ProviderEndpoint) throws -> Transcript {
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: body)
        } catch {
            throw endpoint.malformed("transcription without \"text\": \(String(decoding: body.prefix(120), as: UTF8.self))")
        }
        let logProbabilities = answer.segments?.compactMap(\.avg_logprob) ?? []
        let confidence = logProbabilities.isEmpty ? nil : exp(logProbabilities.reduce(0, +) / Double(logProbabilities.count))
        return Transcript(text: answer.text.trimmingCharacters(in: .whitespacesAndNewlines), isFinal: true, confidence: confidence)
    }
}
