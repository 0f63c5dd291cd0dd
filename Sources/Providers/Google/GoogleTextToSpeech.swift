import Audio
import Foundation
import Voice

/// A ``SpeechSynthesizer`` on Google Cloud Text-to-Speech v1 REST `text:synthesize`.
///
/// The REST API answers with the whole sentence at once (base64 LINEAR16 in a WAV
/// container), so the first audio comes when synthesis is complete; it is yielded in 100 ms
/// chunks at ``sampleRate``, which is requested from Google (and resampled if Google chose
/// another). The voice is chosen by the language family (`pt`, `en`).
public struct GoogleTextToSpeech: SpeechSynthesizer {
    public let sampleRate: Int
    public let name = "tts:google"
    let endpoint: ProviderEndpoint
    let tokens: GoogleAccessToken
    let baseURL: URL
    let voices: [String: String]
    let speakingRate: Double
    let meter: CostMeter?

    /// - Parameters:
    ///   - voices: voice names by language family, e.g. `["pt": "pt-BR-Neural2-A", "en": "en-US-Neural2-F"]`;
    ///     a language without one lets Google pick a voice.
    ///   - baseURL: `https://texttospeech.googleapis.com` (tests point it elsewhere).
    public init(
        endpoint: ProviderEndpoint, tokens: GoogleAccessToken, voices: [String: String],
        baseURL: URL = URL(string: "https://texttospeech.googleapis.com")!, speakingRate: Double = 1, sampleRate: Int = 24000,
        meter: CostMeter? = nil
    ) {
        self.endpoint = endpoint
        self.tokens = tokens
        self.voices = voices
        self.baseURL = baseURL
        self.speakingRate = speakingRate
        self.sampleRate = sampleRate
        self.meter = meter
    }

    private struct Body: Encodable {
        struct Input: Encodable { var text: String }
        struct Voice: Encodable {
            var languageCode: String
            var name: String?
        }

        struct AudioConfig: Encodable {
            var audioEncoding = "LINEAR16"
            var sampleRateHertz: Int
            var speakingRate: Double
        }

        var input: Input
        var voice: Voice
        var audioConfig: AudioConfig
    }

    private struct Answer: Decodable { var audioContent: String }

    public func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[Int16], any Error>.makeStream()
        let task = Task {
            do {
                let samples = try await synthesizeAll(text, language: language)
                let chunk = max(1, sampleRate / 10)
                for start in stride(from: 0, to: samples.count, by: chunk) {
                    continuation.yield(Array(samples[start..<min(start + chunk, samples.count)]))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    func synthesizeAll(_ text: String, language: String) async throws -> [Int16] {
        let body = try JSONEncoder().encode(Body(
            input: .init(text: text),
            voice: .init(languageCode: language, name: voices[PhoneAgentPrompt.family(of: language)]),
            audioConfig: .init(sampleRateHertz: sampleRate, speakingRate: speakingRate)))
        let answer = try await GoogleRequest.send(
            url: baseURL.appendingPathComponent("v1/text:synthesize"), body: body, endpoint: endpoint, tokens: tokens)
        meter?.record(endpoint.provider, ProviderUsage(characters: text.count))
        guard let decoded = try? JSONDecoder().decode(Answer.self, from: answer), let audio = Data(base64Encoded: decoded.audioContent) else {
            throw endpoint.malformed("synthesize answer without base64 audioContent")
        }
        var rate = sampleRate
        var pcm = audio
        // LINEAR16 comes in a WAV container; tolerate bare PCM at the requested rate too.
        switch WAV.header(in: audio) {
        case .header(let header):
            guard header.channels == 1 else { throw endpoint.malformed("WAV: \(header.channels) channels; speech is mono") }
            rate = header.sampleRate
            pcm = audio.dropFirst(header.dataOffset)
        case .invalid(let reason) where audio.starts(with: Array("RIFF".utf8)):
            throw endpoint.malformed("WAV: \(reason)")
        case .invalid, .incomplete:
            break
        }
        var decoder = PCMByteDecoder()
        let samples = decoder.decode(Data(pcm))
        guard rate != sampleRate else { return samples }
        return try Resampler(from: SampleRate(hertz: rate), to: SampleRate(hertz: sampleRate)).process(samples)
    }
}
