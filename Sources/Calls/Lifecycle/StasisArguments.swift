import Settings

/// The `Stasis(ura,key=value,...)` arguments of a call.
///
/// They come from the dialplan or from an originate request, so they are checked like any
/// outside input: a key is an identifier (``Settings/StasisVariable``), a key seen before is
/// ignored (the first one wins, so an argument appended later cannot override `bot=`), and a
/// value with a control character or over-long is ignored. `ura_call_id` is read by
/// ``CallService`` before the session sees the arguments.
struct StasisArguments {
    var bot: BotChoice?
    var variables: [String: String] = [:]
    /// Arguments that were not taken, each with why (logged as a warning).
    var ignored: [String] = []

    init(_ arguments: [String]) {
        var seen: Set<String> = []
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                ignore(argument, "not key=value")
                continue
            }
            let key = argument[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = argument[argument.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard seen.insert(key).inserted else {
                ignore(argument, "repeats \(key.prefix(StasisVariable.maximumNameLength))")
                continue
            }
            if key == "bot" {
                do { bot = try BotChoice(parsing: value, variable: "bot") } catch { ignore(argument, "\(error.problem)") }
            } else if let problem = StasisVariable.problem(name: key) {
                ignore(argument, "key \(problem)")
            } else if let problem = StasisVariable.problem(value: value) {
                ignore(argument, "value \(problem)")
            } else {
                variables[key] = value
            }
        }
    }

    private mutating func ignore(_ argument: String, _ why: String) {
        let shown = String(argument.unicodeScalars.prefix(80).map { $0.isASCII && $0.value >= 0x20 && $0.value != 0x7F ? Character($0) : "?" })
        ignored.append("\(shown) (\(why))")
    }
}
