import Foundation
import Testing
@testable import ARI

/// Real Asterisk 22.10.1 output (captures/) must decode as it is.
@Suite struct CaptureDecodingTests {
    /// Ids of the channels and bridges a raw event names, read with JSONSerialization.
    private static func expectedIDs(_ event: [String: Any]) -> (channels: Set<String>, bridges: Set<String>) {
        var channels = Set<String>(), bridges = Set<String>()
        for key in ["channel", "peer", "caller", "forwarded", "replace_channel"] {
            if let object = event[key] as? [String: Any], let id = object["id"] as? String { channels.insert(id) }
        }
        if let bridge = event["bridge"] as? [String: Any], let id = bridge["id"] as? String { bridges.insert(id) }
        return (channels, bridges)
    }

    @Test func everyCapturedEventDecodesToItsCaseWithItsIDs() throws {
        let events = try Fixtures.sessionRecords().filter { $0["kind"] as? String == "event" }.map { $0["event"] as! [String: Any] }
        #expect(events.count == 318)
        for raw in events {
            let type = raw["type"] as! String
            let envelope = try ARIEnvelope.decode(from: Fixtures.bytes(raw))
            #expect(envelope.type == type)
            #expect(EventDecodingTests.caseName(of: envelope.event) == EventDecodingTests.caseName(forType: type))
            #expect(envelope.application == raw["application"] as? String)
            #expect(envelope.asteriskID == raw["asterisk_id"] as? String)
            #expect(envelope.timestamp.map { ARITimestampReference.text($0) } == raw["timestamp"] as? String)
            let (channels, bridges) = Self.expectedIDs(raw)
            #expect(Set(envelope.event.channelIDs.map(\.rawValue)) == channels, "\(type)")
            #expect(Set(envelope.event.bridgeIDs.map(\.rawValue)) == bridges, "\(type)")
        }
    }

    @Test func capturedChannelDetailsSurviveDecoding() throws {
        let summary = try Fixtures.foundationJSON("call-100-summary.json") as! [String: Any]
        let start = try ARIEnvelope.decode(from: Fixtures.bytes(summary["sip_stasis_start"]!))
        guard case .stasisStart(let event) = start.event else {
            Issue.record("decoded as \(start.event)")
            return
        }
        let raw = (summary["sip_stasis_start"] as! [String: Any])["channel"] as! [String: Any]
        #expect(event.channel.id.rawValue == raw["id"] as? String)
        #expect(event.channel.name == raw["name"] as? String)
        #expect(event.channel.state == .ring)
        #expect(event.channel.protocolID == raw["protocol_id"] as? String)
        #expect(event.channel.caller.number == (raw["caller"] as! [String: Any])["number"] as? String)
        #expect(event.channel.dialplan.appName == "Stasis")
        #expect(event.channel.dialplan.priority == (raw["dialplan"] as! [String: Any])["priority"] as? Int)
        #expect(event.args == [])
    }

    @Test func everyCapturedExternalMediaResponseCarriesTheRTPAddress() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Fixtures.directory.path).filter { $0.hasSuffix("-summary.json") }
        #expect(files.count == 7)
        for file in files {
            let summary = try Fixtures.foundationJSON(file) as! [String: Any]
            let raw = summary["externalMedia_response"] as! [String: Any]
            let channel = try ARIJSON.decode(Channel.self, from: Fixtures.bytes(raw))
            let vars = raw["channelvars"] as! [String: String]
            #expect(channel.channelVars?["UNICASTRTP_LOCAL_ADDRESS"] == vars["UNICASTRTP_LOCAL_ADDRESS"])
            #expect(channel.channelVars?["UNICASTRTP_LOCAL_PORT"] == vars["UNICASTRTP_LOCAL_PORT"])
            #expect(channel.name.hasPrefix("UnicastRTP/"))
        }
    }

    @Test func everyCapturedRESTBodyDecodesAsItsModel() throws {
        let calls = try Fixtures.sessionRecords().filter { $0["kind"] as? String == "rest" }
        var decoded = 0
        for call in calls {
            guard let body = call["body"], !(body is NSNull), let path = call["path"] as? String,
                  let method = call["method"] as? String, let status = call["status"] as? Int, status < 300 else { continue }
            let data = try Fixtures.bytes(body)
            let segments = path.split(separator: "/")
            switch (method, segments.first, segments.count, segments.last) {
            case ("POST", "bridges", 1, _), ("GET", "bridges", 2, _):
                #expect(throws: Never.self, "\(path)") { try ARIJSON.decode(Bridge.self, from: data) }
            case ("POST", "channels", _, "externalMedia"), ("GET", "channels", 2, _), ("POST", "channels", 1, _):
                #expect(throws: Never.self, "\(path)") { try ARIJSON.decode(Channel.self, from: data) }
            case ("GET", "channels", _, "variable"):
                let variable = try ARIJSON.decode(Variable.self, from: data)
                #expect(variable.value == (body as! [String: Any])["value"] as? String)
            case ("POST", "applications", _, "subscription"):
                let application = try ARIJSON.decode(Application.self, from: data)
                #expect(application.name == (body as! [String: Any])["name"] as? String)
            case ("GET", "channels", 1, _):
                #expect(throws: Never.self, "\(path)") { try ARIJSON.decode([Channel].self, from: data) }
            case ("GET", "bridges", 1, _):
                #expect(throws: Never.self, "\(path)") { try ARIJSON.decode([Bridge].self, from: data) }
            default:
                continue
            }
            decoded += 1
        }
        #expect(decoded > 20)
    }
}

/// Asterisk's own rendering of an instant in UTC, computed with Foundation to check the parser.
enum ARITimestampReference {
    static func text(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSSZ"
        return formatter.string(from: date)
    }
}
