import Foundation

/// The `exten =>` / `same =>` steps of an extensions.conf, and a walker that follows them.
///
/// The walker runs only the few applications that move control (Goto, GotoIf, Hangup) and
/// evaluates GotoIf conditions of the form `$["${VAR}" = "value"]` (or `!=`) against given
/// channel variables, which is what the fallback after `Stasis()` needs.
struct Dialplan {
    struct Step: Equatable {
        let context: String
        let extensionName: String
        let priority: Int
        let label: String?
        let application: String
        let arguments: String
        let line: Int

        /// Comma-separated arguments, splitting only outside `${}`, `$[]` and quotes.
        var argumentList: [String] { Dialplan.splitTopLevel(arguments, on: ",") }
    }

    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var steps: [Step] = []
    let contexts: Set<String>

    /// Reads the dialplan steps of every context (all sections but [general] and [globals]).
    init(_ file: AsteriskConfigFile) throws(Problem) {
        var contexts: Set<String> = []
        for section in file.sections where !section.isTemplate && section.name != "general" && section.name != "globals" {
            contexts.insert(section.name)
            var current: (name: String, priority: Int)?
            for entry in file.effectiveEntries(of: section) where entry.key == "exten" || entry.key == "same" {
                let parts = Self.splitTopLevel(entry.value, on: ",", limit: entry.key == "exten" ? 3 : 2)
                let extensionName: String
                let priorityText: String
                let command: String
                if entry.key == "exten" {
                    guard parts.count == 3 else { throw Problem(description: "line \(entry.line): exten needs name,priority,application") }
                    (extensionName, priorityText, command) = (parts[0], parts[1], parts[2])
                } else {
                    guard let current, parts.count == 2 else { throw Problem(description: "line \(entry.line): same => without an exten before it") }
                    (extensionName, priorityText, command) = (current.name, parts[0], parts[1])
                }
                let (priority, label) = try Self.priority(priorityText, previous: current?.name == extensionName ? current?.priority : nil, line: entry.line)
                let (application, arguments) = Self.application(command)
                steps.append(Step(
                    context: section.name, extensionName: extensionName, priority: priority, label: label,
                    application: application, arguments: arguments, line: entry.line))
                current = (extensionName, priority)
            }
        }
        self.contexts = contexts
    }

    func step(context: String, extensionName: String, priority: Int) -> Step? {
        steps.first { $0.context == context && $0.extensionName == extensionName && $0.priority == priority }
    }

    /// The steps a channel runs from `start` until it hangs up, given its channel variables.
    /// - Throws: ``Problem`` when the path runs off the dialplan, loops, or hits a condition
    ///   the walker cannot evaluate.
    func path(from start: Step, variables: [String: String]) throws(Problem) -> [Step] {
        var path: [Step] = []
        var current = start
        while path.count < 100 {
            path.append(current)
            let next: (context: String, extensionName: String, target: String)
            switch current.application.lowercased() {
            case "hangup":
                return path
            case "goto":
                next = try target(current.argumentList, from: current)
            case "gotoif":
                let parts = Self.splitTopLevel(current.arguments, on: "?", limit: 2)
                guard parts.count == 2 else { throw Problem(description: "line \(current.line): GotoIf without ?") }
                let branches = Self.splitTopLevel(parts[1], on: ":", limit: 2)
                let branch = try Self.evaluate(parts[0], variables: variables, line: current.line) ? branches.first : branches.dropFirst().first
                if let branch, !branch.isEmpty {
                    next = try target(Self.splitTopLevel(branch, on: ","), from: current)
                } else {
                    next = (current.context, current.extensionName, String(current.priority + 1))
                }
            default:
                next = (current.context, current.extensionName, String(current.priority + 1))
            }
            guard let resolved = resolve(next) else {
                throw Problem(description: "line \(current.line): no step \(next.context),\(next.extensionName),\(next.target) after \(current.application)")
            }
            current = resolved
        }
        throw Problem(description: "the path from line \(start.line) does not end in Hangup within 100 steps")
    }

    private func target(_ parts: [String], from step: Step) throws(Problem) -> (context: String, extensionName: String, target: String) {
        switch parts.count {
        case 1: return (step.context, step.extensionName, parts[0])
        case 2: return (step.context, parts[0], parts[1])
        case 3: return (parts[0], parts[1], parts[2])
        default: throw Problem(description: "line \(step.line): Goto target \(parts.joined(separator: ",")) is not [[context,]extension,]priority")
        }
    }

    private func resolve(_ location: (context: String, extensionName: String, target: String)) -> Step? {
        if let priority = Int(location.target) {
            return step(context: location.context, extensionName: location.extensionName, priority: priority)
        }
        return steps.first { $0.context == location.context && $0.extensionName == location.extensionName && $0.label == location.target }
    }

    private static func priority(_ text: String, previous: Int?, line: Int) throws(Problem) -> (Int, String?) {
        var body = text
        var label: String?
        if let open = text.firstIndex(of: "("), text.hasSuffix(")") {
            label = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
            body = String(text[..<open])
        }
        if body == "n" {
            guard let previous else { throw Problem(description: "line \(line): priority n with no priority before it") }
            return (previous + 1, label)
        }
        guard let number = Int(body), number >= 1 else { throw Problem(description: "line \(line): priority \"\(text)\" is not a number or n") }
        return (number, label)
    }

    private static func application(_ command: String) -> (String, String) {
        guard let open = command.firstIndex(of: "("), command.hasSuffix(")") else { return (command, "") }
        return (String(command[..<open]), String(command[command.index(after: open)..<command.index(before: command.endIndex)]))
    }

    /// Evaluates `$["${NAME}" = "value"]` and `!=` with the given variables.
    private static func evaluate(_ condition: String, variables: [String: String], line: Int) throws(Problem) -> Bool {
        var expression = condition.trimmingCharacters(in: .whitespaces)
        guard expression.hasPrefix("$["), expression.hasSuffix("]") else {
            throw Problem(description: "line \(line): condition \(condition) is not $[...]")
        }
        expression = String(expression.dropFirst(2).dropLast())
        for (name, value) in variables { expression = expression.replacingOccurrences(of: "${\(name)}", with: value) }
        for (op, equal) in [("!=", false), ("=", true)] {
            let sides = expression.components(separatedBy: " \(op) ")
            guard sides.count == 2 else { continue }
            let unquoted = sides.map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            guard !unquoted.contains(where: { $0.contains("${") }) else {
                throw Problem(description: "line \(line): condition \(condition) uses a variable the walker was not given")
            }
            return (unquoted[0] == unquoted[1]) == equal
        }
        throw Problem(description: "line \(line): condition \(condition) is not a = or != comparison")
    }

    /// Splits on `separator` outside quotes, `${...}`, `$[...]` and parentheses.
    static func splitTopLevel(_ text: String, on separator: Character, limit: Int = .max) -> [String] {
        var parts: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if !quoted {
                if character == "{" || character == "[" || character == "(" { depth += 1 }
                if character == "}" || character == "]" || character == ")" { depth -= 1 }
            }
            if character == separator, depth == 0, !quoted, parts.count < limit - 1 {
                parts.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current.trimmingCharacters(in: .whitespaces))
        return parts
    }
}
