import Testing
@testable import OfflineSpeech

@Test func calibrationScratch() async throws {
    let pool = DecoderPool(warmUpAudio: try await PocketSphinxRecognizer.warmUpAudio())
    let grammar = ["opening hours", "hours", "when are you open", "address", "where are you", "book an appointment", "appointment",
                   "make an appointment", "front desk", "operator", "talk to someone", "agent"]
    let inGrammar = ["opening hours", "address", "book an appointment", "front desk", "when are you open", "operator", "agent", "where are you", "hours", "appointment"]
    let outOfGrammar = ["I would like a pizza with cheese", "the weather is nice today", "banana", "can you hear me now", "my cat is sleeping", "seven", "yes", "opening the door", "front row seats", "good morning"]
    for voice in FliteVoice.allCases {
        for (label, set) in [("IN", inGrammar), ("OUT", outOfGrammar)] {
            for text in set {
                let frames = try await PhoneLine.frames(saying: text, voice: voice)
                let d = try await PocketSphinxRecognizer.decode(PhoneLine.stream(frames), phrases: grammar, pool: pool) { _ in }
                print("CAL \(voice) \(label) \(text) -> \(d?.phrase ?? "nil") \(d?.scoreMargin ?? -99)")
            }
        }
    }
}
