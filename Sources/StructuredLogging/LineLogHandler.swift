import Foundation
import Logging

/// ura's log handler: one line per event, in the ``LogStyle`` asked for (JSON for collectors,
/// text for a terminal), to a ``LogOutput``.
public struct LineLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let style: LogStyle
    private let output: any LogOutput

    public init(
        label: String, style: LogStyle, output: any LogOutput = StandardErrorOutput(), metadataProvider: Logger.MetadataProvider? = nil
    ) {
        self.label = label
        self.style = style
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = MetadataMerge.fields(handler: metadata, provider: metadataProvider, event: event)
        let line = switch style {
        case .json: JSONLogLine.format(label: label, event: event, fields: fields)
        case .text: TextLogLine.format(label: label, event: event, fields: fields)
        }
        output.write(line: line)
    }
}
