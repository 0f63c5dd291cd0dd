/// What the bot does when its AI providers fail a reply, after their retries and fallbacks.
///
/// An apology suits a passing failure; when the AI stays down a caller would only hear apology
/// after apology, so the operator can have the bot hand the call to a human or end it instead.
/// ``threshold`` counts consecutive failed replies: the ones before it are apologised for, the
/// one that reaches it is acted on. A reply played to its end starts the count again; a reply
/// the caller interrupts counts neither way.
public struct ProviderFailurePolicy: Sendable, Equatable {
    public enum Action: Sendable, Equatable {
        /// Say ``ConversationSettings/apologies`` and go on listening (``threshold`` does not matter).
        case apologize
        /// Say ``ConversationSettings/handoverLines``, then transfer the caller to `destination`
        /// (`[context,]exten[,priority]` or an endpoint such as `PJSIP/1002`, as ``CallAction/transfer(destination:)``).
        case transfer(destination: String)
        /// Say ``ConversationSettings/failureGoodbyes``, then hang up.
        case hangUp
    }

    public var action: Action
    /// The consecutive failed reply that is acted on (1: the first failure already is).
    public var threshold: Int

    public init(action: Action = .apologize, threshold: Int = 2) {
        self.action = action
        self.threshold = threshold
    }
}

/// What the caller got when a reply failed; observers count it.
public enum FailedReplyResponse: String, Sendable, CaseIterable {
    /// The apology was said.
    case apology
    /// Nothing more was said: part of the reply had already been heard, or the apology could not be synthesised either.
    case silence
    /// The caller was transferred (after the handover line, when it could be said).
    case transfer
    /// The call was hung up (after the goodbye line, when it could be said).
    case hangUp = "hangup"
}
