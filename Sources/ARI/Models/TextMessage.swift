/// An out-of-call text message (SIP MESSAGE).
public struct TextMessage: ARIDecodable, Hashable {
    public var from: String
    public var to: String
    public var body: String
    public var variables: [String: String]?

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "TextMessage")
        from = try object.string("from")
        to = try object.string("to")
        body = try object.string("body")
        variables = try object.optionalStringMap("variables")
    }
}
