import Foundation
import Settings
import Yams

/// Walks a composed YAML tree into a ``Flow``, collecting every problem with its position.
///
/// References between parts of the file (goto targets, `{variables}` in text) are checked
/// once the whole file has been read, since a state may name one defined further down.
struct FlowParser {
    private(set) var problems: [FlowLoadError.Problem] = []
    private var gotoTargets: [(state: String, mark: Mark?)] = []
    private var variableUses: [(name: String, mark: Mark?)] = []
    private var transfers: [(text: String, mark: Mark?)] = []
    private var setNames: Set<String> = []
    private(set) var toolNames: Set<String> = []
    /// Inside a tool's on_success steps, where `{result.<field>}` is known.
    private var inToolSuccess = 0
    private var languages: [String] = []

    /// Variables every call has (see ``PromptRenderer``).
    static let builtInVariables: Set<String> = ["caller_number", "time_of_day", "input"]
    /// Prefix of the variables the brain keeps its own progress in.
    static let reservedPrefix = "flow."

    mutating func flow(_ root: Node) -> Flow? {
        guard let entries = mapping(root, "the flow file") else { return nil }
        checkKeys(entries, allowed: ["flow", "languages", "start", "variables", "defaults", "goodbye", "states"], in: "the flow")
        var name = ""
        if let node = entries["flow"] {
            name = string(node, "flow") ?? ""
        } else {
            report(root, "has no \"flow\" (the flow's name)")
        }
        languages = entries["languages"].flatMap { stringList($0, "languages") } ?? []
        if languages.isEmpty {
            report(entries["languages"] ?? root, "names no languages (e.g. languages: [pt-BR])")
        }
        var variables: [String: String] = [:]
        if let node = entries["variables"], let pairs = mapping(node, "variables") {
            for (key, value) in pairs.ordered {
                guard let value = scalarText(value, "variable \(key)") else { continue }
                if key.hasPrefix(Self.reservedPrefix) { report(value.node, "variable \(key): names starting with \"flow.\" are reserved") }
                variables[key] = value.text
                useVariables(in: value.text, at: value.node)
            }
        }
        var noMatch = FlowFallback.defaultNoMatch
        var noInput = FlowFallback.defaultNoInput
        if let node = entries["defaults"], let defaults = mapping(node, "defaults") {
            checkKeys(defaults, allowed: ["no_match", "no_input"], in: "defaults")
            if let node = defaults["no_match"], let fallback = fallback(node, "defaults.no_match") { noMatch = fallback }
            if let node = defaults["no_input"], let fallback = fallback(node, "defaults.no_input") { noInput = fallback }
        }
        let goodbye = entries["goodbye"].flatMap { localizedText($0, "goodbye") }

        var states: [String: FlowState] = [:]
        if let node = entries["states"], let pairs = mapping(node, "states") {
            if pairs.ordered.isEmpty { report(node, "states: the flow has no states") }
            for (stateName, stateNode) in pairs.ordered {
                if let state = state(stateNode, name: stateName) { states[stateName] = state }
            }
        } else if entries["states"] == nil {
            report(root, "has no \"states\"")
        }

        let start = entries["start"].flatMap { string($0, "start") }
        if let start, let node = entries["start"], !states.keys.contains(start), entries["states"] != nil {
            report(node, "start: no state named \"\(start)\"")
        } else if start == nil, entries["start"] == nil {
            report(root, "has no \"start\" (the first state's name)")
        }
        for target in gotoTargets where !states.keys.contains(target.state) && entries["states"] != nil {
            report(target.mark, "goto: no state named \"\(target.state)\"")
        }
        let known = Self.builtInVariables.union(variables.keys).union(setNames)
        for use in variableUses where !known.contains(use.name) {
            report(use.mark, "{\(use.name)} is not a variable of this flow (built in: caller_number, time_of_day, input; or declare it under variables, or set it)")
        }
        var flow = Flow(name: name, languages: languages, start: start ?? "", variables: variables, states: states,
                        noMatch: noMatch, noInput: noInput, goodbye: goodbye)
        flow.transferDestinations = transferDestinations(variables: variables)
        flow.toolNames = toolNames
        return flow
    }

