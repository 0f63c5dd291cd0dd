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
    /// or to an endpoint such as `PJSIP/1002` (a SIP transfer).
    public func transfer(to destination: String) { session.request(.transfer(destination)) }
}
