/// One thing a flow does: talk, move, or act on the call.
///
/// In a list of steps, `goto`, `transfer` and `hangUp` end the list (the loader rejects steps
/// after them).
public enum FlowStep: Sendable, Equatable {
    /// Say this text (with `{variables}` filled in).
    case say(LocalizedText)
    /// Enter this state: say its prompt, then wait for its inputs.
    case goto(state: String)
    /// Hand the caller to an extension or endpoint (`PJSIP/1002`; `{variables}` filled in).
    case transfer(destination: String)
    /// End the call.
    case hangUp(reason: String)
    /// Remember a value for the rest of the call (`{variables}` filled in).
    case set(name: String, value: String)
    /// Call a business tool and go on with its success or error steps.
    case tool(FlowToolCall)

    /// Whether running `steps` always leaves the state: the last one leaves, or is a tool call
    /// whose success and error steps both do.
    public static func leaves(_ steps: [FlowStep]) -> Bool {
        switch steps.last {
        case .tool(let call)?: leaves(call.onSuccess) && leaves(call.onError)
        case let step?: step.endsSteps
        case nil: false
        }
    }

    /// True for the steps after which nothing more of the list runs.
    public var endsSteps: Bool {
        switch self {
        case .goto, .transfer, .hangUp: true
        case .say, .set, .tool: false
        }
    }
}
