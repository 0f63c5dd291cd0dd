import Foundation

/// The files of this repository, found from this source file's location.
///
/// The tests check shipped files (asterisk/, compose.yaml, Dockerfile, scripts), so they read
/// them from the checkout the test bundle was built from, whatever the working directory.
enum Repository {
    struct MissingFile: Error, CustomStringConvertible {
        let path: String
        var description: String { "cannot read \(path)" }
    }

    /// The checkout's root: two levels above Tests/DeploymentTests.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    static func url(_ relativePath: String) -> URL {
        root.appending(path: relativePath)
    }

    /// The text of a file given relative to the root.
    static func text(_ relativePath: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: url(relativePath).path),
              let text = String(data: data, encoding: .utf8)
        else { throw MissingFile(path: relativePath) }
        return text
    }

    /// A file of asterisk/, parsed.
    static func asteriskConfig(_ name: String) throws -> AsteriskConfigFile {
        try AsteriskConfigFile(parsing: text("asterisk/\(name)"), name: name)
    }
}
