import Settings

/// An outbound call to place: who to call and which brain talks once they answer.
public struct OriginateRequest: Sendable, Equatable {
    /// The Asterisk endpoint to dial, `TECH/resource` (`PJSIP/1001`).
    public var endpoint: String
    /// The brain that talks once the call is answered.
    public var bot: BotChoice
    /// The caller id shown to the called party, if set.
    public var callerID: String?
    /// Channel variables set on the outbound channel.
    public var variables: [String: String]

    public init(endpoint: String, bot: BotChoice, callerID: String? = nil, variables: [String: String] = [:]) {
        self.endpoint = endpoint
        self.bot = bot
        self.callerID = callerID
        self.variables = variables
    }
}
