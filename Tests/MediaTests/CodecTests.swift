import Audio
import Testing
@testable import Media

@Suite("Codecs")
struct CodecTests {
    // Facts measured on Asterisk 22.10.1 (captures/README.md).
    static let asteriskFacts: [(format: AudioFormat, payloadType: UInt8, bytesPer20ms: Int, timestampStep: Int, samples: Int)] = [
        (.ulaw, 0, 160, 160, 160),
        (.alaw, 8, 160, 160, 160),
        (.slin, 10, 320, 160, 160),
        (.slin16, 118, 640, 320, 320),
        (.g722, 9, 160, 160, 320),
    ]

    @Test("formats carry Asterisk's payload types, sizes and clocks", arguments: asteriskFacts)
    func asteriskFormatFacts(fact: (format: AudioFormat, payloadType: UInt8, bytesPer20ms: Int, timestampStep: Int, samples: Int)) {
        #expect(fact.format.payloadType == fact.payloadType)
        #expect(fact.format.payloadBytesPerFrame == fact.bytesPer20ms)
        #expect(fact.format.timestampStepPerFrame == fact.timestampStep)
        #expect(fact.format.samplesPerFrame == fact.samples)
        #expect(fact.format.makeDecoder().decode([UInt8](repeating: 0xD5, count: fact.bytesPer20ms)).count == fact.samples)
    }

    @Test("the factory knows ARI's format names and nothing else")
    func factoryNames() throws {
        for format in AudioFormat.allCases {
            #expect(try AudioFormat(name: format.name) == format)
        }
        #expect(try AudioFormat(name: "G722") == .g722)
        #expect(throws: CodecError.unknownFormat("opus")) { try AudioFormat(name: "opus") }
    }

    @Test("every sendable format makes an encoder whose frame is one packet", arguments: AudioFormat.allCases.filter(\.canSend))
    func encoderFrameSize(format: AudioFormat) throws {
        let encoder = try format.makeEncoder()
        #expect(encoder.format == format)
        let frame = [Int16](repeating: 1000, count: format.samplesPerFrame)
        #expect(encoder.encode(frame).count == format.payloadBytesPerFrame)
    }

    @Test("slin16 cannot be encoded: Asterisk drops PT 118")
    func slin16IsReceiveOnly() {
        #expect(!AudioFormat.slin16.canSend)
        #expect(throws: CodecError.receiveOnly(.slin16)) { try AudioFormat.slin16.makeEncoder() }
    }

    @Test("slin is big-endian on the wire", arguments: [AudioFormat.slin, .slin16])
    func slinBigEndian(format: AudioFormat) throws {
        let decoded = format.makeDecoder().decode([0x12, 0x34, 0xFF, 0xFE, 0x80, 0x00, 0x7F])
        #expect(decoded == [0x1234, -2, Int16.min])
        #expect(LinearPCMEncoder().encode([0x1234, -2, Int16.min, Int16.max]) == [0x12, 0x34, 0xFF, 0xFE, 0x80, 0x00, 0x7F, 0xFF])
    }

    @Test("G.722 keeps speech-like audio above 15 dB SNR after aligning for the codec delay")
    func g722SNR() throws {
        let input = TestSignals.speechLike(sampleRate: 16000, seconds: 2)
        let encoder = try AudioFormat.g722.makeEncoder()
        let decoder = AudioFormat.g722.makeDecoder()
        var output: [Int16] = []
        var frame = 0
        while (frame + 1) * 320 <= input.count {
            let payload = encoder.encode(Array(input[(frame * 320)..<((frame + 1) * 320)]))
            #expect(payload.count == 160)
            output += decoder.decode(payload)
            frame += 1
        }
        #expect(output.count == input.count)
        let lag = TestSignals.bestLag(reference: input, delayed: output, maxLag: 64)
        let half = input.count / 2
        let voiced = TestSignals.snr(reference: input[320..<(half - 64)], test: output[(320 + lag)..<(half - 64 + lag)])
        let chirp = TestSignals.snr(reference: input[half..<(input.count - 64)], test: output[(half + lag)..<(input.count - 64 + lag)])
        #expect(voiced > 15, "voiced SNR \(voiced) dB at lag \(lag)")
        #expect(chirp > 15, "chirp SNR \(chirp) dB at lag \(lag)")
    }

    @Test("G.722 encoder and decoder reset to a fresh stream")
    func g722Reset() throws {
        let input = TestSignals.speechLike(sampleRate: 16000, seconds: 0.1)
        let encoder = try AudioFormat.g722.makeEncoder()
        let first = encoder.encode(input)
        #expect(encoder.encode(input) != first)  // state carried over
        encoder.reset()
        #expect(encoder.encode(input) == first)

        let decoder = AudioFormat.g722.makeDecoder()
        let decoded = decoder.decode(first)
        decoder.reset()
        #expect(decoder.decode(first) == decoded)
    }
}
