import Foundation

/// Where a tool's request goes: scheme, host and port fixed in the file; `{argument}`
/// placeholders only in the path and query, each filled percent-encoded, so no argument can
/// lead the request to another host, path segment or query parameter.
public struct URLTemplate: Sendable, Equatable {
    enum Piece: Sendable, Equatable {
        case literal(String)
        case argument(String)
    }

    /// `scheme://host[:port]`, fixed.
    public let origin: String
    let pieces: [Piece]

    /// The names of the arguments it uses.
    public var arguments: [String] { pieces.compactMap { if case .argument(let name) = $0 { name } else { nil } } }

    /// - Throws: a message when the template is not an http(s) URL or a placeholder sits in its origin.
    public init(_ template: String) throws(TemplateError) {
        guard let schemeEnd = template.range(of: "://") else { throw TemplateError("is not an http:// or https:// URL") }
        let scheme = template[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else { throw TemplateError("is not an http:// or https:// URL") }
        let rest = template[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        guard !authority.isEmpty, !authority.contains("{"), !authority.contains("}"), !authority.contains("@") else {
            throw TemplateError("must name its host itself: no {placeholder} and no user@ before the path")
        }
        guard URL(string: "\(scheme)://\(authority)/")?.host != nil else { throw TemplateError("names no valid host") }
        origin = "\(scheme)://\(authority)"
        pieces = try Self.pieces(String(rest[authorityEnd...]))
    }

    /// The URL with `arguments` filled in; a missing argument leaves its place empty.
    public func render(_ arguments: [String: ToolValue]) -> URL? {
        var text = origin
        for piece in pieces {
            switch piece {
            case .literal(let literal): text += literal
            case .argument(let name): text += Self.encode(arguments[name]?.text ?? "")
            }
        }
        return URL(string: text)
    }

    /// Only unreserved characters stay as they are: `/`, `?`, `&`, `=`, `#`, `%` and `@` in an
    /// argument are encoded, so it stays one value of one segment or parameter.
    static func encode(_ value: String) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static func pieces(_ text: String) throws(TemplateError) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var index = text.startIndex
        while index < text.endIndex {
            if text[index] == "{" {
                guard let close = text[index...].firstIndex(of: "}") else { throw TemplateError("has a { without its }") }
                let name = String(text[text.index(after: index)..<close])
                guard name.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil else {
                    throw TemplateError("has {\(name)}, which is not an argument name")
                }
                if !literal.isEmpty { pieces.append(.literal(literal)) }
                literal = ""
                pieces.append(.argument(name))
                index = text.index(after: close)
            } else {
                literal.append(text[index])
                index = text.index(after: index)
            }
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        return pieces
    }
}

/// A request body written as YAML: a string that is just `"{name}"` becomes the argument with
/// its JSON type (a number stays a number); other strings get arguments filled in as text.
public struct BodyTemplate: Sendable, Equatable {
    let template: ToolValue

    public init(_ template: ToolValue) throws(TemplateError) {
        self.template = template
        _ = try Self.arguments(in: template)
    }

    /// The names of the arguments it uses.
    public var arguments: [String] { (try? Self.arguments(in: template)) ?? [] }

    static func arguments(in value: ToolValue) throws(TemplateError) -> [String] {
        switch value {
        case .string(let text):
            return try URLTemplate.pieces(text).compactMap { if case .argument(let name) = $0 { name } else { nil } }
        case .array(let items):
            var names: [String] = []
            for item in items { names += try arguments(in: item) }
            return names
        case .object(let members):
            var names: [String] = []
            for (_, member) in members { names += try arguments(in: member) }
            return names
        default:
            return []
        }
    }

    public func render(_ arguments: [String: ToolValue]) -> ToolValue { Self.render(template, arguments) }

    private static func render(_ value: ToolValue, _ arguments: [String: ToolValue]) -> ToolValue {
        switch value {
        case .string(let text):
            guard let pieces = try? URLTemplate.pieces(text) else { return value }
            if pieces.count == 1, case .argument(let name) = pieces[0] { return arguments[name] ?? .null }
            return .string(pieces.map { piece in
                switch piece {
                case .literal(let literal): literal
                case .argument(let name): arguments[name]?.text ?? ""
                }
            }.joined())
        case .array(let items): return .array(items.map { render($0, arguments) })
        case .object(let members): return .object(members.mapValues { render($0, arguments) })
        default: return value
        }
    }
}

/// What is wrong with a template.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
