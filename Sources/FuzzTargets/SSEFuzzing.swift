import Foundation
import HTTP
import Providers

/// Any byte stream, cut into pieces anywhere, yields the same events as the whole stream fed at once.
///
/// The first byte of the input chooses where the pieces are cut, so the fuzzer explores splits of
/// `\r\n` pairs and UTF-8 characters across reads, as a network delivers them.
enum SSEFuzzing {
    static func run(_ input: Data) {
        guard let seed = input.first else { return }
        let stream = input.dropFirst()
        var whole = SSEParser()
        let expected = whole.feed(Data(stream)) + whole.finish()

        var pieces = SSEParser()
        var events: [SSEParser.Event] = []
        let step = Int(seed % 7) + 1
        var start = stream.startIndex
        while start < stream.endIndex {
            let end = min(start + step, stream.endIndex)
            events += pieces.feed(Data(stream[start..<end]))
            start = end
        }
        events += pieces.finish()
        FuzzTargetFailure.check(events == expected, "SSE events depend on how the stream was cut (step \(step))")
    }
}
