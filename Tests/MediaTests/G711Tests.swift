import Audio
import CSpanDSP
import Testing
@testable import Media

@Suite("G.711")
struct G711Tests {
    @Test("µ-law encodes every 16-bit sample as spandsp does")
    func muLawEncodeAll() {
        var mismatches = 0
        for value in Int16.min...Int16.max where MuLaw.encode(value) != cspandsp_linear_to_ulaw(value) {
            mismatches += 1
        }
        #expect(mismatches == 0)
    }

    @Test("A-law encodes every 16-bit sample as spandsp does")
    func aLawEncodeAll() {
        var mismatches = 0
        for value in Int16.min...Int16.max where ALaw.encode(value) != cspandsp_linear_to_alaw(value) {
            mismatches += 1
        }
        #expect(mismatches == 0)
    }

    @Test("every code decodes as spandsp does")
    func decodeAll() {
        for code in UInt8.min...UInt8.max {
            #expect(MuLaw.decode(code) == cspandsp_ulaw_to_linear(code), "µ-law \(code)")
            #expect(ALaw.decode(code) == cspandsp_alaw_to_linear(code), "A-law \(code)")
        }
    }

    // Values from ITU-T G.711 tables 1 and 2, scaled to 16 bits (µ-law × 4, A-law × 8).
    static let ituMuLaw: [(code: UInt8, linear: Int16)] = [
        (0xFF, 0), (0x7F, 0), (0xFE, 8), (0x7E, -8), (0x80, 32124), (0x00, -32124), (0xEF, 132), (0x8F, 16764),
    ]
    static let ituALaw: [(code: UInt8, linear: Int16)] = [
        (0xD5, 8), (0x55, -8), (0xAA, 32256), (0x2A, -32256), (0xC5, 264), (0x85, 4224),
    ]

    @Test("µ-law decodes to ITU table values", arguments: ituMuLaw)
    func muLawTable(entry: (code: UInt8, linear: Int16)) {
        #expect(MuLaw.decode(entry.code) == entry.linear)
    }

    @Test("A-law decodes to ITU table values", arguments: ituALaw)
    func aLawTable(entry: (code: UInt8, linear: Int16)) {
        #expect(ALaw.decode(entry.code) == entry.linear)
    }

    @Test("decoding then re-encoding any code is stable")
    func reencodeIsStable() {
        for code in UInt8.min...UInt8.max {
            let mu = MuLaw.decode(code)
            #expect(MuLaw.decode(MuLaw.encode(mu)) == mu)
            let a = ALaw.decode(code)
            #expect(ALaw.decode(ALaw.encode(a)) == a)
        }
    }

    @Test("buffer codecs agree with the per-sample functions", arguments: [AudioFormat.ulaw, .alaw])
    func bufferCodecs(format: AudioFormat) throws {
        let samples = TestSignals.speechLike(sampleRate: 8000, seconds: 0.02)
        let encoder = try format.makeEncoder()
        let payload = encoder.encode(samples)
        #expect(payload.count == 160)
        let expected = samples.map { format == .ulaw ? MuLaw.encode($0) : ALaw.encode($0) }
        #expect(payload == expected)
        let decoded = format.makeDecoder().decode(payload)
        #expect(decoded.count == 160)
        #expect(TestSignals.snr(reference: samples[...], test: decoded[...]) > 30)
    }
}
