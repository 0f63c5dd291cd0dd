// Offline speech benchmark: pocketsphinx grammar recognition (decoder load time and memory,
// real-time factor, finalisation latency after the end of the audio) and time to first audio
// of the offline synthesisers. Caller audio is flite speech through an 8 kHz µ-law line,
// upsampled to 16 kHz, fed in 20 ms frames at real-time pace. Last line:
// `offline: key=value ...`. An optional argument sets the recogniser's minimum acoustic
// score, to recalibrate it: the run reports how many in-grammar phrases it accepts and how
// many out-of-grammar utterances it rejects.
import Audio
import Dispatch
import Foundation
import Media
import OfflineSpeech
import Voice

let phrases = [
    "opening hours", "when are you open", "address", "where are you", "book an appointment",
    "make an appointment", "front desk", "operator", "talk to someone",
]
let utterances = ["book an appointment", "front desk", "when are you open", "address", "operator", "opening hours", "talk to someone", "where are you"]
let strangers = ["the weather is nice today", "good morning", "I would like a pizza with cheese", "front row seats", "is the doctor in today", "my cat is sleeping"]
let minimumScore = CommandLine.arguments.dropFirst().first.flatMap(Double.init) ?? PocketSphinxRecognizer.defaultMinimumAcousticScore

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