    /// Each `transfer:` resolved with the flow's variables, checked as a ``TransferDestination``.
    ///
    /// Only variables declared under `variables` may appear in a destination: `{input}`, the
    /// caller's number and `set` values are whatever a caller says or keys, and a destination
    /// built from them would let a caller dial anything.
    private mutating func transferDestinations(variables: [String: String]) -> Set<TransferDestination> {
        var destinations: Set<TransferDestination> = []
        let renderer = PromptRenderer(language: "", callerNumber: nil, hour: 12, variables: variables)
        for transfer in transfers {
            let unsafe = PromptRenderer.placeholders(in: transfer.text).filter { variables[$0] == nil }
            guard unsafe.isEmpty else {
                report(transfer.mark, "transfer: {\(unsafe[0])} cannot be part of a destination (only variables declared under variables: can; the caller controls the rest)")
                continue
            }
            let resolved = renderer.render(transfer.text, sentence: false)
            do {
                destinations.insert(try TransferDestination(parsing: resolved))
            } catch {
                report(transfer.mark, "transfer: \"\(resolved.prefix(TransferDestination.maximumLength))\" is not [context,]exten[,priority] or TECH/resource: it \(error)")
            }
        }
        return destinations
    }

    private mutating func state(_ node: Node, name: String) -> FlowState? {
        let context = "state \(name)"
        if name.hasPrefix(Self.reservedPrefix) { report(node, "\(context): names starting with \"flow.\" are reserved") }
        guard let entries = mapping(node, context) else { return nil }
        checkKeys(entries, allowed: ["prompt", "reprompt", "then", "inputs", "no_match", "no_input"], in: context)
        guard let promptNode = entries["prompt"] else {
            report(node, "\(context) has no prompt")
            return nil
        }
        let prompt = localizedText(promptNode, "\(context) prompt")
        let reprompt = entries["reprompt"].flatMap { localizedText($0, "\(context) reprompt") }
        let onEnter = entries["then"].flatMap { steps($0, "\(context) then") } ?? []
        var inputs: [FlowInput] = []
        if let node = entries["inputs"], let items = sequence(node, "\(context) inputs") {
            var digitsSeen: [String: Int] = [:]
            var phrasesSeen: [String: Int] = [:]
            for (index, item) in items.enumerated() {
                guard let input = input(item, "\(context) input \(index + 1)") else { continue }
                if let digits = input.digits {
                    if let first = digitsSeen[digits] {
                        report(item, "\(context) input \(index + 1): digits \"\(digits)\" already select input \(first)")
                    } else {
                        digitsSeen[digits] = index + 1
                    }
                }
                for (language, list) in input.phrases {
                    for phrase in list {
                        let key = language + "|" + PhraseMatcher.normalize(phrase)
                        if let first = phrasesSeen[key] {
                            report(item, "\(context) input \(index + 1): phrase \"\(phrase)\" already selects input \(first)")
                        } else {
                            phrasesSeen[key] = index + 1
                        }
                    }
                }
                inputs.append(input)
            }
        }
        if inputs.isEmpty && !FlowStep.leaves(onEnter) {
            report(node, "\(context) has no inputs and its then does not leave (goto, transfer or hangup): the caller could never leave it")
        }
        if !inputs.isEmpty, onEnter.contains(where: \.endsSteps) {
            report(entries["then"] ?? node, "\(context): then leaves the state at once, so its inputs are never heard")
        }
        let noMatch = entries["no_match"].flatMap { fallback($0, "\(context) no_match") }
        let noInput = entries["no_input"].flatMap { fallback($0, "\(context) no_input") }
        guard let prompt else { return nil }
        return FlowState(prompt: prompt, reprompt: reprompt, onEnter: onEnter, inputs: inputs, noMatch: noMatch, noInput: noInput)
    }

    private mutating func input(_ node: Node, _ context: String) -> FlowInput? {
        guard let entries = mapping(node, context) else { return nil }
        let shorthand = ["say", "set", "goto", "transfer", "hangup"]
        checkKeys(entries, allowed: ["digits", "phrases", "then"] + shorthand, in: context)
        var digits: String?
        if let node = entries["digits"], let value = scalarText(node, "\(context) digits") {
            if value.text.isEmpty || !value.text.allSatisfy({ "0123456789*#ABCD".contains($0) }) {
                report(node, "\(context) digits: \"\(value.text)\" is not DTMF keys (0-9, *, #, A-D)")
            } else {
                digits = value.text
            }
        }
        var phrases: [String: [String]] = [:]
        if let node = entries["phrases"] {
            if case .sequence = node {
                phrases["*"] = stringList(node, "\(context) phrases")
            } else if let byLanguage = mapping(node, "\(context) phrases") {
                for (language, list) in byLanguage.ordered {
                    checkLanguage(language, at: list)
                    phrases[language] = stringList(list, "\(context) phrases \(language)")
                }
            }
            for list in phrases.values where list.contains(where: { PhraseMatcher.normalize($0).isEmpty }) {
                report(node, "\(context): a phrase has no words")
            }
        }
        if digits == nil && phrases.values.allSatisfy(\.isEmpty) {
            report(node, "\(context) has neither digits nor phrases")
        }
        var steps: [FlowStep]
        if let node = entries["then"] {
            if shorthand.contains(where: { entries[$0] != nil }) {
                report(node, "\(context): use either then or the \(shorthand.joined(separator: "/")) keys, not both")
            }
            steps = self.steps(node, "\(context) then") ?? []
        } else {
            // Shorthand keys run in a fixed order: remember, talk, then leave.
            steps = []
            for key in shorthand {
                if let value = entries[key], let step = step(key: key, value: value, context) { steps.append(step) }
            }
            if steps.filter(\.endsSteps).count > 1 {
                report(node, "\(context): goto, transfer and hangup exclude each other")
            }
        }
        if steps.isEmpty { report(node, "\(context) does nothing (add goto, say, transfer, hangup or set)") }
        return FlowInput(digits: digits, phrases: phrases, steps: steps)
    }

