extension ARIEvent {
    /// A channel is gone; normally after StasisEnd.
    public struct ChannelDestroyed: Sendable, Hashable {
        /// The Q.850 cause code (16 = normal clearing).
        public var cause: Int
        public var causeText: String
        /// The technology's own cause: the SIP status for PJSIP (22.7+).
        public var techCause: Int?
        public var channel: Channel

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            cause = try object.int("cause")
            causeText = try object.lenientString("cause_txt")
            techCause = try object.optionalInt("tech_cause")
            channel = try object.model("channel")
        }
    }

    /// Someone asked for the channel to hang up (the caller did, or a DELETE did).
    public struct ChannelHangupRequest: Sendable, Hashable {
        public var cause: Int?
        public var techCause: Int?
        /// A soft hangup request (the channel may still finish what it is doing).
        public var soft: Bool?
        public var channel: Channel

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            cause = try object.optionalInt("cause")
            techCause = try object.optionalInt("tech_cause")
            soft = try object.optionalBool("soft")
            channel = try object.model("channel")
        }
    }

    /// A DTMF digit ended on the channel.
    public struct ChannelDtmfReceived: Sendable, Hashable {
        /// `0`–`9`, `A`–`D`, `*` or `#`.
        public var digit: String
        public var durationMilliseconds: Int
        public var channel: Channel

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            digit = try object.string("digit")
            durationMilliseconds = try object.int("duration_ms")
            channel = try object.model("channel")
        }
    }

    /// The channel moved in the dialplan.
    public struct ChannelDialplan: Sendable, Hashable {
        public var channel: Channel
        public var dialplanApp: String
        public var dialplanAppData: String

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            channel = try object.model("channel")
            dialplanApp = try object.string("dialplan_app")
            dialplanAppData = try object.lenientString("dialplan_app_data")
        }
    }

    /// The channel's caller id changed.
    public struct ChannelCallerId: Sendable, Hashable {
        public var callerPresentation: Int
        public var callerPresentationText: String
        public var channel: Channel

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            callerPresentation = try object.int("caller_presentation")
            callerPresentationText = try object.lenientString("caller_presentation_txt")
            channel = try object.model("channel")
        }
    }

    /// A user event (`UserEvent()` in the dialplan, or `POST /events/user/{name}`).
    public struct ChannelUserevent: Sendable, Hashable {
        public var eventName: String
        public var channel: Channel?
        public var bridge: Bridge?
        public var endpoint: Endpoint?
        /// The user-defined members, as raw JSON.
        public var userEvent: JSONValue

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            eventName = try object.string("eventname")
            channel = try object.optionalModel("channel")
            bridge = try object.optionalModel("bridge")
            endpoint = try object.optionalModel("endpoint")
            userEvent = object.optionalValue("userevent") ?? .object([:])
        }
    }

    /// A variable was set: noisy, worth filtering out.
    public struct ChannelVarset: Sendable, Hashable {
        public var variable: String
        public var value: String
        /// Absent for global variables.
        public var channel: Channel?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            variable = try object.string("variable")
            value = try object.lenientString("value")
            channel = try object.optionalModel("channel")
        }
    }

    /// The channel put itself on hold (the phone's hold button).
    public struct ChannelHold: Sendable, Hashable {
        public var channel: Channel
        public var musicClass: String?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            channel = try object.model("channel")
            musicClass = try object.optionalString("musicclass")
        }
    }

    /// Talk detection saw the end of speech (needs `TALK_DETECT`).
    public struct ChannelTalkingFinished: Sendable, Hashable {
        public var channel: Channel
        /// Milliseconds of talking.
        public var duration: Int

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            channel = try object.model("channel")
            duration = try object.int("duration")
        }
    }

    /// Progress of a dial: an empty ``dialStatus`` while in progress, then `RINGING`, `ANSWER`, `BUSY`, `NOANSWER`, ….
    public struct Dial: Sendable, Hashable {
        public var caller: Channel?
        public var peer: Channel
        public var forward: String?
        public var forwarded: Channel?
        public var dialString: String?
        public var dialStatus: String

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            caller = try object.optionalModel("caller")
            peer = try object.model("peer")
            forward = try object.optionalString("forward")
            forwarded = try object.optionalModel("forwarded")
            dialString = try object.optionalString("dialstring")
            dialStatus = try object.lenientString("dialstatus")
        }
    }
}
