import Foundation
import Testing
@testable import AsteriskSimulator

@Suite("Simulator codecs, WAV and JSON")
struct CodecTests {
    @Test func g711RoundTripsWithinItsQuantisation() {
        for sample in stride(from: -32768, through: 32767, by: 97).map({ Int16($0) }) {
            let tolerance = max(16, abs(Int(sample)) / 16)
            #expect(abs(Int(G711.decodeULaw(G711.encodeULaw(sample))) - Int(sample)) <= tolerance, "µ-law \(sample)")
            #expect(abs(Int(G711.decodeALaw(G711.encodeALaw(sample))) - Int(sample)) <= tolerance, "A-law \(sample)")
        }
    }

    @Test func g711MatchesReferenceCodes() {
        // ITU-T G.711 reference points: silence and full scale.
        #expect(G711.encodeULaw(0) == 0xFF)
        #expect(G711.encodeALaw(0) == 0xD5)
        #expect(G711.encodeULaw(32767) == 0x80)
        #expect(G711.encodeALaw(-32768) == 0x2A)
    }

    @Test func g722KeepsSpeechShape() {
        let speech = testSignal(seconds: 0.5, sampleRate: 16000)
        let encoder = G722Codec(), decoder = G722Codec()
        let bytes = encoder.encode(speech)
        #expect(bytes.count == speech.count / 2)
        let decoded = decoder.decode(bytes)
        #expect(decoded.count == speech.count)
        #expect(bestCorrelation(Array(speech[2000..<4000]), in: decoded) > 0.9)
    }

    @Test(arguments: ["{", "[1,]", "{\"a\" 1}", "tru", "\"\u{01}\"", "01x", "{} {}"])
    func jsonParserRejects(_ text: String) {
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func jsonRoundTripsAndKeepsOrder() throws {
        let text = #"{"b":1,"a":[true,null,"x\"y\u00e9"],"c":{"d":-2.5}}"#
        let value = try JSONParser.parse(Array(text.utf8))
        #expect(value["a"]?.arrayValue?.count == 3)
        #expect(value.serialized == #"{"b":1,"a":[true,null,"x\"yé"],"c":{"d":-2.5}}"#)
    }

    @Test func strictSourceNeedsFourInSequencePackets() {
        let expected = UDPAddress(host: 1, port: 1000), other = UDPAddress(host: 1, port: 2000)
        var learning = StrictRTPSource(expected: expected)
        let steps: [(UDPAddress, UInt16)] = [(expected, 7), (other, 10), (other, 11), (other, 13), (other, 14), (other, 15), (other, 16)]
        let admitted = steps.map { learning.admit($0.0, sequence: $0.1) }
        #expect(admitted == [true, false, false, false, false, false, true])
        #expect(learning.learned == other)
    }
}