    private mutating func fallback(_ node: Node, _ context: String) -> FlowFallback? {
        guard let entries = mapping(node, context) else { return nil }
        checkKeys(entries, allowed: ["say", "retries", "then"], in: context)
        let message = entries["say"].flatMap { localizedText($0, "\(context) say") }
        var retries = 2
        if let node = entries["retries"], let value = scalarText(node, "\(context) retries") {
            if let number = Int(value.text), (0...10).contains(number) {
                retries = number
            } else {
                report(node, "\(context) retries: \"\(value.text)\" is not a whole number from 0 to 10")
            }
        }
        let steps = entries["then"].flatMap { self.steps($0, "\(context) then") } ?? []
        return FlowFallback(message: message, retries: retries, steps: steps)
    }

    private mutating func steps(_ node: Node, _ context: String) -> [FlowStep]? {
        guard let items = sequence(node, context) else { return nil }
        var steps: [FlowStep] = []
        for (index, item) in items.enumerated() {
            let itemContext = "\(context) step \(index + 1)"
            guard let entries = mapping(item, itemContext) else { continue }
            guard entries.ordered.count == 1, let (key, value) = entries.ordered.first else {
                report(item, "\(itemContext): a step has exactly one of say, goto, transfer, hangup, set, tool")
                continue
            }
            if steps.last?.endsSteps == true {
                report(item, "\(itemContext) comes after a step that leaves (goto, transfer or hangup)")
            }
            guard ["say", "set", "goto", "transfer", "hangup", "tool"].contains(key) else {
                report(entries.keyNodes[key], "\(itemContext): unknown step \"\(key)\" (say, goto, transfer, hangup, set, tool)")
                continue
            }
            if let step = step(key: key, value: value, itemContext) { steps.append(step) }
        }
        return steps
    }

    private mutating func step(key: String, value: Node, _ context: String) -> FlowStep? {
        switch key {
        case "say":
            return localizedText(value, "\(context) say").map(FlowStep.say)
        case "goto":
            guard let target = string(value, "\(context) goto") else { return nil }
            gotoTargets.append((target, value.mark))
            return .goto(state: target)
        case "transfer":
            guard let destination = string(value, "\(context) transfer") else { return nil }
            useVariables(in: destination, at: value)
            transfers.append((destination, value.mark))
            return .transfer(destination: destination)
        case "hangup":
            let reason = scalarText(value, "\(context) hangup")?.text ?? ""
            return .hangUp(reason: reason.isEmpty ? "flow ended" : reason)
        case "set":
            guard let pairs = mapping(value, "\(context) set"), pairs.ordered.count == 1, let (name, valueNode) = pairs.ordered.first else {
                report(value, "\(context) set: give exactly one name: value")
                return nil
            }
            if name.hasPrefix(Self.reservedPrefix) { report(valueNode, "\(context) set: names starting with \"flow.\" are reserved") }
            guard let text = scalarText(valueNode, "\(context) set \(name)") else { return nil }
            setNames.insert(name)
            useVariables(in: text.text, at: valueNode)
            return .set(name: name, value: text.text)
        case "tool":
            return toolCall(value, context).map(FlowStep.tool)
        default:
            return nil
        }
    }

