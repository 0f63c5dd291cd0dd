import Foundation
import Logging

/// Human-readable lines for a terminal: `12:26:37.458 info  ura.call: answered call_id=… channel_id=…`.
public struct TextLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: any LogOutput

    public init(label: String, output: any LogOutput = StandardErrorOutput(), metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = MetadataMerge.fields(handler: metadata, provider: metadataProvider, event: event)
        let time = Timestamp.iso8601(Date()).split(separator: "T").last.map { String($0.dropLast()) } ?? ""
        var text = "\(time) \(event.level.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))\(label): \(event.message)"
        for key in fields.keys.sorted() {
            text += " \(key)=\(fields[key]!)"
        }
        output.write(line: text + "\n")
    }
}
