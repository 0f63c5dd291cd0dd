/// Why a flow could not finish a turn.
public enum FlowRunError: Error, Sendable, Equatable {
    /// States that only talk sent each other round in a circle (goto after goto, no input).
    case gotoLoop(states: [String])
}
