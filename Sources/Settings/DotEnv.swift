import Foundation

/// Reads `.env` files the way docker compose and dotenv do.
///
/// Lines are `NAME=value`, optionally prefixed with `export `. Blank lines and lines starting
/// with `#` are skipped. A value may be wrapped in single quotes (taken literally) or double
/// quotes (where `\n`, `\"` and `\\` are unescaped); an unquoted value ends at ` #`.
public enum DotEnv {
    /// Parses the text of a `.env` file.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - source: the file name used in error messages.
    /// - Throws: ``ConfigurationError`` naming `source:line` for a line that is not an assignment.
    public static func parse(_ text: String, source: String = ".env") throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        // Character-wise splitting treats "\r\n" as one newline, so Windows files read the same.
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst("export ".count)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError(
                    variable: "\(source):\(index + 1)", problem: "is not a NAME=value line",
                    example: "ARI_URL=http://127.0.0.1:8088")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard isValidName(name) else {
                throw ConfigurationError(
                    variable: "\(source):\(index + 1)", problem: "has an invalid variable name \"\(name)\"",
                    example: "ARI_APP=ura")
            }
            values[name] = unquote(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
        }
        return values
    }

    /// Loads a `.env` file; a missing file is an empty environment.
    /// - Throws: ``ConfigurationError`` for an unreadable or malformed file.
    public static func load(path: String) throws(ConfigurationError) -> [String: String] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(variable: path, problem: "cannot be read as UTF-8 text", example: "ARI_URL=http://127.0.0.1:8088")
        }
        return try parse(text, source: path)
    }

    private static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || CharacterSet.letters.contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || CharacterSet.alphanumerics.contains($0) }
    }

    private static func unquote(_ value: String) -> String {
        if value.count >= 2, value.hasPrefix("'"), value.hasSuffix("'") {
            return String(value.dropFirst().dropLast())
        }
        if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
            var result = ""
            var escaping = false
            for character in value.dropFirst().dropLast() {
                if escaping {
                    result.append(character == "n" ? "\n" : character)
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else {
                    result.append(character)
                }
            }
            return result
        }
        if let comment = value.range(of: " #") { return value[..<comment.lowerBound].trimmingCharacters(in: .whitespaces) }
        return value
    }
}
