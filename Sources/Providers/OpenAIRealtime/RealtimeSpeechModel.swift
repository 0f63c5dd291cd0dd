import Logging
import Settings
import Voice

/// OpenAI's Realtime speech-to-speech model as ura's ``SpeechToSpeechModel`` (`URA_BOT=realtime`).
///
/// Each call opens its sessions through this value: the phone agent prompt of the call's
/// language (or the operator's), the call-control tools under the transfer allow-list, and the
/// call's cost meter.
public struct RealtimeSpeechModel: SpeechToSpeechModel {
    public let name: String
    let settings: RealtimeSettings
    let promptOverrides: [String: String]
    let tools: CallTools
    let meter: CostMeter?

    public init(settings: RealtimeSettings, promptOverrides: [String: String] = [:], transferAllowList: TransferAllowList? = nil,
                meter: CostMeter? = nil, logger: Logger = Logger(label: "ura.realtime")) {
        self.settings = settings
        self.promptOverrides = promptOverrides
        self.tools = CallTools(transferAllowList: transferAllowList, logger: logger)
        self.meter = meter
        name = "realtime:\(settings.model)"
    }

    public func open(_ conversation: Conversation, sampleRate: Int, encoding: LineEncoding) -> any SpeechToSpeechSession {
        RealtimeSpeechSession(
            settings: settings, instructions: PhoneAgentPrompt.prompt(for: conversation.language, overrides: promptOverrides),
            conversation: conversation, wire: RealtimeAudioFormat(lineRate: sampleRate, encoding: encoding), tools: tools, meter: meter)
    }
}
