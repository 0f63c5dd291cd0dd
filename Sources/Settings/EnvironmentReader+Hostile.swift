import Foundation

/// Readers for the settings that guard ura against hostile input: transfers, flows, admission, logs.
extension EnvironmentReader {
    /// `TRANSFER_ALLOW`: destination patterns separated by blanks or `;` (a dialplan destination
    /// has commas of its own); empty when unset.
    func transferPatterns() throws(ConfigurationError) -> [TransferPattern] {
        guard let text = value("TRANSFER_ALLOW") else { return [] }
        var patterns: [TransferPattern] = []
        for item in text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }) {
            do {
                patterns.append(try TransferPattern(parsing: String(item)))
            } catch {
                throw ConfigurationError(
                    variable: "TRANSFER_ALLOW", problem: "has \"\(item.prefix(40))\", which is not a destination pattern: it \(error)",
                    example: "TRANSFER_ALLOW=PJSIP/10* support,100")
            }
        }
        return patterns
    }

    /// `FLOWS_DIR`: the only place flows are read from.
    func flowsDirectory() throws(ConfigurationError) -> String {
        let directory = value("FLOWS_DIR") ?? "flows"
        guard !directory.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
            throw ConfigurationError(variable: "FLOWS_DIR", problem: "contains a control character", example: "FLOWS_DIR=flows")
        }
        return directory
    }
}
