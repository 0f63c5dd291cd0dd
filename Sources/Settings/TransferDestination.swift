/// Where a caller can be sent: a place in the dialplan or another endpoint.
///
/// Every transfer ura makes — asked by an operator, the LLM's `transfer_call` tool, a flow or
/// `URA_FAILURE_TRANSFER_TO` — is one of these, parsed once from text by ``init(parsing:)``.
/// The call layer carries a dialplan destination out with ARI `continue` (context, extension,
/// priority or label) and an endpoint with ARI `redirect`.
///
/// Parsing is strict because the text comes from people and models ura cannot trust: only
/// characters Asterisk gives no second meaning are accepted. Control characters, blanks,
/// `,` `|` `&` in an endpoint (Dial separators and multi-dial), `$ { } ( )` (dialplan
/// expressions), quotes, `;` and `\` are all refused, as are empty parts, dialplan patterns
/// (`_X.`) and priorities that are neither a positive number nor a label.
public enum TransferDestination: Sendable, Hashable, CustomStringConvertible {
    /// `[context,]exten[,priority]`: continue in the dialplan; no context means the caller's current one.
    case dialplan(context: String?, extension: String, priority: Priority)
    /// `TECH/resource` (`PJSIP/1001`): redirect the caller to that endpoint.
    case endpoint(technology: String, resource: String)

    /// Where in an extension the caller lands.
    public enum Priority: Sendable, Hashable, CustomStringConvertible {
        case number(Int)
        case label(String)

        public var description: String {
            switch self {
            case .number(let number): String(number)
            case .label(let label): label
            }
        }
    }

    /// Longest destination accepted, in characters (Asterisk's own dial strings are far shorter).
    public static let maximumLength = 128
    /// Longest context, extension, label or technology accepted.
    public static let maximumPartLength = 80

    /// Why a text is not a destination; ``description`` says what is wrong, quoting at most a
    /// bounded, printable excerpt of the input.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        public let problem: String
        public var description: String { problem }
    }

    /// Parses `[context,]exten[,priority]` or `TECH/resource`; surrounding blanks are ignored.
    /// - Throws: ``Invalid`` saying what is wrong.
    public init(parsing raw: String) throws(Invalid) {
        let text = raw.trimmingBlanks()
        guard !text.isEmpty else { throw Invalid(problem: "is empty") }
        guard text.count <= Self.maximumLength else {
            throw Invalid(problem: "is \(text.count) characters long; at most \(Self.maximumLength)")
        }
        if let bad = text.unicodeScalars.first(where: { $0.value < 0x21 || $0.value > 0x7E }) {
            throw Invalid(problem: "contains \(Self.name(of: bad)); only printable ASCII without blanks is accepted")
        }
        if text.contains("/") {
            self = try Self.endpoint(text)
        } else {
            self = try Self.dialplan(text)
        }
    }

    /// The canonical text: what ``init(parsing:)`` reads back to the same value (priority 1 is left out).
    public var description: String {
        switch self {
        case .endpoint(let technology, let resource):
            return "\(technology)/\(resource)"
        case .dialplan(let context, let exten, let priority):
            // Two parts read as context,exten, so without a context only priority 1 can be written.
            guard let context else { return exten }
            return priority == .number(1) ? "\(context),\(exten)" : "\(context),\(exten),\(priority)"
        }
    }

    // MARK: - Parsing

    private static func endpoint(_ text: String) throws(Invalid) -> TransferDestination {
        let slash = text.firstIndex(of: "/")!
        let technology = String(text[..<slash])
        let resource = String(text[text.index(after: slash)...])
        guard !technology.isEmpty else { throw Invalid(problem: "names no technology before \"/\" (as in PJSIP/1001)") }
        guard !resource.isEmpty else { throw Invalid(problem: "names no resource after \"\(technology)/\" (as in PJSIP/1001)") }
        guard technology.count <= maximumPartLength, technology.unicodeScalars.allSatisfy(isLetterOrDigit),
              technology.first?.isLetter == true
        else { throw Invalid(problem: "has technology \"\(technology.prefix(maximumPartLength))\"; expected letters and digits such as PJSIP") }
        if let bad = resource.unicodeScalars.first(where: { !isResourceCharacter($0) }) {
            throw Invalid(problem: "has \(name(of: bad)) in the endpoint resource; allowed are letters, digits and _ - . + * # @ : /")
        }
        guard !resource.split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
            throw Invalid(problem: "has an empty part in the endpoint resource")
        }
        return .endpoint(technology: technology, resource: resource)
    }

    private static func dialplan(_ text: String) throws(Invalid) -> TransferDestination {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard parts.count <= 3 else { throw Invalid(problem: "has \(parts.count) comma-separated parts; expected [context,]exten[,priority]") }
        guard !parts.contains(where: \.isEmpty) else { throw Invalid(problem: "has an empty part; expected [context,]exten[,priority]") }
        for part in parts where part.count > maximumPartLength {
            throw Invalid(problem: "has a part of \(part.count) characters; at most \(maximumPartLength)")
        }
        let context: String? = parts.count >= 2 ? parts[0] : nil
        let exten = parts.count >= 2 ? parts[1] : parts[0]
        if let context {
            if let bad = context.unicodeScalars.first(where: { !isNameCharacter($0) }) {
                throw Invalid(problem: "has \(name(of: bad)) in the context; allowed are letters, digits and _ - .")
            }
        }
        if let bad = exten.unicodeScalars.first(where: { !isExtensionCharacter($0) }) {
            throw Invalid(problem: "has \(name(of: bad)) in the extension; allowed are letters, digits and _ - . + * #")
        }
        guard !exten.hasPrefix("_") else { throw Invalid(problem: "names a dialplan pattern (\"_...\"), not an extension") }
        var priority = Priority.number(1)
        if parts.count == 3 {
            let text = parts[2]
            if text.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
                guard let number = Int(text), number >= 1 else { throw Invalid(problem: "has priority \(text.prefix(20)); priorities start at 1") }
                priority = .number(number)
            } else {
                guard text.first?.isLetter == true, text.unicodeScalars.allSatisfy({ isLetterOrDigit($0) || $0 == "_" || $0 == "-" }) else {
                    throw Invalid(problem: "has priority \"\(text)\"; expected a positive number or a label (letters, digits, _ -)")
                }
                priority = .label(text)
            }
        }
        return .dialplan(context: context, extension: exten, priority: priority)
    }

    private static func isLetterOrDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isLetterOrDigit(scalar) || scalar == "_" || scalar == "-" || scalar == "."
    }

    private static func isExtensionCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isNameCharacter(scalar) || scalar == "+" || scalar == "*" || scalar == "#"
    }

    private static func isResourceCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isExtensionCharacter(scalar) || scalar == "@" || scalar == ":" || scalar == "/"
    }

    /// A character named for an error message without echoing anything unprintable.
    private static func name(of scalar: Unicode.Scalar) -> String {
        (0x21...0x7E).contains(scalar.value) ? "\"\(Character(scalar))\"" : "character U+\(String(scalar.value, radix: 16, uppercase: true))"
    }
}

extension String {
    fileprivate func trimmingBlanks() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
