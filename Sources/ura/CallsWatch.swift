import ArgumentParser
import Foundation
import HTTP
import OperatorAPI

/// `ura calls watch [ID]`: live events, one line each, until the call ends or Ctrl-C.
struct CallsWatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch", abstract: "Follow live events (transcripts, state changes, latencies) of one call or of all calls.")

    @OptionGroup var options: ConfigurationOptions
    @Argument(help: "A call's id; without it, every call.") var id: String?

    func run() async throws {
        let client = OperatorAPIClient(settings: options.operatorAPIOrExit())
        defer { client.shutdown() }
        let path = id.map { "/v1/calls/\(OperatorAPIClient.pathSegment($0))/events" } ?? "/v1/events"
        var pending = ""
        for try await chunk in try await client.stream(path) {
            pending += String(decoding: chunk, as: UTF8.self)
            while let end = pending.range(of: "\n\n") {
                if let line = EventLine.render(String(pending[..<end.lowerBound])) { print(line) }
                pending.removeSubrange(..<end.upperBound)
            }
        }
    }
}

/// One SSE message as a terminal line: `call_id event details`.
enum EventLine {
    static func render(_ message: String) -> String? {
        var event: String?
        var data: String?
        for line in message.split(separator: "\n") {
            if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
        }
        guard let event, let data, let object = try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] else { return nil }
        let call = object["call_id"] as? String ?? "-"
        let turn = (object["turn"] as? Int).map { "#\($0) " } ?? ""
        let detail: String = switch event {
        case "call_started": "from \(object["caller_number"] as? String ?? "unknown"), bot \(object["bot"] as? String ?? "?")"
        case "state_changed": object["state"] as? String ?? ""
        case "transcript_partial", "transcript_final", "bot_speech": "\(turn)\(object["text"] as? String ?? "")"
        case "barge_in":
            "\(turn)\((object["is_false"] as? Bool) == true ? "false barge-in" : "barge-in")"
                + ((object["stop_latency_ms"] as? Int).map { ", stopped in \($0) ms" } ?? "")
        case "latencies":
            "\(turn)" + ((object["latencies"] as? [String: Any]) ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        case "call_ended": object["outcome"] as? String ?? ""
        case "dropped": "\(object["count"] as? Int ?? 0) events lost (this terminal was too slow)"
        default: data
        }
        return "\(call)  \(event)  \(detail)"
    }
}
