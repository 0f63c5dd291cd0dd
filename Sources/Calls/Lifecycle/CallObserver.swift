import ARI

/// Hears when calls begin and end (call records, live events, metrics).
///
/// Called on the call's own task: keep it quick.
public protocol CallObserver: Sendable {
    func callStarted(_ session: CallSession)
    func callEnded(_ session: CallSession, end: CallEnd) async
    /// Reconcile is about to take up `channel`, a caller an earlier run of ura left in the
    /// application: the call id that run gave it, so the call goes on under it; nil for a new id.
    func callID(takingUp channel: ChannelID) async -> String?
    /// Reconcile is done: every call this run carries, or takes up, has been started; calls an
    /// earlier run left unfinished that are none of these are gone.
    func reconciled() async
    /// ``PeerWatch`` found the instance of `application` gone and continued its `callers` in the
    /// dialplan: their calls, in a shared record store, end as lost.
    func peerGone(application: String, callers: [ChannelID]) async
}

extension CallObserver {
    /// Observers that keep nothing across runs need neither.
    public func callID(takingUp channel: ChannelID) async -> String? { nil }
    public func reconciled() async {}
    public func peerGone(application: String, callers: [ChannelID]) async {}
}
