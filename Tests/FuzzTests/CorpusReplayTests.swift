import Foundation
import FuzzTargets
import Testing

/// Every committed fuzz input (seeds and saved crashes, `Tests/Fuzz/Corpus/<target>/`) still runs
/// through its parser without a trap or a broken property: the fuzzers' findings stay fixed.
@Suite struct CorpusReplayTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    static func inputs(_ target: FuzzTarget) throws -> [(name: String, data: Data)] {
        let folder = corpus.appendingPathComponent(target.rawValue)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusInputRuns(_ target: FuzzTarget) throws {
        let inputs = try Self.inputs(target)
        #expect(inputs.count >= 3, "\(target.rawValue) needs a handful of seeds")
        for input in inputs { target.run(input.data) }
    }
}
