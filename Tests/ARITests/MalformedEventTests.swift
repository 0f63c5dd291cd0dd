import Foundation
import Randomness
import Testing
@testable import ARI

/// Bad input becomes a typed error, never a crash.
@Suite struct MalformedEventTests {
    private static let validChannel = """
    {"id":"c1","name":"PJSIP/x","state":"Up","protocol_id":"","caller":{"name":"","number":""},
     "connected":{"name":"","number":""},"accountcode":"","dialplan":{"context":"c","exten":"s","priority":1,
     "app_name":"Stasis","app_data":"ura"},"creationtime":"2026-11-26T12:26:37.458+0000","language":"en"}
    """
    private static let base = #""application":"ura","timestamp":"2026-11-26T12:26:37.458+0000""#

    @Test(arguments: [
        ("", "malformed"), ("not json", "malformed"), ("{\"type\":", "malformed"), ("[1,2,3]", "notObject"),
        ("\"StasisStart\"", "notObject"), ("42", "notObject"), ("null", "notObject"), ("{}", "missingType"),
        (#"{"type":42}"#, "missingType"), (#"{"type":null,"application":"ura"}"#, "missingType"),
        (#"{"type":"StasisStart",\#(base),"args":[]}"#, "missing:channel"),
        (#"{"type":"StasisStart","timestamp":"2026-11-26T12:26:37.458+0000","args":[],"channel":\#(validChannel)}"#, "missing:application"),
        (#"{"type":"StasisEnd","application":"ura","channel":\#(validChannel)}"#, "missing:timestamp"),
        (#"{"type":"StasisEnd","application":"ura","timestamp":"noon","channel":\#(validChannel)}"#, "invalid:timestamp"),
        (#"{"type":"StasisEnd",\#(base),"channel":[]}"#, "notObject"),
        (#"{"type":"StasisEnd",\#(base),"channel":{"name":"x"}}"#, "missing:id"),
        (#"{"type":"ChannelDestroyed",\#(base),"cause_txt":"Normal","channel":\#(validChannel)}"#, "missing:cause"),
        (#"{"type":"ChannelDestroyed",\#(base),"cause":"sixteen","cause_txt":"x","channel":\#(validChannel)}"#, "invalid:cause"),
        (#"{"type":"Dial",\#(base),"dialstatus":""}"#, "missing:peer"),
        (#"{"type":"ChannelDtmfReceived",\#(base),"duration_ms":100,"channel":\#(validChannel)}"#, "missing:digit"),
        (#"{"type":"StasisStart",\#(base),"args":"a,b","channel":\#(validChannel)}"#, "invalid:args"),
        (#"{"type":"BridgeDestroyed",\#(base),"bridge":{"id":"b","technology":"t","bridge_type":"mixing","channels":"c1","creationtime":"2026-11-26T12:26:37.458+0000"}}"#, "invalid:channels"),
    ])
    func garbageIsATypedError(input: String, expected: String) {
        #expect {
            try ARIEnvelope.decode(from: Data(input.utf8))
        } throws: { error in
            switch (error as? ARIDecodingError, expected) {
            case (.malformedJSON?, "malformed"), (.unexpectedType?, "notObject"), (.missingType?, "missingType"): return true
            case (.missingField(_, let field)?, _): return expected == "missing:\(field)"
            case (.invalidField(_, let field, _)?, _): return expected == "invalid:\(field)"
            default: return false
            }
        }
    }

    @Test func everyTruncationOfCapturedEventsFailsCleanly() throws {
        let events = try Fixtures.sessionRecords().filter { $0["kind"] as? String == "event" }.prefix(12)
        for raw in events {
            let data = try Fixtures.bytes(raw["event"]!)
            for length in 0..<data.count {
                #expect(throws: ARIDecodingError.self) { try ARIEnvelope.decode(from: data.prefix(length)) }
            }
        }
    }

    @Test func corruptedBytesNeverCrash() throws {
        let events = try Fixtures.sessionRecords().filter { $0["kind"] as? String == "event" }.prefix(20)
        var generator = SeededRandom(seed: 0x5EED)
        var failures = 0
        for raw in events {
            let original = try Fixtures.bytes(raw["event"]!)
            for _ in 0..<200 {
                var data = original
                for _ in 0..<3 {
                    let index = Int(generator.next() % UInt64(data.count))
                    data[index] = UInt8(truncatingIfNeeded: generator.next())
                }
                do {
                    _ = try ARIEnvelope.decode(from: data)
                } catch {
                    failures += 1
                }
            }
        }
        // Mutations in string contents leave valid events; mutations in structure must fail cleanly. Both happen.
        #expect(failures > 0)
        #expect(failures < 4000)
    }
}
