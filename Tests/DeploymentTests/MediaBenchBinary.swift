import Foundation

/// `MediaBench` in its release build, as `scripts/test` builds it before the tests run.
enum MediaBenchBinary {
    static let url = Repository.url(".build/release/MediaBench")
    /// What the binary is built from (the media path and its benchmarks): newer sources mean it
    /// is stale.
    static let sources = [
        "Sources/Media", "Sources/Audio", "Sources/Calls", "Sources/MediaBench", "Sources/CMediaSockets",
        "Sources/Recording", "Sources/Voice", "Sources/VoiceTesting", "Sources/CBacktrace",
    ]

    /// The `key=value` fields of a summary line (`media: a=1 b=2`).
    static func fields(of line: Substring) -> [String: String] {
        Dictionary(line.split(separator: " ").dropFirst().compactMap { field -> (String, String)? in
            let parts = field.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        }, uniquingKeysWith: { $1 })
    }

    static func requireFreshBuild() throws {
        let files = FileManager.default
        guard let built = try? files.attributesOfItem(atPath: url.path)[.modificationDate] as? Date else {
            throw StaleBuild(reason: "\(url.path) is missing")
        }
        for directory in sources {
            let root = Repository.url(directory)
            let enumerator = files.enumerator(at: root, includingPropertiesForKeys: [.contentModificationDateKey])
            while let file = enumerator?.nextObject() as? URL {
                let modified = try file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
                if let modified, modified > built {
                    throw StaleBuild(reason: "\(file.path) is newer than \(url.path)")
                }
            }
        }
    }

    struct StaleBuild: Error, CustomStringConvertible {
        let reason: String
        var description: String {
            "\(reason): build it with `swift build -c release --product MediaBench` (scripts/test does)"
        }
    }
}
