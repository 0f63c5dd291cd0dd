import Foundation

/// Files under Tests/ARITests/Fixtures: Asterisk 22.10.1's Swagger files and real captures.
enum Fixtures {
    static let directory: URL = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(name))
    }

    /// A file parsed with Foundation's JSONSerialization, independent of the parser under test.
    static func foundationJSON(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: data(name))
    }

    /// The lines of session-22.10.1.jsonl, each parsed with JSONSerialization.
    static func sessionRecords() throws -> [[String: Any]] {
        let text = String(decoding: try data("session-22.10.1.jsonl"), as: UTF8.self)
        return try text.split(separator: "\n").map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        }
    }

    /// Serialises a JSONSerialization value back to bytes.
    static func bytes(_ object: Any) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed])
    }
}
