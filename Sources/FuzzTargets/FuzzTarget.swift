import Foundation

/// A parser of hostile input, exercised by libFuzzer (`scripts/fuzz`) and by the corpus replay tests.
///
/// Each case feeds arbitrary bytes to one parser that takes input from outside ura (the network,
/// Asterisk, a provider, an operator's files) and checks what must hold of the result. A parser that
/// traps, or breaks one of those properties (which ``FuzzTargetFailure`` reports by trapping, so
/// libFuzzer records the input), is a bug.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// RTP datagrams from the network: `RTPPacket(parsing:)`, and the serialization round trip.
    case rtp
    /// Events-socket messages from Asterisk: `ARIEnvelope.decode(from:)`.
    case ari
    /// Server-Sent Events from an LLM provider: `SSEParser`, fed in arbitrary pieces.
    case sse
    /// Flow files: `FlowLoader.parse(yaml:file:)`.
    case flow
    /// `.env` files: `DotEnv.parse(_:)`, then `Configuration.load(environment:)` on the result.
    case dotenv
    /// `Stasis(app,args...)` arguments from the dialplan: `StasisArgumentsInspection.parse(_:)`.
    case stasis
    /// Streaming providers' socket messages: Deepgram, OpenAI Realtime (transcription and
    /// speech-to-speech) and ElevenLabs readers, over sequences of messages.
    case provider

    /// Runs one input through the parser; returns normally unless a property failed (then it traps).
    public func run(_ input: Data) {
        switch self {
        case .rtp: RTPFuzzing.run(input)
        case .ari: ARIFuzzing.run(input)
        case .sse: SSEFuzzing.run(input)
        case .flow: FlowFuzzing.run(input)
        case .dotenv: DotEnvFuzzing.run(input)
        case .stasis: StasisFuzzing.run(input)
        case .provider: ProviderSocketFuzzing.run(input)
        }
    }
}

/// Stops the process on a broken property, so libFuzzer saves the input that caused it.
enum FuzzTargetFailure {
    static func check(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
        if !condition { fatalError("fuzz property failed: \(message())", file: file, line: line) }
    }
}
