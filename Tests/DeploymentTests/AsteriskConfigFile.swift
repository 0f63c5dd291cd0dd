import Foundation

/// An Asterisk `.conf` file as Asterisk's config loader reads it.
///
/// Understands `[section]`, templates (`[name](!)`) and sections built on them
/// (`[name](tmpl1,tmpl2)`), `key=value` and `key => value` lines, `;` comments (`\;` is a
/// literal semicolon) and `;-- --;` block comments. Any other line is an error, so a typo in a
/// shipped file fails the tests instead of being skipped the way Asterisk would skip it.
struct AsteriskConfigFile {
    struct Entry: Equatable {
        let key: String
        let value: String
        let line: Int
    }

    struct Section {
        let name: String
        /// `(!)`: a template other sections copy; Asterisk does not use it on its own.
        let isTemplate: Bool
        /// Templates named in the header, in order; their entries come first.
        let templates: [String]
        var entries: [Entry]
        let line: Int
    }

    struct ParseError: Error, CustomStringConvertible, Equatable {
        let file: String
        let line: Int
        let problem: String
        var description: String { "\(file):\(line): \(problem)" }
    }

    let name: String
    /// Sections in file order; one name may appear several times (pjsip.conf does this for
    /// an endpoint, its aor and its auth).
    private(set) var sections: [Section] = []

    init(parsing text: String, name: String) throws(ParseError) {
        self.name = name
        var inBlockComment = false
        var blockCommentLine = 0
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let lineNumber = index + 1
            var line = Substring(rawLine)
            if inBlockComment {
                guard let end = line.range(of: "--;") else { continue }
                line = line[end.upperBound...]
                inBlockComment = false
            }
            if let start = line.range(of: ";--") {
                if let end = line[start.upperBound...].range(of: "--;") {
                    line = line[..<start.lowerBound] + line[end.upperBound...]
                } else {
                    line = line[..<start.lowerBound]
                    inBlockComment = true
                    blockCommentLine = lineNumber
                }
            }
            let content = Self.stripComment(line).trimmingCharacters(in: .whitespaces)
            if content.isEmpty { continue }
            if content.hasPrefix("[") {
                sections.append(try Self.sectionHeader(content, file: name, line: lineNumber))
            } else if let entry = Self.entry(content, line: lineNumber) {
                guard !sections.isEmpty else {
                    throw ParseError(file: name, line: lineNumber, problem: "\"\(entry.key)\" comes before any [section]")
                }
                sections[sections.count - 1].entries.append(entry)
            } else {
                throw ParseError(file: name, line: lineNumber, problem: "\"\(content)\" is neither a [section] nor key=value")
            }
        }
        if inBlockComment {
            throw ParseError(file: name, line: blockCommentLine, problem: "block comment ;-- is never closed")
        }
    }

    /// Sections with this name that are not templates.
    func sections(named sectionName: String) -> [Section] {
        sections.filter { $0.name == sectionName && !$0.isTemplate }
    }

    /// Non-template sections whose effective `type=` is `type` (pjsip.conf, ari.conf).
    func sections(ofType type: String) -> [Section] {
        sections.filter { !$0.isTemplate && value("type", in: $0) == type }
    }

    /// A section's entries as Asterisk sees them: its templates' entries, then its own.
    func effectiveEntries(of section: Section) -> [Entry] {
        var seen: Set<String> = []
        return effectiveEntries(of: section, visiting: &seen)
    }

    /// The last value of `key` in the section (a later line overrides an earlier one).
    func value(_ key: String, in section: Section) -> String? {
        effectiveEntries(of: section).last { $0.key == key }?.value
    }

    /// Every value of `key`, for keys that may repeat (`allow`, `load`, `exten`).
    func values(_ key: String, in section: Section) -> [String] {
        effectiveEntries(of: section).filter { $0.key == key }.map(\.value)
    }

    private func effectiveEntries(of section: Section, visiting: inout Set<String>) -> [Entry] {
        var entries: [Entry] = []
        for templateName in section.templates where visiting.insert(templateName).inserted {
            // Asterisk copies the template defined last before this section.
            if let template = sections.last(where: { $0.name == templateName && $0.line < section.line }) {
                entries += effectiveEntries(of: template, visiting: &visiting)
            }
        }
        return entries + section.entries
    }

    private static func stripComment(_ line: Substring) -> String {
        var result = ""
        var escaped = false
        for character in line {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ";" {
                break
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func sectionHeader(_ content: String, file: String, line: Int) throws(ParseError) -> Section {
        guard let close = content.firstIndex(of: "]") else {
            throw ParseError(file: file, line: line, problem: "section header \"\(content)\" has no ]")
        }
        let sectionName = content[content.index(after: content.startIndex)..<close].trimmingCharacters(in: .whitespaces)
        guard !sectionName.isEmpty else { throw ParseError(file: file, line: line, problem: "empty section name") }
        let rest = content[content.index(after: close)...].trimmingCharacters(in: .whitespaces)
        var isTemplate = false
        var templates: [String] = []
        if !rest.isEmpty {
            guard rest.hasPrefix("("), rest.hasSuffix(")") else {
                throw ParseError(file: file, line: line, problem: "\"\(rest)\" after [\(sectionName)] is not (!) or (template)")
            }
            for option in rest.dropFirst().dropLast().split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if option == "!" { isTemplate = true } else if !option.isEmpty { templates.append(option) }
            }
        }
        return Section(name: sectionName, isTemplate: isTemplate, templates: templates, entries: [], line: line)
    }

    private static func entry(_ content: String, line: Int) -> Entry? {
        guard let equals = content.firstIndex(of: "=") else { return nil }
        let key = content[..<equals].trimmingCharacters(in: .whitespaces)
        var value = content[content.index(after: equals)...]
        if value.hasPrefix(">") { value = value.dropFirst() }
        guard !key.isEmpty, !key.contains(" ") else { return nil }
        return Entry(key: key, value: value.trimmingCharacters(in: .whitespaces), line: line)
    }
}
