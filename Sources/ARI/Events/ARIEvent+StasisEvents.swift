extension ARIEvent {
    /// A channel entered the Stasis application: a new call, or a channel ura created (externalMedia, snoop, originate).
    public struct StasisStart: Sendable, Hashable {
        /// `Stasis(app,a,b)` arguments, `appArgs`, or externalMedia's `data`.
        public var args: [String]
        public var channel: Channel
        /// Present when this channel took over another one (transfer, masquerade).
        public var replaceChannel: Channel?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            args = try object.optionalValue("args") == nil ? [] : object.strings("args")
            channel = try object.model("channel")
            replaceChannel = try object.optionalModel("replace_channel")
        }
    }

    /// Moving a channel to another application failed; it stays in this one.
    public struct ApplicationMoveFailed: Sendable, Hashable {
        public var channel: Channel
        public var destination: String
        public var args: [String]

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            channel = try object.model("channel")
            destination = try object.string("destination")
            args = try object.optionalValue("args") == nil ? [] : object.strings("args")
        }
    }
}
