/// What one provider consumed: the quantities vendors bill by.
public struct ProviderUsage: Sendable, Equatable {
    public var promptTokens = 0
    public var completionTokens = 0
    /// Seconds of caller audio sent for transcription.
    public var audioSeconds: Double = 0
    /// Characters of text sent for synthesis.
    public var characters = 0
    /// True when a token count was estimated because the server reported no usage.
    public var estimated = false

    public init(promptTokens: Int = 0, completionTokens: Int = 0, audioSeconds: Double = 0, characters: Int = 0, estimated: Bool = false) {
        self.promptTokens = promptTokens
        self.completionTokens = completionTokens
        self.audioSeconds = audioSeconds
        self.characters = characters
        self.estimated = estimated
    }

    static func + (lhs: ProviderUsage, rhs: ProviderUsage) -> ProviderUsage {
        ProviderUsage(
            promptTokens: lhs.promptTokens + rhs.promptTokens, completionTokens: lhs.completionTokens + rhs.completionTokens,
            audioSeconds: lhs.audioSeconds + rhs.audioSeconds, characters: lhs.characters + rhs.characters,
            estimated: lhs.estimated || rhs.estimated)
    }
}
