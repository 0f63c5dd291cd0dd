import Settings

/// The `Stasis(ura,key=value,...)` arguments of a call.
struct StasisArguments {
    var bot: BotChoice?
    var variables: [String: String] = [:]
    /// Arguments that are not `key=value`, or a `bot=` ura does not know.
    var ignored: [String] = []

    init(_ arguments: [String]) {
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "=") else {
                ignored.append(argument)
                continue
            }
            let key = argument[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = argument[argument.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if key == "bot" {
                do { bot = try BotChoice(parsing: value, variable: "bot") } catch { ignored.append(argument) }
            } else {
                variables[key] = value
            }
        }
    }
}

import Foundation
