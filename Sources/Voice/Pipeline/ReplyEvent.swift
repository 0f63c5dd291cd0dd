/// What a reply task tells the conversation loop, with when it happened.
enum ReplyEvent: Sendable {
    case firstToken(ContinuousClock.Instant)
    case firstAudio(ContinuousClock.Instant)
    /// The first packet of the reply left.
    case started(ContinuousClock.Instant)
    /// Everything was played.
    case finished(text: String)
    /// Brain or synthesis failed; `response` is what the caller got instead.
    case failed(String, response: FailedReplyResponse)
}

extension ReplyEvent {
    /// The reply transferred or hung up the call.
    var leftTheCall: Bool {
        guard case .failed(_, let response) = self else { return false }
        return response == .transfer || response == .hangUp
    }
}
