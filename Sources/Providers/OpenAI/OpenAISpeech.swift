import Audio
import Foundation
import Voice

/// A ``SpeechSynthesizer`` on an OpenAI-compatible `/audio/speech` endpoint (OpenAI, Kokoro-
/// and Piper-based servers, LocalAI).
///
/// With `pcm` the server streams raw 24 kHz 16-bit little-endian mono and each piece is
/// yielded as it arrives (an odd byte waits for its pair), so the caller hears the first words
/// while the rest is still being made. With `wav` the header is read first and the audio,
/// at whatever rate the server chose, is resampled to ``sampleRate`` as it arrives.
/// Characters synthesised go to the meter. Cancelling the consumer aborts the request.
public struct OpenAISpeech: SpeechSynthesizer {
    public let sampleRate: Int
    public let name: String
    let endpoint: ProviderEndpoint
    let server: OpenAIServerAccess
    let model: String
    let voice: String
    let speed: Double
    let format: Format
    let meter: CostMeter?

    /// The `response_format` asked for.
    public enum Format: String, Sendable {
        case pcm, wav
    }

    /// - Parameter sampleRate: the rate yielded: 24000 for `pcm` (OpenAI's fixed rate); for
    ///   `wav`, the rate the server's audio is converted to.
    public init(
        endpoint: ProviderEndpoint, server: OpenAIServerAccess, model: String, voice: String, speed: Double = 1,
        format: Format = .pcm, sampleRate: Int = 24000, meter: CostMeter? = nil
    ) {
        self.name = "tts:\(endpoint.provider):\(model)"
        self.endpoint = endpoint
        self.server = server
        self.model = model
        self.voice = voice
        self.speed = speed
        self.format = format
        self.sampleRate = format == .pcm ? 24000 : sampleRate
        self.meter = meter
    }

    private struct Body: Encodable {
        var model: String
        var input: String
        var voice: String
        var response_format: String
        var speed: Double
    }

    public func synthesize(_ text: String, language: String) -> AsyncThrowingStream<[Int16], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[Int16], any Error>.makeStream()
        let task = Task {
            do {
                try await run(text, into: continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func run(_ text: String, into output: AsyncThrowingStream<[Int16], any Error>.Continuation) async throws {
        let body = try JSONEncoder().encode(Body(model: model, input: text, voice: voice, response_format: format.rawValue, speed: speed))
        let accepted = ["audio/", "application/octet-stream"]
        let response = try await endpoint.open(
            server.request("audio/speech", contentType: "application/json", accept: "audio/*", body: body), accepting: accepted)
        meter?.record(endpoint.provider, ProviderUsage(characters: text.count))
        var decoder = PCMByteDecoder()
        var pending = Data()
        var resampler: Resampler?
        var headerRead = format == .pcm
        for try await piece in response.body {
            var bytes = piece
            if !headerRead {
                pending.append(piece)
                switch WAV.header(in: pending) {
                case .incomplete: continue
                case .invalid(let reason): throw endpoint.malformed("WAV: \(reason)")
                case .header(let header):
                    guard header.channels == 1 else { throw endpoint.malformed("WAV: \(header.channels) channels; speech is mono") }
                    headerRead = true
                    bytes = pending.dropFirst(header.dataOffset)
                    pending = Data()
                    if header.sampleRate != sampleRate {
                        resampler = try Resampler(from: SampleRate(hertz: header.sampleRate), to: SampleRate(hertz: sampleRate))
                    }
                }
            }
            var samples = decoder.decode(bytes)
            if let resampler { samples = resampler.process(samples) }
            if !samples.isEmpty { output.yield(samples) }
        }
        if !headerRead { throw endpoint.malformed("WAV ended inside its header") }
    }
}
