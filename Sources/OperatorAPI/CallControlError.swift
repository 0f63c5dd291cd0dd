/// Why a ``CallControl`` operation was not done; each case maps to one HTTP status and error code.
public enum CallControlError: Error, Equatable, Sendable {
    /// No call with this id is up.
    case unknownCall(id: String)
    /// The request cannot be carried out as asked (a destination Asterisk rejects, a call not yet answered).
    case invalid(reason: String)
    /// ura cannot act now (ARI disconnected, shutting down, no free media port).
    case unavailable(reason: String)
    /// Asterisk or a provider failed the operation.
    case failed(reason: String)
    /// Another instance of the fleet carries the call and cannot be asked to do this.
    case elsewhere(reason: String)
}
