/// What a reply task tells the conversation loop, with when it happened.
enum ReplyEvent: Sendable {
    case firstToken(ContinuousClock.Instant)
    case firstAudio(ContinuousClock.Instant)
    /// The first packet of the reply left.
    case started(ContinuousClock.Instant)
    /// Everything was played.
    case finished(text: String)
    /// Brain or synthesis failed; `spokeApology` says whether the caller heard an apology.
    case failed(String, spokeApology: Bool)
}
