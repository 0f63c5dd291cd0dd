/// A flow step that calls one of the business's tools (`TOOLS_FILE`) and branches on how it went.
///
/// ```yaml
/// - tool:
///     name: book_appointment
///     with: { specialty: "{specialty}", phone: "{caller_number}" }
///     on_success:
///       - say: You are booked. Your confirmation is {result.confirmation}.
///     on_error:
///       - say: Sorry, the booking system is not answering.
///       - transfer: "{reception}"
/// ```
/// `with` values are templates like `say` text; in `on_success`, `{result.<field>}` is a field
/// of the tool's answer. A tool that is not configured takes `on_error`.
public struct FlowToolCall: Sendable, Equatable {
    public var name: String
    /// Argument name to template.
    public var arguments: [String: String]
    public var onSuccess: [FlowStep]
    public var onError: [FlowStep]

    public init(name: String, arguments: [String: String], onSuccess: [FlowStep], onError: [FlowStep]) {
        self.name = name
        self.arguments = arguments
        self.onSuccess = onSuccess
        self.onError = onError
    }

    /// The prefix of the answer's fields as variables of `on_success`.
    public static let resultPrefix = "result."
}

/// Runs the tools flows name; the app gives one built on its ``ToolRunner``.
public protocol FlowToolRunner: Sendable {
    /// Runs `tool` with arguments as text (the runner converts them to the tool's types).
    func run(tool: String, arguments: [String: String]) async -> FlowToolResult
}

/// How a flow's tool call went.
public enum FlowToolResult: Sendable, Equatable {
    /// The answer's chosen fields, as text.
    case success([String: String])
    case failure(String)
}
