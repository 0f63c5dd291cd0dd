/// Who asked for a transfer: the label of `ura_transfers_refused_total`, and whether the
/// transfer allow-list applies.
public enum TransferSource: String, Sendable {
    /// An operator through the authenticated API: trusted, not subject to the allow-list.
    case operatorAPI = "operator"
    /// The LLM's `transfer_call` tool (callers can talk a model into anything).
    case llm
    /// A flow's `transfer` step (its destination may come from the call's variables).
    case flow
    /// Any other bot (the provider-failure handover of an offline bot).
    case bot
}
