/// The package list of `scripts/setup`: the lines between `PACKAGES=(` and `)`.
enum SetupScript {
    static func packages() throws -> [String] {
        var packages: [String] = []
        var inside = false
        for line in try Repository.text("scripts/setup").split(separator: "\n") {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .split(separator: " ").joined()
            if content == "PACKAGES=(" { inside = true; continue }
            if inside, content == ")" { break }
            if inside, !content.isEmpty { packages.append(content) }
        }
        return packages
    }
}
