import Foundation

/// The environment variable names ura's `Settings` module reads, taken from its source.
///
/// Every variable appears there as a quoted UPPER_CASE string literal (`"ARI_URL"`), so the
/// list follows the code without a copy to keep in sync.
enum KnownVariables {
    static func names() throws -> Set<String> {
        let directory = Repository.url("Sources/Settings")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".swift") }
        let literal = try Regex(#""([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)""#)
        var names: Set<String> = []
        for file in files {
            let source = try Repository.text("Sources/Settings/\(file)")
            for match in source.matches(of: literal) {
                if let name = match.output[1].substring { names.insert(String(name)) }
            }
        }
        return names
    }
}
