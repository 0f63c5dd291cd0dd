import CallRecords
import Foundation
import OperatorAPI

/// Plain-text renderings of calls for a terminal.
enum CallTable {
    /// One row per call under a header, columns padded to their widest cell.
    static func list(_ calls: [CallSummary]) -> String {
        guard !calls.isEmpty else { return "no calls" }
        let header = ["ID", "STATE", "CALLER", "BOT", "STARTED", "DURATION", "OUTCOME", "TURNS", "COST"]
        let rows = calls.map { call in
            [
                call.id, call.state, call.callerNumber ?? "-", call.bot, time(call.startedAt),
                call.endedAt.map { duration(from: call.startedAt, to: $0) } ?? "-", call.outcome?.rawValue ?? "-",
                String(call.turnCount), String(format: "%.4f", call.costTotal),
            ]
        }
        return columns([header] + rows)
    }

    /// The whole record: header fields, turns with latencies, RTP, cost lines, timeline.
    static func detail(_ detail: CallDetail) -> String {
        let call = detail.call
        var lines = [
            "call \(call.id) (\(detail.state))",
            "  caller:   \(call.callerNumber ?? "unknown")",
            "  channel:  \(call.channelID)",
            "  bot:      \(call.bot)",
            "  started:  \(time(call.startedAt))",
            "  answered: \(call.answeredAt.map(time) ?? "-")",
            "  ended:    \(call.endedAt.map(time) ?? "-")\(call.endedAt.map { " (\(duration(from: call.startedAt, to: $0)))" } ?? "")",
            "  outcome:  \(call.outcome?.rawValue ?? "-")",
            "",
            "turns:",
        ]
        if call.turns.isEmpty { lines.append("  none") }
        for turn in call.turns {
            let cut = turn.cutBy.map { $0 == "barge_in" ? "barge-in" : "cut by " + $0.replacingOccurrences(of: "_", with: " ") }
            let marks = [cut ?? (turn.interrupted ? "barge-in" : nil), turn.falseBargeIn ? "false barge-in" : nil].compactMap { $0 }
            lines.append("  #\(turn.index) \(time(turn.startedAt))\(marks.isEmpty ? "" : " [" + marks.joined(separator: ", ") + "]")")
            lines.append("    caller: \(turn.callerTranscript) (\(turn.partialCount) partials)")
            lines.append("    bot:    \(turn.botText)")
            let l = turn.latencies
            let stages = [
                ("final", l.recognizerFinalMs), ("token", l.firstBrainTokenMs), ("audio", l.firstSynthesizedAudioMs),
                ("voice-to-voice", l.firstRTPPacketMs), ("barge-in stop", l.bargeInStopMs),
            ].compactMap { name, value in value.map { "\(name) \($0) ms" } }
            if !stages.isEmpty { lines.append("    latency: " + stages.joined(separator: ", ")) }
        }
        lines.append("")
        lines.append("rtp: received \(call.rtp.received), lost \(call.rtp.lost), late \(call.rtp.late), jitter \(String(format: "%.1f", call.rtp.jitterMs)) ms")
        lines.append("cost: \(String(format: "%.4f", call.cost.total)) \(call.cost.currency)")
        for line in call.cost.lines {
            lines.append("  \(line.provider) \(line.item): \(String(format: "%g", line.quantity)) \(line.unit) = \(String(format: "%.4f", line.amount))")
        }
        lines.append("")
        lines.append("timeline:")
        for event in call.timeline {
            lines.append("  \(time(event.at)) \(event.kind)\(event.detail.map { " – \($0)" } ?? "")")
        }
        return lines.joined(separator: "\n")
    }

    static func time(_ date: Date) -> String { OperatorJSON.formatTime(date) }

    static func duration(from start: Date, to end: Date) -> String {
        let seconds = max(0, Int(end.timeIntervalSince(start).rounded()))
        return seconds >= 3600 ? String(format: "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60) : String(format: "%d:%02d", seconds / 60, seconds % 60)
    }

    private static func columns(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
