/// A Stasis application: which socket owns it and what it subscribed to explicitly.
struct AppRecord: Sendable {
    var name: String
    /// The events socket that registered it last; nil while deactivated.
    var owner: EventSocket?
    /// Channels added with `POST /applications/{app}/subscription`.
    var subscribedChannels: Set<String> = []
    var subscribedBridges: Set<String> = []
}
