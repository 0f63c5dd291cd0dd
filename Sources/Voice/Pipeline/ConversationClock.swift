/// The clock a conversation reads and sleeps on.
///
/// On calls it is the continuous clock; tests give a virtual one (VoiceTesting's
/// `VirtualTime`) so that seconds of turn-taking run in milliseconds, the same way every time.
/// Its instants are the continuous clock's: turn timings, the echo guard and the output's
/// playback stamps all compare on one axis whichever clock made them.
public protocol ConversationClock: Clock where Instant == ContinuousClock.Instant {}

extension ContinuousClock: ConversationClock {}
