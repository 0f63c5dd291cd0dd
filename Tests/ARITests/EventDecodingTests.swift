import Foundation
import Testing
@testable import ARI

@Suite struct EventDecodingTests {
    /// The enum case name a type should map to: the type name with its leading capitals lowered
    /// (`StasisStart` → `stasisStart`, `RESTResponse` → `restResponse`).
    static func caseName(forType type: String) -> String {
        let characters = Array(type)
        var uppercasePrefix = 0
        while uppercasePrefix < characters.count, characters[uppercasePrefix].isUppercase { uppercasePrefix += 1 }
        let lowered = uppercasePrefix > 1 && uppercasePrefix < characters.count ? uppercasePrefix - 1 : max(uppercasePrefix, 1)
        return String(characters[..<lowered]).lowercased() + String(characters[lowered...])
    }

    /// The case of an event as the compiler names it, independent of any mapping in the code under test.
    static func caseName(of event: ARIEvent) -> String {
        String(String(describing: event).prefix { $0 != "(" })
    }

    @Test func caseNameHelperFollowsTheConvention() {
        #expect(Self.caseName(forType: "StasisStart") == "stasisStart")
        #expect(Self.caseName(forType: "RESTResponse") == "restResponse")
        #expect(Self.caseName(forType: "Dial") == "dial")
        #expect(Self.caseName(of: .applicationReplaced) == "applicationReplaced")
    }

    @Test func everyDeclaredEventTypeDecodesFromSwaggerSamples() throws {
        let samples = try SwaggerSamples()
        let types = samples.eventTypes
        #expect(types.count >= 45, "events.json declares at least 45 event types; found \(types.count)")
        for type in types {
            for includeOptional in [false, true] {
                let json = samples.event(type, includeOptional: includeOptional)
                let data = try Fixtures.bytes(json)
                let envelope: ARIEnvelope
                do {
                    envelope = try ARIEnvelope.decode(from: data)
                } catch {
                    Issue.record("\(type) (optional members: \(includeOptional)) failed: \(error)\n\(String(decoding: data, as: UTF8.self))")
                    continue
                }
                #expect(envelope.type == type)
                #expect(Self.caseName(of: envelope.event) == Self.caseName(forType: type), "\(type) decoded as \(envelope.event)")
                if type != "MissingParams" {
                    #expect(envelope.application == json["application"] as? String)
                    #expect(envelope.timestamp != nil)
                }
            }
        }
    }

    @Test func resourcesOfSampleEventsIncludeEveryChannelAndBridgeTheyCarry() throws {
        let samples = try SwaggerSamples()
        var checked = 0
        for type in samples.eventTypes {
            let json = samples.event(type, includeOptional: true)
            let envelope = try ARIEnvelope.decode(from: Fixtures.bytes(json))
            // Top-level members shaped like a Channel (has "state" and "dialplan") or a Bridge (has "bridge_type").
            for (key, value) in json {
                guard let object = value as? [String: Any], let id = object["id"] as? String else { continue }
                if object["dialplan"] != nil {
                    #expect(envelope.event.channelIDs.contains(ChannelID(id)), "\(type).\(key) missing from resources")
                    checked += 1
                } else if object["bridge_type"] != nil {
                    #expect(envelope.event.bridgeIDs.contains(BridgeID(id)), "\(type).\(key) missing from resources")
                    checked += 1
                }
            }
        }
        #expect(checked > 40)
    }

    @Test func unknownTypeIsKeptWithItsBytes() throws {
        let data = Data(#"{"type":"FutureThing","application":"ura","timestamp":"2026-11-26T12:26:37.458+0000","x":[1]}"#.utf8)
        let envelope = try ARIEnvelope.decode(from: data)
        #expect(envelope.event == .unknown(type: "FutureThing", raw: data))
        #expect(envelope.application == "ura")
        #expect(envelope.timestamp != nil)
    }

    @Test func oddExtraMembersAndTypesAreTolerated() throws {
        let data = Data("""
        {"type":"StasisStart","application":"ura","timestamp":"2026-11-26T12:26:37.458+0000","asterisk_id":"02:fc",
         "args":["a","b"],"surprise":{"deep":[1,2,{"x":null}]},
         "channel":{"id":"c1","name":"PJSIP/x","state":"Quantum","protocol_id":"p","caller":{"name":"","number":"1001"},
           "connected":{"name":"","number":""},"accountcode":"","dialplan":{"context":"c","exten":"s","priority":"2",
           "app_name":"Stasis","app_data":"ura","future":1},"creationtime":"2026-11-26T12:26:37.458+0000","language":"pt_BR",
           "channelvars":{"A":"1","B":2,"C":true,"D":null,"E":{"nested":1}},"new_field":[]}}
        """.utf8)
        let envelope = try ARIEnvelope.decode(from: data)
        guard case .stasisStart(let start) = envelope.event else {
            Issue.record("decoded as \(envelope.event)")
            return
        }
        #expect(start.args == ["a", "b"])
        #expect(start.channel.state == Channel.State(rawValue: "Quantum"))
        #expect(start.channel.dialplan.priority == 2)
        #expect(start.channel.channelVars == ["A": "1", "B": "2", "C": "true"])
        #expect(envelope.asteriskID == "02:fc")
    }

    @Test(arguments: [
        ("Down", Channel.State.down), ("Rsrvd", .reserved), ("OffHook", .offHook), ("Dialing", .dialing),
        ("Ring", .ring), ("Ringing", .ringing), ("Up", .up), ("Busy", .busy), ("Dialing Offhook", .dialingOffhook),
        ("Pre-ring", .preRing), ("Unknown", .unknown),
    ])
    func channelStatesMapFromAsteriskText(text: String, state: Channel.State) throws {
        let decoded = try JSONDecoder().decode([Channel.State].self, from: Data("[\"\(text)\"]".utf8))
        #expect(decoded == [state])
        #expect(state.description == text)
    }

    @Test func playbackEventsRouteToPlaybackAndTarget() throws {
        let data = Data("""
        {"type":"PlaybackFinished","application":"ura","timestamp":"2026-11-26T12:26:37.458+0000",
         "playback":{"id":"p1","media_uri":"sound:hello","target_uri":"bridge:b1","state":"done"}}
        """.utf8)
        let envelope = try ARIEnvelope.decode(from: data)
        guard case .playbackFinished(let finished) = envelope.event else {
            Issue.record("decoded as \(envelope.event)")
            return
        }
        #expect(finished.playback.target == .bridge("b1"))
        #expect(finished.playback.state == .done)
        #expect(envelope.event.resources == [.playback("p1"), .bridge("b1")])
    }
}
