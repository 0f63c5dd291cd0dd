import Foundation
import Logging
import Testing
@testable import StructuredLogging

@Suite("Log handlers")
struct LogHandlerTests {
    struct Failure: Error, CustomStringConvertible { var description: String { "boom" } }

    @Test func jsonLineCarriesCallMetadata() throws {
        let output = MemoryLogOutput()
        var logger = Logger(label: "ura.call") { LineLogHandler(label: $0, style: .json, output: output) }
        logger[metadataKey: "call_id"] = "c-1"
        logger.info("answered \"caller\"\n", error: Failure(), metadata: ["channel_id": "1700.1", "codecs": ["ulaw", "g722"]])
        let line = try #require(output.lines.first)
        #expect(line.hasSuffix("}\n") && line.filter { $0 == "\n" }.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["level"] as? String == "info")
        #expect(object["label"] as? String == "ura.call")
        #expect(object["message"] as? String == "answered \"caller\"\n")
        #expect(object["call_id"] as? String == "c-1")
        #expect(object["channel_id"] as? String == "1700.1")
        #expect(object["codecs"] as? [String] == ["ulaw", "g722"])
        #expect(object["error"] as? String == "boom")
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(try Date(timestamp, strategy: .iso8601) <= Date())
    }

    @Test func levelFilters() {
        let output = MemoryLogOutput()
        var logger = Logger(label: "t") { LineLogHandler(label: $0, style: .json, output: output) }
        logger.logLevel = .warning
        logger.info("hidden")
        logger.error("shown")
        #expect(output.lines.count == 1)
    }

    @Test func textLineIsReadable() throws {
        let output = MemoryLogOutput()
        let logger = Logger(label: "ura.ari") { LineLogHandler(label: $0, style: .text, output: output) }
        logger.warning("reconnecting", metadata: ["backoff_ms": "400"])
        let line = try #require(output.lines.first)
        #expect(line.contains("warning ura.ari: reconnecting backoff_ms=400"))
    }

    @Test func controlCharactersAreEscaped() {
        #expect(JSONText.quoted("a\u{1}b\tc") == "\"a\\u0001b\\tc\"")
    }
}