func residentMegabytes() -> Double {
    guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
          let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else { return 0 }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Caller audio: 16 kHz frames of 20 ms.
func lineFrames(_ text: String) async throws -> [[Int16]] {
    let speech = try await FliteSynthesizer(voice: .slt, sampleRate: 8000).samples(for: text)
    let silence = [Int16](repeating: 0, count: 2400)
    let line = (silence + speech + silence).map { MuLaw.decode(MuLaw.encode($0)) }
    let resampler = try Resampler(from: .hz8000, to: .hz16000)
    return stride(from: 0, to: line.count, by: 160).map { resampler.process(Array(line[$0..<min($0 + 160, line.count)])) }
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

let clock = ContinuousClock()

// MARK: Decoders: load time and memory.
let decoderCount = 4
let warmUp = try await PocketSphinxRecognizer.warmUpAudio()
let memoryBefore = residentMegabytes()
let pool = DecoderPool(maximumIdle: decoderCount, warmUpAudio: warmUp)
let loadStart = clock.now
try await pool.prewarm(decoderCount)
let loadMilliseconds = milliseconds(clock.now - loadStart) / Double(decoderCount)
let megabytesPerDecoder = (residentMegabytes() - memoryBefore) / Double(decoderCount)
print(String(format: "decoder: load+warm-up %.0f ms each, %.1f MB each (%d decoders)", loadMilliseconds, megabytesPerDecoder, decoderCount))

// MARK: Recognition: accuracy, real-time factor, finalisation latency.
let recognizer = PocketSphinxRecognizer(pool: pool, minimumAcousticScore: minimumScore)
var latencies: [Double] = []
var correct = 0
var audioSeconds = 0.0
var decodeCPU = 0.0
for text in utterances {
    let frames = try await lineFrames(text)
    audioSeconds += Double(frames.count) * 0.02
    let (audio, feed) = AsyncStream.makeStream(of: [Int16].self)
    let cpuBefore = cpuSeconds()
    let (finished, heard) = try await withThrowingTaskGroup(of: (ContinuousClock.Instant?, String?).self) { group in
        group.addTask {
            for frame in frames {
                feed.yield(frame)
                try await Task.sleep(for: .milliseconds(20))
            }
            feed.finish()
            return (clock.now, nil)
        }
        group.addTask {
            var final = ""
            for try await transcript in recognizer.transcribe(audio, hints: RecognitionHints(language: "en-US", phrases: phrases)) where transcript.isFinal {
                final = transcript.text
            }
            return (nil, final)
        }
        var end: ContinuousClock.Instant?
        var heard: String?
        for try await (instant, text) in group {
            if let instant { end = instant }
            if let text { heard = text }
        }
        return (end!, heard)
    }
    if heard == text { correct += 1 }
    latencies.append(milliseconds(clock.now - finished))
    decodeCPU += cpuSeconds() - cpuBefore
}
// Feeding sleeps; the CPU spent is decoding (plus a little scheduling).
let rtf = decodeCPU / audioSeconds
var rejected = 0
for text in strangers {
    var final = "?"
    let frames = try await lineFrames(text)
    let audio = AsyncStream<[Int16]> { continuation in
        for frame in frames { continuation.yield(frame) }
        continuation.finish()
    }
    for try await transcript in recognizer.transcribe(audio, hints: RecognitionHints(language: "en-US", phrases: phrases)) where transcript.isFinal {
        final = transcript.text
    }
    if final.isEmpty { rejected += 1 }
}
print(String(format: "recogniser (minimum score %.1f): %d/%d phrases right, %d/%d strangers rejected, RTF %.3f, finalisation median %.1f ms, max %.1f ms",
             minimumScore, correct, utterances.count, rejected, strangers.count, rtf, median(latencies), latencies.max()!))

// MARK: Accuracy on voices and lines the recogniser was not tuned on (fed at once, not paced).
func heard(_ samples: [Int16]) async throws -> String {
    let silence = [Int16](repeating: 0, count: 2400)
    let line = (silence + samples + silence).map { MuLaw.decode(MuLaw.encode($0)) }
    let resampler = try Resampler(from: .hz8000, to: .hz16000)
    let frames = stride(from: 0, to: line.count, by: 160).map { resampler.process(Array(line[$0..<min($0 + 160, line.count)])) }
    let audio = AsyncStream<[Int16]> { continuation in
        for frame in frames { continuation.yield(frame) }
        continuation.finish()
    }
    var final = ""
    for try await transcript in recognizer.transcribe(audio, hints: RecognitionHints(language: "en-US", phrases: phrases)) where transcript.isFinal {
        final = transcript.text
    }
    return final
}
var matrix: [String] = []
for voice in CallerVoice.allCases {
    for condition in LineCondition.allCases {
        var right = 0
        for (index, text) in utterances.enumerated() {
            let spoken = condition.apply(try await voice.speak(text), seed: UInt64(index + 1))
            if try await heard(spoken) == text { right += 1 }
        }
        matrix.append("\(voice.rawValue)/\(condition.rawValue)=\(right)/\(utterances.count)")
    }
}
print("recogniser by voice and line: " + matrix.joined(separator: " "))

// MARK: Synthesis: time to first audio.
let sentence = "Thank you for calling Riverside Clinic. How can I help you today?"
let frase = "Obrigado por ligar para a Clínica Vida. Como posso ajudar você hoje?"
func firstAudio(_ synthesizer: any SpeechSynthesizer, _ text: String, _ language: String) async throws -> (first: Double, rtf: Double) {
    var firsts: [Double] = []
    var rtfs: [Double] = []
    for _ in 1...5 {
        let start = clock.now
        var first: Double?
        var samples = 0
        for try await chunk in synthesizer.synthesize(text, language: language) {
            if first == nil { first = milliseconds(clock.now - start) }
            samples += chunk.count
        }
        firsts.append(first ?? .nan)
        rtfs.append(milliseconds(clock.now - start) / 1000 / (Double(samples) / Double(synthesizer.sampleRate)))
    }
    return (median(firsts), median(rtfs))
}
let slt = try await firstAudio(FliteSynthesizer(voice: .slt, sampleRate: 8000), sentence, "en-US")
let kal = try await firstAudio(FliteSynthesizer(voice: .kal, sampleRate: 8000), sentence, "en-US")
let espeakPT = try await firstAudio(EspeakSynthesizer(sampleRate: 8000), frase, "pt-BR")
let espeakEN = try await firstAudio(EspeakSynthesizer(sampleRate: 8000), sentence, "en-US")
print(String(format: "tts first audio (8 kHz, one 11-word sentence): flite slt %.1f ms (RTF %.3f), flite kal %.1f ms (RTF %.3f), espeak pt-br %.1f ms (RTF %.3f), espeak en-us %.1f ms (RTF %.3f)",
             slt.first, slt.rtf, kal.first, kal.rtf, espeakPT.first, espeakPT.rtf, espeakEN.first, espeakEN.rtf))

print("offline: voices=\(matrix.joined(separator: ",")) " + String(format: "decoder_load_ms=%.0f decoder_mb=%.1f accuracy=%d/%d rejected=%d/%d rtf=%.3f finalize_median_ms=%.1f finalize_max_ms=%.1f flite_slt_first_ms=%.1f flite_kal_first_ms=%.1f espeak_ptbr_first_ms=%.1f espeak_enus_first_ms=%.1f",
             loadMilliseconds, megabytesPerDecoder, correct, utterances.count, rejected, strangers.count, rtf, median(latencies), latencies.max()!,
             slt.first, kal.first, espeakPT.first, espeakEN.first))
