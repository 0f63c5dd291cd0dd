import Settings

/// How ura reads a call's `Stasis(app,args...)` arguments, for tools outside `Calls` (the fuzzer,
/// `ura check`-like diagnostics) that must see exactly what a call would see.
public enum StasisArgumentsInspection {
    /// What a call makes of its Stasis arguments.
    public struct Parsed: Sendable, Equatable {
        /// The `bot=` choice, if one was given and ura knows it.
        public var bot: BotChoice?
        /// The other `key=value` arguments (keys in lower case), handed to the bot.
        public var variables: [String: String]
        /// Arguments that are not `key=value`, or a `bot=` ura does not know.
        public var ignored: [String]
    }

    /// Parses the arguments as a call does when it starts.
    public static func parse(_ arguments: [String]) -> Parsed {
        let parsed = StasisArguments(arguments)
        return Parsed(bot: parsed.bot, variables: parsed.variables, ignored: parsed.ignored)
    }
}