    private mutating func toolCall(_ node: Node, _ context: String) -> FlowToolCall? {
        guard let entries = mapping(node, "\(context) tool") else { return nil }
        checkKeys(entries, allowed: ["name", "with", "on_success", "on_error"], in: "\(context) tool")
        guard let nameNode = entries["name"], let name = string(nameNode, "\(context) tool name") else {
            report(node, "\(context) tool: name: which tool of TOOLS_FILE")
            return nil
        }
        toolNames.insert(name)
        var arguments: [String: String] = [:]
        if let node = entries["with"], let pairs = mapping(node, "\(context) tool with") {
            for (argument, valueNode) in pairs.ordered {
                guard let text = scalarText(valueNode, "\(context) tool with \(argument)") else { continue }
                useVariables(in: text.text, at: valueNode)
                arguments[argument] = text.text
            }
        }
        inToolSuccess += 1
        let onSuccess = entries["on_success"].flatMap { steps($0, "\(context) tool on_success") } ?? []
        inToolSuccess -= 1
        let onError = entries["on_error"].flatMap { steps($0, "\(context) tool on_error") } ?? []
        if onError.isEmpty { report(node, "\(context) tool: on_error: say what happens when the tool fails (the caller must not hear silence)") }
        return FlowToolCall(name: name, arguments: arguments, onSuccess: onSuccess, onError: onError)
    }

    // MARK: Typed readers; each reports and returns nil on a mismatch.

    private mutating func localizedText(_ node: Node, _ context: String) -> LocalizedText? {
        if case .scalar = node {
            guard let text = string(node, context) else { return nil }
            useVariables(in: text, at: node)
            return LocalizedText(text)
        }
        guard let entries = mapping(node, context) else { return nil }
        var texts: [String: String] = [:]
        for (language, value) in entries.ordered {
            checkLanguage(language, at: value)
            guard let text = string(value, "\(context) \(language)") else { continue }
            useVariables(in: text, at: value)
            texts[language] = text
        }
        for language in languages where LocalizedText(texts).text(for: language) == nil {
            report(node, "\(context) has no text for \(language)")
        }
        return texts.isEmpty ? nil : LocalizedText(texts)
    }

    private mutating func checkLanguage(_ language: String, at node: Node) {
        if !languages.isEmpty, LocalizedText.bestKey(for: language, among: languages) == nil {
            report(node, "language \(language) is not one of the flow's languages (\(languages.joined(separator: ", ")))")
        }
    }

    /// A non-empty string scalar.
    private mutating func string(_ node: Node, _ context: String) -> String? {
        guard let value = scalarText(node, context) else { return nil }
        guard !value.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            report(node, "\(context) is empty")
            return nil
        }
        return value.text
    }

    private mutating func scalarText(_ node: Node, _ context: String) -> (text: String, node: Node)? {
        guard case .scalar(let scalar) = node else {
            report(node, "\(context) should be a single value")
            return nil
        }
        return (scalar.string, node)
    }

    private mutating func stringList(_ node: Node, _ context: String) -> [String]? {
        guard let items = sequence(node, context) else { return nil }
        return items.compactMap { string($0, context) }
    }

    private mutating func sequence(_ node: Node, _ context: String) -> [Node]? {
        guard case .sequence(let items) = node else {
            report(node, "\(context) should be a list")
            return nil
        }
        return Array(items)
    }

    private mutating func mapping(_ node: Node, _ context: String) -> Entries? {
        guard case .mapping(let pairs) = node else {
            report(node, "\(context) should be a mapping of keys to values")
            return nil
        }
        var entries = Entries()
        for (key, value) in pairs {
            guard case .scalar(let scalar) = key else {
                report(key, "\(context): keys should be plain words")
                continue
            }
            entries.ordered.append((scalar.string, value))
            entries.keyNodes[scalar.string] = key
        }
        return entries
    }

    private mutating func checkKeys(_ entries: Entries, allowed: [String], in context: String) {
        for (key, _) in entries.ordered where !allowed.contains(key) {
            report(entries.keyNodes[key], "\(context): unknown key \"\(key)\" (expected \(allowed.joined(separator: ", ")))")
        }
    }

    private mutating func useVariables(in text: String, at node: Node) {
        for name in PromptRenderer.placeholders(in: text) {
            if inToolSuccess > 0, name.hasPrefix(FlowToolCall.resultPrefix) { continue }
            variableUses.append((name, node.mark))
        }
    }

    private mutating func report(_ node: Node?, _ message: String) {
        report(node?.mark, message)
    }

    private mutating func report(_ mark: Mark?, _ message: String) {
        problems.append(.init(line: mark?.line ?? 0, column: mark?.column ?? 0, message: message))
    }

    /// A mapping's entries in file order, with the key nodes for positions.
    struct Entries {
        var ordered: [(key: String, value: Node)] = []
        var keyNodes: [String: Node] = [:]

        subscript(key: String) -> Node? { ordered.first { $0.key == key }?.value }
    }
}
