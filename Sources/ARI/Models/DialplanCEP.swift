/// A dialplan location: context, extension and priority, plus the application running there.
///
/// A channel inside ura's Stasis app shows `appName == "Stasis"` and `appData` starting with the app's name.
public struct DialplanCEP: ARIDecodable, Hashable {
    public var context: String
    public var exten: String
    public var priority: Int
    public var appName: String
    public var appData: String

    public init(json: JSONValue) throws(ARIDecodingError) {
        let object = try JSONObjectReader(json, model: "DialplanCEP")
        context = try object.string("context")
        exten = try object.string("exten")
        priority = try object.int("priority")
        // Older Asterisk versions lack the running application.
        appName = try object.lenientString("app_name")
        appData = try object.lenientString("app_data")
    }
}
