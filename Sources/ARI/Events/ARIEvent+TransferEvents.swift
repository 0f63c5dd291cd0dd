extension ARIEvent {
    /// A blind transfer happened inside Asterisk.
    public struct BridgeBlindTransfer: Sendable, Hashable {
        /// The channel that performed the transfer.
        public var channel: Channel
        public var replaceChannel: Channel?
        public var transferee: Channel?
        public var exten: String
        public var context: String
        /// `Success`, `Fail`, `Invalid`, `Not Permitted`.
        public var result: String
        public var isExternal: Bool
        public var bridge: Bridge?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            channel = try object.model("channel")
            replaceChannel = try object.optionalModel("replace_channel")
            transferee = try object.optionalModel("transferee")
            exten = try object.string("exten")
            context = try object.string("context")
            result = try object.string("result")
            isExternal = try object.bool("is_external")
            bridge = try object.optionalModel("bridge")
        }
    }

    /// An attended transfer happened inside Asterisk.
    public struct BridgeAttendedTransfer: Sendable, Hashable {
        public var transfererFirstLeg: Channel
        public var transfererSecondLeg: Channel
        public var replaceChannel: Channel?
        public var transferee: Channel?
        public var transferTarget: Channel?
        public var result: String
        public var isExternal: Bool
        public var transfererFirstLegBridge: Bridge?
        public var transfererSecondLegBridge: Bridge?
        /// `bridge`, `application`, `link`, `threeway` or `fail`.
        public var destinationType: String
        public var destinationBridge: String?
        public var destinationApplication: String?
        public var destinationLinkFirstLeg: Channel?
        public var destinationLinkSecondLeg: Channel?
        public var destinationThreewayChannel: Channel?
        public var destinationThreewayBridge: Bridge?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            transfererFirstLeg = try object.model("transferer_first_leg")
            transfererSecondLeg = try object.model("transferer_second_leg")
            replaceChannel = try object.optionalModel("replace_channel")
            transferee = try object.optionalModel("transferee")
            transferTarget = try object.optionalModel("transfer_target")
            result = try object.string("result")
            isExternal = try object.bool("is_external")
            transfererFirstLegBridge = try object.optionalModel("transferer_first_leg_bridge")
            transfererSecondLegBridge = try object.optionalModel("transferer_second_leg_bridge")
            destinationType = try object.string("destination_type")
            destinationBridge = try object.optionalString("destination_bridge")
            destinationApplication = try object.optionalString("destination_application")
            destinationLinkFirstLeg = try object.optionalModel("destination_link_first_leg")
            destinationLinkSecondLeg = try object.optionalModel("destination_link_second_leg")
            destinationThreewayChannel = try object.optionalModel("destination_threeway_channel")
            destinationThreewayBridge = try object.optionalModel("destination_threeway_bridge")
        }
    }

    /// A caller asked to be transferred (SIP REFER) and `PJSIP_TRANSFER_HANDLING(ari-only)` left it to the app.
    public struct ChannelTransfer: Sendable, Hashable {
        /// Where the transfer should go.
        public struct ReferTo: ARIDecodable, Hashable {
            public var requestedDestination: RequestedDestination
            public var destinationChannel: Channel?
            public var connectedChannel: Channel?
            public var bridge: Bridge?

            public init(json: JSONValue) throws(ARIDecodingError) {
                let object = try JSONObjectReader(json, model: "ReferTo")
                requestedDestination = try object.model("requested_destination")
                destinationChannel = try object.optionalModel("destination_channel")
                connectedChannel = try object.optionalModel("connected_channel")
                bridge = try object.optionalModel("bridge")
            }
        }

        /// Who asked for the transfer.
        public struct ReferredBy: ARIDecodable, Hashable {
            public var sourceChannel: Channel
            public var connectedChannel: Channel?
            public var bridge: Bridge?

            public init(json: JSONValue) throws(ARIDecodingError) {
                let object = try JSONObjectReader(json, model: "ReferredBy")
                sourceChannel = try object.model("source_channel")
                connectedChannel = try object.optionalModel("connected_channel")
                bridge = try object.optionalModel("bridge")
            }
        }

        /// The destination as the REFER named it (swagger model `RequiredDestination`).
        public struct RequestedDestination: ARIDecodable, Hashable {
            /// The Call-ID of an attended transfer's other call.
            public var protocolID: String?
            /// The target of a blind transfer.
            public var destination: String?
            /// Extra URI parameters of the Refer-To header.
            public var additionalProtocolParams: [ProtocolParameter]

            /// One Refer-To URI parameter (swagger model `AdditionalParam`).
            public struct ProtocolParameter: ARIDecodable, Hashable {
                public var name: String
                public var value: String

                public init(json: JSONValue) throws(ARIDecodingError) {
                    let object = try JSONObjectReader(json, model: "AdditionalParam")
                    name = try object.string("parameter_name")
                    value = try object.lenientString("parameter_value")
                }
            }

            public init(json: JSONValue) throws(ARIDecodingError) {
                let object = try JSONObjectReader(json, model: "RequiredDestination")
                protocolID = try object.optionalString("protocol_id")
                destination = try object.optionalString("destination")
                additionalProtocolParams = try object.optionalModels("additional_protocol_params") ?? []
            }
        }

        /// The progress state, when Asterisk reports one.
        public var state: String?
        public var referTo: ReferTo
        public var referredBy: ReferredBy

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            state = try object.optionalString("state")
            referTo = try object.model("refer_to")
            referredBy = try object.model("referred_by")
        }
    }
}
