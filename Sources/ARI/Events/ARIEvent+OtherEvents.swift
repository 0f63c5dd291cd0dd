extension ARIEvent {
    /// The answer to a REST request made over the events WebSocket.
    public struct RESTResponse: Sendable, Hashable {
        public var transactionID: String
        public var requestID: String
        public var statusCode: Int
        public var reasonPhrase: String
        public var uri: String
        public var contentType: String?
        /// The response body as text (JSON for most calls).
        public var messageBody: String?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            transactionID = try object.string("transaction_id")
            requestID = try object.string("request_id")
            statusCode = try object.int("status_code")
            reasonPhrase = try object.lenientString("reason_phrase")
            uri = try object.string("uri")
            contentType = try object.optionalString("content_type")
            messageBody = try object.optionalString("message_body")
        }
    }

    /// A call is offered to every application that may claim it (`res_stasis_broadcast`).
    public struct CallBroadcast: Sendable, Hashable {
        public var channel: Channel
        public var caller: String?
        public var called: String?

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            channel = try object.model("channel")
            caller = try object.optionalString("caller")
            called = try object.optionalString("called")
        }
    }

    /// A broadcast call was claimed.
    public struct CallClaimed: Sendable, Hashable {
        public var channel: Channel
        public var winnerApp: String

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            channel = try object.model("channel")
            winnerApp = try object.string("winner_app")
        }
    }

    /// Asterisk's error for a request over the socket that lacked parameters.
    public struct MissingParams: Sendable, Hashable {
        public var params: [String]

        init(_ object: JSONObjectReader) throws(ARIDecodingError) {
            params = try object.strings("params")
        }
    }
}
