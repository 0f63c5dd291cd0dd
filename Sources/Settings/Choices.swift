import Foundation

/// A configuration value that is one word out of a fixed list.
public protocol ConfigurationChoice: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

/// How chatty the logs are (`LOG_LEVEL`), swift-log's levels by name.
public enum LogLevel: String, ConfigurationChoice {
    case trace, debug, info, notice, warning, error, critical
}

/// How log lines look (`LOG_FORMAT`).
public enum LogFormat: String, ConfigurationChoice {
    /// One JSON object per line, for log collectors.
    case json
    /// Human-readable lines, for a terminal.
    case text
    /// `text` when standard error is a terminal, `json` otherwise.
    case auto
}

/// What graceful shutdown does with calls still up when the drain time ends (`SHUTDOWN_REMAINING_CALLS`).
public enum RemainingCalls: String, ConfigurationChoice {
    /// Send the caller on in the dialplan after `Stasis()`, where a human or a message can take over.
    case continueInDialplan = "continue"
    /// Hang the caller up.
    case hangup
}

/// What a call's bot does when the AI providers keep failing its replies (`URA_ON_PROVIDER_FAILURE`).
public enum ProviderFailureAction: Sendable, Equatable {
    /// Apologise and go on listening.
    case apologize
    /// Say a handover line, then transfer the caller (`URA_FAILURE_TRANSFER_TO`).
    case transfer(destination: TransferDestination)
    /// Say a goodbye line, then hang up.
    case hangUp
}

/// Which brain answers a call (`URA_BOT`, or `bot=` in the Stasis arguments).
public enum BotChoice: Sendable, Equatable, CustomStringConvertible {
    /// Media diagnostic: the caller hears themselves after a delay.
    case loopback
    /// Repeats what the recogniser understood.
    case echo
    /// A scripted URA flow: `<name>.yaml` in `FLOWS_DIR`, loaded at start (never a path).
    case flow(name: String)
    /// The LLM-driven conversational agent.
    case llm
    /// A speech-to-speech model (OpenAI Realtime) that hears and speaks itself.
    case realtime

    /// Parses `loopback`, `echo`, `flow:<name>`, `llm` or `realtime`.
    ///
    /// A flow is named, not located: `flow:clinica` (a `.yaml`/`.yml` suffix is dropped) is read
    /// from `FLOWS_DIR`. Names are letters, digits, `_`, `-` and inner dots, at most 64; a
    /// `/`, `\` or `..` is refused, so no Stasis argument or API request can reach another file.
    /// - Throws: ``ConfigurationError`` naming `variable`.
    public init(parsing text: String, variable: String) throws(ConfigurationError) {
        switch text {
        case "loopback": self = .loopback
        case "echo": self = .echo
        case "llm": self = .llm
        case "realtime": self = .realtime
        case _ where text.hasPrefix("flow:"):
            var name = String(text.dropFirst("flow:".count))
            for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
            guard !name.isEmpty else {
                throw ConfigurationError(variable: variable, problem: "names no flow after \"flow:\"", example: "\(variable)=flow:clinica")
            }
            guard Self.isFlowName(name) else {
                throw ConfigurationError(
                    variable: variable,
                    problem: "names flow \"\(name.prefix(64))\"; a flow is named by its file in FLOWS_DIR (letters, digits, _ - .), never a path",
                    example: "\(variable)=flow:clinica")
            }
            self = .flow(name: name)
        default:
            throw ConfigurationError(
                variable: variable, problem: "is \"\(text.prefix(64))\", not one of loopback, echo, flow:<name>, llm, realtime",
                example: "\(variable)=echo")
        }
    }

    /// A flow file's base name: no path separators, no `..`, no leading dot.
    static func isFlowName(_ name: String) -> Bool {
        name.count <= 64 && !name.hasPrefix(".") && !name.contains("..")
            && name.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_-.".unicodeScalars.contains($0)) }
    }

    public var description: String {
        switch self {
        case .loopback: "loopback"
        case .echo: "echo"
        case .flow(let name): "flow:\(name)"
        case .llm: "llm"
        case .realtime: "realtime"
        }
    }
}
