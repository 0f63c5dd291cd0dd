/// A configuration value that is one word out of a fixed list.
public protocol ConfigurationChoice: RawRepresentable, CaseIterable, Sendable where RawValue == String {}

/// The audio format of the externalMedia channel (`MEDIA_FORMAT`).
///
/// Only formats Asterisk's chan_rtp accepts back are offered: it drops dynamic payload types,
/// so slin16 cannot be sent to it (NOTES §8).
public enum MediaFormat: String, ConfigurationChoice {
    /// G.711 µ-law, 8 kHz, payload type 0. The default: every SIP phone speaks it.
    case ulaw
    /// G.711 A-law, 8 kHz, payload type 8.
    case alaw
    /// 16-bit linear, 8 kHz, big-endian, payload type 10.
    case slin
    /// G.722 wideband, 16 kHz audio on an 8 kHz RTP clock, payload type 9.
    case g722
}

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
    case transfer(destination: String)
    /// Say a goodbye line, then hang up.
    case hangUp
}

/// Which brain answers a call (`URA_BOT`, or `bot=` in the Stasis arguments).
public enum BotChoice: Sendable, Equatable, CustomStringConvertible {
    /// Media diagnostic: the caller hears themselves after a delay.
    case loopback
    /// Repeats what the recogniser understood.
    case echo
    /// A scripted URA flow from a YAML file.
    case flow(path: String)
    /// The LLM-driven conversational agent.
    case llm

    /// Parses `loopback`, `echo`, `flow:<file>` or `llm`.
    /// - Throws: ``ConfigurationError`` naming `variable`.
    public init(parsing text: String, variable: String) throws(ConfigurationError) {
        switch text {
        case "loopback": self = .loopback
        case "echo": self = .echo
        case "llm": self = .llm
        case _ where text.hasPrefix("flow:"):
            let path = String(text.dropFirst("flow:".count))
            guard !path.isEmpty else {
                throw ConfigurationError(variable: variable, problem: "names no flow file after \"flow:\"", example: "\(variable)=flow:flows/clinica.yaml")
            }
            self = .flow(path: path)
        default:
            throw ConfigurationError(
                variable: variable, problem: "is \"\(text)\", not one of loopback, echo, flow:<file>, llm",
                example: "\(variable)=echo")
        }
    }

    public var description: String {
        switch self {
        case .loopback: "loopback"
        case .echo: "echo"
        case .flow(let path): "flow:\(path)"
        case .llm: "llm"
        }
    }
}
