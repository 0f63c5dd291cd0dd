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
        try MediaBenchBinary.requireFreshBuild()
        // 2 calls × 500 frames: 1000 frames of running calls.
        let result = try await Subprocess.run(
            MediaBenchBinary.url, arguments: ["alloc", "--calls", "2", "--frames", "500"] + options, environment: ["PATH": "/usr/bin:/bin"],
            in: FileManager.default.temporaryDirectory, guardSeconds: 90)
        #expect(result.status == 0, "MediaBench alloc failed:\n\(result.standardOutput)\(result.standardError)")
        let summary = try #require(result.standardOutput.split(separator: "\n").last { $0.hasPrefix("media: ") })
        let fields = MediaBenchBinary.fields(of: summary)
        // The interposer proved itself on 100 deliberate allocations.
        #expect(Int(fields["calibration"] ?? "") ?? 0 >= 100)
        #expect(fields["frames"] == "1000")
        return fields
    }
}
