extension ARIEvent {
    /// An endpoint's state changed.
    public struct EndpointStateChange: Sendable, Hashable {
        public var endpoint: Endpoint

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            endpoint = try object.model("endpoint")
        }
    }

    /// A SIP contact of an endpoint changed status.
    public struct ContactStatusChange: Sendable, Hashable {
        /// A contact's address and reachability.
        public struct ContactInfo: ARIDecodable, Hashable {
            public var uri: String
            /// `Unreachable`, `Reachable`, `Unknown`, `NonQualified`, `Removed`, `Updated`.
            public var contactStatus: String
            public var aor: String
            public var roundtripMicroseconds: String?

            public init(json: JSONValue) throws(ARIDecodingError) {
                let object = try JSONObjectReader(json, model: "ContactInfo")
                uri = try object.string("uri")
                contactStatus = try object.string("contact_status")
                aor = try object.string("aor")
                roundtripMicroseconds = try object.optionalString("roundtrip_usec")
            }
        }

        public var endpoint: Endpoint
        public var contactInfo: ContactInfo

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            endpoint = try object.model("endpoint")
            contactInfo = try object.model("contact_info")
        }
    }

    /// A peer's registration or reachability changed.
    public struct PeerStatusChange: Sendable, Hashable {
        /// A peer's status.
        public struct Peer: ARIDecodable, Hashable {
            public var peerStatus: String
            public var cause: String?
            public var address: String?
            public var port: String?
            public var time: String?

            public init(json: JSONValue) throws(ARIDecodingError) {
                let object = try JSONObjectReader(json, model: "Peer")
                peerStatus = try object.string("peer_status")
                cause = try object.optionalString("cause")
                address = try object.optionalString("address")
                port = try object.optionalString("port")
                time = try object.optionalString("time")
            }
        }

        public var endpoint: Endpoint
        public var peer: Peer

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            endpoint = try object.model("endpoint")
            peer = try object.model("peer")
        }
    }

    /// A device state the application subscribed to changed.
    public struct DeviceStateChanged: Sendable, Hashable {
        public var deviceState: DeviceState

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            deviceState = try object.model("device_state")
        }
    }

    /// A text message arrived.
    public struct TextMessageReceived: Sendable, Hashable {
        public var message: TextMessage
        public var endpoint: Endpoint?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            message = try object.model("message")
            endpoint = try object.optionalModel("endpoint")
        }
    }
}
