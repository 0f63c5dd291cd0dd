import Foundation
import Testing
import HTTP

@Suite("SSE parser")
struct SSEParserTests {
    typealias Event = SSEParser.Event

    static let cases: [(String, String, [Event])] = [
        ("space after colon, LF", "data: {\"a\":1}\n\ndata: [DONE]\n\n", [Event(data: "{\"a\":1}"), Event(data: "[DONE]")]),
        ("no space after colon", "data:{\"a\":1}\n\n", [Event(data: "{\"a\":1}")]),
        ("CRLF line ends", "data: one\r\n\r\ndata: two\r\n\r\n", [Event(data: "one"), Event(data: "two")]),
        ("bare CR line ends", "data: one\r\rdata: two\r\r", [Event(data: "one"), Event(data: "two")]),
        ("comment and ping lines", ": ping\n\n:keep-alive\ndata: x\n\n", [Event(data: "x")]),
        ("multi-line data joins with LF", "data: first\ndata:second\n\n", [Event(data: "first\nsecond")]),
        ("event and id fields", "event: error\nid: 7\ndata: boom\n\n", [Event(type: "error", data: "boom", id: "7")]),
        ("retry and unknown fields ignored", "retry: 100\nfoo: bar\ndata: x\n\n", [Event(data: "x")]),
        ("only one leading space removed", "data:  two spaces\n\n", [Event(data: " two spaces")]),
        ("blank lines without data dispatch nothing", "\n\n\n", []),
        ("last event without blank line", "data: tail", [Event(data: "tail")]),
        ("UTF-8 text", "data: {\"content\":\"Olá, ação\"}\n\n", [Event(data: "{\"content\":\"Olá, ação\"}")]),
    ]

    @Test(arguments: cases)
    func parsesWholeInput(name: String, input: String, expected: [Event]) {
        var parser = SSEParser()
        let events = parser.feed(Data(input.utf8)) + parser.finish()
        #expect(events == expected, "\(name)")
    }

    @Test(arguments: cases)
    func parsesInputSplitAtEveryByte(name: String, input: String, expected: [Event]) {
        let bytes = Data(input.utf8)
        for cut in 0...bytes.count {
            var parser = SSEParser()
            let events = parser.feed(bytes.prefix(cut)) + parser.feed(bytes.dropFirst(cut)) + parser.finish()
            #expect(events == expected, "\(name), cut at \(cut)")
        }
    }

    @Test func parsesByteByByte() {
        let input = Data("data: a\r\n\r\n: ping\r\ndata: b\r\ndata: c\r\n\r\n".utf8)
        var parser = SSEParser()
        var events: [Event] = []
        for byte in input { events += parser.feed(Data([byte])) }
        events += parser.finish()
        #expect(events == [Event(data: "a"), Event(data: "b\nc")])
    }
}
