/// Hears when calls begin and end (call records, live events, metrics).
///
/// Called on the call's own task: keep it quick.
public protocol CallObserver: Sendable {
    func callStarted(_ session: CallSession)
    func callEnded(_ session: CallSession, end: CallEnd) async
}
