import Settings

/// The bots ura ships, chosen by `URA_BOT` or a call's `bot=` argument.
public struct StandardBots: BotFactory {
    /// A bot that this build cannot run.
    public struct Unavailable: Error, CustomStringConvertible {
        public let bot: BotChoice
        public var description: String { "bot \(bot) is not available in this build" }
    }

    public var loopbackDelay: Duration

    public init(loopbackDelay: Duration) {
        self.loopbackDelay = loopbackDelay
    }

    public func makeBot(for call: CallContext, control: CallControlHandle) throws -> any CallAudioHandler {
        switch call.bot {
        case .loopback: LoopbackBot(delay: loopbackDelay)
        case .echo, .flow, .llm: throw Unavailable(bot: call.bot)
        }
    }
}
