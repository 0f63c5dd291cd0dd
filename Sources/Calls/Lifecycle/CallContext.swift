import Settings

/// What is known about a call when its bot is chosen.
public struct CallContext: Sendable {
    public let callID: String
    /// The caller's number as Asterisk has it (may be empty).
    public let callerNumber: String
    /// The channel's language (`en`, `pt_BR`...).
    public let language: String
    /// Which bot answers: `bot=` in the Stasis arguments, else `URA_BOT`.
    public let bot: BotChoice
    /// `key=value` Stasis arguments other than `bot`.
    public let variables: [String: String]

    public init(callID: String, callerNumber: String, language: String, bot: BotChoice, variables: [String: String]) {
        self.callID = callID
        self.callerNumber = callerNumber
        self.language = language
        self.bot = bot
        self.variables = variables
    }

    /// A context for checks made before any call exists.
    public static let placeholder = CallContext(callID: "", callerNumber: "", language: "", bot: .loopback, variables: [:])
}

/// Chooses and builds the audio handler (bot) of each call.
public protocol BotFactory: Sendable {
    /// - Throws: when the chosen bot cannot run (the call then goes back to the dialplan).
    func makeBot(for call: CallContext, control: CallControlHandle) throws -> any CallAudioHandler
}

/// What a bot may ask of its call, from any thread.
public struct CallControlHandle: Sendable {
    let session: CallSession

    /// Ends the call; the caller is hung up.
    public func hangUp() { session.request(.botHangup) }

    /// Sends DTMF tones down the caller's line.
    public func sendDTMF(_ digits: String) async { await session.sendDTMF(digits) }

    /// Sends the caller on to a dialplan extension (`context,exten,priority` or just an extension),
    /// or to an endpoint such as `PJSIP/1002` (a SIP transfer). The text is untrusted: the
    /// session parses it and checks it against the transfer allow-list; a refused transfer
    /// ends the call back in the dialplan.
    public func transfer(to destination: String, source: TransferSource) { session.request(.botTransfer(destination, source: source)) }
}
