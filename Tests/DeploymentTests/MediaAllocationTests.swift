import Foundation
import ProcessTesting
import Testing

/// A running call's media path (receive, parse, jitter buffer, decode, bot hand-off, encode,
/// pace, send) allocates nothing per 20 ms frame once under way.
///
/// Counted by `MediaBench alloc` (ordo-one's malloc interposer) in the release build, which is
/// what runs calls: an unoptimised build allocates where the optimiser would not (generic
/// iterators, for one), which says nothing about ura. `scripts/test` builds it first.
/// - With the loopback bot only the media threads and a caller thread with preallocated
///   buffers run, so the whole process must allocate nothing.
/// - With the conversation pipeline (scripted providers, a caller who talks and talks over the
///   bot) the pipeline's own threads allocate (recognition, synthesis, turn-taking), and the
///   media threads, which hand frames to it and take its reply frames, must allocate nothing.
@Suite struct MediaAllocationTests {
    static let bench = Repository.url(".build/release/MediaBench")
    /// What the benchmark's binary is built from: newer sources mean it is stale.
    static let sources = ["Sources/Media", "Sources/Audio", "Sources/Calls", "Sources/MediaBench", "Sources/CMediaSockets", "Sources/Recording", "Sources/Voice", "Sources/VoiceTesting", "Sources/CBacktrace"]

    @Test(arguments: [["--format", "ulaw"], ["--format", "g722", "--ptime", "30"]])
    func aLoopbackCallAllocatesNothingPerFrame(options: [String]) async throws {
        let fields = try await Self.count(options)
        #expect(fields["mallocs"] == "0", "allocations on the media path: \(fields); `MediaBench alloc --trace 1` shows where")
    }

    @Test(arguments: [["--format", "ulaw"]])
    func aConversationAllocatesNothingPerFrameOnTheMediaThreads(options: [String]) async throws {
        let fields = try await Self.count(["--bot", "conversation"] + options)
        #expect(fields["media_thread_mallocs"] == "0", "allocations on the media threads: \(fields); `MediaBench alloc --bot conversation --trace-media 1` shows where")
    }

    /// Runs `MediaBench alloc` over 1000 frames of running calls and returns its summary's fields.
    static func count(_ options: [String]) async throws -> [String: String] {
        try Self.requireFreshBuild()
        // 2 calls × 500 frames: 1000 frames of running calls.
        let result = try await Subprocess.run(
            Self.bench, arguments: ["alloc", "--calls", "2", "--frames", "500"] + options, environment: ["PATH": "/usr/bin:/bin"],
            in: FileManager.default.temporaryDirectory, guardSeconds: 90)
        #expect(result.status == 0, "MediaBench alloc failed:\n\(result.standardOutput)\(result.standardError)")
        let summary = try #require(result.standardOutput.split(separator: "\n").last { $0.hasPrefix("media: ") })
        let fields = Dictionary(uniqueKeysWithValues: summary.dropFirst(7).split(separator: " ").compactMap { field -> (String, String)? in
            let parts = field.split(separator: "=", maxSplits: 1)
            return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
        })
        // The interposer proved itself on 100 deliberate allocations.
        #expect(Int(fields["calibration"] ?? "") ?? 0 >= 100)
        #expect(fields["frames"] == "1000")
        return fields
    }

    static func requireFreshBuild() throws {
        let files = FileManager.default
        guard let built = try? files.attributesOfItem(atPath: bench.path)[.modificationDate] as? Date else {
            throw StaleBuild(reason: "\(bench.path) is missing")
        }
        for directory in sources {
            let root = Repository.url(directory)
            let enumerator = files.enumerator(at: root, includingPropertiesForKeys: [.contentModificationDateKey])
            while let file = enumerator?.nextObject() as? URL {
                let modified = try file.resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
                if let modified, modified > built {
                    throw StaleBuild(reason: "\(file.path) is newer than \(bench.path)")
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
