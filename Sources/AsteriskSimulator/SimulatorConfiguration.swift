/// How a ``SimulatedAsterisk`` is set up; defaults mirror a stock Asterisk 22 where one exists.
public struct SimulatorConfiguration: Sendable {
    /// ARI user (`ari.conf` `type=user` section).
    public var username: String
    /// ARI password (`password_format=plain`).
    public var password: String
    /// `asterisk_id` on every event (`asterisk.conf entityid`).
    public var asteriskID: String
    /// The app a placed call's dialplan hands to: `Stasis(<app>[,args])`.
    public var dialplanApp: String
    /// Dialplan context of inbound calls (the captures used `from-caller`).
    public var dialplanContext: String
    /// Delay between writing the externalMedia response and its Dial/StasisStart events
    /// (1–6 ms on the real system).
    public var externalMediaEventDelay: Duration
    /// Emit the externalMedia channel's events before the REST response (real Asterisk does not
    /// promise either order; a test knob to check ura copes with both).
    public var externalMediaEventsBeforeResponse: Bool
    /// UDP ports for UnicastRTP channels (`rtp.conf rtpstart–rtpend`); even ports are used.
    public var rtpPorts: ClosedRange<Int>
    /// `ari.conf websocket_write_timeout`: a consumer that cannot take an event this long is dropped.
    public var eventWriteTimeout: Duration
    /// `SO_SNDBUF` of events sockets; small enough that a stalled consumer shows up quickly.
    public var eventSendBufferSize: Int
    /// How long a channel playback lasts before PlaybackFinished.
    public var playbackDuration: Duration
    /// How long an originated PJSIP endpoint rings before the synthetic phone answers.
    public var originateAnswerDelay: Duration
    /// How long `GET /channels` takes after taking its snapshot (a busy Asterisk with thousands
    /// of channels): calls that arrive meanwhile are missing from the answer.
    public var channelListDelay: Duration = .zero

    /// Defaults: user `ura`/`secret`, app `ura`, 100 ms write timeout, RTP ports 20000–29999.
    public init(
        username: String = "ura", password: String = "secret", asteriskID: String = "02:fc:00:00:00:01",
        dialplanApp: String = "ura", dialplanContext: String = "from-caller",
        externalMediaEventDelay: Duration = .milliseconds(2), externalMediaEventsBeforeResponse: Bool = false,
        rtpPorts: ClosedRange<Int> = 20000...29999, eventWriteTimeout: Duration = .milliseconds(100),
        eventSendBufferSize: Int = 65536, playbackDuration: Duration = .milliseconds(200),
        originateAnswerDelay: Duration = .milliseconds(20)
    ) {
        self.username = username
        self.password = password
        self.asteriskID = asteriskID
        self.dialplanApp = dialplanApp
        self.dialplanContext = dialplanContext
        self.externalMediaEventDelay = externalMediaEventDelay
        self.externalMediaEventsBeforeResponse = externalMediaEventsBeforeResponse
        self.rtpPorts = rtpPorts
        self.eventWriteTimeout = eventWriteTimeout
        self.eventSendBufferSize = eventSendBufferSize
        self.playbackDuration = playbackDuration
        self.originateAnswerDelay = originateAnswerDelay
    }
}
