import Foundation

/// The build stages of a Dockerfile: each `FROM image [AS name]` with the packages its
/// `apt-get install` commands name and the stages its `COPY --from=` reads.
struct DockerfileStages {
    struct Stage {
        let image: String
        let name: String?
        var aptPackages: [String] = []
        var copiesFrom: [String] = []
    }

    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    private(set) var stages: [Stage] = []

    init(parsing text: String) throws(ParseError) {
        // Join continuation lines so one instruction is one line.
        var instructions: [String] = []
        var pending = ""
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if pending.isEmpty, line.hasPrefix("#") || line.isEmpty { continue }
            if line.hasPrefix("#") { continue }
            if line.hasSuffix("\\") {
                pending += String(line.dropLast()) + " "
            } else {
                instructions.append(pending + line)
                pending = ""
            }
        }
        for instruction in instructions {
            let words = instruction.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard let keyword = words.first?.uppercased() else { continue }
            if keyword == "FROM" {
                let arguments = words.dropFirst().filter { !$0.hasPrefix("--") }
                guard let image = arguments.first else { throw ParseError(description: "FROM without an image") }
                let name = arguments.count >= 3 && arguments[1].uppercased() == "AS" ? arguments[2] : nil
                stages.append(Stage(image: image, name: name))
                continue
            }
            guard !stages.isEmpty else {
                if keyword == "ARG" { continue }
                throw ParseError(description: "\(keyword) before the first FROM")
            }
            if keyword == "RUN" {
                stages[stages.count - 1].aptPackages += Self.aptPackages(in: Array(words.dropFirst()))
            } else if keyword == "COPY" {
                for word in words where word.hasPrefix("--from=") {
                    stages[stages.count - 1].copiesFrom.append(String(word.dropFirst("--from=".count)))
                }
            }
        }
    }

    /// The package names after each `apt-get install` up to the end of that command.
    private static func aptPackages(in words: [String]) -> [String] {
        var packages: [String] = []
        var index = 0
        while index < words.count {
            if words[index].hasSuffix("apt-get"), index + 1 < words.count, words[index + 1] == "install" {
                index += 2
                while index < words.count, !["&&", "||", ";", "|"].contains(words[index]) {
                    if !words[index].hasPrefix("-") { packages.append(words[index]) }
                    index += 1
                }
            } else {
                index += 1
            }
        }
        return packages
    }
}
