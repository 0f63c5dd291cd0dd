extension ARIEvent {
    /// One bridge was merged into another.
    public struct BridgeMerged: Sendable, Hashable {
        /// The surviving bridge.
        public var bridge: Bridge
        /// The bridge that was merged away.
        public var bridgeFrom: Bridge

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            bridge = try object.model("bridge")
            bridgeFrom = try object.model("bridge_from")
        }
    }

    /// The video source of a bridge changed.
    public struct BridgeVideoSourceChanged: Sendable, Hashable {
        public var bridge: Bridge
        public var oldVideoSourceID: String?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            bridge = try object.model("bridge")
            oldVideoSourceID = try object.optionalString("old_video_source_id")
        }
    }

    /// A channel joined a bridge.
    public struct ChannelEnteredBridge: Sendable, Hashable {
        public var bridge: Bridge
        public var channel: Channel?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            bridge = try object.model("bridge")
            channel = try object.optionalModel("channel")
        }
    }

    /// A channel left a bridge.
    public struct ChannelLeftBridge: Sendable, Hashable {
        public var bridge: Bridge
        public var channel: Channel

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            bridge = try object.model("bridge")
            channel = try object.model("channel")
        }
    }
}
