import Foundation

/// Fills `{variables}` into a flow's text for one call.
///
/// Built-in variables: `{caller_number}` (digits spaced so a synthesiser reads them one by
/// one), `{time_of_day}` (a greeting for the hour: "bom dia", "boa tarde", "boa noite" or
/// "good morning", "good afternoon", "good evening") and `{input}` (what the caller said or
/// keyed this turn). Others come from the call's variables, then the flow's. A text that
/// starts with a variable gets a capital first letter ("{time_of_day}!" → "Bom dia!").
public struct PromptRenderer: Sendable {
    /// BCP 47 language of the call.
    public var language: String
    /// The caller's number, when known.
    public var callerNumber: String?
    /// Now, in the clinic's time zone: hour 5-11 is morning, 12-17 afternoon, else evening.
    public var hour: Int
    /// What the caller said or keyed this turn.
    public var input: String
    /// Call variables over flow variables.
    public var variables: [String: String]

    /// A renderer for one call turn; `hour` is 0-23 in the callers' time zone.
    public init(language: String, callerNumber: String?, hour: Int, input: String = "", variables: [String: String]) {
        self.language = language
        self.callerNumber = callerNumber
        self.hour = hour
        self.input = input
        self.variables = variables
    }

    /// `text` with every `{name}` replaced; unknown names become empty (the loader rejects
    /// them, so only call variables that vanished can be unknown).
    ///
    /// - Parameters:
    ///   - sentence: capitalise a leading variable's value (prompts, not destinations).
    ///   - spoken: the caller's number digit by digit, for a synthesiser; false gives it as it
    ///     is (a tool's argument).
    public func render(_ text: String, sentence: Bool = true, spoken: Bool = true) -> String {
        var result = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += !spoken && name == "caller_number" ? callerNumber ?? "" : value(of: name)
            rest = rest[rest.index(after: close)...]
        }
        result += rest
        if sentence, text.hasPrefix("{"), let first = result.first, first.isLowercase {
            result = first.uppercased() + result.dropFirst()
        }
        return result
    }

    private var portuguese: Bool { language.lowercased().hasPrefix("pt") }

    private func value(of name: String) -> String {
        switch name {
        case "caller_number":
            guard let callerNumber, !callerNumber.isEmpty else {
                return portuguese ? "número não identificado" : "an unknown number"
            }
            return callerNumber.map(String.init).joined(separator: " ")
        case "time_of_day":
            switch hour {
            case 5..<12: return portuguese ? "bom dia" : "good morning"
            case 12..<18: return portuguese ? "boa tarde" : "good afternoon"
            default: return portuguese ? "boa noite" : "good evening"
            }
        case "input":
            return input
        default:
            return variables[name] ?? ""
        }
    }

    /// The `{name}`s `text` uses, in order.
    static func placeholders(in text: String) -> [String] {
        var names: [String] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            names.append(String(rest[rest.index(after: open)..<close]))
            rest = rest[rest.index(after: close)...]
        }
        return names
    }
}
