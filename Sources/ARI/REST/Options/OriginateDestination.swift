/// Where an originated channel goes once answered: a Stasis application or a dialplan location.
public enum OriginateDestination: Sendable, Hashable {
    /// Enter `name` with StasisStart `args`.
    case application(_ name: String, args: [String] = [])
    /// Run the dialplan; nil members take Asterisk's defaults.
    case dialplan(context: String?, extension: String?, priority: Int? = nil, label: String? = nil)

    func add(to parameters: inout JSONObject) {
        switch self {
        case .application(let name, let args):
            parameters.set("app", .string(name))
            if !args.isEmpty { parameters.set("appArgs", .string(args.joined(separator: ","))) }
        case .dialplan(let context, let exten, let priority, let label):
            parameters.set("context", context.map(JSONValue.string))
            parameters.set("extension", exten.map(JSONValue.string))
            parameters.set("priority", priority.map(JSONValue.integer))
            parameters.set("label", label.map(JSONValue.string))
        }
    }
}
